import crypto from 'node:crypto'
import { z } from 'zod'

// The national portal's case sync protocol as DOMAIN B §12.2 describes it (SyncLocalDataToDVCQGService):
// three endpoints (create, update, progress), answers with `error_code` and `message`, dates as
// yyyyMMddHHmmss, status codes of B §2.3.1. The schemas are strict: what B §12.2 does not list is
// refused, here and at the simulator, so our payloads stay within what the portal accepts.

/** Paths of URLThemMoi, URLCapNhat and URLDongBoTienTrinh (configured per province; ours, and the simulator's). */
export const PORTAL_PATHS = {
  create: '/api/dongbo/hoso/themmoi',
  update: '/api/dongbo/hoso/capnhat',
  progress: '/api/dongbo/hoso/tientrinh',
  /** Dossiers submitted on the portal for this province, not yet taken in (intake). */
  submitted: '/api/dongbo/hoso/chotiepnhan',
  /** Marks a portal dossier as taken in. */
  acknowledge: '/api/dongbo/hoso/xacnhantiepnhan',
  /** The portal's view of one dossier (reconciliation). */
  view: '/api/dongbo/hoso/tracuu',
} as const

/** Non-fatal answer codes (B §12.2: 0, 3 and -3). */
export const NON_FATAL_CODES = [0, 3, -3] as const
/** The message fragment that turns a create into an update (B §12.2). */
export const ALREADY_EXISTS = 'đã tồn tại'

export const PortalAnswer = z.object({ error_code: z.number().int(), message: z.string() })
export type PortalAnswer = z.infer<typeof PortalAnswer>

/** yyyyMMddHHmmss in Vietnam time (UTC+7, no daylight saving). */
export function portalTime(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/** The instant of a yyyyMMddHHmmss Vietnam time. */
export function fromPortalTime(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s)
  if (!m) throw new Error(`not a portal time: ${s}`)
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]! - 7, +m[5]!, +m[6]!))
}

const Time = z.string().regex(/^\d{14}$/, 'yyyyMMddHHmmss')
const StatusCode = z.number().int().min(1).max(10)
const Text = (max: number) => z.string().max(max)

/** HoSoDongBoDVC (B §12.2): the dossier record. */
export const PortalDossier = z
  .object({
    MaHoSo: z.string().min(1).max(100),
    MaHoSoKhac: z.string().max(100).optional(),
    MaTTHC: z.string().min(1).max(50),
    TenTTHC: Text(1000),
    MaLinhVuc: Text(50).optional(),
    TenLinhVuc: Text(500).optional(),
    KenhThucHien: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    ChuHoSo: z.string().min(1).max(300),
    SoGiayToChuHoSo: Text(50).optional(),
    LoaiDoiTuong: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    MaDoiTuong: Text(100).optional(),
    ThongTinKhac: Text(2000).optional(),
    Email: Text(200).optional(),
    Fax: Text(50).optional(),
    SoDienThoai: Text(20).optional(),
    TrichYeuHoSo: Text(1000),
    NgayTiepNhan: Time.optional(),
    NgayHenTra: Time.optional(),
    NgayTra: Time.optional(),
    NgayKetThucXuLy: Time.optional(),
    NgayTuChoi: Time.optional(),
    NgayNopHoSo: Time,
    TrangThaiHoSo: StatusCode,
    ThongTinTra: Text(1000).optional(),
    HinhThuc: Text(50).optional(),
    DonViXuLy: Text(300).optional(),
    GhiChu: Text(2000).optional(),
    NoiNopHoSo: z.number().int().optional(),
    HoSoCoThanhPhanSoHoa: z.union([z.literal(0), z.literal(1)]).optional(),
    TaiKhoanDuocXacThucVoiVNeID: z.union([z.literal(0), z.literal(1)]).optional(),
    DuocThanhToanTrucTuyen: z.union([z.literal(0), z.literal(1), z.literal(3)]).optional(),
    DinhDanhCHS: z.array(z.object({ LoaiDinhDanh: z.union([z.literal(1), z.literal(2)]), SoDinhDanh: z.string().regex(/^\d{9}(\d{3})?$/) }).strict()).optional(),
  })
  .strict()
export type PortalDossier = z.infer<typeof PortalDossier>

/** QuaTrinhXuLyDongBoDVC (B §12.2): one process event, "rõ người – rõ việc – rõ thời gian". */
export const PortalEvent = z
  .object({
    MaHoSo: z.string().min(1).max(100),
    NguoiXuLy: z.string().min(1).max(50),
    ChucDanh: Text(200),
    ThoiDiemXuLy: Time,
    PhongBanXuLy: Text(300),
    NoiDungXuLy: z.string().min(1).max(2000),
    TrangThai: StatusCode,
    NgayBatDau: Time,
    NgayKetThucTheoQuyDinh: Time.optional(),
  })
  .strict()
export type PortalEvent = z.infer<typeof PortalEvent>

/** Progress events go in chunks of at most 10 (B §12.2). */
export const PortalProgress = z.array(PortalEvent).min(1).max(10)

/** A dossier submitted on the portal, offered for intake (the portal's own id, and the record). */
export const PortalSubmission = z
  .object({
    IdHoSoDVCQG: z.string().min(1).max(100),
    HoSo: PortalDossier,
    DiaChiChuHoSo: Text(500).optional(),
    MaXa: z.string().regex(/^\d{5}$/).optional(),
  })
  .strict()
export type PortalSubmission = z.infer<typeof PortalSubmission>

/** The portal's view of one dossier: the record and its events, in the order received. */
export const PortalView = z.object({ HoSo: PortalDossier, QuaTrinhXuLy: z.array(PortalEvent) })
export type PortalView = z.infer<typeof PortalView>

/**
 * Request signature: HMAC-SHA256 (hex) with the secret over `timestamp.body`, sent with the
 * partner key. The portal's real scheme is not public (B §12.2: URLs and keys are per province).
 */
export function signRequest(secret: string, timestamp: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
}

export function verifySignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const want = Buffer.from(signRequest(secret, timestamp, body), 'hex')
  const got = Buffer.from(signature, 'hex')
  return got.length === want.length && crypto.timingSafeEqual(got, want)
}

/** The identity of a process event at the portal: an event sent twice is the same event. */
export function eventKey(e: PortalEvent): string {
  return [e.TrangThai, e.ThoiDiemXuLy, e.NguoiXuLy, e.NoiDungXuLy].join('|')
}
