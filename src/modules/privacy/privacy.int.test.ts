import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZENS } from '../../sim/demo-idp/index.js'
import type { HttpBrowser } from '../../../test/support/http-browser.js'
import { jsonCall, loginDemoCitizen } from '../../../test/support/idp-login.js'
import { freePort } from '../../../test/support/server-process.js'
import { createTestApp, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'

// "Download all my data" (issue 6 §6; DOMAIN B §10, Law 91/2025: the data subject's access): the
// export holds everything about the logged-in citizen (identity number unmasked: it goes to them
// alone) and nothing of another citizen's.

const MAI = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0001')!
const HUNG = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!
const NAM = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0003')!
const WILL = '2.001019' // Chứng thực di chúc: a fee of 50.000 đồng at commune level

let t: TestApp
let base: string
let counter: StaffFixture
let mai: HttpBrowser
let nam: HttpBrowser
const codes: Record<string, string> = {}

beforeAll(async () => {
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  t = await createTestApp({ env: { PORT: String(port), VIDAN_PUBLIC_URL: base } })
  await t.app.listen({ port, host: '127.0.0.1' })
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  const team = (await admin.browser.api('POST', '/api/v1/outreach/teams', { communeCode: '32152', name: 'Tổ thử xuất dữ liệu' })).json<{ id: string }>()
  await admin.browser.api('POST', `/api/v1/outreach/teams/${team.id}/members`, { identityNumber: HUNG.identityNumber, fullName: HUNG.name })
  mai = await loginDemoCitizen(base, MAI.identityNumber)
  nam = await loginDemoCitizen(base, NAM.identityNumber)
  for (const c of [MAI, NAM]) {
    const phone = `0${c.phone.slice(3)}`
    const d = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: WILL, communeCode: '32002', applicant: { fullName: c.name, idNumber: c.identityNumber, phone, address: c.address }, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
    expect(d.statusCode, d.body).toBe(201)
    codes[c.identityNumber] = d.json().code
    // The fee obligation is made on first need (the counter's fee page).
    expect((await counter.browser.get(`/staff/thanh-toan/ho-so/${d.json().id}`)).statusCode).toBe(200)
  }
  // A document of Mai's in her store.
  const bytes = Buffer.from('%PDF-1.4 test')
  const sha = crypto.createHash('sha256').update(bytes).digest('hex')
  await t.db.insertInto('documentBlobs').values({ sha256: sha, sizeBytes: bytes.length, bytes, createdAt: new Date() }).onConflict((oc) => oc.doNothing()).execute()
  await t.db.insertInto('documents').values({ id: crypto.randomUUID(), sha256: sha, mediaType: 'application/pdf', sizeBytes: bytes.length, originalName: 'giay-khai-sinh-mai.pdf', kind: 'citizen_upload', ownerSubject: MAI.identityNumber, legalCopy: false, scanStatus: 'not_scanned', scanEngine: null, scannedAt: null, createdBy: null, createdAt: new Date() }).execute()
  // Mai consents, in her own session, to Hùng acting for her.
  const hung = await loginDemoCitizen(base, HUNG.identityNumber)
  const r = await jsonCall(hung, base, 'POST', '/api/v1/outreach/consent-requests', { identityNumber: MAI.identityNumber, purpose: 'Nộp hồ sơ chứng thực', scope: 'one_dossier', validDays: 7, method: 'in_session' })
  expect(r.status).toBe(201)
  expect((await jsonCall(mai, base, 'POST', `/api/v1/citizen/me/consent-requests/${r.json.id}/decision`, { decision: 'approve' })).status).toBe(200)
})
afterAll(async () => t?.close())

describe('download all my data', () => {
  it("holds the citizen's own data, identity number unmasked, and none of another citizen's", async () => {
    const res = await fetch(`${base}/api/v1/citizen/me/export`, { headers: { cookie: [...mai.cookiesFor(`${base}/api/v1/citizen/me/export`)].map(([k, v]) => `${k}=${v}`).join('; ') } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="du-lieu-cua-toi-\d{4}-\d{2}-\d{2}\.json"$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const text = await res.text()
    const data = JSON.parse(text)
    expect(data.format).toBe('vidan.personal-data.v1')
    expect(data.identity.citizen).toMatchObject({ identityNumber: MAI.identityNumber, fullName: MAI.name, phone: MAI.phone, address: MAI.address, birthDate: MAI.birthdate })
    expect(data.identity.sessions.length).toBeGreaterThanOrEqual(1)
    expect(JSON.stringify(data.identity.sessions)).not.toContain('tokenHash')
    expect(data.dossiers.map((d: { code: string }) => d.code)).toEqual([codes[MAI.identityNumber]])
    expect(data.dossiers[0].events.length).toBeGreaterThan(0)
    expect(data.payments).toEqual([expect.objectContaining({ dossierCode: codes[MAI.identityNumber], amountVnd: 50000 })])
    expect(data.documents).toEqual([expect.objectContaining({ originalName: 'giay-khai-sinh-mai.pdf', mediaType: 'application/pdf' })])
    expect(data.outreach.consentsGiven).toEqual([expect.objectContaining({ memberName: HUNG.name, method: 'in_session', state: 'active' })])
    // Nothing of Nam's.
    for (const s of [NAM.identityNumber, NAM.name, codes[NAM.identityNumber]!, NAM.phone.slice(3)]) expect(text.includes(s), s.slice(0, 4)).toBe(false)
    expect(text).not.toContain(HUNG.identityNumber)

    const page = await mai.request(`${base}/cong-dan/du-lieu-cua-toi`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('Tải về toàn bộ dữ liệu')
  })

  it('the other citizen gets theirs only; an officer and a visitor get none', async () => {
    const theirs = await jsonCall(nam, base, 'GET', '/api/v1/citizen/me/export')
    expect(theirs.status).toBe(200)
    expect(theirs.json.identity.citizen.identityNumber).toBe(NAM.identityNumber)
    expect(theirs.json.dossiers.map((d: { code: string }) => d.code)).toEqual([codes[NAM.identityNumber]])
    expect(theirs.json.outreach.consentsGiven).toEqual([])
    const text = JSON.stringify(theirs.json)
    for (const s of [MAI.identityNumber, MAI.name, codes[MAI.identityNumber]!, 'giay-khai-sinh-mai.pdf']) expect(text.includes(s)).toBe(false)
    expect((await counter.browser.api('GET', '/api/v1/citizen/me/export')).statusCode).toBe(403)
    expect((await fetch(`${base}/api/v1/citizen/me/export`)).status).toBe(401)
  })
})
