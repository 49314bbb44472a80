import crypto from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { NotFoundError, ValidationError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { isOfficialSchedule, parseScheduleCsv, readBundledSchedules, type CsvProblem } from './calendar.csv.js'
import { civilOf, dayNumberOf, isoDateOf, MAX_YEAR, MIN_YEAR } from './calendar.days.js'
import {
  cancelClosureRow,
  findScheduleMeta,
  findWorkingHours,
  insertChange,
  insertClosure,
  listClosures,
  listYearRows,
  loadOfficialSchedules,
  readCalendarVersion,
  upsertWorkingHours,
  writeNotes,
  writeSchedule,
} from './calendar.repo.js'
import { isDayOffKind, isNoteKind, provisionalSchedule, type DayOffKind, type ScheduleDay } from './calendar.schedule.js'
import { CalendarSnapshot, workingHoursProblems, type WorkingHours } from './calendar.snapshot.js'

/** Topic of the event written when days off, closures or working hours change. */
export const CALENDAR_CHANGED = 'calendar.changed'

export interface CalendarDeps {
  db: Db
  clock: Clock
  /** Province this deployment serves (GSO code). */
  provinceCode: string
}

/** Who makes a change, as recorded in the history. */
export interface CalendarActor {
  id: string | null
  name: string
}

export const COMMUNE_CODE = /^\d{5}$/

// ---- snapshots ---------------------------------------------------------------------------------

interface CacheEntry {
  fingerprint: string
  province: CalendarSnapshot
  communes: Map<string, CalendarSnapshot>
  communesWithClosures: Set<string>
  inputs: Omit<ConstructorParameters<typeof CalendarSnapshot>[0], 'communeCode'>
}

// One entry per province: the snapshot of the latest calendar data seen. Shared by every
// handle (a transaction included), checked against the data's fingerprint on each call.
const cache = new Map<string, CacheEntry>()

async function buildEntry(q: Db | Trx, provinceCode: string, version: number, fingerprint: string): Promise<CacheEntry> {
  const official = await loadOfficialSchedules(q)
  const closures = await listClosures(q, provinceCode)
  const hours = await findWorkingHours(q, provinceCode)
  const inputs = { provinceCode, official, closures, version, ...(hours ? { workingHours: hours } : {}) }
  return {
    fingerprint,
    province: new CalendarSnapshot(inputs),
    communes: new Map(),
    communesWithClosures: new Set(closures.flatMap((c) => c.communes)),
    inputs,
  }
}

/**
 * The working calendar of the province, or of one commune of it (a commune also gets its own
 * closures). Built once per change of the calendar data and cached; each call costs one small
 * query to check that the data has not changed. Works with a transaction handle too (it then
 * reads through the transaction).
 */
export async function getCalendarSnapshot(db: Db | Trx, opts: { provinceCode: string; communeCode?: string | undefined }): Promise<CalendarSnapshot> {
  const { version, fingerprint } = await readCalendarVersion(db)
  let entry = cache.get(opts.provinceCode)
  if (!entry || entry.fingerprint !== fingerprint) {
    entry = await buildEntry(db, opts.provinceCode, version, fingerprint)
    cache.set(opts.provinceCode, entry)
  }
  const commune = opts.communeCode
  if (!commune || !entry.communesWithClosures.has(commune)) return entry.province
  let snap = entry.communes.get(commune)
  if (!snap) {
    snap = new CalendarSnapshot({ ...entry.inputs, communeCode: commune })
    entry.communes.set(commune, snap)
  }
  return snap
}

// ---- reading -----------------------------------------------------------------------------------

export interface DayOffView {
  date: string
  name: string
  kind: DayOffKind
  provisional: boolean
}

export interface MakeupDayView {
  date: string
  name: string
}

function assertYear(year: number) {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new ValidationError('CALENDAR.YEAR_OUT_OF_RANGE', `Năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`, { year })
}

/** The days off of a year, sorted by date: the schedule's days plus closures of the province (and of the commune, if given). */
export function daysOffOf(cal: CalendarSnapshot, year: number): DayOffView[] {
  assertYear(year)
  const out: DayOffView[] = []
  for (let d = dayNumberOf(year, 1, 1), end = dayNumberOf(year, 12, 31); d <= end; d++) {
    const info = cal.dayInfo(d)
    if (info && info.kind !== 'makeup_workday') out.push({ date: isoDateOf(d), name: info.name, kind: info.kind, provisional: info.provisional })
  }
  return out
}

/** The make-up working days (Saturdays worked to repay a swapped day) of a year, sorted by date. */
export function makeupWorkdaysOf(cal: CalendarSnapshot, year: number): MakeupDayView[] {
  assertYear(year)
  const out: MakeupDayView[] = []
  for (let d = dayNumberOf(year, 1, 1), end = dayNumberOf(year, 12, 31); d <= end; d++) {
    const info = cal.dayInfo(d)
    if (info?.kind === 'makeup_workday') out.push({ date: isoDateOf(d), name: info.name })
  }
  return out
}

/** Rows of holidays.csv kept as notes for a year (proposed holidays, unverified dates). */
export async function listNotes(db: Db, year: number): Promise<{ date: string; name: string; kind: string; note: string }[]> {
  return (await listYearRows(db, year)).filter((r) => isNoteKind(r.kind)).map((r) => ({ date: isoDateOf(r.day), name: r.name, kind: r.kind, note: r.note }))
}

// ---- loading an announced schedule -------------------------------------------------------------

export interface ScheduleDiffItem {
  date: string
  before: { name: string; kind: string } | null
  after: { name: string; kind: string } | null
}

export interface SchedulePreview {
  year: number
  rows: ScheduleDay[]
  problems: CsvProblem[]
  /** True when the year is computed provisionally today. */
  replacesProvisional: boolean
  /** Days whose status changes (added, removed or changed), by date. */
  changes: ScheduleDiffItem[]
}

/** Checks a schedule CSV for a year and shows what would change, without writing anything. */
export async function previewSchedule(db: Db, year: number, csv: string): Promise<SchedulePreview> {
  assertYear(year)
  const parsed = parseScheduleCsv(csv)
  const problems = [...parsed.problems]
  for (const [y, rows] of parsed.years) {
    if (y !== year) for (const r of rows) problems.push({ line: 0, message: `Ngày ${isoDateOf(r.day)} không thuộc năm ${year}.` })
  }
  const rows = parsed.years.get(year) ?? []
  if (!problems.length && !isOfficialSchedule(rows)) problems.push({ line: 0, message: `Lịch năm ${year} cần ít nhất một ngày nghỉ hoặc ngày làm bù.` })
  const meta = await findScheduleMeta(db, year)
  const before = meta ? (await listYearRows(db, year)).filter((r) => !isNoteKind(r.kind)) : provisionalSchedule(year).days
  const counts = (r: ScheduleDay) => isDayOffKind(r.kind) || r.kind === 'makeup_workday'
  const a = new Map(before.filter(counts).map((r) => [r.day, r]))
  const b = new Map(rows.filter(counts).map((r) => [r.day, r]))
  const changes: ScheduleDiffItem[] = []
  for (const d of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y)) {
    const x = a.get(d)
    const y = b.get(d)
    if (x && y && x.kind === y.kind && x.name === y.name) continue
    changes.push({ date: isoDateOf(d), before: x ? { name: x.name, kind: x.kind } : null, after: y ? { name: y.name, kind: y.kind } : null })
  }
  return { year, rows, problems, replacesProvisional: !meta, changes }
}

export class ScheduleRejectedError extends ValidationError {
  constructor(problems: CsvProblem[]) {
    super('CALENDAR.SCHEDULE_INVALID', `Lịch nghỉ không hợp lệ (${problems.length} lỗi).`, { problems })
  }
}

function checkReason(reason: string): string {
  const r = reason.trim()
  if (r.length < 3 || r.length > 500) throw new ValidationError('CALENDAR.REASON_REQUIRED', 'Cần ghi lý do (3–500 ký tự).', { fields: { reason: ['Cần ghi lý do (3–500 ký tự).'] } })
  return r
}

async function recordChange(
  trx: Trx,
  deps: CalendarDeps,
  actor: CalendarActor,
  c: { national?: boolean; action: string; year: number | null; from: number | null; to: number | null; reason: string; details: Record<string, unknown>; communes: string[] | null },
): Promise<number> {
  const at = deps.clock.now()
  const provinceCode = c.national ? null : deps.provinceCode
  const changeId = await insertChange(trx, {
    provinceCode,
    action: c.action,
    year: c.year,
    dateFrom: c.from === null ? null : isoDateOf(c.from),
    dateTo: c.to === null ? null : isoDateOf(c.to),
    actorId: actor.id,
    reason: c.reason,
    details: { ...c.details, actorName: actor.name },
    occurredAt: at,
  })
  await appendOutboxEvent(trx, {
    topic: CALENDAR_CHANGED,
    aggregateType: 'calendar',
    aggregateId: provinceCode ?? 'national',
    actorId: actor.id,
    occurredAt: at,
    payload: {
      changeId,
      action: c.action,
      // null: national data changed, every province's open deadlines are concerned.
      provinceCode,
      year: c.year,
      from: c.from === null ? null : isoDateOf(c.from),
      to: c.to === null ? null : isoDateOf(c.to),
      communes: c.communes,
      reason: c.reason,
    },
  })
  return changeId
}

/**
 * Loads a year's announced schedule, replacing the provisional one (or an earlier announced one).
 * One transaction: the rows, the history entry (who, when, why) and a `calendar.changed` event
 * so open deadlines are recomputed.
 */
export async function loadOfficialSchedule(deps: CalendarDeps, actor: CalendarActor, input: { year: number; csv: string; reason: string; source?: string }): Promise<{ changeId: number; preview: SchedulePreview }> {
  const reason = checkReason(input.reason)
  const preview = await previewSchedule(deps.db, input.year, input.csv)
  if (preview.problems.length) throw new ScheduleRejectedError(preview.problems)
  const source = input.source ?? ([...new Set(preview.rows.map((r) => r.source).filter(Boolean))].join(' | ').slice(0, 2000) || 'Tải lên bởi quản trị')
  const changeId = await inTransaction(deps.db, async (trx) => {
    await writeSchedule(trx, { year: input.year, source, reason, loadedBy: actor.id, loadedAt: deps.clock.now() }, preview.rows)
    return recordChange(trx, deps, actor, {
      national: true,
      action: 'schedule_loaded',
      year: input.year,
      from: dayNumberOf(input.year, 1, 1),
      to: dayNumberOf(input.year, 12, 31),
      reason,
      communes: null,
      details: { replacesProvisional: preview.replacesProvisional, rows: preview.rows.length, changes: preview.changes },
    })
  })
  return { changeId, preview }
}

// ---- closures ----------------------------------------------------------------------------------

export interface ClosureInput {
  from: number
  to: number
  /** Commune codes (5 digits); empty for the whole province. */
  communes: string[]
  reason: string
}

/** Declares a closure (storm, flood): its days stop being working days for the province or the listed communes. */
export async function declareClosure(deps: CalendarDeps, actor: CalendarActor, input: ClosureInput): Promise<{ id: string; changeId: number }> {
  const fields: Record<string, string[]> = {}
  const reason = input.reason.trim()
  if (reason.length < 3 || reason.length > 300) fields['reason'] = ['Cần ghi lý do (3–300 ký tự), ví dụ: bão số 9.']
  const fy = civilOf(input.from).year
  const ty = civilOf(input.to).year
  if (fy < MIN_YEAR || ty > MAX_YEAR) fields['from'] = [`Ngày phải trong các năm ${MIN_YEAR}–${MAX_YEAR}.`]
  if (input.to < input.from) fields['to'] = ['Ngày kết thúc phải từ ngày bắt đầu trở đi.']
  else if (input.to - input.from > 60) fields['to'] = ['Một lần công bố tối đa 61 ngày.']
  const communes = [...new Set(input.communes)].sort()
  if (communes.some((c) => !COMMUNE_CODE.test(c))) fields['communes'] = ['Mã xã gồm 5 chữ số, cách nhau bằng dấu phẩy.']
  if (communes.length > 200) fields['communes'] = ['Tối đa 200 xã.']
  if (Object.keys(fields).length) throw new ValidationError('CALENDAR.CLOSURE_INVALID', 'Thông tin công bố nghỉ không hợp lệ.', { fields })
  const id = crypto.randomUUID()
  const changeId = await inTransaction(deps.db, async (trx) => {
    await insertClosure(trx, deps.provinceCode, { id, from: input.from, to: input.to, communes, reason, declaredBy: actor.id, declaredAt: deps.clock.now() })
    return recordChange(trx, deps, actor, { action: 'closure_declared', year: null, from: input.from, to: input.to, reason, communes, details: { closureId: id, communes } })
  })
  return { id, changeId }
}

/** Withdraws a declared closure (the storm passed, a mistake): its days are working days again. Recorded and announced. */
export async function cancelClosure(deps: CalendarDeps, actor: CalendarActor, id: string, reasonIn: string): Promise<number> {
  const reason = checkReason(reasonIn)
  return inTransaction(deps.db, async (trx) => {
    const c = await cancelClosureRow(trx, deps.provinceCode, id, actor.id, deps.clock.now(), reason)
    if (!c) throw new NotFoundError('CALENDAR.CLOSURE_NOT_FOUND', 'Không có lần tạm ngừng đang hiệu lực này (có thể đã được hủy).', { id })
    return recordChange(trx, deps, actor, { action: 'closure_cancelled', year: null, from: c.from, to: c.to, reason, communes: [...c.communes], details: { closureId: id, closureReason: c.reason } })
  })
}

// ---- working hours -----------------------------------------------------------------------------

/** Changes the province's working hours (a setting, DOMAIN A2), recorded and announced like any change. */
export async function setWorkingHours(deps: CalendarDeps, actor: CalendarActor, hours: WorkingHours, reasonIn: string): Promise<number> {
  const reason = checkReason(reasonIn)
  const problems = workingHoursProblems(hours)
  if (problems.length) throw new ValidationError('CALENDAR.WORKING_HOURS_INVALID', problems.join(' '), { problems })
  return inTransaction(deps.db, async (trx) => {
    await upsertWorkingHours(trx, deps.provinceCode, hours, actor.id, deps.clock.now())
    return recordChange(trx, deps, actor, { action: 'working_hours_changed', year: null, from: null, to: null, reason, communes: null, details: { windows: hours.windows, sameDayCutoff: hours.sameDayCutoff } })
  })
}

// ---- seed --------------------------------------------------------------------------------------

/**
 * Loads the bundled announced schedules (data/calendar/holidays.csv, 2024–2026) into a
 * database that does not have them yet, and the note rows of other years. Idempotent.
 */
export async function seedSchedules(deps: Omit<CalendarDeps, 'provinceCode'>): Promise<void> {
  const bundled = readBundledSchedules()
  for (const [year, rows] of [...bundled.years].sort(([a], [b]) => a - b)) {
    if (!isOfficialSchedule(rows)) {
      await writeNotes(deps.db, year, rows)
      continue
    }
    if (await findScheduleMeta(deps.db, year)) continue
    const source = [...new Set(rows.map((r) => r.source).filter(Boolean))].join(' | ').slice(0, 2000)
    await inTransaction(deps.db, async (trx) => {
      await writeSchedule(trx, { year, source, reason: 'Dữ liệu gốc: data/calendar/holidays.csv', loadedBy: null, loadedAt: deps.clock.now() }, rows)
      await recordChange(trx, { ...deps, provinceCode: '' }, { id: null, name: 'seed' }, {
        national: true,
        action: 'schedule_loaded',
        year,
        from: dayNumberOf(year, 1, 1),
        to: dayNumberOf(year, 12, 31),
        reason: 'Dữ liệu gốc: data/calendar/holidays.csv',
        communes: null,
        details: { replacesProvisional: true, rows: rows.length },
      })
    })
  }
}
