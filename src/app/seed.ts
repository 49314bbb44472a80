import type { Clock } from '../shared/clock.js'
import type { Db } from '../shared/database.js'
import { seedCalendar } from '../modules/calendar/index.js'
import { seedCatalog } from '../modules/catalog/index.js'
import { seedDemoStaff, type DemoCredential } from '../modules/identity/index.js'
import { seedOrganisation } from '../modules/org/index.js'

/** Reference data every deployment needs (idempotent). */
export async function seedReference(db: Db): Promise<void> {
  await seedOrganisation(db)
  await seedCalendar(db)
  await seedCatalog(db)
}

/** Reference data plus demo accounts. Never called in production mode. */
export async function seedDemo(db: Db, clock: Clock): Promise<DemoCredential[]> {
  await seedReference(db)
  return seedDemoStaff(db, clock)
}
