import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CitizenPrincipal } from '../../shared/auth.js'
import { DomainError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps } from '../../shared/module.js'
import { mapCitizenClaims, maskIdentityNumber } from './citizen-claims.js'
import { createRelyingParty, PENDING_LOGIN_SECONDS, PendingLogin, type CitizenLoginSettings } from './citizen-login.js'
import { CitizenAccountPage, CitizenLoginFailedPage } from './citizen.pages.js'
import { getCitizen, loginCitizen, logoutCitizen, type CitizenDeps } from './citizen.service.js'
import { logout as logoutStaff, SESSION_COOKIE, type IdentityDeps } from './identity.service.js'

export const CITIZEN_LOGIN_PATH = '/dang-nhap/cong-dan'
export const CITIZEN_ACCOUNT_PATH = '/cong-dan/tai-khoan'
const CALLBACK_PATH = `${CITIZEN_LOGIN_PATH}/callback`
const PENDING_COOKIE = 'vidan_oidc'

// A local path only: not protocol-relative, no backslash (browsers read "/\host" as "//host").
const safeNext = (n: string | undefined) => (n && /^\/(?![/\\])[^\s\\]*$/.test(n) && !n.startsWith(CITIZEN_LOGIN_PATH) ? n : CITIZEN_ACCOUNT_PATH)

export interface CitizenRouteOptions {
  /** Unset: citizen login is not configured (production without a provider). */
  login: CitizenLoginSettings | undefined
  /** Staff login's dependencies: a citizen login ends a staff session open in the same browser. */
  staff: IdentityDeps
  loginRatePerMinute: number
  secureCookies: boolean
}

/** Citizen login through the identity provider, logout, and "Tài khoản của tôi". */
export function registerCitizenRoutes(appIn: FastifyInstance, m: ModuleDeps, opts: CitizenRouteOptions): void {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const deps: CitizenDeps = { db: m.db, clock: m.clock, sessionIdleMinutes: opts.staff.settings.sessionIdleMinutes }
  const rp = opts.login ? createRelyingParty(opts.login, (fields, msg) => appIn.log.warn(fields, msg)) : undefined
  const callbackHost = opts.login ? new URL(opts.login.redirectUrl).host : undefined
  const cookieBase = { httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies }

  const failed = (req: FastifyRequest, reply: FastifyReply, e: DomainError) =>
    reply.page(
      { title: tr(req.lang, 'Chưa đăng nhập được', 'Login not completed'), status: e.kind === 'unavailable' ? 503 : 400 },
      <CitizenLoginFailedPage lang={req.lang} message={e.message} retry={e.code !== 'CITIZEN.LOGIN_NOT_CONFIGURED'} />,
    )
  const notConfigured = new DomainError('unavailable', 'CITIZEN.LOGIN_NOT_CONFIGURED', 'Đăng nhập bằng tài khoản định danh điện tử chưa được cấu hình trên hệ thống này.')

  // Ending whoever was signed in before: one person per browser, whichever kind they were.
  const endPrevious = async (req: FastifyRequest) => {
    const me = req.principal
    if (me?.kind === 'staff') await logoutStaff(opts.staff, me.sessionId)
    else if (me?.kind === 'citizen') await logoutCitizen(deps, me.sessionId, 'replaced')
  }

  app.get(CITIZEN_LOGIN_PATH, { schema: { hide: true, querystring: z.object({ next: z.string().max(500).optional() }) } }, async (req, reply) => {
    if (!rp) return failed(req, reply, notConfigured)
    const next = safeNext(req.query.next)
    if (req.principal?.kind === 'citizen') return reply.redirect(next, 303)
    // The pending-login cookie must live on the host the provider sends the person back to.
    // In demo mode the portal is reached as 127.0.0.1 or localhost alike: move to the right one first.
    if (m.mode === 'demo' && callbackHost && req.host !== callbackHost) {
      const canonical = new URL(opts.login!.redirectUrl)
      return reply.redirect(`${canonical.origin}${CITIZEN_LOGIN_PATH}?next=${encodeURIComponent(next)}`, 303)
    }
    let started: Awaited<ReturnType<typeof rp.begin>>
    try {
      started = await rp.begin(next, m.clock.now())
    } catch (e) {
      if (e instanceof DomainError) return failed(req, reply, e)
      throw e
    }
    reply.setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(started.pending)).toString('base64url'), { ...cookieBase, path: CITIZEN_LOGIN_PATH, maxAge: PENDING_LOGIN_SECONDS, signed: true })
    return reply.header('cache-control', 'no-store').redirect(started.url, 303)
  })

  app.get(
    CALLBACK_PATH,
    { schema: { hide: true, querystring: z.record(z.string(), z.string().max(4000)) }, config: { rateLimit: { max: opts.loginRatePerMinute, timeWindow: '1 minute' } } },
    async (req, reply) => {
      if (!rp) return failed(req, reply, notConfigured)
      // The pending state is for one use: cleared whatever happens next.
      reply.clearCookie(PENDING_COOKIE, { path: CITIZEN_LOGIN_PATH })
      const pending = readPending(req, m.clock.now())
      if (!pending) {
        return failed(req, reply, new DomainError('invalid', 'CITIZEN.LOGIN_EXPIRED', 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ (quá 10 phút, hoặc mở từ một trình duyệt khác). Vui lòng đăng nhập lại.'))
      }
      try {
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
        const mapped = mapCitizenClaims(await rp.complete(pending, query), { today: m.clock.now() })
        if (!mapped.ok) {
          req.log.warn({ code: mapped.code }, 'citizen login refused: claims')
          const message =
            mapped.code === 'CITIZEN.INVALID_IDENTITY_NUMBER'
              ? `Số định danh cá nhân nhận từ hệ thống định danh không hợp lệ: ${mapped.problem} Vì Dân chưa thể đăng nhập cho tài khoản này; vui lòng liên hệ cơ quan quản lý căn cước để kiểm tra lại.`
              : mapped.problem
          return failed(req, reply, new DomainError('invalid', mapped.code, message))
        }
        await endPrevious(req)
        const session = await loginCitizen(deps, mapped.claims, { issuer: rp.issuer })
        reply.setCookie(SESSION_COOKIE, session.token, { ...cookieBase, path: '/', signed: true })
        return reply.redirect(safeNext(pending.next), 303)
      } catch (e) {
        if (e instanceof DomainError) return failed(req, reply, e)
        throw e
      }
    },
  )

  app.post(`/cong-dan/dang-xuat`, { schema: { hide: true } }, async (req, reply) => {
    if (req.principal?.kind === 'citizen') await logoutCitizen(deps, req.principal.sessionId)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/', 303)
  })

  const citizen = m.guards.citizen()
  app.get(CITIZEN_ACCOUNT_PATH, { schema: { hide: true }, preHandler: citizen }, async (req, reply) => {
    const me = req.principal as CitizenPrincipal
    return reply.page(
      { title: tr(req.lang, 'Tài khoản của tôi', 'My account') },
      <CitizenAccountPage lang={req.lang} citizen={await getCitizen(m.db, me.citizenId)} sessionLevel={me.assuranceLevel} />,
    )
  })

  app.get(
    '/api/v1/citizen/me',
    {
      schema: {
        tags: ['citizen'],
        summary: 'The signed-in citizen: name, masked identity number, assurance level of this login',
        response: {
          200: z.object({
            fullName: z.string(),
            identityNumberMasked: z.string(),
            assuranceLevel: z.union([z.literal(1), z.literal(2)]),
            business: z.object({ name: z.string(), taxCode: z.string().nullable() }).nullable(),
          }),
        },
      },
      preHandler: citizen,
    },
    async (req) => {
      const me = req.principal as CitizenPrincipal
      const c = await getCitizen(m.db, me.citizenId)
      return {
        fullName: c.fullName,
        identityNumberMasked: maskIdentityNumber(c.identityNumber),
        assuranceLevel: me.assuranceLevel,
        business: c.businessName ? { name: c.businessName, taxCode: c.businessTaxCode } : null,
      }
    },
  )
}

function readPending(req: FastifyRequest, now: Date): PendingLogin | undefined {
  const raw = req.cookies[PENDING_COOKIE]
  if (!raw) return undefined
  const unsigned = req.unsignCookie(raw)
  if (!unsigned.valid || !unsigned.value) return undefined
  try {
    const parsed = PendingLogin.safeParse(JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')))
    if (!parsed.success) return undefined
    const age = now.getTime() - parsed.data.at
    return age >= 0 && age <= PENDING_LOGIN_SECONDS * 1000 ? parsed.data : undefined
  } catch {
    return undefined
  }
}
