/**
 * Calendar: the Vietnamese lunar calendar, days off per year (announced or provisional),
 * closures, working hours, and deadline arithmetic (DOMAIN A2–A5). Depends on no other module.
 */

/** The module to mount: public API under /api/v1/calendar, the /lich-lam-viec page and /admin/lich-lam-viec. */
export { calendarModule } from './calendar.module.js'

/** Loads the announced schedules shipped with the code (2024–2026) into a database; idempotent. */
export { seedCalendar } from './calendar.seed.js'

/**
 * The calendar of a province, or of one of its communes (closures included): an immutable
 * snapshot to pass to the deadline functions. Cached per database handle and rebuilt after a change.
 */
export { getCalendarSnapshot } from './calendar.service.js'

/** The days off (with kind) and make-up working days of a year in a snapshot, sorted by date. */
export { daysOffOf, makeupWorkdaysOf, type DayOffView, type MakeupDayView } from './calendar.service.js'

/** Topic of the outbox event written when days off, closures or working hours change (recompute open deadlines). */
export { CALENDAR_CHANGED } from './calendar.service.js'

/** The in-memory working calendar (O(1) working-day queries) and how to build one from data, e.g. in tests. */
export { CalendarSnapshot, DEFAULT_WORKING_HOURS, type Closure, type SnapshotInput, type WorkingHours, type DayInfo } from './calendar.snapshot.js'

/**
 * Deadline arithmetic (DOMAIN A4, A5), pure functions of (receipt, limit, snapshot):
 * computeDue explains its answer; computeDueAt is the allocation-free fast path;
 * countWorkingDaysBetween counts working days with both ends included.
 */
export {
  assertLimit,
  CalendarRangeError,
  computeDue,
  computeDueAt,
  countWorkingDaysBetween,
  DEADLINE_UNITS,
  InvalidLimitError,
  InvalidPauseError,
  MAX_AMOUNT,
  type DeadlineUnit,
  type DueExplanation,
  type DueInput,
  type DueResult,
  type Pause,
  type PauseMode,
} from './calendar.deadline.js'

/** Vietnamese lunar calendar (UTC+7): solar ↔ lunar conversion, leap months, Tết. */
export { leapMonthOf, lunarOf, lunarYearName, solarOf, tetOf, type LunarDate } from './calendar.lunar.js'

/** Day numbers (days since 1970-01-01 in Vietnam time) and their conversions. */
export { dayNumberOf, formatVnIso, isoDateOf, parseIsoDate, parseIsoInstant, vnDayOf } from './calendar.days.js'

/** Kinds of days off, and the provisional A3 schedule of a year without an announced one. */
export { DAY_OFF_KINDS, provisionalSchedule, type DayOffKind, type ScheduleDay, type YearSchedule } from './calendar.schedule.js'
