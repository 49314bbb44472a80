import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { NO_FAULTS, startPaymentSimulator, type PaymentSimulator } from '../../sim/payment/index.js'
import { runPaymentsCommand } from './index.js'
import { maXacThuc } from './payment.protocol.js'
import { consumeDossierEvents, createPaymentDeps, pollOverdueIntents, startOnlinePayment } from './payment.service.js'

// Issue 6 §4 and its acceptance lines: payment refused, timeout then late success, duplicate
// notices (paid once), each with a clear Vietnamese message and nothing half-written; a forged
// notice refused; the reconciliation finds a planted mismatch. The simulator runs as a real HTTP
// server and posts its notices to this app listening on a real port. DOMAIN B §12.3.

const PARTNER = 'VIDAN-TEST'
const SECRET = 'test-secret-for-the-payment-simulator'
// Thursday 26/11/2026 09:00 in Vietnam.
const clock = new ManualClock('2026-11-26T02:00:00Z')
const DAY = '2026-11-26'
const WILL = '2.001019' // Chứng thực di chúc: 50.000 đồng/di chúc, commune level
const COUNCIL = '1.001766' // Khai tử có yếu tố nước ngoài: fee set by the provincial council
const BIRTH = '1.001193' // Đăng ký khai sinh: free
const SHOP = '1.001612' // Hộ kinh doanh: 150.000 online, 50.000 at the counter (catalogue rows)
const applicant = { fullName: 'Trần Văn Bình', idNumber: '096190004321', phone: '0912000321', address: 'Khóm 2, phường An Xuyên' }
const VERIFIER = '4321'
const STATEMENT_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-statements-'))

let t: TestApp
let sim: PaymentSimulator
let counter: StaffFixture
let officer: StaffFixture
let leader: StaffFixture
let admin: StaffFixture
let outsider: StaffFixture

beforeAll(async () => {
  sim = await startPaymentSimulator({ statementDir: STATEMENT_DIR, partners: [{ code: PARTNER, secret: SECRET, callbackUrl: 'http://127.0.0.1:9/', returnUrl: 'http://127.0.0.1:9/' }] })
  t = await createTestApp({ clock, env: { VIDAN_PAYMENT_GATEWAY_URL: sim.url, VIDAN_PAYMENT_PARTNER_CODE: PARTNER, VIDAN_PAYMENT_SECRET: SECRET, VIDAN_PAYMENT_TIMEOUT_MINUTES: '15' } })
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' })
  sim.setPartner({ code: PARTNER, secret: SECRET, callbackUrl: `${url}/api/v1/payments/callback/national`, returnUrl: `${url}/thanh-toan/ket-qua` })
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  outsider = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-31825')
})
afterAll(async () => {
  await t?.close()
  await sim?.close()
  fs.rmSync(STATEMENT_DIR, { recursive: true, force: true })
})
beforeEach(() => {
  Object.assign(sim.faults, NO_FAULTS)
})

const deps = () => createPaymentDeps({ db: t.db, clock, provinceCode: '96', publicUrl: t.config.publicUrl }, { gatewayUrl: sim.url, partnerCode: PARTNER, secret: SECRET, timeoutMinutes: 15, onlineFee: { percent: 100, basis: null } })

async function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const cur = (await who.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
  const r = await who.browser.api('POST', `/api/v1/dossiers/${id}/actions`, { expectedVersion: cur.version, ...body })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}

/** A dossier received at the commune centre, assigned, and waiting for payment (clock paused). */
async function awaitingPayment(procedureCode = WILL) {
  const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
  expect(r.statusCode, r.body).toBe(201)
  const d = r.json()
  await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
  const paused = await act(officer, d.id, { action: 'request_payment', reason: 'Nộp lệ phí chứng thực trước khi trả kết quả' })
  expect(paused.status).toBe('awaiting_payment')
  return d as { id: string; code: string }
}

async function obligations(dossierId: string, who = counter) {
  const r = await who.browser.api('GET', `/api/v1/payments/dossiers/${dossierId}`)
  expect(r.statusCode, r.body).toBe(200)
  return r.json().items as { id: string; status: string; amountVnd: number | null; description: string; intents: { id: string; status: string; reference: string; late: boolean; refundNeeded: boolean; receiptNumber: string | null; message: string }[] }[]
}

/** The payer opens the public pay page with the tracking verifier and is sent to the gateway. */
async function startAsPayer(payer: Browser, code: string, obligationId: string) {
  const page = await payer.get(`/thanh-toan?ma=${encodeURIComponent(code)}&so=${VERIFIER}`)
  expect(page.statusCode, page.body).toBe(200)
  const r = await payer.postForm('/thanh-toan/bat-dau', { ma: code, so: VERIFIER, obligationId }, { csrfFrom: `/thanh-toan?ma=${encodeURIComponent(code)}&so=${VERIFIER}` })
  expect(r.statusCode, r.body).toBe(303)
  const hop = await payer.get(r.headers.location as string)
  const gatewayUrl = /href="(http[^"]+\/thanh-toan\/[0-9a-f]+)"/.exec(hop.body)?.[1]
  expect(gatewayUrl, hop.body).toBeDefined()
  return gatewayUrl!
}

/** The payer on the simulator's page chooses an outcome (a real browser would post the form). */
async function choose(gatewayUrl: string, choice: 'success' | 'failure' | 'timeout') {
  const page = await fetch(gatewayUrl)
  const html = await page.text()
  expect(html).toContain('lang="vi"')
  const res = await fetch(gatewayUrl, { method: 'POST', body: new URLSearchParams({ choice }), redirect: 'manual' })
  return { status: res.status, location: res.headers.get('location'), body: await res.text(), html }
}

async function paidEvents(obligationId: string) {
  const rows = await t.db.selectFrom('outboxEvents').select(['topic', 'payload']).where('aggregateId', '=', obligationId).orderBy('id').execute()
  return rows.map((r) => r.topic)
}

async function dossier(id: string) {
  return (await counter.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
}

function pdfText(bytes: Buffer): string {
  const file = path.join(os.tmpdir(), `vidan-receipt-${process.pid}-${Date.now()}.pdf`)
  fs.writeFileSync(file, bytes)
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC')
  } finally {
    fs.rmSync(file, { force: true })
  }
}
const HAS_PDFTOTEXT = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('fee obligations from the catalogue, per channel', () => {
  it('owes the published fee of the channel, nothing for a free procedure, and waits for an officer where the council sets it', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    expect(o).toMatchObject({ status: 'due', amountVnd: 50_000, description: expect.stringContaining('50.000 đồng/di chúc × 1') })

    const birth = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: BIRTH, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    expect(await obligations(birth.json().id)).toEqual([])

    const council = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: COUNCIL, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    const [c] = await obligations(council.json().id)
    expect(c).toMatchObject({ status: 'needs_amount', amountVnd: null })
    const payer = new Browser(t.app)
    const page = await payer.get(`/thanh-toan?ma=${council.json().code}&so=${VERIFIER}`)
    expect(page.body).toContain('Chờ cơ quan xác định số tiền')
    const early = await payer.api('POST', '/api/v1/payments/online', { code: council.json().code, verifier: VERIFIER, obligationId: c!.id })
    expect(early.statusCode).toBe(409)
    expect(early.json().error).toMatchObject({ code: 'PAYMENT.AMOUNT_NOT_SET', message: expect.stringContaining('chưa xác định số tiền') })
    const bad = await officer.browser.api('POST', `/api/v1/payments/obligations/${c!.id}/amount`, { amountVnd: -5, reason: '' })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.details.fields).sort()).toEqual(['amountVnd', 'reason'])
    const stated = await officer.browser.api('POST', `/api/v1/payments/obligations/${c!.id}/amount`, { amountVnd: 8_000, reason: 'Nghị quyết HĐND tỉnh về lệ phí hộ tịch' })
    expect(stated.statusCode, stated.body).toBe(200)
    expect(stated.json()).toMatchObject({ status: 'due', amountVnd: 8_000 })
  })

  it('charges an online dossier the online row and a counter dossier the in-person row', async () => {
    const online = await new Browser(t.app).api('POST', '/api/v1/dossiers/online', { procedureCode: SHOP, communeCode: '32002', applicant, limit: { amount: 3, unit: 'working_days' } })
    expect(online.statusCode, online.body).toBe(201)
    const atCounter = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: SHOP, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    // The dossier events reach payments through the outbox (the job), not through a page visit.
    await consumeDossierEvents(deps())
    const rows = await t.db.selectFrom('paymentObligations').select(['dossierId', 'amountVnd', 'channel']).where('dossierId', 'in', [online.json().id, atCounter.json().id]).execute()
    expect(rows.find((r) => r.dossierId === online.json().id)).toMatchObject({ channel: 'online', amountVnd: 150_000 })
    expect(rows.find((r) => r.dossierId === atCounter.json().id)).toMatchObject({ channel: 'counter', amountVnd: 50_000 })
    // Replayed events and page visits create no second obligation.
    await consumeDossierEvents(deps())
    await obligations(atCounter.json().id)
    const n = await t.db.selectFrom('paymentObligations').select((eb) => eb.fn.countAll<number>().as('n')).where('dossierId', '=', atCounter.json().id).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(1)
  })
})

describe('online payment through the national platform (simulator)', () => {
  it('pays: redirect, signed notice, paid once, receipt, and the dossier resumes', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    const gatewayUrl = await startAsPayer(payer, d.code, o!.id)
    const chosen = await choose(gatewayUrl, 'success')
    expect(chosen.html).toContain('50.000 đồng')
    expect(chosen.status).toBe(303)
    const back = await payer.get(chosen.location!.replace(/^http:\/\/[^/]+/, ''))
    expect(back.statusCode).toBe(200)
    expect(back.body).toContain('Thanh toán thành công')
    const receiptLink = /href="(\/thanh-toan\/bien-lai\/[^"]+)"/.exec(back.body)?.[1]
    expect(receiptLink).toBeDefined()
    const pdf = await payer.get(receiptLink!)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    if (HAS_PDFTOTEXT) {
      const text = pdfText(pdf.rawPayload)
      expect(text).toContain('BIÊN LAI THU PHÍ, LỆ PHÍ')
      expect(text).toContain('Năm mươi nghìn đồng')
      expect(text).toContain(d.code)
    }
    // The same bytes on a second print.
    expect(Buffer.compare((await payer.get(receiptLink!)).rawPayload, pdf.rawPayload)).toBe(0)
    // Someone else, without the payer's cookie or the verifier, gets nothing.
    expect((await new Browser(t.app).get(receiptLink!)).statusCode).toBe(404)

    const [after] = await obligations(d.id)
    expect(after).toMatchObject({ status: 'paid' })
    expect(after!.intents[0]).toMatchObject({ status: 'paid', late: false, receiptNumber: expect.stringMatching(/^BL-2026-\d{6}$/) })
    expect(await paidEvents(o!.id)).toEqual(['payment.obligation_created', 'payment.initiated', 'payment.paid'])
    const dd = await dossier(d.id)
    expect(dd.status).toBe('processing')
    const confirm = dd.events.find((e: { action: string }) => e.action === 'confirm_payment')
    expect(confirm).toMatchObject({ actorRole: 'system', content: expect.stringContaining('Nền tảng thanh toán quốc gia') })
  })

  it('refused: a clear message, nothing paid, the dossier still waits, and paying again works', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    const chosen = await choose(await startAsPayer(payer, d.code, o!.id), 'failure')
    const back = await payer.get(chosen.location!.replace(/^http:\/\/[^/]+/, ''))
    expect(back.body).toContain('Thanh toán không thành công (ngân hàng từ chối giao dịch). Bạn chưa bị trừ tiền; bạn có thể thanh toán lại.')
    const [after] = await obligations(d.id)
    expect(after).toMatchObject({ status: 'refused' })
    expect(after!.intents.map((i) => i.status)).toEqual(['refused'])
    expect(after!.intents[0]!.receiptNumber).toBeNull()
    expect(await paidEvents(o!.id)).not.toContain('payment.paid')
    expect((await dossier(d.id)).status).toBe('awaiting_payment')

    const again = await choose(await startAsPayer(payer, d.code, o!.id), 'success')
    expect(again.status).toBe(303)
    expect((await obligations(d.id))[0]).toMatchObject({ status: 'paid' })
    expect((await dossier(d.id)).status).toBe('processing')
  })

  it('timeout, then a late success: expired with a clear message, then paid once when the platform confirms', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    const chosen = await choose(await startAsPayer(payer, d.code, o!.id), 'timeout')
    expect(chosen.status).toBe(200)
    expect(chosen.body).toContain('Giao dịch chưa hoàn tất')
    const reference = (await obligations(d.id))[0]!.intents[0]!.reference

    // While waiting, paying again reuses the open transaction rather than opening a second one.
    const reuse = await payer.api('POST', '/api/v1/payments/online', { code: d.code, verifier: VERIFIER, obligationId: o!.id })
    expect(reuse.json()).toMatchObject({ reference, reused: true })

    clock.advance(16 * 60_000)
    const polled = await pollOverdueIntents(deps())
    expect(polled.expired).toBeGreaterThanOrEqual(1)
    const expired = (await obligations(d.id))[0]!
    expect(expired).toMatchObject({ status: 'expired' })
    expect(expired.intents[0]!.message).toContain('quá thời gian chờ')
    expect((await dossier(d.id)).status).toBe('awaiting_payment')

    await sim.complete(reference, 'success') // the bank answers late; the platform notifies
    const late = (await obligations(d.id))[0]!
    expect(late).toMatchObject({ status: 'paid' })
    expect(late.intents[0]).toMatchObject({ status: 'paid', late: true, refundNeeded: false })
    expect(late.intents[0]!.message).toContain('sau thời gian chờ')
    const page = await payer.get(`/thanh-toan/ket-qua?MaThamChieu=${reference}`)
    expect(page.body).toContain('Cổng thanh toán đã xác nhận giao dịch sau thời gian chờ')
    expect((await paidEvents(o!.id)).filter((x) => x === 'payment.paid')).toHaveLength(1)
    expect((await dossier(d.id)).status).toBe('processing')
  })

  it('a late success after the fee was paid another way is kept for refund, never paid twice', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    await choose(await startAsPayer(payer, d.code, o!.id), 'timeout')
    const reference = (await obligations(d.id))[0]!.intents[0]!.reference
    clock.advance(16 * 60_000)
    await pollOverdueIntents(deps())
    const cash = await counter.browser.api('POST', `/api/v1/payments/obligations/${o!.id}/counter`, { method: 'cash', amountVnd: 50_000 })
    expect(cash.statusCode, cash.body).toBe(201)
    await sim.complete(reference, 'success')
    const after = (await obligations(d.id))[0]!
    expect(after).toMatchObject({ status: 'paid' })
    expect(after.intents.find((i) => i.reference === reference)).toMatchObject({ status: 'paid', late: true, refundNeeded: true, message: expect.stringContaining('hoàn trả') })
    expect((await paidEvents(o!.id)).filter((x) => x === 'payment.paid')).toHaveLength(1)
    expect(await paidEvents(o!.id)).toContain('payment.overpaid')
  })

  it('duplicate notices, sent again by the platform and concurrently: paid once, one event, one receipt, one dossier confirmation', async () => {
    sim.faults.duplicate = 2
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    await choose(await startAsPayer(payer, d.code, o!.id), 'success')
    const reference = (await obligations(d.id))[0]!.intents[0]!.reference
    const txn = sim.find(reference)!
    expect(txn.deliveries.filter((x) => x.status === 200)).toHaveLength(3)

    // Five more copies of the same signed notice at once.
    const notice = { LoaiBanTin: 'CONFIRM', MaLoi: '00', MaDoiTac: PARTNER, MaThamChieu: reference, SoTien: '50000', MaTienTe: 'VND', MaGiaoDich: txn.txnId, MaNganHang: txn.bankCode, ThoiGianGD: txn.stamp, ThongTinGiaoDich: txn.info }
    const signed = { ...notice, MaXacThuc: maXacThuc('CONFIRM', notice, SECRET) }
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/national', payload: signed })))
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(answers.every((a) => a.json().MaLoi === '00')).toBe(true)

    expect((await paidEvents(o!.id)).filter((x) => x === 'payment.paid')).toHaveLength(1)
    const log = await t.db.selectFrom('paymentCallbacks').select('outcome').where('reference', '=', reference).orderBy('id').execute()
    expect(log.map((l) => l.outcome)).toEqual(['paid', ...Array(7).fill('duplicate')])
    const receipts = await t.db.selectFrom('paymentReceipts').select('number').where('intentId', '=', (await obligations(d.id))[0]!.intents[0]!.id).execute()
    expect(receipts).toHaveLength(1)
    const events = (await dossier(d.id)).events.filter((e: { action: string }) => e.action === 'confirm_payment')
    expect(events).toHaveLength(1)
  })

  it('out-of-order notices: a stale failure after the success changes nothing', async () => {
    sim.faults.outOfOrder = true
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    await choose(await startAsPayer(new Browser(t.app), d.code, o!.id), 'success')
    const [after] = await obligations(d.id)
    expect(after).toMatchObject({ status: 'paid' })
    const log = await t.db.selectFrom('paymentCallbacks').select('outcome').where('reference', '=', after!.intents[0]!.reference).orderBy('id').execute()
    expect(log.map((l) => l.outcome)).toEqual(['paid', 'ignored_after_success'])
  })

  it('a dropped notice is settled by the status query when the payer comes back', async () => {
    sim.faults.drop = true
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    const chosen = await choose(await startAsPayer(payer, d.code, o!.id), 'success')
    expect((await obligations(d.id))[0]).toMatchObject({ status: 'pending' })
    const back = await payer.get(chosen.location!.replace(/^http:\/\/[^/]+/, ''))
    expect(back.body).toContain('Thanh toán thành công')
    expect((await obligations(d.id))[0]).toMatchObject({ status: 'paid' })
  })

  it('refuses a forged notice, a notice with another amount, and one for an unknown payment, writing nothing', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    await choose(await startAsPayer(new Browser(t.app), d.code, o!.id), 'timeout')
    const txn = sim.find((await obligations(d.id))[0]!.intents[0]!.reference)!
    const notice = { LoaiBanTin: 'CONFIRM', MaLoi: '00', MaDoiTac: PARTNER, MaThamChieu: txn.reference, SoTien: '50000', MaTienTe: 'VND', MaGiaoDich: 'FAKE', MaNganHang: 'VCB', ThoiGianGD: txn.stamp, ThongTinGiaoDich: txn.info }
    const forged = await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/national', payload: { ...notice, MaXacThuc: maXacThuc('CONFIRM', notice, 'guessed-secret-of-an-attacker') } })
    expect(forged.statusCode).toBe(400)
    expect(forged.json()).toMatchObject({ MaLoi: '01' })
    const other = { ...notice, SoTien: '5000' }
    const cheaper = await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/national', payload: { ...other, MaXacThuc: maXacThuc('CONFIRM', other, SECRET) } })
    expect(cheaper.statusCode).toBe(400)
    expect(cheaper.json()).toMatchObject({ MaLoi: '03' })
    const ghost = { ...notice, MaThamChieu: 'dvcKHONGCO20261126090000' }
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/national', payload: { ...ghost, MaXacThuc: maXacThuc('CONFIRM', ghost, SECRET) } })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/payments/callback/national', payload: 'not json', headers: { 'content-type': 'text/plain' } })).statusCode).toBeLessThan(500)

    const [after] = await obligations(d.id)
    expect(after).toMatchObject({ status: 'pending' })
    expect(after!.intents[0]).toMatchObject({ status: 'pending' })
    expect(await paidEvents(o!.id)).not.toContain('payment.paid')
    const log = await t.db.selectFrom('paymentCallbacks').select(['outcome', 'verified']).where('reference', '=', txn.reference).orderBy('id').execute()
    expect(log).toEqual([
      { outcome: 'rejected:signature', verified: false },
      { outcome: 'amount_mismatch', verified: true },
    ])
  })
})

describe('the platform refuses or cannot be reached when a payment starts', () => {
  it('says so in Vietnamese, charges nothing and leaves the fee payable, the attempt recorded as cancelled', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const payer = new Browser(t.app)
    // The platform refuses INIT when its MaXacThuc does not check out (here: it holds another secret).
    sim.setPartner({ ...sim.partner(PARTNER)!, secret: 'the-platform-rotated-its-secret' })
    let refused
    try {
      refused = await payer.api('POST', '/api/v1/payments/online', { code: d.code, verifier: VERIFIER, obligationId: o!.id })
    } finally {
      sim.setPartner({ ...sim.partner(PARTNER)!, secret: SECRET })
    }
    expect(refused.statusCode).toBe(503)
    expect(refused.json().error).toMatchObject({ code: 'PAYMENT.INIT_REFUSED', message: expect.stringContaining('Sai mã xác thực') })
    expect(refused.json().error.message).toContain('Bạn chưa bị trừ tiền')

    const down = createPaymentDeps({ db: t.db, clock, provinceCode: '96', publicUrl: t.config.publicUrl }, { gatewayUrl: 'http://127.0.0.1:9', partnerCode: PARTNER, secret: SECRET, timeoutMinutes: 15, onlineFee: { percent: 100, basis: null } })
    await expect(startOnlinePayment(down, { obligationId: o!.id, ip: '127.0.0.1' })).rejects.toMatchObject({ code: 'PAYMENT.GATEWAY_UNAVAILABLE', message: expect.stringContaining('không phản hồi') })

    const [after] = await obligations(d.id)
    expect(after).toMatchObject({ status: 'due' })
    expect(after!.intents.map((i) => i.status)).toEqual(['cancelled', 'cancelled'])
    expect(await paidEvents(o!.id)).toEqual(['payment.obligation_created', 'payment.initiated', 'payment.init_failed', 'payment.initiated', 'payment.init_failed'])
    // And paying works once the platform answers again.
    expect((await choose(await startAsPayer(payer, d.code, o!.id), 'success')).status).toBe(303)
    expect((await obligations(d.id))[0]).toMatchObject({ status: 'paid' })
  })
})

describe('counter payments', () => {
  it('a counter officer records cash: paid, receipt with the collector, the dossier resumes', async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    const page = `/staff/thanh-toan/ho-so/${d.id}`
    expect((await counter.browser.get(page)).body).toContain('Ghi nhận nộp tại quầy')
    // The receiving counter and the collecting commune both list it; another commune does not.
    expect((await counter.browser.get('/staff/thanh-toan')).body).toContain(d.code)
    expect((await leader.browser.get('/staff/thanh-toan')).body).toContain(d.code)
    expect((await outsider.browser.get('/staff/thanh-toan')).body).not.toContain(d.code)

    const before = await t.db.selectFrom('paymentIntents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const noRef = await counter.browser.postForm(`/staff/thanh-toan/khoan/${o!.id}/nop-tai-quay`, { method: 'transfer', amountVnd: '50000' }, { csrfFrom: page })
    expect(noRef.statusCode).toBe(400)
    expect(noRef.body).toContain('Cần nhập mã giao dịch chuyển khoản')
    const wrong = await counter.browser.postForm(`/staff/thanh-toan/khoan/${o!.id}/nop-tai-quay`, { method: 'cash', amountVnd: '40000' }, { csrfFrom: page })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.body).toContain('Số tiền phải đúng 50.000 đồng')
    const after = await t.db.selectFrom('paymentIntents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))

    const ok = await counter.browser.postForm(`/staff/thanh-toan/khoan/${o!.id}/nop-tai-quay`, { method: 'cash', amountVnd: '50.000', note: 'Nộp tại quầy số 2' }, { csrfFrom: page })
    expect(ok.statusCode, ok.body).toBe(303)
    const done = await counter.browser.get(ok.headers.location as string)
    expect(done.body).toContain('Đã ghi nhận nộp phí và cấp biên lai')
    const [paid] = await obligations(d.id)
    expect(paid).toMatchObject({ status: 'paid' })
    expect(paid!.intents[0]).toMatchObject({ status: 'paid', receiptNumber: expect.stringMatching(/^BL-2026-/) })
    const receipt = await counter.browser.get(`/staff/thanh-toan/bien-lai/${paid!.intents[0]!.id}`)
    expect(receipt.headers['content-type']).toBe('application/pdf')
    if (HAS_PDFTOTEXT) {
      const text = pdfText(receipt.rawPayload)
      expect(text).toContain('Tiền mặt tại Bộ phận một cửa')
      expect(text).toContain('Cán bộ thử counter_officer')
    }
    const dd = await dossier(d.id)
    expect(dd.status).toBe('processing')
    expect(dd.events.find((e: { action: string }) => e.action === 'confirm_payment').content).toContain('tiền mặt')
    // Paid is paid: no second payment, online or at the counter.
    const twice = await counter.browser.api('POST', `/api/v1/payments/obligations/${o!.id}/counter`, { method: 'cash', amountVnd: 50_000 })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error.code).toBe('PAYMENT.ALREADY_PAID')
  })
})

describe('paid before it was asked for', () => {
  it('a fee paid at the counter at receipt lets a later payment request resume the dossier at once', async () => {
    const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: WILL, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    const d = r.json()
    const [o] = await obligations(d.id)
    expect((await counter.browser.api('POST', `/api/v1/payments/obligations/${o!.id}/counter`, { method: 'transfer', amountVnd: 50_000, bankReference: 'FT2633012345' })).statusCode).toBe(201)
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    expect((await act(officer, d.id, { action: 'request_payment', reason: 'Nộp lệ phí chứng thực' })).status).toBe('awaiting_payment')
    await consumeDossierEvents(deps())
    const dd = await dossier(d.id)
    expect(dd.status).toBe('processing')
    expect(dd.events.find((e: { action: string }) => e.action === 'confirm_payment').content).toContain('chuyển khoản, mã giao dịch FT2633012345')
  })
})

describe('a dossier that ends without a decision', () => {
  it('cancels what it still owes: nothing left to pay', async () => {
    const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: WILL, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    const d = r.json()
    const [o] = await obligations(d.id)
    expect(o).toMatchObject({ status: 'due' })
    await act(counter, d.id, { action: 'withdraw' })
    await consumeDossierEvents(deps())
    expect((await obligations(d.id))[0]).toMatchObject({ status: 'cancelled' })
    const start = await new Browser(t.app).api('POST', '/api/v1/payments/online', { code: d.code, verifier: VERIFIER, obligationId: o!.id })
    expect(start.statusCode).toBe(409)
    expect(start.json().error.code).toBe('PAYMENT.CANCELLED')
    expect(await paidEvents(o!.id)).toEqual(['payment.obligation_created', 'payment.cancelled'])
  })
})

describe('authorization', () => {
  it("only officers of the dossier's agencies see and record its payments; the public needs the verifier", async () => {
    const d = await awaitingPayment()
    const [o] = await obligations(d.id)
    expect((await outsider.browser.api('GET', `/api/v1/payments/dossiers/${d.id}`)).statusCode).toBe(403)
    expect((await outsider.browser.api('POST', `/api/v1/payments/obligations/${o!.id}/counter`, { method: 'cash', amountVnd: 50_000 })).statusCode).toBe(403)
    expect((await outsider.browser.get(`/staff/thanh-toan/ho-so/${d.id}`)).statusCode).toBe(403)
    // A processing officer of the competent agency sees it, but cash is the counter's.
    expect((await officer.browser.api('GET', `/api/v1/payments/dossiers/${d.id}`)).statusCode).toBe(200)
    const notCounter = await officer.browser.api('POST', `/api/v1/payments/obligations/${o!.id}/counter`, { method: 'cash', amountVnd: 50_000 })
    expect(notCounter.statusCode).toBe(403)
    expect((await new Browser(t.app).api('GET', `/api/v1/payments/dossiers/${d.id}`)).statusCode).toBe(401)
    expect((await counter.browser.api('POST', '/api/v1/payments/reconciliations', { date: DAY })).statusCode).toBe(403)

    const pub = new Browser(t.app)
    const wrong = await pub.get(`/thanh-toan?ma=${d.code}&so=0000`)
    const unknown = await pub.get(`/thanh-toan?ma=${d.code.replace(/\d{4}$/, '9999')}&so=${VERIFIER}`)
    expect(wrong.statusCode).toBe(404)
    expect(unknown.statusCode).toBe(404)
    const start = await pub.api('POST', '/api/v1/payments/online', { code: d.code, verifier: '0000', obligationId: o!.id })
    expect(start.statusCode).toBe(404)
    expect((await obligations(d.id))[0]!.intents).toHaveLength(0)
  })
})

describe('daily reconciliation', () => {
  it("finds a planted mismatch in the simulator's statement, and only what was planted", async () => {
    // Every online payment of the day above agrees with the platform: nothing to report.
    const clean = await admin.browser.api('POST', '/api/v1/payments/reconciliations', { date: DAY })
    expect(clean.statusCode, clean.body).toBe(200)
    expect(clean.json().ourRows).toBeGreaterThan(5)
    expect(clean.json()).toMatchObject({ mismatches: [], problems: [] })
    // The simulator also keeps the day's statement as a file, as the platform delivers it.
    expect(fs.readFileSync(path.join(STATEMENT_DIR, `${PARTNER}-20261126.csv`), 'utf8')).toBe(sim.statementCsv(PARTNER, DAY))

    const paid = sim.transactions().find((x) => x.state === '1')!
    const refused = sim.transactions().find((x) => x.state === '4')!
    sim.tamper(paid.reference, { amountVnd: paid.amountVnd + 1_000 })
    sim.tamper(refused.reference, { state: '1' })
    sim.addStatementRow({ MaDoiTac: PARTNER, MaThamChieu: 'dvcKHONGCOTRONGVIDAN20261126100000', MaGiaoDich: 'PG99999999', SoTien: '20000', MaTienTe: 'VND', TrangThaiGD: '1', ThoiGianGD: '20261126100000', ThoiGianThanhToan: '', MaNganHang: 'VCB' })
    const r = await admin.browser.api('POST', '/api/v1/payments/reconciliations', { date: DAY })
    expect(r.json().mismatches.map((m: { kind: string; reference: string }) => [m.kind, m.reference]).sort()).toEqual(
      [
        ['amount_differs', paid.reference],
        ['status_differs', refused.reference],
        ['missing_ours', 'dvcKHONGCOTRONGVIDAN20261126100000'],
      ].sort(),
    )

    // The admin page shows the stored report; the CLI reads a statement file and exits 1.
    const page = await admin.browser.get('/admin/thanh-toan/doi-soat')
    expect(page.body).toContain(DAY)
    const file = path.join(os.tmpdir(), `vidan-statement-${process.pid}.csv`)
    fs.writeFileSync(file, sim.statementCsv(PARTNER, DAY).replace(`,${refused.reference},`, ',dvcDOITEN,'))
    const out: string[] = []
    try {
      const code = await runPaymentsCommand(['reconcile', '--date', DAY, '--statement', file], { db: t.db, clock, provinceCode: '96', publicUrl: t.config.publicUrl, settings: { gatewayUrl: sim.url, partnerCode: PARTNER, secret: SECRET, timeoutMinutes: 15, onlineFee: { percent: 100, basis: null } }, out: (l) => out.push(l) })
      expect(code).toBe(1)
    } finally {
      fs.rmSync(file, { force: true })
    }
    expect(out.join('\n')).toContain(`missing_statement  ${refused.reference}`)
    expect(out.join('\n')).toContain('missing_ours       dvcDOITEN')
    const bad = await admin.browser.postForm('/admin/thanh-toan/doi-soat', { date: DAY, statement: 'khong,phai,sao,ke' }, { csrfFrom: '/admin/thanh-toan/doi-soat' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Tệp sao kê thiếu cột')
  })
})
