import { z } from 'zod'
import { parseIdentityNumber } from '../identity/index.js'

// The e-form of an online dossier: the applicant block (prefilled from the identity provider's
// claims), the procedure's own fields defined as data (online_form_definitions), and the required
// documents of the chosen case from the catalogue. Validation is pure and reports every problem
// at once, each under the name of its input.

/** One extra field of a procedure's e-form, stored as data per procedure code. */
export const FormField = z.object({
  name: z.string().regex(/^[a-z][A-Za-z0-9]{0,40}$/),
  label: z.string().min(1).max(200),
  type: z.enum(['text', 'textarea', 'date', 'select', 'id_number']),
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(2000).default(200),
  /** For `select`. */
  options: z.array(z.object({ value: z.string().max(60), label: z.string().max(200) })).default([]),
  hint: z.string().max(300).optional(),
  /** A heading the field is grouped under ("Thông tin người được khai sinh"). */
  section: z.string().max(120).optional(),
  /** For `date`: not later than today (a birth, an event that happened). */
  past: z.boolean().default(false),
})
export type FormField = z.infer<typeof FormField>

export const FormDefinition = z.object({
  fields: z.array(FormField).max(60),
  /** The time limit an online dossier follows when the catalogue's published time cannot be read (stated with the definition). */
  defaultLimit: z.object({ amount: z.number().int().min(0).max(365), unit: z.enum(['working_days', 'calendar_days', 'working_hours', 'same_day']) }).nullable(),
})
export type FormDefinition = z.infer<typeof FormDefinition>

const GENDER = [
  { value: 'nam', label: 'Nam' },
  { value: 'nu', label: 'Nữ' },
]

/** Demo definitions: birth registration, marriage registration, a household business. */
export const DEMO_FORM_DEFINITIONS: Record<string, FormDefinition> = {
  // Thủ tục đăng ký khai sinh (Luật Hộ tịch 2014, Điều 16; tờ khai theo Thông tư 04/2024/TT-BTP).
  '1.001193': {
    defaultLimit: { amount: 3, unit: 'working_days' },
    fields: [
      { name: 'childName', label: 'Họ, chữ đệm, tên của trẻ', type: 'text', required: true, maxLength: 120, options: [], section: 'Người được khai sinh', past: false },
      { name: 'childGender', label: 'Giới tính của trẻ', type: 'select', required: true, maxLength: 10, options: GENDER, section: 'Người được khai sinh', past: false },
      { name: 'childBirthDate', label: 'Ngày, tháng, năm sinh', type: 'date', required: true, maxLength: 10, options: [], section: 'Người được khai sinh', past: true },
      { name: 'childBirthPlace', label: 'Nơi sinh', type: 'text', required: true, maxLength: 300, options: [], hint: 'Tên cơ sở y tế, hoặc địa chỉ nơi sinh.', section: 'Người được khai sinh', past: false },
      { name: 'fatherName', label: 'Họ, chữ đệm, tên của cha', type: 'text', required: false, maxLength: 120, options: [], hint: 'Bỏ trống nếu chưa xác định được cha.', section: 'Cha, mẹ của trẻ', past: false },
      { name: 'fatherIdNumber', label: 'Số định danh cá nhân của cha', type: 'id_number', required: false, maxLength: 12, options: [], section: 'Cha, mẹ của trẻ', past: false },
      { name: 'motherName', label: 'Họ, chữ đệm, tên của mẹ', type: 'text', required: true, maxLength: 120, options: [], section: 'Cha, mẹ của trẻ', past: false },
      { name: 'motherIdNumber', label: 'Số định danh cá nhân của mẹ', type: 'id_number', required: false, maxLength: 12, options: [], section: 'Cha, mẹ của trẻ', past: false },
      {
        name: 'relationship',
        label: 'Quan hệ của người đi đăng ký với trẻ',
        type: 'select',
        required: true,
        maxLength: 20,
        options: [
          { value: 'cha', label: 'Cha' },
          { value: 'me', label: 'Mẹ' },
          { value: 'ong-ba', label: 'Ông, bà' },
          { value: 'khac', label: 'Người thân thích khác' },
        ],
        section: 'Cha, mẹ của trẻ',
        past: false,
      },
    ],
  },
  // Thủ tục đăng ký kết hôn.
  '1.000894': {
    defaultLimit: { amount: 3, unit: 'working_days' },
    fields: [
      { name: 'partnerName', label: 'Họ, chữ đệm, tên của bên kia', type: 'text', required: true, maxLength: 120, options: [], section: 'Người kết hôn cùng', past: false },
      { name: 'partnerIdNumber', label: 'Số định danh cá nhân của bên kia', type: 'id_number', required: true, maxLength: 12, options: [], section: 'Người kết hôn cùng', past: false },
      { name: 'partnerBirthDate', label: 'Ngày sinh của bên kia', type: 'date', required: true, maxLength: 10, options: [], section: 'Người kết hôn cùng', past: true },
      { name: 'partnerAddress', label: 'Nơi cư trú của bên kia', type: 'text', required: true, maxLength: 300, options: [], section: 'Người kết hôn cùng', past: false },
    ],
  },
  // Đăng ký thành lập hộ kinh doanh (3 working days: Decree 01/2021/NĐ-CP, Art. 87).
  '1.001612': {
    defaultLimit: { amount: 3, unit: 'working_days' },
    fields: [
      { name: 'businessName', label: 'Tên hộ kinh doanh', type: 'text', required: true, maxLength: 200, options: [], section: 'Hộ kinh doanh', past: false },
      { name: 'businessAddress', label: 'Địa chỉ trụ sở', type: 'text', required: true, maxLength: 300, options: [], section: 'Hộ kinh doanh', past: false },
      { name: 'businessLine', label: 'Ngành, nghề kinh doanh', type: 'textarea', required: true, maxLength: 1000, options: [], section: 'Hộ kinh doanh', past: false },
      { name: 'capital', label: 'Vốn kinh doanh (đồng)', type: 'text', required: true, maxLength: 20, options: [], hint: 'Chỉ ghi số, ví dụ 100000000.', section: 'Hộ kinh doanh', past: false },
    ],
  },
}

/** The applicant block, prefilled from the identity provider's claims. */
export const APPLICANT_FIELDS = [
  { name: 'applicant.fullName', label: 'Họ, chữ đệm, tên', autocomplete: 'name', required: true },
  { name: 'applicant.idNumber', label: 'Số định danh cá nhân', autocomplete: 'off', required: true },
  { name: 'applicant.birthDate', label: 'Ngày sinh', autocomplete: 'bday', required: false },
  { name: 'applicant.phone', label: 'Số điện thoại', autocomplete: 'tel', required: true },
  { name: 'applicant.email', label: 'Thư điện tử (không bắt buộc)', autocomplete: 'email', required: false },
  { name: 'applicant.address', label: 'Địa chỉ cư trú', autocomplete: 'street-address', required: true },
] as const

/** A required document of the chosen case, as the catalogue lists it. */
export interface Requirement {
  name: string
  originals: number
  copies: number
  /** "(nếu có)", "trường hợp …": asked only in some situations. */
  optional: boolean
}

/**
 * Whether the catalogue's wording makes a document conditional: "(nếu có)", "(nếu …)",
 * "Trường hợp …", "Đối với …", "… trong trường hợp …" (after any "(iv)", "a)", "-" numbering).
 */
export function isConditional(name: string): boolean {
  const s = name.normalize('NFC').trim().toLowerCase().replace(/^(\(?[ivxlc\d]+\)|[a-zđ]\)|[-+•*])\s*/u, '')
  return /nếu có|\(nếu /.test(s) || /^(trường hợp|đối với)/.test(s) || /trong trường hợp/.test(s)
}

/** The catalogue's "interactive electronic form" requirement is this e-form itself: nothing to upload. */
export function isTheEForm(name: string): boolean {
  return /điện tử tương tác/i.test(name.normalize('NFC'))
}

/** Catalogue "cases" that are only headings ("* Giấy tờ phải nộp:", "* Lưu ý:") are not cases to choose from. */
export function isHeading(caseName: string): boolean {
  return /^\s*\*/.test(caseName) || /:\s*$/.test(caseName)
}

/** What the form holds for one requirement: a document uploaded (now or into the draft) or a wallet item. */
export interface ProvidedDocument {
  position: number
  documentId?: string | undefined
  walletItemId?: string | undefined
}

export interface FormInput {
  values: Record<string, string>
  definition: FormDefinition | undefined
  cases: string[]
  communes: string[]
  /** The procedure is decided at commune level: a commune must be chosen. */
  communeRequired: boolean
  requirements: Requirement[]
  provided: ProvidedDocument[]
  today: Date
}

export interface CleanForm {
  caseName: string | undefined
  communeCode: string | undefined
  applicant: { fullName: string; idNumber: string; birthDate?: string | undefined; phone: string; email?: string | undefined; address: string }
  extra: Record<string, string>
}

export type FieldErrors = Record<string, string[]>

const vnToday = (now: Date) => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10)

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}

const PHONE = /^(\+84|0)\d{9,10}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Checks the whole form; every problem under its input's name, none left out. `final` (submit)
 * also requires the required fields and documents; a draft only checks what was typed.
 */
export function checkForm(input: FormInput, opts: { final: boolean }): { errors: FieldErrors; clean: CleanForm } {
  const errors: FieldErrors = {}
  const add = (field: string, message: string) => (errors[field] ??= []).push(message)
  const v = (k: string) => (input.values[k] ?? '').normalize('NFC').trim()
  const today = vnToday(input.today)

  const caseName = v('caseName') || undefined
  if (caseName && !input.cases.includes(caseName)) add('caseName', 'Trường hợp đã chọn không có trong thủ tục.')
  if (opts.final && !caseName && input.cases.length > 1) add('caseName', 'Cần chọn trường hợp của hồ sơ.')
  const communeCode = v('communeCode') || undefined
  if (communeCode && !input.communes.includes(communeCode)) add('communeCode', 'Xã, phường đã chọn không thuộc tỉnh.')
  if (opts.final && !communeCode && input.communeRequired) add('communeCode', 'Cần chọn xã, phường nơi nộp hồ sơ.')

  for (const f of APPLICANT_FIELDS) {
    const value = v(f.name)
    if (!value) {
      if (opts.final && f.required) add(f.name, `Cần nhập ${f.label.toLowerCase()}.`)
      continue
    }
    if (value.length > 300) add(f.name, 'Quá dài (tối đa 300 ký tự).')
  }
  const fullName = v('applicant.fullName')
  if (fullName && fullName.length < 2) add('applicant.fullName', 'Họ tên quá ngắn.')
  const idNumber = v('applicant.idNumber')
  if (idNumber) {
    const r = parseIdentityNumber(idNumber, { today: input.today })
    if (!r.ok) add('applicant.idNumber', r.problem)
  }
  const birth = v('applicant.birthDate')
  if (birth && (!isIsoDate(birth) || birth > today)) add('applicant.birthDate', 'Ngày sinh không hợp lệ (dạng năm-tháng-ngày, không sau hôm nay).')
  const phone = v('applicant.phone').replace(/[\s.]/g, '')
  if (phone && !PHONE.test(phone)) add('applicant.phone', 'Số điện thoại không hợp lệ (10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84).')
  const email = v('applicant.email')
  if (email && !EMAIL.test(email)) add('applicant.email', 'Địa chỉ thư điện tử không hợp lệ.')

  const extra: Record<string, string> = {}
  for (const f of input.definition?.fields ?? []) {
    const key = `extra.${f.name}`
    const value = v(key)
    if (!value) {
      if (opts.final && f.required) add(key, `Cần nhập ${f.label.charAt(0).toLowerCase()}${f.label.slice(1)}.`)
      continue
    }
    extra[f.name] = value
    if (value.length > f.maxLength) add(key, `Quá dài (tối đa ${f.maxLength} ký tự).`)
    else if (f.type === 'date' && (!isIsoDate(value) || (f.past && value > today))) add(key, f.past ? 'Ngày không hợp lệ (dạng năm-tháng-ngày, không sau hôm nay).' : 'Ngày không hợp lệ (dạng năm-tháng-ngày).')
    else if (f.type === 'select' && !f.options.some((o) => o.value === value)) add(key, 'Lựa chọn không hợp lệ.')
    else if (f.type === 'id_number') {
      const r = parseIdentityNumber(value, { today: input.today })
      if (!r.ok) add(key, r.problem)
    }
  }

  if (opts.final) {
    for (const [i, r] of input.requirements.entries()) {
      if (r.optional) continue
      if (!input.provided.some((p) => p.position === i)) add(`doc.${i}`, `Cần tải lên hoặc chọn từ kho giấy tờ: ${r.name.replace(/[.\s]+$/, '')}.`)
    }
  }

  return {
    errors,
    clean: {
      caseName,
      communeCode,
      applicant: { fullName, idNumber, birthDate: birth || undefined, phone, email: email || undefined, address: v('applicant.address') },
      extra,
    },
  }
}
