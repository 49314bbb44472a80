import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dayNumberOf, isoDateOf, parseIsoDate } from './calendar.days.js'
import { leapMonthOf, lunarOf, lunarYearName, solarOf, tetOf } from './calendar.lunar.js'

const day = (iso: string) => parseIsoDate(iso) as number

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it.each([
    [2024, '2024-02-10', 'Giáp Thìn'],
    [2025, '2025-01-29', 'Ất Tỵ'],
    [2026, '2026-02-17', 'Bính Ngọ'],
    [2027, '2027-02-06', 'Đinh Mùi'],
    [2023, '2023-01-22', 'Quý Mão'],
    [1968, '1968-01-29', 'Mậu Thân'], // North Vietnam moved to UTC+7 in 1967: Tết Mậu Thân came a day before China's
  ])('Tết %i is %s (%s)', (year, iso, name) => {
    expect(isoDateOf(tetOf(year))).toBe(iso)
    expect(lunarYearName(year)).toBe(name)
    expect(lunarOf(day(iso))).toEqual({ year, month: 1, day: 1, leap: false })
  })

  it('differs from the Chinese calendar (UTC+8) where the new moon falls near midnight: Tết 1985 and 2007', () => {
    expect(isoDateOf(tetOf(1985))).toBe('1985-01-21')
    expect(isoDateOf(tetOf(1985, 8))).toBe('1985-02-20')
    expect(isoDateOf(tetOf(2007))).toBe('2007-02-17')
    expect(isoDateOf(tetOf(2007, 8))).toBe('2007-02-18')
    // 1985: Vietnam has leap month 2 where China had leap month 10 of 1984.
    expect(leapMonthOf(1985)).toBe(2)
    expect(leapMonthOf(1984, 8)).toBe(10)
  })

  it.each([
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
  ])('Giỗ Tổ Hùng Vương (10/3 lunar) %i is %s', (year, iso) => {
    expect(isoDateOf(solarOf({ year, month: 3, day: 10, leap: false }) as number)).toBe(iso)
  })

  it.each([
    [2020, 4, '2020-05-23'],
    [2023, 2, '2023-03-22'],
    [2025, 6, '2025-07-25'],
  ])('leap month of %i is month %i, starting %s', (year, month, iso) => {
    expect(leapMonthOf(year)).toBe(month)
    expect(lunarOf(day(iso))).toEqual({ year, month, day: 1, leap: true })
    expect(isoDateOf(solarOf({ year, month, day: 1, leap: true }) as number)).toBe(iso)
  })

  it('has no leap month in 2024 or 2026, and refuses a leap date that does not exist', () => {
    expect(leapMonthOf(2024)).toBe(0)
    expect(leapMonthOf(2026)).toBe(0)
    expect(solarOf({ year: 2026, month: 5, day: 1, leap: true })).toBeUndefined()
    expect(solarOf({ year: 2025, month: 5, day: 1, leap: true })).toBeUndefined()
    expect(solarOf({ year: 2025, month: 13, day: 1, leap: false })).toBeUndefined()
  })

  it('gives every year of 1900–2100 months of 29 or 30 days, 12 or 13 months, and Tết between 21/1 and 20/2', () => {
    for (let y = 1900; y <= 2100; y++) {
      const tet = tetOf(y)
      expect(tet).toBeGreaterThanOrEqual(dayNumberOf(y, 1, 21))
      expect(tet).toBeLessThanOrEqual(dayNumberOf(y, 2, 20))
      const length = tetOf(y + 1) - tet
      const leap = leapMonthOf(y)
      // 12 months: 353–355 days; 13 months: 383–385.
      if (leap) expect(length).toBeGreaterThanOrEqual(383)
      else expect(length).toBeLessThanOrEqual(355)
      for (let m = 1; m <= 12; m++) {
        const start = solarOf({ year: y, month: m, day: 1, leap: false }) as number
        expect(lunarOf(start)).toEqual({ year: y, month: m, day: 1, leap: false })
        expect(lunarOf(start + 28).month).toBe(m)
      }
    }
  }, 30_000)

  it('round-trips every solar day of 1900–2100 (exhaustive), including days when the new moon falls late', () => {
    expect(lunarOf(day('2054-05-07'))).toEqual({ year: 2054, month: 3, day: 30, leap: false })
    expect(lunarOf(day('2062-04-09'))).toEqual({ year: 2062, month: 2, day: 30, leap: false })
    const bad: string[] = []
    for (let d = dayNumberOf(1900, 1, 1), end = dayNumberOf(2100, 12, 31); d <= end; d++) {
      const l = lunarOf(d)
      if (l.day < 1 || l.day > 30 || solarOf(l) !== d) bad.push(isoDateOf(d))
    }
    expect(bad).toEqual([])
  }, 60_000)

  it('round-trips solar → lunar → solar over 1900–2100 (property)', () => {
    const first = dayNumberOf(1900, 1, 31) // 1/1 of the lunar year 1900
    const last = dayNumberOf(2100, 12, 31)
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (d) => {
        const l = lunarOf(d)
        expect(l.day).toBeGreaterThanOrEqual(1)
        expect(l.day).toBeLessThanOrEqual(30)
        expect(solarOf(l)).toBe(d)
      }),
      { numRuns: 5000 },
    )
  }, 30_000)

  it('round-trips lunar → solar → lunar for every existing lunar date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), (year, month, d, leap) => {
        const solar = solarOf({ year, month, day: d, leap })
        if (solar === undefined) {
          // Only a day 30 of a short month, or a leap flag on a month that is not the leap month.
          expect(d === 30 || (leap && leapMonthOf(year) !== month)).toBe(true)
          return
        }
        expect(lunarOf(solar)).toEqual({ year, month, day: d, leap })
      }),
      { numRuns: 5000 },
    )
  }, 30_000)
})
