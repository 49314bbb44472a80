import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'
import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import { inTransaction } from '../../shared/database.js'
import { findAgencyById } from '../org/index.js'
import { verifyAllChains } from './index.js'
import { formatDossierCode } from './dossier.code.js'
import { getDossier, lockDossier, saveTransition, type DossierRow } from './dossier.repo.js'
import { act, intakeAtCounter, submitOnline, type DossierDeps, type IntakeInput } from './dossier.service.js'

// The write path of a transition in one statement (issue 5 §1, §10): what it must still guarantee.

// Friday 27/11/2026 09:00 in Vietnam.
const clock = new ManualClock('2026-11-27T02:00:00Z')
let t: TestApp
let deps: DossierDeps
let counter: StaffPrincipal
let officer: StaffPrincipal
let leader: StaffPrincipal

const BIRTH = '1.001193' // Đăng ký khai sinh, commune level
const INTAKE: IntakeInput = {
  procedureCode: BIRTH,
  communeCode: '32002',
  applicant: { fullName: 'Trần Văn Bình', idNumber: '096190001234', phone: '0912345678' },
  decision: 'accept',
  limit: { amount: 3, unit: 'working_days' },
}

async function principal(role: StaffRole, agencyId: string): Promise<StaffPrincipal> {
  const f = await staffFixture(t, role, agencyId)
  const agency = (await findAgencyById(t.db, agencyId))!
  return { kind: 'staff', accountId: f.id, sessionId: 'test', username: f.username, fullName: `Cán bộ thử ${role}`, role, agencyId, agencyCode: agency.code, agencyName: agency.name, mustChangePassword: false }
}

const intake = (input: IntakeInput = INTAKE) => inTransaction(t.db, (trx) => intakeAtCounter(trx, deps, counter, input))
const count = async (table: 'dossierEvents' | 'outboxEvents' | 'dossierSteps') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
const counts = async () => ({ events: await count('dossierEvents'), outbox: await count('outboxEvents'), steps: await count('dossierSteps') })

beforeAll(async () => {
  t = await createTestApp({ clock })
  deps = { db: t.db, clock, provinceCode: '96' }
  counter = await principal('counter_officer', 'ttpvhcc-xa-32002')
  officer = await principal('processing_officer', 'ubnd-xa-32002')
  leader = await principal('agency_leader', 'ubnd-xa-32002')
})
afterAll(async () => t?.close())

describe('the daily code taken in the intake statement (DOMAIN A7)', () => {
  it('writes numbers past 9999 as formatDossierCode does, and the database hashes the receipt event as the chain expects', async () => {
    clock.set('2026-12-01T02:00:00Z')
    await sql`INSERT INTO dossier_code_counters (agency_code, day, last_seq) VALUES (${counter.agencyCode}, '2026-12-01', 9998)`.execute(t.db)
    const a = await intake()
    const b = await intake()
    expect(a.code).toBe(formatDossierCode(counter.agencyCode, clock.now(), 9999))
    expect(b.code).toBe(formatDossierCode(counter.agencyCode, clock.now(), 10000))
    expect(b.code).toMatch(/-10000$/)
    const receipt = await t.db.selectFrom('dossierEvents').selectAll().where('dossierId', '=', b.id).where('action', '=', 'receive').executeTakeFirstOrThrow()
    expect(receipt.content).toContain(`mã ${b.code}`)
    expect(receipt.data).toMatchObject({ code: b.code })
    expect(receipt.hash).toBe(b.lastEventHash)
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })

  it('gives the number of a receipt rolled back to the next one: no gap', async () => {
    clock.set('2026-12-02T02:00:00Z')
    const first = await intake()
    const failed = inTransaction(t.db, async (trx) => {
      await intakeAtCounter(trx, deps, counter, INTAKE)
      throw new Error('the counter officer cancels')
    })
    await expect(failed).rejects.toThrow('cancels')
    const next = await intake()
    expect([first.code!.slice(-4), next.code!.slice(-4)]).toEqual(['0001', '0002'])
  })

  it('announces both first events with the real code, never the stand-in, and the payload fields consumers read', async () => {
    clock.set('2026-12-03T02:00:00Z')
    const d = await intake()
    const rows = await t.db.selectFrom('outboxEvents').select(['topic', 'payload']).where('aggregateId', '=', d.id).orderBy('id').execute()
    expect(rows.map((r) => r.topic)).toEqual(['dossier.submit', 'dossier.receive'])
    for (const r of rows) {
      const p = r.payload as Record<string, unknown>
      expect(Object.keys(p).sort()).toEqual(['action', 'actor', 'appointmentAt', 'code', 'content', 'data', 'dossierId', 'dueAt', 'fromStatus', 'nationalStatusCode', 'occurredAt', 'reason', 'seq', 'status', 'stepDueAt'])
      expect(p['code']).toBe(d.code)
      expect(JSON.stringify(p)).not.toContain('@@')
    }
    expect(rows[1]!.payload).toMatchObject({ seq: 2, status: 'received', nationalStatusCode: 2, data: { code: d.code }, dueAt: d.dueAt!.toISOString() })
  })
})

describe('a transition in one statement', () => {
  it('writes nothing when the version guard fails: no event, no outbox row, no step', async () => {
    const d = await intake()
    const { dossier: stale, openSteps } = await inTransaction(t.db, (trx) => lockDossier(trx, d.id))
    await inTransaction(t.db, (trx) => act(trx, deps, leader, d.id, { action: 'assign', expectedVersion: d.version, assigneeId: officer.accountId }))
    const before = await counts()
    const handle = openSteps.filter((s) => s.kind === 'handle').map((s) => ({ ...s, note: 'stale' }))
    const write = inTransaction(t.db, (trx) =>
      saveTransition(trx, stale, { currentAssigneeId: null }, { action: 'reassign', from: stale.status, to: 'processing', actor: { id: leader.accountId, name: leader.fullName, role: leader.role, agencyId: leader.agencyId }, content: 'x', at: clock.now() }, { update: handle }),
    )
    await expect(write).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' })
    expect(await counts()).toEqual(before)
    expect((await getDossier(t.db, d.id)).currentAssigneeId).toBe(officer.accountId)
  })

  it('undoes everything when a step it closes was completed meanwhile', async () => {
    const d = await intake()
    const assigned = await inTransaction(t.db, (trx) => act(trx, deps, leader, d.id, { action: 'assign', expectedVersion: d.version, assigneeId: officer.accountId }))
    const before = await counts()
    const write = inTransaction(t.db, async (trx) => {
      const l = await lockDossier(trx, d.id)
      const done = { ...l.openSteps.find((s) => s.kind === 'handle')!, seq: 1 } // seq 1: the receipt step, completed at intake
      return saveTransition(trx, l.dossier, {}, { action: 'answer_consultation', from: l.dossier.status, to: l.dossier.status, actor: { id: officer.accountId, name: officer.fullName, role: officer.role, agencyId: officer.agencyId }, content: 'x', at: clock.now() }, { update: [done] })
    })
    await expect(write).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' })
    expect(await counts()).toEqual(before)
    expect((await getDossier(t.db, d.id)).version).toBe(assigned.version)
  })

  it('hands over steps as form 06 records them, through the whole lifecycle, and the chain verifies', async () => {
    let d: DossierRow = await intake()
    const step = (action: Parameters<typeof act>[4]['action'], who: StaffPrincipal, extra: object = {}) =>
      inTransaction(t.db, (trx) => act(trx, deps, who, d.id, { action, expectedVersion: d.version, ...extra }))
    d = await step('assign', leader, { assigneeId: officer.accountId })
    d = await step('consult', officer, { agencyId: 'so-tu-phap', amount: 2 })
    d = await step('answer_consultation', officer, { note: 'Đồng ý' })
    d = await step('submit_for_approval', officer)
    d = await step('approve', leader)
    d = await step('return_result', counter)
    const steps = await t.db.selectFrom('dossierSteps').selectAll().where('dossierId', '=', d.id).orderBy('seq').execute()
    expect(steps.map((s) => [s.kind, s.completedAt !== null])).toEqual([
      ['receive', true],
      ['handle', true],
      ['consult', true],
      ['approve', true],
      ['return', true],
    ])
    expect(steps[1]).toMatchObject({ assigneeId: officer.accountId, receivedBy: officer.accountId, givenBy: leader.accountId, outcome: 'early' })
    expect(steps[2]).toMatchObject({ agencyId: 'so-tu-phap', note: 'Đồng ý' })
    expect(d).toMatchObject({ status: 'returned', version: 7, lastEventSeq: 8 })
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })
})

describe('every way in and out writes its steps, events and outbox rows together', () => {
  const stepsOf = (id: string) => t.db.selectFrom('dossierSteps').selectAll().where('dossierId', '=', id).orderBy('seq').execute()
  const eventsOf = (id: string) => t.db.selectFrom('dossierEvents').select(['action', 'data']).where('dossierId', '=', id).orderBy('seq').execute()
  const topicsOf = async (id: string) => (await t.db.selectFrom('outboxEvents').select('topic').where('aggregateId', '=', id).orderBy('id').execute()).map((r) => r.topic)

  it('refuses at the counter (form 03) and asks for a supplement before receipt (form 02): no code, no step', async () => {
    clock.set('2026-12-07T02:00:00Z')
    const refused = await intake({ ...INTAKE, decision: 'refuse', reason: 'Không thuộc thẩm quyền' })
    expect(refused).toMatchObject({ status: 'refused', code: null, lastEventSeq: 2 })
    expect(await topicsOf(refused.id)).toEqual(['dossier.submit', 'dossier.refuse'])
    const asked = await intake({ ...INTAKE, decision: 'supplement', reason: 'Thiếu giấy tờ', missing: ['Giấy chứng sinh'] })
    expect(asked).toMatchObject({ status: 'awaiting_supplement_intake', code: null })
    expect((await eventsOf(asked.id))[1]).toMatchObject({ action: 'request_supplement_intake', data: { missing: ['Giấy chứng sinh'] } })
    expect(await stepsOf(refused.id)).toEqual([])
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })

  it('receives an online submission at the desk: the code then, and the handling steps', async () => {
    clock.set('2026-12-08T02:00:00Z')
    const { procedureCode, communeCode, applicant, limit } = INTAKE
    const submitted = await inTransaction(t.db, (trx) => submitOnline(trx, deps, { id: null, name: applicant.fullName, role: 'applicant', agencyId: null }, { procedureCode, communeCode, applicant, limit }))
    expect(submitted).toMatchObject({ status: 'submitted', code: null, receivingAgencyId: 'ubnd-xa-32002' })
    const desk = await principal('counter_officer', 'ubnd-xa-32002')
    const received = await inTransaction(t.db, (trx) => act(trx, deps, desk, submitted.id, { action: 'receive', expectedVersion: submitted.version }))
    expect(received).toMatchObject({ status: 'received', code: formatDossierCode(desk.agencyCode, clock.now(), 1), currentAgencyId: 'ubnd-xa-32002' })
    expect((await stepsOf(received.id)).map((x) => [x.seq, x.kind, x.completedAt !== null])).toEqual([
      [1, 'receive', true],
      [2, 'handle', false],
    ])
    expect(await topicsOf(received.id)).toEqual(['dossier.submit', 'dossier.receive'])
  })

  it('transfers to another agency (one hand-over) and is withdrawn (every open step closed)', async () => {
    let d = await intake()
    d = await inTransaction(t.db, (trx) => act(trx, deps, leader, d.id, { action: 'assign', expectedVersion: d.version, assigneeId: officer.accountId }))
    d = await inTransaction(t.db, (trx) => act(trx, deps, officer, d.id, { action: 'transfer', expectedVersion: d.version, agencyId: 'so-tu-phap', reason: 'Thuộc thẩm quyền Sở' }))
    expect(d).toMatchObject({ currentAgencyId: 'so-tu-phap', currentAssigneeId: null })
    d = await inTransaction(t.db, (trx) => act(trx, deps, counter, d.id, { action: 'withdraw', expectedVersion: d.version }))
    expect(d.status).toBe('withdrawn')
    const steps = await stepsOf(d.id)
    expect(steps.map((x) => [x.kind, x.agencyId, x.completedAt !== null])).toEqual([
      ['receive', 'ttpvhcc-xa-32002', true],
      ['handle', 'ubnd-xa-32002', true],
      ['handle', 'so-tu-phap', true],
    ])
    expect(steps[1]!.note).toContain('Chuyển đến')
    expect(await topicsOf(d.id)).toEqual(['dossier.submit', 'dossier.receive', 'dossier.assign', 'dossier.transfer', 'dossier.withdraw'])
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })
})

describe('reference data kept between intakes', () => {
  it('follows a newly published procedure version at the next intake', async () => {
    clock.set('2026-12-04T02:00:00Z')
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const publish = async (days: number) => {
      const current = (await admin.browser.api('GET', `/api/v1/procedures/${BIRTH}`)).json()
      const r = await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/versions`, { expectedVersion: current.version, changeNote: `Thời hạn tại tỉnh: ${days} ngày`, localTime: { kind: 'working_days', value: days, original: `${days} ngày làm việc` } })
      expect(r.statusCode, r.body).toBe(201)
      return r.json().version as number
    }
    const v1 = await publish(4)
    const before = await intake({ ...INTAKE, limit: undefined })
    expect(before).toMatchObject({ procedureVersion: v1, limitAmount: 4, limitUnit: 'working_days' })
    clock.set('2026-12-04T03:00:00Z')
    const v2 = await publish(6)
    const after = await intake({ ...INTAKE, limit: undefined })
    expect(after).toMatchObject({ procedureVersion: v2, limitAmount: 6, limitUnit: 'working_days' })
  })
})
