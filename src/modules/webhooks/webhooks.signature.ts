import crypto from 'node:crypto'

/** The header carrying the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-vidan-signature'
/** How old a signed request may be before a receiver should refuse it (replays). */
export const DEFAULT_TOLERANCE_SECONDS = 300

/** Signs a body at a time: the header value to send. */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex')
  return `t=${t},v1=${v1}`
}

/** A new signing secret: 32 random bytes, base64url, prefixed so it is recognisable if leaked. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`
}
