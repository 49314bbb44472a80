import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'

// Workflow templates per procedure version (issue 5 §3), end to end: the administrator sets a
// template, a dossier copies it at receipt and moves through every step with its own due time,
// later edits leave it alone. Thursday 26/11/2026 09:00 in Vietnam.
const clock = new ManualClock('2026-11-26T02:00:00Z')
let t: TestApp
let admin: StaffFixture
let counter: StaffFixture
let officer: StaffFixture
let leader: StaffFixture
let landOfficer: StaffFixture
let landLeader: StaffFixture

const LAND = '1.013978' // first land-use certificate, commune level, 27 working days at the counter
const BIRTH = '1.001193'
const applicant = { fullName: 'Trần Văn Bình', idNumber: '096190001234', phone: '0912345678' }

const step = (name: string, kind: string, agency: string, budget: number, parallel = false) => ({ name, kind, agency, role: kind === 'approve' ? 'agency_leader' : 'processing_officer', budget, parallel })
/** 10 + 10 + 2 + 2 + 3 = 27 working days, with a parallel and a sequential consultation and a transfer to another agency. */
const T1 = [
  step('Xác minh hiện trạng, niêm yết công khai', 'handle', 'competent', 10),
  step('Xác định nghĩa vụ tài chính', 'consult', 'so-tai-chinh', 5, true),
  step('Văn phòng đăng ký đất đai kiểm tra hồ sơ địa chính', 'handle', 'so-nong-nghiep-moi-truong', 10),
  step('Lấy ý kiến Sở Xây dựng về công trình trên đất', 'consult', 'so-xay-dung', 2),
  step('Dự thảo Giấy chứng nhận', 'handle', 'competent', 2),
  step('Chủ tịch UBND xã ký', 'approve', 'competent', 3),
]
const T2 = [step('Xử lý hồ sơ', 'handle', 'competent', 24), step('Lãnh đạo ký', 'approve', 'competent', 3)]

beforeAll(async () => {
  t = await createTestApp({ clock })
  admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  landOfficer = await staffFixture(t, 'processing_officer', 'so-nong-nghiep-moi-truong')
  landLeader = await staffFixture(t, 'agency_leader', 'so-nong-nghiep-moi-truong')
})
afterAll(async () => t?.close())

const version = async (code: string) => (await admin.browser.api('GET', `/api/v1/procedures/${code}`)).json().latestVersion as number
const putWorkflow = async (code: string, steps: unknown[], expectedVersion?: number) =>
  admin.browser.api('PUT', `/api/v1/procedures/${code}/workflow`, { expectedVersion: expectedVersion ?? (await version(code)), steps, changeNote: 'Quy trình liên thông theo quyết định của tỉnh' })
const detail = async (id: string) => (await counter.browser.api('GET', `/api/v1/dossiers/${id}`)).json()

async function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const cur = (await who.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
  return who.browser.api('POST', `/api/v1/dossiers/${id}/actions`, { expectedVersion: cur.version, ...body })
}
async function ok(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const r = await act(who, id, body)
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}
const openSteps = (d: { steps: { completedAt: string | null; kind: string; agencyId: string; dueAt: string; planIndex: number | null }[] }) =>
  d.steps.filter((s) => !s.completedAt).map((s) => [s.kind, s.agencyId, s.dueAt, s.planIndex])

describe('a dossier of a procedure with a multi-agency workflow (issue 5 §3)', () => {
  it('moves through every planned step with its own due time; a later template edit does not change it', async () => {
    const set = await putWorkflow(LAND, T1)
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({ source: 'template', limit: { amount: 27, unit: 'working_days' } })
    const read = (await counter.browser.api('GET', `/api/v1/procedures/${LAND}/workflow`)).json()
    expect(read.steps).toEqual(T1)
    expect(read.templateVersion).toBe(set.json().procedureVersion)

    const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: LAND, communeCode: '32002', applicant, decision: 'accept' })
    expect(r.statusCode, r.body).toBe(201)
    const id = r.json().id as string
    let d = await detail(id)
    // DOMAIN A4: 27 working days from Thu 26/11 (uncounted): New Year 1/1/2027 is skipped → Tue 5/1/2027 17:00.
    expect(d.dueAt).toBe('2027-01-05T10:00:00.000Z')
    // Per step (17:00 Vietnam = 10:00Z): 10 → Thu 10/12; the consultation's 5 from the start → Thu 3/12;
    // 20 → Thu 24/12; 22 → Mon 28/12; 24 → Wed 30/12; the approval with the dossier.
    expect(d.plan.steps.map((s: { dueAt: string }) => s.dueAt)).toEqual([
      '2026-12-10T10:00:00.000Z',
      '2026-12-03T10:00:00.000Z',
      '2026-12-24T10:00:00.000Z',
      '2026-12-28T10:00:00.000Z',
      '2026-12-30T10:00:00.000Z',
      '2027-01-05T10:00:00.000Z',
    ])
    expect(d.plan).toMatchObject({ source: 'template', templateVersion: set.json().procedureVersion })
    expect(openSteps(d)).toEqual([
      ['handle', 'ubnd-xa-32002', '2026-12-10T10:00:00.000Z', 0],
      ['consult', 'so-tai-chinh', '2026-12-03T10:00:00.000Z', 1],
    ])
    const planAtReceipt = d.plan

    // The administrator changes the template while the dossier runs: a new version, not this dossier's.
    const edited = await putWorkflow(LAND, T2)
    expect(edited.statusCode, edited.body).toBe(200)
    expect((await detail(id)).plan).toEqual(planAtReceipt)

    clock.set('2026-11-27T02:00:00Z')
    for (const f of [counter, officer, leader, landOfficer, landLeader]) await f.browser.login(f.username, f.password)
    await ok(leader, id, { action: 'assign', assigneeId: officer.id })
    // The parallel consultation is answered on its own; the handling step stays open.
    d = await ok(officer, id, { action: 'answer_consultation', agencyId: 'so-tai-chinh', note: 'Miễn tiền sử dụng đất' })
    d = await detail(id)
    expect(openSteps(d)).toEqual([['handle', 'ubnd-xa-32002', '2026-12-10T10:00:00.000Z', 0]])
    expect(d.steps.find((s: { planIndex: number }) => s.planIndex === 1)).toMatchObject({ outcome: 'early' })

    // Transfer without a target: to the next planned step's agency (liên thông, Decree 61 Art. 19(6)).
    d = await ok(officer, id, { action: 'transfer', reason: 'Chuyển Văn phòng đăng ký đất đai theo quy trình' })
    expect(d).toMatchObject({ currentAgencyId: 'so-nong-nghiep-moi-truong', currentAssigneeId: null })
    d = await detail(id)
    expect(openSteps(d)).toEqual([['handle', 'so-nong-nghiep-moi-truong', '2026-12-24T10:00:00.000Z', 2]])
    expect(d.events.at(-1)).toMatchObject({ action: 'transfer', stepDueAt: '2026-12-24T10:00:00.000Z' })

    await ok(landLeader, id, { action: 'reassign', assigneeId: landOfficer.id, reason: 'Phân công chuyên viên địa chính' })
    // The next planned step is a consultation: a transfer without target is refused, consult follows the plan.
    const wrong = await act(landOfficer, id, { action: 'transfer', reason: 'x' })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.code).toBe('DOSSIER.INVALID_TRANSFER')
    await ok(landOfficer, id, { action: 'consult' })
    d = await detail(id)
    expect(openSteps(d)).toEqual([['consult', 'so-xay-dung', '2026-12-28T10:00:00.000Z', 3]])

    // The answer closes the consultation and opens the next step at the commune.
    await ok(landOfficer, id, { action: 'answer_consultation', note: 'Công trình phù hợp quy hoạch' })
    d = await detail(id)
    expect(d.currentAgencyId).toBe('ubnd-xa-32002')
    expect(openSteps(d)).toEqual([['handle', 'ubnd-xa-32002', '2026-12-30T10:00:00.000Z', 4]])
    const page = await leader.browser.get(`/staff/ho-so/${id}`)
    expect(page.body).toContain('Quy trình giải quyết')
    expect(page.body).toMatch(/aria-current="step"[^]*?Dự thảo Giấy chứng nhận/)

    await ok(leader, id, { action: 'reassign', assigneeId: officer.id, reason: 'Dự thảo giấy chứng nhận' })
    await ok(officer, id, { action: 'submit_for_approval' })
    d = await detail(id)
    expect(openSteps(d)).toEqual([['approve', 'ubnd-xa-32002', '2027-01-05T10:00:00.000Z', 5]])
    await ok(leader, id, { action: 'approve' })
    await ok(counter, id, { action: 'return_result' })
    d = await detail(id)
    expect(d.status).toBe('returned')
    expect(d.plan.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done'])
    // Form 06 carries the plan (a real PDF, issued once).
    const pdf = await counter.browser.api('GET', `/api/v1/dossiers/${id}/forms/control`)
    expect(pdf.statusCode).toBe(200)
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')

    // A dossier received after the edit follows the new template.
    const next = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: LAND, communeCode: '32002', applicant, decision: 'accept' })
    const nd = await detail(next.json().id)
    expect(nd.plan.steps.map((s: { name: string; budget: number }) => [s.name, s.budget])).toEqual([
      ['Xử lý hồ sơ', 24],
      ['Lãnh đạo ký', 3],
    ])
    expect(nd.plan.templateVersion).toBe(edited.json().procedureVersion)
  })
})

describe('editing a workflow template (administration)', () => {
  // The clock moved in the journey above: the administrator's session idled out.
  beforeAll(async () => expect((await admin.browser.login(admin.username, admin.password)).statusCode).toBe(303))

  it('documents the read and the edit in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json()
    expect(Object.keys(doc.paths['/api/v1/procedures/{code}/workflow'] ?? {}).sort()).toEqual(['get', 'put'])
  })

  it('answers bad input with a coded 400 listing every problem, and writes nothing', async () => {
    const code = '1.013236'
    const before = await version(code)
    const rows = async () => Number((await t.db.selectFrom('catalogWorkflows').select((eb) => eb.fn.countAll<number>().as('n')).where('code', '=', code).executeTakeFirstOrThrow()).n)
    const audits = async () => Number((await t.db.selectFrom('catalogAudit').select((eb) => eb.fn.countAll<number>().as('n')).where('code', '=', code).executeTakeFirstOrThrow()).n)
    const [n0, a0] = [await rows(), await audits()]
    const r = await putWorkflow(code, [step('Thẩm định', 'handle', 'so-khong-ton-tai', 10), step('Lấy ý kiến', 'handle', 'competent', 2, true), step('Ký', 'approve', 'competent', 1)])
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('CATALOG.INVALID_WORKFLOW')
    const fields = r.json().error.details.fields
    expect(Object.keys(fields).sort()).toEqual(['steps', 'steps.0.agency', 'steps.1.parallel'])
    expect(fields.steps[0]).toMatch(/11.*20 ngày/) // DOMAIN A4: 10 + 1 is not the 20-day limit
    expect([await version(code), await rows(), await audits()]).toEqual([before, n0, a0])
  })

  it('lets one of two simultaneous edits win; the other gets 409', async () => {
    const code = '1.013236'
    const v = await version(code)
    const a = [step('Thẩm định', 'handle', 'competent', 17), step('Ký', 'approve', 'competent', 3)]
    const b = [step('Thẩm định hồ sơ', 'handle', 'competent', 18), step('Ký', 'approve', 'competent', 2)]
    const answers = await Promise.all([putWorkflow(code, a, v), putWorkflow(code, b, v)])
    expect(answers.map((x) => x.statusCode).sort()).toEqual([200, 409])
    expect(await version(code)).toBe(v + 1)
    const audit = await t.db.selectFrom('catalogAudit').selectAll().where('code', '=', code).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'edit', version: v + 1, reason: 'Quy trình liên thông theo quyết định của tỉnh' })
  })

  it('edits on the admin page without JavaScript: a row added without saving, every error at its field, then saved', async () => {
    const code = '1.013236'
    const page = await admin.browser.get(`/admin/thu-tuc/${code}/quy-trinh`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('name="steps.0.name"')
    const v = String(await version(code))
    const base = { expectedVersion: v, 'steps.0.name': 'Thẩm định', 'steps.0.kind': 'handle', 'steps.0.agency': 'competent', 'steps.0.role': 'processing_officer', 'steps.0.budget': '15' }
    const added = await admin.browser.postForm(`/admin/thu-tuc/${code}/quy-trinh`, { ...base, _action: 'add:steps' }, { csrfFrom: `/admin/thu-tuc/${code}/quy-trinh` })
    expect(added.statusCode).toBe(200)
    expect(added.body).toContain('name="steps.1.name"')
    const bad = await admin.browser.postForm(
      `/admin/thu-tuc/${code}/quy-trinh`,
      { ...base, 'steps.1.name': '', 'steps.1.kind': 'approve', 'steps.1.agency': 'competent', 'steps.1.role': 'agency_leader', 'steps.1.budget': 'ba', changeNote: 'Sửa', _action: 'save' },
      { csrfFrom: `/admin/thu-tuc/${code}/quy-trinh` },
    )
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('id="f-steps-1-name-error"')
    expect(bad.body).toContain('id="f-steps-1-budget-error"')
    expect(await version(code)).toBe(Number(v))
    const saved = await admin.browser.postForm(
      `/admin/thu-tuc/${code}/quy-trinh`,
      { ...base, 'steps.1.name': 'Lãnh đạo Sở ký', 'steps.1.kind': 'approve', 'steps.1.agency': 'competent', 'steps.1.role': 'agency_leader', 'steps.1.budget': '5', changeNote: 'Rút gọn quy trình', _action: 'save' },
      { csrfFrom: `/admin/thu-tuc/${code}/quy-trinh` },
    )
    expect(saved.statusCode, saved.body).toBe(303)
    expect((await admin.browser.api('GET', `/api/v1/procedures/${code}/workflow`)).json().steps.map((s: { budget: number }) => s.budget)).toEqual([15, 5])
  })
})

describe('returning the result (Decree 61 Art. 20)', () => {
  async function decided(returnMethod: 'post' | 'online') {
    const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: BIRTH, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' }, returnMethod })
    expect(r.statusCode, r.body).toBe(201)
    const id = r.json().id as string
    await ok(leader, id, { action: 'assign', assigneeId: officer.id })
    await ok(officer, id, { action: 'submit_for_approval' })
    await ok(leader, id, { action: 'approve' })
    return id
  }
  const lastEvent = async (id: string) => (await detail(id)).events.at(-1)

  it('by post: refuses without a tracking number, then records it on the event and the outbox', async () => {
    const id = await decided('post')
    const missing = await act(counter, id, { action: 'return_result' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.code).toBe('DOSSIER.TRACKING_NUMBER_REQUIRED')
    expect((await detail(id)).status).toBe('decided')
    await ok(counter, id, { action: 'return_result', trackingNumber: 'ec123456789vn' })
    expect(await lastEvent(id)).toMatchObject({ action: 'return_result', data: { method: 'post', trackingNumber: 'EC123456789VN' } })
    const out = await t.db.selectFrom('outboxEvents').select('payload').where('aggregateId', '=', id).where('topic', '=', 'dossier.return_result').executeTakeFirstOrThrow()
    expect(out.payload).toMatchObject({ data: { method: 'post', trackingNumber: 'EC123456789VN' } })
  })

  it('online: records the result as available online, with the method on the outbox event', async () => {
    const id = await decided('online')
    await ok(counter, id, { action: 'return_result' })
    expect(await lastEvent(id)).toMatchObject({ data: { method: 'online', availableOnlineAt: clock.now().toISOString(), resultDocumentIds: [] } })
    const out = await t.db.selectFrom('outboxEvents').select('payload').where('aggregateId', '=', id).where('topic', '=', 'dossier.return_result').executeTakeFirstOrThrow()
    expect(out.payload).toMatchObject({ data: { method: 'online' } })
  })
})
