import crypto from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { inTransaction } from '../../shared/database.js'
import { DEMO_CITIZENS } from '../../sim/demo-idp/index.js'
import { startSmsSimulator, type SmsSimulator } from '../../sim/sms/index.js'
import type { HttpBrowser } from '../../../test/support/http-browser.js'
import { csrfOf, jsonCall, loginDemoCitizen } from '../../../test/support/idp-login.js'
import { freePort } from '../../../test/support/server-process.js'
import { createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { assertActingFor, OTP_POLICY, recordConsentUse } from './index.js'

// Assisted submission (issue 6 §5) with the citizen's consent (DOMAIN B §10: personal data is
// processed for a citizen only on a lawful basis; here their recorded consent), identity numbers
// checked by structure (DOMAIN A10). Codes go out through the SMS adapter to the simulator, whose
// inbox the test reads like the citizen's phone.

const MAI = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0001')!
const HUNG = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!
const NAM = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0003')!
const HA = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0004')!
const KEY = 'test-sms-api-key'
const HOUR = 3600_000

let t: TestApp
let base: string
let sim: SmsSimulator
let admin: StaffFixture
let member: HttpBrowser
let member2: HttpBrowser
let mai: HttpBrowser
let nam: HttpBrowser
let teamId: string
const clock = new ManualClock(new Date())
const ids: Record<string, string> = {}

// Citizens Vì Dân has never seen (never logged in): the code goes to the number the member types.
let serial = 0
const stranger = () => {
  serial++
  return { identityNumber: `0961900${String(70000 + serial).slice(-5)}`, phone: `09120${String(10000 + serial).slice(-5)}` }
}

beforeAll(async () => {
  sim = await startSmsSimulator({ apiKey: KEY, brandnames: ['VIDAN-TEST'] })
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  t = await createTestApp({ clock, env: { PORT: String(port), VIDAN_PUBLIC_URL: base, VIDAN_SMS_GATEWAY_URL: sim.url, VIDAN_SMS_API_KEY: KEY, VIDAN_SMS_BRANDNAME: 'VIDAN-TEST', VIDAN_SMS_TIMEOUT_SECONDS: '1' } })
  await t.app.listen({ port, host: '127.0.0.1' })
  admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  const team = await admin.browser.api('POST', '/api/v1/outreach/teams', { communeCode: '32152', name: 'Tổ công nghệ số ấp Tân Long (thử)' })
  expect(team.statusCode, team.body).toBe(201)
  teamId = team.json().id
  for (const who of [HUNG, HA]) expect((await admin.browser.api('POST', `/api/v1/outreach/teams/${teamId}/members`, { identityNumber: who.identityNumber, fullName: who.name })).statusCode).toBe(201)
  member = await loginDemoCitizen(base, HUNG.identityNumber)
  member2 = await loginDemoCitizen(base, HA.identityNumber)
  mai = await loginDemoCitizen(base, MAI.identityNumber)
  nam = await loginDemoCitizen(base, NAM.identityNumber)
  for (const c of [MAI, HUNG, NAM, HA]) ids[c.identityNumber] = (await t.db.selectFrom('citizens').select('id').where('identityNumber', '=', c.identityNumber).executeTakeFirstOrThrow()).id
})
afterAll(async () => {
  await t?.close()
  await sim?.close()
})
// Each test starts an hour later: the hourly caps on codes (per phone, per member) start afresh.
// Sessions slide on use (idle limit 2 hours): every browser touches its session after the jump.
beforeEach(async () => {
  clock.advance(HOUR + 60_000)
  sim.faults.mode = 'none'
  for (const b of [member, member2, mai, nam]) await b.request(`${base}/api/v1/citizen/me`)
  await admin.browser.get('/staff')
})

const ask = (b: HttpBrowser, body: Record<string, unknown>) => jsonCall(b, base, 'POST', '/api/v1/outreach/consent-requests', { purpose: 'Nộp hồ sơ đăng ký khai sinh', scope: 'one_dossier', validDays: 7, method: 'sms_otp', ...body })
const verify = (b: HttpBrowser, id: string, code: string) => jsonCall(b, base, 'POST', `/api/v1/outreach/consent-requests/${id}/verify`, { code })
const resend = (b: HttpBrowser, id: string) => jsonCall(b, base, 'POST', `/api/v1/outreach/consent-requests/${id}/resend`, {})
const codeFor = (phone: string) => {
  const c = sim.lastCode(phone)
  if (!c) throw new Error('no code in the inbox')
  return c
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')
const consentsOf = (identityNumber: string) => t.db.selectFrom('outreachConsents').selectAll().where('citizenIdentityNumber', '=', identityNumber).execute()
async function consentFor(who: { identityNumber: string; phone: string }, b = member, extra: Record<string, unknown> = {}) {
  const r = await ask(b, { ...who, ...extra })
  expect(r.status, JSON.stringify(r.json)).toBe(201)
  const v = await verify(b, r.json.id, codeFor(who.phone))
  expect(v.status, JSON.stringify(v.json)).toBe(201)
  return v.json.consentId as string
}
const acting = (input: Parameters<typeof assertActingFor>[1], at = clock.now()) => inTransaction(t.db, (trx) => assertActingFor(trx, input, at))
async function refusal(input: Parameters<typeof assertActingFor>[1], at = clock.now()) {
  const e = await acting(input, at).then(
    () => undefined,
    (err: unknown) => err as { code: string; kind: string },
  )
  expect(e, 'assertActingFor accepted').toBeDefined()
  expect(e!.kind).toBe('forbidden')
  return e!.code
}

describe('teams and members (administrators)', () => {
  it('refuses a malformed identity number (DOMAIN A10), a second team for one person, and non-administrators', async () => {
    const bad = await admin.browser.api('POST', `/api/v1/outreach/teams/${teamId}/members`, { identityNumber: '12345', fullName: 'A' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('OUTREACH.INVALID_MEMBER')
    expect(Object.keys(bad.json().error.details.fields).sort()).toEqual(['fullName', 'identityNumber'])
    const other = await admin.browser.api('POST', '/api/v1/outreach/teams', { communeCode: '32002', name: 'Tổ khóm 3 (thử)' })
    const again = await admin.browser.api('POST', `/api/v1/outreach/teams/${other.json().id}/members`, { identityNumber: HUNG.identityNumber, fullName: HUNG.name })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('OUTREACH.ALREADY_MEMBER')
    const counter = await staffFixture(t, 'counter_officer')
    expect((await counter.browser.api('GET', '/api/v1/outreach/teams')).statusCode).toBe(403)
    const form = await admin.browser.postForm('/admin/to-cong-nghe-so', { communeCode: '99999', name: 'x' }, { csrfFrom: '/admin/to-cong-nghe-so' })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('id="communeCode-error"')
    expect(form.body).toContain('id="name-error"')
    const page = await admin.browser.get(`/admin/to-cong-nghe-so/${teamId}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(HUNG.name)
    expect(page.body).not.toContain(HUNG.identityNumber) // masked in the list
  })
})

describe('asking consent by a code sent by SMS', () => {
  it('a non-member cannot start assisted mode', async () => {
    const before = await t.db.selectFrom('outreachConsentRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const r = await ask(nam, stranger())
    expect(r.status).toBe(403)
    expect(r.json.error.code).toBe('OUTREACH.NOT_A_MEMBER')
    const page = await nam.request(`${base}/ho-tro/nop-thay`)
    expect(page.status).toBe(403)
    expect(page.body).toContain('chỉ dành cho thành viên tổ công nghệ số cộng đồng')
    const after = await t.db.selectFrom('outreachConsentRequests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('reports every problem of the form at once and sends nothing (DOMAIN A10)', async () => {
    const sent = sim.inbox().length
    const r = await ask(member, { identityNumber: '09619000', phone: '0123', purpose: 'x', validDays: 90 })
    expect(r.status).toBe(400)
    expect(r.json.error.code).toBe('OUTREACH.INVALID_REQUEST')
    expect(Object.keys(r.json.error.details.fields).sort()).toEqual(['identityNumber', 'phone', 'purpose', 'validDays'])
    const self = await ask(member, { identityNumber: HUNG.identityNumber, phone: '0912345678' })
    expect(self.status).toBe(400)
    expect(sim.inbox().length).toBe(sent)
  })

  it('happy path: the code goes to the phone the identity provider gave, the right code records the consent, the citizen sees it (DOMAIN B §10)', async () => {
    // The member types another number: the code still goes to the number on record for Mai.
    const r = await ask(member, { identityNumber: MAI.identityNumber, phone: '0987654321' })
    expect(r.status, JSON.stringify(r.json)).toBe(201)
    expect(r.json).toMatchObject({ status: 'code_sent', phoneSource: 'identity_provider', citizenIdentityNumberMasked: '096*****4512', sendCount: 1 })
    expect(sim.inbox('0987654321')).toEqual([])
    const code = codeFor(MAI.phone)
    expect(sim.inbox(MAI.phone)[0]!.text).toContain('Tran Van Hung')
    const stored = await t.db.selectFrom('outreachConsentRequests').select(['otpHash']).where('id', '=', r.json.id).executeTakeFirstOrThrow()
    expect(stored.otpHash).toMatch(/^[0-9a-f]{64}$/)
    expect(stored.otpHash).not.toContain(code)
    expect(stored.otpHash).not.toBe(crypto.createHash('sha256').update(code).digest('hex'))

    const v = await verify(member, r.json.id, code)
    expect(v.status).toBe(201)
    const [consent] = (await consentsOf(MAI.identityNumber)).filter((c) => c.id === v.json.consentId)
    expect(consent).toMatchObject({ method: 'sms_otp', scope: 'one_dossier', memberCitizenId: ids[HUNG.identityNumber], memberName: HUNG.name, phoneSource: 'identity_provider', revokedAt: null })
    expect(consent!.expiresAt.getTime() - consent!.grantedAt.getTime()).toBe(7 * 24 * HOUR)
    // Used once, again: the code is spent.
    expect((await verify(member, r.json.id, code)).json.error.code).toBe('OUTREACH.REQUEST_DONE')

    const acts = await acting({ memberCitizenId: ids[HUNG.identityNumber]!, applicantCitizenId: ids[MAI.identityNumber]!, consentId: consent!.id })
    expect(acts).toMatchObject({ applicantIdentityNumber: MAI.identityNumber, applicantCitizenId: ids[MAI.identityNumber], memberName: HUNG.name, method: 'sms_otp' })
    const dossierId = crypto.randomUUID()
    await inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: consent!.id, memberCitizenId: ids[HUNG.identityNumber]!, dossierId, dossierCode: '000.00.00.H12-261126-0042' }, clock.now()))
    const mine = await jsonCall(mai, base, 'GET', '/api/v1/citizen/me/consents')
    const seen = mine.json.consents.find((c: { id: string }) => c.id === consent!.id)
    expect(seen).toMatchObject({ memberName: HUNG.name, method: 'sms_otp', state: 'used', uses: [{ dossierId, dossierCode: '000.00.00.H12-261126-0042' }] })
    const page = await mai.request(`${base}/cong-dan/uy-quyen`)
    expect(page.body).toContain(HUNG.name)
    expect(page.body).toContain('000.00.00.H12-261126-0042')
    expect(page.body).toContain('Mã xác nhận qua tin nhắn SMS')
  })

  it('a wrong code is refused with the attempts left; the right one still works', async () => {
    const who = stranger()
    const r = await ask(member, who)
    expect(r.json).toMatchObject({ phoneSource: 'entered' })
    const code = codeFor(who.phone)
    const w = await verify(member, r.json.id, wrong(code))
    expect(w.status).toBe(400)
    expect(w.json.error).toMatchObject({ code: 'OUTREACH.CODE_WRONG', details: { attemptsLeft: OTP_POLICY.maxAttempts - 1 } })
    expect((await verify(member, r.json.id, '12ab')).json.error.code).toBe('OUTREACH.CODE_FORMAT')
    expect(await consentsOf(who.identityNumber)).toEqual([])
    expect((await verify(member, r.json.id, code)).status).toBe(201)
    expect(await consentsOf(who.identityNumber)).toHaveLength(1)
  })

  it('an expired code is refused; a resent code works', async () => {
    const who = stranger()
    const r = await ask(member, who)
    const old = codeFor(who.phone)
    clock.advance(OTP_POLICY.ttlMs + 1000)
    const e = await verify(member, r.json.id, old)
    expect(e.status).toBe(400)
    expect(e.json.error.code).toBe('OUTREACH.CODE_EXPIRED')
    expect(e.json.error.message).toContain('hết hạn')
    const again = await resend(member, r.json.id)
    expect(again.status).toBe(200)
    expect(again.json.sendCount).toBe(2)
    const fresh = codeFor(who.phone)
    if (fresh !== old) expect((await verify(member, r.json.id, old)).json.error.code).toBe('OUTREACH.CODE_WRONG')
    expect((await verify(member, r.json.id, fresh)).status).toBe(201)
  })

  it('too many wrong codes lock the request: even the right code is refused then', async () => {
    const who = stranger()
    const r = await ask(member, who)
    const code = codeFor(who.phone)
    for (let i = 1; i < OTP_POLICY.maxAttempts; i++) expect((await verify(member, r.json.id, wrong(code))).json.error.code).toBe('OUTREACH.CODE_WRONG')
    const last = await verify(member, r.json.id, wrong(code))
    expect(last.status).toBe(423)
    expect(last.json.error.code).toBe('OUTREACH.TOO_MANY_ATTEMPTS')
    expect((await verify(member, r.json.id, code)).json.error.code).toBe('OUTREACH.TOO_MANY_ATTEMPTS')
    expect((await resend(member, r.json.id)).json.error.code).toBe('OUTREACH.TOO_MANY_ATTEMPTS')
    expect(await consentsOf(who.identityNumber)).toEqual([])
    const row = await t.db.selectFrom('outreachConsentRequests').select(['status', 'otpHash', 'attempts']).where('id', '=', r.json.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'locked', otpHash: null, attempts: OTP_POLICY.maxAttempts })
  })

  it('resending is spaced and capped per request, and codes per phone are capped per hour', async () => {
    const who = stranger()
    const r = await ask(member, who)
    const soon = await resend(member, r.json.id)
    expect(soon.status).toBe(429)
    expect(soon.json.error.code).toBe('OUTREACH.RATE_LIMITED')
    expect(soon.json.error.message).toMatch(/chờ \d+ giây/)
    for (let n = 2; n <= OTP_POLICY.maxSendsPerRequest; n++) {
      clock.advance(OTP_POLICY.resendGapMs)
      expect((await resend(member, r.json.id)).json.sendCount).toBe(n)
    }
    clock.advance(OTP_POLICY.resendGapMs)
    expect((await resend(member, r.json.id)).status).toBe(429)
    expect(sim.inbox(who.phone)).toHaveLength(OTP_POLICY.maxSendsPerRequest)
    // More requests to the same phone, by two members: the phone's hourly cap holds across them.
    const left = OTP_POLICY.maxSendsPerPhonePerHour - OTP_POLICY.maxSendsPerRequest
    for (let i = 0; i < left; i++) expect((await ask(i % 2 ? member : member2, who)).status).toBe(201)
    const over = await ask(member2, who)
    expect(over.status).toBe(429)
    expect(sim.inbox(who.phone)).toHaveLength(OTP_POLICY.maxSendsPerPhonePerHour)
  })

  it('two right codes entered at once make one consent', async () => {
    const who = stranger()
    const r = await ask(member, who)
    const code = codeFor(who.phone)
    const [a, b] = await Promise.all([verify(member, r.json.id, code), verify(member, r.json.id, code)])
    expect([a.status, b.status].sort()).toEqual([201, 409])
    expect(await consentsOf(who.identityNumber)).toHaveLength(1)
  })
})

describe('the SMS gateway failing', () => {
  it('a 5xx gives a clear Vietnamese message and leaves no consent and no usable code', async () => {
    const who = stranger()
    sim.faults.mode = 'error'
    const r = await ask(member, who)
    expect(r.status).toBe(503)
    expect(r.json.error.code).toBe('SMS.GATEWAY_UNAVAILABLE')
    expect(r.json.error.message).toContain('Không gửi được tin nhắn SMS')
    expect(await consentsOf(who.identityNumber)).toEqual([])
    const row = await t.db.selectFrom('outreachConsentRequests').select(['id', 'status', 'otpHash', 'sendCount']).where('citizenIdentityNumber', '=', who.identityNumber).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'send_failed', otpHash: null, sendCount: 0 })
    expect((await verify(member, row.id, '123456')).json.error.code).toBe('OUTREACH.NO_CODE_PENDING')
    // The gateway is back: the member sends again at once (the failed send did not count).
    sim.faults.mode = 'none'
    const again = await resend(member, row.id)
    expect(again.status).toBe(200)
    expect((await verify(member, row.id, codeFor(who.phone))).status).toBe(201)
  })

  it('no answer within the timeout is a failure too, shown on the page', async () => {
    const who = stranger()
    sim.faults.mode = 'timeout'
    sim.faults.holdMs = 3000
    const form = { _csrf: await csrfOf(member, `${base}/ho-tro/nop-thay`), ...who, purpose: 'Nộp hồ sơ chứng thực', scope: 'one_dossier', validDays: '3', method: 'sms_otp' }
    const page = await member.request(`${base}/ho-tro/nop-thay`, { form })
    expect(page.status).toBe(503)
    expect(page.body).toContain('Không gửi được tin nhắn SMS')
    expect(await consentsOf(who.identityNumber)).toEqual([])
  })
})

describe('assertActingFor: the e-form’s check before submitting for someone', () => {
  it('refuses without consent, with a consent of another citizen or another member, revoked, expired, used, or once the member left the team', async () => {
    const hung = ids[HUNG.identityNumber]!
    const maiId = ids[MAI.identityNumber]!
    expect(await refusal({ memberCitizenId: hung, applicantCitizenId: maiId, consentId: crypto.randomUUID() })).toBe('OUTREACH.CONSENT_NOT_FOUND')
    expect(await refusal({ memberCitizenId: hung, applicantCitizenId: maiId, consentId: 'not-a-uuid' })).toBe('OUTREACH.CONSENT_NOT_FOUND')
    expect(await refusal({ memberCitizenId: ids[NAM.identityNumber]!, applicantCitizenId: maiId, consentId: crypto.randomUUID() })).toBe('OUTREACH.NOT_A_MEMBER')

    const other = stranger()
    const forOther = await consentFor(other, member, { scope: 'until_expiry', validDays: 2 })
    expect(await refusal({ memberCitizenId: hung, applicantCitizenId: maiId, consentId: forOther })).toBe('OUTREACH.CONSENT_OTHER_CITIZEN')
    expect(await refusal({ memberCitizenId: ids[HA.identityNumber]!, applicantIdentityNumber: other.identityNumber, consentId: forOther })).toBe('OUTREACH.CONSENT_NOT_FOUND')
    await expect(acting({ memberCitizenId: hung, applicantIdentityNumber: other.identityNumber, consentId: forOther })).resolves.toMatchObject({ applicantCitizenId: null, scope: 'until_expiry' })
    // An until-expiry consent serves several dossiers, then expires.
    for (let i = 0; i < 2; i++) await inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: forOther, memberCitizenId: hung, dossierId: crypto.randomUUID() }, clock.now()))
    // (Two days on, given as the check's `now`: moving the test clock would end the sessions.)
    const later = new Date(clock.now().getTime() + 2 * 24 * HOUR)
    expect(await refusal({ memberCitizenId: hung, applicantIdentityNumber: other.identityNumber, consentId: forOther }, later)).toBe('OUTREACH.CONSENT_EXPIRED')
    await expect(inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: forOther, memberCitizenId: hung, dossierId: crypto.randomUUID() }, later))).rejects.toMatchObject({ code: 'OUTREACH.CONSENT_USED' })

    // One dossier: the second dossier is refused, the same one again is harmless.
    const once = await consentFor(stranger())
    const who = (await t.db.selectFrom('outreachConsents').select('citizenIdentityNumber').where('id', '=', once).executeTakeFirstOrThrow()).citizenIdentityNumber
    const d1 = crypto.randomUUID()
    await inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: once, memberCitizenId: hung, dossierId: d1 }, clock.now()))
    await inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: once, memberCitizenId: hung, dossierId: d1 }, clock.now()))
    expect(await refusal({ memberCitizenId: hung, applicantIdentityNumber: who, consentId: once })).toBe('OUTREACH.CONSENT_USED')
    await expect(inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: once, memberCitizenId: hung, dossierId: crypto.randomUUID() }, clock.now()))).rejects.toMatchObject({ code: 'OUTREACH.CONSENT_USED' })

    // Mai revokes hers; another citizen cannot revoke it.
    const maiConsent = await consentFor({ identityNumber: MAI.identityNumber, phone: MAI.phone }, member, { scope: 'until_expiry' })
    await expect(acting({ memberCitizenId: hung, applicantCitizenId: maiId, consentId: maiConsent })).resolves.toBeDefined()
    expect((await jsonCall(nam, base, 'POST', `/api/v1/citizen/me/consents/${maiConsent}/revoke`, {})).status).toBe(404)
    expect((await jsonCall(mai, base, 'POST', `/api/v1/citizen/me/consents/${maiConsent}/revoke`, {})).status).toBe(200)
    expect(await refusal({ memberCitizenId: hung, applicantCitizenId: maiId, consentId: maiConsent })).toBe('OUTREACH.CONSENT_REVOKED')

    // A member who left the team holds nothing any more.
    const haConsent = await consentFor(stranger(), member2, { scope: 'until_expiry' })
    const haWho = (await t.db.selectFrom('outreachConsents').select('citizenIdentityNumber').where('id', '=', haConsent).executeTakeFirstOrThrow()).citizenIdentityNumber
    const members = (await admin.browser.api('GET', `/api/v1/outreach/teams/${teamId}/members`)).json<{ id: string; fullName: string; removedAt: string | null }[]>()
    const haMember = members.find((x) => x.fullName === HA.name && !x.removedAt)!
    expect((await admin.browser.api('DELETE', `/api/v1/outreach/teams/${teamId}/members/${haMember.id}`)).statusCode).toBe(200)
    expect(await refusal({ memberCitizenId: ids[HA.identityNumber]!, applicantIdentityNumber: haWho, consentId: haConsent })).toBe('OUTREACH.NOT_A_MEMBER')
    expect((await ask(member2, stranger())).json.error.code).toBe('OUTREACH.NOT_A_MEMBER')
    expect((await admin.browser.api('POST', `/api/v1/outreach/teams/${teamId}/members`, { identityNumber: HA.identityNumber, fullName: HA.name })).statusCode).toBe(201)
  })
})

describe('one-dossier consent under concurrency', () => {
  it('two submissions at once with one consent: exactly one records its use', async () => {
    const once = await consentFor(stranger())
    const hung = ids[HUNG.identityNumber]!
    const results = await Promise.allSettled([0, 1, 2].map(() => inTransaction(t.db, (trx) => recordConsentUse(trx, { consentId: once, memberCitizenId: hung, dossierId: crypto.randomUUID() }, clock.now()))))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r).reason.code)).toEqual(['OUTREACH.CONSENT_USED', 'OUTREACH.CONSENT_USED'])
    expect(await t.db.selectFrom('outreachConsentUses').select('id').where('consentId', '=', once).execute()).toHaveLength(1)
  })
})

describe("consent given in the citizen's own session", () => {
  it('the citizen sees the named member, approves or declines; nobody else can', async () => {
    const r = await ask(member, { identityNumber: MAI.identityNumber, method: 'in_session', purpose: 'Nộp hồ sơ cấp bản sao trích lục' })
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({ status: 'awaiting_citizen', phoneMasked: null })
    const pending = await jsonCall(mai, base, 'GET', '/api/v1/citizen/me/consents')
    expect(pending.json.pending).toEqual([expect.objectContaining({ id: r.json.id, memberName: HUNG.name, purpose: 'Nộp hồ sơ cấp bản sao trích lục' })])
    const page = await mai.request(`${base}/cong-dan/uy-quyen`)
    expect(page.body).toContain(HUNG.name)
    expect(page.body).toContain('Nộp hồ sơ cấp bản sao trích lục')
    expect((await jsonCall(nam, base, 'POST', `/api/v1/citizen/me/consent-requests/${r.json.id}/decision`, { decision: 'approve' })).status).toBe(404)
    expect((await verify(member, r.json.id, '123456')).status).toBe(404)
    const form = { _csrf: await csrfOf(mai, `${base}/cong-dan/uy-quyen`), decision: 'approve' }
    const done = await mai.request(`${base}/cong-dan/uy-quyen/yeu-cau/${r.json.id}`, { form })
    expect(done.status).toBe(303)
    const c = (await consentsOf(MAI.identityNumber)).find((x) => x.requestId === r.json.id)
    expect(c).toMatchObject({ method: 'in_session', memberName: HUNG.name })
    expect((await jsonCall(mai, base, 'POST', `/api/v1/citizen/me/consent-requests/${r.json.id}/decision`, { decision: 'decline' })).json.error.code).toBe('OUTREACH.REQUEST_DONE')

    const d = await ask(member, { identityNumber: MAI.identityNumber, method: 'in_session', purpose: 'Việc khác' })
    expect((await jsonCall(mai, base, 'POST', `/api/v1/citizen/me/consent-requests/${d.json.id}/decision`, { decision: 'decline' })).json).toEqual({ consentId: null })
    expect((await consentsOf(MAI.identityNumber)).some((x) => x.requestId === d.json.id)).toBe(false)
  })
})
