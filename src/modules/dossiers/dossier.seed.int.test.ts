import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, ManualClock, type TestApp } from '../../../test/support/test-app.js'
import { seedDemoStaff } from '../identity/index.js'
import { seedDemoDossiers, verifyAllChains } from './index.js'
import { sweepDeadlines } from './dossier.service.js'

// Thursday 26/11/2026 10:00 in Vietnam.
const clock = new ManualClock('2026-11-26T03:00:00Z')
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ clock })
  await seedDemoStaff(t.db, clock)
})
afterAll(async () => t?.close())

describe('demo dossiers', () => {
  it('are made through the lifecycle in every state an officer meets, with intact chains, once', async () => {
    expect(await seedDemoDossiers(t.db, clock, '96')).toBe(11)
    const rows = await t.db.selectFrom('dossiers').select(['status', 'code', 'rescheduleCount', 'dueAt', 'receivedAt']).execute()
    const statuses = rows.map((r) => r.status).sort()
    expect(statuses).toEqual(
      ['awaiting_supplement', 'awaiting_supplement_intake', 'decided', 'processing', 'processing', 'processing', 'processing', 'received', 'refused', 'returned', 'submitted'].sort(),
    )
    // Every accepted dossier has a code and a due date from the calendar; the apology moved one appointment.
    for (const r of rows.filter((x) => x.receivedAt)) expect(r.code).toMatch(/^[\w.]+-\d{6}-\d{4}$/)
    expect(rows.filter((r) => r.rescheduleCount === 1)).toHaveLength(1)
    expect(await t.db.selectFrom('dossierApologies').select('status').execute()).toEqual([{ status: 'approved' }])
    const audit = await verifyAllChains(t.db)
    expect(audit.firstBreak).toBeUndefined()
    expect(audit.dossiersChecked).toBe(11)
    // Idempotent: a restart of the demo server adds nothing.
    expect(await seedDemoDossiers(t.db, clock, '96')).toBe(0)
    expect(await t.db.selectFrom('dossiers').select('id').execute()).toHaveLength(11)
  })

  it('include late dossiers that the deadline job marks (A6)', async () => {
    const r = await sweepDeadlines({ db: t.db, clock, provinceCode: '96' })
    expect(r.late).toBeGreaterThanOrEqual(2)
    const late = await t.db.selectFrom('dossiers').select('id').where('lateSince', 'is not', null).execute()
    expect(late.length).toBe(r.late)
  })
})
