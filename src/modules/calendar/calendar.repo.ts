import { sql, type Selectable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import { isoDateOf, parseIsoDate, parseMinute, formatMinute } from './calendar.days.js'
import { isDayOffKind, type ScheduleDay } from './calendar.schedule.js'
import type { Closure, WorkingHours } from './calendar.snapshot.js'
import type { CalendarChangesTable } from './calendar.tables.js'

type Q = Db | Trx

const dayOf = (iso: string) => {
  const d = parseIsoDate(iso)
  if (d === undefined) throw new Error(`bad date from the database: ${iso}`)
  return d
}

/**
 * What the calendar data looks like now: the latest recorded change (every write records one).
 * `version` is its id; `fingerprint` adds its time, action, actor and reason, so that two
 * databases cloned from one image and changed differently do not share a cached snapshot.
 */
export async function readCalendarVersion(q: Q): Promise<{ version: number; fingerprint: string }> {
  const r = await q.selectFrom('calendarChanges').select(['id', 'occurredAt', 'action', 'actorId', 'reason']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  if (!r) return { version: 0, fingerprint: '0' }
  return { version: r.id, fingerprint: `${r.id}|${r.occurredAt.toISOString()}|${r.action}|${r.actorId ?? ''}|${r.reason}` }
}

/** Announced schedules by year: days off and make-up days (notes left out). */
export async function loadOfficialSchedules(q: Q): Promise<Map<number, ScheduleDay[]>> {
  const years = await q.selectFrom('calendarSchedules').select('year').orderBy('year').execute()
  const out = new Map<number, ScheduleDay[]>(years.map((y) => [y.year, []]))
  if (!years.length) return out
  const rows = await q
    .selectFrom('calendarDays')
    .select(['date', 'year', 'name', 'kind', 'note', 'source'])
    .where('year', 'in', years.map((y) => y.year))
    .orderBy('date')
    .execute()
  for (const r of rows) {
    if (!isDayOffKind(r.kind) && r.kind !== 'makeup_workday') continue
    out.get(r.year)?.push({ day: dayOf(r.date), name: r.name, kind: r.kind, note: r.note, source: r.source })
  }
  return out
}

/** Every stored row of a year (including notes), in date order. */
export async function listYearRows(q: Q, year: number): Promise<ScheduleDay[]> {
  const rows = await q.selectFrom('calendarDays').select(['date', 'name', 'kind', 'note', 'source']).where('year', '=', year).orderBy('date').execute()
  return rows.map((r) => ({ day: dayOf(r.date), name: r.name, kind: r.kind, note: r.note, source: r.source }))
}

export interface ScheduleMeta {
  year: number
  source: string
  reason: string
  loadedBy: string | null
  loadedAt: Date
  version: number
}

export async function listScheduleMetas(q: Q): Promise<ScheduleMeta[]> {
  return q.selectFrom('calendarSchedules').select(['year', 'source', 'reason', 'loadedBy', 'loadedAt', 'version']).orderBy('year', 'desc').execute()
}

export async function findScheduleMeta(q: Q, year: number): Promise<ScheduleMeta | undefined> {
  return q.selectFrom('calendarSchedules').select(['year', 'source', 'reason', 'loadedBy', 'loadedAt', 'version']).where('year', '=', year).executeTakeFirst()
}

/** Replaces a year's rows and marks the year as announced. */
export async function writeSchedule(trx: Trx, meta: Omit<ScheduleMeta, 'version'>, rows: readonly ScheduleDay[]): Promise<number> {
  await trx.deleteFrom('calendarDays').where('year', '=', meta.year).execute()
  if (rows.length) {
    await trx
      .insertInto('calendarDays')
      .values(rows.map((r) => ({ date: isoDateOf(r.day), year: meta.year, name: r.name, kind: r.kind, note: r.note, source: r.source })))
      .execute()
  }
  const saved = await trx
    .insertInto('calendarSchedules')
    .values({ ...meta })
    .onConflict((oc) =>
      oc.column('year').doUpdateSet((eb) => ({
        source: eb.ref('excluded.source'),
        reason: eb.ref('excluded.reason'),
        loadedBy: eb.ref('excluded.loadedBy'),
        loadedAt: eb.ref('excluded.loadedAt'),
        version: sql<number>`calendar_schedules.version + 1`,
      })),
    )
    .returning('version')
    .executeTakeFirstOrThrow()
  return saved.version
}

/** Stores note rows of a year that has no announced schedule (ignored when the date is taken). */
export async function writeNotes(q: Q, year: number, rows: readonly ScheduleDay[]): Promise<void> {
  if (!rows.length) return
  await q
    .insertInto('calendarDays')
    .values(rows.map((r) => ({ date: isoDateOf(r.day), year, name: r.name, kind: r.kind, note: r.note, source: r.source })))
    .onConflict((oc) => oc.column('date').doNothing())
    .execute()
}

export interface ClosureRow extends Closure {
  declaredBy: string | null
  declaredAt: Date
  /** Set when the closure was withdrawn; its days are working days again. */
  cancelledAt: Date | null
  cancelReason: string | null
}

function communesOf(v: unknown): string[] {
  const arr = typeof v === 'string' ? (JSON.parse(v) as unknown) : v
  return Array.isArray(arr) ? arr.filter((x): x is string => typeof x === 'string') : []
}

/** The province's closures, newest first; cancelled ones only when asked (for the record). */
export async function listClosures(q: Q, provinceCode: string, opts: { withCancelled?: boolean } = {}): Promise<ClosureRow[]> {
  let query = q
    .selectFrom('calendarClosures')
    .select(['id', 'dateFrom', 'dateTo', 'communes', 'reason', 'declaredBy', 'declaredAt', 'cancelledAt', 'cancelReason'])
    .where('provinceCode', '=', provinceCode)
  if (!opts.withCancelled) query = query.where('cancelledAt', 'is', null)
  const rows = await query.orderBy('dateFrom', 'desc').orderBy('id').execute()
  return rows.map((r) => ({
    id: r.id,
    from: dayOf(r.dateFrom),
    to: dayOf(r.dateTo),
    communes: communesOf(r.communes),
    reason: r.reason,
    declaredBy: r.declaredBy,
    declaredAt: r.declaredAt,
    cancelledAt: r.cancelledAt,
    cancelReason: r.cancelReason,
  }))
}

/** Marks an active closure cancelled; returns it, or undefined when there is no such active closure. */
export async function cancelClosureRow(trx: Trx, provinceCode: string, id: string, by: string | null, at: Date, reason: string): Promise<ClosureRow | undefined> {
  const r = await trx
    .updateTable('calendarClosures')
    .set({ cancelledBy: by, cancelledAt: at, cancelReason: reason })
    .where('id', '=', id)
    .where('provinceCode', '=', provinceCode)
    .where('cancelledAt', 'is', null)
    .returning(['id', 'dateFrom', 'dateTo', 'communes', 'reason', 'declaredBy', 'declaredAt', 'cancelledAt', 'cancelReason'])
    .executeTakeFirst()
  return r && { ...r, from: dayOf(r.dateFrom), to: dayOf(r.dateTo), communes: communesOf(r.communes) }
}

export async function insertClosure(trx: Trx, provinceCode: string, c: Omit<ClosureRow, 'cancelledAt' | 'cancelReason'>): Promise<void> {
  await trx
    .insertInto('calendarClosures')
    .values({ id: c.id, provinceCode, dateFrom: isoDateOf(c.from), dateTo: isoDateOf(c.to), communes: JSON.stringify(c.communes), reason: c.reason, declaredBy: c.declaredBy, declaredAt: c.declaredAt })
    .execute()
}

/** The province's working hours, or undefined when it keeps the defaults. */
export async function findWorkingHours(q: Q, provinceCode: string): Promise<WorkingHours | undefined> {
  const r = await q.selectFrom('calendarSettings').select(['windows', 'sameDayCutoff']).where('provinceCode', '=', provinceCode).executeTakeFirst()
  if (!r) return undefined
  const raw = (typeof r.windows === 'string' ? JSON.parse(r.windows) : r.windows) as unknown
  const windows = Array.isArray(raw)
    ? raw.map((w) => (Array.isArray(w) ? ([parseMinute(String(w[0])), parseMinute(String(w[1]))] as const) : ([undefined, undefined] as const)))
    : []
  const cutoff = parseMinute(r.sameDayCutoff)
  if (!windows.length || cutoff === undefined || windows.some(([s, e]) => s === undefined || e === undefined)) throw new Error(`calendar_settings for ${provinceCode} is malformed`)
  return { windows: windows.map(([s, e]) => [s as number, e as number] as const), sameDayCutoff: cutoff }
}

export async function upsertWorkingHours(trx: Trx, provinceCode: string, h: WorkingHours, by: string | null, at: Date): Promise<void> {
  const windows = JSON.stringify(h.windows.map(([s, e]) => [formatMinute(s), formatMinute(e)]))
  const sameDayCutoff = formatMinute(h.sameDayCutoff)
  await trx
    .insertInto('calendarSettings')
    .values({ provinceCode, windows, sameDayCutoff, updatedBy: by, updatedAt: at })
    .onConflict((oc) => oc.column('provinceCode').doUpdateSet({ windows, sameDayCutoff, updatedBy: by, updatedAt: at, version: sql<number>`calendar_settings.version + 1` }))
    .execute()
}

export type ChangeRow = Selectable<CalendarChangesTable>

export async function insertChange(trx: Trx, c: Omit<ChangeRow, 'id' | 'details'> & { details: Record<string, unknown> }): Promise<number> {
  const r = await trx
    .insertInto('calendarChanges')
    .values({ ...c, details: JSON.stringify(c.details) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** The province's changes and the national ones (schedules), newest first. */
export async function listChanges(q: Q, provinceCode: string, limit = 50): Promise<ChangeRow[]> {
  return q
    .selectFrom('calendarChanges')
    .select(['id', 'provinceCode', 'action', 'year', 'dateFrom', 'dateTo', 'actorId', 'reason', 'details', 'occurredAt'])
    .where((eb) => eb.or([eb('provinceCode', '=', provinceCode), eb('provinceCode', 'is', null)]))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
