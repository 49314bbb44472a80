import { describe, expect, it } from 'vitest'
import { parseIsoDate } from './calendar.days.js'
import { CalendarRangeError, computeDue, computeDueAt, countWorkingDaysBetween, InvalidLimitError, InvalidPauseError, type DeadlineUnit, type Pause } from './calendar.deadline.js'
import { testSnapshot, vn, vnShort } from './calendar.fixtures.js'

const cal = testSnapshot()
const day = (iso: string) => parseIsoDate(iso) as number

/** Due time ('YYYY-MM-DDTHH:mm', Vietnam) of a limit; checks the fast path agrees with the explained one. */
function due(received: string, amount: number, unit: DeadlineUnit, pauses: Pause[] = [], c = cal) {
  const r = computeDue(c, { receivedAt: vn(received), amount, unit, pauses })
  if (!pauses.length) expect(computeDueAt(c, vn(received), amount, unit)).toBe(r.dueAt.getTime())
  return { at: vnShort(r.dueAt), ex: r.explanation }
}

// March 2026 has no day off: Mon 2 … Fri 6, Sat 7, Sun 8, Mon 9.
describe('A4 working days', () => {
  it.each([
    ['A4 (Civil Code Art. 147): the receipt day is not counted; 1 working day is due the next working day at 17:00', '2026-03-02T09:00', 1, '2026-03-03T17:00'],
    ['A4: N working days end at 17:00 (end of working hours) of the N-th working day after the uncounted day', '2026-03-02T09:00', 5, '2026-03-09T17:00'],
    ['A4: a receipt at 16:59 is inside working hours and its day is the uncounted day', '2026-03-02T16:59', 1, '2026-03-03T17:00'],
    ['A4: a receipt before 07:00 moves to 07:00 of the same working day, which stays the uncounted day', '2026-03-02T06:30', 1, '2026-03-03T17:00'],
    ['A4: a receipt in the lunch break moves to 13:30 of the same day', '2026-03-02T12:15', 1, '2026-03-03T17:00'],
    ['A4: a receipt after 17:00 moves to 07:00 of the next working day, which becomes the uncounted day', '2026-03-02T17:30', 1, '2026-03-04T17:00'],
    ['A4: a receipt at exactly 17:00 is outside working hours', '2026-03-02T17:00', 1, '2026-03-04T17:00'],
    ['A4: a receipt on a Saturday moves to 07:00 of Monday, the uncounted day', '2026-03-07T10:00', 1, '2026-03-10T17:00'],
    ['A4: a receipt on a Friday evening skips the weekend', '2026-03-06T20:00', 2, '2026-03-11T17:00'],
    ['A4: a receipt during Tết moves past the whole break', '2026-02-17T09:00', 1, '2026-02-24T17:00'],
    ['A3/A4: the days of the 2026 Tết break (14–22/2) are skipped', '2026-02-12T16:30', 5, '2026-02-26T17:00'],
    ['A2: a make-up Saturday (10/1/2026) is a working day', '2026-01-09T10:00', 1, '2026-01-10T17:00'],
    ['A3: a swapped day off (2/1/2026) and New Year are skipped', '2025-12-31T10:00', 1, '2026-01-05T17:00'],
    ['A3: the 2026 National Day break (29/8–2/9, with 31/8 swapped) is skipped, make-up Saturday 22/8 counts', '2026-08-21T10:00', 2, '2026-08-24T17:00'],
    ['A3: compensatory day 27/4/2026 for Giỗ Tổ on a Sunday is skipped', '2026-04-24T10:00', 1, '2026-04-28T17:00'],
  ])('%s', (_rule, received, n, expected) => {
    expect(due(received, n, 'working_days').at).toBe(expected)
  })

  it('A4: explains the moved receipt, the uncounted day and each skipped day with its reason', () => {
    const { ex } = due('2026-02-13T18:00', 1, 'working_days')
    expect(ex.movedBecause).toBe('outside_working_hours')
    expect(ex.countingStartsAt).toBe('2026-02-23T07:00:00+07:00')
    expect(ex.uncountedDay).toBe('2026-02-23')
    const weekend = due('2026-03-06T10:00', 1, 'working_days').ex
    expect(weekend.uncountedDay).toBe('2026-03-06')
    expect(weekend.skippedDays).toEqual([
      { date: '2026-03-07', reason: 'weekend', name: null, provisional: false },
      { date: '2026-03-08', reason: 'weekend', name: null, provisional: false },
    ])
    const tet = due('2026-02-12T10:00', 2, 'working_days').ex
    expect(tet.skippedDays.map((s) => `${s.date}:${s.reason}`)).toEqual([
      '2026-02-14:weekend_in_break',
      '2026-02-15:weekend_in_break',
      '2026-02-16:holiday',
      '2026-02-17:holiday',
      '2026-02-18:holiday',
      '2026-02-19:holiday',
      '2026-02-20:holiday',
      '2026-02-21:weekend_in_break',
      '2026-02-22:weekend_in_break',
    ])
    expect(tet.steps.at(-1)?.vi).toBe('Hạn trả kết quả: 17:00 23/02/2026.')
  })

  it('A3: a provisional year (2027) is counted by its computed days off, marked provisional', () => {
    // Tết Đinh Mùi: 5/2–9/2/2027 and compensatory 10–11/2 (Sat 6/2 and Sun 7/2 are Tết days).
    const r = due('2027-02-04T10:00', 1, 'working_days')
    expect(r.at).toBe('2027-02-12T17:00')
    expect(r.ex.skippedDays.filter((s) => s.reason === 'compensatory_day_off').map((s) => [s.date, s.provisional])).toEqual([
      ['2027-02-10', true],
      ['2027-02-11', true],
    ])
  })
})

describe('A4 calendar days', () => {
  it.each([
    ['A4 (Art. 147): N calendar days count every day from the day after the receipt', '2026-03-02T09:00', 3, '2026-03-05T17:00'],
    ['A4 (Art. 148): a last day on a Saturday moves to the end of the next working day', '2026-03-02T09:00', 5, '2026-03-09T17:00'],
    ['A4 (Art. 148): a last day in the Tết break moves to the first working day after it', '2026-02-12T10:00', 5, '2026-02-23T17:00'],
    ['A4: a receipt after hours moves to the next working day, which is the uncounted day', '2026-03-02T18:00', 1, '2026-03-04T17:00'],
    ['A4: a last day that is a make-up Saturday stays (it is a working day)', '2026-01-05T10:00', 5, '2026-01-10T17:00'],
  ])('%s', (_rule, received, n, expected) => {
    expect(due(received, n, 'calendar_days').at).toBe(expected)
  })

  it('A4 (Art. 148): says which last day was moved', () => {
    expect(due('2026-03-02T09:00', 5, 'calendar_days').ex.dueDayMovedFrom).toBe('2026-03-07')
    expect(due('2026-03-02T09:00', 3, 'calendar_days').ex.dueDayMovedFrom).toBeNull()
  })
})

describe('A4 working hours', () => {
  it.each([
    ['A4: working hours are counted inside the windows, across the lunch break', '2026-03-02T10:00', 2, '2026-03-02T14:00'],
    ['A4: 8 working hours make one working day', '2026-03-02T10:00', 8, '2026-03-03T10:00'],
    ['A4: hours left at the end of a day continue at 07:00 of the next working day', '2026-03-02T16:00', 4, '2026-03-03T10:00'],
    ['A4: a limit that ends exactly at 17:00 is due at 17:00, not the next morning', '2026-03-02T07:00', 8, '2026-03-02T17:00'],
    ['A4: weekends are not counted in working hours', '2026-03-06T16:00', 2, '2026-03-09T08:00'],
    ['A4: a receipt outside working hours starts at the next working moment', '2026-03-02T18:00', 1, '2026-03-03T08:00'],
    ['A4: a receipt in the lunch break starts at 13:30', '2026-03-02T12:00', 1, '2026-03-02T14:30'],
    ['A4: working hours skip Tết', '2026-02-13T16:00', 2, '2026-02-23T08:00'],
  ])('%s', (_rule, received, n, expected) => {
    expect(due(received, n, 'working_hours').at).toBe(expected)
  })

  it('A4: working hours leave no day uncounted', () => {
    expect(due('2026-03-02T10:00', 2, 'working_hours').ex.uncountedDay).toBeNull()
  })
})

describe('A4 same day (Decree 61 Art. 18)', () => {
  it.each([
    ['A4: a same-day limit received by 15:00 is due at 17:00 the same day', '2026-03-02T14:59', '2026-03-02T17:00', false],
    ['A4: a same-day limit received at exactly 15:00 is still due the same day', '2026-03-02T15:00', '2026-03-02T17:00', false],
    ['A4: a same-day limit received after 15:00 is due at 17:00 of the next working day', '2026-03-02T15:01', '2026-03-03T17:00', true],
    ['A4: received after 15:00 on a Friday, due on Monday', '2026-03-06T15:30', '2026-03-09T17:00', true],
    ['A4: received on a Saturday, due at the end of Monday', '2026-03-07T09:00', '2026-03-09T17:00', false],
    ['A4: received after 17:00, moved to 07:00 of the next working day and due at its end', '2026-03-02T18:00', '2026-03-03T17:00', false],
    ['A4: received before 07:00, due at the end of the same day', '2026-03-02T06:00', '2026-03-02T17:00', false],
  ])('%s', (_rule, received, expected, cutoff) => {
    const r = due(received, 0, 'same_day')
    expect(r.at).toBe(expected)
    expect(r.ex.cutoffApplied).toBe(cutoff)
    expect(r.ex.uncountedDay).toBeNull()
  })

  it('A4: 0 working days is the same-day rule', () => {
    expect(due('2026-03-02T15:30', 0, 'working_days').at).toBe('2026-03-03T17:00')
    expect(due('2026-03-02T10:00', 0, 'calendar_days').at).toBe('2026-03-02T17:00')
  })
})

describe('A5 pauses', () => {
  const supplement = (from: string, to: string, mode: 'restart' | 'resume'): Pause => ({ from: vn(from), to: vn(to), reason: 'Yêu cầu bổ sung (Mẫu 02)', mode })

  it('A5 (Decree 61 Art. 19(4)): a supplement request restarts the limit from zero when the complete supplement arrives', () => {
    const r = due('2026-03-02T09:00', 5, 'working_days', [supplement('2026-03-04T10:00', '2026-03-12T14:00', 'restart')])
    expect(r.at).toBe('2026-03-19T17:00')
    expect(r.ex.uncountedDay).toBe('2026-03-12')
    expect(r.ex.pauses).toEqual([{ from: '2026-03-04T10:00:00+07:00', to: '2026-03-12T14:00:00+07:00', reason: 'Yêu cầu bổ sung (Mẫu 02)', mode: 'restart', applied: true }])
  })

  it('A5: with the "resume" setting the remaining working days continue after the pause', () => {
    // Tuesday 3/3 was used; 4 days remain from Thursday 12/3 (not counted).
    expect(due('2026-03-02T09:00', 5, 'working_days', [supplement('2026-03-04T10:00', '2026-03-12T14:00', 'resume')]).at).toBe('2026-03-18T17:00')
  })

  it('A5: waiting for a payment pauses and resumes working hours to the minute', () => {
    // 2 of 16 hours used on Monday; 14 remain from Tuesday 10:00.
    expect(due('2026-03-02T08:00', 16, 'working_hours', [supplement('2026-03-02T10:00', '2026-03-03T10:00', 'resume')]).at).toBe('2026-03-05T08:00')
  })

  it('A5: resumed calendar days keep the days already used', () => {
    // Tue 3/3 used; paused Wed 4/3 – Mon 9/3; the 4 remaining days count after the resumption day → Fri 13/3.
    expect(due('2026-03-02T09:00', 5, 'calendar_days', [supplement('2026-03-04T10:00', '2026-03-09T10:00', 'resume')]).at).toBe('2026-03-13T17:00')
  })

  it('A5: resumed calendar days that were all used end with the resumption day', () => {
    // 3 calendar days from Mon 2/3 would end Thu 5/3; paused that day with Tue and Wed used, the last day counts after Mon 9/3.
    expect(due('2026-03-02T09:00', 3, 'calendar_days', [supplement('2026-03-05T09:00', '2026-03-09T16:00', 'resume')]).at).toBe('2026-03-10T17:00')
    // Received Fri 6/3; the 2 days (Sat, Sun) ran out over the weekend, the due day moved to Mon 9/3; a pause on Mon leaves nothing.
    expect(due('2026-03-06T09:00', 2, 'calendar_days', [supplement('2026-03-09T08:00', '2026-03-11T16:00', 'resume')]).at).toBe('2026-03-11T17:00')
  })

  it('A5: two pauses apply in order', () => {
    const r = due('2026-03-02T09:00', 5, 'working_days', [supplement('2026-03-03T09:00', '2026-03-04T09:00', 'restart'), supplement('2026-03-05T09:00', '2026-03-06T09:00', 'restart')])
    expect(r.at).toBe('2026-03-13T17:00')
    expect(r.ex.pauses.map((p) => p.applied)).toEqual([true, true])
  })

  it('A5: a pause that begins after the due time is recorded but changes nothing', () => {
    const r = due('2026-03-02T09:00', 1, 'working_days', [supplement('2026-03-05T09:00', '2026-03-10T09:00', 'restart')])
    expect(r.at).toBe('2026-03-03T17:00')
    expect(r.ex.pauses[0]?.applied).toBe(false)
  })

  it('A5: rejects a pause that ends before it starts, starts before the receipt or overlaps another', () => {
    const go = (pauses: Pause[]) => () => computeDue(cal, { receivedAt: vn('2026-03-02T09:00'), amount: 5, unit: 'working_days', pauses })
    expect(go([supplement('2026-03-04T10:00', '2026-03-03T10:00', 'restart')])).toThrow(InvalidPauseError)
    expect(go([supplement('2026-03-01T10:00', '2026-03-03T10:00', 'restart')])).toThrow(InvalidPauseError)
    expect(go([supplement('2026-03-03T10:00', '2026-03-05T10:00', 'restart'), supplement('2026-03-04T10:00', '2026-03-06T10:00', 'restart')])).toThrow(InvalidPauseError)
  })
})

describe('closures, working hours setting, limits', () => {
  it('A3: a closure declared for a commune is skipped there and nowhere else', () => {
    const closure = { id: 'c1', from: day('2026-03-03'), to: day('2026-03-04'), communes: ['32002'], reason: 'Bão số 9' }
    const there = testSnapshot({ closures: [closure], communeCode: '32002' })
    const elsewhere = testSnapshot({ closures: [closure], communeCode: '31825' })
    const r = due('2026-03-02T09:00', 1, 'working_days', [], there)
    expect(r.at).toBe('2026-03-05T17:00')
    expect(r.ex.skippedDays).toEqual([
      { date: '2026-03-03', reason: 'closure', name: 'Bão số 9', provisional: false },
      { date: '2026-03-04', reason: 'closure', name: 'Bão số 9', provisional: false },
    ])
    expect(due('2026-03-02T09:00', 1, 'working_days', [], elsewhere).at).toBe('2026-03-03T17:00')
  })

  it('A2: working hours are a setting per province', () => {
    const c = testSnapshot({ workingHours: { windows: [[450, 690], [780, 990]], sameDayCutoff: 900 } })
    expect(due('2026-03-02T09:00', 1, 'working_days', [], c).at).toBe('2026-03-03T16:30')
    expect(due('2026-03-02T07:10', 1, 'working_hours', [], c).at).toBe('2026-03-02T08:30')
    expect(due('2026-03-02T11:45', 1, 'working_hours', [], c).at).toBe('2026-03-02T14:00')
  })

  it('counts working days with both ends included', () => {
    expect(countWorkingDaysBetween(cal, day('2026-03-02'), day('2026-03-08'))).toBe(5)
    expect(countWorkingDaysBetween(cal, day('2026-02-14'), day('2026-02-22'))).toBe(0)
    expect(countWorkingDaysBetween(cal, day('2026-01-10'), day('2026-01-10'))).toBe(1)
    expect(countWorkingDaysBetween(cal, day('2026-01-01'), day('2026-12-31'))).toBe(250)
  })

  it('rejects negative, fractional and absurd amounts, and instants outside 1900–2100', () => {
    const go = (amount: number, unit: DeadlineUnit, at = '2026-03-02T09:00') => () => computeDue(cal, { receivedAt: vn(at), amount, unit })
    expect(go(-1, 'working_days')).toThrow(InvalidLimitError)
    expect(go(1.5, 'working_days')).toThrow(InvalidLimitError)
    expect(go(100000, 'calendar_days')).toThrow(InvalidLimitError)
    expect(go(1, 'same_day')).toThrow(InvalidLimitError)
    expect(go(1, 'fortnights' as DeadlineUnit)).toThrow(InvalidLimitError)
    expect(go(1, 'working_days', '1899-12-31T10:00')).toThrow(CalendarRangeError)
    expect(go(1, 'working_days', '2102-01-01T10:00')).toThrow(CalendarRangeError)
    expect(due('2100-12-31T10:00', 5, 'working_days').at).toMatch(/^2101-01-\d\dT17:00$/)
  })
})

describe('A4 + A5 together (found by the property test)', () => {
  it('A4 same-day cut-off still applies when a zero-day limit restarts after a pause (A5)', () => {
    // Mon 30/01/2023 15:01: after the 15:00 cut-off, so due at the end of the next working day.
    const received = vn('2023-01-30T15:01')
    const plain = computeDueAt(cal, received, 0, 'calendar_days')
    expect(vnShort(plain)).toBe('2023-01-31T17:00')
    const paused = computeDue(cal, { receivedAt: received, amount: 0, unit: 'calendar_days', pauses: [{ from: received, to: received, reason: 'bổ sung', mode: 'restart' }] })
    expect(vnShort(paused.dueAt)).toBe('2023-01-31T17:00')
  })
})
