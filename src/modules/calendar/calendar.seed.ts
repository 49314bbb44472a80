import { systemClock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { seedSchedules } from './calendar.service.js'

/** Loads the announced schedules shipped in data/calendar/holidays.csv (2024–2026); idempotent. */
export async function seedCalendar(db: Db): Promise<void> {
  // Seeding runs at boot, outside any request: the system clock only stamps the history row.
  await seedSchedules({ db, clock: systemClock })
}
