import crypto from 'node:crypto'
import { z } from 'zod'

// The national payment platform's messages (DOMAIN B §12.3, as the Thanh Hóa system uses them,
// S9 `DvcPaymentService.cs`, `ConfirmDvcPaymentCommand.cs`). Pure: shared by our adapter and by
// the simulator, so both sides sign and check the same way.

export const PROTOCOL_VERSION = '1.0.6'

/** Fields of each message whose values, joined by `|` and followed by `|SecretKey`, are hashed (SHA-256, lower-case hex) into MaXacThuc. */
export const HASH_FIELDS = {
  /** B §12.3: LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|SoTien|LoaiHinhThanhToan|MaKenhThanhToan|MaThietBi|NgonNgu|MaTienTe|MaNganHang|ThongTinGiaoDich|ThoiGianGD|Ip|SecretKey */
  INIT: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'LoaiHinhThanhToan', 'MaKenhThanhToan', 'MaThietBi', 'NgonNgu', 'MaTienTe', 'MaNganHang', 'ThongTinGiaoDich', 'ThoiGianGD', 'Ip'],
  /** B §12.3 "check status": LoaiBanTin|PhienBan|MaDoiTac|MaThamChieu|ThoiGianGD|SecretKey */
  QUERY: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'],
  /** B §12.3 "e-receipt fetch: same hash pattern" as the status query. */
  GET_BILL: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'MaThamChieu', 'ThoiGianGD'],
  /** The platform's result notice to the partner (S9 ConfirmDvcPaymentCommandHandler). */
  CONFIRM: ['LoaiBanTin', 'MaLoi', 'MaDoiTac', 'MaThamChieu', 'SoTien', 'MaTienTe', 'MaGiaoDich', 'MaNganHang', 'ThoiGianGD', 'ThongTinGiaoDich'],
  /** The daily statement download; not in B §12.3 (how the real platform delivers it is [U]), same pattern. */
  STATEMENT: ['LoaiBanTin', 'PhienBan', 'MaDoiTac', 'Ngay'],
} as const satisfies Record<string, readonly string[]>
export type MessageKind = keyof typeof HASH_FIELDS

/** The string that is hashed: each field's value in order, then the secret, joined by `|`. */
export function hashInput(kind: MessageKind, msg: Record<string, unknown>, secret: string): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : '')
  return [...HASH_FIELDS[kind].map((f) => text(msg[f])), secret].join('|')
}

/** MaXacThuc of a message: SHA-256 of `hashInput`, UTF-8, lower-case hex. */
export function maXacThuc(kind: MessageKind, msg: Record<string, unknown>, secret: string): string {
  return crypto.createHash('sha256').update(hashInput(kind, msg, secret), 'utf8').digest('hex')
}

/** Whether the message carries the right MaXacThuc (constant-time comparison). */
export function verifyMaXacThuc(kind: MessageKind, msg: Record<string, unknown>, secret: string): boolean {
  const given = typeof msg['MaXacThuc'] === 'string' ? msg['MaXacThuc'].toLowerCase() : ''
  const want = maXacThuc(kind, msg, secret)
  return given.length === want.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(want))
}

const VN_OFFSET_MS = 7 * 3600_000

/**
 * `yyyyMMddHHmmss` in Vietnam time. The S9 code formats with .NET `hh` (12-hour clock), which
 * makes 09:00 and 21:00 the same reference; we use the 24-hour clock so references stay unique.
 */
export function gatewayTime(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** The instant a `yyyyMMddHHmmss` Vietnam-time stamp stands for, or undefined if malformed. */
export function parseGatewayTime(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s)
  if (!m) return undefined
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+07:00`)
  return Number.isNaN(at.getTime()) ? undefined : at
}

/** 'YYYY-MM-DD' (Vietnam) of a `yyyyMMddHHmmss` stamp. */
export function gatewayDay(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`
}

/**
 * MaThamChieu (B §12.3): "dvc" + the dossier code without non-word characters + the time of
 * the transaction. A dossier not yet received has no code; its id stands in.
 */
export function makeReference(dossierCodeOrId: string, stamp: string, attempt = 1): string {
  const base = `dvc${dossierCodeOrId.replace(/\W/g, '')}${stamp}`
  return attempt > 1 ? `${base}${attempt}` : base
}

/** "THANH TOAN HO SO …": ThongTinGiaoDich as S9 writes it (ASCII: banks' statements drop accents). */
export function transactionInfo(dossierCodeOrId: string): string {
  return `THANH TOAN HO SO ${dossierCodeOrId}`
}

/** MaLoi of a successful transaction or call. */
export const OK_CODE = '00'

/** TrangThaiGD of a status query (S9): 1 paid, 3 pending (the platform does not know yet), 4 failed. */
export const TXN_STATE = { paid: '1', pending: '3', failed: '4' } as const

/** Result codes the simulator uses and our pages explain; any other non-00 code is a failure too. */
export const RESULT_CODES: Record<string, string> = {
  '00': 'Giao dịch thành công',
  '10': 'Ngân hàng từ chối giao dịch',
  '11': 'Giao dịch hết thời gian chờ',
  '12': 'Người nộp hủy giao dịch',
  '01': 'Sai mã xác thực',
  '02': 'Mã tham chiếu đã tồn tại',
  '03': 'Dữ liệu không hợp lệ',
  '04': 'Không có giao dịch',
  GD3: 'Cổng thanh toán chưa có kết quả cuối cùng của giao dịch',
  GD4: 'Cổng thanh toán báo giao dịch không thành công',
}

// ---- messages, checked with zod where they cross a trust boundary -------------------------------

const Str = z.string().max(2000)
const Money = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative()]).transform((v) => String(v))

export const FeeLine = z.object({ LoaiPhiLePhi: Str, MaPhiLePhi: Str, TenPhiLePhi: Str, SoTien: Money })
export const ReceiptInfo = z.object({
  MaDichVu: Str,
  MaDVC: Str,
  TenDVC: Str,
  MaTTHC: Str,
  TenTTHC: Str,
  MaDonVi: Str,
  TenDonVi: Str,
  MaHoSo: Str,
  TKThuHuong: Str,
  MaNHThuHuong: Str,
  TenTKThuHuong: Str,
  HoTenNguoiNop: Str,
  SoCMNDNguoiNop: Str,
  DiaChiNguoiNop: Str,
  HuyenNguoiNop: Str,
  TinhNguoiNop: Str,
  NoiDungThanhToan: Str,
  PhiLePhi: z.array(FeeLine).max(50),
  DSKhoanNop: z.array(z.object({ NoiDung: Str, SoTien: Money })).max(50),
})
export type ReceiptInfo = z.infer<typeof ReceiptInfo>

export const InitMessage = z.object({
  LoaiBanTin: z.literal('INIT'),
  PhienBan: Str,
  MaDoiTac: Str,
  MaThamChieu: z.string().min(1).max(255),
  SoTien: Money,
  LoaiHinhThanhToan: Str,
  MaKenhThanhToan: Str,
  MaThietBi: Str,
  NgonNgu: Str,
  MaTienTe: Str,
  MaNganHang: Str,
  ThongTinGiaoDich: Str,
  ThoiGianGD: z.string().regex(/^\d{14}$/),
  Ip: Str,
  MaXacThuc: z.string().max(128),
  ThongTinBienLai: ReceiptInfo,
})
export type InitMessage = z.infer<typeof InitMessage>

/** The platform's envelope for INIT (S9 InitDvcPaymentResponseMessage): error_code "0" and a JSON message. */
export const InitEnvelope = z.object({ error_code: z.string(), message: z.string() })

export const QueryMessage = z.object({ LoaiBanTin: z.enum(['QUERY', 'GET_BILL']), PhienBan: Str, MaDoiTac: Str, MaThamChieu: z.string().max(255), ThoiGianGD: z.string().regex(/^\d{14}$/), MaXacThuc: z.string().max(128) })
export type QueryMessage = z.infer<typeof QueryMessage>

/** The result notice the platform posts to the partner's callback URL, and the status query's answer. */
export const ConfirmMessage = z.object({
  LoaiBanTin: Str,
  MaLoi: z.string().max(10),
  MaDoiTac: Str,
  MaThamChieu: z.string().max(255),
  SoTien: Money,
  MaTienTe: Str,
  MaGiaoDich: Str.optional().default(''),
  MaNganHang: Str.optional().default(''),
  ThoiGianGD: z.string().max(20),
  ThongTinGiaoDich: Str.optional().default(''),
  MaXacThuc: z.string().max(128),
  TrangThaiGD: z.string().max(2).optional(),
  MoTaLoi: Str.optional(),
})
export type ConfirmMessage = z.infer<typeof ConfirmMessage>

/** Fills in the INIT constants of B §12.3 and signs the message. */
export function buildInit(
  input: { partnerCode: string; reference: string; amountVnd: number; info: string; stamp: string; ip: string; receipt: ReceiptInfo },
  secret: string,
): InitMessage {
  const msg = {
    LoaiBanTin: 'INIT' as const,
    PhienBan: PROTOCOL_VERSION,
    MaDoiTac: input.partnerCode,
    MaThamChieu: input.reference,
    SoTien: String(input.amountVnd),
    LoaiHinhThanhToan: 'PAY',
    MaKenhThanhToan: '1',
    MaThietBi: '1',
    NgonNgu: 'vi-VN',
    MaTienTe: 'VND',
    MaNganHang: 'PAYMENT',
    ThongTinGiaoDich: input.info,
    ThoiGianGD: input.stamp,
    Ip: input.ip,
    MaXacThuc: '',
    ThongTinBienLai: input.receipt,
  }
  return { ...msg, MaXacThuc: maXacThuc('INIT', msg, secret) }
}

/** A signed status query or receipt fetch for a transaction. */
export function buildQuery(kind: 'QUERY' | 'GET_BILL', input: { partnerCode: string; reference: string; stamp: string }, secret: string): QueryMessage {
  const msg = { LoaiBanTin: kind, PhienBan: PROTOCOL_VERSION, MaDoiTac: input.partnerCode, MaThamChieu: input.reference, ThoiGianGD: input.stamp, MaXacThuc: '' }
  return { ...msg, MaXacThuc: maXacThuc(kind, msg, secret) }
}

/** CSV columns of the platform's daily statement (the simulator's file; the real layout is [U]). */
export const STATEMENT_COLUMNS = ['MaDoiTac', 'MaThamChieu', 'MaGiaoDich', 'SoTien', 'MaTienTe', 'TrangThaiGD', 'ThoiGianGD', 'ThoiGianThanhToan', 'MaNganHang'] as const
