import { sql, type Selectable, type Updateable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, NotFoundError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { eventHash, GENESIS_HASH, type ChainedContent } from './dossier.audit.js'
import { vnDate } from './dossier.code.js'
import { NATIONAL_STATUS_CODE, type DossierAction, type DossierStatus } from './dossier.machine.js'
import type { DossiersTable } from './dossier.tables.js'
import './dossier.tables.js'

export type DossierRow = Selectable<DossiersTable> & { status: DossierStatus }

export class DossierNotFoundError extends NotFoundError {
  constructor(ref: string) {
    super('DOSSIER.NOT_FOUND', 'Không tìm thấy hồ sơ.', { ref })
  }
}

export async function findDossier(db: Db | Trx, id: string): Promise<DossierRow | undefined> {
  return (await db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirst()) as DossierRow | undefined
}

export async function getDossier(db: Db | Trx, id: string): Promise<DossierRow> {
  const row = await findDossier(db, id)
  if (!row) throw new DossierNotFoundError(id)
  return row
}

/** The dossier, row-locked until the transaction ends. */
export async function getDossierForUpdate(trx: Trx, id: string): Promise<DossierRow> {
  const row = (await trx.selectFrom('dossiers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) as DossierRow | undefined
  if (!row) throw new DossierNotFoundError(id)
  return row
}

export async function findDossierByCode(db: Db | Trx, code: string): Promise<DossierRow | undefined> {
  return (await db.selectFrom('dossiers').selectAll().where('code', '=', code).executeTakeFirst()) as DossierRow | undefined
}

/**
 * The next number of an agency's daily sequence. The counter row is locked by the upsert until
 * the transaction ends, so concurrent receipts queue; a rolled-back receipt gives its number
 * back. Numbers are therefore without gaps or duplicates (DOMAIN A7).
 */
export async function allocateDossierSeq(trx: Trx, agencyCode: string, at: Date): Promise<number> {
  const r = await sql<{ lastSeq: number }>`
    INSERT INTO dossier_code_counters (agency_code, day, last_seq) VALUES (${agencyCode}, ${vnDate(at)}, 1)
    ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = dossier_code_counters.last_seq + 1
    RETURNING last_seq AS "lastSeq"`.execute(trx)
  return r.rows[0]!.lastSeq
}

export interface Actor {
  id: string | null
  name: string
  role: string
  agencyId: string | null
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'Hệ thống Vì Dân', role: 'system', agencyId: null }

export interface EventInput {
  action: DossierAction
  from: DossierStatus | null
  to: DossierStatus
  actor: Actor
  content: string
  reason?: string | null | undefined
  at: Date
  stepDueAt?: Date | null | undefined
  data?: Record<string, unknown> | undefined
}

/** Content covered by the event's hash: everything stored about it except ids and hashes. */
export function chainedContent(dossierId: string, seq: number, e: Omit<EventInput, 'data'> & { data: Record<string, unknown> }): ChainedContent {
  return {
    dossierId,
    seq,
    action: e.action,
    from: e.from,
    to: e.to,
    actorId: e.actor.id,
    actorName: e.actor.name,
    actorRole: e.actor.role,
    agencyId: e.actor.agencyId,
    content: e.content,
    reason: e.reason ?? null,
    at: e.at.toISOString(),
    stepDueAt: e.stepDueAt ? e.stepDueAt.toISOString() : null,
    data: e.data,
  }
}

interface ChainHead {
  id: string
  code: string | null
  lastEventSeq: number
  lastEventHash: string
  dueAt: Date | null
  appointmentAt: Date | null
}

/** The next link of the chain: its sequence number and hashes. */
function nextLink(dossier: ChainHead, e: EventInput) {
  const seq = dossier.lastEventSeq + 1
  const prevHash = dossier.lastEventSeq === 0 ? GENESIS_HASH : dossier.lastEventHash
  const data = e.data ?? {}
  return { seq, prevHash, data, hash: eventHash(prevHash, chainedContent(dossier.id, seq, { ...e, data })) }
}

/** The stored row of one event of the chain. */
function eventRow(dossier: ChainHead, e: EventInput, link: ReturnType<typeof nextLink>) {
  const { seq, prevHash, data, hash } = link
  return {
    dossierId: dossier.id,
    seq,
    action: e.action,
    fromStatus: e.from,
    toStatus: e.to,
    actorId: e.actor.id,
    actorName: e.actor.name,
    actorRole: e.actor.role,
    agencyId: e.actor.agencyId,
    content: e.content,
    reason: e.reason ?? null,
    occurredAt: e.at,
    stepDueAt: e.stepDueAt ?? null,
    data: JSON.stringify(data),
    prevHash,
    hash,
  }
}

/** The event other modules consume (sync, notify, surveys, indices): enough to act without a read. */
async function appendOutbox(trx: Trx, dossier: ChainHead, e: EventInput, link: ReturnType<typeof nextLink>) {
  const { seq, data } = link
  await appendOutboxEvent(trx, {
    topic: `dossier.${e.action}`,
    aggregateType: 'dossier',
    aggregateId: dossier.id,
    actorId: e.actor.id,
    occurredAt: e.at,
    payload: {
      dossierId: dossier.id,
      code: dossier.code,
      seq,
      action: e.action,
      fromStatus: e.from,
      status: e.to,
      nationalStatusCode: NATIONAL_STATUS_CODE[e.to],
      actor: { id: e.actor.id, name: e.actor.name, role: e.actor.role, agencyId: e.actor.agencyId },
      content: e.content,
      reason: e.reason ?? null,
      occurredAt: e.at.toISOString(),
      stepDueAt: e.stepDueAt?.toISOString() ?? null,
      dueAt: dossier.dueAt?.toISOString() ?? null,
      appointmentAt: dossier.appointmentAt?.toISOString() ?? null,
      data,
    },
  })
}

/** Appends the next event of the chain and its outbox row; returns the new head. */
async function appendEvent(trx: Trx, dossier: ChainHead, e: EventInput, link = nextLink(dossier, e)) {
  await trx.insertInto('dossierEvents').values(eventRow(dossier, e, link)).execute()
  await appendOutbox(trx, dossier, e, link)
  return { seq: link.seq, hash: link.hash }
}

export type NewDossier = Omit<DossiersTable, 'version' | 'rescheduleCount' | 'supplementCount' | 'lastEventSeq' | 'lastEventHash' | 'status'>

/** Inserts a dossier and its first events (e.g. submit, then refuse) in the caller's transaction. */
export async function insertDossier(trx: Trx, row: NewDossier, events: EventInput[]): Promise<DossierRow> {
  const last = events[events.length - 1]
  if (!last) throw new Error('a dossier starts with at least one event')
  await insertDossierRow(trx, row, last.to)
  return appendFirstEvents(trx, row, events)
}

/**
 * Inserts the dossier row alone, with an empty chain; `appendFirstEvents` completes it. Lets
 * intake write the dossier and its steps before it takes the daily code, whose counter row
 * stays locked until commit.
 */
export async function insertDossierRow(trx: Trx, row: NewDossier, status: DossierStatus): Promise<void> {
  await trx
    .insertInto('dossiers')
    .values({ ...row, applicant: JSON.stringify(row.applicant), owner: row.owner ? JSON.stringify(row.owner) : null, documents: JSON.stringify(row.documents), dueExplanation: row.dueExplanation ? JSON.stringify(row.dueExplanation) : null, status, lastEventSeq: 0, lastEventHash: GENESIS_HASH })
    .execute()
}

/**
 * Appends the first events of a dossier inserted by `insertDossierRow` (all events in one
 * statement) and stores the chain head together with the code, which may have been allocated
 * after the row was inserted. Returns the stored row.
 */
export async function appendFirstEvents(trx: Trx, row: NewDossier, events: EventInput[]): Promise<DossierRow> {
  if (!events.length) throw new Error('a dossier starts with at least one event')
  const links: ReturnType<typeof nextLink>[] = []
  let head: ChainHead = { id: row.id, code: row.code, lastEventSeq: 0, lastEventHash: GENESIS_HASH, dueAt: row.dueAt, appointmentAt: row.appointmentAt }
  for (const e of events) {
    const link = nextLink(head, e)
    links.push(link)
    head = { ...head, lastEventSeq: link.seq, lastEventHash: link.hash }
  }
  await trx
    .insertInto('dossierEvents')
    .values(events.map((e, i) => eventRow(head, e, links[i]!)))
    .execute()
  for (const [i, e] of events.entries()) await appendOutbox(trx, head, e, links[i]!)
  return (await trx
    .updateTable('dossiers')
    .set({ code: row.code, lastEventSeq: head.lastEventSeq, lastEventHash: head.lastEventHash })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow()) as DossierRow
}

export type DossierPatch = Omit<Updateable<DossiersTable>, 'id' | 'version' | 'lastEventSeq' | 'lastEventHash' | 'createdAt'>

/**
 * Saves a transition: the new state guarded by the version read (zero rows means someone else
 * won: ConcurrentUpdateError, HTTP 409), the chained event and its outbox row, in `trx`.
 */
export async function saveTransition(trx: Trx, current: DossierRow, patch: DossierPatch, event: EventInput): Promise<DossierRow> {
  const next = { ...current, ...patch } as DossierRow
  const head: ChainHead = { id: current.id, code: next.code, lastEventSeq: current.lastEventSeq, lastEventHash: current.lastEventHash, dueAt: next.dueAt, appointmentAt: next.appointmentAt }
  const link = nextLink(head, event)
  // The guarded update comes first: it takes the row lock, so a concurrent writer waits here and
  // then finds the version changed, instead of colliding later on the event's sequence number.
  const set: Record<string, unknown> = { ...patch, status: event.to, version: current.version + 1, lastEventSeq: link.seq, lastEventHash: link.hash, updatedAt: event.at }
  for (const k of ['applicant', 'owner', 'documents', 'dueExplanation'] as const) if (k in set && set[k] != null) set[k] = JSON.stringify(set[k])
  // RETURNING gives the stored row, so no read follows (events and outbox do not touch it).
  const saved = await trx.updateTable('dossiers').set(set).where('id', '=', current.id).where('version', '=', current.version).returningAll().executeTakeFirst()
  if (!saved) throw new ConcurrentUpdateError('dossier', current.id)
  await appendEvent(trx, head, event, link)
  return saved as DossierRow
}
