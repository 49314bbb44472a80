import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectJobs } from '../../app/runtime.js'
import { createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import type { Job } from '../../shared/module.js'
import { horizonPassed } from '../../../test/support/outbox.js'

// Webhooks for integrators (issue 7 §4 and its acceptance line "A webhook receiver verifies the
// signature with the documented recipe; a tampered payload fails verification"): a real HTTP
// receiver in this process, the module's own jobs, and the recipe copied from docs/WEBHOOKS.md.

/** docs/WEBHOOKS.md, "Verify every request", verbatim. */
function verifyVidanSignature(secret: string, header: string | undefined, rawBody: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=', 2))) as Record<string, string | undefined>
  const t = Number(parts['t'])
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !/^[0-9a-f]{64}$/.test(parts['v1'] ?? '')) return false
  const expected = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest()
  return crypto.timingSafeEqual(expected, Buffer.from(parts['v1']!, 'hex'))
}

interface Hit {
  eventId: string
  signature: string | undefined
  raw: string
}

/** An integrator's endpoint: records every request; answers 500 while told to fail. */
class Receiver {
  hits: Hit[] = []
  failing = false
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      this.hits.push({ eventId: String(req.headers['x-vidan-event-id']), signature: req.headers['x-vidan-signature'] as string | undefined, raw: Buffer.concat(chunks).toString('utf8') })
      res.statusCode = this.failing ? 500 : 204
      res.end()
    })
  })
  url = ''
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`
  }
}

const clock = new ManualClock('2026-11-26T02:00:00Z')
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000)
let t: TestApp
let jobs: Job[]
let admin: StaffFixture
let counter: StaffFixture
let leader: StaffFixture
let officer: StaffFixture
const receiver = new Receiver()
let sub: { id: string; secret: string }

const run = async (name: string) => jobs.find((j) => j.name === name)!.run()
const drain = async () => {
  // On PostgreSQL a transaction open elsewhere in the cluster holds the dispatcher's horizon back a moment.
  await horizonPassed(t.db)
  await run('outbox.dispatch')
  await run('webhooks.send')
}

beforeAll(async () => {
  await receiver.start()
  t = await createTestApp({ clock })
  jobs = collectJobs({ config: t.config, db: t.db, clock })
  admin = await staffFixture(t, 'admin')
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
})
afterAll(async () => {
  await t?.close()
  receiver.server.close()
})

async function intake(procedureCode = '1.001193') {
  const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', {
    procedureCode,
    communeCode: '32002',
    applicant: { fullName: 'Trần Văn Bình', idNumber: '096190001234', phone: '0912345678', address: 'Khóm 1, phường An Xuyên' },
    decision: 'accept',
    limit: { amount: 3, unit: 'working_days' },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json<{ id: string; code: string }>()
}

describe('subscriptions', () => {
  it('refuses a bad subscription with every problem at its field, writing nothing', async () => {
    const r = await admin.browser.api('POST', '/api/v1/webhooks', { name: '', url: 'ftp://user:pw@example.vn/x', agencyId: 'khong-co', procedureCode: 'abc', topics: ['dossier.nope'] })
    expect(r.statusCode).toBe(400)
    const fields = r.json<{ error: { code: string; details: { fields: Record<string, string[]> } } }>().error
    expect(fields.code).toBe('WEBHOOK.INVALID')
    expect(Object.keys(fields.details.fields).sort()).toEqual(['agencyId', 'name', 'procedureCode', 'topics', 'url'])
    expect(await t.db.selectFrom('webhookSubscriptions').select('id').execute()).toEqual([])
  })

  it('is for administrators only', async () => {
    expect((await counter.browser.api('POST', '/api/v1/webhooks', { name: 'x', url: receiver.url, topics: ['dossier.receive'] })).statusCode).toBe(403)
    expect((await counter.browser.get('/admin/webhooks')).statusCode).toBe(403)
  })

  it('creates one for an agency and shows its secret once', async () => {
    const r = await admin.browser.api('POST', '/api/v1/webhooks', { name: 'Hệ thống thống kê xã', url: receiver.url, agencyId: 'ubnd-xa-32002', topics: ['dossier.receive', 'dossier.assign', 'dossier.request_supplement'] })
    expect(r.statusCode, r.body).toBe(201)
    sub = r.json()
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    const list = await admin.browser.api('GET', '/api/v1/webhooks')
    expect(list.body).not.toContain(sub.secret)
    expect((await admin.browser.get('/admin/webhooks')).body).not.toContain(sub.secret)
  })
})

describe('deliveries', () => {
  it('delivers a received dossier, signed so that the documented recipe verifies it and a tampered body fails', async () => {
    const d = await intake()
    await drain()
    const hit = receiver.hits.find((h) => JSON.parse(h.raw).dossier.id === d.id)!
    expect(hit).toBeDefined()
    const body = JSON.parse(hit.raw)
    expect(body.type).toBe('dossier.receive')
    expect(body.dossier.code).toBe(d.code)
    expect(body.dossier.nationalStatusCode).toBe(2)
    expect(hit.eventId).toBe(body.id)
    // No personal data of the applicant leaves Vì Dân.
    for (const secret of ['Trần Văn Bình', '096190001234', '0912345678', 'Khóm 1']) expect(hit.raw).not.toContain(secret)

    expect(verifyVidanSignature(sub.secret, hit.signature, hit.raw, nowSeconds())).toBe(true)
    expect(verifyVidanSignature(sub.secret, hit.signature, hit.raw.replace('"dossier.receive"', '"dossier.refuse"'), nowSeconds())).toBe(false)
    expect(verifyVidanSignature(sub.secret, hit.signature, hit.raw + ' ', nowSeconds())).toBe(false)
    expect(verifyVidanSignature('whsec_someone-else', hit.signature, hit.raw, nowSeconds())).toBe(false)
    // A captured request replayed ten minutes later is refused too.
    expect(verifyVidanSignature(sub.secret, hit.signature, hit.raw, nowSeconds() + 600)).toBe(false)
  })

  it('sends nothing for dossiers outside the subscription, nor for topics not asked for', async () => {
    const before = receiver.hits.length
    await intake('2.000635') // a provincial procedure: another competent agency
    await drain()
    expect(receiver.hits.length).toBe(before)
  })

  it('retries with backoff while the receiver fails, keeping each dossier in order, then delivers each event once', async () => {
    receiver.failing = true
    const d = await intake()
    const cur = (await leader.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json<{ version: number }>()
    expect((await leader.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { expectedVersion: cur.version, action: 'assign', assigneeId: officer.id })).statusCode).toBe(200)
    await drain()
    await run('webhooks.send')
    const mine = () => receiver.hits.filter((h) => JSON.parse(h.raw).dossier.id === d.id).map((h) => JSON.parse(h.raw).type as string)
    // Only the first event was tried: the second waits behind it.
    expect(mine()).toEqual(['dossier.receive'])
    const rows = await t.db.selectFrom('webhookDeliveries').select(['topic', 'status', 'attempts', 'lastError', 'nextAttemptAt']).where('dossierId', '=', d.id).orderBy('eventId').execute()
    expect(rows.map((r) => [r.topic, r.status, r.attempts, r.lastError])).toEqual([
      ['dossier.receive', 'pending', 1, 'HTTP 500'],
      ['dossier.assign', 'pending', 0, null],
    ])
    const wait = rows[0]!.nextAttemptAt!.getTime() - clock.now().getTime()
    expect(wait).toBeGreaterThanOrEqual(8_000)
    expect(wait).toBeLessThanOrEqual(12_000)

    receiver.failing = false
    for (let i = 0; i < 4; i++) {
      clock.set(new Date(clock.now().getTime() + 60_000).toISOString())
      await run('webhooks.send')
    }
    expect(mine()).toEqual(['dossier.receive', 'dossier.receive', 'dossier.assign'])
    const after = await t.db.selectFrom('webhookDeliveries').select(['status']).where('dossierId', '=', d.id).execute()
    expect(after.map((r) => r.status)).toEqual(['delivered', 'delivered'])
    const seqs = receiver.hits.filter((h) => JSON.parse(h.raw).dossier.id === d.id).map((h) => JSON.parse(h.raw).event.seq as number)
    expect(seqs[1]! < seqs[2]!).toBe(true)
  })

  it('gives up after ten attempts, shows it in the delivery log, and replays it on request', async () => {
    receiver.failing = true
    const d = await intake()
    await drain()
    await t.db.updateTable('webhookDeliveries').set({ attempts: 9, nextAttemptAt: clock.now() }).where('dossierId', '=', d.id).execute()
    await run('webhooks.send')
    const dead = await t.db.selectFrom('webhookDeliveries').select(['id', 'status', 'attempts']).where('dossierId', '=', d.id).executeTakeFirstOrThrow()
    expect([dead.status, dead.attempts]).toEqual(['dead', 10])
    const log = await admin.browser.get(`/admin/webhooks/${sub.id}`)
    expect(log.body).toContain('Thất bại')

    receiver.failing = false
    const replay = await admin.browser.postForm(`/admin/webhooks/${sub.id}/gui-lai/${dead.id}`, {}, { csrfFrom: `/admin/webhooks/${sub.id}` })
    expect(replay.statusCode).toBe(303)
    await run('webhooks.send')
    expect((await t.db.selectFrom('webhookDeliveries').select('status').where('id', '=', dead.id).executeTakeFirstOrThrow()).status).toBe('delivered')
  })

  it('stops a subscription under an optimistic version', async () => {
    const stale = await admin.browser.api('POST', `/api/v1/webhooks/${sub.id}/deactivate`, { expectedVersion: 7 })
    expect(stale.statusCode).toBe(409)
    expect((await admin.browser.api('POST', `/api/v1/webhooks/${sub.id}/deactivate`, { expectedVersion: 1 })).statusCode).toBe(204)
    const before = receiver.hits.length
    await intake()
    await drain()
    expect(receiver.hits.length).toBe(before)
  })
})
