import { civilOf, dayNumberOf, isWeekend, MAX_YEAR, MIN_YEAR, MINUTE_MS } from './calendar.days.js'
import { isDayOffKind, provisionalSchedule, type DayOffKind, type ScheduleDay } from './calendar.schedule.js'

/** Working windows of a day and the same-day cut-off, as minutes since midnight (DOMAIN A2, A4). */
export interface WorkingHours {
  /** Non-overlapping [start, end) windows in order, e.g. [[420, 690], [810, 1020]]. */
  windows: readonly (readonly [number, number])[]
  /** Same-day limits received after this minute are due the next working day (Decree 61 Art. 18). */
  sameDayCutoff: number
}

/** 07:00–11:30 and 13:30–17:00, cut-off 15:00. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  windows: [
    [7 * 60, 11 * 60 + 30],
    [13 * 60 + 30, 17 * 60],
  ],
  sameDayCutoff: 15 * 60,
}

/** Problems with a working-hours setting, empty when it is usable. */
export function workingHoursProblems(h: WorkingHours): string[] {
  const out: string[] = []
  if (!h.windows.length) out.push('Cần ít nhất một khung giờ làm việc.')
  let prevEnd = -1
  for (const [s, e] of h.windows) {
    if (!(Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= 1440 && s < e)) out.push('Mỗi khung giờ phải có giờ bắt đầu trước giờ kết thúc, trong ngày.')
    if (s < prevEnd) out.push('Các khung giờ phải theo thứ tự và không chồng lên nhau.')
    prevEnd = e
  }
  const first = h.windows[0]
  const last = h.windows[h.windows.length - 1]
  if (first && last && !(h.sameDayCutoff >= first[0] && h.sameDayCutoff <= last[1])) out.push('Giờ chốt nhận trong ngày phải nằm trong giờ làm việc.')
  return out
}

/** A declared closure (storm, flood): days that are not worked in the province or listed communes. */
export interface Closure {
  id: string
  /** First and last day (day numbers), both included. */
  from: number
  to: number
  /** Commune codes (5 digits); empty means the whole province. */
  communes: readonly string[]
  reason: string
}

/** Why a day is off or worked, for lists and explanations. */
export interface DayInfo {
  name: string
  kind: DayOffKind | 'makeup_workday'
  provisional: boolean
}

export interface SnapshotInput {
  provinceCode: string
  /** The commune whose closures apply; undefined for the province as a whole. */
  communeCode?: string | undefined
  /** Announced schedules by year; every other year gets the provisional A3 schedule. */
  official: ReadonlyMap<number, readonly ScheduleDay[]>
  closures: readonly Closure[]
  workingHours?: WorkingHours
  /** Opaque version of the data the snapshot was built from (for caches). */
  version?: number
}

/** Days the snapshot covers: the years the calendar answers for plus one spare year for due dates. */
export const SNAPSHOT_FIRST_DAY = dayNumberOf(MIN_YEAR, 1, 1)
export const SNAPSHOT_LAST_DAY = dayNumberOf(MAX_YEAR + 1, 12, 31)

/**
 * An immutable, compact view of the working calendar of one province (or one commune of it)
 * over 1900–2101, built once and shared: one byte per day says whether it is a working day,
 * a prefix count of working days and the list of working days make "the N-th working day
 * after D" and "working days between A and B" O(1) with no allocation.
 */
export class CalendarSnapshot {
  readonly provinceCode: string
  readonly communeCode: string | undefined
  readonly version: number
  readonly firstDay = SNAPSHOT_FIRST_DAY
  readonly lastDay = SNAPSHOT_LAST_DAY
  /** 1 when the day (index day - firstDay) is a working day. */
  readonly working: Uint8Array
  /** cum[i] = number of working days among indices < i (length = days + 1). */
  readonly cum: Int32Array
  /** Day numbers of the working days, in order. */
  readonly workDays: Int32Array
  /** Window bounds in milliseconds since midnight, and derived figures. */
  readonly windowStartMs: Float64Array
  readonly windowEndMs: Float64Array
  readonly workMsPerDay: number
  readonly cutoffMs: number
  readonly workingHours: WorkingHours
  /** Named days: days off (with kind) and make-up working days. */
  readonly info: ReadonlyMap<number, DayInfo>
  /** Years whose days come from an announced schedule. */
  readonly officialYears: ReadonlySet<number>

  constructor(input: SnapshotInput) {
    const hours = input.workingHours ?? DEFAULT_WORKING_HOURS
    const problems = workingHoursProblems(hours)
    if (problems.length) throw new Error(`invalid working hours: ${problems.join(' ')}`)
    this.provinceCode = input.provinceCode
    this.communeCode = input.communeCode
    this.version = input.version ?? 0
    this.workingHours = hours
    this.windowStartMs = Float64Array.from(hours.windows, (w) => w[0] * MINUTE_MS)
    this.windowEndMs = Float64Array.from(hours.windows, (w) => w[1] * MINUTE_MS)
    this.workMsPerDay = hours.windows.reduce((s, w) => s + (w[1] - w[0]) * MINUTE_MS, 0)
    this.cutoffMs = hours.sameDayCutoff * MINUTE_MS
    this.officialYears = new Set(input.official.keys())

    const n = this.lastDay - this.firstDay + 1
    const working = new Uint8Array(n)
    for (let i = 0; i < n; i++) working[i] = isWeekend(this.firstDay + i) ? 0 : 1
    const info = new Map<number, DayInfo>()
    const firstYear = civilOf(this.firstDay).year
    const lastYear = civilOf(this.lastDay).year
    for (let y = firstYear; y <= lastYear; y++) {
      const official = input.official.get(y)
      const rows = official ?? provisionalSchedule(y).days
      const provisional = !official
      for (const r of rows) {
        const i = r.day - this.firstDay
        if (i < 0 || i >= n) continue
        if (isDayOffKind(r.kind)) {
          working[i] = 0
          info.set(r.day, { name: r.name, kind: r.kind, provisional })
        } else if (r.kind === 'makeup_workday') {
          working[i] = 1
          info.set(r.day, { name: r.name, kind: 'makeup_workday', provisional })
        }
      }
    }
    for (const c of input.closures) {
      if (c.communes.length && !(input.communeCode && c.communes.includes(input.communeCode))) continue
      for (let d = Math.max(c.from, this.firstDay); d <= Math.min(c.to, this.lastDay); d++) {
        const i = d - this.firstDay
        if (!working[i]) continue
        working[i] = 0
        info.set(d, { name: c.reason, kind: 'closure', provisional: false })
      }
    }
    const cum = new Int32Array(n + 1)
    for (let i = 0; i < n; i++) cum[i + 1] = (cum[i] as number) + (working[i] as number)
    const workDays = new Int32Array(cum[n] as number)
    for (let i = 0, k = 0; i < n; i++) if (working[i]) workDays[k++] = this.firstDay + i
    this.working = working
    this.cum = cum
    this.workDays = workDays
    this.info = info
  }

  /** True when the day is inside the snapshot's range. */
  covers(day: number): boolean {
    return day >= this.firstDay && day <= this.lastDay
  }

  /** A working day: Monday–Friday and not a day off, or a make-up working day (DOMAIN A2). */
  isWorkingDay(day: number): boolean {
    return this.working[day - this.firstDay] === 1
  }

  /** Working days from `from` to `to`, both included (0 when to < from). */
  countWorkingDays(from: number, to: number): number {
    if (to < from) return 0
    return (this.cum[to - this.firstDay + 1] as number) - (this.cum[from - this.firstDay] as number)
  }

  /** The n-th (n ≥ 1) working day strictly after `day`, or undefined past the snapshot's end. */
  nthWorkingDayAfter(day: number, n: number): number | undefined {
    return this.workDays[(this.cum[day - this.firstDay + 1] as number) + n - 1]
  }

  /** Whether the day is off, and why (weekend days have no entry unless named). */
  dayInfo(day: number): DayInfo | undefined {
    return this.info.get(day)
  }

  /** Whether the year's days come from the provisional A3 computation. */
  isProvisional(year: number): boolean {
    return !this.officialYears.has(year)
  }
}
