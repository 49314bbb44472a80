import crypto from 'node:crypto'
import http, { type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import querystring from 'node:querystring'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type * as OidcModule from 'oidc-provider'
import type { ClientMetadata, InteractionDetails, Provider as OidcProvider } from 'oidc-provider'
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS, type DemoCitizen } from './demo-citizens.js'
import { ConsentForm, IDP_CSS, IdpMessage, LoginForm, renderIdpPage } from './demo-idp.pages.js'

export interface DemoIdpOptions {
  /** Issuer identifier: the origin it is reached at plus `path`, e.g. http://localhost:3000/idp-demo. */
  issuer: string
  /** Where it is mounted on the Fastify instance (the issuer's path). */
  path: string
  /** The one relying party: Vì Dân. */
  client: { clientId: string; clientSecret: string; redirectUrl: string; name?: string }
  mode: 'demo' | 'production'
  /** Defaults to the demo citizens; tests add accounts with bad data. */
  accounts?: readonly DemoCitizen[]
}

export class DemoIdpRefusedError extends Error {
  constructor() {
    super('the demo identity provider is refused in production mode: configure VIDAN_OIDC_ISSUER to point at the real provider')
    this.name = 'DemoIdpRefusedError'
  }
}

const ACR = { 1: 'urn:vneid:loa:1', 2: 'urn:vneid:loa:2' } as const
const SHORT_TTL = 10 * 60

/**
 * oidc-provider 9 prints "Unsupported runtime" on Node 20 when first imported; it runs there
 * (the integration and browser tests prove the whole flow). That one line is kept out of our
 * logs; every other warning passes. Imported lazily so production never loads the package.
 */
async function loadOidcProvider(): Promise<typeof OidcModule> {
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: Unsupported runtime')) return
    warn.apply(console, args)
  }
  try {
    return await import('oidc-provider')
  } finally {
    console.warn = warn
  }
}

function claimsOf(a: DemoCitizen): Record<string, unknown> {
  return {
    sub: a.sub,
    name: a.name,
    birthdate: a.birthdate,
    gender: a.gender,
    phone_number: a.phone,
    phone_number_verified: true,
    address: { formatted: a.address, country: 'VN' },
    identity_number: a.identityNumber,
    vneid_level: a.level,
    ...(a.business ? { business_tax_code: a.business.taxCode, business_name: a.business.name } : {}),
  }
}

const sameSecret = (a: string, b: string) => crypto.timingSafeEqual(crypto.createHash('sha256').update(a).digest(), crypto.createHash('sha256').update(b).digest())

/** A real OpenID Connect provider (oidc-provider) with its keys drawn when it is built and demo accounts in memory. */
async function createProvider(opts: DemoIdpOptions, accounts: readonly DemoCitizen[], log: FastifyInstance['log']): Promise<OidcProvider> {
  const { default: Provider } = await loadOidcProvider()
  const { createMemoryAdapter } = await import('oidc-provider/lib/adapters/memory_adapter.js')
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomBytes(8).toString('hex'), use: 'sig', alg: 'ES256' }
  const client: ClientMetadata = {
    client_id: opts.client.clientId,
    client_secret: opts.client.clientSecret,
    client_name: opts.client.name ?? 'Cổng dịch vụ công tỉnh Cà Mau (Vì Dân)',
    redirect_uris: [opts.client.redirectUrl],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  }
  const bySub = new Map(accounts.map((a) => [a.sub, a]))
  const provider = new Provider(opts.issuer, {
    adapter: createMemoryAdapter(),
    clients: [client],
    jwks: { keys: [signingKey] },
    cookies: {
      keys: [crypto.randomBytes(32).toString('base64url')],
      names: { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_resume' },
      long: { httpOnly: true, sameSite: 'lax', path: opts.path },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'birthdate', 'gender'],
      phone: ['phone_number', 'phone_number_verified'],
      address: ['address'],
      vneid: ['identity_number', 'vneid_level', 'business_tax_code', 'business_name'],
    },
    scopes: ['openid', 'profile', 'phone', 'address', 'vneid'],
    acrValues: [ACR[1], ACR[2]],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
    },
    findAccount: async (_ctx, sub) => {
      const a = bySub.get(sub)
      return a ? { accountId: sub, claims: () => claimsOf(a) } : undefined
    },
    interactions: { url: (_ctx, interaction) => `${opts.path}/interaction/${interaction.uid}` },
    ttl: { AccessToken: SHORT_TTL, AuthorizationCode: 60, IdToken: SHORT_TTL, Interaction: SHORT_TTL, Session: SHORT_TTL, Grant: SHORT_TTL },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html'
      ctx.body = renderIdpPage('Lỗi', `${opts.path}/static/idp.css`, IdpMessage({ heading: 'Yêu cầu đăng nhập không hợp lệ', message: `${out['error'] ?? 'error'}: ${out['error_description'] ?? ''}` }))
    },
  })
  // Koa prints unhandled errors to stderr by default; route them to our logger instead (names only).
  provider.on('error', (err) => log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'demo identity provider error'))
  provider.on('server_error', (_ctx, err) => log.error({ err: { name: (err as Error)?.name, message: (err as Error)?.message } }, 'demo identity provider error'))
  return provider
}

/**
 * Mounts the demo identity provider ("VNeID mô phỏng") at `opts.path` of a Fastify instance:
 * the OpenID Connect endpoints (discovery, JWKS, authorization with PKCE required, token,
 * userinfo) are oidc-provider's own, handed the raw request; the login and consent pages are
 * ours. Refused in production mode.
 */
export async function registerDemoIdp(app: FastifyInstance, opts: DemoIdpOptions): Promise<void> {
  if (opts.mode === 'production') throw new DemoIdpRefusedError()
  const accounts = opts.accounts ?? DEMO_CITIZENS
  // Built at the first request, not at boot: starting Vì Dân (and every test app) does not pay
  // for loading oidc-provider and Koa until someone logs in as a citizen.
  let built: Promise<{ provider: OidcProvider; callback: ReturnType<OidcProvider['callback']> }> | undefined
  const ready = () =>
    (built ??= createProvider(opts, accounts, app.log).then(
      (provider) => ({ provider, callback: provider.callback() }),
      (e: unknown) => {
        built = undefined
        throw e
      },
    ))
  const css = `${opts.path}/static/idp.css`
  const byNumber = new Map(accounts.map((a) => [a.identityNumber, a]))
  const clientName = opts.client.name ?? 'Cổng dịch vụ công tỉnh Cà Mau (Vì Dân)'

  const page = (reply: FastifyReply, title: string, body: Parameters<typeof renderIdpPage>[2], status = 200) =>
    reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderIdpPage(title, css, body))
  const expired = (reply: FastifyReply) =>
    page(reply, 'Hết hạn', IdpMessage({ heading: 'Phiên đăng nhập đã hết hạn', message: 'Yêu cầu đăng nhập này không còn hiệu lực (quá 10 phút hoặc đã hoàn tất).' }), 400)
  const details = async (req: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply): Promise<InteractionDetails | undefined> => {
    try {
      const { provider } = await ready()
      const d = await provider.interactionDetails(req.raw, reply.raw)
      return d.uid === req.params.uid ? d : undefined
    } catch {
      return undefined
    }
  }

  // The pages: login and consent. Their POSTs need no CSRF token of ours: the interaction cookie
  // they depend on is signed, bound to this interaction's path and SameSite=Lax, so a form posted
  // from another site arrives without it and is refused.
  await app.register(async (pages) => {
    pages.removeAllContentTypeParsers()
    pages.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, querystring.parse(String(body))))
    const noCsrf = { csrf: false }

    pages.get(css, { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(IDP_CSS))

    pages.get<{ Params: { uid: string } }>(`${opts.path}/interaction/:uid`, { schema: { hide: true } }, async (req, reply) => {
      const d = await details(req, reply)
      if (!d) return expired(reply)
      if (d.prompt.name === 'login') {
        return page(reply, 'Đăng nhập', LoginForm({ action: `${opts.path}/interaction/${d.uid}/login`, clientName, accounts, password: DEMO_CITIZEN_PASSWORD }))
      }
      const who = d.session?.accountId ? accounts.find((a) => a.sub === d.session?.accountId) : undefined
      const scopes = (d.prompt.details.missingOIDCScope ?? String(d.params.scope ?? '').split(' ')).filter(Boolean)
      return page(reply, 'Chia sẻ thông tin', ConsentForm({ action: `${opts.path}/interaction/${d.uid}/consent`, clientName, who: who?.name ?? '', scopes }))
    })

    pages.post<{ Params: { uid: string }; Body: Record<string, unknown> }>(`${opts.path}/interaction/:uid/login`, { schema: { hide: true }, config: noCsrf }, async (req, reply) => {
      const d = await details(req, reply)
      if (!d || d.prompt.name !== 'login') return expired(reply)
      const number = typeof req.body?.['identityNumber'] === 'string' ? req.body['identityNumber'].trim() : ''
      const password = typeof req.body?.['password'] === 'string' ? req.body['password'] : ''
      const account = byNumber.get(number)
      if (!account || !sameSecret(password, DEMO_CITIZEN_PASSWORD)) {
        const form = LoginForm({ action: `${opts.path}/interaction/${d.uid}/login`, clientName, accounts, password: DEMO_CITIZEN_PASSWORD, identityNumber: number, error: 'Số định danh cá nhân hoặc mật khẩu không đúng.' })
        return page(reply, 'Đăng nhập', form, 401)
      }
      const { provider } = await ready()
      const returnTo = await provider.interactionResult(req.raw, reply.raw, { login: { accountId: account.sub, acr: ACR[account.level], amr: ['pwd'], remember: false } }, { mergeWithLastSubmission: false })
      return reply.redirect(returnTo, 303)
    })

    pages.post<{ Params: { uid: string }; Body: Record<string, unknown> }>(`${opts.path}/interaction/:uid/consent`, { schema: { hide: true }, config: noCsrf }, async (req, reply) => {
      const d = await details(req, reply)
      if (!d || d.prompt.name !== 'consent' || !d.session?.accountId) return expired(reply)
      const { provider } = await ready()
      if (req.body?.['decision'] !== 'allow') {
        const returnTo = await provider.interactionResult(req.raw, reply.raw, { error: 'access_denied', error_description: 'Người dùng không đồng ý chia sẻ thông tin.' }, { mergeWithLastSubmission: false })
        return reply.redirect(returnTo, 303)
      }
      const grant = d.grantId ? ((await provider.Grant.find(d.grantId)) ?? new provider.Grant({ accountId: d.session.accountId, clientId: opts.client.clientId })) : new provider.Grant({ accountId: d.session.accountId, clientId: opts.client.clientId })
      const missing = d.prompt.details
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '))
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims)
      if (missing.missingResourceScopes) for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) grant.addResourceScope(indicator, scopes.join(' '))
      const returnTo = await provider.interactionResult(req.raw, reply.raw, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true })
      return reply.redirect(returnTo, 303)
    })
  })

  // Everything else under the path is oidc-provider's (a Koa application): the raw request goes
  // to it unread, with the mount path moved to originalUrl as Express and koa-mount do.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined))
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const { callback } = await ready()
      reply.hijack()
      const incoming = req.raw as IncomingMessage & { originalUrl?: string }
      const url = incoming.url ?? '/'
      incoming.originalUrl = url
      incoming.url = url.slice(opts.path.length) || '/'
      await callback(incoming, reply.raw)
    }
    raw.all(`${opts.path}/*`, { schema: { hide: true }, config: { csrf: false } }, handler)
  })
}

/** The demo provider on its own port (tests of a provider configured by variables; a separate demo host). */
export async function startDemoIdp(opts: Omit<DemoIdpOptions, 'issuer' | 'path' | 'mode'> & { host?: string; port?: number; path?: string }): Promise<{ issuer: string; close(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1'
  const path = opts.path ?? '/idp'
  // The issuer carries the port: bind first, then build the app on the bound server.
  const server = http.createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port ?? 0, host, resolve))
  const port = (server.address() as AddressInfo).port
  const app = Fastify({
    logger: false,
    serverFactory: (handler) => server.on('request', handler),
  })
  const issuer = `http://${host}:${port}${path}`
  await registerDemoIdp(app, { ...opts, issuer, path, mode: 'demo' })
  await app.ready()
  return {
    issuer,
    close: async () => {
      await app.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
