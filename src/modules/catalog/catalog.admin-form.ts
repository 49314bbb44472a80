import { tr, type Lang } from '../../shared/i18n.js'
import {
  CHANNELS,
  LEVELS,
  ONLINE_LEVELS,
  ProcedureEdit,
  SUBJECTS,
  TIME_UNITS,
  type ChannelRow,
  type Fee,
  type Level,
  type ProcedureDto,
  type ProcessingTime,
  type Subject,
} from './catalog.schemas.js'

// The edit form of /admin/thu-tuc/:code works without JavaScript: every row is a set of plain
// inputs named by path (`cases.0.documents.2.name`), rows are added by submit buttons that
// re-render the form, removed by a checkbox, and errors are keyed by the same paths.

export type FieldErrors = Record<string, string[]>

export interface TimeFields {
  kind: string
  value: string
  text: string
}
export interface FeeFields {
  kind: string
  amount: string
  text: string
  note: string
}
export interface DocumentFields {
  name: string
  originals: string
  copies: string
  templates: string
  /** Added by "add a document" in this session: dropped when left blank. */
  isNew: boolean
}

/** The form as strings, exactly as the officer sees and sends it. */
export interface EditFormState {
  expectedVersion: string
  changeNote: string
  name: string
  field: string
  levels: string[]
  subjects: string[]
  onlineLevel: string
  partialReason: string
  partialLegalBasis: string
  duePublishBy: string
  conditions: string
  agencies: { ref: string; role: string }[]
  channels: { channel: string; time: TimeFields; fee: FeeFields; description: string }[]
  local: { time: TimeFields; fee: FeeFields }
  cases: { name: string; documents: DocumentFields[] }[]
  legalBases: { code: string; title: string; effectiveFrom: string }[]
}

/** `cases.0.documents.2.name` → `f-cases-0-documents-2-name` (ids without dots, for CSS and tests). */
export const fieldId = (name: string) => `f-${name.replace(/\./g, '-')}`

const VALUE_UNITS = TIME_UNITS as readonly string[]

/** A date in Vietnam ('YYYY-MM-DD') of an instant. */
export function vnDate(iso: string): string {
  return new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 10)
}

function timeFields(t: ProcessingTime | null | undefined): TimeFields {
  if (!t) return { kind: '', value: '', text: '' }
  if (t.kind === 'same_day') return { kind: 'same_day', value: '', text: '' }
  if (t.kind === 'unparsed') return { kind: 'unparsed', value: '', text: t.original }
  return { kind: t.kind, value: String(t.value), text: '' }
}

function feeFields(f: Fee | null | undefined): FeeFields {
  if (!f) return { kind: '', amount: '', text: '', note: '' }
  return { kind: f.kind, amount: f.kind === 'amount' ? String(f.amountVnd) : '', text: f.kind === 'unparsed' ? f.original : '', note: f.note ?? '' }
}

/** The form filled with a version of the procedure. */
export function formStateOf(p: ProcedureDto): EditFormState {
  const c = p.content
  return {
    expectedVersion: String(p.latestVersion),
    changeNote: '',
    name: p.name,
    field: p.field,
    levels: [...p.levels],
    subjects: [...p.subjects],
    onlineLevel: p.onlineLevel ?? '',
    partialReason: p.partialReason ?? '',
    partialLegalBasis: p.partialLegalBasis ?? '',
    duePublishBy: p.duePublishBy ? vnDate(p.duePublishBy) : '',
    conditions: c.conditions ?? '',
    agencies: p.agencies.map((a) => ({ ref: a.ref, role: a.role })),
    channels: c.channels.map((r) => ({ channel: r.channel, time: timeFields(r.time), fee: feeFields(r.fee), description: r.description ?? '' })),
    local: { time: timeFields(c.local?.time), fee: feeFields(c.local?.fee) },
    cases: c.cases.map((k) => ({
      name: k.name ?? '',
      documents: k.documents.map((d) => ({ name: d.name, originals: String(d.originals), copies: String(d.copies), templates: d.templates.join('; '), isNew: false })),
    })),
    legalBases: c.legalBases.map((b) => ({ code: b.code ?? '', title: b.title, effectiveFrom: b.effectiveFrom ?? '' })),
  }
}

// ---- reading the posted form ------------------------------------------------------------------

export type FormBody = Record<string, string | string[] | undefined>

const MAX_ROWS = 120

const one = (b: FormBody, k: string): string => {
  const v = b[k]
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).replace(/\r\n/g, '\n')
}
const many = (b: FormBody, k: string): string[] => {
  const v = b[k]
  return Array.isArray(v) ? v : v === undefined ? [] : [v]
}

/** The row indexes present under `prefix.` (in order), dropping rows marked for removal. */
function rows(b: FormBody, prefix: string): number[] {
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d{1,4})\\.`)
  const found = new Set<number>()
  for (const k of Object.keys(b)) {
    const m = re.exec(k)
    if (m) found.add(Number(m[1]))
  }
  return [...found]
    .sort((x, y) => x - y)
    .slice(0, MAX_ROWS)
    .filter((i) => one(b, `${prefix}.${i}.remove`) !== '1')
}

const timeOf = (b: FormBody, p: string): TimeFields => ({ kind: one(b, `${p}timeKind`), value: one(b, `${p}timeValue`).trim(), text: one(b, `${p}timeText`) })
const feeOf = (b: FormBody, p: string): FeeFields => ({ kind: one(b, `${p}feeKind`), amount: one(b, `${p}feeAmount`).trim(), text: one(b, `${p}feeText`), note: one(b, `${p}feeNote`) })

/** The posted form as state (rows marked for removal left out, indexes renumbered). */
export function formStateFromBody(b: FormBody): EditFormState {
  return {
    expectedVersion: one(b, 'expectedVersion'),
    changeNote: one(b, 'changeNote'),
    name: one(b, 'name'),
    field: one(b, 'field'),
    levels: many(b, 'levels'),
    subjects: many(b, 'subjects'),
    onlineLevel: one(b, 'onlineLevel'),
    partialReason: one(b, 'partialReason'),
    partialLegalBasis: one(b, 'partialLegalBasis'),
    duePublishBy: one(b, 'duePublishBy').trim(),
    conditions: one(b, 'conditions'),
    agencies: rows(b, 'agencies').map((i) => ({ ref: one(b, `agencies.${i}.ref`), role: one(b, `agencies.${i}.role`) })),
    channels: rows(b, 'channels').map((i) => ({
      channel: one(b, `channels.${i}.channel`),
      time: timeOf(b, `channels.${i}.`),
      fee: feeOf(b, `channels.${i}.`),
      description: one(b, `channels.${i}.description`),
    })),
    local: { time: timeOf(b, 'local.'), fee: feeOf(b, 'local.') },
    cases: rows(b, 'cases').map((i) => ({
      name: one(b, `cases.${i}.name`),
      documents: rows(b, `cases.${i}.documents`).map((k) => {
        const p = `cases.${i}.documents.${k}.`
        return { name: one(b, `${p}name`), originals: one(b, `${p}originals`).trim(), copies: one(b, `${p}copies`).trim(), templates: one(b, `${p}templates`), isNew: one(b, `${p}isNew`) === '1' }
      }),
    })),
    legalBases: rows(b, 'legalBases').map((i) => ({ code: one(b, `legalBases.${i}.code`), title: one(b, `legalBases.${i}.title`), effectiveFrom: one(b, `legalBases.${i}.effectiveFrom`).trim() })),
  }
}

/** What the submit button asked for: save, or add a row somewhere (nothing is saved then). */
export type FormAction = { kind: 'save' } | { kind: 'add'; list: 'agencies' | 'channels' | 'cases' | 'legalBases' } | { kind: 'add'; list: 'documents'; caseIndex: number }

export function formActionOf(b: FormBody): FormAction {
  const a = one(b, '_action')
  const m = /^add:(agencies|channels|cases|legalBases)$/.exec(a)
  if (m) return { kind: 'add', list: m[1] as 'agencies' | 'channels' | 'cases' | 'legalBases' }
  const d = /^add:documents:(\d{1,4})$/.exec(a)
  if (d) return { kind: 'add', list: 'documents', caseIndex: Number(d[1]) }
  return { kind: 'save' }
}

const blankTime = (): TimeFields => ({ kind: '', value: '', text: '' })
const blankFee = (): FeeFields => ({ kind: '', amount: '', text: '', note: '' })
const blankDocument = (): DocumentFields => ({ name: '', originals: '1', copies: '0', templates: '', isNew: true })

/** The state with one more blank row where the officer asked for it. */
export function withRowAdded(s: EditFormState, a: Extract<FormAction, { kind: 'add' }>): EditFormState {
  switch (a.list) {
    case 'agencies':
      return { ...s, agencies: [...s.agencies, { ref: '', role: 'competent' }] }
    case 'channels':
      return { ...s, channels: [...s.channels, { channel: '', time: blankTime(), fee: blankFee(), description: '' }] }
    case 'cases':
      return { ...s, cases: [...s.cases, { name: '', documents: [blankDocument()] }] }
    case 'legalBases':
      return { ...s, legalBases: [...s.legalBases, { code: '', title: '', effectiveFrom: '' }] }
    case 'documents':
      return { ...s, cases: s.cases.map((c, i) => (i === a.caseIndex ? { ...c, documents: [...c.documents, blankDocument()] } : c)) }
  }
}

// ---- from the form to an edit --------------------------------------------------------------

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
const vnd = new Intl.NumberFormat('vi-VN')

const TIME_WORDS: Record<(typeof TIME_UNITS)[number], string> = {
  working_days: 'ngày làm việc',
  calendar_days: 'ngày',
  working_hours: 'giờ làm việc',
  hours: 'giờ',
  calendar_months: 'tháng',
}

function sameTime(a: ProcessingTime, b: ProcessingTime): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === 'unparsed' && b.kind === 'unparsed') return a.original === b.original
  if ('value' in a && 'value' in b) return a.value === b.value
  return true
}

function sameFeeValue(a: Fee, b: Fee): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === 'amount' && b.kind === 'amount') return a.amountVnd === b.amountVnd
  if (a.kind === 'unparsed' && b.kind === 'unparsed') return a.original === b.original
  return true
}

/**
 * Reads the form into an edit against the current version `cur`: every problem is collected
 * (none is fatal to the others); values the officer did not touch keep their published original
 * text, so an edit of one fee does not rewrite the others.
 */
export function editFromForm(s: EditFormState, cur: ProcedureDto, agencyLabels: Map<string, string>, lang: Lang): { edit: ProcedureEdit; errors: FieldErrors } {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  const errors: FieldErrors = {}
  const err = (k: string, m: string) => (errors[k] ??= []).push(m)
  const text = (v: string) => v.trim()

  const expectedVersion = Number(s.expectedVersion)
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) err('form', t('Biểu mẫu thiếu số phiên bản, hãy tải lại trang.', 'The form lacks its version; reload the page.'))
  const changeNote = text(s.changeNote)
  if (changeNote.length < 3) err('changeNote', t('Cần ghi nội dung thay đổi (ít nhất 3 ký tự).', 'Describe the change (at least 3 characters).'))
  if (changeNote.length > 500) err('changeNote', t('Nội dung thay đổi tối đa 500 ký tự.', 'At most 500 characters.'))
  const name = text(s.name)
  if (name.length < 3 || name.length > 1200) err('name', t('Tên thủ tục từ 3 đến 1.200 ký tự.', 'The name must have 3 to 1,200 characters.'))
  const field = text(s.field)
  if (field.length < 2 || field.length > 300) err('field', t('Lĩnh vực từ 2 đến 300 ký tự.', 'The field must have 2 to 300 characters.'))
  const levels = s.levels.filter((l): l is Level => (LEVELS as readonly string[]).includes(l))
  if (!levels.length) err('levels', t('Chọn ít nhất một cấp thực hiện.', 'Choose at least one level.'))
  const subjects = s.subjects.filter((x): x is Subject => (SUBJECTS as readonly string[]).includes(x))
  const onlineLevel = (ONLINE_LEVELS as readonly string[]).includes(s.onlineLevel) ? (s.onlineLevel as ProcedureDto['onlineLevel']) : null
  if (s.onlineLevel && !onlineLevel) err('onlineLevel', t('Mức độ trực tuyến không hợp lệ.', 'Unknown online level.'))
  const partialReason = text(s.partialReason)
  if (onlineLevel === 'partial' && !partialReason) err('partialReason', t('Thủ tục trực tuyến một phần phải công bố lý do (Nghị định 224/2026, Điều 14).', 'A partly-online procedure must publish its reason (Decree 224/2026, Art. 14).'))
  if (partialReason.length > 1000) err('partialReason', t('Tối đa 1.000 ký tự.', 'At most 1,000 characters.'))
  const partialLegalBasis = text(s.partialLegalBasis)
  if (partialLegalBasis.length > 500) err('partialLegalBasis', t('Tối đa 500 ký tự.', 'At most 500 characters.'))
  const conditions = text(s.conditions)
  if (conditions.length > 20000) err('conditions', t('Tối đa 20.000 ký tự.', 'At most 20,000 characters.'))

  let duePublishBy: string | null = null
  if (s.duePublishBy) {
    if (!isDate(s.duePublishBy)) err('duePublishBy', t('Ngày không hợp lệ (năm-tháng-ngày).', 'Not a valid date (YYYY-MM-DD).'))
    // Unchanged date: keep the instant as published; a new date is due by the end of that day in Vietnam.
    else duePublishBy = cur.duePublishBy && vnDate(cur.duePublishBy) === s.duePublishBy ? cur.duePublishBy : `${s.duePublishBy}T23:59:59+07:00`
  }

  const agencies: NonNullable<ProcedureEdit['agencies']> = []
  s.agencies.forEach((a, i) => {
    if (!a.ref) return err(`agencies.${i}.ref`, t('Chọn cơ quan.', 'Choose an agency.'))
    if (a.role !== 'competent' && a.role !== 'receiving') return err(`agencies.${i}.role`, t('Chọn vai trò.', 'Choose a role.'))
    // An agency kept keeps the name published with the procedure; a new one takes the organisation's name.
    const label = cur.agencies.find((x) => x.ref === a.ref)?.label ?? agencyLabels.get(a.ref) ?? a.ref
    agencies.push({ ref: a.ref, role: a.role, label })
  })

  const readTime = (f: TimeFields, key: string, previous: ProcessingTime[]): ProcessingTime | null | undefined => {
    let time: ProcessingTime | undefined
    if (!f.kind) return null
    if (VALUE_UNITS.includes(f.kind)) {
      const v = Number(f.value.replace(',', '.'))
      if (!f.value || !Number.isFinite(v) || v < 0 || v > 3650) {
        err(`${key}timeValue`, t('Nhập số từ 0 đến 3.650.', 'Enter a number from 0 to 3,650.'))
        return undefined
      }
      const kind = f.kind as (typeof TIME_UNITS)[number]
      time = { kind, value: v, original: `${String(v).replace('.', ',')} ${TIME_WORDS[kind]}` }
    } else if (f.kind === 'same_day') time = { kind: 'same_day', original: 'Trong ngày' }
    else if (f.kind === 'unparsed') {
      // A text kept as published (even empty) stays as it was; a new one must say something.
      const kept = previous.find((p) => p.kind === 'unparsed' && p.original.trim() === text(f.text))
      if (kept) return kept
      if (!text(f.text)) {
        err(`${key}timeText`, t('Ghi thời hạn bằng lời khi không chọn đơn vị.', 'Write the time limit out when no unit is chosen.'))
        return undefined
      }
      time = { kind: 'unparsed', original: text(f.text), reason: 'as published' }
    } else {
      err(`${key}timeKind`, t('Đơn vị thời hạn không hợp lệ.', 'Unknown unit.'))
      return undefined
    }
    const parsed = time
    return previous.find((p) => sameTime(p, parsed)) ?? parsed
  }
  const readFee = (f: FeeFields, key: string, previous: Fee[]): Fee | null | undefined => {
    const note = text(f.note) || null
    let fee: Fee
    if (!f.kind) return null
    if (f.kind === 'amount') {
      const v = Number(f.amount.replace(/[.\s]/g, ''))
      if (!f.amount || !Number.isInteger(v) || v < 0 || v > 1e12) {
        err(`${key}feeAmount`, t('Nhập số tiền (đồng), số nguyên không âm.', 'Enter the amount in VND, a whole number.'))
        return undefined
      }
      fee = { kind: 'amount', amountVnd: v, original: `${vnd.format(v)} đồng`, note }
    } else if (f.kind === 'free') fee = { kind: 'free', original: 'Miễn phí', note }
    else if (f.kind === 'council') fee = { kind: 'council', original: 'Do Hội đồng nhân dân tỉnh quyết định', note }
    else if (f.kind === 'unparsed') {
      const kept = previous.find((p) => p.kind === 'unparsed' && p.original.trim() === text(f.text))
      if (kept) return { ...kept, note }
      if (!text(f.text)) {
        err(`${key}feeText`, t('Ghi mức phí bằng lời khi không chọn loại.', 'Write the fee out when no kind is chosen.'))
        return undefined
      }
      fee = { kind: 'unparsed', original: text(f.text), note, reason: 'as published' }
    } else {
      err(`${key}feeKind`, t('Loại phí không hợp lệ.', 'Unknown fee kind.'))
      return undefined
    }
    const same = previous.find((p) => sameFeeValue(p, fee))
    return same ? { ...same, note } : fee
  }

  const channels: ChannelRow[] = []
  s.channels.forEach((r, i) => {
    const key = `channels.${i}.`
    if (!r.channel && !r.time.kind && !r.fee.kind && !text(r.description)) return
    if (!(CHANNELS as readonly string[]).includes(r.channel)) err(`${key}channel`, t('Chọn hình thức nộp.', 'Choose a channel.'))
    if (!r.time.kind) err(`${key}timeKind`, t('Chọn đơn vị thời hạn.', 'Choose the unit of the time limit.'))
    if (!r.fee.kind) err(`${key}feeKind`, t('Chọn loại phí, lệ phí.', 'Choose the kind of fee.'))
    const time = readTime(r.time, key, cur.content.channels.map((c) => c.time))
    const fee = readFee(r.fee, key, cur.content.channels.map((c) => c.fee))
    if (time && fee && (CHANNELS as readonly string[]).includes(r.channel)) channels.push({ channel: r.channel as ChannelRow['channel'], time, fee, description: text(r.description) || null })
  })
  const prevLocal = cur.content.local
  const localTime = readTime(s.local.time, 'local.', prevLocal?.time ? [prevLocal.time] : [])
  const localFee = readFee(s.local.fee, 'local.', prevLocal?.fee ? [prevLocal.fee] : [])

  const count = (v: string, key: string): number => {
    const n = Number(v)
    if (v === '' || !Number.isInteger(n) || n < 0 || n > 99) {
      err(key, t('Số bản từ 0 đến 99.', 'A number of copies from 0 to 99.'))
      return 0
    }
    return n
  }
  const cases: NonNullable<ProcedureEdit['cases']> = []
  s.cases.forEach((c, i) => {
    const documents: NonNullable<ProcedureEdit['cases']>[number]['documents'] = []
    c.documents.forEach((d, k) => {
      const key = `cases.${i}.documents.${k}.`
      if (d.isNew && !text(d.name) && !text(d.templates)) return
      if (!text(d.name)) err(`${key}name`, t('Cần nhập tên giấy tờ (hoặc đánh dấu xóa dòng này).', 'Enter the document name (or mark the row for removal).'))
      else if (text(d.name).length > 6000) err(`${key}name`, t('Tối đa 6.000 ký tự.', 'At most 6,000 characters.'))
      const originals = count(d.originals, `${key}originals`)
      const copies = count(d.copies, `${key}copies`)
      const templates = d.templates
        .split(/[;\n]/)
        .map((x) => x.trim())
        .filter(Boolean)
      documents.push({ name: text(d.name), originals, copies, templates })
    })
    if (!text(c.name) && !documents.length) return
    cases.push({ name: text(c.name) || null, documents })
  })

  const legalBases: NonNullable<ProcedureEdit['legalBases']> = []
  s.legalBases.forEach((b, i) => {
    const key = `legalBases.${i}.`
    if (!text(b.code) && !text(b.title) && !b.effectiveFrom) return
    if (text(b.title).length < 3) err(`${key}title`, t('Cần nhập tên văn bản.', 'Enter the title of the text.'))
    if (b.effectiveFrom && !isDate(b.effectiveFrom)) err(`${key}effectiveFrom`, t('Ngày không hợp lệ (năm-tháng-ngày).', 'Not a valid date (YYYY-MM-DD).'))
    legalBases.push({ code: text(b.code) || null, title: text(b.title), effectiveFrom: b.effectiveFrom && isDate(b.effectiveFrom) ? b.effectiveFrom : null })
  })

  const edit: ProcedureEdit = {
    expectedVersion,
    changeNote,
    name,
    field,
    levels,
    subjects,
    onlineLevel,
    partialReason: partialReason || null,
    partialLegalBasis: partialLegalBasis || null,
    agencies,
    conditions: conditions || null,
    duePublishBy,
    channels,
    cases,
    legalBases,
    ...(localTime !== undefined ? { localTime } : {}),
    ...(localFee !== undefined ? { localFee } : {}),
  }
  // The API's own schema has the last word; anything it still refuses is shown at the top.
  if (!Object.keys(errors).length) {
    const checked = ProcedureEdit.safeParse(edit)
    if (!checked.success) for (const i of checked.error.issues) err(i.path.join('.') || 'form', i.message)
  }
  return { edit, errors }
}
