import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'
import { isOfficialSchedule, readBundledSchedules } from './calendar.csv.js'
import { isoDateOf } from './calendar.days.js'
import { DAY_OFF_KINDS, provisionalSchedule } from './calendar.schedule.js'

let t: TestApp
let anon: Browser
const clock = new ManualClock('2026-11-26T02:00:00Z')

beforeAll(async () => {
  t = await createTestApp({ clock })
  anon = new Browser(t.app)
})
afterAll(async () => t?.close())

const getJson = async (url: string) => {
  const res = await anon.get(url)
  return { status: res.statusCode, body: res.json() }
}

describe('days off and make-up days API', () => {
  it('for 2026 returns exactly the announced schedule of holidays.csv', async () => {
    const { status, body } = await getJson('/api/v1/calendar/days-off?year=2026')
    expect(status).toBe(200)
    const rows = readBundledSchedules().years.get(2026) ?? []
    const expected = rows.filter((r) => (DAY_OFF_KINDS as readonly string[]).includes(r.kind)).map((r) => ({ date: isoDateOf(r.day), name: r.name, kind: r.kind, provisional: false }))
    expect(body).toEqual(expected)
    const dates = body.map((d: { date: string }) => d.date)
    for (let d = 14; d <= 22; d++) expect(dates).toContain(`2026-02-${d}`)
    expect(body.find((d: { date: string }) => d.date === '2026-01-02').kind).toBe('swapped_day_off')
    expect(body.find((d: { date: string }) => d.date === '2026-08-31').kind).toBe('swapped_day_off')
    expect(dates).not.toContain('2026-11-24') // proposed, not a day off
    expect([...dates].sort()).toEqual(dates)
  })

  it('lists the 2026 make-up Saturdays 10/1 and 22/8', async () => {
    const { status, body } = await getJson('/api/v1/calendar/makeup-workdays?year=2026')
    expect(status).toBe(200)
    expect(body).toEqual([
      { date: '2026-01-10', name: 'Làm bù (thứ Bảy) cho ngày 2/1' },
      { date: '2026-08-22', name: 'Làm bù (thứ Bảy) cho ngày 31/8' },
    ])
  })

  it('for 2024 and 2025 returns their announced schedules too', async () => {
    const b = readBundledSchedules()
    for (const year of [2024, 2025]) {
      const { body } = await getJson(`/api/v1/calendar/days-off?year=${year}`)
      expect(body.map((d: { date: string }) => d.date)).toEqual((b.years.get(year) ?? []).filter((r) => isOfficialSchedule([r]) && r.kind !== 'makeup_workday').map((r) => isoDateOf(r.day)))
    }
  })

  it('for 2027–2035 returns the provisional A3 schedule, marked provisional', async () => {
    for (let year = 2027; year <= 2035; year++) {
      const { status, body } = await getJson(`/api/v1/calendar/days-off?year=${year}`)
      expect(status).toBe(200)
      expect(body).toEqual(provisionalSchedule(year).days.map((d) => ({ date: isoDateOf(d.day), name: d.name, kind: d.kind, provisional: true })))
      expect(body.length).toBeGreaterThanOrEqual(11)
    }
    const { body: makeup } = await getJson('/api/v1/calendar/makeup-workdays?year=2027')
    expect(makeup).toEqual([])
  })
})

describe('due and working-days API', () => {
  it('computes a due time with the +07:00 offset and explains it', async () => {
    const { status, body } = await getJson('/api/v1/calendar/due?receivedAt=2026-02-12T16:30:00%2B07:00&amount=5&unit=working_days')
    expect(status).toBe(200)
    expect(body.dueAt).toBe('2026-02-26T17:00:00+07:00')
    expect(body.explanation.uncountedDay).toBe('2026-02-12')
    expect(body.explanation.skippedDays).toHaveLength(9)
    expect(body.explanation.steps.length).toBeGreaterThan(2)
  })

  it('accepts UTC instants, an unencoded "+" and each unit', async () => {
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T02:00:00Z&amount=1&unit=working_days')).body.dueAt).toBe('2026-03-03T17:00:00+07:00')
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00+07:00&amount=5&unit=calendar_days')).body.dueAt).toBe('2026-03-09T17:00:00+07:00')
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T10:00&amount=2&unit=working_hours')).body.dueAt).toBe('2026-03-02T14:00:00+07:00')
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T15:30&amount=0&unit=same_day')).body.dueAt).toBe('2026-03-03T17:00:00+07:00')
  })

  it('counts working days with both ends included', async () => {
    expect((await getJson('/api/v1/calendar/working-days?from=2026-01-01&to=2026-01-10')).body).toEqual({ count: 6 })
    expect((await getJson('/api/v1/calendar/working-days?from=2026-02-14&to=2026-02-22')).body).toEqual({ count: 0 })
    expect((await getJson('/api/v1/calendar/working-days?from=2026-03-02&to=2026-03-02')).body).toEqual({ count: 1 })
  })

  it.each([
    ['/api/v1/calendar/days-off?year=1899'],
    ['/api/v1/calendar/days-off?year=2101'],
    ['/api/v1/calendar/days-off?year=abcd'],
    ['/api/v1/calendar/days-off'],
    ['/api/v1/calendar/days-off?year=2026&unit=12'],
    ['/api/v1/calendar/makeup-workdays?year=20266'],
    ['/api/v1/calendar/due?receivedAt=not-a-date&amount=5&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=2026-02-30T09:00:00Z&amount=5&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=1800-01-01T09:00:00Z&amount=5&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00Z&amount=-1&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00Z&amount=2.5&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00Z&amount=99999&unit=working_days'],
    ['/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00Z&amount=5&unit=fortnights'],
    ['/api/v1/calendar/due?receivedAt=2026-03-02T09:00:00Z&amount=3&unit=same_day'],
    ['/api/v1/calendar/due?receivedAt=2100-12-31T09:00:00Z&amount=1000&unit=working_days'],
    ['/api/v1/calendar/working-days?from=2026-03-10&to=2026-03-01'],
    ['/api/v1/calendar/working-days?from=2026-13-01&to=2026-12-31'],
    ['/api/v1/calendar/working-days?from=1899-12-31&to=2026-12-31'],
  ])('answers 400 with a coded error for %s', async (url) => {
    const { status, body } = await getJson(url)
    expect(status).toBe(400)
    expect(body.error.code).toMatch(/^(VALIDATION\.FAILED|CALENDAR\.[A-Z_]+)$/)
    expect(typeof body.error.message).toBe('string')
  })

  it('is documented in the OpenAPI under the calendar tag', async () => {
    const doc = (await anon.get('/api/v1/openapi.json')).json()
    for (const p of ['/api/v1/calendar/days-off', '/api/v1/calendar/makeup-workdays', '/api/v1/calendar/due', '/api/v1/calendar/working-days']) {
      expect(doc.paths[p].get.tags).toEqual(['calendar'])
      expect(doc.paths[p].get.summary).toBeTruthy()
    }
  })
})

describe('public "Lịch làm việc" page', () => {
  it('shows the year with its days off, kinds and make-up days, with one h1 and table headers', async () => {
    const res = await anon.get('/lich-lam-viec?year=2026')
    expect(res.statusCode).toBe(200)
    expect(res.body.match(/<h1/g)).toHaveLength(1)
    expect(res.body).toContain('Lịch làm việc năm 2026')
    expect(res.body).toContain('Nghỉ hoán đổi')
    expect(res.body).toContain('22/08/2026')
    expect(res.body).toContain('<th scope="col">')
    expect(res.body).not.toContain('<script')
    // The injected clock says Thursday 26/11/2026, 18th day of the 10th lunar month of Bính Ngọ.
    expect(res.body).toContain('Thứ Năm')
    expect(res.body).toContain('18/10 Bính Ngọ')
    const provisional = await anon.get('/lich-lam-viec?year=2030')
    expect(provisional.body).toContain('tạm tính')
  })

  it('answers "Nộp hồ sơ hôm nay, khi nào có kết quả?" without JavaScript, with the explanation', async () => {
    const res = await anon.get('/lich-lam-viec?year=2026&receivedDate=2026-02-12&receivedTime=16:30&amount=5&unit=working_days&commune=')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Nộp hồ sơ hôm nay, khi nào có kết quả?')
    expect(res.body).toContain('Hạn trả kết quả')
    expect(res.body).toContain('26/02/2026')
    expect(res.body).toContain('không tính vào thời hạn')
    // Some browsers send seconds with the time.
    expect((await anon.get('/lich-lam-viec?receivedDate=2026-03-02&receivedTime=15:30:00&amount=0&unit=same_day')).body).toContain('03/03/2026')
  })

  it('puts errors next to the fields they concern', async () => {
    const res = await anon.get('/lich-lam-viec?year=2026&receivedDate=2026-02-31&receivedTime=25:00&amount=-3&unit=working_days&commune=12')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('id="receivedDate-error"')
    expect(res.body).toContain('aria-describedby="receivedDate-error"')
    expect(res.body).toContain('id="amount-error"')
    expect(res.body).toContain('id="commune-error"')
  })

  it('speaks English when asked', async () => {
    const b = new Browser(t.app)
    await b.get('/lang?to=en&back=/lich-lam-viec')
    const res = await b.get('/lich-lam-viec?year=2026')
    expect(res.body).toContain('Working calendar 2026')
  })
})

describe('administrator: announced schedules, closures, working hours', () => {
  it('refuses officers other than administrators (403), and sends visitors to log in', async () => {
    const officer = await staffFixture(t, 'counter_officer')
    expect((await officer.browser.get('/admin/lich-lam-viec')).statusCode).toBe(403)
    // With a valid CSRF token of their own session, an officer's posts are still refused.
    expect((await officer.browser.postForm('/admin/lich-lam-viec/tam-ngung', { from: '2026-03-03', to: '2026-03-03', communes: '', reason: 'Bão' }, { csrfFrom: '/lich-lam-viec' })).statusCode).toBe(403)
    const upload = await officer.browser.postForm('/admin/lich-lam-viec/lich-nghi', { year: '2041', csv: 'date,name,kind\n2041-01-01,x,holiday', reason: 'thử', step: 'confirm' }, { csrfFrom: '/lich-lam-viec' })
    expect(upload.statusCode).toBe(403)
    expect(await t.db.selectFrom('calendarSchedules').select('year').where('year', '=', 2041).executeTakeFirst()).toBeUndefined()
    expect((await anon.get('/admin/lich-lam-viec')).statusCode).toBe(303)
  })

  it('previews an upload, then replaces the provisional year and records who, when and why with a calendar.changed event', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const before = (await getJson('/api/v1/calendar/days-off?year=2040')).body
    expect(before.every((d: { provisional: boolean }) => d.provisional)).toBe(true)
    const csv = [
      'date,name,kind,weekday,note,source',
      '2040-01-01,Tết Dương lịch,holiday,Sun,,Thông báo thử 1/2040',
      '2040-01-02,Nghỉ bù Tết Dương lịch,compensatory_day_off,Mon,,Thông báo thử 1/2040',
      '2040-01-05,Nghỉ hoán đổi,swapped_day_off,Thu,,Thông báo thử 1/2040',
      '2040-01-06,Làm bù cho ngày 5/1,makeup_workday,Fri,,Thông báo thử 1/2040',
    ].join('\n')
    // 6/1/2040 is a Friday: the check reports it and the weekday column mismatch, and writes nothing.
    const bad = await admin.browser.postForm('/admin/lich-lam-viec/lich-nghi', { year: '2040', csv, reason: 'Thông báo số 1/TB-BNV', step: 'preview' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Dòng 5')
    expect(bad.body).toContain('aria-describedby="csv-hint csv-error"')

    const good = csv.replace('2040-01-06,Làm bù cho ngày 5/1,makeup_workday,Fri', '2040-01-07,Làm bù cho ngày 5/1,makeup_workday,Sat')
    const preview = await admin.browser.postForm('/admin/lich-lam-viec/lich-nghi', { year: '2040', csv: good, reason: 'Thông báo số 1/TB-BNV', step: 'preview' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(preview.statusCode).toBe(200)
    expect(preview.body).toContain('Xem trước lịch nghỉ năm 2040')
    expect(preview.body).toContain('thay thế lịch tạm tính')
    expect(preview.body).toContain('07/01/2040')
    // Preview writes nothing.
    expect((await getJson('/api/v1/calendar/days-off?year=2040')).body).toEqual(before)

    const confirm = await admin.browser.postForm('/admin/lich-lam-viec/lich-nghi', { year: '2040', csv: good, reason: 'Thông báo số 1/TB-BNV', step: 'confirm' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(confirm.statusCode).toBe(303)
    expect(confirm.headers.location).toBe('/admin/lich-lam-viec?loaded=2040')

    const after = (await getJson('/api/v1/calendar/days-off?year=2040')).body
    expect(after).toEqual([
      { date: '2040-01-01', name: 'Tết Dương lịch', kind: 'holiday', provisional: false },
      { date: '2040-01-02', name: 'Nghỉ bù Tết Dương lịch', kind: 'compensatory_day_off', provisional: false },
      { date: '2040-01-05', name: 'Nghỉ hoán đổi', kind: 'swapped_day_off', provisional: false },
    ])
    expect((await getJson('/api/v1/calendar/makeup-workdays?year=2040')).body).toEqual([{ date: '2040-01-07', name: 'Làm bù cho ngày 5/1' }])
    // Wed 4/1 received; Thu 5/1 is swapped off; Fri 6/1 and the make-up Saturday 7/1 count.
    expect((await getJson('/api/v1/calendar/due?receivedAt=2040-01-04T10:00&amount=2&unit=working_days')).body.dueAt).toBe('2040-01-07T17:00:00+07:00')

    const change = await t.db.selectFrom('calendarChanges').selectAll().where('year', '=', 2040).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(change).toMatchObject({ action: 'schedule_loaded', actorId: admin.id, reason: 'Thông báo số 1/TB-BNV' })
    expect(change.occurredAt.toISOString()).toBe(clock.now().toISOString())
    const event = await t.db.selectFrom('outboxEvents').selectAll().where('topic', '=', 'calendar.changed').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event.actorId).toBe(admin.id)
    expect(event.payload).toMatchObject({ changeId: change.id, action: 'schedule_loaded', year: 2040, from: '2040-01-01', to: '2040-12-31' })

    const page = await admin.browser.get('/admin/lich-lam-viec?loaded=2040')
    expect(page.body).toContain('Đã tải lịch nghỉ chính thức năm 2040')
    expect(page.body).toContain('Thông báo số 1/TB-BNV')
  })

  it('declares a closure for listed communes: their days off and due dates change, other communes do not', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const res = await admin.browser.postForm('/admin/lich-lam-viec/tam-ngung', { from: '2026-03-03', to: '2026-03-04', communes: '32002, 31825', reason: 'Bão số 9' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(res.statusCode).toBe(303)
    const there = (await getJson('/api/v1/calendar/days-off?year=2026&unit=32002')).body
    expect(there.filter((d: { kind: string }) => d.kind === 'closure')).toEqual([
      { date: '2026-03-03', name: 'Bão số 9', kind: 'closure', provisional: false },
      { date: '2026-03-04', name: 'Bão số 9', kind: 'closure', provisional: false },
    ])
    expect((await getJson('/api/v1/calendar/days-off?year=2026&unit=32009')).body.some((d: { kind: string }) => d.kind === 'closure')).toBe(false)
    expect((await getJson('/api/v1/calendar/days-off?year=2026')).body.some((d: { kind: string }) => d.kind === 'closure')).toBe(false)
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T09:00&amount=1&unit=working_days&commune=32002')).body.dueAt).toBe('2026-03-05T17:00:00+07:00')
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T09:00&amount=1&unit=working_days&commune=32009')).body.dueAt).toBe('2026-03-03T17:00:00+07:00')
    expect((await getJson('/api/v1/calendar/working-days?from=2026-03-02&to=2026-03-06&commune=31825')).body).toEqual({ count: 3 })
    const event = await t.db.selectFrom('outboxEvents').selectAll().where('topic', '=', 'calendar.changed').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event.payload).toMatchObject({ action: 'closure_declared', provinceCode: '96', from: '2026-03-03', to: '2026-03-04', communes: ['31825', '32002'] })
  })

  it('declares a closure for the whole province', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    expect((await admin.browser.postForm('/admin/lich-lam-viec/tam-ngung', { from: '2026-10-05', to: '2026-10-05', communes: '', reason: 'Lũ lớn' }, { csrfFrom: '/admin/lich-lam-viec' })).statusCode).toBe(303)
    for (const url of ['/api/v1/calendar/days-off?year=2026', '/api/v1/calendar/days-off?year=2026&unit=32009']) {
      expect((await getJson(url)).body).toContainEqual({ date: '2026-10-05', name: 'Lũ lớn', kind: 'closure', provisional: false })
    }
  })

  it('cancels a closure: its days are working days again, recorded and announced', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const closure = await t.db.selectFrom('calendarClosures').select('id').where('reason', '=', 'Lũ lớn').executeTakeFirstOrThrow()
    const url = `/admin/lich-lam-viec/tam-ngung/${closure.id}/huy`
    const missing = await admin.browser.postForm(url, { reason: '' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain(`id="cancel-${closure.id}-error"`)
    const ok = await admin.browser.postForm(url, { reason: 'Lũ đã rút, làm việc bình thường' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(ok.statusCode).toBe(303)
    expect((await getJson('/api/v1/calendar/days-off?year=2026')).body.some((d: { date: string }) => d.date === '2026-10-05')).toBe(false)
    const event = await t.db.selectFrom('outboxEvents').selectAll().where('topic', '=', 'calendar.changed').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event.payload).toMatchObject({ action: 'closure_cancelled', from: '2026-10-05', to: '2026-10-05', reason: 'Lũ đã rút, làm việc bình thường' })
    expect((await admin.browser.postForm(url, { reason: 'lần nữa' }, { csrfFrom: '/admin/lich-lam-viec' })).statusCode).toBe(404)
    expect((await admin.browser.get('/admin/lich-lam-viec')).body).toContain('Đã hủy: Lũ đã rút')
  })

  it('rejects a bad closure with the error next to the field, writing nothing', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const count = async () => (await t.db.selectFrom('calendarClosures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    const n = await count()
    const res = await admin.browser.postForm('/admin/lich-lam-viec/tam-ngung', { from: '2026-03-10', to: '2026-03-01', communes: '3200', reason: '' }, { csrfFrom: '/admin/lich-lam-viec' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('id="to-error"')
    expect(res.body).toContain('id="communes-error"')
    expect(res.body).toContain('id="reason-error"')
    expect(Number(await count())).toBe(Number(n))
  })

  it('changes the working hours of the province, recorded and announced', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const res = await admin.browser.postForm(
      '/admin/lich-lam-viec/gio-lam-viec',
      { morningStart: '07:30', morningEnd: '11:30', afternoonStart: '13:00', afternoonEnd: '16:30', cutoff: '15:00', reason: 'Quyết định giờ làm việc mùa hè' },
      { csrfFrom: '/admin/lich-lam-viec' },
    )
    expect(res.statusCode).toBe(303)
    expect((await getJson('/api/v1/calendar/due?receivedAt=2026-03-02T09:00&amount=1&unit=working_days')).body.dueAt).toBe('2026-03-03T16:30:00+07:00')
    const event = await t.db.selectFrom('outboxEvents').selectAll().where('topic', '=', 'calendar.changed').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(event.payload).toMatchObject({ action: 'working_hours_changed', provinceCode: '96', reason: 'Quyết định giờ làm việc mùa hè' })
    expect((await admin.browser.get('/lich-lam-viec')).body).toContain('07:30–11:30, 13:00–16:30')
  })
})
