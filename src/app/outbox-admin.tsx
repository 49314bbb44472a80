import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Clock } from '../shared/clock.js'
import type { Db } from '../shared/database.js'
import { NotFoundError } from '../shared/errors.js'
import { formatVnDateTime, tr, type Lang } from '../shared/i18n.js'
import type { Guards } from '../shared/module.js'
import { listDeliveries, outboxStats, replayAllDead, replayDelivery, type DeliveryView } from '../shared/outbox-dispatcher.js'
import { CsrfField } from '../shared/ui/layout.js'

// The outbox administrator page and API (issue 7 §1): backlog per subscriber, pending deliveries,
// dead letters with their last error, replay one or all of a subscriber.

const Delivery = z.object({
  subscriber: z.string(),
  eventId: z.number().int(),
  topic: z.string(),
  aggregateId: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int(),
  failures: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deadAt: z.string().nullable(),
})
const Stats = z.object({ subscriber: z.string(), pending: z.number(), oldestPendingSeconds: z.number(), dead: z.number(), delivered: z.number(), failures: z.number() })
const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

const dto = (d: DeliveryView) => ({
  subscriber: d.subscriber,
  eventId: d.eventId,
  topic: d.topic,
  aggregateId: d.aggregateId,
  status: d.status,
  attempts: d.attempts,
  failures: d.failures,
  nextAttemptAt: new Date(d.nextAttemptAt).toISOString(),
  lastError: d.lastError,
  createdAt: new Date(d.createdAt).toISOString(),
  deadAt: d.deadAt ? new Date(d.deadAt).toISOString() : null,
})

// A delivery due at once carries -infinity as its next attempt: shown as nothing, not as a date.
const fmt = (d: Date | null) => {
  const at = d ? new Date(d) : undefined
  return at && Number.isFinite(at.getTime()) ? formatVnDateTime(at) : ''
}

/** Registers /admin/outbox and /api/v1/admin/outbox/… (administrators only). */
/** Dead letters (when they died, a replay button) or pending deliveries (their next attempt). */
function DeliveryTable(p: { lang: Lang; kind: 'dead' | 'pending'; rows: DeliveryView[]; csrf: string }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  if (!p.rows.length) return <p>{t('Không có.', 'None.')}</p>
  const dead = p.kind === 'dead'
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={dead ? t('Thư chết', 'Dead letters') : t('Đang chờ gửi', 'Pending')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('Bên nhận', 'Subscriber')}</th>
            <th scope="col">{t('Sự kiện', 'Event')}</th>
            <th scope="col">{t('Đối tượng', 'Aggregate')}</th>
            <th scope="col">{t('Số lần thử', 'Attempts')}</th>
            <th scope="col">{dead ? t('Lúc', 'At') : t('Lần thử tới', 'Next attempt')}</th>
            <th scope="col">{t('Lỗi cuối', 'Last error')}</th>
            {dead ? <th scope="col">{t('Thao tác', 'Action')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {p.rows.map((d) => (
            <tr>
              <td>{d.subscriber}</td>
              <td>
                #{d.eventId} {d.topic}
              </td>
              <td>{d.aggregateId}</td>
              <td>{d.attempts}</td>
              <td>{fmt(dead ? d.deadAt : d.nextAttemptAt)}</td>
              <td>{d.lastError}</td>
              {dead ? (
                <td>
                  <form method="post" action={`/admin/outbox/${encodeURIComponent(d.subscriber)}/replay/${d.eventId}`}>
                    <CsrfField token={p.csrf} />
                    <button type="submit">{t('Gửi lại', 'Replay')}</button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function registerOutboxAdmin(appIn: FastifyInstance, deps: { db: Db; clock: Clock; guards: Guards }): void {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const admin = deps.guards.staff('admin')
  const Subscriber = z.object({ subscriber: z.string().min(1).max(100) })

  app.get(
    '/api/v1/admin/outbox',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Outbox backlog per subscriber, and the pending deliveries or dead letters (administrator)',
        querystring: z.object({ status: z.enum(['pending', 'dead']).default('dead'), subscriber: z.string().max(100).optional() }),
        response: { 200: z.object({ subscribers: z.array(Stats), deliveries: z.array(Delivery) }), 401: ErrorDto, 403: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => ({ subscribers: await outboxStats(deps.db), deliveries: (await listDeliveries(deps.db, { status: req.query.status, subscriber: req.query.subscriber })).map(dto) }),
  )
  app.post(
    '/api/v1/admin/outbox/:subscriber/replay/:eventId',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Put one dead letter back in the queue (administrator); 404 when it is not a dead letter',
        params: Subscriber.extend({ eventId: z.coerce.number().int().min(1) }),
        response: { 200: z.object({ replayed: z.number().int() }), 401: ErrorDto, 403: ErrorDto, 404: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => {
      if (!(await replayDelivery(deps.db, req.params.subscriber, req.params.eventId, deps.clock.now()))) throw new NotFoundError('OUTBOX.NOT_DEAD_LETTER', 'Không có thư chết này.')
      return { replayed: 1 }
    },
  )
  app.post(
    '/api/v1/admin/outbox/:subscriber/replay',
    {
      schema: {
        tags: ['outbox'],
        summary: 'Put every dead letter of a subscriber back in the queue (administrator)',
        params: Subscriber,
        response: { 200: z.object({ replayed: z.number().int() }), 401: ErrorDto, 403: ErrorDto },
      },
      preHandler: admin,
    },
    async (req) => ({ replayed: await replayAllDead(deps.db, req.params.subscriber, deps.clock.now()) }),
  )

  // ---- page ----
  app.get('/admin/outbox', { schema: { hide: true, querystring: z.object({ replayed: z.coerce.number().int().optional() }) }, preHandler: admin }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const stats = await outboxStats(deps.db)
    const dead = await listDeliveries(deps.db, { status: 'dead' })
    const pending = await listDeliveries(deps.db, { status: 'pending', limit: 50 })
    const token = reply.csrfToken()
    return reply.page(
      { title: t('Hàng đợi sự kiện', 'Outbox') },
      <>
        <h1>{t('Hàng đợi sự kiện (outbox)', 'Outbox')}</h1>
        {req.query.replayed !== undefined && <p role="status">{t(`Đã đưa lại ${req.query.replayed} sự kiện vào hàng đợi.`, `${req.query.replayed} event(s) put back in the queue.`)}</p>}
        <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Theo bên nhận', 'By subscriber')}>
          <table>
          <caption>{t('Theo bên nhận', 'By subscriber')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Bên nhận', 'Subscriber')}</th>
              <th scope="col">{t('Đang chờ', 'Pending')}</th>
              <th scope="col">{t('Chờ lâu nhất (giây)', 'Oldest pending (s)')}</th>
              <th scope="col">{t('Đã gửi', 'Delivered')}</th>
              <th scope="col">{t('Lần lỗi', 'Failures')}</th>
              <th scope="col">{t('Thư chết', 'Dead letters')}</th>
              <th scope="col">{t('Thao tác', 'Action')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr>
                <td>{s.subscriber}</td>
                <td>{s.pending}</td>
                <td>{Math.round(s.oldestPendingSeconds)}</td>
                <td>{s.delivered}</td>
                <td>{s.failures}</td>
                <td>{s.dead}</td>
                <td>
                  {s.dead > 0 && (
                    <form method="post" action={`/admin/outbox/${encodeURIComponent(s.subscriber)}/replay`}>
                      <CsrfField token={token} />
                      <button type="submit">{t('Gửi lại tất cả', 'Replay all')}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          </table>
        </div>
        <h2>{t('Thư chết', 'Dead letters')}</h2>
        <DeliveryTable lang={req.lang} kind="dead" rows={dead} csrf={token} />
        <h2>{t('Đang chờ gửi (50 đầu)', 'Pending (first 50)')}</h2>
        <DeliveryTable lang={req.lang} kind="pending" rows={pending} csrf={token} />
      </>,
    )
  })
  app.post('/admin/outbox/:subscriber/replay/:eventId', { schema: { hide: true, params: Subscriber.extend({ eventId: z.coerce.number().int().min(1) }) }, preHandler: admin }, async (req, reply) => {
    const n = (await replayDelivery(deps.db, req.params.subscriber, req.params.eventId, deps.clock.now())) ? 1 : 0
    return reply.redirect(`/admin/outbox?replayed=${n}`, 303)
  })
  app.post('/admin/outbox/:subscriber/replay', { schema: { hide: true, params: Subscriber }, preHandler: admin }, async (req, reply) => {
    const n = await replayAllDead(deps.db, req.params.subscriber, deps.clock.now())
    return reply.redirect(`/admin/outbox?replayed=${n}`, 303)
  })
}
