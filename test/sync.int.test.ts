import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { act, submitOnline } from '../src/modules/dossiers/dossier.service.js'
import { findAgencyById } from '../src/modules/org/index.js'
import { PORTAL_PATHS, portalSubscriber, pullPortalSubmissions, reconcileWithPortal, signRequest, syncPunctuality, type SyncDeps } from '../src/modules/sync/index.js'
import { sampleSubmission, type PortalSimulator } from '../src/sim/national-portal/index.js'
import { systemClock } from '../src/shared/clock.js'
import { inTransaction } from '../src/shared/database.js'
import { createOutboxDispatcher, type OutboxDispatcher } from '../src/shared/outbox-dispatcher.js'
import { appendOutboxEvent } from '../src/shared/outbox.js'
import { drain, drillLifecycle, drillPortal, PORTAL_KEY, PORTAL_SECRET, startDrillPortal } from './support/sync-drill.js'
import { createTestApp, staffFixture, type TestApp } from './support/test-app.js'

// National portal sync (issue 7 §2): the payload of DOMAIN B §12.2 with the codes of B §2.3.1,
// strict validation at the simulator, "đã tồn tại" → update, intake idempotent on the portal's
// id, reconciliation that names every difference, and the outbox administrator page (§1).

let t: TestApp
let sim: PortalSimulator
let deps: SyncDeps
let dispatcher: OutboxDispatcher
let lifecycle: Awaited<ReturnType<typeof drillLifecycle>>

beforeAll(async () => {
  t = await createTestApp()
  sim = await startDrillPortal()
  deps = { db: t.db, clock: systemClock, provinceCode: '96', portal: drillPortal(sim, 2_000) }
  dispatcher = createOutboxDispatcher({ db: t.db, clock: systemClock, subscribers: [portalSubscriber(deps)], baseDelayMs: 10, maxDelayMs: 50 })
  lifecycle = await drillLifecycle(t.db, systemClock)
})
afterAll(async () => {
  await sim?.close()
  await t?.close()
})

/** A signed call to the simulator, as our adapter makes it. */
async function portalCall(path: string, body: unknown, opts: { secret?: string } = {}) {
  const text = JSON.stringify(body)
  const ts = String(Date.now())
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-partner-key': PORTAL_KEY, 'x-timestamp': ts, 'x-signature': signRequest(opts.secret ?? PORTAL_SECRET, ts, text) }, body: text })
  return { status: res.status, json: (await res.json()) as { error_code: number; message: string } }
}

const RECORD = { MaHoSo: 'X-1', MaTTHC: '1.001193', TenTTHC: 'Đăng ký khai sinh', KenhThucHien: 1, ChuHoSo: 'A', LoaiDoiTuong: 1, TrichYeuHoSo: 'x', NgayNopHoSo: '20261201090000', TrangThaiHoSo: 2 }
const EVENT = { MaHoSo: 'X-1', NguoiXuLy: 'Nguyễn Văn A', ChucDanh: 'Công chức một cửa', ThoiDiemXuLy: '20261201090000', PhongBanXuLy: 'UBND xã', NoiDungXuLy: 'Tiếp nhận hồ sơ', TrangThai: 2, NgayBatDau: '20261201090000' }

describe('the national portal simulator (B §12.2)', () => {
  it('refuses what B §12.2 does not allow, in the portal format, and stores nothing', async () => {
    const unknownField = await portalCall(PORTAL_PATHS.create, { ...RECORD, MaHoSo: 'X-bad', Extra: 1 })
    expect(unknownField.status).toBe(400)
    expect(unknownField.json.error_code).toBe(2)
    expect(unknownField.json.message).toContain('Extra')
    const badDate = await portalCall(PORTAL_PATHS.create, { ...RECORD, MaHoSo: 'X-bad', NgayNopHoSo: '2026-12-01' })
    expect(badDate.json.message).toContain('NgayNopHoSo')
    const badStatus = await portalCall(PORTAL_PATHS.create, { ...RECORD, MaHoSo: 'X-bad', TrangThaiHoSo: 11 })
    expect(badStatus.status).toBe(400)
    expect(sim.dossiers().has('X-bad')).toBe(false)

    expect((await portalCall(PORTAL_PATHS.create, RECORD)).json).toMatchObject({ error_code: 0 })
    const longName = await portalCall(PORTAL_PATHS.progress, [{ ...EVENT, NguoiXuLy: 'x'.repeat(51) }])
    expect(longName.json.message).toContain('NguoiXuLy')
    const eleven = await portalCall(PORTAL_PATHS.progress, Array.from({ length: 11 }, () => EVENT))
    expect(eleven.status).toBe(400)
    const unsigned = await portalCall(PORTAL_PATHS.progress, [EVENT], { secret: 'wrong-secret-0123456789' })
    expect(unsigned.status).toBe(401)
    expect(sim.dossiers().get('X-1')!.events).toHaveLength(0)
    // A create of a known record answers "đã tồn tại" (B §12.2), which our side turns into an update.
    expect((await portalCall(PORTAL_PATHS.create, RECORD)).json.message).toContain('đã tồn tại')
  })
})

describe('sending dossiers to the portal', () => {
  it('sends the record and every event with officer, title, unit, content, time and step deadline (B §12.2, A8)', async () => {
    const [d] = await lifecycle.run(1)
    await drain(t.db, dispatcher)
    const held = sim.dossiers().get(d!.code!)!
    expect(held.record).toMatchObject({ MaHoSo: d!.code, MaTTHC: '1.001193', KenhThucHien: 1, TrangThaiHoSo: 10, SoGiayToChuHoSo: '096190001234', DinhDanhCHS: [{ LoaiDinhDanh: 1, SoDinhDanh: '096190001234' }] })
    expect(held.events.map((e) => e.TrangThai)).toEqual([1, 2, 4, 4, 9, 10])
    const receipt = held.events[1]!
    expect(receipt.NguoiXuLy).toBe('Cán bộ diễn tập counter_officer')
    expect(receipt.ChucDanh).toBe('Công chức một cửa')
    expect(receipt.PhongBanXuLy.length).toBeGreaterThan(0)
    expect(receipt.NoiDungXuLy).toContain('Tiếp nhận hồ sơ')
    expect(receipt.ThoiDiemXuLy).toMatch(/^\d{14}$/)
    expect(receipt.NgayKetThucTheoQuyDinh).toMatch(/^\d{14}$/)
    // Each event's arrival is recorded (766 indicator 1.4).
    const synced = await t.db.selectFrom('syncPortalEvents').selectAll().where('dossierId', '=', d!.id).orderBy('eventId').execute()
    expect(synced.map((s) => [s.state, s.statusCode])).toEqual([1, 2, 4, 4, 9, 10].map((c) => ['synced', c]))
    const now = new Date()
    const on = await syncPunctuality(t.db, { from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 60_000), withinMs: 60_000, now })
    expect(on.onTime).toBeGreaterThanOrEqual(1)
    const strict = await syncPunctuality(t.db, { from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 60_000), withinMs: -1, now })
    expect(strict.onTime).toBe(0)
  })

  it('turns "already exists" into an update, and holds events back until the dossier has a code', async () => {
    sim.setFaults({ alreadyExists: true })
    try {
      const [d] = await lifecycle.run(1)
      await drain(t.db, dispatcher)
      expect(sim.dossiers().get(d!.code!)!.record.TrangThaiHoSo).toBe(10)
      expect(sim.stats().faults.alreadyExists).toBeGreaterThan(0)
    } finally {
      sim.setFaults({ alreadyExists: false })
    }

    // Submitted online: no code until received; its submit event waits, then goes first.
    const online = await inTransaction(t.db, (trx) =>
      submitOnline(trx, { db: t.db, clock: systemClock, provinceCode: '96' }, { id: null, name: 'Lê Thị Hoa', role: 'citizen', agencyId: null }, { procedureCode: '1.001193', communeCode: '32002', applicant: { fullName: 'Lê Thị Hoa' }, limit: { amount: 3, unit: 'working_days' } }),
    )
    await drain(t.db, dispatcher)
    expect(await t.db.selectFrom('syncPortalEvents').select('state').where('dossierId', '=', online.id).execute()).toEqual([{ state: 'deferred' }])
    const counter = await staffFixture(t, 'counter_officer', 'ubnd-xa-32002')
    const agency = (await findAgencyById(t.db, 'ubnd-xa-32002'))!
    const desk = { kind: 'staff' as const, accountId: counter.id, sessionId: 's', username: counter.username, fullName: 'Cán bộ một cửa', role: 'counter_officer' as const, agencyId: agency.id, agencyCode: agency.code, agencyName: agency.name, mustChangePassword: false }
    const received = await inTransaction(t.db, (trx) => act(trx, { db: t.db, clock: systemClock, provinceCode: '96' }, desk, online.id, { action: 'receive', expectedVersion: online.version }))
    await drain(t.db, dispatcher)
    expect(sim.dossiers().get(received.code!)!.events.map((e) => e.TrangThai)).toEqual([1, 2])
    expect((await reconcileWithPortal(deps, { dossierIds: [online.id] })).differences).toEqual([])
  })
})

/** A published procedure whose time limit the catalogue states in a form we read (the portal sends none). */
async function procedureWithLimit(): Promise<{ code: string; commune: string | undefined }> {
  const rows = await sql<{ code: string }>`SELECT code FROM catalog_procedures WHERE unpublished_at IS NULL ORDER BY code LIMIT 300`.execute(t.db)
  const rollback = new Error('rollback')
  for (const { code } of rows.rows) {
    for (const commune of [undefined, '32002']) {
      try {
        await inTransaction(t.db, async (trx) => {
          await submitOnline(trx, { db: t.db, clock: systemClock, provinceCode: '96' }, { id: null, name: 'x', role: 'citizen', agencyId: null }, { procedureCode: code, communeCode: commune, applicant: { fullName: 'x' } })
          throw rollback
        })
      } catch (e) {
        if (e === rollback) return { code, commune }
      }
    }
  }
  throw new Error('no procedure with a readable time limit in the test catalogue')
}

describe('intake of dossiers submitted on the portal', () => {
  it('creates each once, idempotent on the portal id, acknowledges it, and refuses a bad one without writing', async () => {
    const proc = await procedureWithLimit()
    const good = sampleSubmission(1, proc.code, proc.commune)
    const bad = sampleSubmission(2, '9.999999')
    sim.submit(good)
    sim.submit(bad)
    const before = Number((await sql<{ n: number }>`select count(*)::int as n from dossiers`.execute(t.db)).rows[0]!.n)
    const first = await pullPortalSubmissions(deps)
    expect(first).toMatchObject({ offered: 2, created: 1, alreadyTaken: 0 })
    expect(first.rejected.map((r) => r.portalDossierId)).toEqual([bad.IdHoSoDVCQG])
    // Offered again (the acknowledgement was lost): taken in once only.
    sim.submissions().find((s) => s.submission.IdHoSoDVCQG === good.IdHoSoDVCQG)!.acknowledged = false
    const again = await pullPortalSubmissions(deps)
    expect(again).toMatchObject({ offered: 2, created: 0, alreadyTaken: 1 })
    const after = Number((await sql<{ n: number }>`select count(*)::int as n from dossiers`.execute(t.db)).rows[0]!.n)
    expect(after - before).toBe(1)
    const row = await t.db.selectFrom('syncPortalIntake').selectAll().where('portalDossierId', '=', good.IdHoSoDVCQG).executeTakeFirstOrThrow()
    expect(row.acknowledgedAt).not.toBeNull()
    // Its events go to the portal under the portal's code.
    await drain(t.db, dispatcher)
    expect(sim.dossiers().get(good.HoSo.MaHoSo)!.events.map((e) => e.TrangThai)).toEqual([1])
  })
})

describe('reconciliation', () => {
  it('reports every kind of difference between our dossiers and the portal', async () => {
    const ds = await lifecycle.run(3)
    await drain(t.db, dispatcher)
    const ids = ds.map((d) => d.id)
    expect((await reconcileWithPortal(deps, { dossierIds: ids })).differences).toEqual([])
    const [a, b, c] = ds.map((d) => sim.dossiers().get(d.code!)!)
    a!.events.splice(2, 1) // missing
    a!.events.push({ ...a!.events[0]!, NoiDungXuLy: 'Sự kiện lạ' }) // extra
    b!.events.push({ ...b!.events[1]! }) // duplicate
    ;[b!.events[3], b!.events[4]] = [b!.events[4]!, b!.events[3]!] // out of order
    c!.record = { ...c!.record, TrangThaiHoSo: 4 } // status mismatch
    sim.dossiers().delete(ds[2]!.code!) // and then gone entirely
    const r = await reconcileWithPortal(deps, { dossierIds: ids })
    const kinds = r.differences.map((d) => `${d.code === ds[0]!.code ? 'a' : d.code === ds[1]!.code ? 'b' : 'c'}:${d.kind}`).sort()
    expect(kinds).toEqual(['a:extra_event', 'a:missing_event', 'b:duplicate_event', 'b:out_of_order', 'c:dossier_missing'])
    sim.dossiers().set(ds[2]!.code!, c!)
    expect((await reconcileWithPortal(deps, { dossierIds: [ds[2]!.id] })).differences.map((d) => d.kind)).toEqual(['status_mismatch'])
  })
})

describe('the outbox administrator page and API', () => {
  it('shows dead letters with their last error, replays them, and is for administrators only', async () => {
    const topic = 'test.admin-page'
    const id = await inTransaction(t.db, (trx) => appendOutboxEvent(trx, { topic, aggregateType: 'test', aggregateId: 'Z', payload: {} }))
    let ok = false
    const d = createOutboxDispatcher({ db: t.db, clock: systemClock, subscribers: [{ name: 'admin-test', topics: [topic], deliver: async () => (ok ? { ok: true } : { ok: false, retryable: false, error: 'HTTP 400: rejected' }) }] })
    // On PostgreSQL a writing transaction open elsewhere in the cluster may hold the fan-out's horizon back a moment.
    for (let i = 0; i < 100 && (await d.runUntilIdle()).dead === 0; i++) await new Promise((r) => setTimeout(r, 50))
    const admin = await staffFixture(t, 'admin')
    const counter = await staffFixture(t, 'counter_officer')
    expect((await counter.browser.get('/api/v1/admin/outbox')).statusCode).toBe(403)
    const api = await admin.browser.get('/api/v1/admin/outbox?status=dead&subscriber=admin-test')
    expect(api.statusCode).toBe(200)
    expect(api.json().deliveries).toMatchObject([{ eventId: id, lastError: 'HTTP 400: rejected', status: 'dead' }])
    expect(api.json().subscribers).toEqual(expect.arrayContaining([expect.objectContaining({ subscriber: 'admin-test', dead: 1 })]))
    const page = await admin.browser.get('/admin/outbox')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('HTTP 400: rejected')
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' })
    expect(metrics.body).toContain('vidan_outbox_dead_letters{subscriber="admin-test"} 1')
    expect(metrics.body).toContain('vidan_outbox_pending{subscriber="admin-test"} 0')

    expect((await admin.browser.api('POST', `/api/v1/admin/outbox/admin-test/replay/${id + 100000}`)).statusCode).toBe(404)
    ok = true
    const replay = await admin.browser.postForm(`/admin/outbox/admin-test/replay/${id}`, {}, { csrfFrom: '/admin/outbox' })
    expect(replay.statusCode).toBe(303)
    expect(replay.headers.location).toBe('/admin/outbox?replayed=1')
    await drain(t.db, d)
    const afterReplay = await admin.browser.get('/api/v1/admin/outbox?status=dead&subscriber=admin-test')
    expect(afterReplay.json().deliveries).toEqual([])
    expect((await admin.browser.api('POST', '/api/v1/admin/outbox/admin-test/replay')).json()).toEqual({ replayed: 0 })
  })
})
