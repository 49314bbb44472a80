import crypto from 'node:crypto'
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js'
import { inTransaction } from '../../shared/database.js'
import { formatVnDateTime } from '../../shared/i18n.js'
import { NotFoundError } from '../../shared/errors.js'
import { findStaffMember } from '../identity/index.js'
import { findAgencyById } from '../org/index.js'
import { loadPdfPrinter, qrPngDataUrl } from '../dossiers/index.js'
import type { PaymentDeps } from './payment.service.js'
import { findIntent, findReceipt, getObligation, insertReceipt, storeReceiptBytes } from './payment.repo.js'
import { vndInWords } from './payment.words.js'

/** What an electronic receipt prints: plain data, loaded by the caller. */
export interface ReceiptInput {
  number: string
  agency: { name: string; parent?: string | undefined }
  payerName: string
  dossierCode: string | null
  procedureName: string
  description: string
  amountVnd: number
  method: 'online' | 'cash' | 'transfer'
  reference: string
  gatewayTxnId: string | null
  bankCode: string | null
  paidAt: Date
  collector: string | null
  /** The QR code opens this address (public tracking page, or the payment's status page). */
  verifyUrl: string
  refundNeeded: boolean
}

const METHOD: Record<ReceiptInput['method'], string> = {
  online: 'Trực tuyến qua Nền tảng thanh toán quốc gia',
  cash: 'Tiền mặt tại Bộ phận một cửa',
  transfer: 'Chuyển khoản vào tài khoản thu phí, lệ phí',
}

/** Every string NFC: pdfkit places combining marks badly, precomposed letters correctly. */
function nfc<T>(v: T): T {
  if (typeof v === 'string') return v.normalize('NFC') as T
  if (Array.isArray(v)) return v.map((x: unknown) => nfc(x)) as T
  if (v && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nfc(x)])) as T
  return v
}

/** The pdfmake document of a receipt; depends on the input only, so a reprint gives the same bytes. */
export async function receiptDocument(i: ReceiptInput): Promise<TDocumentDefinitions> {
  const qr = await qrPngDataUrl(i.verifyUrl)
  const row = (label: string, value: string): Content => ({ columns: [{ width: 120, text: label, color: '#444' }, { width: '*', text: value }], margin: [0, 2, 0, 2] })
  const ref = i.method === 'online' ? `${i.reference}${i.gatewayTxnId ? ` (mã giao dịch ${i.gatewayTxnId}${i.bankCode ? `, ${i.bankCode}` : ''})` : ''}` : i.method === 'transfer' ? `${i.reference} (chuyển khoản ${i.gatewayTxnId ?? ''})` : i.reference
  return nfc({
    pageSize: 'A5',
    pageMargins: [36, 32, 36, 40],
    info: { title: `Biên lai thu phí, lệ phí ${i.number}`, author: i.agency.name, subject: i.description, creator: 'Vì Dân', producer: 'Vì Dân', creationDate: i.paidAt, modDate: i.paidAt },
    defaultStyle: { font: 'Roboto', fontSize: 9.5, lineHeight: 1.15 },
    content: [
      {
        columns: [
          { width: '45%', stack: [...(i.agency.parent ? [{ text: i.agency.parent.toLocaleUpperCase('vi'), fontSize: 8 }] : []), { text: i.agency.name.toLocaleUpperCase('vi'), bold: true, fontSize: 8 }], alignment: 'center' },
          { width: '55%', stack: [{ text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold: true, fontSize: 8 }, { text: 'Độc lập - Tự do - Hạnh phúc', bold: true, fontSize: 8.5 }], alignment: 'center' },
        ],
      },
      { text: 'BIÊN LAI THU PHÍ, LỆ PHÍ', bold: true, fontSize: 14, alignment: 'center', margin: [0, 14, 0, 0] },
      { text: '(Biên lai điện tử)', italics: true, alignment: 'center' },
      { text: `Số: ${i.number}`, alignment: 'center', margin: [0, 2, 0, 10] },
      row('Người nộp:', i.payerName),
      row('Mã hồ sơ:', i.dossierCode ?? '(hồ sơ chưa được cấp mã)'),
      row('Thủ tục:', i.procedureName),
      row('Nội dung thu:', i.description),
      row('Số tiền:', `${i.amountVnd.toLocaleString('vi-VN')} đồng`),
      row('Bằng chữ:', vndInWords(i.amountVnd)),
      row('Hình thức nộp:', METHOD[i.method]),
      row('Số tham chiếu:', ref),
      row('Thời điểm nộp:', formatVnDateTime(i.paidAt)),
      ...(i.collector ? [row('Người thu:', i.collector)] : []),
      ...(i.refundNeeded ? [{ text: 'Khoản phí đã được thanh toán bằng giao dịch khác: số tiền của biên lai này sẽ được hoàn trả.', bold: true, margin: [0, 6, 0, 0] } as Content] : []),
      {
        columns: [
          { width: 84, image: qr, fit: [84, 84], link: i.verifyUrl },
          { width: '*', stack: [{ text: 'Quét mã để tra cứu hồ sơ và đối chiếu biên lai.', italics: true }, { text: i.verifyUrl, fontSize: 7, color: '#555' }], margin: [8, 20, 0, 0] },
        ],
        margin: [0, 14, 0, 0],
      },
    ],
  })
}

/** Renders a receipt to PDF bytes. */
export async function renderReceiptPdf(i: ReceiptInput): Promise<Buffer> {
  return renderPdf(await receiptDocument(i))
}

/** A pdfmake document as PDF bytes, with the Vietnamese fonts of the official forms. */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pdf = (await loadPdfPrinter()).createPdfKitDocument(doc)
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    pdf.on('data', (c: Buffer) => chunks.push(c))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
    pdf.end()
  })
}

export interface IssuedReceipt {
  number: string
  sha256: string
  bytes: Buffer
}

/**
 * The electronic receipt of a paid intent: rendered on first request and stored with its
 * SHA-256 (its number was issued with the payment), the same bytes every time after.
 */
export async function issueReceipt(deps: Pick<PaymentDeps, 'db' | 'publicUrl'>, intentId: string): Promise<IssuedReceipt> {
  const { db } = deps
  const receipt = await findReceipt(db, intentId, 'vidan')
  if (!receipt) throw new NotFoundError('PAYMENT.NO_RECEIPT', 'Giao dịch chưa được thanh toán nên chưa có biên lai.')
  if (receipt.bytes && receipt.sha256) return { number: receipt.number, sha256: receipt.sha256, bytes: receipt.bytes }
  const intent = await findIntent(db, intentId)
  if (!intent || intent.status !== 'paid' || !intent.settledAt) throw new NotFoundError('PAYMENT.NO_RECEIPT', 'Giao dịch chưa được thanh toán nên chưa có biên lai.')
  const o = await getObligation(db, intent.obligationId)
  const agency = await findAgencyById(db, o.agencyId)
  const parent = agency?.parentId ? await findAgencyById(db, agency.parentId) : undefined
  const collector = intent.recordedBy && intent.method !== 'online' ? ((await findStaffMember(db, intent.recordedBy))?.fullName ?? null) : null
  const base = deps.publicUrl.replace(/\/+$/, '')
  const bytes = await renderReceiptPdf({
    number: receipt.number,
    agency: { name: agency?.name ?? o.agencyId, parent: parent?.name },
    payerName: intent.payerName,
    dossierCode: o.dossierCode,
    procedureName: o.procedureName,
    description: o.description,
    amountVnd: intent.amountVnd,
    method: intent.method,
    reference: intent.reference,
    gatewayTxnId: intent.gatewayTxnId,
    bankCode: intent.bankCode,
    paidAt: intent.settledAt,
    collector,
    verifyUrl: o.dossierCode ? `${base}/tra-cuu?ma=${encodeURIComponent(o.dossierCode)}` : `${base}/thanh-toan/ket-qua?MaThamChieu=${encodeURIComponent(intent.reference)}`,
    refundNeeded: intent.refundNeeded,
  })
  await storeReceiptBytes(db, receipt.id, bytes, crypto.createHash('sha256').update(bytes).digest('hex'))
  const kept = (await findReceipt(db, intentId, 'vidan'))!
  return { number: kept.number, sha256: kept.sha256!, bytes: kept.bytes! }
}

/** The payment platform's own e-receipt (GET_BILL), fetched once and stored. */
export async function platformReceipt(deps: PaymentDeps, intentId: string): Promise<Buffer> {
  const stored = await findReceipt(deps.db, intentId, 'platform')
  if (stored?.bytes) return stored.bytes
  const intent = await findIntent(deps.db, intentId)
  if (!intent || intent.method !== 'online' || intent.status !== 'paid' || !intent.gatewayTime || !deps.gateway) throw new NotFoundError('PAYMENT.NO_RECEIPT', 'Không có biên lai của cổng thanh toán cho giao dịch này.')
  const bytes = await deps.gateway.fetchReceipt(intent.reference, intent.gatewayTime)
  if (!bytes) throw new NotFoundError('PAYMENT.NO_RECEIPT', 'Cổng thanh toán chưa cung cấp biên lai cho giao dịch này.')
  await inTransaction(deps.db, (trx) =>
    insertReceipt(trx, { id: crypto.randomUUID(), intentId, kind: 'platform', number: intent.reference, issuedAt: intent.settledAt ?? new Date(0), sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes }),
  )
  return (await findReceipt(deps.db, intentId, 'platform'))?.bytes ?? bytes
}
