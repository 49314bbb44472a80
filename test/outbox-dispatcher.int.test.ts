import crypto from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseHandle } from '../src/app/db.js'
import { ManualClock } from '../src/shared/clock.js'
import { inTransaction, type Db } from '../src/shared/database.js'
import { appendOutboxEvent } from '../src/shared/outbox.js'
import {
  backoffMs,
  claimDeliveries,
  createOutboxDispatcher,
  delivered,
  failPermanently,
  fanOut,
  listDeliveries,
  outboxStats,
  replayAllDead,
  replayDelivery,
  retryLater,
  type DeliveryOutcome,
  type DispatchedEvent,
  type OutboxSubscriber,
} from '../src/shared/outbox-dispatcher.js'
import { drain, horizonPassed } from './support/sync-drill.js'
import { backend, createTestDatabase } from './support/test-db.js'

// The outbox dispatcher (issue 7 §1): at-least-once, ordered per aggregate, backoff, dead letters, leases.

let handle: DatabaseHandle
let db: Db
const clock = new ManualClock('2026-12-01T02:00:00Z')

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
})
afterAll(async () => handle?.close())

const topic = () => `test.${crypto.randomBytes(4).toString('hex')}`

async function write(t: string, aggregateId: string, n: number): Promise<number[]> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) ids.push(await inTransaction(db, (trx) => appendOutboxEvent(trx, { topic: t, aggregateType: 'test', aggregateId, payload: { i } })))
  return ids
}

/** A subscriber that records what it got and answers by a script. */
function recorder(name: string, topics: string[], answer: (e: DispatchedEvent) => DeliveryOutcome | Promise<DeliveryOutcome> = () => delivered()) {
  const got: DispatchedEvent[] = []
  const sub: OutboxSubscriber = {
    name,
    topics,
    async deliver(e) {
      got.push(e)
      return answer(e)
    },
  }
  return { sub, got }
}

describe('backoff', () => {
  it('doubles per attempt, is capped, and jitters within [ceiling/2, ceiling]', () => {
    expect(backoffMs(1, () => 0, 1000, 60_000)).toBe(500)
    expect(backoffMs(1, () => 0.999999, 1000, 60_000)).toBe(1000)
    expect(backoffMs(3, () => 0, 1000, 60_000)).toBe(2000)
    expect(backoffMs(20, () => 0, 1000, 60_000)).toBe(30_000)
  })
})

describe('the outbox dispatcher', () => {
  it('delivers every event once, in order per aggregate, and a failure holds back only its own aggregate', async () => {
    const t = topic()
    const a = await write(t, 'A', 3)
    const b = await write(t, 'B', 3)
    // A's second event fails twice (retryable), then goes through.
    const failing = new Map<number, number>([[a[1]!, 2]])
    const { sub, got } = recorder(`s-${t}`, [t], (e) => {
      const left = failing.get(e.id) ?? 0
      if (left > 0) {
        failing.set(e.id, left - 1)
        return retryLater('portal down')
      }
      return delivered()
    })
    const d = createOutboxDispatcher({ db, clock, subscribers: [sub], random: () => 0, baseDelayMs: 1000 })
    await drain(db, d)
    // B went through; A stopped at its failing second event.
    expect(got.filter((e) => e.aggregateId === 'B').map((e) => e.id)).toEqual(b)
    expect(got.filter((e) => e.aggregateId === 'A').map((e) => e.id)).toEqual([a[0], a[1]])
    // Not due before the backoff (500 ms with random 0), due after.
    await drain(db, d)
    expect(got.filter((e) => e.aggregateId === 'A')).toHaveLength(2)
    clock.advance(500)
    await drain(db, d)
    clock.advance(1000)
    await drain(db, d)
    const seenA = got.filter((e) => e.aggregateId === 'A').map((e) => e.id)
    expect(seenA).toEqual([a[0], a[1], a[1], a[1], a[2]])
    const lastA1 = got.filter((e) => e.id === a[1]).map((e) => e.attempt)
    expect(lastA1).toEqual([1, 2, 3])
    const stats = (await outboxStats(db)).find((s) => s.subscriber === sub.name)!
    expect(stats).toMatchObject({ pending: 0, dead: 0, delivered: 6, failures: 2 })
  })

  it('dead-letters after N attempts or a permanent failure, blocks the aggregate, and replays', async () => {
    const t = topic()
    const a = await write(t, 'A', 2)
    const c = await write(t, 'C', 1)
    let healthy = false
    const { sub, got } = recorder(`s-${t}`, [t], (e) => (healthy ? delivered() : e.aggregateId === 'C' ? failPermanently('400 rejected') : retryLater('503')))
    const d = createOutboxDispatcher({ db, clock, subscribers: [{ ...sub, maxAttempts: 2 }], random: () => 0, baseDelayMs: 10 })
    await drain(db, d)
    clock.advance(1000)
    await drain(db, d)
    clock.advance(1000)
    await drain(db, d)
    const dead = await listDeliveries(db, { status: 'dead', subscriber: sub.name })
    expect(dead.map((x) => [x.eventId, x.lastError])).toEqual([
      [a[0], '503'],
      [c[0], '400 rejected'],
    ])
    // A's second event never went out: its predecessor is a dead letter.
    expect(got.some((e) => e.id === a[1])).toBe(false)
    expect((await listDeliveries(db, { status: 'pending', subscriber: sub.name })).map((x) => x.eventId)).toEqual([a[1]])

    healthy = true
    expect(await replayDelivery(db, sub.name, c[0]!, clock.now())).toBe(true)
    expect(await replayDelivery(db, sub.name, c[0]!, clock.now())).toBe(false)
    await drain(db, d)
    expect(got.filter((e) => e.id === c[0]).at(-1)?.attempt).toBe(1)
    expect(await replayAllDead(db, sub.name, clock.now())).toBe(1)
    await drain(db, d)
    expect(got.filter((e) => e.aggregateId === 'A').map((e) => e.id).slice(-2)).toEqual(a)
    expect((await outboxStats(db)).find((s) => s.subscriber === sub.name)).toMatchObject({ pending: 0, dead: 0, delivered: 3 })
  })

  it('gives a claim whose worker died to another worker once the lease has run out', async () => {
    const t = topic()
    const [e1] = await write(t, 'L', 1)
    const sub = { name: `s-${t}`, topics: [t] }
    await horizonPassed(db)
    await fanOut(db, sub)
    const first = await claimDeliveries(db, sub, { now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 60_000), workerId: 'dead-worker', limit: 10 })
    expect(first.map((e) => e.id)).toEqual([e1])
    // The worker is gone: within the lease nobody takes it, after the lease the next worker does.
    const { sub: live, got } = recorder(sub.name, sub.topics)
    const d = createOutboxDispatcher({ db, clock, subscribers: [live], leaseMs: 60_000 })
    await drain(db, d)
    expect(got).toHaveLength(0)
    clock.advance(60_001)
    await drain(db, d)
    expect(got.map((e) => [e.id, e.attempt])).toEqual([[e1, 2]])
  })

  it('never skips an event whose transaction commits after a later event (sequence-id cursor hazard)', async () => {
    const t = topic()
    const sub = { name: `s-${t}`, topics: [t] }
    // Transaction 1 takes an id and stays open while transaction 2 writes a later id and commits.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let earlyId = 0
    const slow = backend() === 'postgres'
      ? inTransaction(db, async (trx) => {
          earlyId = await appendOutboxEvent(trx, { topic: t, aggregateType: 'test', aggregateId: 'X', payload: { n: 1 } })
          await held
        })
      : Promise.resolve()
    if (backend() === 'postgres') {
      while (!earlyId) await new Promise((r) => setTimeout(r, 5))
      const [later] = await write(t, 'Y', 1)
      expect(later).toBeGreaterThan(earlyId)
      await fanOut(db, sub)
      // Nothing past the open transaction's horizon was taken.
      expect((await listDeliveries(db, { status: 'pending', subscriber: sub.name })).map((x) => x.eventId)).toEqual([])
      release()
      await slow
      await horizonPassed(db)
      await fanOut(db, sub)
      expect((await listDeliveries(db, { status: 'pending', subscriber: sub.name })).map((x) => x.eventId).sort()).toEqual([earlyId, later].sort())
    } else {
      // One connection: no transaction can be open beside the fan-out; it simply sees all committed events.
      const ids = await write(t, 'X', 2)
      await fanOut(db, sub)
      expect((await listDeliveries(db, { status: 'pending', subscriber: sub.name })).map((x) => x.eventId)).toEqual(ids)
    }
  })

  it.runIf(backend() === 'postgres')('lets several workers run at once without delivering an event twice or out of order', async () => {
    const t = topic()
    const ids = new Map<string, number[]>()
    for (const agg of ['P', 'Q', 'R', 'S']) ids.set(agg, await write(t, agg, 5))
    const got: DispatchedEvent[] = []
    const sub: OutboxSubscriber = {
      name: `s-${t}`,
      topics: [t],
      async deliver(e) {
        got.push(e)
        await new Promise((r) => setTimeout(r, 2))
        return delivered()
      },
    }
    const workers = [1, 2, 3].map((i) => createOutboxDispatcher({ db, clock, subscribers: [sub], workerId: `w${i}`, concurrency: 2 }))
    await horizonPassed(db)
    await Promise.all(workers.map((w) => w.runUntilIdle()))
    await workers[0]!.runUntilIdle()
    expect(got).toHaveLength(20)
    expect(new Set(got.map((e) => e.id)).size).toBe(20)
    for (const [agg, want] of ids) expect(got.filter((e) => e.aggregateId === agg).map((e) => e.id)).toEqual(want)
  })

  it('reports the backlog for the metrics', async () => {
    const t = topic()
    await write(t, 'M', 2)
    // On PostgreSQL a writing transaction open anywhere in the cluster (another test file) holds the horizon back a moment.
    await horizonPassed(db)
    await fanOut(db, { name: `s-${t}`, topics: [t] })
    const s = (await outboxStats(db)).find((x) => x.subscriber === `s-${t}`)!
    expect(s.pending).toBe(2)
    expect(s.oldestPendingSeconds).toBeGreaterThanOrEqual(0)
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from outbox_deliveries where subscriber = ${`s-${t}`}`.execute(db)).rows[0]!.n)).toBe(2)
  })
})
