import { OffsetClock, systemClock } from '../shared/clock.js'
import { disableDemoAccounts } from '../modules/identity/index.js'
import type { Config } from './config.js'
import { openDatabase } from './db.js'
import { serverLoggerOptions } from './logging.js'
import { migrateToLatest } from './migrate.js'
import { startJobs } from './jobs.js'
import { collectJobs, createWebApp, identitySettings } from './runtime.js'
import { seedDemo, seedReference } from './seed.js'

/** `vidan serve`: open the database, migrate, seed, listen. Returns a stop function. */
export async function serve(config: Config): Promise<{ url: string; stop: () => Promise<void> }> {
  const started = performance.now()
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
  const clock = config.VIDAN_CLOCK_START ? new OffsetClock(new Date(config.VIDAN_CLOCK_START)) : systemClock
  try {
    await migrateToLatest(handle.db)
    if (config.VIDAN_MODE === 'demo') {
      const creds = await seedDemo(handle.db, clock, config.VIDAN_PROVINCE_CODE)
      printDemoCredentials(creds)
    } else {
      await seedReference(handle.db, { demoCatalog: false })
      const n = await disableDemoAccounts({ db: handle.db, clock, settings: identitySettings(config) })
      if (n) console.warn(`production mode: disabled ${n} demo account(s) found in the database`)
    }
  } catch (e) {
    await handle.close()
    throw e
  }
  const app = await createWebApp({
    config,
    db: handle.db,
    clock,
    logger: serverLoggerOptions(config),
  })
  const url = await app.listen({ port: config.PORT, host: config.HOST })
  const stopJobs = startJobs(collectJobs({ config, db: handle.db, clock }), app.log)
  const backend = handle.backend === 'pglite' ? `embedded PGlite at ${config.dataDir}` : 'PostgreSQL'
  console.log(`Vì Dân ready at http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT} (${backend}, ${config.VIDAN_MODE} mode) in ${Math.round(performance.now() - started)} ms`)
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      await stopJobs()
      await app.close()
      await handle.close()
    })())
  return { url, stop }
}

function printDemoCredentials(creds: { username: string; password: string; role: string; agencyId: string }[]) {
  console.log('\nTài khoản thử nghiệm / demo accounts (demo mode only):')
  for (const c of creds) console.log(`  ${c.username.padEnd(20)} ${c.password}   ${c.role} @ ${c.agencyId}`)
  console.log('')
}
