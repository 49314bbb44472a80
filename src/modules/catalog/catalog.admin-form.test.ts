import { describe, expect, it } from 'vitest'
import { fieldId, formActionOf, formStateFromBody, vnDate, withRowAdded } from './catalog.admin-form.js'

describe('reading the posted edit form (no JavaScript)', () => {
  const body = {
    expectedVersion: '3',
    changeNote: 'Sửa\r\nnhiều dòng',
    levels: ['commune', 'province'],
    subjects: 'citizen',
    'agencies.0.ref': 'so-tu-phap',
    'agencies.0.role': 'competent',
    'agencies.1.ref': '@ubnd-xa',
    'agencies.1.role': 'receiving',
    'agencies.1.remove': '1',
    'agencies.2.ref': 'ttpvhcc-tinh',
    'agencies.2.role': 'receiving',
    'cases.0.name': '',
    'cases.0.documents.0.name': 'Tờ khai',
    'cases.0.documents.0.originals': ' 1 ',
    'cases.0.documents.0.copies': '0',
    'cases.0.documents.0.templates': 'TK1; TK2',
    'cases.0.documents.5.name': 'Giấy mới',
    'cases.0.documents.5.originals': '1',
    'cases.0.documents.5.copies': '0',
    'cases.0.documents.5.templates': '',
    'cases.0.documents.5.isNew': '1',
    'cases.7.name': 'Bỏ',
    'cases.7.remove': '1',
  }

  it('drops rows marked for removal and renumbers the rest in order', () => {
    const s = formStateFromBody(body)
    expect(s.agencies).toEqual([
      { ref: 'so-tu-phap', role: 'competent' },
      { ref: 'ttpvhcc-tinh', role: 'receiving' },
    ])
    expect(s.cases).toHaveLength(1)
    expect(s.cases[0]!.documents.map((d) => [d.name, d.originals, d.isNew])).toEqual([
      ['Tờ khai', '1', false],
      ['Giấy mới', '1', true],
    ])
  })

  it('reads one checkbox as a list, and newlines as the browser sends them', () => {
    const s = formStateFromBody(body)
    expect(s.levels).toEqual(['commune', 'province'])
    expect(s.subjects).toEqual(['citizen'])
    expect(s.changeNote).toBe('Sửa\nnhiều dòng')
  })

  it('ignores absurd row numbers instead of looping over them', () => {
    const s = formStateFromBody({ 'legalBases.99999999.title': 'x', 'legalBases.3.title': 'Luật' })
    expect(s.legalBases.map((b) => b.title)).toEqual(['Luật'])
  })

  it.each([
    [{ _action: 'add:cases' }, { kind: 'add', list: 'cases' }],
    [{ _action: 'add:documents:2' }, { kind: 'add', list: 'documents', caseIndex: 2 }],
    [{ _action: 'save' }, { kind: 'save' }],
    [{ _action: 'add:anything' }, { kind: 'save' }],
    [{}, { kind: 'save' }],
  ])('reads the button %j as %j', (b, action) => {
    expect(formActionOf(b)).toEqual(action)
  })

  it('adds a blank row where asked, marked new so that leaving it blank drops it', () => {
    const s = formStateFromBody(body)
    const more = withRowAdded(s, { kind: 'add', list: 'documents', caseIndex: 0 })
    expect(more.cases[0]!.documents.at(-1)).toEqual({ name: '', originals: '1', copies: '0', templates: '', isNew: true })
    expect(withRowAdded(s, { kind: 'add', list: 'agencies' }).agencies).toHaveLength(3)
    expect(s.agencies).toHaveLength(2)
  })

  it('names ids without dots and dates in Vietnam time', () => {
    expect(fieldId('cases.0.documents.2.name')).toBe('f-cases-0-documents-2-name')
    expect(vnDate('2026-11-30T17:30:00Z')).toBe('2026-12-01')
    expect(vnDate('2026-11-30T16:59:59Z')).toBe('2026-11-30')
  })
})
