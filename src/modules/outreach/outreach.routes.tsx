import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CitizenPrincipal, StaffPrincipal } from '../../shared/auth.js'
import { DomainError, fieldErrorsOf, httpStatusOf } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import type { FieldErrors } from '../../shared/ui/fields.js'
import { maskIdentityNumber, maskPhone } from '../identity/index.js'
import type { SmsSender } from '../notify/index.js'
import { listCurrentCommunes } from '../org/index.js'
import {
  citizenConsents,
  decideInSession,
  getRequestOfMember,
  memberConsents,
  resendConsentCode,
  revokeConsent,
  startConsentRequest,
  verifyConsentCode,
  type ConsentDeps,
  type ConsentListItem,
  type ConsentRequestRow,
} from './consent.service.js'
import { AdminTeamPage, AdminTeamsPage, AssistRequestPage, AssistStartPage, CitizenConsentsPage } from './outreach.pages.js'
import { addMember, createTeam, getTeam, listMembers, listTeams, removeMember, requireMembership } from './outreach.service.js'

export interface OutreachSettings {
  sms: SmsSender
  /** Key of the consent codes' HMAC (a server secret). */
  otpSecret: string
  /** Requests that send a code, per minute from one address (on top of the per-member and per-phone caps). */
  sendRatePerMinute: number
}

export const ASSIST_PATH = '/ho-tro/nop-thay'
export const CITIZEN_CONSENTS_PATH = '/cong-dan/uy-quyen'
const ADMIN_PATH = '/admin/to-cong-nghe-so'

const Id = z.string().uuid()
const StartBody = z.object({
  identityNumber: z.string().max(40).default(''),
  phone: z.string().max(40).optional(),
  purpose: z.string().max(400).default(''),
  scope: z.enum(['one_dossier', 'until_expiry']).default('one_dossier'),
  validDays: z.coerce.number().int().min(-1000).max(1000).catch(0).default(7),
  method: z.enum(['sms_otp', 'in_session']).default('sms_otp'),
})
const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const RequestDto = z.object({
  id: z.string(),
  citizenIdentityNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  phoneSource: z.string().nullable(),
  purpose: z.string(),
  scope: z.string(),
  validDays: z.number(),
  method: z.string(),
  status: z.string(),
  attempts: z.number(),
  sendCount: z.number(),
  createdAt: z.date(),
  expiresAt: z.date(),
  consentId: z.string().nullable(),
})
const ConsentDto = z.object({ id: z.string(), memberName: z.string(), teamName: z.string().optional(), purpose: z.string(), scope: z.string(), method: z.string(), grantedAt: z.date(), expiresAt: z.date(), revokedAt: z.date().nullable(), state: z.string().optional(), citizenIdentityNumberMasked: z.string(), uses: z.array(z.object({ dossierId: z.string(), dossierCode: z.string().nullable(), usedAt: z.date() })).optional() })
const TeamDto = z.object({ id: z.string(), communeCode: z.string(), communeName: z.string(), name: z.string(), activeMembers: z.number(), createdAt: z.date() })
const MemberDto = z.object({ id: z.string(), teamId: z.string(), identityNumberMasked: z.string(), fullName: z.string(), addedAt: z.date(), removedAt: z.date().nullable() })

const requestDto = (r: ConsentRequestRow) => ({
  id: r.id,
  citizenIdentityNumberMasked: maskIdentityNumber(r.citizenIdentityNumber),
  phoneMasked: r.phone ? maskPhone(r.phone) : null,
  phoneSource: r.phoneSource,
  purpose: r.purpose,
  scope: r.scope,
  validDays: r.validDays,
  method: r.method,
  status: r.status,
  attempts: r.attempts,
  sendCount: r.sendCount,
  createdAt: r.createdAt,
  expiresAt: r.expiresAt,
  consentId: r.consentId,
})
const consentDto = (c: ConsentListItem) => ({ ...c, citizenIdentityNumberMasked: maskIdentityNumber(c.citizenIdentityNumber) })



/** The outreach module: community digital teams (admin), assisted submission consent (members, citizens). */
export function outreachModule(settings: OutreachSettings): VidanModule {
  return {
    name: 'outreach',
    register(appIn: FastifyInstance, m: ModuleDeps) {
      const app = appIn.withTypeProvider<ZodTypeProvider>()
      const deps: ConsentDeps = { db: m.db, clock: m.clock, sms: settings.sms, otpSecret: settings.otpSecret }
      const citizen = m.guards.citizen()
      const admin = m.guards.staff('admin')
      const me = (req: FastifyRequest) => (req.principal as CitizenPrincipal).citizenId
      const sendRate = { rateLimit: { max: settings.sendRatePerMinute, timeWindow: '1 minute' } }

      // ---- member: "Nộp hồ sơ thay" ------------------------------------------------------------
      const renderStart = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string>; message?: string; status?: number } = {}) => {
        const membership = await requireMembership(m.db, me(req))
        return reply.page(
          { title: tr(req.lang, 'Nộp hồ sơ thay công dân', 'Submit for a citizen'), status: extra.status ?? 200 },
          <AssistStartPage lang={req.lang} csrf={reply.csrfToken()} membership={membership} errors={extra.errors ?? {}} values={extra.values ?? {}} message={extra.message} overview={await memberConsents(m.db, me(req), m.clock.now())} />,
        )
      }
      const renderRequest = async (req: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldErrors; message?: string; status?: number } = {}) => {
        const r = await getRequestOfMember(m.db, me(req), id)
        const consent = r.consentId ? (await memberConsents(m.db, me(req), m.clock.now())).consents.find((c) => c.id === r.consentId) : undefined
        return reply.page(
          { title: tr(req.lang, 'Yêu cầu uỷ quyền', 'Consent request'), status: extra.status ?? 200 },
          <AssistRequestPage lang={req.lang} csrf={reply.csrfToken()} request={{ ...r, citizenIdentityNumberMasked: maskIdentityNumber(r.citizenIdentityNumber), phoneMasked: r.phone ? maskPhone(r.phone) : null }} errors={extra.errors ?? {}} message={extra.message} consentExpiresAt={consent?.expiresAt} />,
        )
      }

      app.get(ASSIST_PATH, { schema: { hide: true }, preHandler: citizen }, async (req, reply) => renderStart(req, reply))
      app.post(ASSIST_PATH, { schema: { hide: true, body: z.record(z.string(), z.string()) }, preHandler: citizen, config: sendRate }, async (req, reply) => {
        const values = req.body
        const body = StartBody.parse({ ...values, phone: values['phone'] || undefined, validDays: values['validDays'] || undefined, scope: values['scope'] || undefined, method: values['method'] || undefined })
        try {
          const r = await startConsentRequest(deps, me(req), body)
          return reply.redirect(`${ASSIST_PATH}/${r.id}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError) || e.code === 'OUTREACH.NOT_A_MEMBER') throw e
          return renderStart(req, reply, { errors: fieldErrorsOf(e) ?? {}, values, message: e.message, status: httpStatusOf(e) })
        }
      })
      app.get(`${ASSIST_PATH}/:id`, { schema: { hide: true, params: z.object({ id: Id }) }, preHandler: citizen }, async (req, reply) => {
        await requireMembership(m.db, me(req))
        return renderRequest(req, reply, req.params.id)
      })
      app.post(`${ASSIST_PATH}/:id/xac-nhan`, { schema: { hide: true, params: z.object({ id: Id }), body: z.object({ code: z.string().max(20).default('') }) }, preHandler: citizen }, async (req, reply) => {
        try {
          await verifyConsentCode(deps, me(req), req.params.id, req.body.code)
          return reply.redirect(`${ASSIST_PATH}/${req.params.id}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError) || e.kind === 'not_found' || e.kind === 'forbidden') throw e
          return renderRequest(req, reply, req.params.id, { errors: fieldErrorsOf(e) ?? {}, message: e.message, status: httpStatusOf(e) })
        }
      })
      app.post(`${ASSIST_PATH}/:id/gui-lai`, { schema: { hide: true, params: z.object({ id: Id }) }, preHandler: citizen, config: sendRate }, async (req, reply) => {
        try {
          await resendConsentCode(deps, me(req), req.params.id)
          return reply.redirect(`${ASSIST_PATH}/${req.params.id}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError) || e.kind === 'not_found' || e.kind === 'forbidden') throw e
          return renderRequest(req, reply, req.params.id, { message: e.message, status: httpStatusOf(e) })
        }
      })

      // ---- citizen: "Uỷ quyền" -------------------------------------------------------------------
      const renderConsents = async (req: FastifyRequest, reply: FastifyReply, extra: { message?: string; status?: number; done?: string } = {}) => {
        const data = await citizenConsents(m.db, me(req), m.clock.now())
        return reply.page(
          { title: tr(req.lang, 'Uỷ quyền nộp hồ sơ thay', 'Consents to submit for me'), status: extra.status ?? 200 },
          <CitizenConsentsPage lang={req.lang} csrf={reply.csrfToken()} message={extra.message} done={extra.done} pending={data.pending} consents={data.consents} />,
        )
      }
      app.get(CITIZEN_CONSENTS_PATH, { schema: { hide: true, querystring: z.object({ done: z.enum(['approved', 'declined', 'revoked']).optional() }) }, preHandler: citizen }, async (req, reply) => renderConsents(req, reply, { ...(req.query.done ? { done: req.query.done } : {}) }))
      app.post(`${CITIZEN_CONSENTS_PATH}/yeu-cau/:id`, { schema: { hide: true, params: z.object({ id: Id }), body: z.object({ decision: z.enum(['approve', 'decline']) }) }, preHandler: citizen }, async (req, reply) => {
        try {
          await decideInSession(deps, me(req), req.params.id, req.body.decision)
          return reply.redirect(`${CITIZEN_CONSENTS_PATH}?done=${req.body.decision === 'approve' ? 'approved' : 'declined'}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
          return renderConsents(req, reply, { message: e.message, status: httpStatusOf(e) })
        }
      })
      app.post(`${CITIZEN_CONSENTS_PATH}/:id/thu-hoi`, { schema: { hide: true, params: z.object({ id: Id }) }, preHandler: citizen }, async (req, reply) => {
        await revokeConsent(deps, me(req), req.params.id)
        return reply.redirect(`${CITIZEN_CONSENTS_PATH}?done=revoked`, 303)
      })

      // ---- API -----------------------------------------------------------------------------------
      const tags = ['outreach']
      app.post(
        '/api/v1/outreach/consent-requests',
        { schema: { tags, summary: "A team member asks a citizen's consent (code by SMS, or approval in the citizen's session)", body: StartBody, response: { 201: RequestDto, 400: ErrorDto, 403: ErrorDto, 429: ErrorDto, 503: ErrorDto } }, preHandler: citizen, config: sendRate },
        async (req, reply) => reply.status(201).send(requestDto(await startConsentRequest(deps, me(req), req.body))),
      )
      app.get('/api/v1/outreach/consent-requests/:id', { schema: { tags, summary: 'One of my consent requests (member)', params: z.object({ id: Id }), response: { 200: RequestDto, 404: ErrorDto } }, preHandler: citizen }, async (req) =>
        requestDto(await getRequestOfMember(m.db, me(req), req.params.id)),
      )
      app.post(
        '/api/v1/outreach/consent-requests/:id/verify',
        { schema: { tags, summary: 'The member enters the code the citizen received; answers the consent', params: z.object({ id: Id }), body: z.object({ code: z.string().max(20) }), response: { 201: z.object({ consentId: z.string(), expiresAt: z.date() }), 400: ErrorDto, 409: ErrorDto, 423: ErrorDto } }, preHandler: citizen },
        async (req, reply) => {
          const c = await verifyConsentCode(deps, me(req), req.params.id, req.body.code)
          return reply.status(201).send({ consentId: c.id, expiresAt: c.expiresAt })
        },
      )
      app.post(
        '/api/v1/outreach/consent-requests/:id/resend',
        { schema: { tags, summary: 'A new code for a request (spaced and capped)', params: z.object({ id: Id }), response: { 200: RequestDto, 409: ErrorDto, 429: ErrorDto, 503: ErrorDto } }, preHandler: citizen, config: sendRate },
        async (req) => requestDto(await resendConsentCode(deps, me(req), req.params.id)),
      )
      app.get('/api/v1/citizen/me/consents', { schema: { tags, summary: 'Requests waiting for me and the consents I gave, with the dossiers they were used for', response: { 200: z.object({ pending: z.array(z.object({ id: z.string(), memberName: z.string(), teamName: z.string(), purpose: z.string(), scope: z.string(), validDays: z.number(), createdAt: z.date(), expiresAt: z.date() })), consents: z.array(ConsentDto) }) } }, preHandler: citizen }, async (req) => {
        const d = await citizenConsents(m.db, me(req), m.clock.now())
        return { pending: d.pending, consents: d.consents.map(consentDto) }
      })
      app.post(
        '/api/v1/citizen/me/consent-requests/:id/decision',
        { schema: { tags, summary: "The citizen approves or declines a member's request in their own session", params: z.object({ id: Id }), body: z.object({ decision: z.enum(['approve', 'decline']) }), response: { 200: z.object({ consentId: z.string().nullable() }), 404: ErrorDto, 409: ErrorDto } }, preHandler: citizen },
        async (req) => ({ consentId: (await decideInSession(deps, me(req), req.params.id, req.body.decision))?.id ?? null }),
      )
      app.post('/api/v1/citizen/me/consents/:id/revoke', { schema: { tags, summary: 'The citizen withdraws a consent', params: z.object({ id: Id }), response: { 200: z.object({ revoked: z.literal(true) }), 404: ErrorDto } }, preHandler: citizen }, async (req) => {
        await revokeConsent(deps, me(req), req.params.id)
        return { revoked: true as const }
      })

      // ---- administrators: teams and members ----------------------------------------------------
      const actor = (req: FastifyRequest) => (req.principal as StaffPrincipal).accountId
      const communes = async () => (await listCurrentCommunes(m.db, m.provinceCode)).map((c) => ({ code: c.code, name: c.name }))
      const memberDto = (x: Awaited<ReturnType<typeof listMembers>>[number]) => ({ id: x.id, teamId: x.teamId, identityNumberMasked: maskIdentityNumber(x.identityNumber), fullName: x.fullName, addedAt: x.addedAt, removedAt: x.removedAt })
      app.get('/api/v1/outreach/teams', { schema: { tags, summary: 'Community digital teams (administrators)', response: { 200: z.array(TeamDto) } }, preHandler: admin }, async () => listTeams(m.db))
      app.post('/api/v1/outreach/teams', { schema: { tags, summary: 'Create a team of a commune', body: z.object({ communeCode: z.string().max(10), name: z.string().max(300) }), response: { 201: TeamDto, 400: ErrorDto, 409: ErrorDto } }, preHandler: admin }, async (req, reply) =>
        reply.status(201).send(await createTeam(deps, actor(req), req.body)),
      )
      app.get('/api/v1/outreach/teams/:id/members', { schema: { tags, summary: "A team's members (identity numbers masked)", params: z.object({ id: Id }), response: { 200: z.array(MemberDto), 404: ErrorDto } }, preHandler: admin }, async (req) => {
        await getTeam(m.db, req.params.id)
        return (await listMembers(m.db, req.params.id)).map(memberDto)
      })
      app.post('/api/v1/outreach/teams/:id/members', { schema: { tags, summary: 'Link a citizen (by identity number) to a team', params: z.object({ id: Id }), body: z.object({ identityNumber: z.string().max(40), fullName: z.string().max(300) }), response: { 201: MemberDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto } }, preHandler: admin }, async (req, reply) =>
        reply.status(201).send(memberDto(await addMember(deps, actor(req), req.params.id, req.body))),
      )
      app.delete('/api/v1/outreach/teams/:id/members/:memberId', { schema: { tags, summary: 'End a membership (its consents stop working)', params: z.object({ id: Id, memberId: Id }), response: { 200: z.object({ removed: z.literal(true) }), 404: ErrorDto } }, preHandler: admin }, async (req) => {
        await removeMember(deps, actor(req), req.params.id, req.params.memberId)
        return { removed: true as const }
      })

      const renderTeams = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldErrors; values?: Record<string, string>; message?: string; status?: number } = {}) =>
        reply.page(
          { title: tr(req.lang, 'Tổ công nghệ số cộng đồng', 'Community digital teams'), status: extra.status ?? 200 },
          <AdminTeamsPage lang={req.lang} csrf={reply.csrfToken()} teams={await listTeams(m.db)} communes={await communes()} errors={extra.errors ?? {}} values={extra.values ?? {}} message={extra.message} />,
        )
      const renderTeam = async (req: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldErrors; values?: Record<string, string>; message?: string; status?: number; done?: string } = {}) =>
        reply.page(
          { title: tr(req.lang, 'Tổ công nghệ số cộng đồng', 'Community digital team'), status: extra.status ?? 200 },
          <AdminTeamPage lang={req.lang} csrf={reply.csrfToken()} team={await getTeam(m.db, id)} members={(await listMembers(m.db, id)).map((x) => ({ ...x, identityNumberMasked: maskIdentityNumber(x.identityNumber) }))} errors={extra.errors ?? {}} values={extra.values ?? {}} message={extra.message} done={extra.done} />,
        )
      app.get(ADMIN_PATH, { schema: { hide: true }, preHandler: admin }, async (req, reply) => renderTeams(req, reply))
      app.post(ADMIN_PATH, { schema: { hide: true, body: z.record(z.string(), z.string()) }, preHandler: admin }, async (req, reply) => {
        try {
          const team = await createTeam(deps, actor(req), { communeCode: req.body['communeCode'] ?? '', name: req.body['name'] ?? '' })
          return reply.redirect(`${ADMIN_PATH}/${team.id}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError)) throw e
          return renderTeams(req, reply, { errors: fieldErrorsOf(e) ?? {}, values: req.body, status: httpStatusOf(e) })
        }
      })
      app.get(`${ADMIN_PATH}/:id`, { schema: { hide: true, params: z.object({ id: Id }), querystring: z.object({ done: z.enum(['added', 'removed']).optional() }) }, preHandler: admin }, async (req, reply) =>
        renderTeam(req, reply, req.params.id, req.query.done ? { done: req.query.done } : {}),
      )
      app.post(`${ADMIN_PATH}/:id/thanh-vien`, { schema: { hide: true, params: z.object({ id: Id }), body: z.record(z.string(), z.string()) }, preHandler: admin }, async (req, reply) => {
        try {
          await addMember(deps, actor(req), req.params.id, { identityNumber: req.body['identityNumber'] ?? '', fullName: req.body['fullName'] ?? '' })
          return reply.redirect(`${ADMIN_PATH}/${req.params.id}?done=added`, 303)
        } catch (e) {
          if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
          return renderTeam(req, reply, req.params.id, { errors: fieldErrorsOf(e) ?? {}, values: req.body, status: httpStatusOf(e) })
        }
      })
      app.post(`${ADMIN_PATH}/:id/thanh-vien/:memberId/xoa`, { schema: { hide: true, params: z.object({ id: Id, memberId: Id }) }, preHandler: admin }, async (req, reply) => {
        await removeMember(deps, actor(req), req.params.id, req.params.memberId)
        return reply.redirect(`${ADMIN_PATH}/${req.params.id}?done=removed`, 303)
      })
    },
  }
}
