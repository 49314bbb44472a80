import { ValidationError } from '../../shared/errors.js'
import { DAY_MS, formatMinute, formatVnIso, formatViDate, isoDateOf, VN_OFFSET_MS, weekdayName } from './calendar.days.js'
import type { DayOffKind } from './calendar.schedule.js'
import type { CalendarSnapshot } from './calendar.snapshot.js'

/** How a time limit is counted (DOMAIN A4). */
export const DEADLINE_UNITS = ['working_days', 'calendar_days', 'working_hours', 'same_day'] as const
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number]

/** Largest amount accepted per unit; anything above is a typing error, not a procedure. */
export const MAX_AMOUNT: Record<DeadlineUnit, number> = { working_days: 1000, calendar_days: 1500, working_hours: 8000, same_day: 0 }

/** restart: the limit starts again from zero at the end of the pause (Decree 61 Art. 19(4)); resume: the rest continues (DOMAIN A5). */
export type PauseMode = 'restart' | 'resume'

/** A closed pause of the clock: a supplement request (Mẫu 02) or waiting for a payment. */
export interface Pause {
  from: Date | number
  to: Date | number
  reason: string
  mode: PauseMode
}

export interface DueInput {
  /** The valid receipt (DOMAIN A4), not the submission. */
  receivedAt: Date | number
  amount: number
  unit: DeadlineUnit
  pauses?: readonly Pause[]
}

export interface SkippedDay {
  date: string
  reason: 'weekend' | DayOffKind
  name: string | null
  provisional: boolean
}

export interface ExplainedPause {
  from: string
  to: string
  reason: string
  mode: PauseMode
  /** False when the pause began after the limit had already run out. */
  applied: boolean
}

export interface ExplanationStep {
  vi: string
  en: string
}

/** Why a due time is what it is: every moved moment, uncounted day, skipped day and pause. */
export interface DueExplanation {
  unit: DeadlineUnit
  amount: number
  receivedAt: string
  /** The moment counting starts (the receipt, or the next moment inside working hours). */
  countingStartsAt: string
  movedBecause: 'outside_working_hours' | 'non_working_day' | null
  /** The day not counted (Civil Code Art. 147), for day limits. */
  uncountedDay: string | null
  /** Same-day limit received after the cut-off (Decree 61 Art. 18). */
  cutoffApplied: boolean
  /** Calendar-day limit whose last day was not a working day (Civil Code Art. 148). */
  dueDayMovedFrom: string | null
  skippedDays: SkippedDay[]
  pauses: ExplainedPause[]
  steps: ExplanationStep[]
}

export interface DueResult {
  dueAt: Date
  explanation: DueExplanation
}

/** The calendar does not reach that far (1900–2100, with a spare year for due dates). */
export class CalendarRangeError extends ValidationError {
  constructor(what = 'Thời điểm') {
    super('CALENDAR.OUT_OF_RANGE', `${what} nằm ngoài phạm vi lịch (năm 1900–2100).`)
  }
}

export class InvalidLimitError extends ValidationError {
  constructor(message: string, details?: unknown) {
    super('CALENDAR.INVALID_LIMIT', message, details)
  }
}

export class InvalidPauseError extends ValidationError {
  constructor(message: string, details?: unknown) {
    super('CALENDAR.INVALID_PAUSE', message, details)
  }
}

const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime())

/** Checks an amount against its unit; throws InvalidLimitError. */
export function assertLimit(amount: number, unit: DeadlineUnit): void {
  if (!(DEADLINE_UNITS as readonly string[]).includes(unit)) throw new InvalidLimitError(`Đơn vị thời hạn "${String(unit)}" không hợp lệ.`, { unit })
  if (!Number.isInteger(amount) || amount < 0 || amount > MAX_AMOUNT[unit]) {
    throw new InvalidLimitError(
      unit === 'same_day' ? 'Thời hạn trong ngày không có số lượng (amount = 0).' : `Thời hạn phải là số nguyên từ 0 đến ${MAX_AMOUNT[unit]}.`,
      { amount, unit, max: MAX_AMOUNT[unit] },
    )
  }
}

// ---- the hot path: no allocation ---------------------------------------------------------------
// effectiveStart() leaves its answer here; JavaScript runs one call at a time.
let startMs = 0
let startDay = 0
let startMoved = 0 // 0 not moved, 1 later the same day, 2 to the next working day

/** A4: a receipt outside working hours moves to the next moment inside them. */
function effectiveStart(cal: CalendarSnapshot, t: number): void {
  const day = Math.floor((t + VN_OFFSET_MS) / DAY_MS)
  const i = day - cal.firstDay
  if (i < 0 || day > cal.lastDay) throw new CalendarRangeError()
  const starts = cal.windowStartMs
  if (cal.working[i] === 1) {
    const msOfDay = t + VN_OFFSET_MS - day * DAY_MS
    const ends = cal.windowEndMs
    for (let w = 0; w < ends.length; w++) {
      if (msOfDay < (ends[w] as number)) {
        startDay = day
        if (msOfDay >= (starts[w] as number)) {
          startMs = t
          startMoved = 0
        } else {
          startMs = day * DAY_MS + (starts[w] as number) - VN_OFFSET_MS
          startMoved = 1
        }
        return
      }
    }
  }
  const next = cal.nthWorkingDayAfter(day, 1)
  if (next === undefined) throw new CalendarRangeError('Hạn giải quyết')
  startDay = next
  startMs = next * DAY_MS + (starts[0] as number) - VN_OFFSET_MS
  startMoved = 2
}

function endOfWorkingDay(cal: CalendarSnapshot, day: number): number {
  return day * DAY_MS + (cal.windowEndMs[cal.windowEndMs.length - 1] as number) - VN_OFFSET_MS
}

function nth(cal: CalendarSnapshot, day: number, n: number): number {
  const d = cal.nthWorkingDayAfter(day, n)
  if (d === undefined) throw new CalendarRangeError('Hạn giải quyết')
  return d
}

/** Working milliseconds from the start of the snapshot to an instant (a monotone clock of work time). */
function workedMs(cal: CalendarSnapshot, t: number): number {
  const day = Math.floor((t + VN_OFFSET_MS) / DAY_MS)
  const i = day - cal.firstDay
  let total = (cal.cum[i] as number) * cal.workMsPerDay
  if (cal.working[i] === 1) {
    const x = t + VN_OFFSET_MS - day * DAY_MS
    for (let w = 0; w < cal.windowEndMs.length; w++) {
      const s = cal.windowStartMs[w] as number
      const e = cal.windowEndMs[w] as number
      if (x > s) total += (x < e ? x : e) - s
    }
  }
  return total
}

/** Adds `rest` working milliseconds to a moment inside working hours. */
function addWorkingMs(cal: CalendarSnapshot, from: number, fromDay: number, rest: number): number {
  if (rest <= 0) return from
  const starts = cal.windowStartMs
  const ends = cal.windowEndMs
  const base = fromDay * DAY_MS - VN_OFFSET_MS
  const pos = from - base
  for (let w = 0; w < ends.length; w++) {
    const e = ends[w] as number
    if (pos >= e) continue
    const s = Math.max(pos, starts[w] as number)
    if (rest <= e - s) return base + s + rest
    rest -= e - s
  }
  const full = Math.floor((rest - 1) / cal.workMsPerDay)
  rest -= full * cal.workMsPerDay
  const day = nth(cal, fromDay, full + 1)
  const dayBase = day * DAY_MS - VN_OFFSET_MS
  for (let w = 0; w < ends.length; w++) {
    const s = starts[w] as number
    const len = (ends[w] as number) - s
    if (rest <= len) return dayBase + s + rest
    rest -= len
  }
  return dayBase + (ends[ends.length - 1] as number) // unreachable: rest ≤ one working day
}

/** The due instant counted from the effective start left in startMs/startDay. */
function dueFromStart(cal: CalendarSnapshot, amount: number, unit: DeadlineUnit): number {
  if (unit === 'working_hours') return addWorkingMs(cal, startMs, startDay, amount * 3_600_000)
  if (amount === 0 || unit === 'same_day') {
    // A4 "within the day": the end of the (effective) receipt day, or of the next working day after the cut-off.
    const msOfDay = startMs + VN_OFFSET_MS - startDay * DAY_MS
    return endOfWorkingDay(cal, msOfDay > cal.cutoffMs ? nth(cal, startDay, 1) : startDay)
  }
  if (unit === 'working_days') return endOfWorkingDay(cal, nth(cal, startDay, amount))
  // calendar_days: count every day; a last day that is not a working day moves to the next one (Art. 148).
  const last = startDay + amount
  if (last > cal.lastDay) throw new CalendarRangeError('Hạn giải quyết')
  return endOfWorkingDay(cal, cal.isWorkingDay(last) ? last : nth(cal, last, 1))
}

/**
 * The due instant (epoch ms) of a limit counted from a valid receipt, by DOMAIN A4, with no
 * explanation and no allocation: for recomputing many deadlines at once. Pure: the same
 * snapshot and arguments always give the same answer. Throws CalendarRangeError outside
 * the calendar's range; the amount is not checked here (see assertLimit).
 */
export function computeDueAt(cal: CalendarSnapshot, receivedAt: number, amount: number, unit: DeadlineUnit): number {
  effectiveStart(cal, receivedAt)
  return dueFromStart(cal, amount, unit)
}

// ---- the explained path ---------------------------------------------------------------------------

function skippedBetween(cal: CalendarSnapshot, after: number, before: number, out: SkippedDay[], outDays: number[]): void {
  for (let d = after + 1; d < before; d++) {
    if (cal.isWorkingDay(d)) continue
    outDays.push(d)
    const info = cal.dayInfo(d)
    out.push(
      info && info.kind !== 'makeup_workday'
        ? { date: isoDateOf(d), reason: info.kind, name: info.name, provisional: info.provisional }
        : { date: isoDateOf(d), reason: 'weekend', name: null, provisional: false },
    )
  }
}

const UNIT_TEXT: Record<DeadlineUnit, (n: number) => ExplanationStep> = {
  working_days: (n) => ({ vi: `${n} ngày làm việc`, en: `${n} working day${n === 1 ? '' : 's'}` }),
  calendar_days: (n) => ({ vi: `${n} ngày`, en: `${n} calendar day${n === 1 ? '' : 's'}` }),
  working_hours: (n) => ({ vi: `${n} giờ làm việc`, en: `${n} working hour${n === 1 ? '' : 's'}` }),
  same_day: () => ({ vi: 'trả trong ngày', en: 'within the day' }),
}

const hm = (t: number) => `${formatMinute(Math.floor((t + VN_OFFSET_MS - Math.floor((t + VN_OFFSET_MS) / DAY_MS) * DAY_MS) / 60_000))} ${formatViDate(Math.floor((t + VN_OFFSET_MS) / DAY_MS))}`

/**
 * The due time of a limit with its explanation (DOMAIN A4, A5): receipt moved into working
 * hours, the uncounted day, each skipped day and why, the same-day cut-off, the calendar-day
 * move to a working day, and each pause (restart from zero or resume). Pure function of the
 * snapshot and the input; the caller supplies every instant (no clock is read here).
 */
export function computeDue(cal: CalendarSnapshot, input: DueInput): DueResult {
  const { amount, unit } = input
  assertLimit(amount, unit)
  const received = ms(input.receivedAt)
  if (!Number.isFinite(received)) throw new CalendarRangeError()
  const pauses = [...(input.pauses ?? [])].map((p) => ({ ...p, from: ms(p.from), to: ms(p.to) })).sort((a, b) => a.from - b.from)
  let prevEnd = received
  for (const p of pauses) {
    if (!(Number.isFinite(p.from) && Number.isFinite(p.to)) || p.to < p.from) throw new InvalidPauseError('Khoảng tạm dừng không hợp lệ: thời điểm kết thúc phải sau thời điểm bắt đầu.')
    if (p.from < prevEnd) throw new InvalidPauseError('Các khoảng tạm dừng phải bắt đầu sau khi tiếp nhận và không chồng lên nhau.')
    prevEnd = p.to
  }
  // Limits counted in days leave the receipt day uncounted (Art. 147); "within the day" does not.
  const dayLimit = (unit === 'working_days' || unit === 'calendar_days') && amount > 0
  const steps: ExplanationStep[] = []
  const skipped: SkippedDay[] = []
  const skippedDays: number[] = [] // the same days as day numbers, for the texts
  const explained: ExplainedPause[] = []
  const u = UNIT_TEXT[unit](amount)
  steps.push({ vi: `Tiếp nhận hợp lệ lúc ${hm(received)}; thời hạn ${u.vi}.`, en: `Valid receipt at ${hm(received)}; limit ${u.en}.` })

  effectiveStart(cal, received)
  const movedBecause = startMoved === 0 ? null : startMoved === 1 || cal.isWorkingDay(Math.floor((received + VN_OFFSET_MS) / DAY_MS)) ? 'outside_working_hours' : 'non_working_day'
  if (movedBecause) {
    steps.push({
      vi: `A4: tiếp nhận ngoài giờ làm việc${movedBecause === 'non_working_day' ? ' (ngày không làm việc)' : ''}, tính từ ${hm(startMs)}.`,
      en: `A4: received outside working hours${movedBecause === 'non_working_day' ? ' (not a working day)' : ''}; counting from ${hm(startMs)}.`,
    })
  }
  const countingStartsAt = startMs
  let remaining = amount
  let remainingMs = amount * 3_600_000
  let segmentStart = startDay
  let due = dueFromStart(cal, remaining, unit)
  const sameDay = unit === 'same_day' || (amount === 0 && unit !== 'working_hours')
  let cutoffApplied = sameDay && startMs + VN_OFFSET_MS - startDay * DAY_MS > cal.cutoffMs

  for (const p of pauses) {
    const item: ExplainedPause = { from: formatVnIso(p.from), to: formatVnIso(p.to), reason: p.reason, mode: p.mode, applied: p.from < due }
    explained.push(item)
    if (!item.applied) {
      steps.push({ vi: `Tạm dừng từ ${hm(p.from)} không được tính: khi đó đã hết hạn.`, en: `The pause from ${hm(p.from)} is not applied: the limit had already run out.` })
      continue
    }
    if (p.mode === 'resume' && unit !== 'same_day') {
      const beforeStart = startMs
      effectiveStart(cal, p.from)
      const pauseDay = startDay
      if (unit === 'working_hours') remainingMs -= workedMs(cal, startMs) - workedMs(cal, beforeStart)
      else if (unit === 'working_days') remaining -= cal.countWorkingDays(segmentStart + 1, pauseDay - 1)
      else remaining = Math.max(0, remaining - Math.max(0, pauseDay - segmentStart - 1))
      skippedBetween(cal, segmentStart, pauseDay, skipped, skippedDays)
    } else {
      remaining = amount
      remainingMs = amount * 3_600_000
      skipped.length = 0
      skippedDays.length = 0
    }
    effectiveStart(cal, p.to)
    segmentStart = startDay
    // Resumed calendar days may all be used already: then the limit ends with the resumption day.
    due =
      unit === 'working_hours' ? addWorkingMs(cal, startMs, startDay, remainingMs) : unit === 'calendar_days' && remaining === 0 && amount > 0 ? endOfWorkingDay(cal, startDay) : dueFromStart(cal, remaining, unit)
    cutoffApplied = sameDay && startMs + VN_OFFSET_MS - startDay * DAY_MS > cal.cutoffMs
    const left = unit === 'working_hours' ? { vi: `còn ${(remainingMs / 3_600_000).toFixed(2).replace(/\.?0+$/, '')} giờ làm việc`, en: `${(remainingMs / 3_600_000).toFixed(2).replace(/\.?0+$/, '')} working hours left` } : UNIT_TEXT[unit](remaining)
    steps.push(
      p.mode === 'restart' || unit === 'same_day'
        ? { vi: `A5: tạm dừng ${hm(p.from)} – ${hm(p.to)} (${p.reason}); thời hạn tính lại từ đầu khi nhận đủ hồ sơ bổ sung, từ ${hm(startMs)}.`, en: `A5: paused ${hm(p.from)} – ${hm(p.to)} (${p.reason}); the limit restarts from zero at ${hm(startMs)}.` }
        : { vi: `A5: tạm dừng ${hm(p.from)} – ${hm(p.to)} (${p.reason}); tiếp tục từ ${hm(startMs)}, ${left.vi}.`, en: `A5: paused ${hm(p.from)} – ${hm(p.to)} (${p.reason}); resumes at ${hm(startMs)} with ${left.en}.` },
    )
  }

  const dueDay = Math.floor((due + VN_OFFSET_MS) / DAY_MS)
  let dueDayMovedFrom: string | null = null
  if (cutoffApplied) steps.push({ vi: `A4 (Nghị định 61 Điều 18): tiếp nhận sau ${formatMinute(cal.workingHours.sameDayCutoff)}, trả vào cuối ngày làm việc tiếp theo.`, en: `A4 (Decree 61 Art. 18): received after ${formatMinute(cal.workingHours.sameDayCutoff)}, returned at the end of the next working day.` })
  else if (sameDay) steps.push({ vi: 'A4: trả trong ngày, vào cuối giờ làm việc của ngày tiếp nhận.', en: 'A4: returned within the day, at the end of working hours of the receipt day.' })
  if (dayLimit) {
    steps.push({
      vi: `A4 (BLDS Điều 147): ngày ${formatViDate(segmentStart)} không tính vào thời hạn.`,
      en: `A4 (Civil Code Art. 147): ${formatViDate(segmentStart)} is not counted.`,
    })
    if (unit === 'calendar_days' && remaining > 0) {
      const last = segmentStart + remaining
      if (last !== dueDay) {
        dueDayMovedFrom = isoDateOf(last)
        steps.push({ vi: `A4 (BLDS Điều 148): ngày cuối ${formatViDate(last)} là ngày nghỉ, chuyển sang cuối ngày làm việc tiếp theo.`, en: `A4 (Civil Code Art. 148): the last day ${formatViDate(last)} is a day off; moved to the end of the next working day.` })
      }
    }
  }
  skippedBetween(cal, segmentStart, dueDay, skipped, skippedDays)
  if (skipped.length) {
    steps.push({
      vi: `Không tính ${skipped.length} ngày nghỉ: ${skipped.map((s, i) => `${viDate(s.date)} (${s.name ?? weekdayName(skippedDays[i] ?? 0, 'vi')})`).join(', ')}.`,
      en: `${skipped.length} day${skipped.length === 1 ? '' : 's'} off skipped: ${skipped.map((s, i) => `${s.date} (${s.name ?? weekdayName(skippedDays[i] ?? 0, 'en')})`).join(', ')}.`,
    })
  }
  steps.push({ vi: `Hạn trả kết quả: ${hm(due)}.`, en: `Due: ${hm(due)}.` })
  return {
    dueAt: new Date(due),
    explanation: {
      unit,
      amount,
      receivedAt: formatVnIso(received),
      countingStartsAt: formatVnIso(countingStartsAt),
      movedBecause,
      uncountedDay: dayLimit ? isoDateOf(segmentStart) : null,
      cutoffApplied,
      dueDayMovedFrom,
      skippedDays: skipped,
      pauses: explained,
      steps,
    },
  }
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY'. */
const viDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`

/** Working days from `from` to `to` (day numbers), both included; throws outside the calendar. */
export function countWorkingDaysBetween(cal: CalendarSnapshot, from: number, to: number): number {
  if (!cal.covers(from) || !cal.covers(to)) throw new CalendarRangeError('Ngày')
  return cal.countWorkingDays(from, to)
}
