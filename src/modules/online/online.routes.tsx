import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { CitizenPrincipal } from '../../shared/auth.js'
import { inTransaction } from '../../shared/database.js'
import { DomainError, fieldErrorsOf, httpStatusOf, NotFoundError, ValidationError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { multipartFields, multipartFiles } from '../../shared/multipart.js'
import { contentDisposition, createDocumentsDeps, receiveFiles, type IncomingFile } from '../documents/index.js'
import { STATUS_LABELS, type DossierRow } from '../dossiers/index.js'
import { getCitizen, maskIdentityNumber } from '../identity/index.js'
import { inAppMessagesOfDossier } from '../notify/index.js'
import { actingConsentOfMember, type ActingConsent } from '../outreach/index.js'
import { nationalGateway, obligationsOfDossier, startOnlinePayment, type PaymentDeps, type PaymentSettings } from '../payments/index.js'
import { EFormPage, MyDossierPage, MyDossiersPage, WalletPage, WithdrawPage, type FeeView } from './online.pages.js'
import {
  getMyDossier,
  getMyDraft,
  listMyDossiers,
  listMyDrafts,
  listWallet,
  loadFormContext,
  myDossierDetail,
  openMyDossierFile,
  openWalletItem,
  prefillFrom,
  saveDraft,
  submitForm,
  supplementMine,
  withdrawMine,
  type DraftRow,
  type FieldErrors,
  type FormPost,
  type OnlineDeps,
} from './online.service.js'
import { collectReturnedResults } from './wallet.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
const me = (req: FastifyRequest) => req.principal as CitizenPrincipal
const ProcedureCodeParam = z.object({ code: z.string().regex(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/) })
const IdParam = z.object({ id: z.string().max(80) })

const OBLIGATION_LABELS: Record<string, string> = {
  needs_amount: 'Chờ cơ quan xác định số tiền',
  due: 'Chưa thanh toán',
  pending: 'Đang chờ kết quả thanh toán',
  paid: 'Đã thanh toán',
  refused: 'Thanh toán chưa thành công, có thể thanh toán lại',
  expired: 'Giao dịch hết hạn, có thể thanh toán lại',
  cancelled: 'Đã hủy',
}

/** Reads a form post (multipart with files, or urlencoded/JSON without), every text field and every file. */
async function readPost(req: FastifyRequest, limits: OnlineDeps['documents']['limits']): Promise<{ fields: Record<string, string>; files: IncomingFile[] }> {
  if (req.isMultipart()) {
    const files = await receiveFiles(multipartFiles(req), limits)
    return { fields: { ...multipartFields(req) }, files }
  }
  const body = (req.body ?? {}) as Record<string, unknown>
  const fields: Record<string, string> = {}
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v
  return { fields, files: [] }
}

/** The JSON API's form body, flattened to the e-form's field names. */
const FormJson = z.object({
  procedureCode: z.string().max(40),
  draftId: z.string().uuid().optional(),
  values: z.record(z.string().max(60), z.string().max(2000)).default({}).describe('field name → value: applicant.fullName, applicant.idNumber, …, extra.<name>, caseName, communeCode'),
  wallet: z.record(z.string().regex(/^\d{1,3}$/), z.string().uuid()).default({}).describe('requirement position → wallet item id to reuse'),
})

function postFromJson(body: z.infer<typeof FormJson>): Omit<FormPost, 'files'> {
  return { procedureCode: body.procedureCode, draftId: body.draftId, values: { ...body.values, ...Object.fromEntries(Object.entries(body.wallet).map(([k, v]) => [`wallet.${k}`, v])) } }
}

const DossierSummaryDto = z.object({
  id: z.string(),
  code: z.string().nullable(),
  procedureCode: z.string(),
  procedureName: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  version: z.number(),
  submittedAt: z.string(),
  appointmentAt: z.string().nullable(),
  submittedOnBehalfBy: z.string().nullable(),
})
const summary = (d: DossierRow, s: { actorKind: string; actorName: string }) => ({
  id: d.id,
  code: d.code,
  procedureCode: d.procedureCode,
  procedureName: d.procedureName,
  status: d.status,
  statusLabel: STATUS_LABELS[d.status].vi,
  version: d.version,
  submittedAt: d.submittedAt.toISOString(),
  appointmentAt: d.appointmentAt?.toISOString() ?? null,
  submittedOnBehalfBy: s.actorKind === 'team_member' ? s.actorName : null,
})
const DraftDto = z.object({ id: z.string(), procedureCode: z.string(), version: z.number(), updatedAt: z.string(), values: z.record(z.string(), z.string()), attachments: z.array(z.object({ position: z.number(), documentId: z.string(), walletItemId: z.string().optional(), name: z.string() })) })
const draftDto = (d: DraftRow) => ({ id: d.id, procedureCode: d.procedureCode, version: d.version, updatedAt: d.updatedAt.toISOString(), values: d.values, attachments: d.attachments })
const WalletDto = z.object({
  id: z.string(),
  title: z.string(),
  source: z.enum(['result', 'upload', 'digitised']),
  legalCopy: z.boolean().describe('a legally valid electronic copy (bản sao điện tử có giá trị pháp lý)'),
  mediaType: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  addedAt: z.string(),
  reuses: z.array(z.object({ dossierId: z.string(), trangThaiSoHoa: z.number(), duocTaiSuDung: z.number(), at: z.string() })),
  contentUrl: z.string(),
})
const binary = { schema: z.string().meta({ format: 'binary' }) }
const FileBody = { description: 'The file, as stored', content: { 'application/pdf': binary, 'image/jpeg': binary, 'image/png': binary } }

function sendStored(reply: FastifyReply, f: { name: string; mediaType: string; sha256: string }, body: unknown, disposition: 'inline' | 'attachment' = 'attachment') {
  return reply.type(f.mediaType).header('content-disposition', contentDisposition(f.name, disposition)).header('x-content-type-options', 'nosniff').header('x-content-sha256', f.sha256).header('cache-control', 'private, no-store').send(body)
}

/** A domain error's field problems, in this module's (non-optional) shape. */
const fieldsOf = (e: DomainError): FieldErrors => Object.fromEntries(Object.entries(fieldErrorsOf(e) ?? {}).filter((x): x is [string, string[]] => x[1] !== undefined))

/** Online services for citizens: the e-form with drafts, "my dossiers", the document wallet; pages and API. */
export function onlineModule(payments: PaymentSettings): VidanModule {
  return {
    name: 'online',
    register(appIn: FastifyInstance, m: ModuleDeps) {
      const app = appIn.withTypeProvider<ZodTypeProvider>()
      const deps: OnlineDeps = { db: m.db, clock: m.clock, provinceCode: m.provinceCode, documents: createDocumentsDeps(m.uploads, m.clock) }
      const pay: PaymentDeps = {
        db: m.db,
        clock: m.clock,
        provinceCode: m.provinceCode,
        publicUrl: m.publicUrl,
        settings: payments,
        gateway: payments.gatewayUrl ? nationalGateway({ baseUrl: payments.gatewayUrl, partnerCode: payments.partnerCode, secret: payments.secret }) : undefined,
        log: appIn.log,
      }
      const citizen = m.guards.citizen()
      const maxFileMb = Math.round((m.uploads.maxFileBytes / (1024 * 1024)) * 100) / 100

      // ---- the e-form -------------------------------------------------------------------------------
      // Assisted submission (issue 6 §5): the member's consent from the citizen, checked now and again in the submitting transaction.
      const actingFor = async (req: FastifyRequest, consentId: string | undefined): Promise<(ActingConsent & { applicantCitizenId: string }) | undefined> => {
        if (!consentId) return undefined
        const a = await inTransaction(m.db, (trx) => actingConsentOfMember(trx, me(req).citizenId, consentId, m.clock.now()))
        if (!a.applicantCitizenId) {
          throw new DomainError('conflict', 'ONLINE.ASSISTED_APPLICANT_WITHOUT_ACCOUNT', 'Công dân này chưa từng đăng nhập bằng tài khoản định danh điện tử, nên chưa nộp thay trực tuyến được; hướng dẫn công dân nộp tại bộ phận một cửa hoặc đăng nhập một lần.')
        }
        return { ...a, applicantCitizenId: a.applicantCitizenId }
      }

      const showForm = async (req: FastifyRequest, reply: FastifyReply, code: string, o: { caseName?: string | undefined; draft?: DraftRow | undefined; values?: Record<string, string>; errors?: FieldErrors; status?: number; saved?: boolean; assisted?: ActingConsent & { applicantCitizenId: string } }) => {
        const ctx = await loadFormContext(deps, code, o.caseName ?? o.draft?.values['caseName'])
        const c = await getCitizen(m.db, o.assisted?.applicantCitizenId ?? me(req).citizenId)
        const values = o.values ?? { ...prefillFrom(c), ...(o.draft?.values ?? {}) }
        // A member sees the form, never the citizen's document wallet.
        const wallet = o.assisted ? [] : await listWallet(m.db, c.identityNumber)
        const assisted = o.assisted ? { consentId: o.assisted.consentId, applicantName: c.fullName } : undefined
        return reply.page(
          { title: tr(req.lang, `Nộp hồ sơ: ${ctx.procedure.name}`, `Submit: ${ctx.procedure.name}`), status: o.status ?? 200 },
          <EFormPage lang={req.lang} csrf={reply.csrfToken()} ctx={ctx} values={values} errors={o.errors ?? {}} draft={o.draft} wallet={wallet} saved={o.saved} maxFileMb={maxFileMb} assisted={assisted} />,
        )
      }

      // From the member's consent list: a procedure code and the consent, to the e-form in assisted mode.
      app.get('/nop-ho-so', { schema: { hide: true, querystring: z.object({ 'thu-tuc': z.string().max(40).default(''), 'uy-quyen': z.string().max(60).optional() }) }, preHandler: citizen }, async (req, reply) => {
        const code = req.query['thu-tuc'].trim()
        if (!/^[0-9]+\.[0-9]{6}(\.[A-Z0-9]+)?$/.test(code)) return reply.redirect('/thu-tuc', 303)
        return reply.redirect(`/nop-ho-so/${encodeURIComponent(code)}${req.query['uy-quyen'] ? `?uy-quyen=${encodeURIComponent(req.query['uy-quyen'])}` : ''}`, 303)
      })

      app.get(
        '/nop-ho-so/:code',
        { schema: { hide: true, params: ProcedureCodeParam, querystring: z.object({ 'truong-hop': z.string().max(500).optional(), nhap: z.string().max(60).optional(), 'da-luu': z.string().max(2).optional(), 'uy-quyen': z.string().max(60).optional() }) }, preHandler: citizen },
        async (req, reply) => {
          const assisted = await actingFor(req, req.query['uy-quyen'])
          const draft = req.query.nhap && !assisted ? await getMyDraft(m.db, me(req).citizenId, req.query.nhap) : undefined
          return showForm(req, reply, req.params.code, { caseName: req.query['truong-hop'], draft, saved: req.query['da-luu'] === '1', assisted })
        },
      )

      app.post(
        '/nop-ho-so/:code',
        { schema: { hide: true, params: ProcedureCodeParam, body: z.record(z.string(), z.unknown()).optional() }, config: { multipart: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, preHandler: citizen },
        async (req, reply) => {
          const { fields, files } = await readPost(req, deps.documents.limits)
          const post: FormPost = { procedureCode: req.params.code, draftId: fields['draftId'] || undefined, values: fields, files }
          const assisted = await actingFor(req, fields['consentId'] || undefined)
          const intent = fields['intent'] === 'save' && !assisted ? 'save' : 'submit'
          try {
            if (assisted) {
              await submitForm(deps, assisted.applicantCitizenId, { kind: 'team_member', accountId: me(req).citizenId, name: me(req).fullName, consentRef: assisted.consentId }, { ...post, draftId: undefined })
              // The member's page lists the consent with the dossier it served; the citizen sees it in their dossiers.
              return reply.redirect('/ho-tro/nop-thay', 303)
            }
            if (intent === 'save') {
              const d = await saveDraft(deps, me(req), post)
              return reply.redirect(`/nop-ho-so/${encodeURIComponent(req.params.code)}?nhap=${d.id}&da-luu=1`, 303)
            }
            const d = await submitForm(deps, me(req).citizenId, { kind: 'citizen', citizenId: me(req).citizenId, name: me(req).fullName, assuranceLevel: me(req).assuranceLevel }, post)
            return reply.redirect(`/cong-dan/ho-so/${d.id}?da-nop=1`, 303)
          } catch (e) {
            if (!(e instanceof DomainError) || e.kind !== 'invalid') throw e
            const draft = post.draftId && !assisted ? await getMyDraft(m.db, me(req).citizenId, post.draftId).catch(() => undefined) : undefined
            const errors = fieldsOf(e)
            return showForm(req, reply, req.params.code, { caseName: fields['caseName'] || undefined, draft, values: fields, errors: Object.keys(errors).length ? errors : { form: [e.message] }, status: 400, assisted })
          }
        },
      )

      // ---- my dossiers -----------------------------------------------------------------------------
      app.get('/cong-dan/ho-so', { schema: { hide: true }, preHandler: citizen }, async (req, reply) => {
        const [drafts, dossiers] = await Promise.all([listMyDrafts(m.db, m.clock, me(req).citizenId), listMyDossiers(m.db, me(req).citizenId)])
        return reply.page({ title: tr(req.lang, 'Hồ sơ của tôi', 'My dossiers') }, <MyDossiersPage lang={req.lang} drafts={drafts} dossiers={dossiers} />)
      })

      const feesOf = async (d: DossierRow): Promise<FeeView[]> => {
        const verifier = d.applicantIdLast4 ?? d.applicantPhoneLast4 ?? ''
        return (await obligationsOfDossier(pay, d)).map((o) => ({
          id: o.id,
          description: o.description,
          amountVnd: o.amountVnd,
          status: o.status,
          statusLabel: OBLIGATION_LABELS[o.status] ?? o.status,
          payable: o.amountVnd !== null && ['due', 'refused', 'expired'].includes(o.status),
          receiptHref: o.status === 'paid' && o.paidIntentId ? `/thanh-toan/bien-lai/${o.paidIntentId}${d.code ? `?ma=${encodeURIComponent(d.code)}&so=${verifier}` : ''}` : undefined,
        }))
      }

      const showDossier = async (req: FastifyRequest, reply: FastifyReply, ref: string, o: { errors?: FieldErrors; message?: string; status?: number; notice?: string } = {}) => {
        const x = await myDossierDetail(m.db, me(req).citizenId, ref)
        return reply.page(
          { title: tr(req.lang, `Hồ sơ ${x.dossier.code ?? ''}`.trim(), `Dossier ${x.dossier.code ?? ''}`.trim()), status: o.status ?? 200 },
          <MyDossierPage
            lang={req.lang}
            csrf={reply.csrfToken()}
            dossier={x.dossier}
            submission={x.submission}
            view={x.view}
            supplement={x.supplement}
            files={x.files}
            results={x.results}
            documents={x.documents}
            fees={await feesOf(x.dossier)}
            messages={await inAppMessagesOfDossier(m.db, x.dossier.id)}
            onlinePayment={!!pay.gateway}
            errors={o.errors ?? {}}
            message={o.message}
            notice={o.notice}
            maxFileMb={maxFileMb}
          />,
        )
      }

      app.get('/cong-dan/ho-so/:id', { schema: { hide: true, params: IdParam, querystring: z.object({ 'da-nop': z.string().max(2).optional(), xong: z.string().max(20).optional() }) }, preHandler: citizen }, async (req, reply) => {
        const notice =
          req.query['da-nop'] === '1'
            ? tr(req.lang, 'Đã nộp hồ sơ. Cơ quan sẽ kiểm tra và tiếp nhận; mã hồ sơ và ngày hẹn trả được cấp khi tiếp nhận.', 'Submitted. The office will check and receive it; the code and appointment come with the receipt.')
            : req.query.xong === 'bo-sung'
              ? tr(req.lang, 'Đã nộp bổ sung hồ sơ.', 'Supplement handed in.')
              : req.query.xong === 'rut'
                ? tr(req.lang, 'Đã rút hồ sơ.', 'Dossier withdrawn.')
                : undefined
        return showDossier(req, reply, req.params.id, { notice })
      })

      app.get('/cong-dan/ho-so/:id/tep/:documentId', { schema: { hide: true, params: z.object({ id: z.string().max(80), documentId: z.string().max(80) }) }, preHandler: citizen }, async (req, reply) => {
        const f = await openMyDossierFile(deps, me(req).citizenId, req.params.id, req.params.documentId)
        return sendStored(reply, f.file, f.body)
      })

      app.get('/cong-dan/ho-so/:id/rut', { schema: { hide: true, params: IdParam }, preHandler: citizen }, async (req, reply) => {
        const { dossier } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
        return reply.page({ title: tr(req.lang, 'Rút hồ sơ', 'Withdraw') }, <WithdrawPage lang={req.lang} csrf={reply.csrfToken()} dossier={dossier} errors={{}} />)
      })

      app.post(
        '/cong-dan/ho-so/:id/rut',
        { schema: { hide: true, params: IdParam, body: z.object({ expectedVersion: z.coerce.number().int().min(1), reason: z.string().max(2000).default(''), confirm: z.string().max(5).optional() }) }, preHandler: citizen },
        async (req, reply) => {
          const { dossier } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
          const errors: FieldErrors = {}
          if (!req.body.reason.trim()) errors['reason'] = [tr(req.lang, 'Cần ghi lý do rút hồ sơ.', 'Give a reason.')]
          if (req.body.confirm !== '1') errors['confirm'] = [tr(req.lang, 'Cần đánh dấu xác nhận rút hồ sơ.', 'Tick the confirmation.')]
          if (Object.keys(errors).length) return reply.status(400).page({ title: tr(req.lang, 'Rút hồ sơ', 'Withdraw'), status: 400 }, <WithdrawPage lang={req.lang} csrf={reply.csrfToken()} dossier={dossier} errors={errors} />)
          try {
            await withdrawMine(deps, me(req), dossier.id, { expectedVersion: req.body.expectedVersion, reason: req.body.reason })
          } catch (e) {
            if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
            return showDossier(req, reply, dossier.id, { message: e.message, status: httpStatusOf(e) })
          }
          return reply.redirect(`/cong-dan/ho-so/${dossier.id}?xong=rut`, 303)
        },
      )

      app.post('/cong-dan/ho-so/:id/bo-sung', { schema: { hide: true, params: IdParam, body: z.record(z.string(), z.unknown()).optional() }, config: { multipart: true }, preHandler: citizen }, async (req, reply) => {
        const { dossier } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
        const { fields, files } = await readPost(req, deps.documents.limits)
        try {
          await supplementMine(deps, me(req), dossier.id, { expectedVersion: Number(fields['expectedVersion'] ?? 0), note: fields['note'], files })
        } catch (e) {
          if (!(e instanceof DomainError) || e.kind === 'not_found') throw e
          return showDossier(req, reply, dossier.id, { errors: fieldsOf(e), message: e.message, status: httpStatusOf(e) })
        }
        return reply.redirect(`/cong-dan/ho-so/${dossier.id}?xong=bo-sung`, 303)
      })

      app.post('/cong-dan/ho-so/:id/thanh-toan', { schema: { hide: true, params: IdParam, body: z.object({ obligationId: z.string().max(40) }) }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } }, preHandler: citizen }, async (req, reply) => {
        const { dossier } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
        const o = (await obligationsOfDossier(pay, dossier)).find((x) => x.id === req.body.obligationId)
        if (!o) throw new NotFoundError('ONLINE.FEE_NOT_FOUND', 'Không tìm thấy khoản phí của hồ sơ này.')
        try {
          const started = await startOnlinePayment(pay, { obligationId: o.id, ip: req.ip, actorId: me(req).citizenId })
          // The payment pages' own cookie: the result page then offers the receipt to this browser.
          reply.setCookie('vidan_pay', started.intentId, { path: '/thanh-toan', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 24 * 3600, secure: m.publicUrl.startsWith('https:') && m.mode === 'production' })
          return reply.redirect(`/thanh-toan/chuyen/${started.intentId}`, 303)
        } catch (e) {
          if (!(e instanceof DomainError)) throw e
          return showDossier(req, reply, dossier.id, { message: e.message, status: httpStatusOf(e) })
        }
      })

      // ---- the wallet ------------------------------------------------------------------------------
      app.get('/cong-dan/kho-giay-to', { schema: { hide: true }, preHandler: citizen }, async (req, reply) => {
        const c = await getCitizen(m.db, me(req).citizenId)
        return reply.page({ title: tr(req.lang, 'Kho giấy tờ của tôi', 'My document wallet') }, <WalletPage lang={req.lang} items={await listWallet(m.db, c.identityNumber)} />)
      })

      app.get('/cong-dan/kho-giay-to/:id', { schema: { hide: true, params: IdParam }, preHandler: citizen }, async (req, reply) => {
        const c = await getCitizen(m.db, me(req).citizenId)
        const w = await openWalletItem(deps, c.identityNumber, req.params.id)
        return sendStored(reply, w.record, w.body, 'inline')
      })

      // ---- API -------------------------------------------------------------------------------------
      const tags = ['citizen']
      app.get(
        '/api/v1/citizen/forms/:code',
        {
          schema: {
            tags,
            summary: "The e-form of a procedure offered online: cases, the chosen case's required documents, extra fields (defined as data), communes, and the applicant block prefilled from the identity claims",
            params: ProcedureCodeParam,
            querystring: z.object({ caseName: z.string().max(500).optional() }),
            response: {
              200: z.object({
                procedure: z.object({ code: z.string(), name: z.string(), version: z.number() }),
                cases: z.array(z.string()),
                caseName: z.string().nullable(),
                requirements: z.array(z.object({ position: z.number(), name: z.string(), optional: z.boolean() })),
                fields: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), required: z.boolean() })),
                communeRequired: z.boolean(),
                prefill: z.record(z.string(), z.string()),
              }),
              404: ErrorDto,
              409: ErrorDto,
            },
          },
          preHandler: citizen,
        },
        async (req) => {
          const ctx = await loadFormContext(deps, req.params.code, req.query.caseName)
          const c = await getCitizen(m.db, me(req).citizenId)
          return {
            procedure: { code: ctx.procedure.code, name: ctx.procedure.name, version: ctx.procedure.version },
            cases: ctx.cases,
            caseName: ctx.caseName ?? null,
            requirements: ctx.requirements.map((r, position) => ({ position, name: r.name, optional: r.optional })),
            fields: (ctx.definition?.fields ?? []).map((f) => ({ name: `extra.${f.name}`, label: f.label, type: f.type, required: f.required })),
            communeRequired: ctx.communeRequired,
            prefill: prefillFrom(c),
          }
        },
      )

      app.get('/api/v1/citizen/drafts', { schema: { tags, summary: "The signed-in citizen's unfinished drafts, newest first", response: { 200: z.object({ items: z.array(DraftDto) }) } }, preHandler: citizen }, async (req) => ({
        items: (await listMyDrafts(m.db, m.clock, me(req).citizenId)).map(draftDto),
      }))

      app.get('/api/v1/citizen/drafts/:id', { schema: { tags, summary: 'One of my drafts (404 for anyone else’s)', params: IdParam, response: { 200: DraftDto, 404: ErrorDto } }, preHandler: citizen }, async (req) =>
        draftDto(await getMyDraft(m.db, me(req).citizenId, req.params.id)),
      )

      const readApiPost = async (req: FastifyRequest): Promise<FormPost> => {
        if (req.isMultipart()) {
          const { fields, files } = await readPost(req, deps.documents.limits)
          const code = fields['procedureCode'] ?? ''
          return { procedureCode: code, draftId: fields['draftId'] || undefined, values: fields, files }
        }
        const parsed = FormJson.safeParse(req.body)
        if (!parsed.success) throw new ValidationError('VALIDATION.FAILED', 'Dữ liệu gửi lên không hợp lệ.', { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) })
        return { ...postFromJson(parsed.data), files: [] }
      }
      const FormBody = z.union([FormJson, z.record(z.string(), z.unknown())]).describe('JSON (procedureCode, draftId, values, wallet) or multipart/form-data (procedureCode, draftId and the field names first, then files `doc.<position>`)')

      app.post(
        '/api/v1/citizen/drafts',
        { schema: { tags, summary: 'Save the e-form as a draft (new, or `draftId` to update); files uploaded with it are kept; only what was typed is checked', consumes: ['application/json', 'multipart/form-data'], body: FormBody, response: { 200: DraftDto, 400: ErrorDto, 404: ErrorDto } }, config: { multipart: true }, preHandler: citizen },
        async (req) => draftDto(await saveDraft(deps, me(req), await readApiPost(req))),
      )

      app.post(
        '/api/v1/citizen/dossiers',
        {
          schema: {
            tags,
            summary: 'Submit the e-form (optionally a draft): every problem reported at once (`details.fields`), nothing written on error; creates the dossier through the lifecycle (status 1) with its files and each document’s reuse status (DOMAIN B §7.3)',
            consumes: ['application/json', 'multipart/form-data'],
            body: FormBody,
            response: { 201: DossierSummaryDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
          },
          config: { multipart: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
          preHandler: citizen,
        },
        async (req, reply) => {
          const d = await submitForm(deps, me(req).citizenId, { kind: 'citizen', citizenId: me(req).citizenId, name: me(req).fullName, assuranceLevel: me(req).assuranceLevel }, await readApiPost(req))
          return reply.status(201).send(summary(d, { actorKind: 'citizen', actorName: me(req).fullName }))
        },
      )

      app.get('/api/v1/citizen/dossiers', { schema: { tags, summary: 'My online dossiers, newest first', response: { 200: z.object({ items: z.array(DossierSummaryDto) }) } }, preHandler: citizen }, async (req) => ({
        items: (await listMyDossiers(m.db, me(req).citizenId)).map((x) => summary(x.dossier, x.submission)),
      }))

      app.get(
        '/api/v1/citizen/dossiers/:id',
        {
          schema: {
            tags,
            summary: 'One of my dossiers (by id or code; 404 for anyone else’s): status, public timeline, supplement request, files, document statuses, fees',
            params: IdParam,
            response: {
              200: DossierSummaryDto.extend({
                timeline: z.array(z.object({ at: z.string(), content: z.string(), officer: z.string(), title: z.string(), agency: z.string().nullable() })),
                supplementRequest: z.object({ at: z.string(), reason: z.string().nullable(), missing: z.array(z.string()) }).nullable(),
                files: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), mediaType: z.string(), sizeBytes: z.number(), sha256: z.string(), legalCopy: z.boolean(), downloadUrl: z.string() })),
                documents: z.array(z.object({ position: z.number(), requirement: z.string(), trangThaiSoHoa: z.number(), duocTaiSuDung: z.number() })),
                fees: z.array(z.object({ id: z.string(), description: z.string(), amountVnd: z.number().nullable(), status: z.string(), receiptUrl: z.string().nullable() })),
              }),
              404: ErrorDto,
            },
          },
          preHandler: citizen,
        },
        async (req) => {
          const x = await myDossierDetail(m.db, me(req).citizenId, req.params.id)
          const fees = await feesOf(x.dossier)
          return {
            ...summary(x.dossier, x.submission),
            timeline: x.view.timeline.map((e) => ({ at: e.at, content: e.content, officer: e.officer, title: e.title, agency: e.agency })),
            supplementRequest: x.supplement ? { at: x.supplement.at.toISOString(), reason: x.supplement.reason, missing: x.supplement.missing } : null,
            files: [...x.files, ...x.results].map((f) => ({ id: f.id, name: f.name, kind: f.kind, mediaType: f.mediaType, sizeBytes: f.sizeBytes, sha256: f.sha256, legalCopy: f.legalCopy, downloadUrl: `/api/v1/citizen/dossiers/${x.dossier.id}/files/${f.id}` })),
            documents: x.documents.map((d) => ({ position: d.position, requirement: d.requirement, trangThaiSoHoa: d.digitisationStatus, duocTaiSuDung: d.reuseKind })),
            fees: fees.map((f) => ({ id: f.id, description: f.description, amountVnd: f.amountVnd, status: f.status, receiptUrl: f.receiptHref ?? null })),
          }
        },
      )

      app.get(
        '/api/v1/citizen/dossiers/:id/files/:documentId',
        { schema: { tags, summary: 'Download a file of my dossier (404 for anyone else’s; result drafts stay hidden until the decision)', params: z.object({ id: z.string().max(80), documentId: z.string().max(80) }), response: { 200: FileBody, 404: ErrorDto } }, preHandler: citizen },
        async (req, reply) => {
          const f = await openMyDossierFile(deps, me(req).citizenId, req.params.id, req.params.documentId)
          return sendStored(reply, f.file, f.body)
        },
      )

      app.post(
        '/api/v1/citizen/dossiers/:id/withdraw',
        { schema: { tags, summary: 'Withdraw my dossier (lifecycle `withdraw`, reason required)', params: IdParam, body: z.object({ expectedVersion: z.number().int().min(1), reason: z.string().max(2000) }), response: { 200: DossierSummaryDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto } }, preHandler: citizen },
        async (req) => {
          const { submission } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
          const d = await withdrawMine(deps, me(req), req.params.id, req.body)
          return summary(d, submission)
        },
      )

      app.post(
        '/api/v1/citizen/dossiers/:id/supplement',
        {
          schema: {
            tags,
            summary: 'Hand in a requested supplement (multipart: expectedVersion, note, then `files`); drives the lifecycle’s supplement action so the clock restarts or resumes (DOMAIN A5)',
            consumes: ['multipart/form-data'],
            params: IdParam,
            body: z.object({ expectedVersion: z.coerce.number().int().min(1), note: z.string().max(1000).optional() }).passthrough(),
            response: { 200: DossierSummaryDto, 400: ErrorDto, 404: ErrorDto, 409: ErrorDto },
          },
          config: { multipart: true },
          preHandler: citizen,
        },
        async (req) => {
          const { submission } = await getMyDossier(m.db, me(req).citizenId, req.params.id)
          const { fields, files } = await readPost(req, deps.documents.limits)
          const d = await supplementMine(deps, me(req), req.params.id, { expectedVersion: Number(fields['expectedVersion']), note: fields['note'], files })
          return summary(d, submission)
        },
      )

      app.get('/api/v1/citizen/wallet', { schema: { tags, summary: 'My document wallet: results (with the legal-copy flag), uploads, digitised papers, and where each was reused', response: { 200: z.object({ owner: z.string(), items: z.array(WalletDto) }) } }, preHandler: citizen }, async (req) => {
        const c = await getCitizen(m.db, me(req).citizenId)
        const items = await listWallet(m.db, c.identityNumber)
        return {
          owner: maskIdentityNumber(c.identityNumber),
          items: items.map((i) => ({
            id: i.id,
            title: i.title,
            source: i.source,
            legalCopy: i.legalCopy,
            mediaType: i.document?.mediaType ?? null,
            sizeBytes: i.document?.sizeBytes ?? null,
            sha256: i.document?.sha256 ?? null,
            addedAt: i.addedAt.toISOString(),
            reuses: i.reuses.map((r) => ({ dossierId: r.dossierId, trangThaiSoHoa: r.digitisationStatus, duocTaiSuDung: r.reuseKind, at: r.recordedAt.toISOString() })),
            contentUrl: `/api/v1/citizen/wallet/${i.id}/content`,
          })),
        }
      })

      app.get('/api/v1/citizen/wallet/:id/content', { schema: { tags, summary: 'Download a document of my wallet (404 for anyone else’s)', params: IdParam, response: { 200: FileBody, 404: ErrorDto } }, preHandler: citizen }, async (req, reply) => {
        const c = await getCitizen(m.db, me(req).citizenId)
        const w = await openWalletItem(deps, c.identityNumber, req.params.id)
        return sendStored(reply, w.record, w.body)
      })
    },
    jobs(m: ModuleDeps) {
      return [{ name: 'online.wallet-results', everyMs: 10_000, run: () => collectReturnedResults(m.db, m.clock) }]
    },
  }
}
