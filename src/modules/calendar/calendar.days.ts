/**
 * Day arithmetic in Vietnam time. Vietnam keeps UTC+7 all year (no daylight saving), so a
 * civil day is a fixed 24-hour span and needs no time-zone database: a "day number" is the
 * count of days since 1970-01-01 in Vietnam time, and an instant is epoch milliseconds (UTC).
 */

export const VN_OFFSET_MS = 7 * 3_600_000
export const DAY_MS = 86_400_000
export const MINUTE_MS = 60_000

/** First and last year the calendar answers for (the lunar algorithm is checked over this range). */
export const MIN_YEAR = 1900
export const MAX_YEAR = 2100

/** Day number (days since 1970-01-01) of a proleptic Gregorian date. */
export function dayNumberOf(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact integer arithmetic, no Date allocation.
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export interface CivilDate {
  year: number
  month: number
  day: number
}

/** The Gregorian date of a day number. */
export function civilOf(dayNumber: number): CivilDate {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

export function isWeekend(dayNumber: number): boolean {
  const w = weekdayOf(dayNumber)
  return w === 0 || w === 6
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n))

/** 'YYYY-MM-DD' of a day number. */
export function isoDateOf(dayNumber: number): string {
  const c = civilOf(dayNumber)
  return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`
}

export function daysInMonth(year: number, month: number): number {
  return dayNumberOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayNumberOf(year, month, 1)
}

/** Day number of a strict 'YYYY-MM-DD' (a real calendar date), else undefined. */
export function parseIsoDate(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  return dayNumberOf(year, month, day)
}

/** The Vietnam day number an instant falls on. */
export function vnDayOf(epochMs: number): number {
  return Math.floor((epochMs + VN_OFFSET_MS) / DAY_MS)
}

/** Minutes since Vietnam midnight of an instant (0–1439). */
export function vnMinuteOf(epochMs: number): number {
  const local = epochMs + VN_OFFSET_MS
  return Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS)
}

/** The instant of a Vietnam day number at a minute of that day. */
export function instantOf(dayNumber: number, minute: number): number {
  return dayNumber * DAY_MS + minute * MINUTE_MS - VN_OFFSET_MS
}

/** 'YYYY-MM-DDTHH:mm:ss+07:00' — how the API shows an instant. */
export function formatVnIso(epochMs: number): string {
  const local = epochMs + VN_OFFSET_MS
  const day = Math.floor(local / DAY_MS)
  const ms = local - day * DAY_MS
  const s = Math.floor(ms / 1000)
  return `${isoDateOf(day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}+07:00`
}

/** 'HH:mm' of a minute of the day. */
export function formatMinute(minute: number): string {
  return `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`
}

/** Minute of the day of a strict 'HH:mm' (00:00–24:00), else undefined. */
export function parseMinute(s: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(s)
  if (!m) return undefined
  const h = Number(m[1])
  const min = Number(m[2])
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined
  return h * 60 + min
}

/**
 * An ISO-8601 date-time ('2026-03-02T08:15', seconds, fraction and 'Z' or '±HH:MM' optional)
 * as epoch milliseconds. Without an offset the time is read as Vietnam time. Undefined when
 * malformed or not a real date/time.
 */
export function parseIsoInstant(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(s)
  if (!m) return undefined
  const day = parseIsoDate(`${m[1]}-${m[2]}-${m[3]}`)
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = m[6] ? Number(m[6]) : 0
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0
  let offsetMin = 7 * 60
  const tz = m[8]
  if (tz === 'Z') offsetMin = 0
  else if (tz) {
    const oh = Number(tz.slice(1, 3))
    const om = Number(tz.slice(4, 6))
    if (oh > 14 || om > 59) return undefined
    offsetMin = (tz.startsWith('-') ? -1 : 1) * (oh * 60 + om)
  }
  return day * DAY_MS + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 + fraction
}

const WEEKDAY_VI = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'] as const
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

/** Weekday name of a day number, Vietnamese or English. */
export function weekdayName(dayNumber: number, lang: 'vi' | 'en'): string {
  const w = weekdayOf(dayNumber)
  return (lang === 'en' ? WEEKDAY_EN[w] : WEEKDAY_VI[w]) ?? ''
}

/** 'Mon'…'Sun', the form holidays.csv uses. */
export function weekdayShort(dayNumber: number): string {
  return WEEKDAY_SHORT[weekdayOf(dayNumber)] ?? ''
}

/** 'DD/MM/YYYY', the Vietnamese way of writing a date. */
export function formatViDate(dayNumber: number): string {
  const c = civilOf(dayNumber)
  return `${pad2(c.day)}/${pad2(c.month)}/${c.year}`
}
