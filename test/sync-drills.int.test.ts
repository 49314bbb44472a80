import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openPostgres, type DatabaseHandle } from '../src/app/db.js'
import { portalSubscriber, reconcileWithPortal, type SyncDeps } from '../src/modules/sync/index.js'
import type { PortalSimulator } from '../src/sim/national-portal/index.js'
import { systemClock } from '../src/shared/clock.js'
import { createOutboxDispatcher } from '../src/shared/outbox-dispatcher.js'
import { dropDatabase } from './support/drop-database.js'
import { drillFigures, drillLifecycle, drillPortal, pendingFor, PORTAL_KEY, PORTAL_SECRET, startDrillPortal, undelivered } from './support/sync-drill.js'
import { backend, createTestDatabase } from './support/test-db.js'

// The two drills of issue 7's acceptance: nothing is lost when the national portal fails for a
// while, nor when a worker process is killed mid-delivery. After recovery every event is at the
// portal, in order per dossier (DOMAIN B §12.2: the receipt event first, each step as it happens),
// with no duplicate stored there, and reconciliation finds zero differences.

const ROOT = path.resolve(import.meta.dirname, '..')
const N = 20

async function waitFor(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now()
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return Date.now() - start
}

function expectAllInOrder(sim: PortalSimulator, report: Awaited<ReturnType<typeof reconcileWithPortal>>, dossiers: { code: string | null }[]) {
  expect(report.differences).toEqual([])
  expect(sim.stats().duplicatesStored).toBe(0)
  for (const d of dossiers) {
    const held = sim.dossiers().get(d.code!)
    expect(held, d.code!).toBeDefined()
    // Six events, B §2.3.1 codes in the order they happened: 1 submitted, 2 received, 4 processing (assign, submit for approval), 9 decided, 10 returned.
    expect(held!.events.map((e) => e.TrangThai)).toEqual([1, 2, 4, 4, 9, 10])
    expect(held!.record.TrangThaiHoSo).toBe(10)
  }
}

describe('portal outage drill', () => {
  let handle: DatabaseHandle
  let sim: PortalSimulator
  beforeAll(async () => {
    handle = await createTestDatabase()
    sim = await startDrillPortal()
  })
  afterAll(async () => {
    await sim?.close()
    await handle?.close()
  })

  it('loses nothing while the portal fails (5xx, timeouts, dropped connections) and drains in order after recovery', async () => {
    const { db } = handle
    const deps: SyncDeps = { db, clock: systemClock, provinceCode: '96', portal: drillPortal(sim, 300) }
    // Delays scaled down for the test; attempts high enough that an outage of the drill's length never dead-letters.
    const dispatcher = createOutboxDispatcher({ db, clock: systemClock, subscribers: [portalSubscriber(deps)], baseDelayMs: 20, maxDelayMs: 300, maxAttempts: 1000, concurrency: 4, leaseMs: 5_000 })
    const lifecycle = await drillLifecycle(db, systemClock)

    // Steps 1–2 during a full outage, steps 3–5 while the portal is flaky, the dispatcher running throughout.
    sim.setFaults({ http5xx: 1 })
    const dossiers = await lifecycle.run(N, async (step) => {
      if (step === 2) sim.setFaults({ http5xx: 0.2, timeout: 0.1, drop: 0.3 })
      await dispatcher.runOnce()
    })
    await dispatcher.runOnce()
    expect(sim.stats().faults.http5xx).toBeGreaterThan(0)
    expect(sim.stats().faults.drop).toBeGreaterThan(0)
    expect(await undelivered(db)).toBeGreaterThan(0)

    sim.setFaults({ http5xx: 0, timeout: 0, drop: 0 })
    const drainMs = await waitFor(
      'the outbox to drain',
      async () => {
        await dispatcher.runUntilIdle(20)
        return (await undelivered(db)) === 0
      },
      60_000,
    )
    expect(await pendingFor(db)).toEqual({ pending: 0, dead: 0 })
    const report = await reconcileWithPortal(deps, { dossierIds: dossiers.map((d) => d.id) })
    expectAllInOrder(sim, report, dossiers)
    const figures = await drillFigures(db, sim, dossiers.map((d) => d.id), drainMs, report)
    expect(figures.events).toBe(N * lifecycle.eventsPerDossier)
    expect(figures.failedAttempts).toBeGreaterThan(0)
    console.log(`DRILL outage (${backend()}): ${JSON.stringify(figures)}`)
  })
})

/** A copy of the PostgreSQL template whose URL a child process can use. */
async function postgresCopy(): Promise<{ url: string; handle: DatabaseHandle; drop: () => Promise<void> }> {
  const templateUrl = new URL(inject('pgTemplateUrl'))
  const name = `vidan_drill_${crypto.randomBytes(6).toString('hex')}`
  const admin = new URL(templateUrl)
  admin.pathname = '/postgres'
  const a = new pg.Client({ connectionString: admin.toString() })
  await a.connect()
  await a.query(`CREATE DATABASE ${name} TEMPLATE ${templateUrl.pathname.slice(1)}`)
  await a.end()
  const url = new URL(templateUrl)
  url.pathname = `/${name}`
  const handle = openPostgres(url.toString(), 5)
  return {
    url: url.toString(),
    handle,
    drop: async () => {
      await handle.close()
      const c = new pg.Client({ connectionString: admin.toString() })
      await c.connect()
      try {
        await dropDatabase(c, name)
      } finally {
        await c.end()
      }
    },
  }
}

describe.runIf(backend() === 'postgres')('crash drill', () => {
  let copy: Awaited<ReturnType<typeof postgresCopy>>
  let sim: PortalSimulator
  const children: ChildProcess[] = []
  beforeAll(async () => {
    copy = await postgresCopy()
    sim = await startDrillPortal(7)
  })
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    await sim?.close()
    await copy?.drop()
  })

  function worker(): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/vidan.js'), 'outbox', 'work'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: copy.url,
        VIDAN_NATIONAL_PORTAL_URL: sim.url,
        VIDAN_NATIONAL_PORTAL_KEY: PORTAL_KEY,
        VIDAN_NATIONAL_PORTAL_SECRET: PORTAL_SECRET,
        VIDAN_NATIONAL_PORTAL_TIMEOUT_MS: '500',
        VIDAN_OUTBOX_LEASE_MS: '1500',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
    return { child, output: () => out }
  }

  it('loses nothing when the worker process is killed with SIGKILL mid-delivery and restarted', async () => {
    const { db } = copy.handle
    const deps: SyncDeps = { db, clock: systemClock, provinceCode: '96', portal: drillPortal(sim, 2_000) }
    const lifecycle = await drillLifecycle(db, systemClock)
    const dossiers = await lifecycle.run(N)
    const total = N * lifecycle.eventsPerDossier
    // Slow answers, so that the kill lands while calls are in flight; some drops for resends.
    sim.setFaults({ slowMs: 15, drop: 0.1 })

    const first = worker()
    await waitFor('the worker to deliver part of the events', async () => sim.stats().eventsReceived >= total / 3, 90_000)
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    const atKill = { received: sim.stats().eventsReceived, undelivered: await undelivered(db) }
    expect(atKill.undelivered).toBeGreaterThan(0)

    const recoveredAt = Date.now()
    const second = worker()
    await waitFor('the restarted worker to drain the outbox', async () => (await undelivered(db)) === 0, 120_000)
    const drainMs = Date.now() - recoveredAt
    second.child.kill('SIGTERM')
    await new Promise((r) => second.child.once('exit', r))
    expect(second.output()).toContain('outbox worker')

    expect(await pendingFor(db)).toEqual({ pending: 0, dead: 0 })
    const report = await reconcileWithPortal(deps, { dossierIds: dossiers.map((d) => d.id) })
    expectAllInOrder(sim, report, dossiers)
    const figures = await drillFigures(db, sim, dossiers.map((d) => d.id), drainMs, report)
    console.log(`DRILL crash (postgres): ${JSON.stringify({ ...figures, receivedBeforeKill: atKill.received, undeliveredAtKill: atKill.undelivered })}`)
  }, 240_000)
})
