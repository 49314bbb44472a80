import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { verifyAllChains } from './index.js'
import { sweepDeadlines } from './dossier.service.js'

// Thursday 26/11/2026 09:00 in Vietnam.
const clock = new ManualClock('2026-11-26T02:00:00Z')
let t: TestApp
let counter: StaffFixture
let officer: StaffFixture
let officer2: StaffFixture
let leader: StaffFixture
let counterCode: string

const BIRTH = '1.001193' // Đăng ký khai sinh, commune level
const applicant = { fullName: 'Nguyễn Thị Hoa', idNumber: '096190001234', phone: '0912345678', address: 'Khóm 1, phường An Xuyên' }

beforeAll(async () => {
  t = await createTestApp({ clock })
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  officer2 = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  counterCode = (await t.db.selectFrom('agencies').select('code').where('id', '=', 'ttpvhcc-xa-32002').executeTakeFirstOrThrow()).code
})
afterAll(async () => t?.close())

/** Jumps the clock; staff sessions idle out over days, so everyone logs in again, as they would. */
async function at(iso: string) {
  clock.set(iso)
  for (const f of [counter, officer, officer2, leader]) {
    const r = await f.browser.login(f.username, f.password)
    expect(r.statusCode).toBe(303)
  }
}

async function intake(extra: Record<string, unknown> = {}) {
  const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: BIRTH, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' }, ...extra })
  expect(r.statusCode, r.body).toBe(201)
  return r.json()
}

async function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const cur = (await who.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
  return who.browser.api('POST', `/api/v1/dossiers/${id}/actions`, { expectedVersion: cur.version, ...body })
}

describe('a birth registration from counter to result (issue 5 journey)', () => {
  it('is received at a commune centre for the competent commune, handled, approved, returned and tracked', async () => {
    await at('2026-11-26T02:00:00Z')
    const d = await intake()
    expect(d.status).toBe('received')
    expect(d.code).toBe(`${counterCode}-261126-${d.code.slice(-4)}`)
    expect(d.receivingAgencyId).toBe('ttpvhcc-xa-32002')
    expect(d.competentAgencyId).toBe('ubnd-xa-32002')
    expect(d.currentAgencyId).toBe('ubnd-xa-32002')
    // A4: receipt day not counted; 3 working days after Thu 26/11 → Tue 1/12 at 17:00 (+07:00).
    expect(d.dueAt).toBe('2026-12-01T10:00:00.000Z')
    expect(d.appointmentAt).toBe(d.dueAt)

    await at('2026-11-26T03:00:00Z')
    const assigned = await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    expect(assigned.statusCode, assigned.body).toBe(200)
    expect(assigned.json()).toMatchObject({ status: 'processing', currentAssigneeId: officer.id })
    expect((await act(officer, d.id, { action: 'submit_for_approval', note: 'Hồ sơ đủ điều kiện' })).statusCode).toBe(200)
    const approved = await act(leader, d.id, { action: 'approve' })
    expect(approved.json()).toMatchObject({ status: 'decided', decision: 'approved', late: false })
    const returned = await act(counter, d.id, { action: 'return_result' })
    expect(returned.json().status).toBe('returned')

    const detail = (await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'receive', 'assign', 'submit_for_approval', 'approve', 'return_result'])
    const handle = detail.steps.find((s: { kind: string }) => s.kind === 'handle')
    expect(handle).toMatchObject({ givenBy: leader.id, receivedBy: officer.id, outcome: 'early' })

    // Form 01: a real PDF, issued once; printing again gives the same bytes.
    const pdf1 = await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/forms/receipt`)
    expect(pdf1.statusCode).toBe(200)
    expect(pdf1.headers['content-type']).toBe('application/pdf')
    expect(pdf1.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    expect(pdf1.headers['x-form-code']).toBe('TT03/2025-01')
    const pdf2 = await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/forms/receipt`)
    expect(pdf2.headers['x-content-sha256']).toBe(pdf1.headers['x-content-sha256'])
    expect(Buffer.compare(pdf1.rawPayload, pdf2.rawPayload)).toBe(0)
    expect((await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/forms/apology`)).statusCode).toBe(404)

    // The register (form 07) of the receiving agency lists it, as CSV and as PDF.
    const csv = await counter.browser.get('/staff/so-theo-doi.csv?year=2026')
    expect(csv.body).toContain(d.code)
    const reg = await counter.browser.get('/staff/so-theo-doi.pdf?year=2026')
    expect(reg.headers['content-type']).toBe('application/pdf')
    expect(reg.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    const pub = new Browser(t.app)
    const tr = await pub.get(`/api/v1/tracking/${d.code}?verifier=1234`)
    expect(tr.statusCode).toBe(200)
    const track = tr.json()
    expect(track.status).toBe('returned')
    expect(track.timeline).toHaveLength(6)
    expect(track.timeline[2]).toMatchObject({ officer: 'Cán bộ thử agency_leader', title: 'Lãnh đạo cơ quan' })
    expect(track.timeline.every((e: { at: string }) => typeof e.at === 'string')).toBe(true)
  })

  it('answers a wrong verifier and an unknown code the same way', async () => {
    const d = await intake()
    const pub = new Browser(t.app)
    const wrong = await pub.get(`/api/v1/tracking/${d.code}?verifier=9999`)
    const unknown = await pub.get(`/api/v1/tracking/${counterCode}-991231-0001?verifier=1234`)
    expect(wrong.statusCode).toBe(404)
    expect(unknown.statusCode).toBe(404)
    expect(wrong.body).toBe(unknown.body)
    expect((await pub.get(`/api/v1/tracking/${d.code}?verifier=5678`)).statusCode).toBe(200) // last 4 of the phone
  })
})

describe('lifecycle guards', () => {
  it('answers an action not allowed now with 409 naming the allowed actions', async () => {
    const d = await intake()
    const r = await act(leader, d.id, { action: 'approve' })
    expect(r.statusCode).toBe(409)
    expect(r.json().error).toMatchObject({ code: 'DOSSIER.INVALID_TRANSITION', details: { status: 'received', allowedActions: expect.arrayContaining(['assign']) } })
  })

  it('refuses an officer of another agency (403) and an anonymous caller (401)', async () => {
    const d = await intake()
    const other = await staffFixture(t, 'agency_leader', 'so-tu-phap')
    expect((await act(other, d.id, { action: 'assign', assigneeId: officer.id })).statusCode).toBe(403)
    expect((await new Browser(t.app).get(`/api/v1/dossiers/${d.id}`)).statusCode).toBe(401)
  })

  it('lets one of two simultaneous actions win; the other gets 409 and no event is lost or doubled', async () => {
    const d = await intake()
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    const cur = (await leader.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    const [a, b] = await Promise.all([
      leader.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { action: 'reassign', assigneeId: officer2.id, reason: 'Cân đối công việc', expectedVersion: cur.version }),
      officer.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { action: 'submit_for_approval', expectedVersion: cur.version }),
    ])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409])
    const after = (await leader.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    expect(after.events).toHaveLength(cur.events.length + 1)
    expect(after.version).toBe(cur.version + 1)
  })

  it('replays an intake sent twice with the same Idempotency-Key', async () => {
    const body = { procedureCode: BIRTH, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } }
    const token = (await counter.browser.get('/api/v1/csrf-token')).json().token
    const send = () => t.app.inject({ method: 'POST', url: '/api/v1/dossiers/intake', payload: body, headers: { cookie: counter.browser.cookieHeader, 'x-csrf-token': token, 'idempotency-key': 'intake-key-0001' } })
    const [r1, r2] = [await send(), await send()]
    expect(r1.statusCode).toBe(201)
    expect(r2.json().id).toBe(r1.json().id)
    expect(r2.headers['idempotent-replayed']).toBe('true')
  })

  it('gives 200 concurrent intakes at one agency on one day 200 distinct consecutive codes', async () => {
    await at('2026-11-27T02:00:00Z')
    const results = await Promise.all(Array.from({ length: 200 }, () => intake()))
    const seqs = results.map((d) => Number(d.code.slice(-4))).sort((x, y) => x - y)
    expect(new Set(seqs).size).toBe(200)
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
  }, 120_000)

  it('rejects bad intake input with every problem at once, and writes nothing', async () => {
    const before = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: BIRTH, communeCode: '32002', applicant: { ...applicant, idNumber: '999', phone: 'abc' }, decision: 'refuse', limit: { amount: 3, unit: 'working_days' } })
    expect(r.statusCode).toBe(400)
    expect(Object.keys(r.json().error.details.fields).sort()).toEqual(['applicant.idNumber', 'applicant.phone', 'reason'])
    const after = await t.db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })
})

describe('supplement journey (A5, Decree 61 Art. 19(4))', () => {
  it('pauses the clock with form 02 and restarts the limit from zero at the supplement', async () => {
    await at('2026-11-30T02:00:00Z') // Mon 30/11 09:00
    const d = await intake()
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    const req = await act(officer, d.id, { action: 'request_supplement', reason: 'Thiếu giấy chứng sinh', missing: ['Giấy chứng sinh (bản chính)'] })
    expect(req.json()).toMatchObject({ status: 'awaiting_supplement' })
    await at('2026-12-03T03:00:00Z') // Thu 3/12 10:00: the supplement arrives
    const back = await act(counter, d.id, { action: 'receive_supplement' })
    expect(back.statusCode, back.body).toBe(200)
    // Restart from zero: 3 working days after Thu 3/12 → Tue 8/12 17:00.
    expect(back.json().dueAt).toBe('2026-12-08T10:00:00.000Z')
    const detail = (await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    const ev = detail.events.find((e: { action: string }) => e.action === 'receive_supplement')
    expect(ev.data).toMatchObject({ previousDueAt: '2026-12-03T10:00:00.000Z', dueAt: '2026-12-08T10:00:00.000Z', restartedFrom: '2026-12-03T03:00:00.000Z' })
    expect(detail.events.find((e: { action: string }) => e.action === 'request_supplement').reason).toBe('Thiếu giấy chứng sinh')
  })
})

describe('late journey (A6)', () => {
  it('warns at risk, apologises once with a new appointment shown publicly, and refuses a second reschedule', async () => {
    await at('2026-12-07T02:00:00Z') // Mon 7/12
    const d = await intake() // due Thu 10/12 17:00
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    await at('2026-12-09T02:00:00Z') // Wed 9/12: one working day before the due day
    const sweep = await sweepDeadlines({ db: t.db, clock, provinceCode: '96' })
    expect(sweep.atRisk).toBeGreaterThanOrEqual(1)
    const inbox = (await officer.browser.api('GET', '/api/v1/dossiers?box=due_soon')).json()
    expect(inbox.items.map((i: { id: string }) => i.id)).toContain(d.id)
    expect((await leader.browser.api('GET', '/api/v1/dossiers?box=due_soon')).json().items.some((i: { id: string; atRisk: boolean }) => i.id === d.id && i.atRisk)).toBe(true)

    const draft = await act(officer, d.id, { action: 'draft_apology', reason: 'Cần xác minh thông tin nơi sinh', proposedAppointment: '2026-12-15T17:00:00+07:00' })
    expect(draft.statusCode, draft.body).toBe(200)
    const ok = await act(leader, d.id, { action: 'approve_apology' })
    expect(ok.json()).toMatchObject({ appointmentAt: '2026-12-15T10:00:00.000Z', dueAt: '2026-12-10T10:00:00.000Z', rescheduleCount: 1 })
    const list = (await new Browser(t.app).get('/api/v1/apologies?agency=ubnd-xa-32002')).json()
    expect(list.items[0]).toMatchObject({ procedureName: expect.stringContaining('khai sinh'), reason: 'Cần xác minh thông tin nơi sinh', newAppointment: '2026-12-15T10:00:00.000Z' })
    expect(list.items[0].dossierCodeMasked).toMatch(/-\*{4}$/)

    const again = await act(officer, d.id, { action: 'draft_apology', reason: 'Lần nữa', proposedAppointment: '2026-12-20T17:00:00+07:00' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('DOSSIER.RESCHEDULE_LIMIT')
    expect(again.json().error.message).toContain('một lần')

    // Decided after the legal due time: late, whatever the apology said.
    await at('2026-12-11T02:00:00Z')
    await sweepDeadlines({ db: t.db, clock, provinceCode: '96' })
    await act(officer, d.id, { action: 'submit_for_approval' })
    expect((await act(leader, d.id, { action: 'approve' })).json()).toMatchObject({ late: true })
  })
})

describe('audit you can prove', () => {
  it('verifies every chain, and names the event someone tampered with', async () => {
    const clean = await verifyAllChains(t.db)
    expect(clean.firstBreak).toBeUndefined()
    expect(clean.eventsChecked).toBeGreaterThan(200)
    const victim = await t.db.selectFrom('dossierEvents').select(['id', 'dossierId']).where('action', '=', 'assign').orderBy('id').executeTakeFirstOrThrow()
    await expect(sql`UPDATE dossier_events SET content = 'sửa trái phép' WHERE id = ${victim.id}`.execute(t.db)).rejects.toThrow(/append-only/)
    await t.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL vidan.allow_event_rewrite = 'on'`.execute(trx)
      await sql`UPDATE dossier_events SET content = 'sửa trái phép' WHERE id = ${victim.id}`.execute(trx)
    })
    const broken = await verifyAllChains(t.db)
    expect(broken.firstBreak).toMatchObject({ kind: 'hash_mismatch', eventId: victim.id, dossierId: victim.dossierId })
  })
})
