import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { citizenFixture, type CitizenFixture } from '../../../test/support/citizen.js'
import { makePdf, multipartBody } from '../../../test/support/files.js'
import { Browser, createTestApp, ManualClock, type TestApp } from '../../../test/support/test-app.js'
import { startPaymentSimulator, type PaymentSimulator } from '../../sim/payment/index.js'

// A fee paid from "my dossiers" (issue 6 §2 with §4): the fee of an online dossier shown with a
// "Thanh toán" button that starts the payments module's online payment, then the receipt link,
// through the payment platform simulator. Someone else's dossier offers nothing to pay.
const PARTNER = 'VIDAN-ONLINE-TEST'
const SECRET = 'online-services-test-secret'
const SHOP = '1.001612' // household business: 150.000 đồng online
const clock = new ManualClock('2026-11-26T02:00:00Z')
let t: TestApp
let sim: PaymentSimulator
let a: CitizenFixture
let b: CitizenFixture

beforeAll(async () => {
  sim = await startPaymentSimulator({ partners: [{ code: PARTNER, secret: SECRET, callbackUrl: 'http://127.0.0.1:9/', returnUrl: 'http://127.0.0.1:9/' }] })
  t = await createTestApp({ clock, env: { VIDAN_PAYMENT_GATEWAY_URL: sim.url, VIDAN_PAYMENT_PARTNER_CODE: PARTNER, VIDAN_PAYMENT_SECRET: SECRET } })
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' })
  sim.setPartner({ code: PARTNER, secret: SECRET, callbackUrl: `${url}/api/v1/payments/callback/national`, returnUrl: `${url}/thanh-toan/ket-qua` })
  a = await citizenFixture(t)
  b = await citizenFixture(t)
})
afterAll(async () => {
  await t?.close()
  await sim?.close()
})

async function submitShop(who: CitizenFixture): Promise<string> {
  const form: { requirements: { position: number; optional: boolean }[] } = (await who.browser.api('GET', `/api/v1/citizen/forms/${SHOP}`)).json()
  const pdf = await makePdf('Giay de nghi')
  const values = {
    procedureCode: SHOP,
    communeCode: '32002',
    'applicant.fullName': who.fullName,
    'applicant.idNumber': who.identityNumber,
    'applicant.phone': '0918204512',
    'applicant.address': 'Khóm 3, Phường An Xuyên',
    'extra.businessName': 'Tạp hóa thử',
    'extra.businessAddress': 'Khóm 3, Phường An Xuyên',
    'extra.businessLine': 'Bán lẻ',
    'extra.capital': '100000000',
  }
  const files = form.requirements.filter((r) => !r.optional).map((r) => ({ field: `doc.${r.position}`, name: `giay-to-${r.position}.pdf`, bytes: pdf }))
  const { payload, contentType } = multipartBody(values, files)
  const token = (await who.browser.get('/api/v1/csrf-token')).json().token as string
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/dossiers', payload, headers: { cookie: who.browser.cookieHeader, 'content-type': contentType, 'x-csrf-token': token } })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id as string
}

describe('paying a fee from "my dossiers"', () => {
  it('starts the online payment, comes back paid, and offers the receipt', async () => {
    const id = await submitShop(a)
    const page = await a.browser.get(`/cong-dan/ho-so/${id}`)
    expect(page.body).toContain('150.000 đồng')
    const obligationId = /name="obligationId" value="([0-9a-f-]{36})"/.exec(page.body)?.[1]
    expect(obligationId).toBeDefined()
    // Someone else cannot pay it (or learn of it) through their own session.
    expect((await b.browser.postForm(`/cong-dan/ho-so/${id}/thanh-toan`, { obligationId: obligationId! }, { csrfFrom: '/cong-dan/ho-so' })).statusCode).toBe(404)

    const started = await a.browser.postForm(`/cong-dan/ho-so/${id}/thanh-toan`, { obligationId: obligationId! }, { csrfFrom: `/cong-dan/ho-so/${id}` })
    expect(started.statusCode, started.body.slice(0, 2000)).toBe(303)
    expect(started.headers.location).toMatch(/^\/thanh-toan\/chuyen\//)
    const hop = await a.browser.get(started.headers.location as string)
    const gatewayUrl = /href="(http[^"]+\/thanh-toan\/[0-9a-f]+)"/.exec(hop.body)?.[1]
    expect(gatewayUrl, hop.body).toBeDefined()
    const res = await fetch(gatewayUrl!, { method: 'POST', body: new URLSearchParams({ choice: 'success' }), redirect: 'manual' })
    expect(res.status).toBe(303)
    const back = await a.browser.get(res.headers.get('location')!.replace(/^http:\/\/[^/]+/, ''))
    expect(back.body).toContain('Thanh toán thành công')
    expect(back.body).toMatch(/href="\/thanh-toan\/bien-lai\/[0-9a-f-]{36}"/)

    const paid = await a.browser.get(`/cong-dan/ho-so/${id}`)
    expect(paid.body).toContain('Đã thanh toán')
    const receipt = /href="(\/thanh-toan\/bien-lai\/[^"]+)"/.exec(paid.body)?.[1]
    expect(receipt).toBeDefined()
    const pdf = await a.browser.get(receipt!.replace(/&amp;/g, '&'))
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect((await new Browser(t.app).get(receipt!.replace(/&amp;/g, '&'))).statusCode).toBe(404)
  })
})
