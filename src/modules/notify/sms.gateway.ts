import crypto from 'node:crypto'
import { DomainError } from '../../shared/errors.js'
import { normalizeVnMobile, SMS_API_KEY_HEADER, SMS_CODES, SMS_MAX_LENGTH, SMS_PATHS, SmsSendAnswer, SmsStatusAnswer, toSmsText, type SmsDelivery } from './sms.protocol.js'

/** What a provider says about one message after it was accepted. */
export interface SmsStatus {
  messageId: string
  status: SmsDelivery
}

/**
 * Sending SMS, as the modules see it. The brandname gateway's HTTP adapter implements it; the
 * simulator speaks the same protocol, so a module never knows which one it talks to. Phone
 * numbers and message text are personal data: an implementation never logs them.
 */
export interface SmsSender {
  readonly name: string
  /**
   * Sends one text (folded to plain ASCII) to a Vietnamese mobile number; answers the provider's
   * message id. `requestId` makes a retry idempotent at the provider. Throws SmsInvalidNumberError,
   * SmsRefusedError (our account or message refused) or SmsUnavailableError (network, 5xx, timeout).
   */
  send(to: string, text: string, opts?: { requestId?: string; type?: 'otp' | 'notice' }): Promise<{ messageId: string }>
  /** Where an accepted message stands at the provider. */
  status(messageId: string): Promise<SmsStatus>
}

export class SmsUnavailableError extends DomainError {
  constructor(what: string) {
    super('unavailable', 'SMS.GATEWAY_UNAVAILABLE', 'Không gửi được tin nhắn SMS lúc này: tổng đài tin nhắn không phản hồi. Chưa có gì được ghi nhận; vui lòng thử lại sau ít phút.', { what })
  }
}

export class SmsRefusedError extends DomainError {
  constructor(code: string) {
    super('unavailable', 'SMS.GATEWAY_REFUSED', 'Tổng đài tin nhắn từ chối gửi tin (lỗi cấu hình tài khoản gửi tin của hệ thống). Chưa có gì được ghi nhận; vui lòng báo quản trị hệ thống.', { providerCode: code, meaning: SMS_CODES[code as keyof typeof SMS_CODES] ?? 'không rõ' })
  }
}

export class SmsInvalidNumberError extends DomainError {
  constructor() {
    super('invalid', 'SMS.INVALID_NUMBER', 'Số điện thoại không phải số di động Việt Nam hợp lệ (ví dụ 0912 345 678).')
  }
}

/** How Vì Dân reaches the SMS brandname gateway (configuration only). */
export interface SmsGatewayConfig {
  baseUrl: string
  apiKey: string
  brandname: string
  timeoutMs?: number
}

/** The brandname gateway over HTTP (JSON POST, API key header); see sms.protocol.ts. */
export function httpSmsSender(cfg: SmsGatewayConfig): SmsSender {
  const base = cfg.baseUrl.replace(/\/+$/, '')
  const timeout = cfg.timeoutMs ?? 10_000
  const call = async (path: string, init: RequestInit): Promise<{ status: number; body: unknown }> => {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, { ...init, headers: { 'content-type': 'application/json', [SMS_API_KEY_HEADER]: cfg.apiKey }, signal: AbortSignal.timeout(timeout) })
    } catch (e) {
      // Only the kind of failure: the request (with the number and text) is never echoed.
      throw new SmsUnavailableError(`${path}: ${e instanceof Error ? e.name : 'error'}`)
    }
    return { status: res.status, body: await res.json().catch(() => undefined) }
  }
  return {
    name: 'brandname-http',
    async send(to, text, opts = {}) {
      const phone = normalizeVnMobile(to)
      if (!phone) throw new SmsInvalidNumberError()
      const message = toSmsText(text)
      if (!message.trim() || message.length > SMS_MAX_LENGTH) throw new DomainError('invalid', 'SMS.INVALID_TEXT', `Nội dung tin nhắn rỗng hoặc dài quá ${SMS_MAX_LENGTH} ký tự.`)
      const requestId = opts.requestId ?? crypto.randomUUID()
      const { status, body } = await call(SMS_PATHS.send, { method: 'POST', body: JSON.stringify({ brandname: cfg.brandname, phone, message, requestId, type: opts.type ?? 'notice' }) })
      const a = SmsSendAnswer.safeParse(body)
      if (!a.success) throw new SmsUnavailableError(`send: HTTP ${status}, unreadable answer`)
      if ((a.data.code === '00' || a.data.code === '05') && a.data.messageId) return { messageId: a.data.messageId }
      if (a.data.code === '03') throw new SmsInvalidNumberError()
      if (a.data.code === '99' || status >= 500) throw new SmsUnavailableError(`send: code ${a.data.code}, HTTP ${status}`)
      throw new SmsRefusedError(a.data.code)
    },
    async status(messageId) {
      const { status, body } = await call(`${SMS_PATHS.status}/${encodeURIComponent(messageId)}`, { method: 'GET' })
      const a = SmsStatusAnswer.safeParse(body)
      if (!a.success || !a.data.status) throw new SmsUnavailableError(`status: HTTP ${status}`)
      return { messageId, status: a.data.status }
    },
  }
}

/** Used when no gateway is configured (production without SMS): every send fails with a clear message. */
export const noSmsSender: SmsSender = {
  name: 'none',
  send: () => Promise.reject(new DomainError('unavailable', 'SMS.NOT_CONFIGURED', 'Hệ thống chưa được cấu hình gửi tin nhắn SMS. Vui lòng dùng cách xác nhận trong tài khoản của công dân.')),
  status: () => Promise.reject(new DomainError('unavailable', 'SMS.NOT_CONFIGURED', 'Hệ thống chưa được cấu hình gửi tin nhắn SMS.')),
}
