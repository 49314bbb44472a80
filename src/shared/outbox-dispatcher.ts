import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from './clock.js'
import { inTransaction, type Db } from './database.js'

// Delivers outbox events to subscribers after commit: one delivery record per subscriber and
// event, at-least-once, in order per aggregate (a failed event holds back the later events of its
// aggregate for that subscriber, and nothing else), retries with exponential backoff and jitter,
// dead letters after N attempts or a permanent failure. Several workers may run at once on
// PostgreSQL: a claim takes rows with FOR UPDATE SKIP LOCKED and leases them, so the claims of a
// worker that died are taken again once the lease has run out.

/** An event as handed to a subscriber. */
export interface DispatchedEvent {
  id: number
  topic: string
  aggregateType: string
  aggregateId: string
  payload: unknown
  occurredAt: Date
  /** This delivery's attempt number, from 1 (again from 1 after a replay). */
  attempt: number
  /**
   * An earlier attempt was made (it failed, timed out, or its worker died): it may have reached
   * the receiver without our hearing the answer. Receivers that cannot deduplicate check first.
   */
  redelivery: boolean
}

/** What a subscriber says about one delivery. */
export type DeliveryOutcome = { ok: true } | { ok: false; retryable: boolean; error: string }

export const delivered = (): DeliveryOutcome => ({ ok: true })
export const retryLater = (error: string): DeliveryOutcome => ({ ok: false, retryable: true, error })
export const failPermanently = (error: string): DeliveryOutcome => ({ ok: false, retryable: false, error })

/** Something that reacts to outbox events outside the writing transaction (a portal, a mailer, a webhook). */
export interface OutboxSubscriber {
  /** Stable name: delivery records are kept under it. */
  name: string
  topics: readonly string[]
  /** Must return within the lease; a thrown error counts as a retryable failure. */
  deliver(event: DispatchedEvent): Promise<DeliveryOutcome>
  /** Attempts before a dead letter (default from the dispatcher). */
  maxAttempts?: number
}

export interface DispatcherOptions {
  db: Db
  clock: Clock
  subscribers: readonly OutboxSubscriber[]
  /** In [0, 1); injected so tests get the same delays every run. */
  random?: () => number
  workerId?: string
  /** How long a claim is held before another worker may take it again. */
  leaseMs?: number
  /** Backoff: base × 2^(attempt−1), capped, with "equal jitter" (half fixed, half random). */
  baseDelayMs?: number
  maxDelayMs?: number
  maxAttempts?: number
  /** Deliveries claimed per round and subscriber, and how many run at once. */
  batch?: number
  concurrency?: number
  /** Events read per fan-out statement. */
  fanOutBatch?: number
  onError?: (subscriber: string, eventId: number, error: string) => void
}

/** The delay before attempt `attempt + 1` after `attempt` failed ones. */
export function backoffMs(attempt: number, random: () => number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random())
}

export interface RoundResult {
  fannedOut: number
  claimed: number
  delivered: number
  failed: number
  dead: number
}

const EMPTY: RoundResult = { fannedOut: 0, claimed: 0, delivered: 0, failed: 0, dead: 0 }
const add = (a: RoundResult, b: RoundResult): RoundResult => ({ fannedOut: a.fannedOut + b.fannedOut, claimed: a.claimed + b.claimed, delivered: a.delivered + b.delivered, failed: a.failed + b.failed, dead: a.dead + b.dead })

export interface OutboxDispatcher {
  readonly workerId: string
  /** One round for every subscriber: fan out new events, claim the heads that are due, deliver them. */
  runOnce(): Promise<RoundResult>
  /** Rounds until one finds nothing to do, or `maxRounds`. */
  runUntilIdle(maxRounds?: number): Promise<RoundResult>
}

/** A dispatcher over the given subscribers; run it from a background job. */
export function createOutboxDispatcher(opts: DispatcherOptions): OutboxDispatcher {
  const random = opts.random ?? Math.random
  const workerId = opts.workerId ?? `${process.pid}-${crypto.randomBytes(4).toString('hex')}`
  const leaseMs = opts.leaseMs ?? 60_000
  const base = opts.baseDelayMs ?? 1_000
  const max = opts.maxDelayMs ?? 5 * 60_000
  const batch = opts.batch ?? 50
  const concurrency = Math.max(1, opts.concurrency ?? 4)

  async function roundFor(sub: OutboxSubscriber): Promise<RoundResult> {
    const fannedOut = await fanOut(opts.db, sub, opts.fanOutBatch)
    const now = opts.clock.now()
    const claims = await claimDeliveries(opts.db, sub, { now, leaseUntil: new Date(now.getTime() + leaseMs), workerId, limit: batch })
    const result: RoundResult = { ...EMPTY, fannedOut, claimed: claims.length }
    let next = 0
    const work = async () => {
      while (next < claims.length) {
        const event = claims[next++]!
        let outcome: DeliveryOutcome
        try {
          outcome = await sub.deliver(event)
        } catch (e) {
          outcome = retryLater(e instanceof Error ? e.message : String(e))
        }
        const maxAttempts = sub.maxAttempts ?? opts.maxAttempts ?? 10
        const done = opts.clock.now()
        if (outcome.ok) {
          await markDelivered(opts.db, sub.name, event.id, done)
          result.delivered++
          continue
        }
        opts.onError?.(sub.name, event.id, outcome.error)
        if (!outcome.retryable || event.attempt >= maxAttempts) {
          await markFailed(opts.db, sub.name, event.id, { error: outcome.error, dead: true, at: done })
          result.dead++
        } else {
          await markFailed(opts.db, sub.name, event.id, { error: outcome.error, dead: false, at: done, retryAt: new Date(done.getTime() + backoffMs(event.attempt, random, base, max)) })
          result.failed++
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, claims.length) }, work))
    return result
  }

  const dispatcher: OutboxDispatcher = {
    workerId,
    async runOnce() {
      let total = EMPTY
      for (const sub of opts.subscribers) total = add(total, await roundFor(sub))
      return total
    },
    async runUntilIdle(maxRounds = 100) {
      let total = EMPTY
      for (let i = 0; i < maxRounds; i++) {
        const r = await dispatcher.runOnce()
        total = add(total, r)
        if (r.fannedOut === 0 && r.claimed === 0) break
      }
      return total
    },
  }
  return dispatcher
}

/**
 * Creates the delivery records of the subscriber's topics for events that are final: written by
 * transactions older than every transaction still running (the snapshot's xmin). Reading in
 * (tx_id, id) order below that horizon, a cursor never passes an event that commits later.
 */
export async function fanOut(db: Db, sub: Pick<OutboxSubscriber, 'name' | 'topics'>, limit = 500): Promise<number> {
  // A plain read first: an idle dispatcher polling every second takes no lock and writes nothing.
  const ahead = await sql<{ cursor: boolean | null; ahead: boolean }>`
    SELECT (SELECT true FROM outbox_dispatch_cursors WHERE subscriber = ${sub.name}) AS cursor,
      EXISTS (SELECT 1 FROM outbox_events e, (SELECT coalesce((SELECT last_tx_id FROM outbox_dispatch_cursors WHERE subscriber = ${sub.name}), '0'::xid8) AS t,
          coalesce((SELECT last_event_id FROM outbox_dispatch_cursors WHERE subscriber = ${sub.name}), 0) AS i) c
        WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) AND (e.tx_id, e.id) > (c.t, c.i)) AS ahead`.execute(db)
  if (!ahead.rows[0]?.ahead) return 0
  if (!ahead.rows[0].cursor) await sql`INSERT INTO outbox_dispatch_cursors (subscriber) VALUES (${sub.name}) ON CONFLICT (subscriber) DO NOTHING`.execute(db)
  return inTransaction(db, async (trx) => {
    const cursor = await sql<{ lastTxId: string; lastEventId: string }>`
      SELECT last_tx_id::text, last_event_id::text FROM outbox_dispatch_cursors WHERE subscriber = ${sub.name} FOR UPDATE`.execute(trx)
    const c = cursor.rows[0]!
    const { rows } = await sql<{ scanned: number; lastTxId: string | null; lastEventId: string | null; inserted: number }>`
      WITH ev AS (
        SELECT e.id, e.tx_id, e.topic, e.aggregate_type, e.aggregate_id FROM outbox_events e
        WHERE e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) AND (e.tx_id, e.id) > (${c.lastTxId}::xid8, ${c.lastEventId}::bigint)
        ORDER BY e.tx_id, e.id LIMIT ${limit}
      ), ins AS (
        INSERT INTO outbox_deliveries (subscriber, event_id, aggregate_type, aggregate_id, topic, next_attempt_at)
        SELECT ${sub.name}, ev.id, ev.aggregate_type, ev.aggregate_id, ev.topic, '-infinity'::timestamptz FROM ev
        WHERE ev.topic = ANY(${[...sub.topics]}::text[])
        ON CONFLICT (subscriber, event_id) DO NOTHING RETURNING 1
      ), last AS (SELECT tx_id, id FROM ev ORDER BY tx_id DESC, id DESC LIMIT 1)
      SELECT (SELECT count(*) FROM ev)::int AS scanned, (SELECT tx_id::text FROM last) AS last_tx_id, (SELECT id::text FROM last) AS last_event_id, (SELECT count(*) FROM ins)::int AS inserted`.execute(trx)
    const r = rows[0]!
    if (r.scanned > 0) {
      await sql`UPDATE outbox_dispatch_cursors SET last_tx_id = ${r.lastTxId}::xid8, last_event_id = ${r.lastEventId}::bigint, updated_at = now() WHERE subscriber = ${sub.name}`.execute(trx)
    }
    return r.inserted
  })
}

/**
 * Claims due deliveries that head their aggregate for this subscriber: no earlier event of the
 * aggregate is undelivered (pending, leased or dead) or still without a delivery record.
 */
export async function claimDeliveries(db: Db, sub: Pick<OutboxSubscriber, 'name' | 'topics'>, o: { now: Date; leaseUntil: Date; workerId: string; limit: number }): Promise<DispatchedEvent[]> {
  const { rows } = await sql<{ eventId: string; attempts: number; failures: number; topic: string; aggregateType: string; aggregateId: string; payload: unknown; occurredAt: Date }>`
    WITH c AS (
      SELECT d.subscriber, d.event_id FROM outbox_deliveries d
      WHERE d.subscriber = ${sub.name} AND d.status = 'pending' AND d.next_attempt_at <= ${o.now}
        AND (d.leased_until IS NULL OR d.leased_until <= ${o.now})
        AND NOT EXISTS (
          SELECT 1 FROM outbox_deliveries p
          WHERE p.subscriber = d.subscriber AND p.aggregate_type = d.aggregate_type AND p.aggregate_id = d.aggregate_id AND p.event_id < d.event_id AND p.status <> 'delivered')
        AND NOT EXISTS (
          SELECT 1 FROM outbox_events p
          WHERE p.aggregate_type = d.aggregate_type AND p.aggregate_id = d.aggregate_id AND p.id < d.event_id AND p.topic = ANY(${[...sub.topics]}::text[])
            AND NOT EXISTS (SELECT 1 FROM outbox_deliveries q WHERE q.subscriber = d.subscriber AND q.event_id = p.id))
      ORDER BY d.event_id
      LIMIT ${o.limit}
      FOR UPDATE OF d SKIP LOCKED
    ), u AS (
      UPDATE outbox_deliveries d SET leased_until = ${o.leaseUntil}, leased_by = ${o.workerId}, attempts = d.attempts + 1
      FROM c WHERE d.subscriber = c.subscriber AND d.event_id = c.event_id
      RETURNING d.event_id, d.attempts, d.failures
    )
    SELECT u.event_id::text, u.attempts, u.failures, e.topic, e.aggregate_type, e.aggregate_id, e.payload, e.occurred_at
    FROM u JOIN outbox_events e ON e.id = u.event_id ORDER BY u.event_id`.execute(db)
  return rows.map((r) => ({ id: Number(r.eventId), attempt: r.attempts, redelivery: r.attempts > 1 || r.failures > 0, topic: r.topic, aggregateType: r.aggregateType, aggregateId: r.aggregateId, payload: r.payload, occurredAt: new Date(r.occurredAt) }))
}

async function markDelivered(db: Db, subscriber: string, eventId: number, at: Date) {
  // Whoever holds the lease now: an answer from the portal is worth recording even if the lease ran out.
  await sql`UPDATE outbox_deliveries SET status = 'delivered', delivered_at = ${at}, leased_until = NULL, leased_by = NULL
    WHERE subscriber = ${subscriber} AND event_id = ${eventId} AND status = 'pending'`.execute(db)
}

async function markFailed(db: Db, subscriber: string, eventId: number, f: { error: string; dead: boolean; at: Date; retryAt?: Date }) {
  const error = f.error.slice(0, 2000)
  await sql`UPDATE outbox_deliveries SET failures = failures + 1, last_error = ${error}, leased_until = NULL, leased_by = NULL,
      status = ${f.dead ? 'dead' : 'pending'}, dead_at = ${f.dead ? f.at : null}, next_attempt_at = ${f.retryAt ?? f.at}
    WHERE subscriber = ${subscriber} AND event_id = ${eventId} AND status = 'pending'`.execute(db)
}

/** Puts a dead letter back in the queue (attempts start over). Returns whether one was found. */
export async function replayDelivery(db: Db, subscriber: string, eventId: number, now: Date): Promise<boolean> {
  const r = await sql`UPDATE outbox_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now}, dead_at = NULL
    WHERE subscriber = ${subscriber} AND event_id = ${eventId} AND status = 'dead'`.execute(db)
  return Number(r.numAffectedRows ?? 0) > 0
}

/** Puts every dead letter of a subscriber back in the queue. Returns how many. */
export async function replayAllDead(db: Db, subscriber: string, now: Date): Promise<number> {
  const r = await sql`UPDATE outbox_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ${now}, dead_at = NULL
    WHERE subscriber = ${subscriber} AND status = 'dead'`.execute(db)
  return Number(r.numAffectedRows ?? 0)
}

export interface SubscriberStats {
  subscriber: string
  pending: number
  /** Age in seconds of the oldest pending delivery (0 when none). */
  oldestPendingSeconds: number
  dead: number
  delivered: number
  /** Failed attempts so far. */
  failures: number
}

/** Backlog per subscriber (metrics, the administrator page). */
export async function outboxStats(db: Db): Promise<SubscriberStats[]> {
  const { rows } = await sql<SubscriberStats>`
    SELECT subscriber,
      count(*) FILTER (WHERE status = 'pending')::int AS pending,
      coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8 AS oldest_pending_seconds,
      count(*) FILTER (WHERE status = 'dead')::int AS dead,
      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
      coalesce(sum(failures), 0)::int AS failures
    FROM outbox_deliveries GROUP BY subscriber ORDER BY subscriber`.execute(db)
  return rows
}

export interface DeliveryView {
  subscriber: string
  eventId: number
  topic: string
  aggregateType: string
  aggregateId: string
  status: 'pending' | 'delivered' | 'dead'
  attempts: number
  failures: number
  nextAttemptAt: Date
  lastError: string | null
  createdAt: Date
  deadAt: Date | null
}

/** Deliveries of one status, oldest first (the administrator page and API). */
export async function listDeliveries(db: Db, f: { status: 'pending' | 'dead'; subscriber?: string | undefined; limit?: number }): Promise<DeliveryView[]> {
  const { rows } = await sql<DeliveryView & { eventId: string }>`
    SELECT subscriber, event_id::text AS event_id, topic, aggregate_type, aggregate_id, status, attempts, failures, next_attempt_at, last_error, created_at, dead_at
    FROM outbox_deliveries WHERE status = ${f.status} ${f.subscriber ? sql`AND subscriber = ${f.subscriber}` : sql``}
    ORDER BY subscriber, event_id LIMIT ${f.limit ?? 200}`.execute(db)
  return rows.map((r) => ({ ...r, eventId: Number(r.eventId) }))
}

// The dispatcher's tables are reached with raw SQL above; declared for completeness of the schema.
export interface OutboxDeliveriesTable {
  subscriber: string
  eventId: number
  aggregateType: string
  aggregateId: string
  topic: string
  status: 'pending' | 'delivered' | 'dead'
  attempts: number
  failures: number
  nextAttemptAt: Date
  leasedUntil: Date | null
  leasedBy: string | null
  lastError: string | null
  createdAt: Date
  deliveredAt: Date | null
  deadAt: Date | null
}

declare module './database.js' {
  interface Database {
    outboxDeliveries: OutboxDeliveriesTable
  }
}

