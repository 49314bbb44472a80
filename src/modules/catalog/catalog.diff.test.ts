import { describe, expect, it } from 'vitest'
import { changedFields, diffVersions, lineDiff, wordDiff, type DiffSide } from './catalog.diff.js'

const base: DiffSide = {
  name: 'Thủ tục đăng ký khai sinh',
  field: 'Hộ tịch',
  levels: ['commune'],
  subjects: ['citizen'],
  inProvince: true,
  onlineLevel: 'full',
  partialReason: null,
  partialLegalBasis: null,
  agencies: [{ ref: '@ubnd-xa', role: 'competent', name: 'UBND xã' }],
  duePublishBy: null,
  content: {
    decisionNo: '1234/QĐ-BTP',
    procedureType: null,
    subjectLabels: [],
    channels: [{ channel: 'in_person', time: { kind: 'working_days', value: 3, original: '3 Ngày làm việc' }, fee: { kind: 'free', original: 'Miễn phí', note: null }, description: null }],
    cases: [
      {
        name: null,
        documents: [
          { name: 'Tờ khai đăng ký khai sinh', originals: 1, copies: 0, templates: ['TK1.doc'] },
          { name: 'Giấy chứng sinh', originals: 1, copies: 0, templates: [] },
        ],
      },
    ],
    steps: ['Nộp hồ sơ', 'Nhận kết quả'],
    legalBases: [{ code: '60/2014/QH13', title: 'Luật Hộ tịch', effectiveFrom: null }],
    results: [{ name: 'Giấy khai sinh', code: null }],
    conditions: 'Người đi đăng ký khai sinh phải xuất trình giấy tờ tùy thân.',
    nationalAgencyText: null,
    sourceUrl: null,
    original: { levels: '', subjects: '', channels: '', documents: '', steps: '', legalBases: '', results: '' },
    local: null,
  },
}

const withContent = (c: Partial<DiffSide['content']>, top: Partial<DiffSide> = {}): DiffSide => ({ ...base, ...top, content: { ...base.content, ...c } })
const joinParts = (parts: { value: string; added: boolean; removed: boolean }[], side: 'before' | 'after') =>
  parts
    .filter((p) => (side === 'before' ? !p.added : !p.removed))
    .map((p) => p.value)
    .join('')

describe('diffVersions (issue 4 §5: version history with a readable diff)', () => {
  it('finds nothing between a version and itself', () => {
    expect(diffVersions(base, structuredClone(base))).toEqual([])
  })

  it.each<[string, DiffSide, string[]]>([
    ['name', { ...base, name: 'Thủ tục đăng ký khai sinh lưu động' }, ['name']],
    ['online level and its reason', { ...base, onlineLevel: 'partial', partialReason: 'Phải có mặt để ký sổ.' }, ['onlineLevel', 'partialReason']],
    ['levels', { ...base, levels: ['commune', 'province'] }, ['levels']],
    ['agencies', { ...base, agencies: [...base.agencies, { ref: '@ttpvhcc-xa', role: 'receiving', name: 'TTPVHCC xã' }] }, ['agencies']],
    ['a fee', withContent({ channels: [{ ...base.content.channels[0]!, fee: { kind: 'amount', amountVnd: 8000, original: '8.000 đồng', note: null } }] }), ['channels']],
    ['local time', withContent({ local: { time: { kind: 'working_days', value: 2, original: '2' }, fee: null, note: null } }), ['local']],
    ['a legal basis', withContent({ legalBases: [] }), ['legalBases']],
    ['due date', { ...base, duePublishBy: '2026-11-30T10:00:00.000Z' }, ['duePublishBy']],
  ])('reports a change of %s under its own key', (_what, after, keys) => {
    expect(changedFields(base, after)).toEqual(keys)
  })

  it('gives the label and the values before and after in the reader’s language', () => {
    const [vi] = diffVersions(base, { ...base, levels: ['province'] }, 'vi')
    expect(vi).toMatchObject({ key: 'levels', label: 'Cấp thực hiện', kind: 'value', before: 'Cấp xã', after: 'Cấp tỉnh' })
    const [en] = diffVersions(base, { ...base, levels: ['province'] }, 'en')
    expect(en).toMatchObject({ label: 'Levels', before: 'Commune', after: 'Province' })
  })

  it('marks the changed words of a long Vietnamese text, and the parts rebuild both texts', () => {
    const after = withContent({ conditions: 'Người đi đăng ký khai sinh phải xuất trình căn cước hoặc hộ chiếu.' })
    const [c] = diffVersions(base, after)
    expect(c?.key).toBe('conditions')
    const parts = c!.parts!
    expect(joinParts(parts, 'before')).toBe(base.content.conditions)
    expect(joinParts(parts, 'after')).toBe(after.content.conditions)
    // Whole Vietnamese words are the unit: "giấy tờ tùy thân" is removed, "căn cước hoặc hộ chiếu" added, "xuất trình" kept.
    expect(parts.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(['giấy tờ tùy thân'])
    expect(parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['căn cước hoặc hộ chiếu'])
    expect(parts.some((p) => !p.added && !p.removed && p.value.includes('xuất trình'))).toBe(true)
  })

  it('shows a document whose counts changed as one changed line, and a new document as an added line', () => {
    const docs = base.content.cases[0]!.documents
    const after = withContent({
      cases: [{ name: null, documents: [docs[0]!, { ...docs[1]!, copies: 1 }, { name: 'Giấy tờ tùy thân của người đi đăng ký', originals: 0, copies: 1, templates: [] }] }],
    })
    const [c] = diffVersions(base, after)
    expect(c?.key).toBe('cases')
    expect(c?.lines?.map((l) => l.op)).toEqual(['same', 'changed', 'added'])
    const changed = c!.lines![1]!
    expect(changed.parts?.filter((p) => p.removed).map((p) => p.value.trim())).toEqual(['0'])
    expect(changed.parts?.filter((p) => p.added).map((p) => p.value.trim())).toEqual(['1'])
    expect(c!.lines![2]!.text).toMatch(/^Giấy tờ tùy thân/)
  })

  it('names the case of each document, so moving a document between cases shows', () => {
    const docs = base.content.cases[0]!.documents
    const after = withContent({ cases: [{ name: 'Trẻ sinh ra tại cơ sở y tế', documents: docs }] })
    const lines = diffVersions(base, after)[0]!.lines!
    expect(lines.every((l) => l.op === 'changed')).toBe(true)
    expect(lines[0]!.text).toMatch(/^\[Trẻ sinh ra tại cơ sở y tế\] Tờ khai/)
  })
})

describe('lineDiff and wordDiff', () => {
  it('keeps unrelated replacements as a removal and an addition', () => {
    expect(lineDiff(['Giấy chứng sinh'], ['Văn bản ủy quyền có công chứng'])).toEqual([
      { op: 'removed', text: 'Giấy chứng sinh' },
      { op: 'added', text: 'Văn bản ủy quyền có công chứng' },
    ])
  })

  it('handles empty lists on either side', () => {
    expect(lineDiff([], ['a'])).toEqual([{ op: 'added', text: 'a' }])
    expect(lineDiff(['a'], [])).toEqual([{ op: 'removed', text: 'a' }])
    expect(lineDiff([], [])).toEqual([])
  })

  it('gives up on a word diff of texts that share nothing and are long, rather than spending seconds', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `a${i}`).join(' ')
    const b = Array.from({ length: 6000 }, (_, i) => `b${i}`).join(' ')
    const started = performance.now()
    expect(wordDiff(a, b)).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
