import { z } from 'zod'

// The SMS brandname gateway's protocol, in the shape of the Vietnamese brandname gateways a
// province contracts (one JSON POST per message, an API key header, a registered brandname,
// two-digit result codes, a status query by message id). Shared with the simulator
// (src/sim/sms) so both sides read the same codes. The real provider's paths and key are
// configuration (VIDAN_SMS_*), never code.

/** Paths below the gateway's base URL. */
export const SMS_PATHS = { send: '/api/sms/v1/send', status: '/api/sms/v1/status' } as const

/** The header that carries the API key. */
export const SMS_API_KEY_HEADER = 'x-api-key'

/** Result codes; every answer carries one (HTTP status alone is not relied on). */
export const SMS_CODES = {
  '00': 'Thành công',
  '01': 'Sai hoặc thiếu API key',
  '02': 'Brandname chưa được đăng ký cho tài khoản này',
  '03': 'Số điện thoại không hợp lệ',
  '04': 'Nội dung tin nhắn rỗng hoặc quá dài',
  '05': 'Trùng mã yêu cầu (đã gửi trước đó)',
  '06': 'Tài khoản hết hạn mức gửi tin',
  '99': 'Lỗi hệ thống của nhà cung cấp',
} as const
export type SmsCode = keyof typeof SMS_CODES

/** One message: to a mobile number in 84xxxxxxxxx form, plain text, the caller's request id (idempotency). */
export const SmsSendRequest = z.object({
  brandname: z.string().min(1).max(11),
  phone: z.string().min(1).max(20),
  message: z.string().max(1000),
  requestId: z.string().min(1).max(64),
  /** 'otp' messages are sent at once on the OTP route of the provider. */
  type: z.enum(['otp', 'notice']).default('notice'),
})
export type SmsSendRequest = z.infer<typeof SmsSendRequest>

export const SmsSendAnswer = z.object({ code: z.string().max(4), message: z.string().max(500), messageId: z.string().max(100).optional() })
export type SmsSendAnswer = z.infer<typeof SmsSendAnswer>

export const SMS_DELIVERY = ['pending', 'delivered', 'failed'] as const
export type SmsDelivery = (typeof SMS_DELIVERY)[number]
export const SmsStatusAnswer = z.object({ code: z.string().max(4), message: z.string().max(500), messageId: z.string().max(100).optional(), status: z.enum(SMS_DELIVERY).optional() })

/** Longest plain-text message we send: two concatenated 7-bit segments (153 characters each). */
export const SMS_MAX_LENGTH = 306

/**
 * A Vietnamese mobile number in the gateway's form `84xxxxxxxxx`, from what a person types
 * (`0918 204 512`, `+84918204512`, `84-918-204-512`); undefined when it is not one. Mobile
 * prefixes since the 2018 renumbering: 03x, 05x, 07x, 08x, 09x.
 */
export function normalizeVnMobile(raw: string): string | undefined {
  const digits = raw.replace(/[\s.\-()]/g, '')
  if (!/^\+?\d+$/.test(digits)) return undefined
  const plain = digits.replace(/^\+/, '')
  const national = plain.startsWith('84') && plain.length === 11 ? plain.slice(2) : plain.startsWith('0') && plain.length === 10 ? plain.slice(1) : undefined
  if (!national || !/^(3[2-9]|5[2689]|7[06-9]|8[1-9]|9\d)\d{7}$/.test(national)) return undefined
  return `84${national}`
}

/** Folds Vietnamese text to plain ASCII (brandname messages are usually sent without diacritics: one segment holds 160 characters instead of 70). */
export function toSmsText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '')
}
