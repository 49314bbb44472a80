import { describe, expect, it } from 'vitest'
import { checkForm, DEMO_FORM_DEFINITIONS, FormDefinition, isConditional, isHeading, isTheEForm, type FormInput } from './online.forms.js'
import { reuseStatusOf } from './online.service.js'

const today = new Date('2026-11-26T02:00:00Z')
const base = (over: Partial<FormInput> = {}): FormInput => ({
  values: {
    'applicant.fullName': 'Nguyễn Thị Mai',
    'applicant.idNumber': '096190004512',
    'applicant.phone': '0918204512',
    'applicant.address': 'Khóm 3',
    'extra.childName': 'An',
    'extra.childGender': 'nam',
    'extra.childBirthDate': '2026-11-20',
    'extra.childBirthPlace': 'Bệnh viện',
    'extra.motherName': 'Mai',
    'extra.relationship': 'me',
    communeCode: '32002',
  },
  definition: DEMO_FORM_DEFINITIONS['1.001193'],
  cases: [],
  communes: ['32002'],
  communeRequired: true,
  requirements: [
    { name: 'Giấy chứng sinh', originals: 1, copies: 0, optional: false },
    { name: 'Văn bản ủy quyền (nếu có)', originals: 1, copies: 0, optional: true },
  ],
  provided: [{ position: 0 }],
  today,
  ...over,
})

describe('the e-form rules', () => {
  it('accepts a complete form and keeps only the defined extra fields', () => {
    const r = checkForm(base(), { final: true })
    expect(r.errors).toEqual({})
    expect(r.clean.extra).toMatchObject({ childName: 'An', relationship: 'me' })
    expect(r.clean.applicant.idNumber).toBe('096190004512')
  })

  it('reports every problem under its own field, none left out', () => {
    const r = checkForm(
      base({
        values: { ...base().values, 'extra.childName': '', 'extra.childBirthDate': '2026-12-01', 'applicant.phone': '12', 'extra.childGender': 'x', 'applicant.idNumber': '123', communeCode: '' },
        provided: [],
      }),
      { final: true },
    )
    expect(Object.keys(r.errors).sort()).toEqual(['applicant.idNumber', 'applicant.phone', 'communeCode', 'doc.0', 'extra.childBirthDate', 'extra.childGender', 'extra.childName'])
  })

  it('checks only what was typed for a draft', () => {
    const r = checkForm(base({ values: { 'extra.childBirthDate': '2026-02-30' }, provided: [] }), { final: false })
    expect(Object.keys(r.errors)).toEqual(['extra.childBirthDate'])
  })

  it.each([
    ['Văn bản ủy quyền (nếu có)', true],
    ['(iv) Trường hợp ủy quyền cho đơn vị cung cấp dịch vụ bưu chính', true],
    ['Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp)', true],
    ['Văn bản ủy quyền theo quy định của pháp luật trong trường hợp ủy quyền', true],
    ['Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng', false],
    ['Giấy đề nghị đăng ký hộ kinh doanh', false],
  ])('reads "%s" as conditional: %s', (name, expected) => {
    expect(isConditional(name)).toBe(expected)
  })

  it('tells headings and the e-form itself from documents', () => {
    expect(isHeading('* Giấy tờ phải nộp:')).toBe(true)
    expect(isHeading('Trường hợp đăng ký lần đầu')).toBe(false)
    expect(isTheEForm('Mẫu hộ tịch điện tử tương tác đăng ký khai sinh')).toBe(true)
  })

  it('maps wallet sources to the B §7.3 reuse statuses', () => {
    expect(reuseStatusOf('result')).toEqual({ digitisationStatus: 3, reuseKind: 2 })
    expect(reuseStatusOf('upload')).toEqual({ digitisationStatus: 2, reuseKind: 1 })
    expect(reuseStatusOf('digitised')).toEqual({ digitisationStatus: 2, reuseKind: 1 })
  })

  it('keeps the demo definitions valid against their own schema', () => {
    for (const d of Object.values(DEMO_FORM_DEFINITIONS)) expect(FormDefinition.safeParse(d).success).toBe(true)
  })
})
