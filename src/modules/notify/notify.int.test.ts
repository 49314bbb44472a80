import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectJobs } from '../../app/runtime.js'
import { DEMO_CITIZENS } from '../../sim/demo-idp/index.js'
import { startSmsSimulator, type SmsSimulator } from '../../sim/sms/index.js'
import { citizenLoginAs } from '../../../test/support/citizen-session.js'
import type { HttpBrowser } from '../../../test/support/http-browser.js'
import { freePort } from '../../../test/support/server-process.js'
import { horizonPassed } from '../../../test/support/outbox.js'
import { createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import type { Job } from '../../shared/module.js'

// Notifications (issue 7 §3 and its acceptance line "A received dossier produces an e-mail at the
// test SMTP server with the code and appointment, and an in-app message"): a real SMTP server in
// this process (smtp-server), the real SMTP client (nodemailer) wired from configuration, the SMS
// gateway simulator behind the SMS adapter, and the module's own jobs as `vidan serve` runs them.

interface Received {
  to: string[]
  subject: string
  text: string
}

/** A real SMTP server: accepts mail, refuses one mailbox with 550 (a permanent failure). */
class TestSmtp {
  readonly received: Received[] = []
  server!: SMTPServer
  constructor(readonly port: number) {}
  async start() {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (addr, _s, cb) => (addr.address === 'refused@example.vn' ? cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 })) : cb()),
      onData: (stream, session, cb) => {
        simpleParser(stream)
          .then((m) => {
            this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '', text: m.text ?? '' })
            cb()
          })
          .catch(cb)
      },
    })
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve))
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

const clock = new ManualClock('2026-11-26T02:00:00Z') // Thu 26/11/2026 09:00 in Vietnam
const MAI = DEMO_CITIZENS.find((c) => c.level === 2 && !c.business)!
let t: TestApp
let base: string
let smtp: TestSmtp
let sms: SmsSimulator
let jobs: Job[]
let counter: StaffFixture
let officer: StaffFixture
let leader: StaffFixture
let outsider: StaffFixture
let mai: HttpBrowser

const run = async (name: string) => jobs.find((j) => j.name === name)!.run()
const drain = async () => {
  // On PostgreSQL a transaction open elsewhere in the cluster holds the dispatcher's horizon back a moment.
  await horizonPassed(t.db)
  await run('outbox.dispatch')
  await run('notify.send')
}

beforeAll(async () => {
  smtp = new TestSmtp(await freePort())
  await smtp.start()
  sms = await startSmsSimulator({ apiKey: 'notify-test-key', brandnames: ['VIDAN'] })
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  t = await createTestApp({ clock, env: { PORT: String(port), VIDAN_PUBLIC_URL: base, VIDAN_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, VIDAN_SMS_GATEWAY_URL: sms.url, VIDAN_SMS_API_KEY: 'notify-test-key', VIDAN_SMS_BRANDNAME: 'VIDAN' } })
  await t.app.listen({ port, host: '127.0.0.1' })
  jobs = collectJobs({ config: t.config, db: t.db, clock })
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  outsider = await staffFixture(t, 'counter_officer', 'so-tu-phap')
  mai = (await citizenLoginAs(base, MAI.identityNumber)).b
})
afterAll(async () => {
  await t?.close()
  await smtp?.stop()
  await sms?.close()
})

async function intake(applicant: Record<string, unknown>) {
  const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', {
    procedureCode: '1.001193',
    communeCode: '32002',
    applicant: { fullName: MAI.name, idNumber: MAI.identityNumber, phone: '0912345678', address: 'Khóm 1, phường An Xuyên', ...applicant },
    decision: 'accept',
    limit: { amount: 3, unit: 'working_days' },
  })
  expect(r.statusCode, r.body).toBe(201)
  return r.json<{ id: string; code: string; appointmentAt: string; version: number }>()
}

const rowsOf = (dossierId: string) => t.db.selectFrom('notifications').selectAll().where('dossierId', '=', dossierId).orderBy('eventId').orderBy('channel').execute()

describe('a received dossier tells its applicant (issue 7 §3)', () => {
  let d: { id: string; code: string; appointmentAt: string }

  it('sends an e-mail with the code and the appointment to the real SMTP server, and an in-app message', async () => {
    d = await intake({ email: 'mai@example.vn' })
    await drain()
    const mail = smtp.received.find((m) => m.text.includes(d.code))
    expect(mail, JSON.stringify(smtp.received)).toBeDefined()
    expect(mail!.to).toEqual(['mai@example.vn'])
    expect(mail!.subject).toBe(`Đã tiếp nhận hồ sơ ${d.code}`)
    // A4: the appointment 3 working days after Thu 26/11 is Tue 1/12 at 17:00, Vietnam time.
    expect(d.appointmentAt).toBe('2026-12-01T10:00:00.000Z')
    expect(mail!.text).toContain('Ngày hẹn trả kết quả: 17:00 01/12/2026')
    expect(mail!.text).toContain(`${base}/tra-cuu?ma=${encodeURIComponent(d.code)}`)

    const rows = await rowsOf(d.id)
    expect(rows.map((r) => [r.template, r.channel, r.status, r.skipReason])).toEqual([
      ['received', 'email', 'sent', null],
      ['received', 'in_app', 'delivered', null],
      ['received', 'sms', 'sent', null],
    ])
    // The SMS reached the phone (the simulator's inbox), unaccented, with the code and the date.
    // To the phone the identity provider gave for this citizen, not the one typed at the counter.
    const texts = sms.inbox(MAI.phone).map((m) => m.text)
    expect(texts.some((x) => x.includes(d.code) && x.includes('Hen tra ket qua: 17:00 01/12/2026')), JSON.stringify(texts)).toBe(true)
    expect(rows.find((r) => r.channel === 'email')!.providerMessageId).toBeTruthy()

    const page = await mai.follow(`${base}/cong-dan/thong-bao`)
    expect(page.status).toBe(200)
    expect(page.body).toContain(`Đã tiếp nhận hồ sơ ${d.code}`)
    const api = await mai.request(`${base}/api/v1/citizen/messages`)
    const items = (JSON.parse(api.body) as { items: { dossierCode: string; template: string }[] }).items
    expect(items.filter((i) => i.dossierCode === d.code).map((i) => i.template)).toEqual(['received'])
  })

  it('plans each event once: delivering the events again adds no message and sends no second e-mail', async () => {
    const before = smtp.received.length
    const rowsBefore = (await rowsOf(d.id)).length
    // As after a crash between planning and recording the delivery: the dispatcher hands the events again.
    await sql`UPDATE outbox_deliveries SET status = 'pending', next_attempt_at = '2000-01-01', leased_until = NULL WHERE subscriber = 'notify'`.execute(t.db)
    const again = await run('outbox.dispatch')
    expect(again).toMatchObject({ delivered: expect.any(Number) })
    expect((again as { delivered: number }).delivered).toBeGreaterThan(0)
    await run('notify.send')
    expect((await rowsOf(d.id)).length).toBe(rowsBefore)
    expect(smtp.received.length).toBe(before)
  })

  it('asks for the missing documents by name when a supplement is requested, on the channels the citizen chose', async () => {
    // The citizen turns e-mail off; in-app messages stay.
    const form = await mai.follow(`${base}/cong-dan/thong-bao`)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!
    const saved = await mai.request(`${base}/cong-dan/thong-bao/cai-dat`, { form: { _csrf: csrf, email: '', smsEnabled: 'on', version: '0' } })
    expect(saved.status).toBe(303)

    const assign = await leader.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { expectedVersion: (await leader.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json().version, action: 'assign', assigneeId: officer.id })
    expect(assign.statusCode, assign.body).toBe(200)
    const cur = (await officer.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    const r = await officer.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { expectedVersion: cur.version, action: 'request_supplement', reason: 'Thiếu giấy chứng sinh', missing: ['Giấy chứng sinh (bản chính)', 'Giấy chứng nhận kết hôn của cha mẹ (bản sao)'] })
    expect(r.statusCode, r.body).toBe(200)
    const sentBefore = smtp.received.length
    await drain()
    const rows = (await rowsOf(d.id)).filter((x) => x.template === 'supplement')
    expect(rows.map((x) => [x.channel, x.status, x.skipReason])).toEqual([
      ['email', 'skipped', 'opted_out'],
      ['in_app', 'delivered', null],
      ['sms', 'sent', null],
    ])
    expect(smtp.received.length).toBe(sentBefore)
    const inApp = rows.find((x) => x.channel === 'in_app')!
    expect(inApp.body).toContain('- Giấy chứng sinh (bản chính)')
    expect(inApp.body).toContain('- Giấy chứng nhận kết hôn của cha mẹ (bản sao)')
  })

  it('refuses a stale preferences form (409) and a malformed address (400, at its field), changing nothing', async () => {
    const form = await mai.follow(`${base}/cong-dan/thong-bao`)
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!
    const stale = await mai.request(`${base}/cong-dan/thong-bao/cai-dat`, { form: { _csrf: csrf, email: 'x@example.vn', emailEnabled: 'on', version: '0' } })
    expect(stale.status).toBe(409)
    const bad = await mai.request(`${base}/cong-dan/thong-bao/cai-dat`, { form: { _csrf: csrf, email: 'không phải địa chỉ', emailEnabled: 'on', version: '1' } })
    expect(bad.status).toBe(400)
    expect(bad.body).toContain('id="email-error"')
    const prefs = await t.db.selectFrom('notificationPreferences').selectAll().execute()
    expect(prefs.map((p) => [p.emailEnabled, p.email, p.version])).toEqual([[false, null, 1]])
  })

  it('shows the back office the delivery of each message, recipients masked, only to the agencies handling it', async () => {
    const r = await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/notifications`)
    expect(r.statusCode).toBe(200)
    const email = r.json<{ items: { channel: string; recipient: string | null; status: string }[] }>().items.find((i) => i.channel === 'email' && i.status === 'sent')!
    expect(email.recipient).toBe('m***@example.vn')
    expect(r.body).not.toContain('mai@example.vn')
    expect((await outsider.browser.api('GET', `/api/v1/dossiers/${d.id}/notifications`)).statusCode).toBe(404)
  })
})

describe('delivery failures', () => {
  it('gives up at once on a refused mailbox (550), and retries with backoff while the server is down, then sends', async () => {
    const refused = await intake({ email: 'refused@example.vn', idNumber: '096190001234' })
    await drain()
    const r1 = (await rowsOf(refused.id)).find((x) => x.channel === 'email')!
    expect([r1.status, r1.attempts, r1.lastError]).toEqual(['failed', 1, 'SMTP 550'])

    await smtp.stop()
    const later = await intake({ email: 'later@example.vn', idNumber: '096190001235' })
    await drain()
    const r2 = (await rowsOf(later.id)).find((x) => x.channel === 'email')!
    expect(r2.status).toBe('pending')
    expect(r2.attempts).toBe(1)
    expect(r2.lastError).toMatch(/^SMTP /)
    // Backoff: the next attempt is 24–36 s later (30 s ± 20 %), not at the next tick.
    const wait = r2.nextAttemptAt!.getTime() - clock.now().getTime()
    expect(wait).toBeGreaterThanOrEqual(24_000)
    expect(wait).toBeLessThanOrEqual(36_000)
    await run('notify.send')
    expect((await rowsOf(later.id)).find((x) => x.channel === 'email')!.attempts).toBe(1)

    await smtp.start()
    clock.set(new Date(clock.now().getTime() + 40_000).toISOString())
    await run('notify.send')
    const r3 = (await rowsOf(later.id)).find((x) => x.channel === 'email')!
    expect([r3.status, r3.attempts]).toEqual(['sent', 2])
    expect(smtp.received.filter((m) => m.to.includes('later@example.vn'))).toHaveLength(1)
  })

  it('retries an SMS while the gateway fails and sends it once when it is back; a number the gateway refuses is given up', async () => {
    sms.faults.mode = 'error'
    const d = await intake({ phone: '0912000111', idNumber: '096190001236' })
    await drain()
    const r1 = (await rowsOf(d.id)).find((x) => x.channel === 'sms')!
    expect([r1.status, r1.attempts, r1.lastError]).toEqual(['pending', 1, 'SMS.GATEWAY_UNAVAILABLE'])
    sms.faults.mode = 'none'
    clock.set(new Date(clock.now().getTime() + 40_000).toISOString())
    await run('notify.send')
    expect((await rowsOf(d.id)).find((x) => x.channel === 'sms')!.status).toBe('sent')
    expect(sms.inbox('0912000111').filter((m) => m.text.includes(d.code))).toHaveLength(1)

    const bad = await intake({ phone: '02903123456', idNumber: '096190001237' })
    await drain()
    const r2 = (await rowsOf(bad.id)).find((x) => x.channel === 'sms')!
    expect([r2.status, r2.attempts]).toEqual(['failed', 1])
  })

  it('never writes a message for an event it cannot attribute to a dossier code', async () => {
    const n = await sql<{ n: number }>`select count(*)::int as n from notifications where dossier_code is null`.execute(t.db)
    expect(n.rows[0]!.n).toBe(0)
  })
})
