import type { Generated, Insertable } from 'kysely'
import type { Trx } from './database.js'

export interface OutboxEventsTable {
  id: Generated<number>
  topic: string
  aggregateType: string
  aggregateId: string
  payload: unknown
  actorId: string | null
  occurredAt: Generated<Date>
}

declare module './database.js' {
  interface Database {
    outboxEvents: OutboxEventsTable
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
