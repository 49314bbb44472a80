import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { inTransaction } from '../../shared/database.js'
import { DomainError, fieldErrorsOf, ForbiddenError, httpStatusOf, NotFoundError } from '../../shared/errors.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { findDossierByCode, getDossier, STATUS_LABELS, type DossierRow } from '../dossiers/index.js'
import { InvalidCallbackError } from './payment.gateway.js'
import { PaymentResultPage, PublicPayPage, ReconciliationPage, StaffDossierPaymentsPage, StaffPaymentsPage, type FieldErrors, type ObligationView } from './payment.pages.js'
import { issueReceipt, platformReceipt } from './payment.receipt.js'
import { reconcileDay, reconcileYesterdayIfDue, storedMismatches, type ReconciliationReport } from './payment.reconcile.js'
import {
  findIntent,
  findReconciliation,
  getObligation,
  listIntentsOfObligations,
  listObligations,
  listReconciliations,
  receiptNumbersOf,
  type IntentRow,
  type ObligationRow,
} from './payment.repo.js'
import {
  applyGatewayResult,
  assertMayView,
  confirmDossierPayments,
  consumeDossierEvents,
  createPaymentDeps,
  intentAfterReturn,
  logRejectedCallback,
  obligationsOfDossier,
  pollOverdueIntents,
  recordCounterPayment,
  startOnlinePayment,
  stateAmount,
  type PaymentDeps,
  type PaymentSettings,
} from './payment.service.js'
import { OBLIGATION_STATUSES } from './payment.tables.js'
import { intentMessage, OBLIGATION_LABELS } from './payment.text.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

const IntentDto = z.object({
  id: z.string(),
  method: z.enum(['online', 'cash', 'transfer']),
  reference: z.string(),
  amountVnd: z.number(),
  status: z.enum(['pending', 'paid', 'refused', 'expired', 'cancelled']),
  late: z.boolean(),
  refundNeeded: z.boolean(),
  createdAt: z.string(),
  settledAt: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  message: z.string(),
})
const ObligationDto = z.object({
  id: z.string(),
  dossierId: z.string(),
  dossierCode: z.string().nullable(),
  procedureCode: z.string(),
  procedureVersion: z.number(),
  channel: z.string(),
  agencyId: z.string(),
  source: z.enum(['catalog', 'officer']),
  description: z.string(),
  amountVnd: z.number().nullable(),
  status: z.enum(OBLIGATION_STATUSES),
  statusLabel: z.string(),
  paidAt: z.string().nullable(),
  paidMethod: z.enum(['online', 'cash', 'transfer']).nullable(),
  version: z.number(),
  intents: z.array(IntentDto),
})
type ObligationDto = z.infer<typeof ObligationDto>

const intentDto = (i: IntentRow, receipts: Record<string, string>): z.infer<typeof IntentDto> => ({
  id: i.id,
  method: i.method,
  reference: i.reference,
  amountVnd: i.amountVnd,
  status: i.status,
  late: i.late,
  refundNeeded: i.refundNeeded,
  createdAt: i.createdAt.toISOString(),
  settledAt: i.settledAt?.toISOString() ?? null,
  receiptNumber: receipts[i.id] ?? null,
  message: intentMessage(i, 'vi', receipts[i.id]).text,
})
const obligationDto = (v: ObligationView): ObligationDto => ({
  id: v.o.id,
  dossierId: v.o.dossierId,
  dossierCode: v.o.dossierCode,
  procedureCode: v.o.procedureCode,
  procedureVersion: v.o.procedureVersion,
  channel: v.o.channel,
  agencyId: v.o.agencyId,
  source: v.o.source,
  description: v.o.description,
  amountVnd: v.o.amountVnd,
  status: v.o.status,
  statusLabel: OBLIGATION_LABELS[v.o.status].vi,
  paidAt: v.o.paidAt?.toISOString() ?? null,
  paidMethod: v.o.paidMethod,
  version: v.o.version,
  intents: v.intents.map((i) => intentDto(i, v.receipts)),
})

async function viewsOf(deps: PaymentDeps, obligations: ObligationRow[]): Promise<ObligationView[]> {
  const intents = await listIntentsOfObligations(deps.db, obligations.map((o) => o.id))
  const receipts = await receiptNumbersOf(deps.db, intents.map((i) => i.id))
  return obligations.map((o) => ({ o, intents: intents.filter((i) => i.obligationId === o.id), receipts }))
}

/** The dossier for a code and the last four digits of the applicant's phone or identity number (as public tracking checks them). */
async function dossierByVerifier(deps: PaymentDeps, code: string, verifier: string): Promise<DossierRow | undefined> {
  const d = await findDossierByCode(deps.db, code.trim().toUpperCase())
  const okId = d?.applicantIdLast4 === verifier
  const okPhone = d?.applicantPhoneLast4 === verifier
  return d && /^\d{4}$/.test(verifier) && (okId || okPhone) ? d : undefined
}


/** Which obligations the back-office list shows for a tab. */
const TAB_STATUSES: Record<string, ObligationRow['status'][] | undefined> = {
  open: ['needs_amount', 'due', 'pending', 'refused', 'expired'],
  needs_amount: ['needs_amount'],
  paid: ['paid'],
  all: undefined,
}

const PAY_COOKIE = 'vidan_pay'

/** Payments: fee obligations, online payment through the national platform, counter payments, receipts, reconciliation. */
export function paymentsModule(settings: PaymentSettings): VidanModule {
  const depsOf = (m: ModuleDeps, log?: PaymentDeps['log']): PaymentDeps => createPaymentDeps(m, settings, log)
  return {
    name: 'payments',
    register(appIn: FastifyInstance, m: ModuleDeps) {
      const app = appIn.withTypeProvider<ZodTypeProvider>()
      const deps = depsOf(m, appIn.log)
      const staff = m.guards.staff()
      const me = (req: FastifyRequest) => req.principal as StaffPrincipal
      const counterAndAfter = async (dossierId: string) => {
        await confirmDossierPayments(deps, [dossierId])
      }

      // ---- the gateway's result notice ------------------------------------------------------------
      app.post(
        '/api/v1/payments/callback/national',
        {
          schema: {
            tags: ['payments'],
            summary: 'Result notice from the national payment platform (DOMAIN B §12.3), signed with MaXacThuc; idempotent: a repeated notice changes nothing',
            body: z.record(z.string(), z.unknown()),
          },
          config: { csrf: false, rateLimit: { max: 600, timeWindow: '1 minute' } },
        },
        async (req, reply) => {
          if (!deps.gateway) return reply.status(503).send({ MaLoi: '99', MoTaLoi: 'Thanh toán trực tuyến chưa được cấu hình' })
          let result
          try {
            result = deps.gateway.parseCallback(req.body)
          } catch (e) {
            if (!(e instanceof InvalidCallbackError)) throw e
            await logRejectedCallback(deps, req.body, String((e.details as { reason?: string }).reason ?? 'invalid'))
            return reply.status(400).send(deps.gateway.callbackAnswer(req.body, { ok: false, code: '01', message: e.message }))
          }
          const r = await applyGatewayResult(deps, result, 'callback')
          if (r.outcome === 'unknown_reference') return reply.status(404).send(deps.gateway.callbackAnswer(req.body, { ok: false, code: '04', message: 'Không có giao dịch với mã tham chiếu này' }))
          if (r.outcome === 'amount_mismatch') return reply.status(400).send(deps.gateway.callbackAnswer(req.body, { ok: false, code: '03', message: 'Số tiền không khớp với giao dịch' }))
          return deps.gateway.callbackAnswer(req.body, { ok: true, code: '00', message: '' })
        },
      )

      // ---- JSON API (back office) -----------------------------------------------------------------
      const loadForStaff = async (req: FastifyRequest, dossierId: string) => {
        const d = await getDossier(m.db, dossierId)
        assertMayView(me(req), d)
        return d
      }

      app.get(
        '/api/v1/payments/dossiers/:dossierId',
        { schema: { tags: ['payments'], summary: "A dossier's fee obligations and payment attempts (officers of the dossier's agencies)", params: z.object({ dossierId: z.string().uuid() }), response: { 200: z.object({ items: z.array(ObligationDto) }), 403: ErrorDto, 404: ErrorDto } }, preHandler: staff },
        async (req) => {
          const d = await loadForStaff(req, req.params.dossierId)
          return { items: (await viewsOf(deps, await obligationsOfDossier(deps, d))).map(obligationDto) }
        },
      )

      app.post(
        '/api/v1/payments/obligations/:id/amount',
        {
          schema: {
            tags: ['payments'],
            summary: 'State (or correct, before payment) the amount of an obligation, with its basis: for fees the provincial council sets or the catalogue gives unreadably',
            params: z.object({ id: z.string().uuid() }),
            body: z.object({ amountVnd: z.number().int(), reason: z.string().trim().max(500), expectedVersion: z.number().int().min(1).optional() }),
            response: { 200: ObligationDto, 400: ErrorDto, 403: ErrorDto, 404: ErrorDto, 409: ErrorDto },
          },
          preHandler: staff,
        },
        async (req) => {
          const o = await inTransaction(m.db, (trx) => stateAmount(trx, deps, me(req), req.params.id, req.body))
          return obligationDto((await viewsOf(deps, [o]))[0]!)
        },
      )

      app.post(
        '/api/v1/payments/obligations/:id/counter',
        {
          schema: {
            tags: ['payments'],
            summary: 'A counter officer records a payment in cash or by bank transfer; the receipt number is issued and the dossier told when it waits for payment',
            params: z.object({ id: z.string().uuid() }),
            body: z.object({ method: z.enum(['cash', 'transfer']), amountVnd: z.number().int(), bankReference: z.string().trim().max(100).optional(), note: z.string().trim().max(500).optional() }),
            response: { 201: ObligationDto, 400: ErrorDto, 403: ErrorDto, 404: ErrorDto, 409: ErrorDto },
          },
          preHandler: staff,
        },
        async (req, reply) => {
          const r = await inTransaction(m.db, (trx) => recordCounterPayment(trx, deps, me(req), req.params.id, req.body))
          await counterAndAfter(r.obligation.dossierId)
          return reply.status(201).send(obligationDto((await viewsOf(deps, [await getObligation(m.db, r.obligation.id)]))[0]!))
        },
      )

      const StartDto = z.object({ intentId: z.string(), reference: z.string(), redirectUrl: z.string(), reused: z.boolean() })
      app.post(
        '/api/v1/payments/obligations/:id/online',
        {
          schema: { tags: ['payments'], summary: 'Open an online payment through the national platform for the payer at the counter; answers the URL to send the payer to', params: z.object({ id: z.string().uuid() }), response: { 200: StartDto, 403: ErrorDto, 404: ErrorDto, 409: ErrorDto, 503: ErrorDto } },
          preHandler: staff,
        },
        async (req) => {
          const o = await getObligation(m.db, req.params.id)
          await loadForStaff(req, o.dossierId)
          return startOnlinePayment(deps, { obligationId: o.id, ip: req.ip, actorId: me(req).accountId })
        },
      )

      app.post(
        '/api/v1/payments/online',
        {
          schema: {
            tags: ['payments'],
            summary: 'Open an online payment as the payer: dossier code plus the last four digits of the applicant phone or identity number; answers the URL of the payment page',
            body: z.object({ code: z.string().max(60), verifier: z.string().regex(/^\d{4}$/), obligationId: z.string().uuid() }),
            response: { 200: StartDto, 404: ErrorDto, 409: ErrorDto, 503: ErrorDto },
          },
          config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
        },
        async (req) => {
          const d = await dossierByVerifier(deps, req.body.code, req.body.verifier)
          const o = d ? await getObligation(m.db, req.body.obligationId).catch(() => undefined) : undefined
          if (!d || !o || o.dossierId !== d.id) throw new NotFoundError('PAYMENT.NOT_FOUND', 'Không tìm thấy khoản phí với mã hồ sơ và 4 số đã nhập.')
          return startOnlinePayment(deps, { obligationId: o.id, ip: req.ip })
        },
      )

      app.get(
        '/api/v1/payments/intents/:reference',
        {
          schema: {
            tags: ['payments'],
            summary: 'Where a payment stands, by its reference (MaThamChieu); asks the gateway when the notice has not arrived yet. No personal data.',
            params: z.object({ reference: z.string().max(255) }),
            response: { 200: z.object({ reference: z.string(), status: IntentDto.shape.status, amountVnd: z.number(), late: z.boolean(), refundNeeded: z.boolean(), message: z.string() }), 404: ErrorDto },
          },
          config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
        },
        async (req) => {
          const i = await intentAfterReturn(deps, req.params.reference)
          if (!i) throw new NotFoundError('PAYMENT.INTENT_NOT_FOUND', 'Không tìm thấy giao dịch thanh toán.')
          return { reference: i.reference, status: i.status, amountVnd: i.amountVnd, late: i.late, refundNeeded: i.refundNeeded, message: intentMessage(i, 'vi').text }
        },
      )

      const receiptFor = async (req: FastifyRequest, intentId: string) => {
        const i = await findIntent(m.db, intentId)
        if (!i) throw new NotFoundError('PAYMENT.INTENT_NOT_FOUND', 'Không tìm thấy giao dịch thanh toán.')
        await loadForStaff(req, i.dossierId)
        return i
      }
      app.get(
        '/api/v1/payments/intents/:intentId/receipt',
        { schema: { tags: ['payments'], summary: 'The electronic receipt (PDF) of a paid intent; issued once, the same bytes every time (x-content-sha256)', params: z.object({ intentId: z.string().uuid() }) }, preHandler: staff },
        async (req, reply) => {
          await receiptFor(req, req.params.intentId)
          const r = await issueReceipt(deps, req.params.intentId)
          return reply.type('application/pdf').header('x-content-sha256', r.sha256).header('x-receipt-number', r.number).send(r.bytes)
        },
      )
      app.get(
        '/api/v1/payments/intents/:intentId/platform-receipt',
        { schema: { tags: ['payments'], summary: "The payment platform's own e-receipt (GET_BILL), fetched once and stored", params: z.object({ intentId: z.string().uuid() }) }, preHandler: staff },
        async (req, reply) => {
          await receiptFor(req, req.params.intentId)
          return reply.type('application/pdf').send(await platformReceipt(deps, req.params.intentId))
        },
      )

      const MismatchDto = z.object({ kind: z.string(), reference: z.string(), message: z.string() })
      const ReportDto = z.object({ id: z.string(), day: z.string(), statementRows: z.number(), ourRows: z.number(), problems: z.array(z.string()), mismatches: z.array(MismatchDto) })
      const reportDto = (r: ReconciliationReport) => ({ id: r.id, day: r.day, statementRows: r.statementRows, ourRows: r.ourRows, problems: r.problems, mismatches: r.mismatches.map((x) => ({ kind: x.kind, reference: x.reference, message: x.message })) })
      app.post(
        '/api/v1/payments/reconciliations',
        {
          schema: { tags: ['payments'], summary: "Daily reconciliation of our online payments with the platform's statement (given as CSV text, or fetched); every mismatch listed and the report stored", body: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), statement: z.string().max(5_000_000).optional() }), response: { 200: ReportDto, 400: ErrorDto, 503: ErrorDto } },
          preHandler: m.guards.staff('admin', 'supervisor'),
          bodyLimit: 6 * 1024 * 1024,
        },
        async (req) => reportDto(await reconcileDay(deps, { day: req.body.date, statementCsv: req.body.statement, runBy: me(req).accountId })),
      )

      // ---- public pages --------------------------------------------------------------------------
      const publicPay = async (req: FastifyRequest, reply: FastifyReply, q: { ma: string; so: string }, extra: { message?: string; status?: number } = {}) => {
        const errors: FieldErrors = {}
        let data
        let notFound = false
        if (q.ma || q.so) {
          if (!q.ma) errors['ma'] = [tr(req.lang, 'Cần nhập mã hồ sơ.', 'Enter the dossier code.')]
          if (!/^\d{4}$/.test(q.so)) errors['so'] = [tr(req.lang, 'Nhập đúng 4 chữ số.', 'Enter exactly four digits.')]
          if (!Object.keys(errors).length) {
            const d = await dossierByVerifier(deps, q.ma, q.so)
            if (d) data = { dossier: { code: d.code ?? '', procedureName: d.procedureName, statusLabel: STATUS_LABELS[d.status][req.lang] }, items: await viewsOf(deps, await obligationsOfDossier(deps, d)), onlineEnabled: !!deps.gateway }
            else notFound = true
          }
        }
        const status = extra.status ?? (notFound ? 404 : Object.keys(errors).length ? 400 : 200)
        return reply.page({ title: tr(req.lang, 'Nộp phí, lệ phí', 'Pay fees'), status }, <PublicPayPage lang={req.lang} csrf={reply.csrfToken()} code={q.ma} verifier={q.so} data={data} notFound={notFound} errors={errors} message={extra.message} />)
      }

      app.get('/thanh-toan', { schema: { hide: true, querystring: z.object({ ma: z.string().max(60).default(''), so: z.string().max(10).default('') }) }, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) =>
        publicPay(req, reply, { ma: req.query.ma.trim(), so: req.query.so.trim() }),
      )

      app.post(
        '/thanh-toan/bat-dau',
        { schema: { hide: true, body: z.object({ ma: z.string().max(60).default(''), so: z.string().max(10).default(''), obligationId: z.string().max(40).default('') }) }, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
        async (req, reply) => {
          const q = { ma: req.body.ma.trim(), so: req.body.so.trim() }
          const d = await dossierByVerifier(deps, q.ma, q.so)
          const o = d && /^[0-9a-f-]{36}$/.test(req.body.obligationId) ? await getObligation(m.db, req.body.obligationId).catch(() => undefined) : undefined
          if (!d || !o || o.dossierId !== d.id) return publicPay(req, reply, q, { message: tr(req.lang, 'Không tìm thấy khoản phí với mã hồ sơ và 4 số đã nhập.', 'No such fee for that dossier.'), status: 404 })
          try {
            const started = await startOnlinePayment(deps, { obligationId: o.id, ip: req.ip })
            reply.setCookie(PAY_COOKIE, started.intentId, { path: '/thanh-toan', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 24 * 3600, secure: m.publicUrl.startsWith('https:') && m.mode === 'production' })
            return reply.redirect(`/thanh-toan/chuyen/${started.intentId}`, 303)
          } catch (e) {
            if (!(e instanceof DomainError)) throw e
            return publicPay(req, reply, q, { message: e.message, status: httpStatusOf(e) })
          }
        },
      )

      // The hop to the gateway is a page of our own: a form's CSP (form-action 'self') would stop a
      // redirect straight to another origin, and this page works without JavaScript.
      app.get('/thanh-toan/chuyen/:intentId', { schema: { hide: true, params: z.object({ intentId: z.string().uuid() }) } }, async (req, reply) => {
        const i = await findIntent(m.db, req.params.intentId)
        if (!i?.redirectUrl || i.status !== 'pending') return reply.redirect(i ? `/thanh-toan/ket-qua?MaThamChieu=${encodeURIComponent(i.reference)}` : '/thanh-toan', 303)
        const t = (vi: string, en: string) => tr(req.lang, vi, en)
        return reply.page(
          { title: t('Chuyển đến cổng thanh toán', 'Going to the payment gateway') },
          <>
            <h1>{t('Chuyển đến Nền tảng thanh toán quốc gia', 'Going to the national payment platform')}</h1>
            <p>
              {t('Số tiền', 'Amount')}: {i.amountVnd.toLocaleString('vi-VN')} {t('đồng', 'VND')}. {t('Mã tham chiếu', 'Reference')}: <code>{i.reference}</code>
            </p>
            <p>
              <a class="button" href={i.redirectUrl}>
                {t('Tiếp tục đến trang thanh toán', 'Continue to the payment page')}
              </a>
            </p>
          </>,
        )
      })

      const ownsIntent = (req: FastifyRequest, intentId: string) => {
        const raw = req.cookies[PAY_COOKIE]
        if (!raw) return false
        const u = req.unsignCookie(raw)
        return u.valid && u.value === intentId
      }

      app.get('/thanh-toan/ket-qua', { schema: { hide: true, querystring: z.object({ MaThamChieu: z.string().max(255).default('') }) }, config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
        const i = req.query.MaThamChieu ? await intentAfterReturn(deps, req.query.MaThamChieu) : undefined
        const receiptNo = i ? (await receiptNumbersOf(m.db, [i.id]))[i.id] : undefined
        const o = i ? await getObligation(m.db, i.obligationId) : undefined
        const title = tr(req.lang, 'Kết quả thanh toán', 'Payment result')
        return reply.page({ title, status: i ? 200 : 404 }, <PaymentResultPage lang={req.lang} intent={i} receiptNo={receiptNo} receiptHref={i && receiptNo && ownsIntent(req, i.id) ? `/thanh-toan/bien-lai/${i.id}` : undefined} dossierCode={o?.dossierCode} />)
      })

      app.get('/thanh-toan/bien-lai/:intentId', { schema: { hide: true, params: z.object({ intentId: z.string().uuid() }), querystring: z.object({ ma: z.string().max(60).default(''), so: z.string().max(10).default('') }) }, config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
        const i = await findIntent(m.db, req.params.intentId)
        const d = req.query.ma ? await dossierByVerifier(deps, req.query.ma, req.query.so) : undefined
        if (!i || !(ownsIntent(req, i.id) || d?.id === i.dossierId)) throw new NotFoundError('PAYMENT.NO_RECEIPT', 'Không tìm thấy biên lai.')
        const r = await issueReceipt(deps, i.id)
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.number}.pdf"`).header('x-content-sha256', r.sha256).send(r.bytes)
      })

      // ---- back-office pages -----------------------------------------------------------------------
      app.get('/staff/thanh-toan', { schema: { hide: true, querystring: z.object({ 'trang-thai': z.enum(['open', 'needs_amount', 'paid', 'all']).default('open'), ma: z.string().max(60).default('') }) }, preHandler: staff }, async (req, reply) => {
        const who = me(req)
        if (req.query.ma.trim()) {
          const d = await findDossierByCode(m.db, req.query.ma.trim().toUpperCase())
          if (d) return reply.redirect(`/staff/thanh-toan/ho-so/${d.id}`, 303)
        }
        const all = who.role === 'supervisor' || who.role === 'admin'
        const items = await listObligations(m.db, { agencyIds: all ? undefined : [who.agencyId], statuses: TAB_STATUSES[req.query['trang-thai']], limit: 200 })
        return reply.page({ title: tr(req.lang, 'Phí, lệ phí', 'Fees') }, <StaffPaymentsPage lang={req.lang} items={items} status={req.query['trang-thai']} code={req.query.ma} notFound={!!req.query.ma.trim()} />)
      })

      const showDossier = async (req: FastifyRequest, reply: FastifyReply, dossierId: string, extra: { errors?: FieldErrors; message?: string; done?: string; payUrl?: string; formFor?: string; status?: number } = {}) => {
        const d = await loadForStaff(req, dossierId)
        const who = me(req)
        const inAgency = [d.receivingAgencyId, d.competentAgencyId, d.currentAgencyId].includes(who.agencyId)
        const items = await viewsOf(deps, await obligationsOfDossier(deps, d))
        return reply.page(
          { title: `${tr(req.lang, 'Phí, lệ phí hồ sơ', 'Fees of dossier')} ${d.code ?? ''}`, status: extra.status ?? 200 },
          <StaffDossierPaymentsPage
            lang={req.lang}
            csrf={reply.csrfToken()}
            data={{
              dossier: { id: d.id, code: d.code, procedureName: d.procedureName, statusLabel: STATUS_LABELS[d.status][req.lang], applicantName: (d.applicant as { fullName: string }).fullName },
              items,
              canCounter: inAgency && who.role === 'counter_officer',
              canState: inAgency && ['counter_officer', 'processing_officer', 'agency_leader'].includes(who.role),
              onlineEnabled: !!deps.gateway,
            }}
            errors={extra.errors ?? {}}
            message={extra.message}
            done={extra.done}
            payUrl={extra.payUrl}
            formFor={extra.formFor}
          />,
        )
      }

      app.get('/staff/thanh-toan/ho-so/:dossierId', { schema: { hide: true, params: z.object({ dossierId: z.string().uuid() }), querystring: z.object({ xong: z.string().max(40).optional() }) }, preHandler: staff }, async (req, reply) => {
        const done = req.query.xong === 'so-tien' ? tr(req.lang, 'Đã lưu số tiền phải nộp.', 'Amount saved.') : req.query.xong === 'nop' ? tr(req.lang, 'Đã ghi nhận nộp phí và cấp biên lai.', 'Payment recorded and receipt issued.') : undefined
        return showDossier(req, reply, req.params.dossierId, done ? { done } : {})
      })

      const obligationAction = (path: string, body: z.ZodType, run: (req: FastifyRequest, o: ObligationRow, body: never) => Promise<string | { payUrl: string }>) =>
        app.post(`/staff/thanh-toan/khoan/:id/${path}`, { schema: { hide: true, params: z.object({ id: z.string().uuid() }), body }, preHandler: staff }, async (req, reply) => {
          const o = await getObligation(m.db, req.params.id)
          try {
            const r = await run(req, o, req.body as never)
            if (typeof r === 'string') return reply.redirect(`/staff/thanh-toan/ho-so/${o.dossierId}?xong=${r}`, 303)
            return showDossier(req, reply, o.dossierId, { payUrl: r.payUrl })
          } catch (e) {
            if (!(e instanceof DomainError) || e instanceof ForbiddenError) throw e
            return showDossier(req, reply, o.dossierId, { errors: fieldErrorsOf(e) ?? {}, message: e.message, formFor: o.id, status: httpStatusOf(e) })
          }
        })

      const num = z.preprocess((v) => (typeof v === 'string' ? Number(v.replace(/[.,\s]/g, '')) : v), z.number())
      obligationAction('so-tien', z.object({ amountVnd: num, reason: z.string().max(500).default(''), expectedVersion: z.coerce.number().int().optional() }), async (req, o, b: { amountVnd: number; reason: string; expectedVersion?: number }) => {
        await inTransaction(m.db, (trx) => stateAmount(trx, deps, me(req), o.id, b))
        return 'so-tien'
      })
      obligationAction(
        'nop-tai-quay',
        z.object({ method: z.enum(['cash', 'transfer']).default('cash'), amountVnd: num, bankReference: z.string().max(100).optional(), note: z.string().max(500).optional() }),
        async (req, o, b: { method: 'cash' | 'transfer'; amountVnd: number; bankReference?: string; note?: string }) => {
          await inTransaction(m.db, (trx) => recordCounterPayment(trx, deps, me(req), o.id, b))
          await counterAndAfter(o.dossierId)
          return 'nop'
        },
      )
      obligationAction('truc-tuyen', z.object({}).passthrough(), async (req, o) => {
        await loadForStaff(req, o.dossierId)
        if (me(req).role !== 'counter_officer') throw new ForbiddenError('Chỉ công chức một cửa tạo giao dịch thanh toán cho người nộp.', 'PAYMENT.FORBIDDEN')
        const s = await startOnlinePayment(deps, { obligationId: o.id, ip: req.ip, actorId: me(req).accountId })
        return { payUrl: s.redirectUrl }
      })

      app.get('/staff/thanh-toan/bien-lai/:intentId', { schema: { hide: true, params: z.object({ intentId: z.string().uuid() }) }, preHandler: staff }, async (req, reply) => {
        await receiptFor(req, req.params.intentId)
        const r = await issueReceipt(deps, req.params.intentId)
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${r.number}.pdf"`).header('x-content-sha256', r.sha256).send(r.bytes)
      })

      // ---- reconciliation (administrators, province office) --------------------------------------
      const admin = m.guards.staff('admin', 'supervisor')
      const yesterday = () => new Date(m.clock.now().getTime() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10)
      const showRecon = async (req: FastifyRequest, reply: FastifyReply, extra: { report?: ReconciliationReport; day?: string; errors?: FieldErrors; message?: string; status?: number } = {}) =>
        reply.page(
          { title: tr(req.lang, 'Đối soát thanh toán', 'Payment reconciliation'), status: extra.status ?? 200 },
          <ReconciliationPage lang={req.lang} csrf={reply.csrfToken()} runs={await listReconciliations(m.db)} report={extra.report} day={extra.day ?? yesterday()} errors={extra.errors ?? {}} message={extra.message} />,
        )
      app.get('/admin/thanh-toan/doi-soat', { schema: { hide: true }, preHandler: admin }, async (req, reply) => showRecon(req, reply))
      app.get('/admin/thanh-toan/doi-soat/:id', { schema: { hide: true, params: z.object({ id: z.string().uuid() }) }, preHandler: admin }, async (req, reply) => {
        const r = await findReconciliation(m.db, req.params.id)
        if (!r) throw new NotFoundError('PAYMENT.RECONCILIATION_NOT_FOUND', 'Không tìm thấy lần đối soát này.')
        const s = storedMismatches(r.mismatches)
        return showRecon(req, reply, { day: r.day, report: { id: r.id, day: r.day, gateway: r.gateway, statementSha256: r.statementSha256, statementRows: r.statementRows, ourRows: r.ourRows, problems: s.problems, mismatches: s.items } })
      })
      app.post(
        '/admin/thanh-toan/doi-soat',
        { schema: { hide: true, body: z.object({ date: z.string().max(20).default(''), statement: z.string().max(5_000_000).default('') }) }, preHandler: admin, bodyLimit: 6 * 1024 * 1024 },
        async (req, reply) => {
          try {
            const report = await reconcileDay(deps, { day: req.body.date, statementCsv: req.body.statement.trim() ? req.body.statement : undefined, runBy: me(req).accountId })
            return showRecon(req, reply, { report, day: report.day })
          } catch (e) {
            if (!(e instanceof DomainError)) throw e
            return showRecon(req, reply, { day: req.body.date, errors: fieldErrorsOf(e) ?? {}, message: e.message, status: httpStatusOf(e) })
          }
        },
      )
    },
    jobs(m: ModuleDeps) {
      const deps = depsOf(m)
      return [
        { name: 'payments.dossier-events', everyMs: 10_000, run: () => consumeDossierEvents(deps) },
        { name: 'payments.confirm-dossiers', everyMs: 30_000, run: () => confirmDossierPayments(deps) },
        { name: 'payments.poll-overdue', everyMs: 60_000, run: () => pollOverdueIntents(deps) },
        { name: 'payments.daily-reconcile', everyMs: 15 * 60_000, run: () => reconcileYesterdayIfDue(deps) },
      ]
    },
  }
}

