import { isOfficialSchedule, readBundledSchedules } from './calendar.csv.js'
import { formatVnIso, parseIsoInstant } from './calendar.days.js'
import type { ScheduleDay } from './calendar.schedule.js'
import { CalendarSnapshot, type Closure, type WorkingHours } from './calendar.snapshot.js'

/** The announced schedules shipped with the code (2024–2026), for tests and benchmarks. */
export function bundledOfficial(): Map<number, ScheduleDay[]> {
  return new Map([...readBundledSchedules().years].filter(([, rows]) => isOfficialSchedule(rows)))
}

/** A Cà Mau snapshot over the bundled schedules, optionally with closures, a commune and other hours. */
export function testSnapshot(opts: { closures?: Closure[]; communeCode?: string; workingHours?: WorkingHours; official?: Map<number, ScheduleDay[]> } = {}): CalendarSnapshot {
  return new CalendarSnapshot({
    provinceCode: '96',
    communeCode: opts.communeCode,
    official: opts.official ?? bundledOfficial(),
    closures: opts.closures ?? [],
    ...(opts.workingHours ? { workingHours: opts.workingHours } : {}),
  })
}

/** Epoch ms of a Vietnam-time 'YYYY-MM-DDTHH:mm' (throws on a typo). */
export function vn(s: string): number {
  const t = parseIsoInstant(s)
  if (t === undefined) throw new Error(`bad test time ${s}`)
  return t
}

/** 'YYYY-MM-DDTHH:mm' in Vietnam time of an instant. */
export function vnShort(t: number | Date): string {
  return formatVnIso(typeof t === 'number' ? t : t.getTime()).slice(0, 16)
}
