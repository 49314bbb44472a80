import crypto from 'node:crypto'

/** The rules of a consent code (one-time password) sent by SMS. */
export const OTP_POLICY = {
  digits: 6,
  /** A code lives this long after it is sent. */
  ttlMs: 5 * 60_000,
  /** Wrong entries before the request is locked (a new request is needed). */
  maxAttempts: 5,
  /** Shortest wait between two sends of one request. */
  resendGapMs: 60_000,
  /** Most sends (first + resends) of one request. */
  maxSendsPerRequest: 3,
  /** Most codes sent to one phone number in an hour, whoever asks (no SMS flooding of a person). */
  maxSendsPerPhonePerHour: 5,
  /** Most code requests one member starts in an hour. */
  maxRequestsPerMemberPerHour: 10,
} as const

/** A uniformly drawn 6-digit code. */
export function generateOtp(): string {
  return String(crypto.randomInt(0, 10 ** OTP_POLICY.digits)).padStart(OTP_POLICY.digits, '0')
}

/**
 * The code as stored: HMAC-SHA256 under a server secret, bound to its request. A bare hash of a
 * 6-digit code would be reversed by trying the million codes; without the secret it cannot be.
 */
export function hashOtp(secret: string, requestId: string, code: string): string {
  return crypto.createHmac('sha256', secret).update(`${requestId}:${code}`).digest('hex')
}

/** Compares in constant time. */
export function otpMatches(secret: string, requestId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashOtp(secret, requestId, code), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && crypto.timingSafeEqual(a, b)
}

/** What the citizen reads: who asks, for what, the code, how long it lives, and not to share it otherwise. */
export function otpMessage(code: string, memberName: string, purpose: string): string {
  const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}.` : s)
  return `Vi Dan: ${short(memberName, 30)} (to cong nghe so) xin nop ho so thay ban: ${short(purpose, 50)}. Ma dong y: ${code}, hieu luc 5 phut. Chi doc ma nay neu ban dong y.`
}
