import crypto from 'node:crypto'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Clock } from '../shared/clock.js'
import type { Db } from '../shared/database.js'
import type { Job } from '../shared/module.js'
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxSubscriber } from '../shared/outbox-dispatcher.js'
import { createStaffAuth, type IdentitySettings } from '../modules/identity/index.js'
import type { NotifySettings } from '../modules/notify/index.js'
import type { PaymentSettings } from '../modules/payments/index.js'
import { httpSmsSender, noSmsSender, type SmsSender } from '../modules/notify/index.js'
import type { OutreachSettings } from '../modules/outreach/index.js'
import { buildApp } from './build-app.js'
import { DEMO_IDP_PATH, uploadSettings, type Config } from './config.js'
import { registerHome } from './home.js'
import { registerOutboxAdmin } from './outbox-admin.js'
import { allModules } from './modules.js'
import { registerDemoIdp } from '../sim/demo-idp/index.js'

export function identitySettings(config: Config): IdentitySettings {
  return {
    sessionIdleMinutes: config.VIDAN_SESSION_IDLE_MINUTES,
    maxFailedLogins: config.VIDAN_LOGIN_MAX_FAILURES,
    lockMinutes: config.VIDAN_LOGIN_LOCK_MINUTES,
    loginRatePerMinute: config.VIDAN_LOGIN_RATE_PER_MINUTE,
    citizenLogin: config.citizenLogin,
  }
}

/** The payments module's settings: the platform from configuration, the province's online fee rule. */
export function paymentSettings(config: Config): PaymentSettings {
  return {
    ...config.payment,
    timeoutMinutes: config.VIDAN_PAYMENT_TIMEOUT_MINUTES,
    onlineFee: { percent: config.VIDAN_ONLINE_FEE_PERCENT, basis: config.VIDAN_ONLINE_FEE_BASIS ?? null },
  }
}

/** The notify module's channels: SMTP from configuration (TLS required in production), the SMS gateway when one is configured. */
export function notifySettings(config: Config): NotifySettings {
  return {
    smtp: config.VIDAN_SMTP_URL ? { url: config.VIDAN_SMTP_URL, from: config.VIDAN_MAIL_FROM, requireTls: config.VIDAN_MODE === 'production' && config.VIDAN_SMTP_URL.startsWith('smtp:') } : undefined,
    sms: config.sms.gatewayUrl ? smsSender(config) : undefined,
  }
}

/** The SMS gateway from configuration (none configured: sends fail with a clear message). */
export function smsSender(config: Config): SmsSender {
  const s = config.sms
  return s.gatewayUrl ? httpSmsSender({ baseUrl: s.gatewayUrl, apiKey: s.apiKey, brandname: s.brandname, timeoutMs: s.timeoutMs }) : noSmsSender
}

/** Outreach's settings: the SMS sender, the consent codes' HMAC key derived from the cookie secret, the per-address rate (as for logins). */
export function outreachSettings(config: Config): OutreachSettings {
  return { sms: smsSender(config), otpSecret: crypto.createHmac('sha256', config.cookieSecret).update('vidan/outreach/otp').digest('hex'), sendRatePerMinute: config.VIDAN_LOGIN_RATE_PER_MINUTE }
}

/** Every module's settings from configuration. */
function moduleSettings(config: Config, secureCookies: boolean): Parameters<typeof allModules>[0] {
  return { identity: identitySettings(config), secureCookies, payments: paymentSettings(config), notify: notifySettings(config), outreach: outreachSettings(config), nationalPortal: config.nationalPortal }
}

function backgroundDeps(opts: { config: Config; db: Db; clock: Clock }) {
  const settings = identitySettings(opts.config)
  const auth = createStaffAuth({ db: opts.db, clock: opts.clock }, settings)
  const deps = { db: opts.db, clock: opts.clock, guards: auth.guards, provinceCode: opts.config.VIDAN_PROVINCE_CODE, mode: opts.config.VIDAN_MODE, publicUrl: opts.config.publicUrl, uploads: uploadSettings(opts.config) }
  const modules = allModules(moduleSettings(opts.config, false))
  return { deps, modules }
}

/** Every module's outbox subscribers (delivered by the outbox dispatcher). */
export function collectSubscribers(opts: { config: Config; db: Db; clock: Clock }): OutboxSubscriber[] {
  const { deps, modules } = backgroundDeps(opts)
  return modules.flatMap((m) => m.subscribers?.(deps) ?? [])
}

/** The outbox dispatcher over every module's subscribers (one per process; several processes may share a PostgreSQL database). */
export function createDispatcher(opts: { config: Config; db: Db; clock: Clock; log?: (msg: string) => void }): OutboxDispatcher {
  return createOutboxDispatcher({
    db: opts.db,
    clock: opts.clock,
    subscribers: collectSubscribers(opts),
    // The lease outlives the slowest answer we wait for.
    leaseMs: Math.max(opts.config.VIDAN_OUTBOX_LEASE_MS, 2 * (opts.config.nationalPortal?.timeoutMs ?? 0)),
    maxAttempts: 25,
    onError: opts.log ? (sub, id, error) => opts.log!(`outbox ${sub} event ${id}: ${error}`) : undefined,
  })
}

/** Every module's background jobs, with the same dependencies the routes get, and the outbox dispatcher. */
export function collectJobs(opts: { config: Config; db: Db; clock: Clock }): Job[] {
  const { deps, modules } = backgroundDeps(opts)
  const dispatcher = createDispatcher(opts)
  return [...modules.flatMap((m) => m.jobs?.(deps) ?? []), { name: 'outbox.dispatch', everyMs: 1_000, run: () => dispatcher.runUntilIdle(20) }]
}

/** Wires modules, auth and the HTTP app over an open database. Used by the server and the tests. */
export async function createWebApp(opts: { config: Config; db: Db; clock: Clock; logger?: FastifyServerOptions['logger'] }): Promise<FastifyInstance> {
  const settings = identitySettings(opts.config)
  const secureCookies = opts.config.VIDAN_MODE === 'production' && opts.config.publicUrl.startsWith('https:')
  const auth = createStaffAuth({ db: opts.db, clock: opts.clock }, settings)
  const app = await buildApp({
    config: opts.config,
    db: opts.db,
    clock: opts.clock,
    authenticate: auth.authenticate,
    guards: auth.guards,
    modules: allModules(moduleSettings(opts.config, secureCookies)),
    logger: opts.logger,
  })
  registerHome(app)
  registerOutboxAdmin(app, { db: opts.db, clock: opts.clock, guards: auth.guards })
  if (opts.config.demoIdp && opts.config.citizenLogin) {
    const login = opts.config.citizenLogin
    await registerDemoIdp(app, { issuer: login.issuer, path: DEMO_IDP_PATH, mode: opts.config.VIDAN_MODE, client: { clientId: login.clientId, clientSecret: login.clientSecret, redirectUrl: login.redirectUrl } })
  }
  return app
}
