import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'

let t: TestApp
const clock = new ManualClock('2026-11-26T02:00:00Z')

beforeAll(async () => {
  t = await createTestApp({ clock })
})
afterAll(async () => t?.close())

describe('staff login and sessions', () => {
  it('logs in, reaches the workspace with agency and role, and logs out', async () => {
    const me = await staffFixture(t, 'counter_officer', 'ttpvhcc-tinh')
    const home = await me.browser.get('/staff')
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain('Trung tâm Phục vụ hành chính công tỉnh Cà Mau')
    expect(home.body).toContain('Công chức một cửa')
    const api = await me.browser.api('GET', '/api/v1/staff/me')
    expect(api.json()).toMatchObject({ username: me.username, role: 'counter_officer', agency: { id: 'ttpvhcc-tinh' } })

    const out = await me.browser.postForm('/staff/logout', {}, { csrfFrom: '/staff' })
    expect(out.statusCode).toBe(303)
    expect((await me.browser.get('/staff')).statusCode).toBe(303)
    expect((await me.browser.api('GET', '/api/v1/staff/me')).statusCode).toBe(401)
  })

  it('redirects pages to login and answers 401 on APIs without a session', async () => {
    const b = new Browser(t.app)
    const page = await b.get('/staff')
    expect(page.statusCode).toBe(303)
    expect(page.headers.location).toBe('/staff/login?next=%2Fstaff')
    const api = await b.get('/api/v1/staff/me')
    expect(api.statusCode).toBe(401)
    expect(api.json()).toEqual({ error: { code: 'AUTH.REQUIRED', message: expect.any(String) } })
  })

  it('refuses an officer on an administrator route with 403', async () => {
    const me = await staffFixture(t, 'processing_officer', 'so-tu-phap')
    expect((await me.browser.get('/admin/staff')).statusCode).toBe(403)
    const api = await me.browser.api('GET', '/api/v1/admin/staff')
    expect(api.statusCode).toBe(403)
    expect(api.json().error.code).toBe('AUTH.FORBIDDEN')
  })

  it('rejects a form post without a CSRF token', async () => {
    const me = await staffFixture(t, 'counter_officer')
    const res = await me.browser.postForm('/staff/logout', {}, { csrf: false })
    expect(res.statusCode).toBe(403)
    expect((await me.browser.get('/staff')).statusCode).toBe(200)
  })

  it('locks the account after ten wrong passwords and says so, then unlocks after the lock time', async () => {
    const me = await staffFixture(t, 'counter_officer')
    const b = new Browser(t.app)
    for (let i = 1; i <= 9; i++) {
      const r = await b.login(me.username, 'wrong-password-123')
      expect(r.statusCode).toBe(401)
      expect(r.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng')
    }
    const tenth = await b.login(me.username, 'wrong-password-123')
    expect(tenth.statusCode).toBe(423)
    expect(tenth.body).toContain('tạm bị khóa')
    // Even the right password is refused while locked.
    expect((await b.login(me.username, me.password)).statusCode).toBe(423)
    clock.advance(16 * 60_000)
    expect((await b.login(me.username, me.password)).statusCode).toBe(303)
  })

  it('expires an idle session', async () => {
    const me = await staffFixture(t, 'counter_officer')
    clock.advance(121 * 60_000)
    expect((await me.browser.get('/staff')).statusCode).toBe(303)
  })
})

describe('administrator manages accounts', () => {
  it('creates an account with a one-time password that must be changed', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const created = await admin.browser.api('POST', '/api/v1/admin/staff', { username: 'nv.moi', fullName: 'Nguyễn Văn Mới', role: 'counter_officer', agencyId: 'ttpvhcc-xa-32002' })
    expect(created.statusCode).toBe(201)
    const { initialPassword } = created.json()
    const b = new Browser(t.app)
    const login = await b.login('nv.moi', initialPassword)
    expect(login.headers.location).toBe('/staff/password')
    expect((await b.get('/staff')).headers.location).toBe('/staff/password')
    const change = await b.postForm('/staff/password', { currentPassword: initialPassword, newPassword: 'Mat-khau-moi-2026' }, { csrfFrom: '/staff/password' })
    expect(change.statusCode).toBe(303)
    expect((await b.get('/staff')).statusCode).toBe(200)
  })

  it('rejects a duplicate username and an unknown agency with coded errors', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const dup = await admin.browser.api('POST', '/api/v1/admin/staff', { username: admin.username, fullName: 'X Y', role: 'admin', agencyId: 'vp-ubnd-tinh' })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error.code).toBe('STAFF.USERNAME_TAKEN')
    const bad = await admin.browser.api('POST', '/api/v1/admin/staff', { username: 'khong.co', fullName: 'X Y', role: 'admin', agencyId: 'no-such-agency' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('STAFF.UNKNOWN_AGENCY')
    const malformed = await admin.browser.api('POST', '/api/v1/admin/staff', { username: 'a', role: 'king' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('VALIDATION.FAILED')
  })

  it('moves an officer to another agency, revoking old sessions, with a version check', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const officer = await staffFixture(t, 'processing_officer', 'so-tu-phap')
    const list = (await admin.browser.api('GET', '/api/v1/admin/staff?agencyId=so-tu-phap')).json()
    const acc = list.items.find((a: { id: string }) => a.id === officer.id)
    const moved = await admin.browser.api('POST', `/api/v1/admin/staff/${officer.id}/move`, { agencyId: 'ubnd-xa-32002', role: 'agency_leader', reason: 'Quyết định điều động số 12/QĐ', expectedVersion: acc.version })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({ agencyId: 'ubnd-xa-32002', role: 'agency_leader' })
    // The old session no longer works: the old agency's permissions are gone.
    expect((await officer.browser.api('GET', '/api/v1/staff/me')).statusCode).toBe(401)
    const stale = await admin.browser.api('POST', `/api/v1/admin/staff/${officer.id}/move`, { agencyId: 'so-tu-phap', role: 'processing_officer', reason: 'lặp lại', expectedVersion: acc.version })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('CONCURRENT_UPDATE')
  })
})
