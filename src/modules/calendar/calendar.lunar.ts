/**
 * The Vietnamese lunisolar calendar (âm lịch), computed astronomically as in Hồ Ngọc Đức's
 * reference algorithm: months start on the day (local time) of the new moon; month 11 is the
 * month holding the winter solstice; in a year of 13 months the leap month is the first one
 * with no major solar term (trung khí). Vietnam computes on the UTC+7 meridian, China on UTC+8,
 * which is why the two calendars sometimes differ (Tết 1985: 21/1 in Vietnam, 20/2 in China;
 * Tết 2007: 17/2 in Vietnam, 18/2 in China). The time zone is a parameter so the same code can be
 * checked against an independent Chinese-calendar implementation at UTC+8.
 *
 * Days are day numbers (days since 1970-01-01), see calendar.days.ts.
 */

/** Vietnam's meridian for the calendar. */
export const VN_LUNAR_TIMEZONE = 7

const JDN_OF_DAY0 = 2440588 // Julian day number of 1970-01-01
const PI = Math.PI
const DR = PI / 180
const SYNODIC = 29.530588853
const INT = Math.floor

export interface LunarDate {
  /** Lunar year, numbered like the solar year in which its month 1 starts. */
  year: number
  /** 1–12 */
  month: number
  /** 1–30 */
  day: number
  /** True for the leap (intercalary, nhuận) month that repeats `month`. */
  leap: boolean
}

/** Julian date of the k-th mean new moon after 1900-01-01 with the main periodic terms (Meeus). */
function newMoon(k: number): number {
  const T = k / 1236.85
  const T2 = T * T
  const T3 = T2 * T
  let jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3
  jd1 += 0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * DR)
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3
  let c1 = (0.1734 - 0.000393 * T) * Math.sin(M * DR) + 0.0021 * Math.sin(2 * DR * M)
  c1 = c1 - 0.4068 * Math.sin(Mpr * DR) + 0.0161 * Math.sin(DR * 2 * Mpr)
  c1 = c1 - 0.0004 * Math.sin(DR * 3 * Mpr)
  c1 = c1 + 0.0104 * Math.sin(DR * 2 * F) - 0.0051 * Math.sin(DR * (M + Mpr))
  c1 = c1 - 0.0074 * Math.sin(DR * (M - Mpr)) + 0.0004 * Math.sin(DR * (2 * F + M))
  c1 = c1 - 0.0004 * Math.sin(DR * (2 * F - M)) - 0.0006 * Math.sin(DR * (2 * F + Mpr))
  c1 = c1 + 0.001 * Math.sin(DR * (2 * F - Mpr)) + 0.0005 * Math.sin(DR * (2 * Mpr + M))
  const deltaT = T < -11 ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3 : -0.000278 + 0.000265 * T + 0.000262 * T2
  return jd1 + c1 - deltaT
}

/** The sun's apparent longitude (radians, 0–2π) at a Julian date. */
function sunLongitude(jdn: number): number {
  const T = (jdn - 2451545.0) / 36525
  const T2 = T * T
  const M = 357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2
  const L0 = 280.46645 + 36000.76983 * T + 0.0003032 * T2
  let DL = (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(DR * M)
  DL = DL + (0.019993 - 0.000101 * T) * Math.sin(DR * 2 * M) + 0.00029 * Math.sin(DR * 3 * M)
  let L = (L0 + DL) * DR
  L = L - PI * 2 * INT(L / (PI * 2))
  return L
}

/** Which 30° sector (0–11) the sun is in at local midnight starting a day. */
function sunSector(jdn: number, tz: number): number {
  return INT((sunLongitude(jdn - 0.5 - tz / 24) / PI) * 6)
}

/** Julian day number (local) of the k-th new moon. */
function newMoonDay(k: number, tz: number): number {
  return INT(newMoon(k) + 0.5 + tz / 24)
}

function jdnFromDate(dd: number, mm: number, yy: number): number {
  const a = INT((14 - mm) / 12)
  const y = yy + 4800 - a
  const m = mm + 12 * a - 3
  return dd + INT((153 * m + 2) / 5) + 365 * y + INT(y / 4) - INT(y / 100) + INT(y / 400) - 32045
}

/** JDN of the start of lunar month 11 (the month of the winter solstice) of solar year `yy`. */
function lunarMonth11(yy: number, tz: number): number {
  const off = jdnFromDate(31, 12, yy) - 2415021
  const k = INT(off / SYNODIC)
  let nm = newMoonDay(k, tz)
  if (sunSector(nm, tz) >= 9) nm = newMoonDay(k - 1, tz)
  return nm
}

/** Index (months after month 11 that starts at a11) of the leap month in a 13-month year. */
function leapMonthOffset(a11: number, tz: number): number {
  const k = INT((a11 - 2415021.076998695) / SYNODIC + 0.5)
  let last: number
  let i = 1
  let arc = sunSector(newMoonDay(k + i, tz), tz)
  do {
    last = arc
    i++
    arc = sunSector(newMoonDay(k + i, tz), tz)
  } while (arc !== last && i < 14)
  return i - 1
}

/** The lunar date of a solar day (day number). */
export function lunarOf(dayNumber: number, tz = VN_LUNAR_TIMEZONE): LunarDate {
  const jdn = dayNumber + JDN_OF_DAY0
  const k = INT((jdn - 2415021.076998695) / SYNODIC)
  let monthStart = newMoonDay(k + 1, tz)
  if (monthStart > jdn) monthStart = newMoonDay(k, tz)
  // The mean-lunation estimate of k can be one too high when the true new moon falls late
  // (e.g. 7/5/2054 and 9/4/2062 would otherwise get day 0 of the next month).
  if (monthStart > jdn) monthStart = newMoonDay(k - 1, tz)
  // Solar year of the day, from the JDN (calendar.days would do, but keep this file standalone).
  const yy = solarYearOfJdn(jdn)
  let a11 = lunarMonth11(yy, tz)
  let b11 = a11
  let year: number
  if (a11 >= monthStart) {
    year = yy
    a11 = lunarMonth11(yy - 1, tz)
  } else {
    year = yy + 1
    b11 = lunarMonth11(yy + 1, tz)
  }
  const day = jdn - monthStart + 1
  const diff = INT((monthStart - a11) / 29)
  let leap = false
  let month = diff + 11
  if (b11 - a11 > 365) {
    const leapDiff = leapMonthOffset(a11, tz)
    if (diff >= leapDiff) {
      month = diff + 10
      if (diff === leapDiff) leap = true
    }
  }
  if (month > 12) month -= 12
  if (month >= 11 && diff < 4) year -= 1
  return { year, month, day, leap }
}

function solarYearOfJdn(jdn: number): number {
  const a = jdn + 32044
  const b = INT((4 * a + 3) / 146097)
  const c = a - INT((b * 146097) / 4)
  const d = INT((4 * c + 3) / 1461)
  const e = c - INT((1461 * d) / 4)
  const m = INT((5 * e + 2) / 153)
  return b * 100 + d - 4800 + INT(m / 10)
}

/**
 * The solar day number of a lunar date, or undefined when the date does not exist (a leap
 * flag on a month that is not the leap month of that year, or day 30 of a 29-day month).
 */
export function solarOf(lunar: LunarDate, tz = VN_LUNAR_TIMEZONE): number | undefined {
  const { year, month, day, leap } = lunar
  if (month < 1 || month > 12 || day < 1 || day > 30 || !Number.isInteger(day)) return undefined
  let a11: number
  let b11: number
  if (month < 11) {
    a11 = lunarMonth11(year - 1, tz)
    b11 = lunarMonth11(year, tz)
  } else {
    a11 = lunarMonth11(year, tz)
    b11 = lunarMonth11(year + 1, tz)
  }
  const k = INT(0.5 + (a11 - 2415021.076998695) / SYNODIC)
  let off = month - 11
  if (off < 0) off += 12
  if (b11 - a11 > 365) {
    const leapOff = leapMonthOffset(a11, tz)
    let leapMonth = leapOff - 2
    if (leapMonth < 0) leapMonth += 12
    if (leap && month !== leapMonth) return undefined
    if (leap || off >= leapOff) off += 1
  } else if (leap) {
    return undefined
  }
  const monthStart = newMoonDay(k + off, tz)
  const nextStart = newMoonDay(k + off + 1, tz)
  if (day > nextStart - monthStart) return undefined
  return monthStart + day - 1 - JDN_OF_DAY0
}

/** The leap month (1–12) of a lunar year, or 0 when the year has twelve months. */
export function leapMonthOf(lunarYear: number, tz = VN_LUNAR_TIMEZONE): number {
  for (let m = 1; m <= 12; m++) if (solarOf({ year: lunarYear, month: m, day: 1, leap: true }, tz) !== undefined) return m
  return 0
}

/** Day number of Tết Nguyên Đán (1/1 of the lunar year starting in solar `year`). */
export function tetOf(year: number, tz = VN_LUNAR_TIMEZONE): number {
  // 1/1 always exists.
  return solarOf({ year, month: 1, day: 1, leap: false }, tz) as number
}

const CAN = ['Giáp', 'Ất', 'Bính', 'Đinh', 'Mậu', 'Kỷ', 'Canh', 'Tân', 'Nhâm', 'Quý'] as const
const CHI = ['Tý', 'Sửu', 'Dần', 'Mão', 'Thìn', 'Tỵ', 'Ngọ', 'Mùi', 'Thân', 'Dậu', 'Tuất', 'Hợi'] as const

/** Sexagenary name of a lunar year in Vietnamese, e.g. 2026 → "Bính Ngọ". */
export function lunarYearName(year: number): string {
  return `${CAN[(((year + 6) % 10) + 10) % 10]} ${CHI[(((year + 8) % 12) + 12) % 12]}`
}
