import { sql, type Generated, type Insertable, type RawBuilder } from 'kysely'
import { inTransaction, type Db, type Trx } from './database.js'
import { insertFromJson, type InsertFromJsonOptions } from './sql-rows.js'

export interface OutboxEventsTable {
  id: Generated<number>
  topic: string
  aggregateType: string
  aggregateId: string
  payload: unknown
  actorId: string | null
  occurredAt: Generated<Date>
}

export interface OutboxCursorsTable {
  consumer: string
  lastEventId: number
  updatedAt: Generated<Date>
}

declare module './database.js' {
  interface Database {
    outboxEvents: OutboxEventsTable
    outboxCursors: OutboxCursorsTable
  }
}

export type NewOutboxEvent = Omit<Insertable<OutboxEventsTable>, 'id' | 'occurredAt' | 'payload'> & {
  payload: Record<string, unknown>
  occurredAt?: Date
}

/**
 * Appends a domain event to the outbox. Takes a transaction handle only: an event must be
 * written in the same transaction as the change it announces.
 */
export async function appendOutboxEvent(trx: Trx, event: NewOutboxEvent): Promise<number> {
  const row = await trx
    .insertInto('outboxEvents')
    .values({ ...event, payload: JSON.stringify(event.payload), actorId: event.actorId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const OUTBOX_COLUMNS = { topic: 'text', aggregateType: 'text', aggregateId: 'text', payload: 'jsonb', actorId: 'text', occurredAt: 'timestamptz' } as const

/**
 * appendOutboxEvent for several events as SQL to embed in a larger statement (a data-modifying
 * CTE), so a change and the events announcing it take one round trip; the events get ids in the
 * given order. `guard` and `rewrite` as in insertFromJson (a rewrite of `payload` is SQL over
 * `x.payload`). The caller runs it in the transaction of the change.
 */
export function outboxInsert(events: readonly NewOutboxEvent[], opts: InsertFromJsonOptions<keyof typeof OUTBOX_COLUMNS> = {}): RawBuilder<unknown> {
  const rows = events.map((e) => ({ ...e, actorId: e.actorId ?? null, occurredAt: e.occurredAt ?? null }))
  return insertFromJson('outbox_events', OUTBOX_COLUMNS, rows, { ...opts, rewrite: { occurredAt: sql`coalesce(x.occurred_at, now())`, ...opts.rewrite } })
}

/**
 * Hands the events of the given topics written after this consumer's cursor to `handle`, in
 * order, and moves the cursor in the same transaction as the handling (at-least-once for side
 * effects outside the database, exactly-once for effects inside it).
 */
export async function consumeOutbox(
  db: Db,
  consumer: string,
  topics: string[],
  handle: (trx: Trx, events: { id: number; topic: string; payload: unknown }[]) => Promise<void>,
  batch = 100,
): Promise<number> {
  return inTransaction(db, async (trx) => {
    await trx.insertInto('outboxCursors').values({ consumer, lastEventId: 0 }).onConflict((oc) => oc.column('consumer').doNothing()).execute()
    const cursor = await trx.selectFrom('outboxCursors').select('lastEventId').where('consumer', '=', consumer).forUpdate().executeTakeFirstOrThrow()
    const events = await trx.selectFrom('outboxEvents').select(['id', 'topic', 'payload']).where('id', '>', cursor.lastEventId).where('topic', 'in', topics).orderBy('id').limit(batch).execute()
    if (!events.length) return 0
    await handle(trx, events)
    await trx.updateTable('outboxCursors').set({ lastEventId: events[events.length - 1]!.id, updatedAt: sql`now()` }).where('consumer', '=', consumer).execute()
    return events.length
  })
}

/**
 * Whether events of these topics were written after the consumer's cursor: plain reads, so an
 * idle consumer polling on a timer takes no row lock and writes nothing.
 */
export async function hasPendingEvents(db: Db, consumer: string, topics: string[]): Promise<boolean> {
  const cursor = await db.selectFrom('outboxCursors').select('lastEventId').where('consumer', '=', consumer).executeTakeFirst()
  const next = await db.selectFrom('outboxEvents').select('id').where('id', '>', cursor?.lastEventId ?? 0).where('topic', 'in', topics).orderBy('id').limit(1).executeTakeFirst()
  return next !== undefined
}
