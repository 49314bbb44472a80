import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { DomainError, NotFoundError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps } from '../../shared/module.js'
import { listAgencies } from '../org/index.js'
import {
  diffProcedureVersions,
  editProcedure,
  listCatalogAudit,
  listProceduresForAdmin,
  publishProcedure,
  unpublishProcedure,
  type CatalogActor,
} from './catalog.admin.js'
import { editFromForm, formActionOf, formStateFromBody, formStateOf, withRowAdded, type EditFormState, type FieldErrors, type FormBody } from './catalog.admin-form.js'
import { AdminAuditPage, AdminCatalogListPage, AdminHistoryPage, AdminProcedurePage, adminHref, type PublicationForm } from './catalog.admin-pages.js'
import { ADMIN_STATUSES } from './catalog.admin.repo.js'
import { RULE_LABELS } from './catalog.labels.js'
import { AuditAction, AuditEntryDto, FieldChangeDto, ProcedureCode, ProcedureDto, ProcedureEdit, PublishInput, UnpublishInput } from './catalog.schemas.js'
import { getProcedure, listCatalogFields, listProcedureVersions, type CatalogDeps } from './catalog.service.js'
import { AdminWorkflowPage, workflowEditFromForm, workflowFormFromBody, workflowFormOf, type WorkflowFormState } from './catalog.workflow-pages.js'
import { editWorkflow, getWorkflowTemplate } from './catalog.workflow-service.js'
import { WorkflowEdit, WorkflowTemplateDto } from './catalog.workflow.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const CodeParam = z.object({ code: ProcedureCode })
const PageCodeParam = z.object({ code: z.string().max(60) })
const FormBodySchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]))

const actorOf = (req: FastifyRequest): CatalogActor => {
  const me = req.principal as StaffPrincipal
  return { id: me.accountId, name: `${me.fullName} (${me.username})` }
}

function fieldsOf(e: unknown): FieldErrors | undefined {
  if (!(e instanceof DomainError)) return undefined
  const d = e.details as { fields?: FieldErrors } | undefined
  return d?.fields
}

/** Catalogue administration: the API (edit, publish, unpublish, diff, audit) and the /admin/thu-tuc pages. */
export function registerCatalogAdmin(appIn: FastifyInstance, m: ModuleDeps): void {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const deps: CatalogDeps = { db: m.db, clock: m.clock }
  const admin = m.guards.staff('admin')

  // ---- API ---------------------------------------------------------------------------------
  app.post(
    '/api/v1/procedures/:code/versions',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Edit a procedure (administrator): publishes a new version; the previous ones stay readable; audited',
        params: CodeParam,
        body: ProcedureEdit,
        response: { 201: ProcedureDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
      },
      preHandler: admin,
    },
    async (req, reply) => reply.status(201).send(await editProcedure(deps, req.params.code, req.body, actorOf(req))),
  )
  app.put(
    '/api/v1/procedures/:code/workflow',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Set a procedure’s workflow template (administrator): every problem at once (400, nothing saved); publishes a new procedure version carrying it; 409 on a stale version; audited. Running dossiers keep their plan',
        params: CodeParam,
        body: WorkflowEdit,
        response: { 200: WorkflowTemplateDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => editWorkflow(deps, req.params.code, req.body, actorOf(req)),
  )
  app.post(
    '/api/v1/procedures/:code/unpublish',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Unpublish a procedure (administrator): off the portal and intake, versions stay readable; reason required; 409 on a stale version',
        params: CodeParam,
        body: UnpublishInput,
        response: { 200: ProcedureDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => unpublishProcedure(deps, req.params.code, req.body, actorOf(req)),
  )
  app.post(
    '/api/v1/procedures/:code/publish',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Publish an unpublished procedure again (administrator); 409 on a stale version',
        params: CodeParam,
        body: PublishInput,
        response: { 200: ProcedureDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => publishProcedure(deps, req.params.code, req.body, actorOf(req)),
  )
  app.get(
    '/api/v1/procedures/:code/diff',
    {
      schema: {
        tags: ['catalog'],
        summary: 'What changed between two versions of a procedure, field by field (labels in the reader’s language)',
        params: CodeParam,
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        response: {
          200: z.object({ code: z.string(), from: z.object({ version: z.number().int(), publishedAt: z.string() }), to: z.object({ version: z.number().int(), publishedAt: z.string() }), changes: z.array(FieldChangeDto) }),
          400: ErrorDto,
          404: ErrorDto,
        },
      },
    },
    async (req) => {
      const r = await diffProcedureVersions(deps, req.params.code, req.query.from, req.query.to, req.lang)
      return { code: r.to.code, from: { version: r.from.version, publishedAt: r.from.publishedAt }, to: { version: r.to.version, publishedAt: r.to.publishedAt }, changes: r.changes }
    },
  )
  app.get(
    '/api/v1/catalog/audit',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Audit of catalogue changes (administrator): edits, publication, imports; who, when, what, why; newest first',
        querystring: z.object({
          code: ProcedureCode.optional(),
          action: AuditAction.optional(),
          page: z.coerce.number().int().min(1).max(10000).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(AuditEntryDto), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }), 400: ErrorDto, 404: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => listCatalogAudit(deps, req.query),
  )

  // ---- pages -------------------------------------------------------------------------------
  const codeOf = (raw: string): string => {
    const c = ProcedureCode.safeParse(raw)
    if (!c.success) throw new NotFoundError('CATALOG.PROCEDURE_NOT_FOUND', `Không có thủ tục mã ${raw}.`)
    return c.data
  }

  const agencyData = async () => {
    const agencies = (await listAgencies(m.db)).map((a) => ({ ref: a.id, name: a.name }))
    const labels = new Map<string, string>(agencies.map((a) => [a.ref, a.name]))
    for (const [ref, l] of Object.entries(RULE_LABELS)) labels.set(ref, l.vi)
    return { agencies, labels }
  }

  const emptyPublication = (): PublicationForm => ({ reason: '', note: '', errors: {} })

  const renderEdit = async (
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    o: { form?: EditFormState; errors?: FieldErrors; message?: string; notice?: string; publication?: PublicationForm; status?: number; proc?: ProcedureDto } = {},
  ) => {
    const proc = o.proc ?? (await getProcedure(deps, code))
    const [{ agencies }, fields] = await Promise.all([agencyData(), listCatalogFields(deps, 'national')])
    return reply.page(
      { title: tr(req.lang, `Sửa thủ tục ${proc.code}`, `Edit procedure ${proc.code}`), status: o.status ?? 200 },
      <AdminProcedurePage
        lang={req.lang}
        csrf={reply.csrfToken()}
        proc={proc}
        form={o.form ?? formStateOf(proc)}
        errors={o.errors ?? {}}
        message={o.message}
        notice={o.notice}
        publication={o.publication ?? emptyPublication()}
        agencies={agencies}
        fields={fields.map((f) => f.field)}
      />,
    )
  }

  const ListQuery = z.object({
    q: z.string().trim().max(200).optional(),
    'trang-thai': z.enum(ADMIN_STATUSES).optional().catch(undefined),
    trang: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
  })
  app.get('/admin/thu-tuc', { schema: { hide: true, querystring: ListQuery }, preHandler: admin }, async (req, reply) => {
    const status = req.query['trang-thai'] ?? 'active'
    const page = req.query.trang ?? 1
    const r = await listProceduresForAdmin(deps, { q: req.query.q || undefined, status, page, pageSize: 50 })
    return reply.page(
      { title: tr(req.lang, 'Quản trị danh mục thủ tục', 'Procedure catalogue administration') },
      <AdminCatalogListPage lang={req.lang} q={req.query.q || undefined} status={status} page={page} pageSize={r.pageSize} items={r.items} counts={r.counts} />,
    )
  })

  app.get('/admin/thu-tuc/nhat-ky', { schema: { hide: true, querystring: z.object({ trang: z.coerce.number().int().min(1).max(10000).optional().catch(undefined) }) }, preHandler: admin }, async (req, reply) => {
    const r = await listCatalogAudit(deps, { page: req.query.trang ?? 1, pageSize: 50 })
    return reply.page({ title: tr(req.lang, 'Nhật ký thay đổi danh mục', 'Catalogue change log') }, <AdminAuditPage lang={req.lang} items={r.items} total={r.total} page={r.page} pageSize={r.pageSize} />)
  })

  const EditNotice = z.object({ 'da-luu': z.coerce.number().int().optional().catch(undefined), 'cong-bo': z.string().max(20).optional() })
  app.get('/admin/thu-tuc/:code', { schema: { hide: true, params: PageCodeParam, querystring: EditNotice }, preHandler: admin }, async (req, reply) => {
    const code = codeOf(req.params.code)
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const saved = req.query['da-luu']
    const pub = req.query['cong-bo']
    const notice =
      saved !== undefined
        ? t(`Đã lưu phiên bản ${saved}. Phiên bản trước vẫn xem được trong lịch sử.`, `Version ${saved} saved. The previous version stays readable in the history.`)
        : pub === 'ngung'
          ? t('Đã ngừng công bố thủ tục.', 'The procedure was unpublished.')
          : pub === 'lai'
            ? t('Đã công bố lại thủ tục.', 'The procedure was published again.')
            : undefined
    return renderEdit(req, reply, code, { notice })
  })

  app.post('/admin/thu-tuc/:code', { schema: { hide: true, params: PageCodeParam, body: FormBodySchema }, preHandler: admin }, async (req, reply) => {
    const code = codeOf(req.params.code)
    const body = req.body as FormBody
    const cur = await getProcedure(deps, code)
    const state = formStateFromBody(body)
    const action = formActionOf(body)
    // Adding a row saves nothing: the form comes back with the officer's values and one more row.
    if (action.kind === 'add') return renderEdit(req, reply, code, { form: withRowAdded(state, action), proc: cur })
    const { labels } = await agencyData()
    const { edit, errors } = editFromForm(state, cur, labels, req.lang)
    if (Object.keys(errors).length) return renderEdit(req, reply, code, { form: state, errors, status: 400, proc: cur })
    try {
      const saved = await editProcedure(deps, code, edit, actorOf(req))
      return reply.redirect(`${adminHref(code)}?da-luu=${saved.version}`, 303)
    } catch (e) {
      if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
      const status = e.kind === 'conflict' ? 409 : 400
      const message =
        e.kind === 'conflict'
          ? tr(
              req.lang,
              `Chưa lưu: người khác vừa lưu phiên bản ${(await getProcedure(deps, code)).latestVersion}. Xem lịch sử để biết thay đổi, rồi tải lại trang và sửa lại.`,
              'Not saved: someone else saved a newer version. See the history, then reload the page and edit again.',
            )
          : e.message
      return renderEdit(req, reply, code, { form: state, errors: fieldsOf(e) ?? {}, message, status, proc: cur })
    }
  })

  const publicationRoute = (path: string, unpublish: boolean) =>
    app.post(path, { schema: { hide: true, params: PageCodeParam, body: FormBodySchema }, preHandler: admin }, async (req, reply) => {
      const code = codeOf(req.params.code)
      const body = req.body as FormBody
      const str = (k: string) => (typeof body[k] === 'string' ? body[k] : '')
      const form: PublicationForm = { reason: str('reason'), note: str('note'), errors: {} }
      const expectedVersion = Number(str('expectedVersion'))
      const parsed = unpublish ? UnpublishInput.safeParse({ expectedVersion, reason: form.reason }) : PublishInput.safeParse({ expectedVersion, note: form.note || undefined })
      if (!parsed.success) {
        for (const i of parsed.error.issues) (form.errors[String(i.path[0] ?? 'form')] ??= []).push(i.message)
        if (form.errors['expectedVersion']) form.message = tr(req.lang, 'Biểu mẫu thiếu số phiên bản, hãy tải lại trang.', 'The form lacks its version; reload the page.')
        return renderEdit(req, reply, code, { publication: form, status: 400 })
      }
      try {
        if (unpublish) await unpublishProcedure(deps, code, parsed.data as UnpublishInput, actorOf(req))
        else await publishProcedure(deps, code, parsed.data, actorOf(req))
        return reply.redirect(`${adminHref(code)}?cong-bo=${unpublish ? 'ngung' : 'lai'}`, 303)
      } catch (e) {
        if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
        form.message = e.kind === 'conflict' ? `${e.message} ${tr(req.lang, 'Trang đã được tải lại với tình trạng mới nhất.', 'The page shows the latest state.')}` : e.message
        return renderEdit(req, reply, code, { publication: form, status: e.kind === 'conflict' ? 409 : 400 })
      }
    })
  publicationRoute('/admin/thu-tuc/:code/ngung-cong-bo', true)
  publicationRoute('/admin/thu-tuc/:code/cong-bo', false)

  // ---- the workflow template editor ------------------------------------------------------------
  const renderWorkflow = async (req: FastifyRequest, reply: FastifyReply, code: string, o: { form?: WorkflowFormState; errors?: FieldErrors; message?: string; notice?: string; status?: number } = {}) => {
    const proc = await getProcedure(deps, code)
    const template = await getWorkflowTemplate(deps, code, { version: proc.latestVersion })
    const { agencies } = await agencyData()
    return reply.page(
      { title: tr(req.lang, `Quy trình giải quyết thủ tục ${proc.code}`, `Workflow of procedure ${proc.code}`), status: o.status ?? 200 },
      <AdminWorkflowPage
        lang={req.lang}
        csrf={reply.csrfToken()}
        proc={proc}
        template={template}
        form={o.form ?? workflowFormOf(template, proc.latestVersion)}
        errors={o.errors ?? {}}
        message={o.message}
        notice={o.notice}
        agencies={agencies}
      />,
    )
  }
  app.get('/admin/thu-tuc/:code/quy-trinh', { schema: { hide: true, params: PageCodeParam, querystring: EditNotice }, preHandler: admin }, async (req, reply) => {
    const code = codeOf(req.params.code)
    const saved = req.query['da-luu']
    const notice = saved !== undefined ? tr(req.lang, `Đã lưu quy trình ở phiên bản ${saved}. Hồ sơ đã tiếp nhận giữ quy trình cũ.`, `Workflow saved as version ${saved}. Dossiers already received keep theirs.`) : undefined
    return renderWorkflow(req, reply, code, { notice })
  })
  app.post('/admin/thu-tuc/:code/quy-trinh', { schema: { hide: true, params: PageCodeParam, body: FormBodySchema }, preHandler: admin }, async (req, reply) => {
    const code = codeOf(req.params.code)
    const { state, add } = workflowFormFromBody(req.body)
    // Adding a row saves nothing: the form comes back with the administrator's values and one more step.
    if (add) return renderWorkflow(req, reply, code, { form: state })
    const { edit, errors } = workflowEditFromForm(state)
    if (!edit) return renderWorkflow(req, reply, code, { form: state, errors, status: 400 })
    try {
      const saved = await editWorkflow(deps, code, edit, actorOf(req))
      return reply.redirect(`${adminHref(code, 'quy-trinh')}?da-luu=${saved.procedureVersion}`, 303)
    } catch (e) {
      if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
      const conflict = e.kind === 'conflict'
      const message = conflict
        ? tr(req.lang, 'Chưa lưu: người khác vừa lưu một phiên bản mới của thủ tục. Tải lại trang rồi sửa lại.', 'Not saved: someone else saved a newer version. Reload the page and edit again.')
        : e.message
      return renderWorkflow(req, reply, code, { form: state, errors: fieldsOf(e) ?? {}, message, status: conflict ? 409 : 400 })
    }
  })

  const HistoryQuery = z.object({ tu: z.string().max(6).optional(), den: z.string().max(6).optional() })
  app.get('/admin/thu-tuc/:code/lich-su', { schema: { hide: true, params: PageCodeParam, querystring: HistoryQuery }, preHandler: admin }, async (req, reply) => {
    const code = codeOf(req.params.code)
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const proc = await getProcedure(deps, code)
    const versions = await listProcedureVersions(deps, code)
    const audit = (await listCatalogAudit(deps, { code, page: 1, pageSize: 200 })).items
    const known = new Set(versions.map((v) => v.version))
    const num = (s: string | undefined) => (s !== undefined && /^\d{1,5}$/.test(s) ? Number(s) : undefined)
    const asked = req.query.tu !== undefined || req.query.den !== undefined
    let from = num(req.query.tu) ?? (proc.latestVersion > 1 ? proc.latestVersion - 1 : undefined)
    let to = num(req.query.den) ?? (proc.latestVersion > 1 ? proc.latestVersion : undefined)
    const errors: FieldErrors = {}
    if (asked && (from === undefined || !known.has(from))) errors['tu'] = [t('Chọn một phiên bản có trong lịch sử.', 'Choose a version from the history.')]
    if (asked && (to === undefined || !known.has(to))) errors['den'] = [t('Chọn một phiên bản có trong lịch sử.', 'Choose a version from the history.')]
    if (!errors['tu'] && !errors['den'] && from !== undefined && from === to) errors['den'] = [t('Chọn hai phiên bản khác nhau.', 'Choose two different versions.')]
    let changes: FieldChangeDto[] | undefined
    if (!Object.keys(errors).length && from !== undefined && to !== undefined) changes = (await diffProcedureVersions(deps, code, from, to, req.lang)).changes
    else if (Object.keys(errors).length) {
      from = from !== undefined && known.has(from) ? from : undefined
      to = to !== undefined && known.has(to) ? to : undefined
    }
    return reply.page(
      { title: tr(req.lang, `Lịch sử thủ tục ${code}`, `History of procedure ${code}`), status: Object.keys(errors).length ? 400 : 200 },
      <AdminHistoryPage lang={req.lang} proc={proc} versions={versions} audit={audit} from={from} to={to} changes={changes} errors={errors} />,
    )
  })
}
