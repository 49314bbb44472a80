import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { NotFoundError } from '../../shared/errors.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { consumeOutbox } from '../../shared/outbox.js'
import { CALENDAR_CHANGED } from '../calendar/index.js'
import { ApologyDto, DossierDto, EventDto, loadDossierDetail, StepDto, toDossierDto } from './dossier.dto.js'
import { PlanView } from './dossier.workflow.js'
import { runIdempotent } from './dossier.idempotency.js'
import { DOSSIER_ACTIONS } from './dossier.machine.js'
import { getDossier, SYSTEM_ACTOR } from './dossier.repo.js'
import { act, intakeAtCounter, recomputeOpenDeadlines, submitOnline, sweepDeadlines, type DossierDeps } from './dossier.service.js'
import { listInbox, INBOXES, logAccess } from './dossier.queries.js'
import { publicApologies, trackDossier, TrackingDto } from './dossier.tracking.js'
import { registerDossierPages } from './dossier.page-routes.js'
import { DOSSIER_FORM_KINDS, issueDossierForm } from './dossier.form-issue.js'
import { filesDepsOf } from './dossier.files.js'
import { registerDossierFileRoutes } from './dossier.files-routes.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

const Person = z.object({
  fullName: z.string().trim().min(2).max(120),
  idNumber: z.string().trim().max(20).optional(),
  phone: z.string().trim().max(20).optional(),
  email: z.string().trim().email().max(200).optional(),
  address: z.string().trim().max(300).optional(),
})
const DocumentIn = z.object({ name: z.string().trim().min(1).max(500), originals: z.number().int().min(0).max(50), certifiedCopies: z.number().int().min(0).max(50), photocopies: z.number().int().min(0).max(50), received: z.boolean() })
const LimitIn = z.object({ amount: z.number().int().min(0).max(1000), unit: z.enum(['working_days', 'calendar_days', 'working_hours', 'same_day']) })
const ProcedureCode = z.string().regex(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, 'Mã thủ tục không hợp lệ.')
const CommuneCode = z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số.')

const IntakeBody = z.object({
  procedureCode: ProcedureCode,
  caseName: z.string().max(500).optional(),
  communeCode: CommuneCode.optional(),
  applicant: Person,
  owner: Person.optional(),
  documents: z.array(DocumentIn).max(100).optional(),
  sets: z.number().int().min(1).max(20).optional(),
  returnMethod: z.enum(['counter', 'post', 'online']).optional(),
  limit: LimitIn.optional(),
  decision: z.enum(['accept', 'supplement', 'refuse']),
  reason: z.string().trim().max(2000).optional(),
  missing: z.array(z.string().trim().min(1).max(500)).max(50).optional(),
})
const OnlineBody = IntakeBody.omit({ decision: true, reason: true, missing: true })

const ActionBody = z.object({
  action: z.enum(DOSSIER_ACTIONS),
  expectedVersion: z.number().int().min(1),
  reason: z.string().trim().max(2000).optional(),
  note: z.string().trim().max(2000).optional(),
  assigneeId: z.string().uuid().optional(),
  agencyId: z.string().min(1).max(100).optional(),
  missing: z.array(z.string().trim().min(1).max(500)).max(50).optional(),
  proposedAppointment: z.iso.datetime({ offset: true }).optional(),
  amount: z.number().int().min(1).max(60).optional(),
  apologyId: z.string().uuid().optional(),
  trackingNumber: z.string().trim().max(40).optional(),
})
const IdemHeaders = z.object({ 'idempotency-key': z.string().min(8).max(100).optional() })
const DossierId = z.object({ id: z.string().uuid() })
const DetailDto = DossierDto.extend({ events: z.array(EventDto), steps: z.array(StepDto), apologies: z.array(ApologyDto), plan: PlanView.nullable() })

/** Dossiers: lifecycle, counter intake, handling, the deadline clock, apologies, public tracking. */
export const dossiersModule: VidanModule = {
  name: 'dossiers',
  register(appIn: FastifyInstance, m: ModuleDeps) {
    const app = appIn.withTypeProvider<ZodTypeProvider>()
    const deps: DossierDeps = { db: m.db, clock: m.clock, provinceCode: m.provinceCode }
    const staff = m.guards.staff()
    const me = (req: { principal?: unknown }) => req.principal as StaffPrincipal
    registerDossierPages(appIn, m)
    registerDossierFileRoutes(appIn, m, filesDepsOf(m))

    app.post(
      '/api/v1/dossiers/intake',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Counter intake: accept (code, receipt form 01, appointment), ask for a supplement (form 02) or refuse (form 03). Accepts an Idempotency-Key header.',
          headers: IdemHeaders,
          body: IntakeBody,
          response: { 201: DossierDto, 400: ErrorDto, 403: ErrorDto, 409: ErrorDto },
        },
        preHandler: m.guards.staff('counter_officer'),
      },
      async (req, reply) => {
        const r = await runIdempotent(m.db, m.clock, { scope: `intake:${me(req).accountId}`, key: req.headers['idempotency-key'], request: req.body }, async (trx) => ({
          statusCode: 201,
          body: toDossierDto(await intakeAtCounter(trx, deps, me(req), req.body), me(req)),
        }))
        return reply.status(r.statusCode as 201).header('idempotent-replayed', String(r.replayed)).send(r.body as DossierDto)
      },
    )

    app.post(
      '/api/v1/dossiers/online',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Online submission (status 1, awaiting receipt by the competent one-stop desk). Accepts an Idempotency-Key header.',
          headers: IdemHeaders,
          body: OnlineBody,
          response: { 201: z.object({ id: z.string(), status: z.string(), submittedAt: z.string(), competentAgencyId: z.string() }), 400: ErrorDto },
        },
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const r = await runIdempotent(m.db, m.clock, { scope: 'online', key: req.headers['idempotency-key'], request: req.body }, async (trx) => {
          const d = await submitOnline(trx, deps, { id: null, name: req.body.applicant.fullName, role: 'applicant', agencyId: null }, req.body)
          return { statusCode: 201, body: { id: d.id, status: d.status, submittedAt: d.submittedAt.toISOString(), competentAgencyId: d.competentAgencyId } }
        })
        return reply.status(r.statusCode as 201).send(r.body as { id: string; status: string; submittedAt: string; competentAgencyId: string })
      },
    )

    app.get(
      '/api/v1/dossiers',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Inbox of the signed-in officer: mine, my unit, due soon, late, awaiting supplement; search by code, applicant name or identity number',
          querystring: z.object({ box: z.enum(INBOXES).default('unit'), q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100000).default(0) }),
          response: { 200: z.object({ items: z.array(z.object({ id: z.string(), code: z.string().nullable(), status: z.string(), statusLabel: z.string(), procedureName: z.string(), applicantName: z.string(), applicantIdMasked: z.string().nullable(), dueAt: z.string().nullable(), appointmentAt: z.string().nullable(), atRisk: z.boolean(), late: z.boolean(), currentAssigneeId: z.string().nullable() })), total: z.number() }) },
        },
        preHandler: staff,
      },
      async (req) => listInbox(m.db, me(req), req.query),
    )

    app.get(
      '/api/v1/dossiers/:id',
      { schema: { tags: ['dossiers'], summary: 'One dossier with its timeline, steps (form 06) and apologies; the opening is logged', params: DossierId, response: { 200: DetailDto, 404: ErrorDto } }, preHandler: staff },
      async (req) => {
        const d = await getDossier(m.db, req.params.id)
        await logAccess(m.db, m.clock, d.id, me(req).accountId, 'api')
        return { ...toDossierDto(d, me(req)), ...(await loadDossierDetail(m.db, d)) }
      },
    )

    app.post(
      '/api/v1/dossiers/:id/actions',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'Act on a dossier (assign, transfer, consult, supplement, approve, return, apologise, …) with the version you saw; 409 when it changed or the action is not allowed now. Accepts an Idempotency-Key header.',
          params: DossierId,
          headers: IdemHeaders,
          body: ActionBody,
          response: { 200: DossierDto, 400: ErrorDto, 403: ErrorDto, 404: ErrorDto, 409: ErrorDto },
        },
        preHandler: staff,
      },
      async (req, reply) => {
        const r = await runIdempotent(m.db, m.clock, { scope: `act:${me(req).accountId}:${req.params.id}`, key: req.headers['idempotency-key'], request: req.body }, async (trx) => ({
          statusCode: 200,
          body: toDossierDto(await act(trx, deps, me(req), req.params.id, req.body), me(req)),
        }))
        return reply.status(r.statusCode as 200).header('idempotent-replayed', String(r.replayed)).send(r.body as DossierDto)
      },
    )

    app.get(
      '/api/v1/dossiers/:id/forms/:kind',
      {
        schema: {
          tags: ['dossiers'],
          summary: 'An official form of the dossier as PDF (01 receipt, 02 supplement, 03 refusal, 04 apology, 05 stop, 06 process control); issued once and stored, the same bytes every time (x-content-sha256)',
          params: z.object({ id: z.string().uuid(), kind: z.enum(DOSSIER_FORM_KINDS) }),
        },
        preHandler: staff,
      },
      async (req, reply) => {
        const f = await issueDossierForm({ db: m.db, clock: m.clock, publicUrl: m.publicUrl }, req.params.id, req.params.kind, me(req).accountId)
        return reply.type('application/pdf').header('x-content-sha256', f.sha256).header('x-form-code', f.formCode).send(f.bytes)
      },
    )

    app.get(
      '/api/v1/tracking/:code',
      {
        schema: {
          tags: ['tracking'],
          summary: 'Public tracking: dossier code plus the last four digits of the applicant phone or identity number. Unknown code and wrong verifier answer the same 404.',
          params: z.object({ code: z.string().max(60) }),
          querystring: z.object({ verifier: z.string().regex(/^\d{4}$/, 'Nhập 4 chữ số cuối.') }),
          response: { 200: TrackingDto, 404: ErrorDto },
        },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req) => {
        const t = await trackDossier(m.db, req.params.code, req.query.verifier)
        if (!t) throw new NotFoundError('TRACKING.NOT_FOUND', 'Không tìm thấy hồ sơ với mã và 4 số đã nhập.')
        return t
      },
    )

    app.get(
      '/api/v1/apologies',
      {
        schema: {
          tags: ['tracking'],
          summary: 'Public apologies (form 04) per agency: masked dossier code, procedure, reason, old and new appointment',
          querystring: z.object({ agency: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ items: z.array(z.object({ agencyId: z.string(), agencyName: z.string(), dossierCodeMasked: z.string(), procedureName: z.string(), reason: z.string(), oldAppointment: z.string(), newAppointment: z.string(), approvedAt: z.string() })) }) },
        },
      },
      async (req) => ({ items: await publicApologies(m.db, req.query) }),
    )
  },
  jobs(m: ModuleDeps) {
    const deps: DossierDeps = { db: m.db, clock: m.clock, provinceCode: m.provinceCode }
    return [
      { name: 'dossiers.deadline-sweep', everyMs: 60_000, run: () => sweepDeadlines(deps) },
      {
        name: 'dossiers.recompute-on-calendar-change',
        everyMs: 15_000,
        run: async () => {
          let changed = false
          await consumeOutbox(m.db, 'dossiers.recompute', [CALENDAR_CHANGED], async () => {
            changed = true
          })
          if (changed) await recomputeOpenDeadlines(deps, 'Lịch làm việc thay đổi (calendar.changed)')
        },
      },
    ]
  },
}

export { SYSTEM_ACTOR }
