import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/app/config.js'
import { serverLoggerOptions } from '../src/app/logging.js'
import { createWebApp } from '../src/app/runtime.js'
import { systemClock } from '../src/shared/clock.js'
import { DEMO_CITIZENS } from '../src/sim/demo-idp/index.js'
import { startSmsSimulator, type SmsSimulator } from '../src/sim/sms/index.js'
import { csrfOf, jsonCall, loginDemoCitizen } from './support/idp-login.js'
import { freePort } from './support/server-process.js'
import { staffFixture, type TestApp } from './support/test-app.js'
import { createTestDatabase } from './support/test-db.js'

// No personal data in logs (issue 6 §6; DOMAIN B §10; DESIGN non-negotiables): a citizen and a
// team member go through login, account pages, the data export and an SMS consent, with the
// server's own logger configuration at its most verbose level; the captured lines must hold
// none of the demo citizens' identity numbers, phones, names or addresses, nor the SMS code.

const MAI = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0001')!
const HUNG = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!
const lines: string[] = []
let t: TestApp
let base: string
let sim: SmsSimulator

beforeAll(async () => {
  sim = await startSmsSimulator({ apiKey: 'log-test-sms-key', brandnames: ['VIDAN'] })
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const handle = await createTestDatabase()
  const config = loadConfig({ VIDAN_MODE: 'demo', LOG_LEVEL: 'trace', PORT: String(port), VIDAN_PUBLIC_URL: base, VIDAN_LOGIN_RATE_PER_MINUTE: '100000', VIDAN_SMS_GATEWAY_URL: sim.url, VIDAN_SMS_API_KEY: 'log-test-sms-key', VIDAN_SMS_BRANDNAME: 'VIDAN' })
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'))
      done()
    },
  })
  const app = await createWebApp({ config, db: handle.db, clock: systemClock, logger: { ...serverLoggerOptions(config), stream } })
  await app.listen({ port, host: '127.0.0.1' })
  t = { app, db: handle.db, handle, clock: systemClock, config, close: async () => (await app.close(), await handle.close()) }
})
afterAll(async () => {
  await t?.close()
  await sim?.close()
})

describe('personal data in the server logs', () => {
  it('a citizen flow and an assisted consent leave no identity number, phone, name or code in the logs', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const team = (await admin.browser.api('POST', '/api/v1/outreach/teams', { communeCode: '32152', name: 'Tổ thử nhật ký' })).json<{ id: string }>()
    expect((await admin.browser.api('POST', `/api/v1/outreach/teams/${team.id}/members`, { identityNumber: HUNG.identityNumber, fullName: HUNG.name })).statusCode).toBe(201)

    const mai = await loginDemoCitizen(base, MAI.identityNumber)
    for (const p of ['/cong-dan/tai-khoan', '/cong-dan/uy-quyen', '/cong-dan/du-lieu-cua-toi', '/api/v1/citizen/me', '/api/v1/citizen/me/export']) expect((await mai.request(`${base}${p}`)).status).toBe(200)
    // Personal data in a query string and in refused input.
    await mai.request(`${base}/tra-cuu?ma=${MAI.identityNumber}&so=${MAI.phone}`)
    const hung = await loginDemoCitizen(base, HUNG.identityNumber)
    const bad = await jsonCall(hung, base, 'POST', '/api/v1/outreach/consent-requests', { identityNumber: `${MAI.identityNumber}9`, phone: `${MAI.phone}99`, purpose: MAI.name, scope: 'one_dossier', validDays: 7, method: 'sms_otp' })
    expect(bad.status).toBe(400)
    const local = `0${MAI.phone.slice(3)}`
    const form = { _csrf: await csrfOf(hung, `${base}/ho-tro/nop-thay`), identityNumber: MAI.identityNumber, phone: local, purpose: `Nộp hồ sơ cho ${MAI.name}`, scope: 'one_dossier', validDays: '7', method: 'sms_otp' }
    const started = await hung.request(`${base}/ho-tro/nop-thay`, { form })
    expect(started.status).toBe(303)
    const code = sim.lastCode(MAI.phone)!
    expect(code).toMatch(/^\d{6}$/)
    const requestPage = started.location!
    const verified = await hung.request(`${requestPage}/xac-nhan`, { form: { _csrf: await csrfOf(hung, requestPage), code } })
    expect(verified.status).toBe(303)
    expect((await hung.request(requestPage)).body).toContain('Công dân đã đồng ý')
    // A database error that echoes a row value (as a unique violation does) loses that field in the log.
    t.app.log.error({ err: Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505', detail: `Key (identity_number)=(${MAI.identityNumber}) already exists.` }) }, 'planted database error')

    const log = lines.join('')
    expect(lines.length).toBeGreaterThan(20) // the logger did write: the absence below means something
    expect(log).toContain('planted database error')
    const secrets = [MAI.identityNumber, HUNG.identityNumber, MAI.phone, local, MAI.phone.slice(1), HUNG.phone, MAI.name, HUNG.name, MAI.address, code]
    for (const s of secrets) expect(log.includes(s), `log contains personal data (${s.slice(0, 3)}…)`).toBe(false)
    expect(log).not.toMatch(/096190004512|0918204512/)
  })
})
