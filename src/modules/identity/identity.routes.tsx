import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { STAFF_ROLES, type StaffPrincipal, type StaffRole } from '../../shared/auth.js'
import { DomainError, fieldErrorsOf, ForbiddenError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { Guards, ModuleDeps, VidanModule } from '../../shared/module.js'
import { listAgencies } from '../org/index.js'
import { CITIZEN_LOGIN_PATH, registerCitizenRoutes } from './citizen.routes.js'
import { authenticateCitizenToken, CITIZEN_TOKEN_PREFIX, logoutCitizen, type CitizenDeps } from './citizen.service.js'
import { AdminStaffDetailPage, AdminStaffPage, LoginPage, PasswordPage, StaffHomePage, type FieldErrors } from './identity.pages.js'
import {
  authenticateToken,
  changePassword,
  createAccount,
  getAccount,
  listAccounts,
  login,
  logout,
  moveAccount,
  SESSION_COOKIE,
  type IdentityDeps,
  type IdentitySettings,
} from './identity.service.js'

const PASSWORD_PAGE = '/staff/password'

/**
 * Session cookie → request.principal (an officer or a citizen: one cookie, the token's prefix
 * says which table holds it), and the guards every module's routes use.
 */
export function createStaffAuth(base: Omit<IdentityDeps, 'settings'>, settings: IdentitySettings): { authenticate: onRequestAsyncHookHandler; guards: Guards } {
  const deps: IdentityDeps = { ...base, settings }
  const citizenDeps: CitizenDeps = { ...base, sessionIdleMinutes: settings.sessionIdleMinutes }
  const authenticate: onRequestAsyncHookHandler = async (req): Promise<void> => {
    const raw = req.cookies[SESSION_COOKIE]
    if (!raw) return
    const unsigned = req.unsignCookie(raw)
    if (!unsigned.valid || !unsigned.value) return
    req.principal = unsigned.value.startsWith(CITIZEN_TOKEN_PREFIX) ? await authenticateCitizenToken(citizenDeps, unsigned.value) : await authenticateToken(deps, unsigned.value)
  }
  const guards: Guards = {
    staff(...roles: StaffRole[]) {
      return async (req: FastifyRequest, reply: FastifyReply) => {
        const me = req.principal
        if (!me) throw new DomainError('unauthenticated', 'AUTH.REQUIRED', 'Vui lòng đăng nhập để tiếp tục.')
        if (me.kind !== 'staff') throw new ForbiddenError('Trang này dành cho cán bộ. Bạn đang đăng nhập bằng tài khoản công dân.', 'AUTH.STAFF_ONLY')
        if (me.mustChangePassword && req.url.split('?')[0] !== PASSWORD_PAGE) {
          if (req.url.startsWith('/api/')) throw new ForbiddenError('Bạn cần đổi mật khẩu trước khi làm việc.', 'AUTH.PASSWORD_CHANGE_REQUIRED')
          return reply.redirect(PASSWORD_PAGE, 303)
        }
        if (roles.length && !roles.includes(me.role)) throw new ForbiddenError()
      }
    },
    citizen(opts: { level?: 2 } = {}) {
      return async (req: FastifyRequest, reply: FastifyReply) => {
        const me = req.principal
        if (!me) {
          if (req.url.startsWith('/api/')) throw new DomainError('unauthenticated', 'AUTH.CITIZEN_REQUIRED', 'Vui lòng đăng nhập bằng tài khoản định danh điện tử.')
          return reply.redirect(`${CITIZEN_LOGIN_PATH}?next=${encodeURIComponent(req.url)}`, 303)
        }
        if (me.kind !== 'citizen') throw new ForbiddenError('Trang này dành cho công dân đăng nhập bằng tài khoản định danh điện tử. Bạn đang đăng nhập bằng tài khoản cán bộ.', 'AUTH.CITIZEN_ONLY')
        if (opts.level === 2 && me.assuranceLevel !== 2) {
          throw new ForbiddenError('Dịch vụ này cần tài khoản định danh điện tử mức 2. Tài khoản của bạn đang ở mức 1.', 'AUTH.LEVEL2_REQUIRED')
        }
      }
    },
  }
  return { authenticate, guards }
}

const safeNext = (n: string | undefined) => (n && /^\/(?![/\\])[^\s\\]*$/.test(n) && !n.startsWith('/staff/login') ? n : '/staff')


function zodFieldErrors(issues: z.core.$ZodIssue[]): FieldErrors {
  const out: Record<string, string[]> = {}
  for (const i of issues) (out[String(i.path[0] ?? 'form')] ??= []).push(i.message)
  return out
}

const Username = z.string().trim().min(3, 'Tên đăng nhập cần 3–60 ký tự.').max(60, 'Tên đăng nhập cần 3–60 ký tự.').regex(/^[a-z0-9._-]+$/i, 'Chỉ dùng chữ không dấu, số, dấu chấm, gạch.')
const NewAccountBody = z.object({
  username: Username,
  fullName: z.string().trim().min(2, 'Cần nhập họ tên.').max(120),
  email: z.string().trim().email().max(200).optional(),
  role: z.enum(STAFF_ROLES),
  agencyId: z.string().min(1).max(100),
  password: z.string().min(1).max(200).optional(),
})
const MoveBody = z.object({
  agencyId: z.string().min(1).max(100),
  role: z.enum(STAFF_ROLES),
  reason: z.string().trim().min(3, 'Cần ghi lý do.').max(300),
  expectedVersion: z.coerce.number().int().min(1),
})
const AccountDto = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  role: z.enum(STAFF_ROLES),
  agencyId: z.string(),
  locked: z.boolean(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  version: z.number(),
})
const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

export function identityModule(settings: IdentitySettings, secureCookies: boolean): VidanModule {
  return {
    name: 'identity',
    register(appIn: FastifyInstance, m: ModuleDeps) {
      const app = appIn.withTypeProvider<ZodTypeProvider>()
      const deps: IdentityDeps = { db: m.db, clock: m.clock, settings }
      const admin = m.guards.staff('admin')
      const staff = m.guards.staff()
      const agencyOptions = async () => (await listAgencies(m.db)).map((a) => ({ id: a.id, name: a.name, code: a.code }))
      registerCitizenRoutes(appIn, m, { login: settings.citizenLogin, staff: deps, loginRatePerMinute: settings.loginRatePerMinute ?? 30, secureCookies })
      const setSession = (reply: FastifyReply, token: string) =>
        reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, signed: true })

      // ---- pages -------------------------------------------------------------------------
      app.get('/staff/login', { schema: { hide: true, querystring: z.object({ next: z.string().max(500).optional() }) } }, async (req, reply) => {
        if (req.principal?.kind === 'staff') return reply.redirect(safeNext(req.query.next), 303)
        return reply.page({ title: tr(req.lang, 'Cán bộ đăng nhập', 'Staff login') }, <LoginPage lang={req.lang} csrf={reply.csrfToken()} next={safeNext(req.query.next)} />)
      })

      app.post(
        '/staff/login',
        {
          schema: { hide: true, body: z.object({ username: z.string().max(100).default(''), password: z.string().max(200).default(''), next: z.string().max(500).optional() }) },
          config: { rateLimit: { max: settings.loginRatePerMinute ?? 30, timeWindow: '1 minute' } },
        },
        async (req, reply) => {
          const { username, password, next } = req.body
          try {
            const r = await login(deps, username, password)
            if (req.principal?.kind === 'citizen') await logoutCitizen(deps, req.principal.sessionId, 'replaced')
            setSession(reply, r.token)
            return reply.redirect(r.mustChangePassword ? PASSWORD_PAGE : safeNext(next), 303)
          } catch (e) {
            if (!(e instanceof DomainError)) throw e
            const status = e.kind === 'locked' ? 423 : 401
            return reply.page(
              { title: tr(req.lang, 'Cán bộ đăng nhập', 'Staff login'), status },
              <LoginPage lang={req.lang} csrf={reply.csrfToken()} next={safeNext(next)} username={username} error={e.message} />,
            )
          }
        },
      )

      app.post('/staff/logout', { schema: { hide: true } }, async (req, reply) => {
        if (req.principal?.kind === 'staff') await logout(deps, req.principal.sessionId)
        reply.clearCookie(SESSION_COOKIE, { path: '/' })
        return reply.redirect('/', 303)
      })

      app.get('/staff', { schema: { hide: true }, preHandler: staff }, async (req, reply) =>
        reply.page({ title: tr(req.lang, 'Không gian làm việc', 'Workspace') }, <StaffHomePage lang={req.lang} principal={req.principal as StaffPrincipal} />),
      )

      app.get(PASSWORD_PAGE, { schema: { hide: true, querystring: z.object({ done: z.string().optional() }) }, preHandler: staff }, async (req, reply) =>
        reply.page(
          { title: tr(req.lang, 'Đổi mật khẩu', 'Change password') },
          <PasswordPage lang={req.lang} csrf={reply.csrfToken()} errors={{}} forced={(req.principal as StaffPrincipal).mustChangePassword} done={req.query.done === '1'} />,
        ),
      )
      app.post(
        PASSWORD_PAGE,
        { schema: { hide: true, body: z.object({ currentPassword: z.string().max(200).default(''), newPassword: z.string().max(200).default('') }) }, preHandler: staff },
        async (req, reply) => {
          try {
            await changePassword(deps, req.principal as StaffPrincipal, req.body.currentPassword, req.body.newPassword)
            return reply.redirect(`${PASSWORD_PAGE}?done=1`, 303)
          } catch (e) {
            const errors = fieldErrorsOf(e)
            if (!errors) throw e
            return reply.page(
              { title: tr(req.lang, 'Đổi mật khẩu', 'Change password'), status: 400 },
              <PasswordPage lang={req.lang} csrf={reply.csrfToken()} errors={errors} forced={(req.principal as StaffPrincipal).mustChangePassword} />,
            )
          }
        },
      )

      const renderAdminList = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string>; created?: { username: string; initialPassword: string }; status?: number } = {}) =>
        reply.page(
          { title: tr(req.lang, 'Tài khoản cán bộ', 'Staff accounts'), status: extra.status ?? 200 },
          <AdminStaffPage lang={req.lang} csrf={reply.csrfToken()} accounts={await listAccounts(deps)} agencies={await agencyOptions()} errors={extra.errors ?? {}} values={extra.values ?? {}} created={extra.created} />,
        )

      app.get('/admin/staff', { schema: { hide: true }, preHandler: admin }, async (req, reply) => renderAdminList(req, reply))
      app.post('/admin/staff', { schema: { hide: true, body: z.record(z.string(), z.string()) }, preHandler: admin }, async (req, reply) => {
        const values = req.body
        const parsed = NewAccountBody.omit({ password: true, email: true }).safeParse(values)
        if (!parsed.success) return renderAdminList(req, reply, { errors: zodFieldErrors(parsed.error.issues), values, status: 400 })
        try {
          const r = await createAccount(deps, (req.principal as StaffPrincipal).accountId, parsed.data)
          return renderAdminList(req, reply, { created: { username: r.account.username, initialPassword: r.initialPassword } })
        } catch (e) {
          const errors = fieldErrorsOf(e)
          if (!errors) throw e
          return renderAdminList(req, reply, { errors, values, status: e instanceof DomainError && e.kind === 'conflict' ? 409 : 400 })
        }
      })
      const IdParam = z.object({ id: z.string().uuid() })
      app.get('/admin/staff/:id', { schema: { hide: true, params: IdParam, querystring: z.object({ moved: z.string().optional() }) }, preHandler: admin }, async (req, reply) =>
        reply.page(
          { title: tr(req.lang, 'Tài khoản cán bộ', 'Staff account') },
          <AdminStaffDetailPage lang={req.lang} csrf={reply.csrfToken()} account={await getAccount(deps, req.params.id)} agencies={await agencyOptions()} errors={{}} moved={req.query.moved === '1'} />,
        ),
      )
      app.post('/admin/staff/:id/move', { schema: { hide: true, params: IdParam, body: z.record(z.string(), z.string()) }, preHandler: admin }, async (req, reply) => {
        const parsed = MoveBody.safeParse(req.body)
        const show = async (errors: FieldErrors, status: number) =>
          reply.page(
            { title: tr(req.lang, 'Tài khoản cán bộ', 'Staff account'), status },
            <AdminStaffDetailPage lang={req.lang} csrf={reply.csrfToken()} account={await getAccount(deps, req.params.id)} agencies={await agencyOptions()} errors={errors} />,
          )
        if (!parsed.success) return show(zodFieldErrors(parsed.error.issues), 400)
        try {
          await moveAccount(deps, (req.principal as StaffPrincipal).accountId, req.params.id, parsed.data)
          return reply.redirect(`/admin/staff/${req.params.id}?moved=1`, 303)
        } catch (e) {
          if (e instanceof DomainError && (e.kind === 'conflict' || e.kind === 'invalid')) return show(fieldErrorsOf(e) ?? { form: [e.message] }, e.kind === 'conflict' ? 409 : 400)
          throw e
        }
      })

      // ---- API ---------------------------------------------------------------------------
      app.get(
        '/api/v1/staff/me',
        {
          schema: {
            tags: ['staff'],
            summary: 'The signed-in officer: agency and role',
            response: {
              200: z.object({ id: z.string(), username: z.string(), fullName: z.string(), role: z.enum(STAFF_ROLES), agency: z.object({ id: z.string(), code: z.string(), name: z.string() }) }),
              401: ErrorDto,
            },
          },
          preHandler: staff,
        },
        async (req) => {
          const me = req.principal as StaffPrincipal
          return { id: me.accountId, username: me.username, fullName: me.fullName, role: me.role, agency: { id: me.agencyId, code: me.agencyCode, name: me.agencyName } }
        },
      )
      app.get(
        '/api/v1/admin/staff',
        { schema: { tags: ['staff'], summary: 'List staff accounts (administrator)', querystring: z.object({ agencyId: z.string().max(100).optional() }), response: { 200: z.object({ items: z.array(AccountDto) }) } }, preHandler: admin },
        async (req) => ({ items: await listAccounts(deps, req.query) }),
      )
      app.post(
        '/api/v1/admin/staff',
        { schema: { tags: ['staff'], summary: 'Create a staff account (administrator)', body: NewAccountBody, response: { 201: z.object({ account: AccountDto, initialPassword: z.string() }) } }, preHandler: admin },
        async (req, reply) => reply.status(201).send(await createAccount(deps, (req.principal as StaffPrincipal).accountId, req.body)),
      )
      app.post(
        '/api/v1/admin/staff/:id/move',
        { schema: { tags: ['staff'], summary: 'Move an officer to another agency; old permissions and sessions are revoked', params: IdParam, body: MoveBody, response: { 200: AccountDto } }, preHandler: admin },
        async (req) => moveAccount(deps, (req.principal as StaffPrincipal).accountId, req.params.id, req.body),
      )
    },
  }
}
