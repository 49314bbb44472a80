import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DAY_MS, dayNumberOf, vnDayOf, vnMinuteOf } from './calendar.days.js'
import { computeDue, computeDueAt, type DeadlineUnit } from './calendar.deadline.js'
import { bundledOfficial, testSnapshot } from './calendar.fixtures.js'
import type { ScheduleDay } from './calendar.schedule.js'

const cal = testSnapshot()
const official = bundledOfficial()
// Receipts from 2020 to 2035: announced years (2024–2026) and provisional ones around them.
const FROM = dayNumberOf(2020, 1, 1) * DAY_MS
const TO = dayNumberOf(2035, 12, 31) * DAY_MS
const receipt = fc.integer({ min: FROM, max: TO }).map((t) => t - (t % 60_000))
const unit = fc.constantFrom<DeadlineUnit>('working_days', 'calendar_days', 'working_hours')
const amountFor = (u: DeadlineUnit) => (u === 'working_hours' ? fc.integer({ min: 0, max: 480 }) : fc.integer({ min: 0, max: 60 }))
const limit = unit.chain((u) => amountFor(u).map((n) => ({ unit: u, amount: n })))

describe('deadline properties (fast-check)', () => {
  it('a due time is never before the receipt', () => {
    fc.assert(
      fc.property(receipt, limit, (t, l) => {
        expect(computeDueAt(cal, t, l.amount, l.unit)).toBeGreaterThanOrEqual(t)
      }),
      { numRuns: 3000 },
    )
  }, 30_000)

  it('a due time never decreases when the limit grows', () => {
    fc.assert(
      fc.property(receipt, limit, fc.integer({ min: 1, max: 30 }), (t, l, more) => {
        expect(computeDueAt(cal, t, l.amount + more, l.unit)).toBeGreaterThanOrEqual(computeDueAt(cal, t, l.amount, l.unit))
      }),
      { numRuns: 3000 },
    )
  }, 30_000)

  it('for working-day limits it is always 17:00 of a working day', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 0, max: 60 }), (t, n) => {
        const due = computeDueAt(cal, t, n, 'working_days')
        expect(vnMinuteOf(due)).toBe(17 * 60)
        expect(cal.isWorkingDay(vnDayOf(due))).toBe(true)
      }),
      { numRuns: 3000 },
    )
  }, 30_000)

  it('adding a day off never moves a due date earlier', () => {
    fc.assert(
      fc.property(receipt, limit, fc.integer({ min: -5, max: 120 }), (t, l, offset) => {
        const extra = vnDayOf(t) + offset
        const year = new Date(extra * DAY_MS).getUTCFullYear()
        const rows: ScheduleDay[] = [...(official.get(year) ?? []), { day: extra, name: 'Nghỉ thêm', kind: 'holiday', note: '', source: 'test' }]
        // Keep the other years as they are (an announced year stays announced; a provisional one becomes this list).
        const withExtra = testSnapshot({ official: new Map([...official, [year, official.has(year) ? rows : [...provisionalRows(year), rows[rows.length - 1] as ScheduleDay]]]) })
        expect(computeDueAt(withExtra, t, l.amount, l.unit)).toBeGreaterThanOrEqual(computeDueAt(cal, t, l.amount, l.unit))
      }),
      { numRuns: 120 },
    )
  }, 60_000)

  it('a later receipt never gives an earlier due time', () => {
    fc.assert(
      fc.property(receipt, fc.integer({ min: 0, max: 10 * DAY_MS }), limit, (t, later, l) => {
        expect(computeDueAt(cal, t + later, l.amount, l.unit)).toBeGreaterThanOrEqual(computeDueAt(cal, t, l.amount, l.unit))
      }),
      { numRuns: 3000 },
    )
  }, 30_000)

  it('A5: a pause, restarted or resumed, never moves a due time earlier', () => {
    fc.assert(
      fc.property(receipt, limit, fc.integer({ min: 0, max: 20 * DAY_MS }), fc.integer({ min: 0, max: 20 * DAY_MS }), fc.constantFrom<'restart' | 'resume'>('restart', 'resume'), (t, l, start, length, mode) => {
        const plain = computeDueAt(cal, t, l.amount, l.unit)
        const paused = computeDue(cal, { receivedAt: t, amount: l.amount, unit: l.unit, pauses: [{ from: t + start, to: t + start + length, reason: 'bổ sung', mode }] })
        expect(paused.dueAt.getTime()).toBeGreaterThanOrEqual(plain)
      }),
      { numRuns: 3000 },
    )
  }, 30_000)

  it('the explained and the fast path agree', () => {
    fc.assert(
      fc.property(receipt, limit, (t, l) => {
        expect(computeDue(cal, { receivedAt: t, amount: l.amount, unit: l.unit }).dueAt.getTime()).toBe(computeDueAt(cal, t, l.amount, l.unit))
      }),
      { numRuns: 1000 },
    )
  }, 30_000)
})

function provisionalRows(year: number): ScheduleDay[] {
  const days: ScheduleDay[] = []
  for (let d = dayNumberOf(year, 1, 1); d <= dayNumberOf(year, 12, 31); d++) {
    const info = cal.dayInfo(d)
    if (info && info.kind !== 'closure') days.push({ day: d, name: info.name, kind: info.kind, note: '', source: '' })
  }
  return days
}
