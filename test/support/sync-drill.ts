import { horizonPassed } from './outbox.js'
import crypto from 'node:crypto'
import { sql } from 'kysely'
import { findAgencyById } from '../../src/modules/org/index.js'
import { createAccount } from '../../src/modules/identity/index.js'
import { act, intakeAtCounter, type DossierDeps, type IntakeInput } from '../../src/modules/dossiers/dossier.service.js'
import type { DossierRow } from '../../src/modules/dossiers/index.js'
import type { StaffPrincipal, StaffRole } from '../../src/shared/auth.js'
import type { Clock } from '../../src/shared/clock.js'
import { inTransaction, type Db } from '../../src/shared/database.js'
import { PORTAL_SUBSCRIBER, reconcileWithPortal, httpNationalPortal, type ReconcileReport } from '../../src/modules/sync/index.js'
import { startNationalPortalSimulator, type PortalSimulator } from '../../src/sim/national-portal/index.js'

// Shared by the sync drills (issue 7 acceptance): officers, a lifecycle that many dossiers go
// through step by step, the simulator, and the figures the lead reports.

export const PORTAL_KEY = 'VIDAN-DRILL'
export const PORTAL_SECRET = 'drill-secret-0123456789abcdef'

export async function startDrillPortal(seed = 766): Promise<PortalSimulator> {
  return startNationalPortalSimulator({ key: PORTAL_KEY, secret: PORTAL_SECRET, seed })
}

export const drillPortal = (sim: PortalSimulator, timeoutMs = 300) => httpNationalPortal({ url: sim.url, key: PORTAL_KEY, secret: PORTAL_SECRET, timeoutMs })

async function principal(db: Db, clock: Clock, role: StaffRole, agencyId: string): Promise<StaffPrincipal> {
  const username = `d.${role.replace(/_/g, '')}.${crypto.randomBytes(4).toString('hex')}`
  const fullName = `Cán bộ diễn tập ${role}`
  const { account } = await createAccount({ db, clock, settings: { sessionIdleMinutes: 120, maxFailedLogins: 10, lockMinutes: 15 } }, null, { username, fullName, role, agencyId, password: `Pw-${crypto.randomBytes(8).toString('hex')}` })
  const agency = (await findAgencyById(db, agencyId))!
  return { kind: 'staff', accountId: account.id, sessionId: 'drill', username, fullName, role, agencyId, agencyCode: agency.code, agencyName: agency.name, mustChangePassword: false }
}

const INTAKE: IntakeInput = {
  procedureCode: '1.001193', // Đăng ký khai sinh, commune level
  communeCode: '32002',
  applicant: { fullName: 'Trần Văn Bình', idNumber: '096190001234', phone: '0912345678' },
  decision: 'accept',
  limit: { amount: 3, unit: 'working_days' },
}

/** Officers of one commune and the five steps of a dossier's life (six events: submit and receive come together). */
export async function drillLifecycle(db: Db, clock: Clock) {
  const deps: DossierDeps = { db, clock, provinceCode: '96' }
  const counter = await principal(db, clock, 'counter_officer', 'ttpvhcc-xa-32002')
  const officer = await principal(db, clock, 'processing_officer', 'ubnd-xa-32002')
  const leader = await principal(db, clock, 'agency_leader', 'ubnd-xa-32002')
  const on = (who: StaffPrincipal, d: DossierRow, input: Omit<Parameters<typeof act>[4], 'expectedVersion'>) => inTransaction(db, (trx) => act(trx, deps, who, d.id, { ...input, expectedVersion: d.version }))
  const steps: ((d: DossierRow | undefined) => Promise<DossierRow>)[] = [
    () => inTransaction(db, (trx) => intakeAtCounter(trx, deps, counter, { ...INTAKE, applicant: { ...INTAKE.applicant, fullName: `Trần Văn ${crypto.randomBytes(2).toString('hex')}` } })),
    (d) => on(leader, d!, { action: 'assign', assigneeId: officer.accountId }),
    (d) => on(officer, d!, { action: 'submit_for_approval', note: 'Đủ điều kiện' }),
    (d) => on(leader, d!, { action: 'approve' }),
    (d) => on(counter, d!, { action: 'return_result' }),
  ]
  /** Moves `n` dossiers through their life, one step for all of them at a time; `between(step)` runs after each step. */
  async function run(n: number, between: (step: number) => Promise<void> = async () => undefined): Promise<DossierRow[]> {
    const ds: DossierRow[] = []
    for (let s = 0; s < steps.length; s++) {
      for (let i = 0; i < n; i++) ds[i] = await steps[s]!(ds[i])
      await between(s)
    }
    return ds
  }
  return { run, eventsPerDossier: 6 }
}

export interface DrillFigures {
  dossiers: number
  events: number
  /** Events the portal received, resends included. */
  sentToPortal: number
  callsToPortal: number
  failedAttempts: number
  faults: Record<string, number>
  duplicatesStored: number
  drainMs: number
  reconcileDifferences: number
}

/** The figures of a drill, for the lead's report. */
export async function drillFigures(db: Db, sim: PortalSimulator, ids: string[], drainMs: number, report: ReconcileReport): Promise<DrillFigures> {
  const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_type = 'dossier' AND aggregate_id = ANY(${ids}::text[])`.execute(db)
  const failures = await sql<{ n: number }>`SELECT coalesce(sum(failures), 0)::int AS n FROM outbox_deliveries WHERE subscriber = ${PORTAL_SUBSCRIBER}`.execute(db)
  const s = sim.stats()
  return {
    dossiers: ids.length,
    events: events.rows[0]!.n,
    sentToPortal: s.eventsReceived,
    callsToPortal: s.calls,
    failedAttempts: failures.rows[0]!.n,
    faults: { ...s.faults },
    duplicatesStored: s.duplicatesStored,
    drainMs,
    reconcileDifferences: report.differences.length,
  }
}

export async function pendingFor(db: Db): Promise<{ pending: number; dead: number }> {
  const r = await sql<{ pending: number; dead: number }>`
    SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'dead')::int AS dead
    FROM outbox_deliveries WHERE subscriber = ${PORTAL_SUBSCRIBER}`.execute(db)
  return r.rows[0]!
}

/** Undelivered dossier events: pending or dead deliveries, plus events the fan-out has not reached. */
export async function undelivered(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM outbox_events e
    WHERE e.aggregate_type = 'dossier' AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.subscriber = ${PORTAL_SUBSCRIBER} AND d.event_id = e.id AND d.status = 'delivered')`.execute(db)
  return r.rows[0]!.n
}

/** Rounds of the dispatcher once the horizon has passed everything written. */
export async function drain(db: Db, d: { runUntilIdle(): Promise<unknown> }): Promise<void> {
  await horizonPassed(db)
  await d.runUntilIdle()
}

export { reconcileWithPortal, horizonPassed }
