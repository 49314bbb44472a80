import path from 'node:path'
import { z } from 'zod'

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
  /** National payment platform (DOMAIN B §12.3): base URL, partner code, secret key. Demo defaults point at `vidan sim payment`. */
  VIDAN_PAYMENT_GATEWAY_URL: z.string().url().optional(),
  VIDAN_PAYMENT_PARTNER_CODE: z.string().min(1).max(50).optional(),
  VIDAN_PAYMENT_SECRET: z.string().min(16).max(200).optional(),
  /** Minutes we wait for a payment's result before asking the platform and giving up on it. */
  VIDAN_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** Online fees as a percentage of the catalogue amount (provincial resolution; 0 = exempt), and its legal basis. */
  VIDAN_ONLINE_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(100),
  VIDAN_ONLINE_FEE_BASIS: z.string().max(300).optional(),
})
export type Config = z.infer<typeof Config> & { dataDir: string; cookieSecret: string; publicUrl: string; payment: PaymentConfig }

/** The payment platform as resolved: `gatewayUrl` undefined means online payment is off. */
export interface PaymentConfig {
  gatewayUrl: string | undefined
  partnerCode: string
  secret: string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cấu hình không hợp lệ / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const DEMO_COOKIE_SECRET = 'vidan-demo-cookie-secret-not-for-production-use'
/** Demo only: where `vidan sim payment` listens by default, and the partner it knows. */
export const DEMO_PAYMENT = { gatewayUrl: 'http://127.0.0.1:4100', partnerCode: 'VIDAN-CAMAU-DEMO', secret: 'vidan-demo-payment-secret-not-for-production' } as const

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
  if (c.VIDAN_MODE === 'production' && c.VIDAN_PAYMENT_GATEWAY_URL && (!c.VIDAN_PAYMENT_PARTNER_CODE || !c.VIDAN_PAYMENT_SECRET)) {
    throw new ConfigError(['VIDAN_PAYMENT_PARTNER_CODE, VIDAN_PAYMENT_SECRET: required in production mode when VIDAN_PAYMENT_GATEWAY_URL is set'])
  }
  const demo = c.VIDAN_MODE === 'demo'
  return {
    ...c,
    dataDir: path.resolve(c.VIDAN_DATA_DIR),
    cookieSecret: c.VIDAN_COOKIE_SECRET ?? DEMO_COOKIE_SECRET,
    publicUrl: c.VIDAN_PUBLIC_URL ?? `http://localhost:${c.PORT}`,
    payment: {
      gatewayUrl: c.VIDAN_PAYMENT_GATEWAY_URL ?? (demo ? DEMO_PAYMENT.gatewayUrl : undefined),
      partnerCode: c.VIDAN_PAYMENT_PARTNER_CODE ?? (demo ? DEMO_PAYMENT.partnerCode : ''),
      secret: c.VIDAN_PAYMENT_SECRET ?? (demo ? DEMO_PAYMENT.secret : ''),
    },
  }
}
