import type { Column, Content, ContentText, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import QRCode from 'qrcode'
import { vnDate } from './dossier.code.js'
import { loadPdfPrinter } from './dossier.forms.fonts.js'

// ---------------------------------------------------------------------------------------------
// Templates (DOMAIN A1, B §2.4): versioned data, so both numberings co-exist.

/** Every official form the platform prints. */
export const FORM_KINDS = ['receipt', 'supplement', 'refusal', 'apology', 'stop', 'control', 'register'] as const
export type FormKind = (typeof FORM_KINDS)[number]

/** Which circular's numbering a template follows. */
export type FormNumbering = 'TT03/2025' | 'TT01/2018'

/** One version of one official form, as data. */
export interface FormTemplate {
  /** Stable identifier stored with an issued form, e.g. `TT03/2025-01`. */
  code: string
  kind: FormKind
  numbering: FormNumbering
  /** "Mẫu số …" as printed. */
  number: '01' | '02' | '03' | '04' | '05' | '06' | '07'
  title: string
  legalBasis: string
  /** First receipt date (Vietnam calendar, `YYYY-MM-DD`) the template applies to. */
  validFrom: string
  paper: 'A5' | 'A4'
}

const TT03 = 'Thông tư số 03/2025/TT-VPCP'
const TT01 = 'Thông tư số 01/2018/TT-VPCP'
// A1 switches on the receipt date 1 July 2025 (Decree 118/2025 in force), not on the date of the
// circular itself: a dossier keeps the rule version that applied when it was received (B §1).
const TT03_FROM = '2025-07-01'
const TT01_FROM = '2019-01-06'

/**
 * The default template set (DOMAIN A1): Circular 03/2025/TT-VPCP numbering, and Circular
 * 01/2018/TT-VPCP numbering for dossiers received before 1 July 2025. Circular 01/2018 has no
 * notice of stopping; 01–06 print on A5 and the register on A4.
 */
export const FORM_TEMPLATES: readonly FormTemplate[] = [
  { code: 'TT03/2025-01', kind: 'receipt', numbering: 'TT03/2025', number: '01', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-02', kind: 'supplement', numbering: 'TT03/2025', number: '02', title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-03', kind: 'refusal', numbering: 'TT03/2025', number: '03', title: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-04', kind: 'apology', numbering: 'TT03/2025', number: '04', title: 'Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-05', kind: 'stop', numbering: 'TT03/2025', number: '05', title: 'Thông báo dừng giải quyết hồ sơ', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-06', kind: 'control', numbering: 'TT03/2025', number: '06', title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A5' },
  { code: 'TT03/2025-07', kind: 'register', numbering: 'TT03/2025', number: '07', title: 'Sổ theo dõi hồ sơ', legalBasis: TT03, validFrom: TT03_FROM, paper: 'A4' },
  { code: 'TT01/2018-01', kind: 'receipt', numbering: 'TT01/2018', number: '01', title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A5' },
  { code: 'TT01/2018-02', kind: 'supplement', numbering: 'TT01/2018', number: '02', title: 'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A5' },
  { code: 'TT01/2018-03', kind: 'refusal', numbering: 'TT01/2018', number: '03', title: 'Phiếu từ chối tiếp nhận giải quyết hồ sơ', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A5' },
  { code: 'TT01/2018-04', kind: 'apology', numbering: 'TT01/2018', number: '04', title: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A5' },
  { code: 'TT01/2018-05', kind: 'control', numbering: 'TT01/2018', number: '05', title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A5' },
  { code: 'TT01/2018-06', kind: 'register', numbering: 'TT01/2018', number: '06', title: 'Sổ theo dõi hồ sơ', legalBasis: TT01, validFrom: TT01_FROM, paper: 'A4' },
]

/**
 * The template for a form about a dossier received at `receivedAt`: the newest one in force on
 * that Vietnam calendar day. `null` (not received, e.g. refused at intake) takes the newest of
 * all. A kind the older numbering lacks (the notice of stopping) falls back to the oldest
 * template that has it, since such a form is issued under the rules that introduced it.
 */
export function templateFor(kind: FormKind, receivedAt: Date | null, templates: readonly FormTemplate[] = FORM_TEMPLATES): FormTemplate {
  const ofKind = templates.filter((t) => t.kind === kind).sort((a, b) => a.validFrom.localeCompare(b.validFrom))
  const day = receivedAt === null ? undefined : vnDate(receivedAt)
  const chosen = (day === undefined ? ofKind : ofKind.filter((t) => t.validFrom <= day)).at(-1) ?? ofKind[0]
  if (!chosen) throw new RangeError(`no form template for ${kind}`)
  return chosen
}

// ---------------------------------------------------------------------------------------------
// Inputs: plain data, already loaded by the caller.

/** An agency as named in a form header: the governing body above it is printed first. */
export interface AgencyName {
  name: string
  /** E.g. "UBND TỈNH CÀ MAU" above "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG". */
  parent?: string
}

/** Applicant or dossier owner. */
export interface FormPerson {
  name: string
  address?: string
  phone?: string
  email?: string
  /** Personal identification number, citizen ID card or passport number. */
  idNumber?: string
}

/** One document in the dossier (or to supplement), with the count of each kind of copy. */
export interface FormDocumentLine {
  name: string
  originals: number
  certifiedCopies: number
  photocopies: number
}

/** Statutory time limit: working days unless the procedure says calendar days. */
export interface FormTimeLimit {
  value: number
  unit: 'working_days' | 'calendar_days' | 'working_hours'
}

/** The person who signs for an agency (forms 04, 05). */
export interface FormSigner {
  name: string
  /** E.g. "Giám đốc", "Phó Giám đốc". */
  title: string
  /** E.g. "KT. Giám đốc" when signing on behalf of the head. */
  onBehalfOf?: string
}

/** Dossier facts every single-dossier form prints. */
export interface FormDossier {
  code: string
  receivedAt: Date | null
  /** Subject of the request: the procedure name. */
  procedureName: string
  applicant: FormPerson
  /** Dossier owner, when not the applicant. */
  owner?: FormPerson | null
}

interface FormCommon {
  /** Issue time: printed in the date line and written as the PDF's creation date. */
  issuedAt: Date
  /** Place in the date line, e.g. "Cà Mau". */
  place: string
  /** "Số: …" as assigned by the issuing office; dotted placeholder when absent. */
  documentNumber?: string
  /** The template stored with an issued form; by default `templateFor(kind, receivedAt)`. */
  template?: FormTemplate
}

interface DossierFormCommon extends FormCommon {
  /** Public portal origin; the QR code opens `${publicBaseUrl}/tra-cuu?ma=<code>`. */
  publicBaseUrl: string
  agencies: { receiving: AgencyName; competent: AgencyName }
  dossier: FormDossier
}

type Received = FormDossier & { receivedAt: Date }

/** Mẫu 01: receipt and appointment. */
export interface ReceiptFormInput extends DossierFormCommon {
  kind: 'receipt'
  dossier: Received
  documents: FormDocumentLine[]
  sets: number
  timeLimit: FormTimeLimit
  appointmentAt: Date
  /** Where or how the result is returned (counter, public postal service, online). */
  resultDelivery: string
  /** Fee collection note, e.g. "Thu trước". */
  feeNote?: string
  /** Entry in the case register. */
  register?: { book: string; seq: number }
  /** Hotline printed next to the look-up address. */
  hotline?: string
  officer: { name: string }
}

/** Mẫu 02: request to supplement, listing every gap at once (Decree 61 Art. 17.1(a)). */
export interface SupplementFormInput extends DossierFormCommon {
  kind: 'supplement'
  items: FormDocumentLine[]
  reason: string
  officer: { name: string; phone?: string }
}

/** Mẫu 03: refusal, with the specific reason. */
export interface RefusalFormInput extends DossierFormCommon {
  kind: 'refusal'
  reason: string
  officer: { name: string; phone?: string }
}

/** Mẫu 04: apology and new appointment, signed by the head of the competent agency. */
export interface ApologyFormInput extends DossierFormCommon {
  kind: 'apology'
  dossier: Received
  originalAppointmentAt: Date
  newAppointmentAt: Date
  reason: string
  signer: FormSigner
  /** "Nơi nhận"; by default the applicant, the receiving agency and the archive. */
  recipients?: string[]
}

/** Mẫu 05 (Circular 03/2025): notice that processing has stopped. */
export interface StopFormInput extends DossierFormCommon {
  kind: 'stop'
  dossier: Received
  /** When the applicant asked to stop, if they did. */
  requestedAt?: Date | null
  reason: string
  /** The processing step the dossier had reached. */
  stageReached: string
  /** Fees refunded or kept, documents returned. */
  financialSettlement?: string
  signer: FormSigner
  recipients?: string[]
}

/** Result of one hop, compared with its planned time. */
export type HandoverResult = 'early' | 'on_time' | 'late'

/** One hand-over of the dossier between agencies or units. */
export interface FormHandover {
  from: string
  to: string
  at: Date
  giver: string
  receiver: string
  result?: HandoverResult | null
  note?: string
}

/** Mẫu 06 (05 under Circular 01/2018): process-control sheet. */
export interface ControlFormInput extends DossierFormCommon {
  kind: 'control'
  dossier: Received
  timeLimit: FormTimeLimit
  appointmentAt: Date
  /** When the competent agency must hand the result back to the one-stop unit. */
  dueToCentreAt?: Date | null
  documents: FormDocumentLine[]
  handovers: FormHandover[]
  /** The workflow plan (issue 5 §3): each planned step, its agency and due time, and which is current. */
  plan?: FormPlannedStep[]
}

/** One step of the dossier's workflow plan on form 06. */
export interface FormPlannedStep {
  name: string
  agency: string
  dueAt: Date
  state: 'done' | 'current' | 'pending'
  parallel: boolean
}

const PLAN_STATE_LABELS: Record<FormPlannedStep['state'], string> = { done: 'Đã xong', current: 'Đang thực hiện', pending: 'Chưa đến' }

function planTable(plan: FormPlannedStep[]): Content[] {
  if (!plan.length) return []
  const body: TableCell[][] = [[headCell('BƯỚC'), headCell('CƠ QUAN THỰC HIỆN'), headCell('HẠN'), headCell('TÌNH TRẠNG')]]
  plan.forEach((s, n) =>
    body.push([
      { text: `${n + 1}. ${s.name}${s.parallel ? ' (song song)' : ''}` },
      { text: s.agency },
      { text: formatVnTime(s.dueAt) },
      { text: PLAN_STATE_LABELS[s.state], bold: s.state === 'current', alignment: 'center' },
    ]),
  )
  return [{ text: 'Quy trình giải quyết theo kế hoạch:', bold: true, margin: [0, 3, 0, 2] }, { table: { headerRows: 1, widths: ['*', 86, 54, 50], body, dontBreakRows: true }, layout: THIN, fontSize: 7.5 }]
}

/** One line of the case register. */
export interface FormRegisterRow {
  code: string
  procedureName: string
  sets?: number
  applicant: { name: string; address?: string; phone?: string }
  competentAgency?: string
  receivedAt: Date
  appointmentAt: Date | null
  transferredAt?: Date | null
  /** When the result (or a supplement request) came back from the competent agency. */
  resultAt?: Date | null
  returnedAt?: Date | null
  note?: string
}

/** Mẫu 07 (06 under Circular 01/2018): the case register of one agency for one year, A4 landscape. */
export interface RegisterFormInput extends FormCommon {
  kind: 'register'
  agency: AgencyName
  year: number
  /** Book number ("Quyển số"); registers continue from book to book through the year. */
  documentNumber?: string
  rows: FormRegisterRow[]
  /** Sequence number of the first row: numbering runs on through the year's books. */
  firstSeq?: number
}

/** What `renderFormPdf` prints, one variant per form kind. */
export type FormInput =
  | ReceiptFormInput
  | SupplementFormInput
  | RefusalFormInput
  | ApologyFormInput
  | StopFormInput
  | ControlFormInput
  | RegisterFormInput

// ---------------------------------------------------------------------------------------------
// Vietnam time, Vietnamese formats. UTC+7 all year (no daylight saving).

const VN_OFFSET_MS = 7 * 3600_000
const pad2 = (n: number): string => String(n).padStart(2, '0')

function vnParts(at: Date): { y: number; mo: number; d: number; h: number; mi: number } {
  const t = new Date(at.getTime() + VN_OFFSET_MS)
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes() }
}

/** "08 giờ 30 phút, ngày 05/12/2026" in Vietnam time. */
export function formatVnTime(at: Date): string {
  const p = vnParts(at)
  return `${pad2(p.h)} giờ ${pad2(p.mi)} phút, ngày ${pad2(p.d)}/${pad2(p.mo)}/${p.y}`
}

/** "05/12/2026" in Vietnam time. */
export function formatVnDate(at: Date): string {
  const p = vnParts(at)
  return `${pad2(p.d)}/${pad2(p.mo)}/${p.y}`
}

/**
 * "ngày 05 tháng 3 năm 2026": the date line of an administrative document (Decree 30/2020),
 * where days below 10 and months below 3 take a leading zero.
 */
export function formatVnDateLine(at: Date): string {
  const p = vnParts(at)
  return `ngày ${pad2(p.d)} tháng ${p.mo < 3 ? pad2(p.mo) : String(p.mo)} năm ${p.y}`
}

function formatTimeLimit(t: FormTimeLimit): string {
  const unit = { working_days: 'ngày làm việc', calendar_days: 'ngày', working_hours: 'giờ làm việc' }[t.unit]
  return `${t.value} ${unit}`
}

const RESULT_LABELS: Record<HandoverResult, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' }

// ---------------------------------------------------------------------------------------------
// Tracking URL and QR code.

/** The public tracking address a form's QR code opens. */
export function trackingUrl(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/tra-cuu?ma=${encodeURIComponent(code)}`
}

/** Fixed options: the same payload always gives the same PNG, hence the same PDF. */
export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 1, scale: 6, type: 'image/png' } as const

/** The QR code of a payload as a PNG data URL, as embedded in the forms. */
export function qrPngDataUrl(payload: string): Promise<string> {
  return QRCode.toDataURL(payload, QR_OPTIONS)
}

// ---------------------------------------------------------------------------------------------
// Layout building blocks.

const A5_MARGINS: [number, number, number, number] = [36, 26, 28, 28]
const HEADER_LEFT_WIDTH = 150
const QR_SIZE = 56

const THIN: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  paddingLeft: () => 3,
  paddingRight: () => 3,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
}

const upper = (s: string): string => s.normalize('NFC').toLocaleUpperCase('vi')

function centredRule(width: number, columnWidth: number): Content {
  const x = (columnWidth - width) / 2
  return { canvas: [{ type: 'line', x1: x, y1: 1, x2: x + width, y2: 1, lineWidth: 0.5 }], margin: [0, 1, 0, 2] }
}

/** Form number line, agency block, national motto, place and date (Decree 30/2020 layout). */
function header(t: FormTemplate, agency: AgencyName, number: string | undefined, place: string, issuedAt: Date): Content[] {
  const left: Content[] = []
  if (agency.parent) left.push({ text: upper(agency.parent), fontSize: 7.5 })
  left.push({ text: upper(agency.name), bold: true, fontSize: 7.5 }, centredRule(50, HEADER_LEFT_WIDTH), { text: `Số: ${number ?? '………'}`, fontSize: 8.5 })
  const right: Content[] = [
    { text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 7.5 },
    { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 8.5, decoration: 'underline' },
    { text: `${place}, ${formatVnDateLine(issuedAt)}`, italics: true, fontSize: 8.5, margin: [0, 5, 0, 0] },
  ]
  return [
    { text: `Mẫu số ${t.number} – ${t.legalBasis}`, fontSize: 6.5, italics: true, alignment: 'right', margin: [0, 0, 0, 4] },
    {
      columns: [
        { width: HEADER_LEFT_WIDTH, stack: left, alignment: 'center' },
        { width: '*', stack: right, alignment: 'center' },
      ],
      columnGap: 6,
    },
  ]
}

function title(t: FormTemplate): Content {
  return { text: upper(t.title), bold: true, fontSize: 11, alignment: 'center', margin: [0, 8, 0, 2] }
}

/** Dossier code as text beside its QR code. */
function codeBlock(code: string, url: string, qr: string): Content {
  return {
    columns: [
      {
        width: '*',
        stack: [
          { text: [{ text: 'Mã hồ sơ: ' }, { text: code, bold: true, fontSize: 10.5 }] },
          { text: 'Quét mã QR để tra cứu tình trạng hồ sơ', fontSize: 7, italics: true, margin: [0, 2, 0, 0] },
        ],
        margin: [0, 14, 0, 0],
      },
      { width: QR_SIZE, image: qr, fit: [QR_SIZE, QR_SIZE], link: url },
    ],
    columnGap: 8,
    margin: [0, 0, 0, 4],
  }
}

/** "Label: value" with the value in bold. */
function field(label: string, value: string, opts: { margin?: [number, number, number, number] } = {}): Content {
  return { text: [{ text: `${label}: ` }, { text: value, bold: true }], margin: opts.margin ?? [0, 0.5, 0, 0.5] }
}

function para(text: string, extra: Omit<ContentText, 'text'> = {}): Content {
  return { text, alignment: 'justify', margin: [0, 1.5, 0, 1.5], ...extra }
}

/** A note ending with the tracking address on a line of its own: wrapped at a hyphen, a URL misleads. */
function noteWithUrl(note: string, url: string, after = ''): Content {
  return { text: [`${note}\n`, { text: url, link: url }, `${after}.`], italics: true, fontSize: 8, margin: [0, 1.5, 0, 1.5] }
}

function personFields(p: FormPerson, label = 'Ông/Bà', withId = true): Content[] {
  const out: Content[] = [field(label, p.name)]
  if (p.address) out.push(field('Địa chỉ', p.address))
  const contact = [p.phone ? `Số điện thoại: ${p.phone}` : undefined, p.email ? `Email: ${p.email}` : undefined].filter((s) => s !== undefined)
  if (contact.length > 0) out.push({ text: contact.join('    '), margin: [0, 1, 0, 1] })
  if (withId && p.idNumber) out.push(field('Số định danh cá nhân/CCCD/Hộ chiếu', p.idNumber))
  return out
}

function ownerFields(owner: FormPerson | null | undefined): Content[] {
  if (!owner) return []
  const out: Content[] = [field('Chủ hồ sơ', owner.name)]
  if (owner.address) out.push(field('Địa chỉ chủ hồ sơ', owner.address))
  return out
}

function headCell(text: string): ContentText {
  return { text, bold: true, alignment: 'center', fontSize: 7.5 }
}

function documentsTable(lines: FormDocumentLine[]): Content {
  const body: TableCell[][] = [
    [headCell('STT'), headCell('Tên giấy tờ'), headCell('Bản chính'), headCell('Bản sao chứng thực'), headCell('Bản photo')],
  ]
  lines.forEach((l, i) => {
    body.push([
      { text: String(i + 1), alignment: 'center' },
      { text: l.name },
      { text: String(l.originals), alignment: 'center' },
      { text: String(l.certifiedCopies), alignment: 'center' },
      { text: String(l.photocopies), alignment: 'center' },
    ])
  })
  if (lines.length === 0) body.push([{ text: '(không có)', colSpan: 5, alignment: 'center', italics: true }, {}, {}, {}, {}])
  return { table: { headerRows: 1, widths: [18, '*', 34, 44, 34], body, dontBreakRows: true }, layout: THIN, fontSize: 8, margin: [0, 2, 0, 4] }
}

/** Two signature blocks side by side, or one on the right. */
function signatures(blocks: { role: string; hint: string; name: string }[]): Content {
  const col = (b: { role: string; hint: string; name: string }): Column => ({
    width: '*',
    alignment: 'center',
    stack: [
      { text: b.role, bold: true, fontSize: 8.5 },
      { text: b.hint, italics: true, fontSize: 7 },
      { text: b.name, bold: true, margin: [0, 30, 0, 0] },
    ],
  })
  const columns: Column[] = blocks.length === 1 && blocks[0] ? [{ width: '*', text: '' }, col(blocks[0])] : blocks.map(col)
  return { columns, unbreakable: true, margin: [0, 6, 0, 0] }
}

/** "Nơi nhận" on the left, the head's signature on the right (forms 04 and 05). */
function signedByHead(signer: FormSigner, recipients: string[]): Content {
  const list = recipients.map((r, i) => `- ${r}${i === recipients.length - 1 ? '.' : ';'}`)
  return {
    columns: [
      {
        width: '*',
        stack: [{ text: 'Nơi nhận:', bold: true, italics: true, fontSize: 8 }, ...list.map((t): Content => ({ text: t, fontSize: 7.5 }))],
      },
      {
        width: '*',
        alignment: 'center',
        stack: [
          ...(signer.onBehalfOf ? [{ text: upper(signer.onBehalfOf), bold: true, fontSize: 8.5 }] : []),
          { text: upper(signer.title), bold: true, fontSize: 8.5 },
          { text: '(Ký, ghi rõ họ tên và đóng dấu)', italics: true, fontSize: 7 },
          { text: signer.name, bold: true, margin: [0, 30, 0, 0] },
        ],
      },
    ],
    unbreakable: true,
    margin: [0, 10, 0, 0],
  }
}

const fullTime = (at: Date): string => {
  const p = vnParts(at)
  return `${pad2(p.h)} giờ ${pad2(p.mi)} phút, ${formatVnDateLine(at)}`
}

// ---------------------------------------------------------------------------------------------
// Bodies.

function receiptBody(i: ReceiptFormInput): Content[] {
  const url = trackingUrl(i.publicBaseUrl, i.dossier.code)
  const early =
    'Trường hợp hồ sơ được giải quyết trước thời hạn, Ông/Bà sẽ được thông báo qua tin nhắn SMS hoặc thư điện tử để nhận kết quả sớm. ' +
    'Ông/Bà tra cứu tình trạng hồ sơ tại:'
  return [
    para(`${i.agencies.receiving.name} tiếp nhận hồ sơ của:`),
    ...personFields(i.dossier.applicant),
    ...ownerFields(i.dossier.owner),
    field('Nội dung yêu cầu giải quyết', i.dossier.procedureName),
    { text: '1. Thành phần hồ sơ gồm:', bold: true, margin: [0, 3, 0, 0] },
    documentsTable(i.documents),
    field('2. Số lượng hồ sơ', `${pad2(i.sets)} bộ`),
    field('3. Thời gian giải quyết hồ sơ theo quy định', formatTimeLimit(i.timeLimit)),
    field('4. Thời gian nhận hồ sơ', formatVnTime(i.dossier.receivedAt)),
    field('5. Thời gian trả kết quả giải quyết hồ sơ', formatVnTime(i.appointmentAt)),
    field('6. Đăng ký nhận kết quả tại', i.resultDelivery),
    ...(i.register ? [para(`Vào Sổ theo dõi hồ sơ, Quyển số: ${i.register.book}, Số thứ tự: ${i.register.seq}.`)] : []),
    ...(i.feeNote ? [field('Phí, lệ phí', i.feeNote)] : []),
    noteWithUrl(early, url, i.hotline ? ` hoặc số điện thoại ${i.hotline}` : ''),
    signatures([
      { role: 'NGƯỜI NỘP HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: i.dossier.applicant.name },
      { role: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: i.officer.name },
    ]),
  ]
}

function supplementBody(i: SupplementFormInput): Content[] {
  const url = trackingUrl(i.publicBaseUrl, i.dossier.code)
  const contact = `Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${i.officer.name}${i.officer.phone ? `, số điện thoại ${i.officer.phone}` : ''} để được hướng dẫn. Tra cứu tình trạng hồ sơ tại:`
  return [
    para(`${i.agencies.receiving.name} tiếp nhận hồ sơ/yêu cầu của:`),
    ...personFields(i.dossier.applicant, 'Ông/Bà', false),
    field('Nội dung yêu cầu giải quyết', i.dossier.procedureName),
    para('Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:', { bold: true }),
    documentsTable(i.items),
    field('Lý do', i.reason),
    noteWithUrl(contact, url),
    para('Xin trân trọng cảm ơn./.'),
    signatures([{ role: 'NGƯỜI HƯỚNG DẪN', hint: '(Ký và ghi rõ họ tên)', name: i.officer.name }]),
  ]
}

function refusalBody(i: RefusalFormInput): Content[] {
  const url = trackingUrl(i.publicBaseUrl, i.dossier.code)
  const agency = i.agencies.receiving.name
  return [
    para(`${agency} tiếp nhận hồ sơ/yêu cầu của:`),
    ...personFields(i.dossier.applicant, 'Ông/Bà', false),
    field('Nội dung yêu cầu giải quyết', i.dossier.procedureName),
    para(`Qua xem xét, ${agency} thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`),
    para(i.reason, { bold: true, margin: [10, 2, 0, 4] }),
    noteWithUrl(`Mọi thắc mắc, Ông/Bà liên hệ ${i.officer.name}${i.officer.phone ? `, số điện thoại ${i.officer.phone}` : ''}. Tra cứu tình trạng hồ sơ tại:`, url),
    para('Xin thông báo để Ông/Bà được biết./.'),
    signatures([
      { role: 'NGƯỜI NỘP HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: i.dossier.applicant.name },
      { role: 'NGƯỜI TIẾP NHẬN HỒ SƠ', hint: '(Ký và ghi rõ họ tên)', name: i.officer.name },
    ]),
  ]
}

function addressee(p: FormPerson): Content[] {
  const out: Content[] = [{ text: [{ text: 'Kính gửi: ', bold: true }, { text: `Ông/Bà ${p.name}`, bold: true }], alignment: 'center', margin: [0, 2, 0, 2] }]
  if (p.address) out.push(field('Địa chỉ', p.address))
  if (p.phone) out.push(field('Số điện thoại', p.phone))
  return out
}

function defaultRecipients(i: DossierFormCommon): string[] {
  return [`Ông/Bà ${i.dossier.applicant.name}`, i.agencies.receiving.name, 'Lưu: VT']
}

function apologyBody(i: ApologyFormInput): Content[] {
  const competent = i.agencies.competent.name
  return [
    ...addressee(i.dossier.applicant),
    para(
      `Ngày ${formatVnDate(i.dossier.receivedAt)}, ${i.agencies.receiving.name} tiếp nhận giải quyết hồ sơ của Ông/Bà về ${i.dossier.procedureName}.`,
    ),
    field('Thời gian hẹn trả kết quả', formatVnTime(i.originalAppointmentAt)),
    para(`Tuy nhiên đến nay, ${competent} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng thời hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`),
    field('Lý do', i.reason),
    para(
      `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${competent} xin lỗi Ông/Bà và hẹn lại thời gian trả kết quả như sau:`,
    ),
    field('Thời gian hẹn trả kết quả lại', fullTime(i.newAppointmentAt), { margin: [0, 2, 0, 4] }),
    para(`Rất mong nhận được sự thông cảm của Ông/Bà./.`),
    signedByHead(i.signer, i.recipients ?? defaultRecipients(i)),
  ]
}

function stopBody(i: StopFormInput): Content[] {
  const competent = i.agencies.competent.name
  return [
    ...addressee(i.dossier.applicant),
    para(
      `Ngày ${formatVnDate(i.dossier.receivedAt)}, ${i.agencies.receiving.name} tiếp nhận hồ sơ của Ông/Bà về ${i.dossier.procedureName}.`,
    ),
    ...(i.requestedAt ? [para(`Ngày ${formatVnDate(i.requestedAt)}, Ông/Bà có yêu cầu dừng giải quyết hồ sơ nêu trên.`)] : []),
    para(`${competent} thông báo dừng giải quyết hồ sơ nêu trên.`, { bold: true }),
    field('Lý do', i.reason),
    field('Hồ sơ đã được giải quyết đến bước', i.stageReached),
    ...(i.financialSettlement ? [field('Phí, lệ phí và nghĩa vụ tài chính', i.financialSettlement)] : []),
    para(`${competent} thông báo để Ông/Bà được biết./.`),
    signedByHead(i.signer, i.recipients ?? defaultRecipients(i)),
  ]
}

function controlBody(i: ControlFormInput): Content[] {
  const timeCell = (h: FormHandover): TableCell => ({
    stack: [
      { text: formatVnTime(h.at) },
      { text: [{ text: 'Người giao: ', italics: true }, { text: h.giver, bold: true }] },
      { text: [{ text: 'Người nhận: ', italics: true }, { text: h.receiver, bold: true }] },
    ],
  })
  const body: TableCell[][] = [
    [
      headCell('TÊN CƠ QUAN'),
      headCell('THỜI GIAN GIAO, NHẬN HỒ SƠ'),
      { stack: [headCell('KẾT QUẢ GIẢI QUYẾT HỒ SƠ'), { text: '(Trước hạn/Đúng hạn/Quá hạn)', fontSize: 6.5, italics: true, alignment: 'center' }] },
      headCell('GHI CHÚ'),
    ],
  ]
  i.handovers.forEach((h, n) => {
    body.push([
      { text: [{ text: `${n + 1}. Giao: `, italics: true }, h.from, '\n', { text: 'Nhận: ', italics: true }, h.to] },
      timeCell(h),
      { text: h.result ? RESULT_LABELS[h.result] : '', alignment: 'center' },
      { text: h.note ?? '' },
    ])
  })
  if (i.handovers.length === 0) body.push([{ text: '(chưa có)', colSpan: 4, alignment: 'center', italics: true }, {}, {}, {}])
  return [
    field('Cơ quan, đơn vị giải quyết hồ sơ', i.agencies.competent.name),
    field('Người nộp hồ sơ', i.dossier.applicant.name),
    ...ownerFields(i.dossier.owner),
    field('Nội dung yêu cầu giải quyết', i.dossier.procedureName),
    field('Thời gian nhận hồ sơ', formatVnTime(i.dossier.receivedAt)),
    field('Thời gian giải quyết hồ sơ theo quy định', formatTimeLimit(i.timeLimit)),
    field('Thời gian hẹn trả kết quả', formatVnTime(i.appointmentAt)),
    ...(i.dueToCentreAt ? [field('Thời hạn chuyển kết quả về Bộ phận Một cửa', formatVnTime(i.dueToCentreAt))] : []),
    { text: 'Thành phần hồ sơ:', bold: true, margin: [0, 3, 0, 0] },
    documentsTable(i.documents),
    ...planTable(i.plan ?? []),
    { text: 'Quá trình giao, nhận hồ sơ:', bold: true, margin: [0, 3, 0, 2] },
    { table: { headerRows: 1, widths: [86, '*', 64, 44], body, dontBreakRows: true }, layout: THIN, fontSize: 7.5 },
  ]
}

// ---------------------------------------------------------------------------------------------
// Documents.

const PRODUCER = 'Vì Dân (pdfmake 0.2)'

function dossierDocument(input: Exclude<FormInput, RegisterFormInput>, t: FormTemplate, qr: string): TDocumentDefinitions {
  const issuer = input.kind === 'apology' || input.kind === 'stop' ? input.agencies.competent : input.agencies.receiving
  const url = trackingUrl(input.publicBaseUrl, input.dossier.code)
  let body: Content[]
  switch (input.kind) {
    case 'receipt':
      body = receiptBody(input)
      break
    case 'supplement':
      body = supplementBody(input)
      break
    case 'refusal':
      body = refusalBody(input)
      break
    case 'apology':
      body = apologyBody(input)
      break
    case 'stop':
      body = stopBody(input)
      break
    case 'control':
      body = controlBody(input)
      break
  }
  return {
    pageSize: 'A5',
    pageOrientation: 'portrait',
    pageMargins: A5_MARGINS,
    info: {
      title: `${t.title} – ${input.dossier.code}`,
      author: issuer.name,
      subject: `Mẫu số ${t.number} – ${t.legalBasis}`,
      keywords: `${t.code} ${input.dossier.code}`,
      creator: PRODUCER,
      producer: PRODUCER,
      creationDate: input.issuedAt,
      modDate: input.issuedAt,
    },
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.08 },
    footer: (page: number, pages: number): Content =>
      pages > 1 ? { text: `${input.dossier.code} · Trang ${page}/${pages}`, fontSize: 6.5, alignment: 'center' } : '',
    content: [...header(t, issuer, input.documentNumber, input.place, input.issuedAt), title(t), codeBlock(input.dossier.code, url, qr), ...body],
  }
}

function registerDocument(i: RegisterFormInput, t: FormTemplate): TDocumentDefinitions {
  const d = (at: Date | null | undefined): string => (at ? formatVnDate(at) : '')
  const dt = (at: Date): string => {
    const p = vnParts(at)
    return `${pad2(p.h)}:${pad2(p.mi)}\n${formatVnDate(at)}`
  }
  const head = [
    'STT',
    'Mã hồ sơ',
    'Tên thủ tục hành chính',
    'Số lượng hồ sơ (bộ)',
    'Tên, địa chỉ, số điện thoại người nộp hồ sơ',
    'Cơ quan chủ trì giải quyết',
    'Thời gian nhận hồ sơ',
    'Thời gian hẹn trả kết quả',
    'Ngày chuyển hồ sơ đến cơ quan giải quyết',
    'Ngày nhận kết quả hoặc yêu cầu bổ sung',
    'Ngày trả kết quả (người nhận ký)',
    'Ghi chú',
  ].map(headCell)
  const first = i.firstSeq ?? 1
  const body: TableCell[][] = [head, head.map((_, n) => ({ text: `(${n + 1})`, alignment: 'center', italics: true, fontSize: 6.5 }))]
  i.rows.forEach((r, n) => {
    const who = [r.applicant.name, r.applicant.address, r.applicant.phone].filter((s): s is string => Boolean(s)).join('\n')
    body.push([
      { text: String(first + n), alignment: 'center' },
      { text: r.code },
      { text: r.procedureName },
      { text: r.sets === undefined ? '' : String(r.sets), alignment: 'center' },
      { text: who },
      { text: r.competentAgency ?? '' },
      { text: dt(r.receivedAt), alignment: 'center' },
      { text: d(r.appointmentAt), alignment: 'center' },
      { text: d(r.transferredAt), alignment: 'center' },
      { text: d(r.resultAt), alignment: 'center' },
      { text: d(r.returnedAt), alignment: 'center' },
      { text: r.note ?? '' },
    ])
  })
  if (i.rows.length === 0) body.push([{ text: '(Chưa có hồ sơ)', colSpan: 12, alignment: 'center', italics: true }, ...Array.from({ length: 11 }, () => ({}))])
  const left: Content[] = []
  if (i.agency.parent) left.push({ text: upper(i.agency.parent), fontSize: 8 })
  left.push({ text: upper(i.agency.name), bold: true, fontSize: 8 }, centredRule(60, 260))
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [40, 28, 28, 34],
    info: {
      title: `${t.title} năm ${i.year} – ${i.agency.name}`,
      author: i.agency.name,
      subject: `Mẫu số ${t.number} – ${t.legalBasis}`,
      keywords: t.code,
      creator: PRODUCER,
      producer: PRODUCER,
      creationDate: i.issuedAt,
      modDate: i.issuedAt,
    },
    defaultStyle: { font: 'Roboto', fontSize: 7.5, lineHeight: 1.1 },
    footer: (page: number, pages: number): Content =>
      nfcDeep({
      columns: [
        { text: `${i.place}, ${formatVnDateLine(i.issuedAt)}`, italics: true },
        { text: `Trang ${page}/${pages}`, alignment: 'right' },
      ],
      fontSize: 7,
      margin: [40, 8, 28, 0],
    }),
    content: [
      { text: `Mẫu số ${t.number} – ${t.legalBasis}`, fontSize: 7, italics: true, alignment: 'right' },
      { columns: [{ width: 260, stack: left, alignment: 'center' }, { width: '*', text: '' }] },
      { text: upper(t.title), bold: true, fontSize: 14, alignment: 'center', margin: [0, 6, 0, 0] },
      { text: `Năm ${i.year}${i.documentNumber ? ` – Quyển số: ${i.documentNumber}` : ''}`, alignment: 'center', fontSize: 9, margin: [0, 2, 0, 8] },
      {
        table: { headerRows: 2, widths: [20, 100, '*', 30, 92, 62, 44, 44, 50, 50, 50, 50], body, dontBreakRows: true },
        layout: THIN,
      },
    ],
  }
}

/** Every string NFC: pdfkit places combining marks badly, precomposed glyphs correctly. */
function nfcDeep<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T
  if (Array.isArray(value)) return value.map((v: unknown) => nfcDeep(v)) as T
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfcDeep(v)])) as T
  }
  return value
}

/**
 * The template an input prints with: pinned by the caller, else chosen by the dossier's receipt
 * date; a register by the last day of its year.
 */
export function templateOf(input: FormInput): FormTemplate {
  const at = input.kind === 'register' ? new Date(Date.UTC(input.year, 11, 31, 12)) : input.dossier.receivedAt
  const t = input.template ?? templateFor(input.kind, at)
  if (t.kind !== input.kind) throw new RangeError(`template ${t.code} is for ${t.kind}, not ${input.kind}`)
  return t
}

/**
 * The pdfmake document of a form, every string in NFC. Depends on the input only: no clock, no
 * random ids, so an issued form can be printed again to the same bytes.
 */
export async function formDocument(input: FormInput): Promise<TDocumentDefinitions> {
  const t = templateOf(input)
  if (input.kind === 'register') return nfcDeep(registerDocument(input, t))
  const qr = await qrPngDataUrl(trackingUrl(input.publicBaseUrl, input.dossier.code))
  return nfcDeep(dossierDocument(input, t, qr))
}

/** Renders an official form (DOMAIN A1, B §2.4) to PDF bytes; same input, same bytes. */
export async function renderFormPdf(input: FormInput): Promise<Buffer> {
  const [doc, printer] = await Promise.all([formDocument(input), loadPdfPrinter()])
  const pdf = printer.createPdfKitDocument(doc)
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
    pdf.end()
  })
}
