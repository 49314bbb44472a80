import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OuterConnectionInTransactionError, inTransaction } from '../src/shared/database.js'
import { Browser, createTestApp, type TestApp } from './support/test-app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => t?.close())

describe('API skeleton', () => {
  it('answers an unknown API path with a coded 404', async () => {
    const r = await t.app.inject('/api/v1/no-such-thing')
    expect(r.statusCode).toBe(404)
    expect(r.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } })
  })

  it('answers an unknown page with a Vietnamese 404 page', async () => {
    const r = await t.app.inject('/khong-co-trang-nay')
    expect(r.statusCode).toBe(404)
    expect(r.headers['content-type']).toContain('text/html')
    expect(r.body).toContain('Không tìm thấy trang')
  })

  it('refuses malformed JSON and oversized bodies with coded errors, not 500', async () => {
    const b = new Browser(t.app)
    const token = (await b.get('/api/v1/csrf-token')).json().token
    const headers = { 'content-type': 'application/json', cookie: b.cookieHeader, 'x-csrf-token': token }
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/admin/staff', headers, payload: '{"username": ' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('REQUEST.MALFORMED')
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/admin/staff', headers, payload: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }) })
    expect(big.statusCode).toBe(413)
    expect(big.json().error.code).toBe('REQUEST.TOO_LARGE')
  })

  it('publishes an OpenAPI document generated from the route schemas, and a readable docs page', async () => {
    const r = await t.app.inject('/api/v1/openapi.json')
    expect(r.statusCode).toBe(200)
    const doc = r.json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toContain('/api/v1/staff/me')
    const page = await t.app.inject('/api/docs')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('/api/v1/staff/me')
  })

  it('has health, readiness (with the database) and Prometheus metrics', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready', database: 'ok' })
    const m = await t.app.inject('/metrics')
    expect(m.headers['content-type']).toContain('text/plain')
    expect(m.body).toContain('vidan_http_requests_total')
    expect(m.body).toContain('vidan_process_resident_memory_bytes')
  })

  it('serves its own CSS and sets security headers; no outside assets', async () => {
    const css = await t.app.inject('/assets/site.css')
    expect(css.statusCode).toBe(200)
    const home = await t.app.inject('/')
    expect(home.headers['content-security-policy']).toContain("default-src 'self'")
    expect(home.body).not.toMatch(/https?:\/\/(?!localhost)/)
  })

  it('only redirects the language switch to local paths', async () => {
    const r = await t.app.inject('/lang?to=en&back=//evil.example/x')
    expect(r.statusCode).toBe(303)
    expect(r.headers.location).toBe('/')
  })
})

describe('transaction helper', () => {
  it('makes the outer connection unusable inside a transaction instead of hanging', async () => {
    await expect(
      inTransaction(t.db, async () => {
        await t.db.selectFrom('staffAccounts').select('id').execute()
      }),
    ).rejects.toBeInstanceOf(OuterConnectionInTransactionError)
    // and the database is still usable afterwards
    const rows = await t.db.selectFrom('agencies').select('id').limit(1).execute()
    expect(rows.length).toBe(1)
  })

  it('rolls back everything when the callback throws', async () => {
    await expect(
      inTransaction(t.db, async (trx) => {
        await trx.insertInto('outboxEvents').values({ topic: 'test.rollback', aggregateType: 't', aggregateId: '1', payload: '{}', actorId: null }).execute()
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    const n = await t.db.selectFrom('outboxEvents').select('id').where('topic', '=', 'test.rollback').execute()
    expect(n).toEqual([])
  })
})
