import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { inTransaction } from '../../shared/database.js'
import { DomainError, fieldErrorsOf } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps } from '../../shared/module.js'
import type { DueExplanation } from '../calendar/index.js'
import { listProvinceProcedures } from '../catalog/index.js'
import { listActiveStaff } from '../identity/index.js'
import { listAgencies, listCurrentCommunes } from '../org/index.js'
import { ACCEPT_ATTRIBUTE, FilesRefusedError, type PreparedFile } from '../documents/index.js'
import { loadDossierDetail, toDossierDto } from './dossier.dto.js'
import { DOSSIER_ACTIONS, STATUS_LABELS, type DossierStatus } from './dossier.machine.js'
import { resolveProcedure } from './dossier.procedure.js'
import { availableForms, DOSSIER_FORM_KINDS, issueDossierForm, type DossierFormKind } from './dossier.form-issue.js'
import { renderFormPdf } from './dossier.forms.js'
import { INBOXES, listInbox, logAccess } from './dossier.queries.js'
import { getDossier } from './dossier.repo.js'
import { act, type DossierDeps, type IntakeInput } from './dossier.service.js'
import { publicApologies, trackDossier } from './dossier.tracking.js'
import { attachFilesTo, fileKindsFor, openDossierFile, filesDepsOf, intakeWithScans, listDossierFiles, mayReadFiles, OFFICER_FILE_KINDS, prepareDossierFiles, receiveUpload } from './dossier.files.js'
import { sendFile } from './dossier.files-routes.js'
import { ApologiesPage, DossierPage, InboxPage, IntakePage, RegisterPage, TrackingPage, type FieldErrors, type IntakeFormData } from './dossier.pages.js'
import type { PersonJson } from './dossier.tables.js'

const FORM_LABEL: Record<DossierFormKind, { vi: string; en: string }> = {
  receipt: { vi: 'Giấy tiếp nhận và hẹn trả kết quả (PDF)', en: 'Receipt and appointment (PDF)' },
  supplement: { vi: 'Phiếu yêu cầu bổ sung (PDF)', en: 'Supplement request (PDF)' },
  refusal: { vi: 'Phiếu từ chối (PDF)', en: 'Refusal notice (PDF)' },
  apology: { vi: 'Văn bản xin lỗi và hẹn lại (PDF)', en: 'Apology and new date (PDF)' },
  stop: { vi: 'Thông báo dừng giải quyết (PDF)', en: 'Notice of stopping (PDF)' },
  control: { vi: 'Phiếu kiểm soát quá trình (PDF)', en: 'Process-control sheet (PDF)' },
}

/** A domain error's field problems, or its message as the form's problem. */
function formErrorsOf(e: unknown): FieldErrors | undefined {
  if (!(e instanceof DomainError)) return undefined
  return fieldErrorsOf(e) ?? { form: [e.message] }
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean)

/** Back-office pages (inbox, dossier, intake, register) and the public tracking and apology pages. */
export function registerDossierPages(appIn: FastifyInstance, m: ModuleDeps) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const deps: DossierDeps = { db: m.db, clock: m.clock, provinceCode: m.provinceCode }
  const staff = m.guards.staff()
  const me = (req: FastifyRequest) => req.principal as StaffPrincipal
  const files = filesDepsOf(m)

  // ---- public ---------------------------------------------------------------------------------
  app.get(
    '/tra-cuu',
    { schema: { hide: true, querystring: z.object({ ma: z.string().max(60).optional(), so: z.string().max(10).optional() }) }, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const code = req.query.ma?.trim() ?? ''
      const verifier = req.query.so?.trim() ?? ''
      const errors: FieldErrors = {}
      let result
      let notFound = false
      if (code || verifier) {
        if (!code) errors['ma'] = [tr(req.lang, 'Cần nhập mã hồ sơ.', 'Enter the dossier code.')]
        if (!/^\d{4}$/.test(verifier)) errors['so'] = [tr(req.lang, 'Nhập đúng 4 chữ số.', 'Enter exactly four digits.')]
        if (!Object.keys(errors).length) {
          result = await trackDossier(m.db, code, verifier)
          notFound = !result
        }
      }
      return reply.page({ title: tr(req.lang, 'Tra cứu hồ sơ', 'Track a dossier'), status: notFound ? 404 : Object.keys(errors).length ? 400 : 200 }, <TrackingPage lang={req.lang} code={code} verifier={verifier} result={result} notFound={notFound} errors={errors} />)
    },
  )

  app.get('/thu-xin-loi', { schema: { hide: true, querystring: z.object({ agency: z.string().max(100).optional() }) } }, async (req, reply) => {
    const agency = req.query.agency || undefined
    const [items, agencies] = await Promise.all([publicApologies(m.db, { agency, limit: 200 }), listAgencies(m.db)])
    return reply.page({ title: tr(req.lang, 'Thư xin lỗi', 'Apologies') }, <ApologiesPage lang={req.lang} agency={agency} agencies={agencies.map((a) => ({ id: a.id, name: a.name }))} items={items} />)
  })

  // ---- back office ----------------------------------------------------------------------------
  app.get('/staff/ho-so', { schema: { hide: true, querystring: z.object({ box: z.enum(INBOXES).default('unit'), q: z.string().max(100).optional() }) }, preHandler: staff }, async (req, reply) => {
    const r = await listInbox(m.db, me(req), { box: req.query.box, q: req.query.q, limit: 100, offset: 0 })
    return reply.page({ title: tr(req.lang, 'Hồ sơ', 'Dossiers') }, <InboxPage lang={req.lang} box={req.query.box} q={req.query.q ?? ''} items={r.items} total={r.total} canIntake={me(req).role === 'counter_officer'} />)
  })

  const showDossier = async (req: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldErrors; message?: string; done?: string; status?: number } = {}) => {
    const d = await getDossier(m.db, id)
    await logAccess(m.db, m.clock, d.id, me(req).accountId, 'page')
    const detail = await loadDossierDetail(m.db, d)
    const agencies = await listAgencies(m.db)
    const people = new Map<string, string>()
    for (const e of await m.db.selectFrom('dossierEvents').select(['actorId', 'actorName']).where('dossierId', '=', d.id).execute()) if (e.actorId) people.set(e.actorId, e.actorName)
    const officers = await listActiveStaff(m.db, d.currentAgencyId, 'processing_officer')
    for (const o of officers) people.set(o.id, o.fullName)
    const explanation = (d.dueExplanation as DueExplanation | null)?.steps ?? []
    const attached = mayReadFiles(me(req), d) ? await listDossierFiles(m.db, d.id) : undefined
    return reply.page(
      { title: `${tr(req.lang, 'Hồ sơ', 'Dossier')} ${d.code ?? ''}`, status: extra.status ?? 200 },
      <DossierPage
        lang={req.lang}
        csrf={reply.csrfToken()}
        errors={extra.errors ?? {}}
        message={extra.message}
        done={extra.done}
        data={{
          d: toDossierDto(d, me(req)),
          events: detail.events,
          steps: detail.steps,
          agencies: new Map(agencies.map((a) => [a.id, a.name])),
          people,
          officers,
          allAgencies: agencies.filter((a) => a.id !== d.currentAgencyId).map((a) => ({ id: a.id, name: a.name })),
          explanation,
          plan: detail.plan,
          forms: (await availableForms(m.db, d)).map((k) => ({ id: k, label: FORM_LABEL[k][req.lang] })),
          files: attached,
          upload: { kinds: fileKindsFor(me(req), d), accept: ACCEPT_ATTRIBUTE, maxFileBytes: files.documents.limits.maxFileBytes, maxFiles: files.documents.limits.maxFilesPerDossier },
        }}
      />,
    )
  }

  app.get('/staff/ho-so/:id/mau/:kind', { schema: { hide: true, params: z.object({ id: z.string().uuid(), kind: z.enum(DOSSIER_FORM_KINDS) }) }, preHandler: staff }, async (req, reply) => {
    const f = await issueDossierForm({ db: m.db, clock: m.clock, publicUrl: m.publicUrl }, req.params.id, req.params.kind, me(req).accountId)
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${f.formCode.replace(/[^A-Za-z0-9.-]/g, '_')}-${req.params.id.slice(0, 8)}.pdf"`)
      .header('x-content-sha256', f.sha256)
      .send(f.bytes)
  })

  app.get('/staff/ho-so/:id', { schema: { hide: true, params: z.object({ id: z.string().uuid() }), querystring: z.object({ done: z.string().max(40).optional() }) }, preHandler: staff }, async (req, reply) =>
    showDossier(req, reply, req.params.id, { done: req.query.done }),
  )

  const ActionForm = z.object({
    action: z.enum(DOSSIER_ACTIONS),
    expectedVersion: z.coerce.number().int().min(1),
    reason: z.string().max(2000).optional(),
    note: z.string().max(2000).optional(),
    assigneeId: z.string().max(100).optional(),
    agencyId: z.string().max(100).optional(),
    missing: z.string().max(5000).optional(),
    proposedAppointment: z.string().max(40).optional(),
    trackingNumber: z.string().max(40).optional(),
  })
  app.post('/staff/ho-so/:id/thao-tac', { schema: { hide: true, params: z.object({ id: z.string().uuid() }), body: z.record(z.string(), z.string()) }, preHandler: staff }, async (req, reply) => {
    const parsed = ActionForm.safeParse(req.body)
    if (!parsed.success) return showDossier(req, reply, req.params.id, { errors: { form: parsed.error.issues.map((i) => i.message) }, status: 400 })
    const f = parsed.data
    // datetime-local has no zone: it is Vietnam time.
    const proposed = f.proposedAppointment ? `${f.proposedAppointment.length === 16 ? `${f.proposedAppointment}:00` : f.proposedAppointment}+07:00` : undefined
    try {
      await inTransaction(m.db, (trx) =>
        act(trx, deps, me(req), req.params.id, {
          action: f.action,
          expectedVersion: f.expectedVersion,
          reason: f.reason || undefined,
          note: f.note || undefined,
          assigneeId: f.assigneeId || undefined,
          agencyId: f.agencyId || undefined,
          missing: lines(f.missing),
          proposedAppointment: proposed,
          trackingNumber: f.trackingNumber || undefined,
        }),
      )
      return reply.redirect(`/staff/ho-so/${req.params.id}?done=${f.action}`, 303)
    } catch (e) {
      return refused(req, reply, req.params.id, e)
    }
  })

  /** A refused change: the dossier page again, with the messages next to the fields. */
  const refused = (req: FastifyRequest, reply: FastifyReply, id: string, e: unknown) => {
    const errors = formErrorsOf(e)
    if (!errors || !(e instanceof DomainError) || e.kind === 'not_found') throw e
    const status = e.kind === 'conflict' ? 409 : e.kind === 'forbidden' ? 403 : e.kind === 'unavailable' ? 503 : 400
    return showDossier(req, reply, id, { errors, message: e.message, status })
  }

  // Files of the dossier: upload (scans, results) from the dossier page, download.
  app.post('/staff/ho-so/:id/tep', { schema: { hide: true, params: z.object({ id: z.string().uuid() }), body: z.record(z.string(), z.string()) }, config: { multipart: true }, preHandler: staff }, async (req, reply) => {
    const incoming = await receiveUpload(req, files)
    const kind = OFFICER_FILE_KINDS.find((k) => k === req.body['kind'])
    const expectedVersion = Number(req.body['expectedVersion']) || undefined
    try {
      if (!kind) throw new DomainError('invalid', 'DOSSIER.INVALID_FILE_KIND', tr(req.lang, 'Chưa chọn loại tệp.', 'Choose the kind of file.'), { fields: { kind: [tr(req.lang, 'Chưa chọn loại tệp.', 'Choose the kind of file.')] } })
      const prepared = await prepareDossierFiles(files, req.params.id, incoming, { required: true })
      await inTransaction(m.db, (trx) => attachFilesTo(trx, files, me(req), req.params.id, kind, prepared, { expectedVersion, legalCopy: req.body['legalCopy'] === 'true' }))
      return reply.redirect(`/staff/ho-so/${req.params.id}?done=attach_file`, 303)
    } catch (e) {
      return refused(req, reply, req.params.id, e)
    }
  })
  app.get('/staff/ho-so/:id/tep/:fileId', { schema: { hide: true, params: z.object({ id: z.string().uuid(), fileId: z.string().uuid() }) }, preHandler: staff }, async (req, reply) =>
    sendFile(reply, await openDossierFile(files, me(req), req.params.id, req.params.fileId, 'page')),
  )

  const intakeData = async (procedure: string | undefined): Promise<IntakeFormData> => {
    const [procedures, communes] = await Promise.all([listProvinceProcedures({ db: m.db }), listCurrentCommunes(m.db, m.provinceCode)])
    let chosen: IntakeFormData['chosen']
    if (procedure && procedures.some((p) => p.code === procedure)) {
      try {
        const snap = await resolveProcedure({ db: m.db, clock: m.clock }, { code: procedure, at: m.clock.now(), channel: 'counter', communeCode: communes[0]?.code })
        chosen = { code: snap.code, name: snap.name, limitText: snap.limitText, limitKnown: !!snap.limit, commune: snap.competentAgencyId.startsWith('ubnd-xa-') || snap.competentAgencyId.startsWith('ttpvhcc-xa-'), documents: snap.documents }
      } catch (e) {
        if (!(e instanceof DomainError)) throw e
      }
    }
    const upload = { accept: ACCEPT_ATTRIBUTE, maxFileBytes: files.documents.limits.maxFileBytes, maxFiles: files.documents.limits.maxFilesPerDossier }
    return { procedures: procedures.map((p) => ({ code: p.code, name: p.name })), communes: communes.map((c) => ({ code: c.code, name: c.name })), chosen, upload }
  }

  app.get('/staff/tiep-nhan', { schema: { hide: true, querystring: z.object({ procedure: z.string().max(40).optional() }) }, preHandler: m.guards.staff('counter_officer') }, async (req, reply) =>
    reply.page({ title: tr(req.lang, 'Tiếp nhận hồ sơ', 'Receive a dossier') }, <IntakePage lang={req.lang} csrf={reply.csrfToken()} data={await intakeData(req.query.procedure)} values={{}} errors={{}} />),
  )

  app.post('/staff/tiep-nhan', { schema: { hide: true, body: z.record(z.string(), z.string()) }, config: { multipart: true }, preHandler: m.guards.staff('counter_officer') }, async (req, reply) => {
    // The scanned papers are read first (within the upload limits), then everything is checked.
    const incoming = await receiveUpload(req, files)
    const v = req.body
    const data = await intakeData(v['procedureCode'])
    const again = (errors: FieldErrors, status: number, message?: string) =>
      reply.page({ title: tr(req.lang, 'Tiếp nhận hồ sơ', 'Receive a dossier'), status }, <IntakePage lang={req.lang} csrf={reply.csrfToken()} data={data} values={v} errors={errors} message={message} />)
    if (!data.chosen) return again({ form: [tr(req.lang, 'Chưa chọn thủ tục hợp lệ.', 'Choose a valid procedure.')] }, 400)
    const decision = v['decision'] === 'supplement' || v['decision'] === 'refuse' ? v['decision'] : 'accept'
    const errors: FieldErrors = {}
    if (!v['fullName'] || v['fullName'].trim().length < 2) errors['applicant.fullName'] = [tr(req.lang, 'Cần nhập họ tên người nộp.', 'Enter the applicant name.')]
    const limitDays = v['limitDays'] ? Number(v['limitDays']) : undefined
    if (limitDays !== undefined && (!Number.isInteger(limitDays) || limitDays < 0 || limitDays > 1000)) errors['limit'] = [tr(req.lang, 'Thời hạn không hợp lệ.', 'Invalid time limit.')]
    let scans: PreparedFile[] = []
    let refusedFiles: FilesRefusedError | undefined
    if (incoming.length && decision === 'refuse') errors['files'] = [tr(req.lang, 'Hồ sơ bị từ chối tiếp nhận thì không đính kèm bản quét.', 'A refused dossier takes no scans.')]
    else {
      try {
        scans = await prepareDossierFiles(files, null, incoming, { required: false })
      } catch (e) {
        if (!(e instanceof FilesRefusedError)) throw e
        refusedFiles = e
      }
    }
    if (Object.keys(errors).length) return again({ ...errors, ...(refusedFiles ? formErrorsOf(refusedFiles) : {}) }, 400)
    const input: IntakeInput = {
      procedureCode: data.chosen.code,
      communeCode: v['communeCode'] || undefined,
      applicant: { fullName: v['fullName']!, idNumber: v['idNumber'] || undefined, phone: v['phone'] || undefined, address: v['address'] || undefined },
      documents: data.chosen.documents.map((d, i) => ({ name: d.name, originals: d.originals, certifiedCopies: 0, photocopies: d.copies, received: v[`doc${i}`] === '1' })),
      limit: limitDays !== undefined ? { amount: limitDays, unit: 'working_days' } : undefined,
      decision,
      reason: v['reason'] || undefined,
      missing: lines(v['missing']),
    }
    try {
      const d = await intakeWithScans({ ...files, dossier: deps }, me(req), input, scans, refusedFiles)
      return reply.redirect(`/staff/ho-so/${d.id}?done=${decision === 'accept' ? 'receive' : decision === 'refuse' ? 'refuse' : 'request_supplement_intake'}`, 303)
    } catch (e) {
      const fe = formErrorsOf(e)
      if (!fe) throw e
      return again(fe, 400, e instanceof DomainError ? e.message : undefined)
    }
  })

  const registerRows = async (agencyId: string, year: number) => {
    const from = new Date(Date.UTC(year, 0, 1) - 7 * 3600_000)
    const to = new Date(Date.UTC(year + 1, 0, 1) - 7 * 3600_000)
    const rows = await m.db
      .selectFrom('dossiers')
      .select(['code', 'procedureName', 'applicant', 'receivedAt', 'appointmentAt', 'returnedAt', 'status'])
      .where('receivingAgencyId', '=', agencyId)
      .where('receivedAt', '>=', from)
      .where('receivedAt', '<', to)
      .orderBy('receivedAt')
      .orderBy('code')
      .execute()
    return rows.map((r) => ({
      code: r.code,
      procedureName: r.procedureName,
      applicantName: (r.applicant as PersonJson).fullName,
      receivedAt: r.receivedAt?.toISOString() ?? null,
      appointmentAt: r.appointmentAt?.toISOString() ?? null,
      returnedAt: r.returnedAt?.toISOString() ?? null,
      statusLabel: STATUS_LABELS[r.status as DossierStatus].vi,
    }))
  }
  const YearQuery = z.object({ year: z.coerce.number().int().min(2020).max(2100).optional() })
  const thisYear = () => Number(new Date(m.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 4))
  app.get('/staff/so-theo-doi', { schema: { hide: true, querystring: YearQuery }, preHandler: staff }, async (req, reply) => {
    const year = req.query.year ?? thisYear()
    return reply.page({ title: tr(req.lang, 'Sổ theo dõi hồ sơ', 'Register') }, <RegisterPage lang={req.lang} year={year} agencyName={me(req).agencyName} rows={await registerRows(me(req).agencyId, year)} />)
  })
  app.get('/staff/so-theo-doi.pdf', { schema: { hide: true, querystring: YearQuery }, preHandler: staff }, async (req, reply) => {
    const year = req.query.year ?? thisYear()
    const rows = (await registerRows(me(req).agencyId, year)).filter((r) => r.code && r.receivedAt)
    // Issued as of the end of the day it is printed (Vietnam time), so a reprint the same day is identical.
    const today = new Date(m.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10)
    const pdf = await renderFormPdf({
      kind: 'register',
      issuedAt: new Date(`${today}T16:59:59.000Z`),
      place: 'Cà Mau',
      agency: { name: me(req).agencyName },
      year,
      rows: rows.map((r) => ({ code: r.code!, procedureName: r.procedureName, applicant: { name: r.applicantName }, receivedAt: new Date(r.receivedAt!), appointmentAt: r.appointmentAt ? new Date(r.appointmentAt) : null, returnedAt: r.returnedAt ? new Date(r.returnedAt) : null, note: r.statusLabel })),
    })
    return reply.type('application/pdf').header('content-disposition', `inline; filename="so-theo-doi-${year}.pdf"`).send(pdf)
  })
  app.get('/staff/so-theo-doi.csv', { schema: { hide: true, querystring: YearQuery }, preHandler: staff }, async (req, reply) => {
    const year = req.query.year ?? thisYear()
    const rows = await registerRows(me(req).agencyId, year)
    const esc = (s: string | null) => `"${(s ?? '').replace(/"/g, '""')}"`
    const csv = ['STT,Mã hồ sơ,Thủ tục,Người nộp,Tiếp nhận,Hẹn trả,Đã trả,Trạng thái', ...rows.map((r, i) => [String(i + 1), esc(r.code), esc(r.procedureName), esc(r.applicantName), esc(r.receivedAt), esc(r.appointmentAt), esc(r.returnedAt), esc(r.statusLabel)].join(','))].join('\r\n')
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="so-theo-doi-${year}.csv"`)
      .send(`\uFEFF${csv}\r\n`)
  })
}
