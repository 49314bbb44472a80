import crypto from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { loadConfig, type Config } from '../../src/app/config.js'
import type { DatabaseHandle } from '../../src/app/db.js'
import { createWebApp } from '../../src/app/runtime.js'
import { createAccount } from '../../src/modules/identity/index.js'
import type { StaffRole } from '../../src/shared/auth.js'
import { ManualClock, systemClock, type Clock } from '../../src/shared/clock.js'
import { createTestDatabase } from './test-db.js'

export interface TestApp {
  app: FastifyInstance
  db: DatabaseHandle['db']
  handle: DatabaseHandle
  clock: Clock
  config: Config
  close(): Promise<void>
}

/** One app over one fresh database; create it in beforeAll, once per test file. */
export async function createTestApp(opts: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const handle = await createTestDatabase()
  // Every test request comes from one address: the login rate limit is lifted unless a test sets it.
  const config = loadConfig({ VIDAN_MODE: 'demo', LOG_LEVEL: 'silent', VIDAN_LOGIN_RATE_PER_MINUTE: '100000', ...opts.env })
  const clock = opts.clock ?? systemClock
  const app = await createWebApp({ config, db: handle.db, clock })
  await app.ready()
  return {
    app,
    db: handle.db,
    handle,
    clock,
    config,
    close: async () => {
      await app.close()
      await handle.close()
    },
  }
}

export { ManualClock }

/** A cookie jar over app.inject, with the CSRF token dance of a real browser. */
export class Browser {
  readonly cookies = new Map<string, string>()
  constructor(readonly app: FastifyInstance) {}

  private absorb(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return res
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async get(url: string, headers: Record<string, string> = {}) {
    return this.absorb(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader, ...headers } }))
  }

  /** A CSRF token valid for this jar (taken from a page's hidden field). */
  async csrf(from = '/staff/login'): Promise<string> {
    const res = await this.get(from)
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (!m?.[1]) throw new Error(`no CSRF field on ${from} (status ${res.statusCode})`)
    return m[1]
  }

  /** Posts a form the way a browser does, with the page's CSRF token unless told otherwise. */
  async postForm(url: string, fields: Record<string, string>, opts: { csrf?: string | false; csrfFrom?: string } = {}) {
    const token = opts.csrf === false ? undefined : (opts.csrf ?? (await this.csrf(opts.csrfFrom)))
    const body = new URLSearchParams({ ...fields, ...(token ? { _csrf: token } : {}) }).toString()
    return this.absorb(
      await this.app.inject({ method: 'POST', url, payload: body, headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } }),
    )
  }

  /** JSON call to the API with the session cookie and a CSRF header for unsafe methods. */
  async api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
    const headers: Record<string, string> = { cookie: this.cookieHeader }
    if (method !== 'GET') headers['x-csrf-token'] = (await this.get('/api/v1/csrf-token')).json().token
    return this.absorb(await this.app.inject({ method, url, headers: { ...headers, cookie: this.cookieHeader }, ...(body !== undefined ? { payload: body as object } : {}) }))
  }

  async login(username: string, password: string) {
    const token = (await this.get('/api/v1/csrf-token')).json().token as string
    return this.postForm('/staff/login', { username, password }, { csrf: token })
  }
}

export interface StaffFixture {
  id: string
  username: string
  password: string
  browser: Browser
}

/** Creates an officer with a known password and returns a browser logged in as them. */
export async function staffFixture(t: TestApp, role: StaffRole, agencyId = 'ttpvhcc-tinh'): Promise<StaffFixture> {
  const username = `t.${role.replace(/_/g, '')}.${crypto.randomBytes(4).toString('hex')}`
  const password = `Pw-${crypto.randomBytes(8).toString('hex')}`
  const { account } = await createAccount({ db: t.db, clock: t.clock, settings: { sessionIdleMinutes: 120, maxFailedLogins: 10, lockMinutes: 15 } }, null, {
    username,
    fullName: `Cán bộ thử ${role}`,
    role,
    agencyId,
    password,
  })
  const browser = new Browser(t.app)
  const res = await browser.login(username, password)
  if (res.statusCode !== 303) throw new Error(`login failed for fixture: ${res.statusCode} ${res.body.slice(0, 2000)}`)
  return { id: account.id, username, password, browser }
}
