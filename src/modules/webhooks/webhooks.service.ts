import crypto from 'node:crypto'
import { sql } from 'kysely'
import { retryDelayMs } from '../../shared/backoff.js'
import type { Clock } from '../../shared/clock.js'
import type { Db, Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, NotFoundError, ValidationError } from '../../shared/errors.js'
import { consumeOutbox, hasPendingEvents } from '../../shared/outbox.js'
import { DOSSIER_ACTIONS, getDossier } from '../dossiers/index.js'
import { findAgencyById } from '../org/index.js'
import { newWebhookSecret, signWebhook, SIGNATURE_HEADER } from './webhooks.signature.js'

/** Every topic a subscription may ask for: one per dossier lifecycle action. */
export const WEBHOOK_TOPICS: readonly string[] = DOSSIER_ACTIONS.map((a) => `dossier.${a}`)

export interface WebhookDeps {
  db: Db
  clock: Clock
  mode: 'demo' | 'production'
  /** Tests pass a fixed jitter. */
  random?: () => number
  /** How long one delivery may take before it counts as failed. */
  timeoutMs?: number
}

const CONSUMER = 'webhooks.plan'
const MAX_ATTEMPTS = 10
const CLAIM_LEASE_MS = 2 * 60_000

export interface NewSubscription {
  name: string
  url: string
  agencyId: string
  procedureCode: string
  topics: string[]
}

/** Checks a subscription and reports every problem at once (coded, per field). */
async function validate(db: Db, mode: WebhookDeps['mode'], input: NewSubscription): Promise<Record<string, string[]>> {
  const problems: Record<string, string[]> = {}
  const add = (f: string, m: string) => (problems[f] ??= []).push(m)
  if (!input.name.trim()) add('name', 'Cần đặt tên cho đăng ký (ví dụ: tên hệ thống nhận).')
  if (input.name.length > 200) add('name', 'Tên dài quá 200 ký tự.')
  let url: URL | undefined
  try {
    url = new URL(input.url.trim())
  } catch {
    add('url', 'Địa chỉ nhận không hợp lệ (ví dụ: https://he-thong.example.vn/vidan).')
  }
  if (url) {
    if (url.protocol !== 'https:' && !(mode === 'demo' && url.protocol === 'http:')) add('url', 'Địa chỉ nhận phải dùng https.')
    if (url.username || url.password) add('url', 'Không ghi tên đăng nhập hay mật khẩu vào địa chỉ; việc xác thực dùng chữ ký.')
    if (input.url.length > 2000) add('url', 'Địa chỉ dài quá 2000 ký tự.')
  }
  if (input.agencyId && !(await findAgencyById(db, input.agencyId))) add('agencyId', 'Không có cơ quan này.')
  if (input.procedureCode && !/^[0-9]+\.[0-9]{6}(\.[A-Z0-9]+)?$/.test(input.procedureCode)) add('procedureCode', 'Mã thủ tục không đúng dạng (ví dụ: 1.001193).')
  if (!input.topics.length) add('topics', 'Chọn ít nhất một loại sự kiện.')
  const unknown = input.topics.filter((t) => !WEBHOOK_TOPICS.includes(t))
  if (unknown.length) add('topics', `Loại sự kiện không có: ${unknown.join(', ')}.`)
  return problems
}

/** Creates a subscription; answers it with its secret, which is shown this once. */
export async function createSubscription(deps: WebhookDeps, createdBy: string, input: NewSubscription): Promise<{ id: string; secret: string }> {
  const problems = await validate(deps.db, deps.mode, input)
  if (Object.keys(problems).length) throw new ValidationError('WEBHOOK.INVALID', 'Đăng ký chưa hợp lệ, xem các lỗi bên dưới.', { fields: problems })
  const id = crypto.randomUUID()
  const secret = newWebhookSecret()
  await deps.db
    .insertInto('webhookSubscriptions')
    .values({ id, name: input.name.trim(), url: input.url.trim(), secret, agencyId: input.agencyId || null, procedureCode: input.procedureCode || null, topics: [...new Set(input.topics)], createdBy, createdAt: deps.clock.now(), deactivatedAt: null })
    .execute()
  return { id, secret }
}

export async function listSubscriptions(db: Db) {
  return db
    .selectFrom('webhookSubscriptions as s')
    .select(['s.id', 's.name', 's.url', 's.agencyId', 's.procedureCode', 's.topics', 's.active', 's.createdAt', 's.deactivatedAt', 's.version'])
    .select((eb) => [
      eb.selectFrom('webhookDeliveries as d').whereRef('d.subscriptionId', '=', 's.id').where('d.status', '=', 'pending').select(sql<number>`count(*)::int`.as('n')).as('pending'),
      eb.selectFrom('webhookDeliveries as d').whereRef('d.subscriptionId', '=', 's.id').where('d.status', '=', 'dead').select(sql<number>`count(*)::int`.as('n')).as('dead'),
    ])
    .orderBy('s.createdAt', 'desc')
    .execute()
}

export type SubscriptionSummary = Awaited<ReturnType<typeof listSubscriptions>>[number]

export async function getSubscription(db: Db, id: string) {
  const s = await db.selectFrom('webhookSubscriptions').select(['id', 'name', 'url', 'agencyId', 'procedureCode', 'topics', 'active', 'createdAt', 'deactivatedAt', 'version']).where('id', '=', id).executeTakeFirst()
  if (!s) throw new NotFoundError('WEBHOOK.NOT_FOUND', 'Không tìm thấy đăng ký nhận sự kiện.')
  return s
}

/** Stops a subscription (its pending deliveries are not sent); optimistic version. */
export async function deactivateSubscription(deps: WebhookDeps, id: string, expectedVersion: number): Promise<void> {
  await getSubscription(deps.db, id)
  const r = await deps.db
    .updateTable('webhookSubscriptions')
    .set({ active: false, deactivatedAt: deps.clock.now(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  if (!Number(r.numUpdatedRows)) throw new ConcurrentUpdateError('webhook_subscriptions', id)
}

/** The delivery log of a subscription, newest first. */
export async function deliveriesOf(db: Db, subscriptionId: string, limit = 100) {
  return db
    .selectFrom('webhookDeliveries')
    .select(['id', 'eventId', 'topic', 'dossierId', 'status', 'attempts', 'nextAttemptAt', 'lastStatusCode', 'lastError', 'createdAt', 'deliveredAt'])
    .where('subscriptionId', '=', subscriptionId)
    .orderBy('eventId', 'desc')
    .limit(limit)
    .execute()
}

/** Sends a given-up delivery again (after the receiver is fixed). */
export async function replayDelivery(deps: WebhookDeps, subscriptionId: string, deliveryId: string): Promise<void> {
  const r = await deps.db
    .updateTable('webhookDeliveries')
    .set({ status: 'pending', attempts: 0, nextAttemptAt: deps.clock.now(), lastError: null })
    .where('id', '=', deliveryId)
    .where('subscriptionId', '=', subscriptionId)
    .where('status', '=', 'dead')
    .executeTakeFirst()
  if (!Number(r.numUpdatedRows)) throw new NotFoundError('WEBHOOK.DELIVERY_NOT_DEAD', 'Không có lần gửi thất bại này để gửi lại.')
}

interface DossierEventPayload {
  dossierId: string
  code: string | null
  seq: number
  action: string
  fromStatus: string | null
  status: string
  nationalStatusCode: number
  actor: { name: string; role: string; agencyId: string | null }
  content: string
  occurredAt: string
  stepDueAt: string | null
  dueAt: string | null
  appointmentAt: string | null
}

/**
 * The body integrators receive: the dossier's public facts and the event, no personal data of
 * the applicant (names, numbers, addresses stay in Vì Dân). `event.seq` numbers each dossier's
 * events from 1, so a receiver can order them and see a gap.
 */
export function webhookBody(eventId: number, topic: string, p: DossierEventPayload, d: { procedureCode: string; procedureName: string; receivingAgencyId: string; competentAgencyId: string; currentAgencyId: string }): string {
  return JSON.stringify({
    id: `evt_${eventId}`,
    type: topic,
    occurredAt: p.occurredAt,
    dossier: {
      id: p.dossierId,
      code: p.code,
      status: p.status,
      nationalStatusCode: p.nationalStatusCode,
      procedureCode: d.procedureCode,
      procedureName: d.procedureName,
      receivingAgencyId: d.receivingAgencyId,
      competentAgencyId: d.competentAgencyId,
      currentAgencyId: d.currentAgencyId,
      dueAt: p.dueAt,
      appointmentAt: p.appointmentAt,
    },
    event: { seq: p.seq, action: p.action, fromStatus: p.fromStatus, status: p.status, content: p.content, actor: p.actor, stepDueAt: p.stepDueAt },
  })
}

/**
 * Plans deliveries for new dossier events: one row per matching active subscription, in the
 * transaction that moves this consumer's cursor (exactly once; the unique key makes a replay a
 * no-op). Returns how many events were read.
 */
export async function planWebhookDeliveries(deps: WebhookDeps): Promise<number> {
  // Events are consumed even with no subscription: a new subscription starts from now, not from history.
  if (!(await hasPendingEvents(deps.db, CONSUMER, [...WEBHOOK_TOPICS]))) return 0
  return consumeOutbox(deps.db, CONSUMER, [...WEBHOOK_TOPICS], async (trx, events) => {
    const subs = await trx.selectFrom('webhookSubscriptions').select(['id', 'agencyId', 'procedureCode', 'topics']).where('active', '=', true).execute()
    if (!subs.length) return
    for (const e of events) await planEvent(trx, deps, subs, e.id, e.topic, e.payload as DossierEventPayload)
  })
}

async function planEvent(trx: Trx, deps: WebhookDeps, subs: { id: string; agencyId: string | null; procedureCode: string | null; topics: string[] }[], eventId: number, topic: string, p: DossierEventPayload): Promise<void> {
  const d = await getDossier(trx, p.dossierId)
  const agencies = [d.receivingAgencyId, d.competentAgencyId, d.currentAgencyId]
  const matching = subs.filter((s) => s.topics.includes(topic) && (!s.agencyId || agencies.includes(s.agencyId)) && (!s.procedureCode || s.procedureCode === d.procedureCode))
  if (!matching.length) return
  const body = webhookBody(eventId, topic, p, d)
  const now = deps.clock.now()
  await trx
    .insertInto('webhookDeliveries')
    .values(matching.map((s) => ({ id: crypto.randomUUID(), subscriptionId: s.id, eventId, topic, dossierId: d.id, body, status: 'pending', nextAttemptAt: now, createdAt: now, deliveredAt: null })))
    .onConflict((oc) => oc.columns(['subscriptionId', 'eventId']).doNothing())
    .execute()
}

/**
 * Sends the deliveries that are due, in order per dossier and subscription (a delivery waits
 * while an earlier one of the same dossier is still pending), each signed at the moment it is
 * sent. A 2xx answer delivers; anything else is retried with exponential backoff and jitter, up
 * to 10 attempts, then the delivery is dead (replayable by an administrator). At-least-once: a
 * sender killed between sending and recording sends again after its claim's lease.
 */
export async function sendDueWebhooks(deps: WebhookDeps, batch = 20): Promise<{ delivered: number; retried: number; dead: number }> {
  const now = deps.clock.now()
  const claimed = await sql<{ id: string; eventId: string; topic: string; body: string; attempts: number; url: string; secret: string }>`
    UPDATE webhook_deliveries w SET next_attempt_at = ${new Date(now.getTime() + CLAIM_LEASE_MS)}, attempts = w.attempts + 1
    FROM webhook_subscriptions s
    WHERE s.id = w.subscription_id AND w.id IN (
      SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions ds ON ds.id = d.subscription_id
      WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND ds.active
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id AND e.dossier_id = d.dossier_id AND e.event_id < d.event_id AND e.status = 'pending')
      ORDER BY d.event_id LIMIT ${batch} FOR UPDATE OF d SKIP LOCKED)
    RETURNING w.id, w.event_id AS "eventId", w.topic, w.body, w.attempts, s.url, s.secret`.execute(deps.db)
  const out = { delivered: 0, retried: 0, dead: 0 }
  for (const c of claimed.rows) {
    let statusCode: number | null = null
    let error: string | null = null
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ViDan-Webhooks/1',
          'x-vidan-event-id': `evt_${c.eventId}`,
          'x-vidan-event-type': c.topic,
          'x-vidan-delivery-id': c.id,
          [SIGNATURE_HEADER]: signWebhook(c.secret, c.body, deps.clock.now()),
        },
        body: c.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      })
      statusCode = res.status
      await res.body?.cancel()
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`
    } catch (err) {
      error = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'
    }
    if (!error) {
      await deps.db.updateTable('webhookDeliveries').set({ status: 'delivered', deliveredAt: deps.clock.now(), lastStatusCode: statusCode, lastError: null, nextAttemptAt: null }).where('id', '=', c.id).execute()
      out.delivered++
    } else if (c.attempts >= MAX_ATTEMPTS) {
      await deps.db.updateTable('webhookDeliveries').set({ status: 'dead', lastStatusCode: statusCode, lastError: error, nextAttemptAt: null }).where('id', '=', c.id).execute()
      out.dead++
    } else {
      const next = new Date(deps.clock.now().getTime() + retryDelayMs(c.attempts, deps.random ?? Math.random, 10_000))
      await deps.db.updateTable('webhookDeliveries').set({ lastStatusCode: statusCode, lastError: error, nextAttemptAt: next }).where('id', '=', c.id).execute()
      out.retried++
    }
  }
  return out
}
