import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from './app/config.js'
import { DataDirLockedError, openDatabase } from './app/db.js'
import { migrateToLatest } from './app/migrate.js'
import { seedDemo, seedReference } from './app/seed.js'
import { serve } from './app/server.js'
import { systemClock } from './shared/clock.js'
import { runCatalogCommand } from './modules/catalog/index.js'
import { verifyAllChains } from './modules/dossiers/index.js'
import { runPaymentsCommand } from './modules/payments/index.js'
import { runPaymentSimulatorCommand } from './sim/payment/index.js'
import { runSmsSimulatorCommand } from './sim/sms/index.js'
import { createDispatcher, paymentSettings } from './app/runtime.js'
import { runSyncCommand } from './modules/sync/index.js'
import { runPortalSimulatorCommand } from './sim/national-portal/index.js'

const USAGE = `vidan <command>

Commands:
  serve            start the web server and background jobs
  migrate          bring the database schema up to date
  seed [--demo]    load reference data (and demo accounts with --demo; refused in production)
  catalog …        import the national procedure records and the province's list (vidan catalog help)
  audit verify     check every dossier's event hash chain; names the first broken link
  payments reconcile --date YYYY-MM-DD [--statement FILE]
                   compare the day's online payments with the payment platform's statement
  sim payment [--port N]
                   run the national payment platform simulator on its own port
  sim sms [--port N]
                   run the SMS brandname gateway simulator on its own port (inboxes at /sim)
  sim national-portal [--port N]
                   run the National Public Service Portal simulator on its own port
  sync reconcile | intake
                   compare dossiers with the national portal's view; take in its submissions
  outbox work      run only the outbox dispatcher (a worker beside \`serve\`; PostgreSQL)
`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const config = loadConfig()
  switch (command) {
    case 'serve': {
      const { stop } = await serve(config)
      const shutdown = (signal: string) => {
        console.log(`${signal}: stopping`)
        void stop().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      }
      process.once('SIGINT', () => shutdown('SIGINT'))
      process.once('SIGTERM', () => shutdown('SIGTERM'))
      return -1 // keep running
    }
    case 'migrate': {
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        const applied = await migrateToLatest(h.db)
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date')
      } finally {
        await h.close()
      }
      return 0
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } } })
      if (values.demo && config.VIDAN_MODE === 'production') {
        console.error('seed --demo is refused in production mode: demo accounts must never exist there.')
        return 2
      }
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        await migrateToLatest(h.db)
        if (values.demo) {
          const creds = await seedDemo(h.db, systemClock, config.VIDAN_PROVINCE_CODE)
          console.log(`seeded reference data, ${creds.length} demo accounts and the demo dossiers`)
        } else {
          await seedReference(h.db, { demoCatalog: false })
          console.log('seeded reference data')
        }
      } finally {
        await h.close()
      }
      return 0
    }
    case 'catalog': {
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        await migrateToLatest(h.db)
        const progress = { write: (s: string) => void process.stderr.write(s), tty: process.stderr.isTTY === true }
        return await runCatalogCommand(rest, { db: h.db, clock: systemClock, out: (line) => console.log(line), progress })
      } finally {
        await h.close()
      }
    }
    case 'audit': {
      if (rest[0] !== 'verify') {
        console.log(USAGE)
        return 2
      }
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        const r = await verifyAllChains(h.db)
        if (r.firstBreak) {
          const b = r.firstBreak
          console.error(`audit: BROKEN at dossier ${b.dossierCode ?? b.dossierId}: ${b.kind} at event seq ${b.seq}${'eventId' in b ? ` (event id ${b.eventId})` : ''}; checked ${r.dossiersChecked} dossiers, ${r.eventsChecked} events before it`)
          return 1
        }
        console.log(`audit: OK, ${r.dossiersChecked} dossiers and ${r.eventsChecked} events, every chain intact`)
      } finally {
        await h.close()
      }
      return 0
    }
    case 'payments': {
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        await migrateToLatest(h.db)
        return await runPaymentsCommand(rest, { db: h.db, clock: systemClock, provinceCode: config.VIDAN_PROVINCE_CODE, publicUrl: config.publicUrl, settings: paymentSettings(config), out: (line) => console.log(line) })
      } finally {
        await h.close()
      }
    }
    case 'sim': {
      const sim =
        rest[0] === 'sms'
          ? await runSmsSimulatorCommand(rest.slice(1), { settings: config.sms, out: (line) => console.log(line) })
          : rest[0] === 'national-portal'
          ? await runPortalSimulatorCommand(rest.slice(1), { settings: config.nationalPortal, out: (line) => console.log(line) })
          : await runPaymentSimulatorCommand(rest, { settings: paymentSettings(config), publicUrl: config.publicUrl, out: (line) => console.log(line) })
      if (typeof sim === 'number') return sim
      const shutdown = () => void sim.close().then(() => process.exit(0))
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
      return -1 // keep running
    }
    case 'sync': {
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      try {
        await migrateToLatest(h.db)
        return await runSyncCommand(rest, { db: h.db, clock: systemClock, provinceCode: config.VIDAN_PROVINCE_CODE, settings: config.nationalPortal, out: (line) => console.log(line) })
      } finally {
        await h.close()
      }
    }
    case 'outbox': {
      if (rest[0] !== 'work') {
        console.log(USAGE)
        return 2
      }
      const h = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir })
      await migrateToLatest(h.db)
      const dispatcher = createDispatcher({ config, db: h.db, clock: systemClock })
      let running = true
      const loop = (async () => {
        console.log(`outbox worker ${dispatcher.workerId} started`)
        while (running) {
          const r = await dispatcher.runOnce().catch((e: unknown) => {
            console.error(`outbox worker: ${e instanceof Error ? e.message : String(e)}`)
            return undefined
          })
          if (r && (r.delivered || r.failed || r.dead)) console.log(`outbox worker: delivered ${r.delivered}, failed ${r.failed}, dead ${r.dead}`)
          if (!r || (r.claimed === 0 && r.fannedOut === 0)) await new Promise((res) => setTimeout(res, 200))
        }
      })()
      const shutdown = () => {
        running = false
        void loop.then(() => h.close()).then(() => process.exit(0))
      }
      process.once('SIGINT', shutdown)
      process.once('SIGTERM', shutdown)
      return -1 // keep running
    }
    default:
      console.log(USAGE)
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) {
      console.error(e.message)
      process.exit(2)
    }
    console.error(e)
    process.exit(1)
  },
)
