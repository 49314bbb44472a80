import crypto from 'node:crypto'
import { sql, type RawBuilder, type Selectable, type Updateable } from 'kysely'
import { PREPARE, type Db, type Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, NotFoundError } from '../../shared/errors.js'
import { outboxInsert, type NewOutboxEvent } from '../../shared/outbox.js'
import { insertFromJson, quoteName, snakeCase } from '../../shared/sql-rows.js'
import { canonicalJson, eventHash, GENESIS_HASH, type ChainedContent } from './dossier.audit.js'
import { dossierCodePrefix, dossierCodeSeq, vnDate } from './dossier.code.js'
import { NATIONAL_STATUS_CODE, type DossierAction, type DossierStatus } from './dossier.machine.js'
import type { DossierEventsTable, DossiersTable, DossierStepsTable } from './dossier.tables.js'
import './dossier.tables.js'

export type DossierRow = Selectable<DossiersTable> & { status: DossierStatus }
export type StepRow = Selectable<DossierStepsTable>

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

/** A dossier locked for a transition, with what its hand-overs need of the steps. */
export interface LockedDossier {
  dossier: DossierRow
  /** The steps not completed yet, by seq. */
  openSteps: StepRow[]
  /** The highest step number so far (0 before the first step). */
  lastStepSeq: number
}

const dateOrNull = (v: unknown) => (v == null ? null : new Date(v as string))

/**
 * The dossier, row-locked until the transaction ends, with its open steps, in one round trip.
 * The steps are read with the statement's snapshot, which predates a wait for the lock; but
 * every writer of a dossier's steps holds this lock and moves the version, so after such a wait
 * the caller's version check fails (409) before the steps are used.
 */
export async function lockDossier(trx: Trx, id: string): Promise<LockedDossier> {
  const { rows } = await sql<DossierRow & { lastStepSeq: number; openSteps: Record<string, unknown>[] }>`${sql.raw(PREPARE)}
    SELECT d.*,
      (SELECT coalesce(max(s.seq), 0) FROM dossier_steps s WHERE s.dossier_id = d.id) AS last_step_seq,
      (SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.seq), '[]'::jsonb) FROM dossier_steps s WHERE s.dossier_id = d.id AND s.completed_at IS NULL) AS open_steps
    FROM dossiers d
    WHERE d.id = ${id}
    FOR UPDATE OF d`.execute(trx)
  const row = rows[0]
  if (!row) throw new DossierNotFoundError(id)
  const { lastStepSeq, openSteps, ...dossier } = row
  // jsonb keys come back camelCased by the CamelCasePlugin; its timestamps as strings.
  const steps = openSteps.map((s) => ({ ...(s as unknown as StepRow), startedAt: new Date(s['startedAt'] as string), dueAt: dateOrNull(s['dueAt']), completedAt: dateOrNull(s['completedAt']) }))
  return { dossier, lastStepSeq, openSteps: steps }
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

type Link = { seq: number; prevHash: string; data: Record<string, unknown>; hash: string }

/** The next link of the chain: its sequence number and hashes. */
function nextLink(dossier: ChainHead, e: EventInput): Link {
  const seq = dossier.lastEventSeq + 1
  const prevHash = dossier.lastEventSeq === 0 ? GENESIS_HASH : dossier.lastEventHash
  const data = e.data ?? {}
  return { seq, prevHash, data, hash: eventHash(prevHash, chainedContent(dossier.id, seq, { ...e, data })) }
}

/** The links of a dossier's first events; returns them with the head they leave. */
function firstLinks(head: ChainHead, events: EventInput[]): { links: Link[]; head: ChainHead } {
  const links: Link[] = []
  for (const e of events) {
    const link = nextLink(head, e)
    links.push(link)
    head = { ...head, lastEventSeq: link.seq, lastEventHash: link.hash }
  }
  return { links, head }
}

const EVENT_COLUMNS: Record<Exclude<keyof DossierEventsTable, 'id'>, string> = {
  dossierId: 'uuid',
  seq: 'integer',
  action: 'text',
  fromStatus: 'text',
  toStatus: 'text',
  actorId: 'text',
  actorName: 'text',
  actorRole: 'text',
  agencyId: 'text',
  content: 'text',
  reason: 'text',
  occurredAt: 'timestamptz',
  stepDueAt: 'timestamptz',
  data: 'jsonb',
  prevHash: 'text',
  hash: 'text',
}

const STEP_COLUMNS: Record<keyof DossierStepsTable, string> = {
  dossierId: 'uuid',
  seq: 'integer',
  kind: 'text',
  name: 'text',
  agencyId: 'text',
  role: 'text',
  assigneeId: 'text',
  givenBy: 'text',
  receivedBy: 'text',
  startedAt: 'timestamptz',
  dueAt: 'timestamptz',
  completedAt: 'timestamptz',
  outcome: 'text',
  note: 'text',
  planIndex: 'integer',
}

/** What a hand-over may change on an open step. */
const STEP_CHANGES = ['assigneeId', 'givenBy', 'receivedBy', 'dueAt', 'completedAt', 'outcome', 'note'] as const

/** The stored row of one event of the chain. */
function eventRow(dossier: ChainHead, e: EventInput, link: Link) {
  return {
    dossierId: dossier.id,
    seq: link.seq,
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
    data: link.data,
    prevHash: link.prevHash,
    hash: link.hash,
  }
}

/** The event other modules consume (sync, notify, surveys, indices): enough to act without a read. */
function outboxEvent(dossier: ChainHead, e: EventInput, link: Link): NewOutboxEvent {
  return {
    topic: `dossier.${e.action}`,
    aggregateType: 'dossier',
    aggregateId: dossier.id,
    actorId: e.actor.id,
    occurredAt: e.at,
    payload: {
      dossierId: dossier.id,
      code: dossier.code,
      seq: link.seq,
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
      data: link.data,
    },
  }
}

const STEP_CHANGE_TYPES = { seq: 'integer', ...Object.fromEntries(STEP_CHANGES.map((k) => [k, STEP_COLUMNS[k]])) } as Record<(typeof STEP_CHANGES)[number] | 'seq', string>
const STEP_CHANGE_SQL = {
  set: STEP_CHANGES.map((k) => `${quoteName(snakeCase(k))} = x.${quoteName(snakeCase(k))}`).join(', '),
  definitions: Object.entries(STEP_CHANGE_TYPES)
    .map(([k, t]) => `${quoteName(snakeCase(k))} ${t}`)
    .join(', '),
}

/** Changes open steps (by seq) when `guard` yields a row; a step already completed is left alone, and not counted in the RETURNING. */
function updateOpenSteps(dossierId: string, steps: StepRow[], guard: string): RawBuilder<unknown> {
  const json = JSON.stringify(steps.map((s) => Object.fromEntries(Object.keys(STEP_CHANGE_TYPES).map((k) => [snakeCase(k), s[k as keyof StepRow] ?? null]))))
  return sql`${sql.raw(`UPDATE dossier_steps AS s SET ${STEP_CHANGE_SQL.set} FROM jsonb_to_recordset(`)}${json}${sql.raw(`::jsonb) AS x(${STEP_CHANGE_SQL.definitions}), ${quoteName(guard)} WHERE s.dossier_id = `)}${dossierId}${sql.raw(' AND s.seq = x.seq AND s.completed_at IS NULL RETURNING s.seq')}`
}

/**
 * `SET (columns) = (…)` from one JSON object of camelCase keys (dates as ISO strings, jsonb
 * columns as nested JSON): the columns named, and nothing else, take its values.
 */
function setFromJson(table: string, values: Record<string, unknown>): RawBuilder<unknown> {
  const keys = Object.keys(values).filter((k) => values[k] !== undefined)
  const names = keys.map((k) => quoteName(snakeCase(k))).join(', ')
  const json = JSON.stringify(Object.fromEntries(keys.map((k) => [snakeCase(k), values[k]])))
  return sql`${sql.raw(`SET (${names}) = (SELECT ${names} FROM jsonb_populate_record(NULL::${quoteName(table)}, `)}${json}${sql.raw('::jsonb))')}`
}

/** What a transition writes on the steps (form 06 hand-overs). */
export interface StepWrites {
  /** Open steps with their new values (as lockDossier read them, changed). */
  update?: StepRow[]
  /** New steps, numbered after the last. */
  insert?: StepRow[]
}

export type NewDossier = Omit<DossiersTable, 'version' | 'rescheduleCount' | 'supplementCount' | 'lastEventSeq' | 'lastEventHash' | 'status'>

/** A new dossier and everything written with it. */
export interface NewDossierWrite {
  row: NewDossier
  steps?: StepRow[]
  /**
   * Its first events (the last one's status is the dossier's), given its code: a stand-in when
   * the code is allocated by `dailyCode`.
   */
  events: (code: string | null) => EventInput[]
  /**
   * Gives the dossier the receiving agency's next daily code (DOMAIN A7) in the same statement.
   * Only the last event may mention the code.
   */
  dailyCode?: { agencyCode: string; at: Date }
}

/**
 * Inserts a dossier, its steps, its first events and their outbox rows in one statement, in the
 * caller's transaction.
 *
 * With `dailyCode` the statement also takes the next number of the agency's daily sequence: the
 * counter row is locked by the upsert until the transaction ends, so concurrent receipts queue,
 * and a rolled-back receipt gives its number back; numbers are without gaps or duplicates
 * (DOMAIN A7). Taking the number in the statement that writes everything else keeps that lock
 * for one round trip (this statement's answer, then COMMIT) instead of one per write. The event
 * that mentions the code is then hashed by the database (SHA-256 of the same canonical JSON, the
 * code substituted for a stand-in); the result is checked here against the hash computed in
 * JavaScript before the caller commits.
 */
export async function insertDossier(trx: Trx, w: NewDossierWrite): Promise<DossierRow> {
  const token = `@@dossier-code-${crypto.randomBytes(12).toString('hex')}@@`
  const events = w.events(w.dailyCode ? token : w.row.code)
  const last = events[events.length - 1]
  if (!last) throw new Error('a dossier starts with at least one event')
  const genesis: ChainHead = { id: w.row.id, code: w.row.code, lastEventSeq: 0, lastEventHash: GENESIS_HASH, dueAt: w.row.dueAt, appointmentAt: w.row.appointmentAt }
  const stored = { ...w.row, status: last.to, lastEventSeq: 0, lastEventHash: GENESIS_HASH }
  const columns = Object.keys(stored)
  const names = columns.map((k) => quoteName(snakeCase(k)))
  // The code and the chain head may come from the statement's own CTEs (see dailyCode).
  const dossierRow = (fromCtes: { code: string; lastEventHash: string } | undefined) => {
    const values = names.map((n, i) => (fromCtes && (columns[i] === 'code' || columns[i] === 'lastEventHash') ? fromCtes[columns[i]] : `x.${n}`))
    const json = JSON.stringify(Object.fromEntries(Object.entries(stored).map(([k, v]) => [snakeCase(k), v])))
    return sql`${sql.raw(`INSERT INTO dossiers (${names.join(', ')}) SELECT ${values.join(', ')} FROM jsonb_populate_record(NULL::dossiers, `)}${json}${sql.raw(`::jsonb) AS x${fromCtes ? ', h' : ''} RETURNING *`)}`
  }

  if (!w.dailyCode) {
    const { links, head } = firstLinks(genesis, events)
    stored.lastEventSeq = head.lastEventSeq
    stored.lastEventHash = head.lastEventHash
    const ctes = [
      sql`d AS (${dossierRow(undefined)})`,
      sql`e AS (${insertFromJson('dossier_events', EVENT_COLUMNS, events.map((e, i) => eventRow(head, e, links[i]!)), { guard: 'd' })})`,
      sql`o AS (${outboxInsert(events.map((e, i) => outboxEvent(head, e, links[i]!)), { guard: 'd' })})`,
      ...(w.steps?.length ? [sql`s AS (${insertFromJson('dossier_steps', STEP_COLUMNS, w.steps, { guard: 'd' })})`] : []),
    ]
    const { rows } = await sql<DossierRow>`${sql.raw(PREPARE)}WITH ${sql.join(ctes)} SELECT * FROM d`.execute(trx)
    return rows[0]!
  }

  const { agencyCode, at } = w.dailyCode
  if (JSON.stringify(events.slice(0, -1)).includes(token)) throw new Error('only the last of the first events may mention the dossier code')
  const { links, head } = firstLinks({ ...genesis, code: token }, events)
  const lastLink = links[links.length - 1]!
  // The database computes the last event's hash (over the code it allocates) and stores it for the token.
  links[links.length - 1] = { ...lastLink, hash: token }
  const canonical = canonicalJson(chainedContent(w.row.id, lastLink.seq, { ...last, data: lastLink.data }))
  stored.lastEventSeq = head.lastEventSeq
  const withCode = (column: string) => sql`replace(${sql.raw(column)}, ${token}::text, h.code)`
  const ctes = [
    sql`n AS (
      INSERT INTO dossier_code_counters AS c (agency_code, day, last_seq) VALUES (${agencyCode}, ${vnDate(at)}, 1)
      ON CONFLICT (agency_code, day) DO UPDATE SET last_seq = c.last_seq + 1
      RETURNING c.last_seq)`,
    // The code's number has at least four digits, as dossierCodeSeq writes it.
    sql`k AS (SELECT n.last_seq, ${dossierCodePrefix(agencyCode, at)}::text || lpad(n.last_seq::text, greatest(4, length(n.last_seq::text)), '0') AS code FROM n)`,
    sql`h AS (
      SELECT k.last_seq AS code_seq, k.code,
        encode(sha256(convert_to(${`${lastLink.prevHash}\n`}::text || replace(${canonical}::text, ${token}::text, k.code), 'UTF8')), 'hex') AS hash
      FROM k)`,
    sql`d AS (${dossierRow({ code: 'h.code', lastEventHash: 'h.hash' })})`,
    sql`e AS (${insertFromJson('dossier_events', EVENT_COLUMNS, events.map((e, i) => eventRow(head, e, links[i]!)), {
      guard: 'h',
      rewrite: { content: withCode('x.content'), data: sql`${withCode('x.data::text')}::jsonb`, hash: sql`CASE WHEN x.hash = ${token}::text THEN h.hash ELSE x.hash END` },
    })} RETURNING seq, content, data, hash)`,
    sql`o AS (${outboxInsert(events.map((e, i) => outboxEvent(head, e, links[i]!)), { guard: 'h', rewrite: { payload: sql`${withCode('x.payload::text')}::jsonb` } })})`,
    ...(w.steps?.length ? [sql`s AS (${insertFromJson('dossier_steps', STEP_COLUMNS, w.steps, { guard: 'h' })})`] : []),
  ]
  const { rows } = await sql<DossierRow & { codeSeq: number; coded: { content: string; data: unknown; hash: string } }>`${sql.raw(PREPARE)}
    WITH ${sql.join(ctes)}
    SELECT d.*, h.code_seq, (SELECT jsonb_build_object('content', e.content, 'data', e.data, 'hash', e.hash) FROM e WHERE e.seq = ${lastLink.seq}) AS coded
    FROM d, h`.execute(trx)
  const { codeSeq, coded, ...dossier } = rows[0]!
  // The database and this code must agree on the code, the stored event and the chain, or the
  // caller's transaction fails and nothing is committed.
  const code = dossierCodePrefix(agencyCode, at) + dossierCodeSeq(codeSeq)
  const withReal = w.events(code)
  const real = firstLinks({ ...genesis, code }, withReal)
  const expected = { content: withReal[withReal.length - 1]!.content, data: real.links[real.links.length - 1]!.data, hash: real.head.lastEventHash }
  if (dossier.code !== code || dossier.lastEventHash !== expected.hash || dossier.lastEventSeq !== real.head.lastEventSeq || canonicalJson(coded) !== canonicalJson(expected)) {
    throw new Error(`dossier ${w.row.id}: the code or the event written by the database (${canonicalJson({ code: dossier.code, ...coded })}) differs from ${canonicalJson({ code, ...expected })}`)
  }
  return dossier
}

export type DossierPatch = Omit<Updateable<DossiersTable>, 'id' | 'version' | 'lastEventSeq' | 'lastEventHash' | 'createdAt'>

/**
 * Saves a transition in one statement, in `trx`: the new state guarded by the version read (zero
 * rows means someone else won: ConcurrentUpdateError, HTTP 409), the chained event, its outbox
 * row and the steps' hand-overs, each written only if the guarded update was. Returns the stored
 * row (RETURNING: no read follows).
 */
export async function saveTransition(trx: Trx, current: DossierRow, patch: DossierPatch, event: EventInput, steps: StepWrites = {}): Promise<DossierRow> {
  const next = { ...current, ...patch } as DossierRow
  const head: ChainHead = { id: current.id, code: next.code, lastEventSeq: current.lastEventSeq, lastEventHash: current.lastEventHash, dueAt: next.dueAt, appointmentAt: next.appointmentAt }
  const link = nextLink(head, event)
  const set = { ...patch, status: event.to, version: current.version + 1, lastEventSeq: link.seq, lastEventHash: link.hash, updatedAt: event.at }
  const update = steps.update ?? []
  const ctes = [
    sql`u AS (UPDATE dossiers ${setFromJson('dossiers', set)} WHERE id = ${current.id} AND version = ${current.version} RETURNING *)`,
    sql`e AS (${insertFromJson('dossier_events', EVENT_COLUMNS, [eventRow(head, event, link)], { guard: 'u' })})`,
    sql`o AS (${outboxInsert([outboxEvent(head, event, link)], { guard: 'u' })})`,
    ...(steps.insert?.length ? [sql`si AS (${insertFromJson('dossier_steps', STEP_COLUMNS, steps.insert, { guard: 'u' })})`] : []),
    ...(update.length ? [sql`su AS (${updateOpenSteps(current.id, update, 'u')})`] : []),
  ]
  const counted = update.length ? sql`(SELECT count(*) FROM su)` : sql`0`
  const { rows } = await sql<DossierRow & { stepsUpdated: number }>`${sql.raw(PREPARE)}WITH ${sql.join(ctes)} SELECT u.*, ${counted}::int AS steps_updated FROM u`.execute(trx)
  if (!rows[0]) throw new ConcurrentUpdateError('dossier', current.id)
  const { stepsUpdated, ...saved } = rows[0]
  // A step completed meanwhile means the steps were read stale: undo it all.
  if (stepsUpdated !== update.length) throw new ConcurrentUpdateError('dossier', current.id)
  return saved
}
