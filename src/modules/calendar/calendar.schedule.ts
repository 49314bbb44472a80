import { dayNumberOf, isoDateOf, isWeekend, weekdayOf } from './calendar.days.js'
import { lunarYearName, solarOf, tetOf } from './calendar.lunar.js'

/** Kinds of day off the calendar holds (DOMAIN A3), plus declared closures. */
export const DAY_OFF_KINDS = ['holiday', 'weekend_in_break', 'compensatory_day_off', 'swapped_day_off'] as const
export type ScheduleDayOffKind = (typeof DAY_OFF_KINDS)[number]
export type DayOffKind = ScheduleDayOffKind | 'closure'

/** Rows of holidays.csv that are notes, not days off. */
export const NOTE_KINDS = ['proposed_holiday', 'statutory_unscheduled', 'lunar_computed_unverified'] as const
export type NoteKind = (typeof NOTE_KINDS)[number]

export const SCHEDULE_KINDS = [...DAY_OFF_KINDS, 'makeup_workday', ...NOTE_KINDS] as const
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number]

export function isDayOffKind(kind: string): kind is ScheduleDayOffKind {
  return (DAY_OFF_KINDS as readonly string[]).includes(kind)
}
export function isNoteKind(kind: string): kind is NoteKind {
  return (NOTE_KINDS as readonly string[]).includes(kind)
}

/** One row of a year's schedule, the shape of holidays.csv. */
export interface ScheduleDay {
  /** Day number (days since 1970-01-01). */
  day: number
  name: string
  kind: ScheduleKind
  note: string
  source: string
}

/** A year's days off and make-up working days: official (announced) or provisional (computed by A3). */
export interface YearSchedule {
  year: number
  provisional: boolean
  days: ScheduleDay[]
}

const PROVISIONAL_SOURCE = 'Tính tạm theo DOMAIN A3 (Bộ luật Lao động 2019 Điều 112, Điều 111 khoản 3); chưa có lịch nghỉ công bố'

const provisionalCache = new Map<number, YearSchedule>()

/**
 * The provisional schedule of a year with no announced one (DOMAIN A3): solar holidays on
 * their dates; Giỗ Tổ on 10/3 lunar; Tết as the last day of the lunar year and the first four
 * days of the new one; National Day 2/9 plus 3/9 when 2/9 is a Monday or Thursday, else 1/9;
 * and for each holiday on a Saturday or Sunday the next day that is neither a weekend day nor
 * another day off, as a compensatory day (Labour Code Art. 111(3)). Memoised: it is pure.
 */
export function provisionalSchedule(year: number): YearSchedule {
  const cached = provisionalCache.get(year)
  if (cached) return cached
  const holidays: { day: number; name: string }[] = []
  // Two holidays on one date (Giỗ Tổ on 30/4, as in 1947) make one day off: A3 compensates
  // weekend holidays only.
  const add = (day: number, name: string) => {
    const same = holidays.find((h) => h.day === day)
    if (same) same.name = `${same.name}; ${name}`
    else holidays.push({ day, name })
  }
  add(dayNumberOf(year, 1, 1), 'Tết Dương lịch')
  const tet = tetOf(year)
  const can = lunarYearName(year)
  add(tet - 1, `Tết Âm lịch ${can} – ngày cuối năm ${lunarYearName(year - 1)}`)
  add(tet, `Tết Âm lịch ${can} – Mùng 1 Tết`)
  for (let i = 1; i <= 3; i++) add(tet + i, `Tết Âm lịch ${can} – Mùng ${i + 1} Tết`)
  const gioTo = solarOf({ year, month: 3, day: 10, leap: false })
  if (gioTo !== undefined) add(gioTo, 'Giỗ Tổ Hùng Vương (10/3 âm lịch)')
  add(dayNumberOf(year, 4, 30), 'Ngày Chiến thắng')
  add(dayNumberOf(year, 5, 1), 'Ngày Quốc tế Lao động')
  const nationalDay = dayNumberOf(year, 9, 2)
  const w = weekdayOf(nationalDay)
  add(nationalDay, 'Quốc khánh')
  if (w === 1 || w === 4) add(nationalDay + 1, 'Quốc khánh – ngày liền kề sau')
  else add(nationalDay - 1, 'Quốc khánh – ngày liền kề trước')
  holidays.sort((a, b) => a.day - b.day)

  const off = new Set(holidays.map((h) => h.day))
  const days: ScheduleDay[] = holidays.map((h) => ({ day: h.day, name: h.name, kind: 'holiday', note: '', source: PROVISIONAL_SOURCE }))
  for (const h of holidays) {
    if (!isWeekend(h.day)) continue
    let d = h.day + 1
    while (isWeekend(d) || off.has(d)) d++
    off.add(d)
    days.push({
      day: d,
      name: `Nghỉ bù cho ${h.name} (${isoDateOf(h.day)})`,
      kind: 'compensatory_day_off',
      note: 'ngày lễ trùng thứ Bảy/Chủ nhật (BLLĐ Điều 111 khoản 3)',
      source: PROVISIONAL_SOURCE,
    })
  }
  days.sort((a, b) => a.day - b.day)
  const schedule: YearSchedule = { year, provisional: true, days }
  provisionalCache.set(year, schedule)
  return schedule
}
