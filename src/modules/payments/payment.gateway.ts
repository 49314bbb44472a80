import { z } from 'zod'
import { DomainError } from '../../shared/errors.js'
import {
  buildInit,
  buildQuery,
  ConfirmMessage,
  InitEnvelope,
  maXacThuc,
  OK_CODE,
  PROTOCOL_VERSION,
  RESULT_CODES,
  TXN_STATE,
  verifyMaXacThuc,
  type ReceiptInfo,
} from './payment.protocol.js'

/** What our side asks a gateway to open: one transaction for one obligation. */
export interface GatewayInitRequest {
  reference: string
  /** yyyyMMddHHmmss, Vietnam time: signed again by every later call about the transaction. */
  stamp: string
  amountVnd: number
  info: string
  ip: string
  receipt: ReceiptInfo
}

export type GatewayInitResult = { ok: true; redirectUrl: string } | { ok: false; code: string; message: string }

/** A transaction's outcome as the gateway reports it (callback or status query), signature checked. */
export interface GatewayResult {
  reference: string
  success: boolean
  code: string
  amountVnd: number
  txnId: string
  bankCode: string
  stamp: string
  partnerCode: string
  raw: Record<string, unknown>
}

export type TxnState = 'paid' | 'pending' | 'failed' | 'unknown'

/**
 * A payment gateway as the payments module uses it. The national platform's adapter implements
 * it over HTTP; a production integration and the simulator sit behind the same interface, so the
 * module never knows which one it talks to.
 */
export interface PaymentGateway {
  readonly name: string
  /** Opens a transaction; on success the payer is sent to `redirectUrl`. Throws GatewayUnavailableError on network failure. */
  init(req: GatewayInitRequest): Promise<GatewayInitResult>
  /** Checks a result notice posted to our callback URL: shape and MaXacThuc. Throws InvalidCallbackError. */
  parseCallback(body: unknown): GatewayResult
  /** The answer the gateway expects to a notice (echoing its reference), or to one we refused. */
  callbackAnswer(body: unknown, outcome: { ok: boolean; code: string; message: string }): Record<string, unknown>
  /** Asks the gateway where a transaction stands. */
  query(reference: string, stamp: string): Promise<{ state: TxnState; result?: GatewayResult; code: string }>
  /** The gateway's own electronic receipt (PDF), when it has one. */
  fetchReceipt(reference: string, stamp: string): Promise<Buffer | undefined>
  /** The gateway's statement of one day's transactions (CSV text). */
  fetchStatement(day: string): Promise<string>
}

export class GatewayUnavailableError extends DomainError {
  constructor(what: string) {
    super('unavailable', 'PAYMENT.GATEWAY_UNAVAILABLE', 'Cổng thanh toán quốc gia hiện không phản hồi. Bạn chưa bị trừ tiền; vui lòng thử lại sau ít phút.', { what })
  }
}

export class InvalidCallbackError extends DomainError {
  constructor(reason: string) {
    super('invalid', 'PAYMENT.INVALID_CALLBACK', 'Thông báo kết quả thanh toán không hợp lệ (sai mã xác thực hoặc thiếu dữ liệu).', { reason })
  }
}

/** How Vì Dân reaches the national payment platform (configuration only; the secret is never in code). */
export interface NationalGatewayConfig {
  baseUrl: string
  partnerCode: string
  secret: string
  timeoutMs?: number
}

const QueryAnswer = ConfirmMessage.partial({ MaXacThuc: true, SoTien: true, MaTienTe: true, ThoiGianGD: true, LoaiBanTin: true, MaDoiTac: true }).extend({ TrangThaiGD: z.string().max(2).optional() })

/**
 * The national payment platform (DOMAIN B §12.3): INIT signed with MaXacThuc, redirect to
 * `UrlThanhToan`, a signed result notice to our callback URL, QUERY for the status, GET_BILL for
 * the e-receipt, and the daily statement. Paths below the configured base URL: `/api/v1/init`,
 * `/query`, `/bill`, `/statement` (the real platform's URLs are configured per province).
 */
export function nationalGateway(cfg: NationalGatewayConfig): PaymentGateway {
  const base = cfg.baseUrl.replace(/\/+$/, '')
  const timeout = cfg.timeoutMs ?? 10_000
  const post = async (path: string, body: unknown): Promise<Response> => {
    try {
      return await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeout) })
    } catch (e) {
      throw new GatewayUnavailableError(`${path}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  const toResult = (m: z.infer<typeof ConfirmMessage>): GatewayResult => ({
    reference: m.MaThamChieu,
    success: m.MaLoi === OK_CODE,
    code: m.MaLoi,
    amountVnd: Number(m.SoTien),
    txnId: m.MaGiaoDich,
    bankCode: m.MaNganHang,
    stamp: m.ThoiGianGD,
    partnerCode: m.MaDoiTac,
    raw: m,
  })

  return {
    name: 'national',
    async init(req) {
      const msg = buildInit({ partnerCode: cfg.partnerCode, reference: req.reference, amountVnd: req.amountVnd, info: req.info, stamp: req.stamp, ip: req.ip, receipt: req.receipt }, cfg.secret)
      const res = await post('/api/v1/init', msg)
      const env = InitEnvelope.safeParse(await res.json().catch(() => undefined))
      if (!env.success) throw new GatewayUnavailableError(`init: HTTP ${res.status}, unreadable answer`)
      if (env.data.error_code !== '0') return { ok: false, code: env.data.error_code, message: RESULT_CODES[env.data.error_code] ?? env.data.message }
      let url: unknown
      try {
        url = (JSON.parse(env.data.message) as { UrlThanhToan?: unknown }).UrlThanhToan
      } catch {
        url = undefined
      }
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new GatewayUnavailableError('init: no UrlThanhToan in the answer')
      return { ok: true, redirectUrl: url }
    },
    parseCallback(body) {
      const m = ConfirmMessage.safeParse(body)
      if (!m.success) throw new InvalidCallbackError('shape')
      if (m.data.MaDoiTac !== cfg.partnerCode) throw new InvalidCallbackError('partner')
      if (!verifyMaXacThuc('CONFIRM', m.data, cfg.secret)) throw new InvalidCallbackError('signature')
      return toResult(m.data)
    },
    callbackAnswer(body, outcome) {
      const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
      return { MaLoi: outcome.ok ? OK_CODE : outcome.code, MoTaLoi: outcome.ok ? '' : outcome.message, MaDoiTac: cfg.partnerCode, MaThamChieu: typeof b['MaThamChieu'] === 'string' ? b['MaThamChieu'] : '', ThoiGianGD: typeof b['ThoiGianGD'] === 'string' ? b['ThoiGianGD'] : '', MaXacThuc: typeof b['MaXacThuc'] === 'string' ? b['MaXacThuc'] : '' }
    },
    async query(reference, stamp) {
      const res = await post('/api/v1/query', buildQuery('QUERY', { partnerCode: cfg.partnerCode, reference, stamp }, cfg.secret))
      const a = QueryAnswer.safeParse(await res.json().catch(() => undefined))
      if (!a.success) throw new GatewayUnavailableError(`query: HTTP ${res.status}, unreadable answer`)
      if (a.data.MaLoi !== OK_CODE) return { state: 'unknown', code: a.data.MaLoi }
      const state: TxnState = a.data.TrangThaiGD === TXN_STATE.paid ? 'paid' : a.data.TrangThaiGD === TXN_STATE.failed ? 'failed' : 'pending'
      const full = ConfirmMessage.safeParse({ ...a.data, MaXacThuc: a.data.MaXacThuc ?? '' })
      // The answer's MaLoi is the query's own result; the transaction's is TrangThaiGD.
      const result = full.success ? { ...toResult(full.data), success: state === 'paid', code: state === 'paid' ? OK_CODE : `GD${a.data.TrangThaiGD ?? ''}` } : undefined
      return { state, code: a.data.MaLoi, ...(result ? { result } : {}) }
    },
    async fetchReceipt(reference, stamp) {
      const res = await post('/api/v1/bill', buildQuery('GET_BILL', { partnerCode: cfg.partnerCode, reference, stamp }, cfg.secret))
      if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('application/pdf')) return undefined
      const bytes = Buffer.from(await res.arrayBuffer())
      return bytes.subarray(0, 5).toString() === '%PDF-' ? bytes : undefined
    },
    async fetchStatement(day) {
      const msg = { LoaiBanTin: 'STATEMENT', PhienBan: PROTOCOL_VERSION, MaDoiTac: cfg.partnerCode, Ngay: day }
      const q = new URLSearchParams({ ...msg, MaXacThuc: maXacThuc('STATEMENT', msg, cfg.secret) })
      let res: Response
      try {
        res = await fetch(`${base}/api/v1/statement?${q.toString()}`, { signal: AbortSignal.timeout(timeout) })
      } catch (e) {
        throw new GatewayUnavailableError(`statement: ${e instanceof Error ? e.message : String(e)}`)
      }
      if (!res.ok) throw new GatewayUnavailableError(`statement: HTTP ${res.status}`)
      return res.text()
    },
  }
}
