import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZENS, startDemoIdp } from '../../sim/demo-idp/index.js'
import { HttpBrowser } from '../../../test/support/http-browser.js'
import { citizenLoginAs, formAction, throughProvider } from '../../../test/support/citizen-session.js'
import { freePort } from '../../../test/support/server-process.js'
import { createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'

// Citizen login (issue 6 §1; DOMAIN B §10): the full authorization-code flow with PKCE against
// the bundled demo provider, over real HTTP, since the relying party talks to the provider by HTTP.

const MAI = DEMO_CITIZENS.find((c) => c.level === 2 && !c.business)!
const NAM = DEMO_CITIZENS.find((c) => c.level === 1)!
const HA = DEMO_CITIZENS.find((c) => c.business)!

let t: TestApp
let base: string
const clock = new ManualClock(new Date())

beforeAll(async () => {
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  t = await createTestApp({ clock, env: { PORT: String(port), VIDAN_PUBLIC_URL: base } })
  await t.app.listen({ port, host: '127.0.0.1' })
})
afterAll(async () => t?.close())

const loginAs = (identityNumber: string) => citizenLoginAs(base, identityNumber)

async function sessionsOf(identityNumber: string) {
  return t.db
    .selectFrom('citizenSessions as s')
    .innerJoin('citizens as c', 'c.id', 's.citizenId')
    .select(['s.id', 's.assuranceLevel', 's.revokedAt', 's.idpSubject'])
    .where('c.identityNumber', '=', identityNumber)
    .orderBy('s.createdAt')
    .execute()
}

describe('citizen login through the bundled identity provider (OIDC code flow + PKCE)', () => {
  it('serves a real provider: discovery, JWKS, PKCE S256 only', async () => {
    const d = (await (await fetch(`${base}/idp-demo/.well-known/openid-configuration`)).json()) as Record<string, unknown>
    expect(d['issuer']).toBe(`${base}/idp-demo`)
    expect(d['code_challenge_methods_supported']).toEqual(['S256'])
    expect(d['userinfo_endpoint']).toBe(`${base}/idp-demo/me`)
    const jwks = (await (await fetch(String(d['jwks_uri']))).json()) as { keys: { kty: string; d?: string }[] }
    expect(jwks.keys.length).toBe(1)
    expect(jwks.keys[0]!.d).toBeUndefined() // public part only
    // An authorization request without PKCE is refused by the provider.
    const res = await fetch(`${base}/idp-demo/auth?${new URLSearchParams({ client_id: t.config.citizenLogin!.clientId, response_type: 'code', scope: 'openid', redirect_uri: t.config.citizenLogin!.redirectUrl, state: 'abcdefghijklmnopqrstuvwxyz' })}`, { redirect: 'manual' })
    expect(res.status).toBe(303)
    const loc = new URL(res.headers.get('location')!)
    expect(loc.pathname).toBe('/dang-nhap/cong-dan/callback')
    expect(loc.searchParams.get('error')).toBe('invalid_request')
  })

  it('creates the citizen from the claims and a session verified at level 2 (DOMAIN B §10)', async () => {
    const { b, landed } = await loginAs(MAI.identityNumber)
    expect(landed.url).toBe(`${base}/cong-dan/tai-khoan`)
    expect(landed.status).toBe(200)
    expect(landed.body).toContain(MAI.name)
    expect(landed.body).toContain('Định danh điện tử mức 2')
    // Masked on the page: never the whole number.
    expect(landed.body).not.toContain(MAI.identityNumber)
    expect(landed.body).toContain(`${MAI.identityNumber.slice(0, 3)}*****${MAI.identityNumber.slice(-4)}`)

    const citizen = await t.db.selectFrom('citizens').selectAll().where('identityNumber', '=', MAI.identityNumber).executeTakeFirstOrThrow()
    expect(citizen).toMatchObject({ fullName: MAI.name, birthDate: MAI.birthdate, gender: MAI.gender, phone: MAI.phone, address: MAI.address, lastAssuranceLevel: 2, businessName: null })
    const sessions = await sessionsOf(MAI.identityNumber)
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ assuranceLevel: 2, revokedAt: null, idpSubject: MAI.sub })

    const me = await b.request(`${base}/api/v1/citizen/me`)
    expect(me.status).toBe(200)
    expect(JSON.parse(me.body)).toEqual({ fullName: MAI.name, identityNumberMasked: '096*****4512', assuranceLevel: 2, business: null })
    // The pending-login cookie is gone once used.
    expect(b.cookie('vidan_oidc')).toBeUndefined()
  })

  it('records level 1 for a level-1 account, and the business a representative acts for', async () => {
    const { b } = await loginAs(NAM.identityNumber)
    expect(JSON.parse((await b.request(`${base}/api/v1/citizen/me`)).body)).toMatchObject({ assuranceLevel: 1 })
    expect((await sessionsOf(NAM.identityNumber)).map((s) => s.assuranceLevel)).toEqual([1])
    expect((await b.request(`${base}/cong-dan/tai-khoan`)).body).toContain('Định danh điện tử mức 1')

    const ha = await loginAs(HA.identityNumber)
    expect(JSON.parse((await ha.b.request(`${base}/api/v1/citizen/me`)).body)).toEqual({
      fullName: HA.name,
      identityNumberMasked: expect.any(String),
      assuranceLevel: 2,
      business: { name: HA.business!.name, taxCode: HA.business!.taxCode },
    })
  })

  it('updates the same citizen at the next login instead of creating another', async () => {
    const number = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!.identityNumber
    await loginAs(number)
    await loginAs(number)
    const rows = await t.db.selectFrom('citizens').select(['id', 'version']).where('identityNumber', '=', number).execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.version).toBe(2)
    expect(await sessionsOf(number)).toHaveLength(2)
  })

  it('refuses a tampered state and writes nothing', async () => {
    const b = new HttpBrowser()
    const number = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!.identityNumber
    const before = (await sessionsOf(number)).length
    const back = await throughProvider(b, base, number)
    const tampered = new URL(back.location!)
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')!.slice(0, -2)}xx`)
    const res = await b.request(tampered.href)
    expect(res.status).toBe(400)
    expect(res.body).toContain('Chưa đăng nhập được')
    expect(res.body).toContain('không hợp lệ hoặc đã bị thay đổi')
    expect(b.cookie('vidan_sid')).toBeUndefined()
    expect(await sessionsOf(number)).toHaveLength(before)
  })

  it('refuses a replayed authorization code, even with the pending-login cookie put back', async () => {
    const b = new HttpBrowser()
    const back = await throughProvider(b, base, MAI.identityNumber)
    const pending = b.cookie('vidan_oidc')!
    const first = await b.request(back.location!)
    expect(first.status).toBe(303)
    const before = (await sessionsOf(MAI.identityNumber)).length

    // The browser no longer has the one-use pending state.
    const again = await b.request(back.location!)
    expect(again.status).toBe(400)
    expect(again.body).toContain('Phiên đăng nhập đã hết hạn')
    // An attacker who kept it is refused by the provider: the code was used (invalid_grant).
    const thief = new HttpBrowser()
    thief.setCookie(pending)
    const replay = await thief.request(back.location!)
    expect(replay.status).toBe(400)
    expect(replay.body).toContain('Mã đăng nhập không còn hiệu lực')
    expect(thief.cookie('vidan_sid')).toBeUndefined()
    expect(await sessionsOf(MAI.identityNumber)).toHaveLength(before)
  })

  it('says so clearly when the citizen refuses to share their data', async () => {
    const b = new HttpBrowser()
    const back = await throughProvider(b, base, NAM.identityNumber, 'deny')
    const res = await b.request(back.location!)
    expect(res.status).toBe(400)
    expect(res.body).toContain('không đồng ý chia sẻ thông tin')
    expect(b.cookie('vidan_sid')).toBeUndefined()
  })

  it('refuses a wrong password at the provider with a Vietnamese message', async () => {
    const b = new HttpBrowser()
    const login = await b.follow(`${base}/dang-nhap/cong-dan`)
    const res = await b.request(formAction(login, '/login'), { form: { identityNumber: MAI.identityNumber, password: 'sai-mat-khau' } })
    expect(res.status).toBe(401)
    expect(res.body).toContain('Số định danh cá nhân hoặc mật khẩu không đúng.')
  })

  it('keeps citizens out of staff pages and staff out of citizen pages', async () => {
    const { b } = await loginAs(MAI.identityNumber)
    expect((await b.request(`${base}/staff`)).status).toBe(403)
    const api = await b.request(`${base}/api/v1/staff/me`)
    expect(api.status).toBe(403)
    expect(JSON.parse(api.body).error.code).toBe('AUTH.STAFF_ONLY')
    expect((await b.request(`${base}/staff/ho-so`)).status).toBe(403)

    const officer = await staffFixture(t, 'counter_officer')
    expect((await officer.browser.get('/cong-dan/tai-khoan')).statusCode).toBe(403)
    const me = await officer.browser.get('/api/v1/citizen/me')
    expect(me.statusCode).toBe(403)
    expect(me.json().error.code).toBe('AUTH.CITIZEN_ONLY')
  })

  it('ends the other kind of session when someone logs in in the same browser', async () => {
    const officer = await staffFixture(t, 'counter_officer')
    const staffLogin = async (b: HttpBrowser) => {
      const page = await b.request(`${base}/staff/login`)
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
      return b.request(`${base}/staff/login`, { form: { username: officer.username, password: officer.password, _csrf: csrf } })
    }
    // A citizen, then an officer on the same device: the citizen session is revoked.
    const { b } = await loginAs(NAM.identityNumber)
    expect((await staffLogin(b)).status).toBe(303)
    expect((await b.request(`${base}/api/v1/staff/me`)).status).toBe(200)
    expect((await sessionsOf(NAM.identityNumber)).at(-1)!.revokedAt).not.toBeNull()
    // And back: the officer's session ends when a citizen logs in.
    const back = await b.follow(await throughProvider(b, base, NAM.identityNumber))
    expect(back.url).toBe(`${base}/cong-dan/tai-khoan`)
    const staffSessions = await t.db.selectFrom('staffSessions').select(['revokedAt', 'revokedReason']).where('accountId', '=', officer.id).orderBy('createdAt').execute()
    expect(staffSessions.at(-1)).toMatchObject({ revokedReason: 'logout' })
    expect(staffSessions.at(-1)!.revokedAt).not.toBeNull()
  })

  it('returns to a local page after login, never to another site', async () => {
    const { b } = await loginAs(MAI.identityNumber)
    expect((await b.request(`${base}/dang-nhap/cong-dan?next=${encodeURIComponent('/thu-tuc')}`)).location).toBe(`${base}/thu-tuc`)
    for (const evil of ['//evil.example/x', '/\\evil.example/x', 'https://evil.example/'])
      expect((await b.request(`${base}/dang-nhap/cong-dan?next=${encodeURIComponent(evil)}`)).location).toBe(`${base}/cong-dan/tai-khoan`)
    const officer = await staffFixture(t, 'counter_officer')
    expect((await officer.browser.get(`/staff/login?next=${encodeURIComponent('/\\evil.example')}`)).headers.location).toBe('/staff')
  })

  it('sends an anonymous visitor of a citizen page to the citizen login', async () => {
    const res = await new HttpBrowser().request(`${base}/cong-dan/tai-khoan`)
    expect(res.status).toBe(303)
    expect(res.location).toBe(`${base}/dang-nhap/cong-dan?next=%2Fcong-dan%2Ftai-khoan`)
    const api = await new HttpBrowser().request(`${base}/api/v1/citizen/me`)
    expect(api.status).toBe(401)
    expect(JSON.parse(api.body).error.code).toBe('AUTH.CITIZEN_REQUIRED')
  })

  it('ends the session at logout, and after the idle timeout', async () => {
    const { b, landed } = await loginAs(NAM.identityNumber)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(landed.body)![1]!
    const out = await b.request(`${base}/cong-dan/dang-xuat`, { form: { _csrf: csrf } })
    expect(out.status).toBe(303)
    expect((await b.request(`${base}/api/v1/citizen/me`)).status).toBe(401)
    const sessions = await sessionsOf(NAM.identityNumber)
    expect(sessions.at(-1)!.revokedAt).not.toBeNull()

    const again = await loginAs(NAM.identityNumber)
    expect((await again.b.request(`${base}/api/v1/citizen/me`)).status).toBe(200)
    clock.advance((t.config.VIDAN_SESSION_IDLE_MINUTES + 1) * 60_000)
    try {
      expect((await again.b.request(`${base}/api/v1/citizen/me`)).status).toBe(401)
    } finally {
      clock.set(new Date())
    }
  })
})

describe('a provider configured by variables only (as in production)', () => {
  let t2: TestApp
  let idp: { issuer: string; close(): Promise<void> }
  let base2: string
  const BAD = { ...MAI, sub: 'vneid-bad-0001', identityNumber: '999190004512', name: 'Người Thử Sai Số' }

  beforeAll(async () => {
    const port = await freePort()
    base2 = `http://127.0.0.1:${port}`
    const client = { clientId: 'vidan-test', clientSecret: 'a-test-secret-of-enough-length', redirectUrl: `${base2}/dang-nhap/cong-dan/callback` }
    idp = await startDemoIdp({ client, accounts: [MAI, BAD] })
    t2 = await createTestApp({
      env: { PORT: String(port), VIDAN_PUBLIC_URL: base2, VIDAN_OIDC_ISSUER: idp.issuer, VIDAN_OIDC_CLIENT_ID: client.clientId, VIDAN_OIDC_CLIENT_SECRET: client.clientSecret },
    })
    await t2.app.listen({ port, host: '127.0.0.1' })
  })
  let idpClosed = false
  afterAll(async () => {
    await t2?.close()
    if (!idpClosed) await idp?.close()
  })

  it('logs in against it, and the bundled provider is not served', async () => {
    expect(t2.config.demoIdp).toBe(false)
    expect((await fetch(`${base2}/idp-demo/.well-known/openid-configuration`)).status).toBe(404)
    const b = new HttpBrowser()
    const landed = await b.follow(await throughProvider(b, base2, MAI.identityNumber))
    expect(landed.url).toBe(`${base2}/cong-dan/tai-khoan`)
    expect(landed.body).toContain(MAI.name)
  })

  it('rejects an identity number that fails the A10 structure with a clear Vietnamese page, and writes nothing', async () => {
    const b = new HttpBrowser()
    const res = await b.follow(await throughProvider(b, base2, BAD.identityNumber))
    expect(res.status).toBe(400)
    expect(res.body).toContain('Số định danh cá nhân nhận từ hệ thống định danh không hợp lệ')
    expect(res.body).toContain('Mã tỉnh nơi đăng ký khai sinh')
    expect(res.body).not.toContain(BAD.identityNumber)
    expect(b.cookie('vidan_sid')).toBeUndefined()
    expect(await t2.db.selectFrom('citizens').select('id').where('identityNumber', '=', BAD.identityNumber).execute()).toEqual([])
  })

  it('says the provider cannot be reached, and writes nothing, when it is down', async () => {
    const b = new HttpBrowser()
    const back = await throughProvider(b, base2, MAI.identityNumber)
    await idp.close()
    idpClosed = true
    const before = await t2.db.selectFrom('citizenSessions').select('id').execute()
    const res = await b.request(back.location!)
    expect(res.status).toBe(503)
    expect(res.body).toContain('Không kết nối được với hệ thống định danh điện tử')
    expect(await t2.db.selectFrom('citizenSessions').select('id').execute()).toEqual(before)
  })
})
