import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BUNDLED_HOLIDAYS_CSV, isOfficialSchedule, parseScheduleCsv, readBundledSchedules } from './calendar.csv.js'
import { dayNumberOf, isoDateOf, isWeekend, weekdayOf } from './calendar.days.js'
import { provisionalSchedule } from './calendar.schedule.js'
import { solarOf, tetOf } from './calendar.lunar.js'

const list = (year: number) => provisionalSchedule(year).days.map((d) => `${isoDateOf(d.day)} ${d.kind}`)

describe('A3 provisional schedule', () => {
  it('A3: 2027 (no announced schedule) gets the statutory days, Tết as the last day of the old year and four of the new, and compensatory days', () => {
    expect(list(2027)).toEqual([
      '2027-01-01 holiday',
      '2027-02-05 holiday', // 30 Tết (last day of Bính Ngọ)
      '2027-02-06 holiday', // Mùng 1 Đinh Mùi, a Saturday
      '2027-02-07 holiday', // a Sunday
      '2027-02-08 holiday',
      '2027-02-09 holiday',
      '2027-02-10 compensatory_day_off',
      '2027-02-11 compensatory_day_off',
      '2027-04-16 holiday', // Giỗ Tổ 10/3 lunar
      '2027-04-30 holiday',
      '2027-05-01 holiday', // a Saturday
      '2027-05-03 compensatory_day_off',
      '2027-09-02 holiday', // a Thursday: the adjacent day is 3/9
      '2027-09-03 holiday',
    ])
    expect(provisionalSchedule(2027).provisional).toBe(true)
  })

  it('A3: National Day adds 3/9 when 2/9 is a Monday or a Thursday, else 1/9', () => {
    for (let y = 1950; y <= 2100; y++) {
      const nd = dayNumberOf(y, 9, 2)
      const w = weekdayOf(nd)
      const days = new Set(provisionalSchedule(y).days.filter((d) => d.kind === 'holiday').map((d) => d.day))
      expect(days.has(nd)).toBe(true)
      expect(days.has(w === 1 || w === 4 ? nd + 1 : nd - 1)).toBe(true)
    }
  })

  it('A3: the five Tết days are the last day of the lunar year and 1–4 of the new one; Giỗ Tổ is 10/3 lunar', () => {
    for (let y = 2027; y <= 2035; y++) {
      const holidays = provisionalSchedule(y).days.filter((d) => d.kind === 'holiday').map((d) => d.day)
      const tet = tetOf(y)
      for (let i = -1; i <= 3; i++) expect(holidays).toContain(tet + i)
      expect(holidays).toContain(solarOf({ year: y, month: 3, day: 10, leap: false }))
      expect(holidays).toHaveLength(11) // 1/1, 5 Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and its adjacent day
    }
  })

  it('A3 (Labour Code Art. 111(3)): each holiday on a weekend gives the next day that is neither a weekend day nor another day off', () => {
    for (let y = 1900; y <= 2100; y++) {
      const s = provisionalSchedule(y).days
      const weekendHolidays = s.filter((d) => d.kind === 'holiday' && isWeekend(d.day)).length
      const comp = s.filter((d) => d.kind === 'compensatory_day_off')
      expect(comp).toHaveLength(weekendHolidays)
      const off = new Set(s.map((d) => d.day))
      expect(off.size).toBe(s.length) // no day twice
      for (const c of comp) expect(isWeekend(c.day)).toBe(false)
    }
    // 2028: 1/1 is a Saturday → Monday 3/1.
    expect(list(2028)).toContain('2028-01-03 compensatory_day_off')
  })
})

describe('announced schedules (holidays.csv)', () => {
  it('the bundled copy is holidays.csv with its columns and sources', () => {
    const text = fs.readFileSync(BUNDLED_HOLIDAYS_CSV, 'utf8')
    expect(text.split(/\r?\n/)[0]).toBe('date,name,kind,weekday,note,source')
    const b = readBundledSchedules()
    expect([...b.years.keys()]).toEqual([2024, 2025, 2026, 2027])
    expect(b.years.get(2026)?.every((r) => r.source.length > 0)).toBe(true)
  })

  const shared = new URL('../../../../shared/data/holidays.csv', import.meta.url)
  it.skipIf(!fs.existsSync(shared))('the bundled copy is identical to shared/data/holidays.csv (when that folder is present)', () => {
    expect(fs.readFileSync(BUNDLED_HOLIDAYS_CSV, 'utf8')).toBe(fs.readFileSync(shared, 'utf8'))
  })

  it('2024–2026 are announced schedules; 2027 holds notes only and stays provisional', () => {
    const b = readBundledSchedules()
    expect(isOfficialSchedule(b.years.get(2026) ?? [])).toBe(true)
    expect(isOfficialSchedule(b.years.get(2027) ?? [])).toBe(false)
    const y2026 = b.years.get(2026) ?? []
    expect(y2026.find((r) => isoDateOf(r.day) === '2026-11-24')?.kind).toBe('proposed_holiday')
    expect(y2026.filter((r) => r.kind === 'makeup_workday').map((r) => isoDateOf(r.day))).toEqual(['2026-01-10', '2026-08-22'])
  })

  it('reports every problem of an uploaded CSV with its line', () => {
    const csv = [
      'date,name,kind,weekday,note,source',
      '2027-02-30,Ngày không có,holiday,,,',
      '2027-02-08,Tết,holiday,Sun,,', // 8/2/2027 is a Monday
      '2027-02-08,Tết lặp,holiday,,,',
      '2027-02-09,,vacation,,,',
      '2027-02-10,Làm bù,makeup_workday,,,', // a Wednesday
      '2027-02-13,Hoán đổi,swapped_day_off,,,', // a Saturday
    ].join('\n')
    const r = parseScheduleCsv(csv)
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 5, 6, 7])
    expect(r.problems[0]?.message).toContain('2027-02-30')
  })

  it('refuses a CSV without the required columns, or with no rows', () => {
    expect(parseScheduleCsv('ngay,ten\n2027-01-01,x').problems[0]?.message).toContain('Thiếu cột')
    expect(parseScheduleCsv('date,name,kind\n').problems).toHaveLength(1)
    expect(parseScheduleCsv('date,name,kind\n"2027-01-01,x').problems[0]?.message).toContain('CSV')
  })
})
