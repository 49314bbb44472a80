import crypto from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import type { UploadSettings } from '../shared/module.js'

/** Environment variables Vì Dân reads, parsed once at boot. Every one has a default. */
export const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  VIDAN_DATA_DIR: z.string().min(1).default('./.vidan/data'),
  VIDAN_MODE: z.enum(['demo', 'production']).default('demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secret for signing cookies. Required in production; a fixed dev value is used in demo mode. */
  VIDAN_COOKIE_SECRET: z.string().min(32).optional(),
  /** Public base URL, used in links written into forms and messages. */
  VIDAN_PUBLIC_URL: z.string().url().optional(),
  /** Minutes a staff session lives without activity. */
  VIDAN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  /** Failed logins in a row that lock an account, and for how long. */
  VIDAN_LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(100).default(10),
  VIDAN_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Login attempts per minute from one address (all accounts together). */
  VIDAN_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Demo only: the clock starts at this instant and runs on (drills, browser tests). Refused in production. */
  VIDAN_CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  /** Province the deployment serves (GSO code). Cà Mau is 96. */
  VIDAN_PROVINCE_CODE: z.string().regex(/^\d{2}$/).default('96'),
  /** Citizen login (OpenID Connect): the identity provider's issuer. Unset in demo mode: the bundled demo provider at /idp-demo. */
  VIDAN_OIDC_ISSUER: z.string().url().optional(),
  VIDAN_OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  VIDAN_OIDC_CLIENT_SECRET: z.string().min(16).max(500).optional(),
  /** The callback registered at the provider; defaults to $VIDAN_PUBLIC_URL/dang-nhap/cong-dan/callback. */
  VIDAN_OIDC_REDIRECT_URL: z.string().url().optional(),
  VIDAN_OIDC_SCOPE: z.string().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'space-separated scopes').default('openid profile phone address vneid'),
  /** Largest uploaded file in megabytes (decimals allowed); larger files are refused while they stream in. */
  VIDAN_UPLOAD_MAX_FILE_MB: z.coerce.number().positive().max(1024).default(10),
  /** Most files one dossier may carry (scans and results together). */
  VIDAN_UPLOAD_MAX_FILES: z.coerce.number().int().min(1).max(1000).default(30),
  /** Most file megabytes one request may bring: what one upload may hold in memory. */
  VIDAN_UPLOAD_MAX_REQUEST_MB: z.coerce.number().positive().max(4096).default(50),
  /** host:port of a clamd daemon that scans every upload; unset: files are recorded as not scanned. */
  VIDAN_CLAMD_ADDRESS: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port').optional(),
  /** National payment platform (DOMAIN B §12.3): base URL, partner code, secret key. Demo defaults point at `vidan sim payment`. */
  VIDAN_PAYMENT_GATEWAY_URL: z.string().url().optional(),
  VIDAN_PAYMENT_PARTNER_CODE: z.string().min(1).max(50).optional(),
  VIDAN_PAYMENT_SECRET: z.string().min(16).max(200).optional(),
  /** Minutes we wait for a payment's result before asking the platform and giving up on it. */
  VIDAN_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Online fees as a percentage of the catalogue amount (provincial resolution; 0 = exempt), and its legal basis. */
  VIDAN_ONLINE_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(100),
  VIDAN_ONLINE_FEE_BASIS: z.string().max(300).optional(),
  /** Outgoing e-mail: smtp://user:password@host:587 (STARTTLS) or smtps://…:465. Unset: no e-mail is sent (recorded as skipped). */
  VIDAN_SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://… or smtps://…').optional(),
  /** The sender of applicant e-mails. */
  VIDAN_MAIL_FROM: z.string().min(3).max(200).default('Vì Dân <no-reply@localhost>'),
  /** SMS brandname gateway (consent codes, later notices): base URL, API key, registered brandname. Demo defaults point at `vidan sim sms`. */
  VIDAN_SMS_GATEWAY_URL: z.string().url().optional(),
  VIDAN_SMS_API_KEY: z.string().min(8).max(200).optional(),
  VIDAN_SMS_BRANDNAME: z.string().regex(/^[A-Za-z0-9.\- ]{1,11}$/, 'brandname: 1–11 letters, digits, dot, dash or space').optional(),
  VIDAN_SMS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  /** National Public Service Portal sync (DOMAIN B §12.2): base URL, partner key, secret. Demo defaults point at `vidan sim national-portal`. */
  VIDAN_NATIONAL_PORTAL_URL: z.string().url().optional(),
  VIDAN_NATIONAL_PORTAL_KEY: z.string().min(1).max(100).optional(),
  VIDAN_NATIONAL_PORTAL_SECRET: z.string().min(16).max(200).optional(),
  /** Per call to the portal; a call that takes longer is retried later. */
  VIDAN_NATIONAL_PORTAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How long an outbox worker holds a claimed delivery; a worker that dies loses its claims after this (at least twice the portal timeout). */
  VIDAN_OUTBOX_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
})
export interface CitizenLoginConfig {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUrl: string
  scope: string
}
export type Config = z.infer<typeof Config> & {
  payment: PaymentConfig
  sms: SmsConfig
  /** Unset: no sync with the national portal. */
  nationalPortal: NationalPortalConfig | undefined
  dataDir: string
  cookieSecret: string
  publicUrl: string
  /** Unset: no citizen login (production without a provider). */
  citizenLogin: CitizenLoginConfig | undefined
  /** Serve the bundled demo identity provider at /idp-demo (demo mode without VIDAN_OIDC_ISSUER only). */
  demoIdp: boolean
}

/** Where the bundled demo identity provider is mounted. */
export const DEMO_IDP_PATH = '/idp-demo'

/** The payment platform as resolved: `gatewayUrl` undefined means online payment is off. */
export interface PaymentConfig {
  gatewayUrl: string | undefined
  partnerCode: string
  secret: string
}

/** The SMS gateway as resolved: `gatewayUrl` undefined means no SMS is sent (consent by code is unavailable). */
export interface SmsConfig {
  gatewayUrl: string | undefined
  apiKey: string
  brandname: string
  timeoutMs: number
}

/** The national portal's sync API as resolved. */
export interface NationalPortalConfig {
  url: string
  key: string
  secret: string
  timeoutMs: number
}

/** Demo only: where `vidan sim national-portal` listens by default, and the partner it knows. */
export const DEMO_NATIONAL_PORTAL = { url: 'http://127.0.0.1:4200', key: 'VIDAN-CAMAU-DEMO', secret: 'vidan-demo-portal-secret-not-for-production' } as const

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const DEMO_COOKIE_SECRET = 'vidan-demo-cookie-secret-not-for-production-use'
/** Demo only: where `vidan sim payment` listens by default, and the partner it knows. */
export const DEMO_PAYMENT = { gatewayUrl: 'http://127.0.0.1:4100', partnerCode: 'VIDAN-CAMAU-DEMO', secret: 'vidan-demo-payment-secret-not-for-production' } as const

/** Demo only: where `vidan sim sms` listens by default, and the key and brandname it accepts. */
export const DEMO_SMS = { gatewayUrl: 'http://127.0.0.1:4300', apiKey: 'vidan-demo-sms-key', brandname: 'VIDAN' } as const

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const parsed = Config.safeParse(clean)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`))
  }
  const c = parsed.data
  if (c.VIDAN_MODE === 'production' && c.VIDAN_CLOCK_START) {
    throw new ConfigError(['VIDAN_CLOCK_START: not allowed in production mode'])
  }
  if (c.VIDAN_MODE === 'production' && !c.VIDAN_COOKIE_SECRET) {
    throw new ConfigError(['VIDAN_COOKIE_SECRET: required in production mode (at least 32 characters)'])
  }
  const publicUrl = c.VIDAN_PUBLIC_URL ?? `http://localhost:${c.PORT}`
  const { citizenLogin, demoIdp } = citizenLoginConfig(c, publicUrl.replace(/\/+$/, ''))
  if (c.VIDAN_MODE === 'production' && c.VIDAN_PAYMENT_GATEWAY_URL && (!c.VIDAN_PAYMENT_PARTNER_CODE || !c.VIDAN_PAYMENT_SECRET)) {
    throw new ConfigError(['VIDAN_PAYMENT_PARTNER_CODE, VIDAN_PAYMENT_SECRET: required in production mode when VIDAN_PAYMENT_GATEWAY_URL is set'])
  }
  if (c.VIDAN_MODE === 'production' && c.VIDAN_SMS_GATEWAY_URL && (!c.VIDAN_SMS_API_KEY || !c.VIDAN_SMS_BRANDNAME)) {
    throw new ConfigError(['VIDAN_SMS_API_KEY, VIDAN_SMS_BRANDNAME: required in production mode when VIDAN_SMS_GATEWAY_URL is set'])
  }
  const demo = c.VIDAN_MODE === 'demo'
  if (!demo && c.VIDAN_NATIONAL_PORTAL_URL && (!c.VIDAN_NATIONAL_PORTAL_KEY || !c.VIDAN_NATIONAL_PORTAL_SECRET)) {
    throw new ConfigError(['VIDAN_NATIONAL_PORTAL_KEY, VIDAN_NATIONAL_PORTAL_SECRET: required in production mode when VIDAN_NATIONAL_PORTAL_URL is set'])
  }
  const portalUrl = c.VIDAN_NATIONAL_PORTAL_URL ?? (demo ? DEMO_NATIONAL_PORTAL.url : undefined)
  return {
    ...c,
    dataDir: path.resolve(c.VIDAN_DATA_DIR),
    cookieSecret: c.VIDAN_COOKIE_SECRET ?? DEMO_COOKIE_SECRET,
    publicUrl,
    payment: {
      gatewayUrl: c.VIDAN_PAYMENT_GATEWAY_URL ?? (demo ? DEMO_PAYMENT.gatewayUrl : undefined),
      partnerCode: c.VIDAN_PAYMENT_PARTNER_CODE ?? (demo ? DEMO_PAYMENT.partnerCode : ''),
      secret: c.VIDAN_PAYMENT_SECRET ?? (demo ? DEMO_PAYMENT.secret : ''),
    },
    sms: {
      gatewayUrl: c.VIDAN_SMS_GATEWAY_URL ?? (demo ? DEMO_SMS.gatewayUrl : undefined),
      apiKey: c.VIDAN_SMS_API_KEY ?? (demo ? DEMO_SMS.apiKey : ''),
      brandname: c.VIDAN_SMS_BRANDNAME ?? (demo ? DEMO_SMS.brandname : ''),
      timeoutMs: c.VIDAN_SMS_TIMEOUT_SECONDS * 1000,
    },
    nationalPortal: portalUrl
      ? { url: portalUrl, key: c.VIDAN_NATIONAL_PORTAL_KEY ?? DEMO_NATIONAL_PORTAL.key, secret: c.VIDAN_NATIONAL_PORTAL_SECRET ?? DEMO_NATIONAL_PORTAL.secret, timeoutMs: c.VIDAN_NATIONAL_PORTAL_TIMEOUT_MS }
      : undefined,
    citizenLogin,
    demoIdp,
  }
}

/**
 * Demo mode with no provider configured uses the bundled demo provider, with a client secret
 * drawn at start (both ends live in this process). Otherwise the provider is configured by
 * variables only; production demands HTTPS and never gets the demo provider.
 */
function citizenLoginConfig(c: z.infer<typeof Config>, publicUrl: string): { citizenLogin: CitizenLoginConfig | undefined; demoIdp: boolean } {
  const redirectUrl = c.VIDAN_OIDC_REDIRECT_URL ?? `${publicUrl}/dang-nhap/cong-dan/callback`
  const scope = c.VIDAN_OIDC_SCOPE
  if (!c.VIDAN_OIDC_ISSUER) {
    if (c.VIDAN_MODE === 'production') {
      if (c.VIDAN_OIDC_CLIENT_ID || c.VIDAN_OIDC_CLIENT_SECRET) throw new ConfigError(['VIDAN_OIDC_ISSUER: required when a client id or secret is set'])
      return { citizenLogin: undefined, demoIdp: false }
    }
    const clientSecret = c.VIDAN_OIDC_CLIENT_SECRET ?? crypto.randomBytes(24).toString('base64url')
    return { citizenLogin: { issuer: `${publicUrl}${DEMO_IDP_PATH}`, clientId: c.VIDAN_OIDC_CLIENT_ID ?? 'vidan-demo', clientSecret, redirectUrl, scope }, demoIdp: true }
  }
  const { VIDAN_OIDC_CLIENT_ID: clientId, VIDAN_OIDC_CLIENT_SECRET: clientSecret } = c
  const problems: string[] = []
  if (!clientId) problems.push('VIDAN_OIDC_CLIENT_ID: required with VIDAN_OIDC_ISSUER')
  if (!clientSecret) problems.push('VIDAN_OIDC_CLIENT_SECRET: required with VIDAN_OIDC_ISSUER')
  if (c.VIDAN_MODE === 'production') {
    if (!c.VIDAN_OIDC_ISSUER.startsWith('https:')) problems.push('VIDAN_OIDC_ISSUER: must be https in production mode')
    if (!redirectUrl.startsWith('https:')) problems.push('VIDAN_OIDC_REDIRECT_URL: must be https in production mode (set VIDAN_PUBLIC_URL or this variable)')
  }
  if (problems.length || !clientId || !clientSecret) throw new ConfigError(problems)
  return { citizenLogin: { issuer: c.VIDAN_OIDC_ISSUER, clientId, clientSecret, redirectUrl, scope }, demoIdp: false }
}

const MB = 1024 * 1024

/** The upload limits modules and the multipart parser apply. */
export function uploadSettings(c: Config): UploadSettings {
  const clamd = c.VIDAN_CLAMD_ADDRESS ? /^(.+):(\d+)$/.exec(c.VIDAN_CLAMD_ADDRESS) : null
  return {
    maxFileBytes: Math.floor(c.VIDAN_UPLOAD_MAX_FILE_MB * MB),
    maxFilesPerDossier: c.VIDAN_UPLOAD_MAX_FILES,
    maxRequestBytes: Math.floor(c.VIDAN_UPLOAD_MAX_REQUEST_MB * MB),
    clamd: clamd ? { host: clamd[1]!, port: Number(clamd[2]), timeoutMs: 30_000 } : undefined,
  }
}
