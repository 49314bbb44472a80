import { z } from 'zod'
import {
  ProcedureCode,
  type Channel,
  type ChannelRow,
  type DocumentCase,
  type Fee,
  type LegalBasis,
  type Level,
  type ProcedureContent,
  type ProcessingTime,
  type RequiredDocument,
  type ResultDocument,
  type Subject,
} from './catalog.schemas.js'
import { cleanOrNull, cleanText, isBlank, PLACEHOLDER } from './catalog.text.js'

// Parsers for the national TTHC records as crawled from dichvucong.gov.vn (data/README §7). The
// portal flattened its tables into text without separators; each parser reads the structure
// the flattening left and, where a value cannot be read with certainty, keeps it as
// `unparsed` with the original text and says why. Nothing here guesses a unit or an amount.

/** One raw record of national-procedures.json.gz; every key is the portal's section name. */
export const RawNationalRecord = z.object({
  ma_thu_tuc: z.string(),
  ten_thu_tuc: z.string().default(''),
  so_quyet_dinh: z.string().default(''),
  cap_thuc_hien: z.string().default(''),
  loai_thu_tuc: z.string().default(''),
  linh_vuc: z.string().default(''),
  doi_tuong_thuc_hien: z.string().default(''),
  co_quan_co_tham_quyen: z.string().default(''),
  co_quan_thuc_hien: z.string().default(''),
  trinh_tu_thuc_hien: z.string().default(''),
  cach_thuc_thuc_hien: z.string().default(''),
  thanh_phan_ho_so: z.string().default(''),
  can_cu_phap_ly: z.string().default(''),
  yeu_cau_dieu_kien: z.string().default(''),
  ket_qua_xu_ly: z.string().default(''),
  detail_url: z.string().default(''),
})
export type RawNationalRecord = z.infer<typeof RawNationalRecord>

/** Fields the import report accounts for, in report order. */
export const REPORT_FIELDS = ['code', 'name', 'field', 'levels', 'decisionNo', 'subjects', 'time', 'fee', 'documents', 'legalBases', 'results', 'steps', 'conditions'] as const
export type ReportField = (typeof REPORT_FIELDS)[number]
/** parsed: all of it read; partial: some parts kept as original text; unparsed: none read; empty: no information given. */
export type FieldStatus = 'parsed' | 'partial' | 'unparsed' | 'empty'

export interface ParseIssue {
  field: ReportField
  message: string
  original: string
}

export interface ParsedNationalRecord {
  code: string
  name: string
  field: string
  levels: Level[]
  subjects: Subject[]
  content: ProcedureContent
  status: Record<ReportField, FieldStatus>
  issues: ParseIssue[]
}

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s)

// ---- levels and subjects -------------------------------------------------------------------

const LEVEL_LABELS: Record<string, Level> = { 'Cấp bộ': 'ministry', 'Cấp tỉnh': 'province', 'Cấp xã': 'commune', 'Cơ quan khác': 'other' }

/** "Cấp tỉnh, Cấp xã" → ['province', 'commune']; unknown labels are returned separately. */
export function parseLevels(text: string): { levels: Level[]; unknown: string[] } {
  const levels = new Set<Level>()
  const unknown: string[] = []
  for (const part of cleanText(text).split(/\s*,\s*/)) {
    if (!part) continue
    const l = LEVEL_LABELS[part]
    if (l) levels.add(l)
    else unknown.push(part)
  }
  return { levels: [...levels].sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b)), unknown }
}
const LEVEL_ORDER: Level[] = ['ministry', 'province', 'commune', 'other']

// Longest first: labels contain commas ("Cán bộ, công chức, viên chức"), so they are matched
// as whole labels rather than split on commas.
const SUBJECT_LABELS: [string, Subject][] = (
  [
    ['Tổ chức (không bao gồm doanh nghiệp, HTX)', 'organisation'],
    ['Người nước ngoài cư trú tại Việt Nam', 'citizen'],
    ['Người Việt Nam định cư ở nước ngoài', 'citizen'],
    ['Doanh nghiệp có vốn đầu tư nước ngoài', 'business'],
    ['Cán bộ, công chức, viên chức', 'citizen'],
    ['Doanh nghiệp Việt Nam', 'business'],
    ['Tổ chức nước ngoài', 'organisation'],
    ['Công dân Việt Nam', 'citizen'],
    ['Người nước ngoài', 'citizen'],
    ['Tổ chức Đảng', 'organisation'],
    ['Hợp tác xã', 'business'],
    ['Doanh nghiệp', 'business'],
    ['Đảng viên', 'citizen'],
  ] as [string, Subject][]
).sort((a, b) => b[0].length - a[0].length)

/** Target subjects: the portal's labels, and the three groups the portal filters by. */
export function parseSubjects(text: string): { subjects: Subject[]; labels: string[]; unknown: string[] } {
  let rest = cleanText(text)
  const subjects = new Set<Subject>()
  const labels: string[] = []
  const unknown: string[] = []
  while (rest.length) {
    const hit = SUBJECT_LABELS.find(([label]) => rest.startsWith(label))
    if (hit) {
      subjects.add(hit[1])
      labels.push(hit[0])
      rest = rest.slice(hit[0].length)
    } else {
      const comma = rest.indexOf(',')
      const part = (comma < 0 ? rest : rest.slice(0, comma)).trim()
      if (part) unknown.push(part)
      rest = comma < 0 ? '' : rest.slice(comma)
    }
    rest = rest.replace(/^[\s,;]+/, '')
  }
  return { subjects: SUBJECTS_ORDER.filter((s) => subjects.has(s)), labels, unknown }
}
const SUBJECTS_ORDER: Subject[] = ['citizen', 'business', 'organisation']

// ---- processing time and fees ----------------------------------------------------------------

const TIME_UNITS: [RegExp, Exclude<ProcessingTime['kind'], 'unparsed' | 'same_day'>][] = [
  [/^ngày làm việc$/i, 'working_days'],
  [/^ngày$/i, 'calendar_days'],
  [/^giờ làm việc$/i, 'working_hours'],
  [/^giờ$/i, 'hours'],
  [/^tháng$/i, 'calendar_months'],
]

/**
 * Reads one time cell ("3 Ngày làm việc", "15 Ngày", "1 Giờ", "Trong ngày"). A number without
 * a unit (the portal shows "1" for khai sinh) stays unparsed: the unit is not ours to guess.
 */
export function parseTimeCell(text: string): ProcessingTime {
  const original = cleanText(text)
  if (isBlank(original)) return { kind: 'unparsed', original: original || PLACEHOLDER, reason: 'no information' }
  const m = /^(\d+(?:[.,]\d+)?)\s*(ngày làm việc|ngày|giờ làm việc|giờ|tháng)\.?$/iu.exec(original)
  if (m?.[1] && m[2]) {
    const unit = TIME_UNITS.find(([re]) => re.test(m[2] as string))
    if (unit) return { kind: unit[1], value: Number(m[1].replace(',', '.')), original }
  }
  if (/^(trong ngày|ngay trong ngày|trả ngay|ngay)$/iu.test(original)) return { kind: 'same_day', original }
  if (/^\d+(?:[.,]\d+)?$/.test(original)) return { kind: 'unparsed', original, reason: 'number without a unit' }
  return { kind: 'unparsed', original, reason: 'not a time limit' }
}

const AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+|\d+)$/

/** "1,500,000" or "20.000" or "100" → VND; anything else (e.g. "1,5") → undefined. */
export function parseAmount(token: string): number | undefined {
  if (!AMOUNT.test(token)) return undefined
  return Number(token.replace(/[.,]/g, ''))
}

const COUNCIL = /Hội đồng nhân dân|HĐND/iu

/** Reads a fee value and its note as the portal shows them ("Miễn phí", "50,000 Việt Nam Đồng"). */
export function parseFeeCell(value: string, note: string | null): Fee {
  const original = cleanText(value)
  const n = note === null ? null : cleanOrNull(note)
  if (original === 'Miễn phí') {
    // The portal writes "Miễn phí" in the amount cell for fees the provincial council sets;
    // the note then says so, and the note is what a citizen must read.
    return n && COUNCIL.test(n) ? { kind: 'council', original, note: n } : { kind: 'free', original, note: n }
  }
  if (isBlank(original)) return { kind: 'unparsed', original: original || PLACEHOLDER, note: n, reason: 'no information' }
  const m = /^(\d[\d.,]*)\s*(?:VNĐ|Việt Nam Đồng|đồng|Đồng)$/u.exec(original)
  const amount = m?.[1] ? parseAmount(m[1]) : undefined
  if (amount !== undefined) return { kind: 'amount', amountVnd: amount, original, note: n }
  if (/do Hội đồng nhân dân|HĐND (tỉnh|cấp tỉnh) quyết định/iu.test(original)) return { kind: 'council', original, note: n }
  return { kind: 'unparsed', original, note: n, reason: 'not an amount' }
}

const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả'
const CHANNEL_NAMES: Record<string, Channel> = { 'Trực tuyến': 'online', 'Dịch vụ bưu chính': 'postal', 'Trực tiếp': 'in_person' }
// A row starts where a channel name is glued to its time cell (a digit or a capital letter);
// the same words inside a description are followed by a space or punctuation.
const CHANNEL_ROW = /(Trực tuyến|Dịch vụ bưu chính|Trực tiếp)(?=\d|\p{Lu})/gu
const TIME_WITH_UNIT = /^(\d+(?:[.,]\d+)?) ?(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng)/u
const MONEY = /^(\d[\d.,]*) ?(VNĐ|Việt Nam Đồng)/u
const FEE_START = /Miễn phí|Không có thông tin|\d[\d.,]* ?(?:VNĐ|Việt Nam Đồng)/u

/** Reads the text inside balanced parentheses at the start of `s`: [inner, rest]. */
function takeParenthesised(s: string): [string, string] {
  let depth = 0
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++
    else if (s[i] === ')' && --depth === 0) return [s.slice(1, i), s.slice(i + 1)]
  }
  return [s.slice(1), ''] // unbalanced: the note runs to the end
}

/**
 * One row after its channel name: time, fee value, optional "(note)", description. When a
 * bare number (no unit) is glued to an amount ("120,000 VNĐ"), the split is accepted only when
 * the thousands grouping allows exactly one reading ("1" + "20,000"); "1100 VNĐ" stays unparsed.
 */
export function parseChannelCell(cell: string): { time: ProcessingTime; fee: Fee; description: string | null } {
  let rest = cell
  let time: ProcessingTime
  let feeOverride: Fee | undefined
  const withUnit = TIME_WITH_UNIT.exec(rest)
  if (rest.startsWith(PLACEHOLDER)) {
    time = { kind: 'unparsed', original: PLACEHOLDER, reason: 'no information' }
    rest = rest.slice(PLACEHOLDER.length)
  } else if (withUnit) {
    time = parseTimeCell(withUnit[0])
    rest = rest.slice(withUnit[0].length)
  } else if (/^\d/.test(rest)) {
    const money = MONEY.exec(rest)
    if (money?.[1]) {
      const token = money[1]
      const splits: [string, string][] = []
      for (let i = 1; i < token.length; i++) {
        const t = token.slice(0, i)
        const f = token.slice(i)
        if (/^\d+$/.test(t) && /^[1-9]\d{0,2}(?:[.,]\d{3})+$/.test(f)) splits.push([t, f])
      }
      const only = splits.length === 1 ? splits[0] : undefined
      if (only) {
        time = { kind: 'unparsed', original: only[0], reason: 'number without a unit' }
        rest = rest.slice(only[0].length)
      } else {
        const original = money[0]
        time = { kind: 'unparsed', original, reason: 'time and fee run together; the split is ambiguous' }
        feeOverride = { kind: 'unparsed', original, note: null, reason: 'time and fee run together; the split is ambiguous' }
        rest = rest.slice(original.length)
      }
    } else {
      const num = /^\d+(?:[.,]\d+)?/.exec(rest)?.[0] ?? ''
      time = parseTimeCell(num)
      rest = rest.slice(num.length)
    }
  } else {
    const at = FEE_START.exec(rest)
    const text = at ? rest.slice(0, at.index) : rest
    time = parseTimeCell(text)
    rest = rest.slice(text.length)
  }

  let value = ''
  if (!feeOverride) {
    const money = MONEY.exec(rest)
    if (rest.startsWith('Miễn phí')) value = 'Miễn phí'
    else if (rest.startsWith(PLACEHOLDER)) value = PLACEHOLDER
    else if (money) value = money[0]
    rest = rest.slice(value.length)
  }
  let note: string | null = null
  if (rest.startsWith('(')) {
    const [inner, after] = takeParenthesised(rest)
    // "((Miễn lệ phí …))": a redundant second pair is dropped.
    const twice = inner.startsWith('(') && takeParenthesised(inner)[1].trim() === ''
    note = cleanOrNull(twice ? takeParenthesised(inner)[0] : inner)
    rest = after
  }
  let fee: Fee
  if (feeOverride) fee = { ...feeOverride, note }
  else if (!value) fee = { kind: 'unparsed', original: '', note, reason: 'no fee value' }
  else fee = parseFeeCell(value, note)
  return { time, fee, description: cleanOrNull(rest) }
}

export function parseChannels(text: string): { rows: ChannelRow[]; leftover: string | null; hasHeader: boolean } {
  const s = cleanText(text)
  const hasHeader = s.startsWith(CHANNEL_HEADER)
  const body = hasHeader ? s.slice(CHANNEL_HEADER.length) : s
  const starts = [...body.matchAll(CHANNEL_ROW)].map((m) => ({ at: m.index, name: m[1] as string }))
  const rows: ChannelRow[] = []
  const first = starts[0]
  const leftover = cleanOrNull(first ? body.slice(0, first.at) : body)
  starts.forEach((start, i) => {
    const end = starts[i + 1]?.at ?? body.length
    const cell = body.slice(start.at + start.name.length, end)
    rows.push({ channel: CHANNEL_NAMES[start.name] as Channel, ...parseChannelCell(cell) })
  })
  return { rows, leftover, hasHeader }
}

// ---- documents -------------------------------------------------------------------------------

const DOC_HEADER = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng'
// The quantity cell is glued to the document's text ("…đăng ký.1 bản chính"); the same words
// inside a document's text follow a space or a parenthesis ("(01 bản chính)").
const QUANTITY = /(?<=[^\s(\d])(\d{1,3}) bản chính(?:,(\d{1,3}) bản sao)?/gu
const TEMPLATE_EXT = /\.(?:docx?|pdf|xlsx?|rar|zip)$/iu
const TEMPLATE_BOUNDARY = /[;)\]\n]|\.(?:docx?|pdf|xlsx?|rar|zip)|\.(?=[\p{Lu}\d])/giu
const TEMPLATE_NAME = /^[\p{L}\d][^;\n]{0,150}\.(?:docx?|pdf|xlsx?|rar|zip)$/iu

/**
 * Splits the template file names glued to the end of a document's text
 * ("…Nghị định số 105/2021/NĐ-CP;Mẫu số 01.docx"). A file name is taken only where a boundary
 * (";", ")", ".Capital", another file name) marks its start; otherwise the text stays whole.
 */
export function splitTemplates(text: string): { name: string; templates: string[]; separated: boolean } {
  let name = text
  const templates: string[] = []
  while (TEMPLATE_EXT.test(name)) {
    // Boundaries: punctuation, a previous file name, or the end of a legal code ("…/TT-BNNMTMẫu số 03.docx").
    const ends = [...name.matchAll(TEMPLATE_BOUNDARY), ...name.matchAll(DOC_CODE)]
      .map((m) => m.index + m[0].length)
      .filter((i) => i < name.length)
      .sort((a, b) => a - b)
    let found: number | undefined
    for (let k = ends.length - 1; k >= 0; k--) {
      const at = ends[k] as number
      const candidate = name.slice(at).trim()
      if (TEMPLATE_NAME.test(candidate) && /\p{L}{2}/u.test(candidate.replace(TEMPLATE_EXT, ''))) {
        found = at
        break
      }
    }
    if (found === undefined) return { name: cleanText(name), templates: templates.reverse(), separated: false }
    templates.push(name.slice(found).trim())
    name = name.slice(0, found)
  }
  return { name: cleanText(name.replace(/[;\s]+$/, '')), templates: templates.reverse(), separated: true }
}

export interface ParsedDocuments {
  cases: DocumentCase[]
  /** Text that follows the last quantity of the last case (nothing should). */
  leftover: string | null
  hasTable: boolean
  unseparatedTemplates: string[]
}

function caseName(text: string): string | null {
  const t = cleanText(text)
  return t === '' || /^[-–\s]*$/.test(t) ? null : t
}

/** "Thành phần hồ sơ": cases (groups) of documents, each with originals, copies and templates. */
export function parseDocuments(text: string): ParsedDocuments {
  const s = cleanText(text)
  const parts = s.split(DOC_HEADER)
  if (parts.length < 2) return { cases: [], leftover: cleanOrNull(s), hasTable: false, unseparatedTemplates: [] }
  const cases: DocumentCase[] = []
  const unseparatedTemplates: string[] = []
  let name = caseName(parts[0] ?? '')
  let leftover: string | null = null
  for (let i = 1; i < parts.length; i++) {
    const body = parts[i] ?? ''
    const documents: RequiredDocument[] = []
    let from = 0
    for (const q of body.matchAll(QUANTITY)) {
      const raw = body.slice(from, q.index)
      const split = splitTemplates(cleanText(raw))
      if (!split.separated) unseparatedTemplates.push(split.name)
      documents.push({
        name: split.name.replace(/^[-+*•]+\s*/, ''),
        originals: Number(q[1]),
        copies: q[2] === undefined ? 0 : Number(q[2]),
        templates: split.templates,
      })
      from = q.index + q[0].length
    }
    const tail = body.slice(from)
    cases.push({ name, documents })
    if (i < parts.length - 1) name = caseName(tail)
    else leftover = cleanOrNull(tail)
  }
  return { cases, leftover, hasTable: true, unseparatedTemplates }
}

// ---- legal bases, results ------------------------------------------------------------------

const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản'
const ISSUERS = [
  'UBTVQH\\d{1,2}', 'QH\\d{1,2}', 'BLĐTBXH', 'BVHTTDL', 'VKSNDTC', 'TANDTC', 'BNNPTNT', 'BGDĐT', 'BKHĐT', 'BTTTT', 'BNNMT',
  'BTNMT', 'BGTVT', 'BKHCN', 'NHNN', 'HĐND', 'UBND', 'VPCP', 'TTCP', 'KTNN', 'UBDT', 'HĐTP', 'BTC', 'BTP', 'BCA', 'BXD',
  'BYT', 'BNV', 'BQP', 'BNG', 'BCT', 'CTN', 'TTg', 'CP',
]
// "85/2019/TT-BTC", "60/2014/QH13", "66.7/2025/NQ-CP", "02/2020/TTLT-BTC-BNV". The issuer list
// ends the code, so a code glued to the next title ("…/TT-BTCNghị định…") is cut correctly.
const DOC_CODE = new RegExp(`\\d+(?:\\.\\d+)?/\\d{4}/(?:[A-ZĐ]+-)*(?:${ISSUERS.join('|')})`, 'gu')
const TITLE_TAIL = /(?<=\S)\s*(?:Luật|Bộ luật|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Pháp lệnh)(?: số)?\s*$/u

/**
 * "Căn cứ pháp lý": rows of title + code, flattened. A code ends a row when it is glued to the
 * text before or after it; codes cited inside a title have spaces around them.
 */
export function parseLegalBases(text: string): { bases: LegalBasis[]; leftover: string | null; hasTable: boolean } {
  const s = cleanText(text)
  if (!s.startsWith(LEGAL_HEADER)) return { bases: [], leftover: cleanOrNull(s), hasTable: false }
  const body = s.slice(LEGAL_HEADER.length)
  const bases: LegalBasis[] = []
  let from = 0
  const codes = [...body.matchAll(DOC_CODE)]
  codes.forEach((m, k) => {
    const end = m.index + m[0].length
    const before = body[m.index - 1]
    const after = body[end]
    const glued = (before !== undefined && !/\s/.test(before)) || after === undefined || /[\p{L}\d]/u.test(after)
    // "Luật 60/2014/QH1360/2014/QH13": the first code is the title's, the second is the cell.
    const nextIsGlued = codes[k + 1]?.index === end
    if (!glued || nextIsGlued || m.index < from) return
    const title = cleanText(body.slice(from, m.index).replace(TITLE_TAIL, ''))
    bases.push({ code: m[0], title: title || m[0], effectiveFrom: null })
    from = end
  })
  const leftover = cleanOrNull(body.slice(from))
  return { bases, leftover, hasTable: true }
}

const RESULT_CODE = /Mã: ?([A-Z0-9][A-Z0-9.-]*\d)/gu

/** "Kết quả": result documents with their codes; the portal's form widgets are dropped. */
export function parseResults(text: string): { results: ResultDocument[]; parsed: boolean } {
  let s = cleanText(text)
  for (const cut of ['Từ khóa', 'Chọn cơ quan thực hiện']) {
    const i = s.indexOf(cut)
    if (i >= 0) s = s.slice(0, i)
  }
  if (isBlank(s)) return { results: [], parsed: false }
  const results: ResultDocument[] = []
  let from = 0
  for (const m of s.matchAll(RESULT_CODE)) {
    const name = cleanText(s.slice(from, m.index))
    if (name) results.push({ name, code: m[1] ?? null })
    from = m.index + m[0].length
  }
  const tail = cleanText(s.slice(from).replace(/Mã:?\s*$/, ''))
  if (tail) results.push({ name: tail, code: null })
  return { results, parsed: results.length > 0 && results.every((r) => r.code !== null) }
}

/** "Trình tự thực hiện": one entry per non-empty line, as published. */
export function parseSteps(text: string): string[] {
  const s = cleanOrNull(text)
  return s ? s.split('\n').map((l) => l.trim()).filter((l) => l.length > 0) : []
}

// ---- the whole record ----------------------------------------------------------------------

function statusOf(parsed: number, total: number): FieldStatus {
  if (total === 0) return 'empty'
  if (parsed === total) return 'parsed'
  return parsed === 0 ? 'unparsed' : 'partial'
}

/**
 * Parses one national record. Throws only when the record has no valid code (it cannot be
 * stored); every other problem is an issue in the result, with the original text kept.
 */
export function parseNationalRecord(input: unknown): ParsedNationalRecord {
  const raw = RawNationalRecord.parse(input)
  const code = ProcedureCode.parse(cleanText(raw.ma_thu_tuc))
  const issues: ParseIssue[] = []
  const issue = (field: ReportField, message: string, original: string) => issues.push({ field, message, original: clip(original) })
  const status = {} as Record<ReportField, FieldStatus>
  status.code = 'parsed'

  const name = cleanText(raw.ten_thu_tuc)
  status.name = name ? 'parsed' : 'empty'
  const field = cleanText(raw.linh_vuc)
  status.field = field ? 'parsed' : 'empty'
  const decisionNo = cleanOrNull(raw.so_quyet_dinh)
  status.decisionNo = decisionNo ? 'parsed' : 'empty'

  const lv = parseLevels(raw.cap_thuc_hien)
  status.levels = lv.unknown.length ? (lv.levels.length ? 'partial' : 'unparsed') : lv.levels.length ? 'parsed' : 'empty'
  for (const u of lv.unknown) issue('levels', 'unknown level', u)

  const sj = parseSubjects(raw.doi_tuong_thuc_hien)
  status.subjects = sj.unknown.length ? (sj.labels.length ? 'partial' : 'unparsed') : sj.labels.length ? 'parsed' : 'empty'
  for (const u of sj.unknown) issue('subjects', 'unknown subject', u)

  const ch = parseChannels(raw.cach_thuc_thuc_hien)
  if (!ch.hasHeader && ch.rows.length === 0 && !isBlank(raw.cach_thuc_thuc_hien)) issue('time', 'no channel table', raw.cach_thuc_thuc_hien)
  if (ch.leftover) issue('time', 'text before the first channel row', ch.leftover)
  const timeOk = ch.rows.filter((r) => r.time.kind !== 'unparsed').length
  const feeOk = ch.rows.filter((r) => r.fee.kind !== 'unparsed').length
  status.time = statusOf(timeOk, ch.rows.length)
  status.fee = statusOf(feeOk, ch.rows.length)
  if (ch.rows.length === 0 && !isBlank(raw.cach_thuc_thuc_hien)) status.time = status.fee = 'unparsed'
  for (const r of ch.rows) {
    if (r.time.kind === 'unparsed') issue('time', `${r.channel}: ${r.time.reason}`, r.time.original)
    if (r.fee.kind === 'unparsed') issue('fee', `${r.channel}: ${r.fee.reason}`, r.fee.original)
  }

  const docs = parseDocuments(raw.thanh_phan_ho_so)
  const docCount = docs.cases.reduce((n, c) => n + c.documents.length, 0)
  if (!docs.hasTable) {
    status.documents = docs.leftover ? 'unparsed' : 'empty'
    if (docs.leftover) issue('documents', 'no document table', docs.leftover)
  } else {
    status.documents = docCount === 0 ? 'unparsed' : docs.leftover || docs.unseparatedTemplates.length ? 'partial' : 'parsed'
    if (docs.leftover) issue('documents', 'text after the last document (no quantity)', docs.leftover)
    for (const t of docs.unseparatedTemplates) issue('documents', 'template file name not separable from the document text', t)
  }

  const legal = parseLegalBases(raw.can_cu_phap_ly)
  if (!legal.hasTable) {
    status.legalBases = legal.leftover ? 'unparsed' : 'empty'
    if (legal.leftover) issue('legalBases', 'no legal-basis table', legal.leftover)
  } else {
    status.legalBases = legal.bases.length === 0 ? 'unparsed' : legal.leftover ? 'partial' : 'parsed'
    if (legal.leftover) issue('legalBases', 'text without a document code', legal.leftover)
  }

  const res = parseResults(raw.ket_qua_xu_ly)
  status.results = res.results.length === 0 ? 'empty' : res.parsed ? 'parsed' : 'partial'
  if (res.results.length && !res.parsed) issue('results', 'result without a result code', res.results.find((r) => !r.code)?.name ?? '')

  const steps = parseSteps(raw.trinh_tu_thuc_hien)
  status.steps = steps.length ? 'parsed' : 'empty'
  const conditions = cleanOrNull(raw.yeu_cau_dieu_kien)
  status.conditions = conditions ? 'parsed' : 'empty'

  const agencyText = [raw.co_quan_co_tham_quyen, raw.co_quan_thuc_hien].map(cleanOrNull).filter((x): x is string => !!x)
  const content: ProcedureContent = {
    decisionNo,
    procedureType: cleanOrNull(raw.loai_thu_tuc),
    subjectLabels: sj.labels,
    channels: ch.rows,
    cases: docs.cases,
    steps,
    legalBases: legal.bases.concat(legal.leftover && legal.hasTable ? [{ code: null, title: legal.leftover, effectiveFrom: null }] : []),
    results: res.results,
    conditions,
    nationalAgencyText: agencyText.length ? [...new Set(agencyText)].join('; ') : null,
    sourceUrl: cleanOrNull(raw.detail_url),
    original: {
      levels: cleanText(raw.cap_thuc_hien),
      subjects: cleanText(raw.doi_tuong_thuc_hien),
      channels: cleanText(raw.cach_thuc_thuc_hien),
      documents: cleanText(raw.thanh_phan_ho_so),
      steps: cleanText(raw.trinh_tu_thuc_hien),
      legalBases: cleanText(raw.can_cu_phap_ly),
      results: cleanText(raw.ket_qua_xu_ly),
    },
    local: null,
  }
  return { code, name, field, levels: lv.levels, subjects: sj.subjects, content, status, issues }
}
