import type { Clock } from '../shared/clock.js'
import type { Db } from '../shared/database.js'
import { seedCalendar } from '../modules/calendar/index.js'
import { seedCatalog } from '../modules/catalog/index.js'
import { seedDemoDossiers } from '../modules/dossiers/index.js'
import { seedDemoStaff, type DemoCredential } from '../modules/identity/index.js'
import { seedOrganisation } from '../modules/org/index.js'
import { seedDemoWallets, seedFormDefinitions } from '../modules/online/index.js'
import { seedDemoOutreach } from '../modules/outreach/index.js'
import { systemClock } from '../shared/clock.js'

/**
 * Reference data every deployment needs (idempotent): units, agencies, official calendars.
 * The demo catalogue (102 national records, the 78-procedure demo list with assigned agencies
 * and online levels) is loaded only when asked: a production province imports its own list
 * with `vidan catalog import-province`.
 */
export async function seedReference(db: Db, opts: { demoCatalog: boolean }): Promise<void> {
  await seedOrganisation(db)
  await seedCalendar(db)
  if (opts.demoCatalog) {
    await seedCatalog(db)
    await seedFormDefinitions(db, systemClock)
  }
}

/**
 * Reference data, the demo catalogue, demo accounts, demo community digital teams and, on a database without dossiers, a dozen
 * demo dossiers in every state (made through the lifecycle service). Never called in production mode.
 */
export async function seedDemo(db: Db, clock: Clock, provinceCode: string): Promise<DemoCredential[]> {
  await seedReference(db, { demoCatalog: true })
  const creds = await seedDemoStaff(db, clock)
  await seedDemoDossiers(db, clock, provinceCode)
  await seedDemoOutreach(db, clock)
  await seedDemoWallets(db, clock)
  return creds
}
