import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { DomainError } from '../../shared/errors.js'
import { editFromForm, formStateOf, type EditFormState } from './catalog.admin-form.js'
import { editProcedure } from './catalog.admin.js'
import { importNational, importProvince, getProcedure } from './index.js'

// Issue 4 §5 (administration) and its acceptance line: "Editing a procedure creates version 2
// while version 1 stays readable; unpublishing hides it from the portal but not from history."
// DOMAIN B §4 (Decision 766 group 1) scores the province on publishing its procedures on time.

const clock = new ManualClock('2026-11-26T02:00:00Z')
let t: TestApp
let b: Browser
let admin: StaffFixture
let officer: StaffFixture
let counter: StaffFixture

const BIRTH = '1.001193' // Thủ tục đăng ký khai sinh (commune level, received at commune centres)
const MARRIAGE = '1.000894'
const RESIDENCE = '1.004222' // Đăng ký thường trú

beforeAll(async () => {
  t = await createTestApp({ clock })
  b = new Browser(t.app)
  admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  officer = await staffFixture(t, 'processing_officer', 'so-tu-phap')
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
})
afterAll(async () => t?.close())

const deps = () => ({ db: t.db, clock })

/** Moves the clock; staff sessions idle out over hours, so everyone logs in again, as they would. */
async function at(iso: string) {
  clock.set(iso)
  for (const f of [admin, officer, counter]) expect((await f.browser.login(f.username, f.password)).statusCode).toBe(303)
}
const audit = async (qs: string) => {
  const r = await admin.browser.api('GET', `/api/v1/catalog/audit?${qs}`)
  expect(r.statusCode, r.body).toBe(200)
  return r.json<{ items: { action: string; code: string | null; version: number | null; actorId: string | null; actorName: string | null; reason: string | null; details: Record<string, unknown> }[]; total: number }>()
}
const searchCodes = async (q: string) => (await b.get(`/api/v1/procedures?q=${encodeURIComponent(q)}&pageSize=100`)).json<{ items: { code: string }[] }>().items.map((i) => i.code)
const count = async (table: 'dossiers' | 'catalogAudit' | 'catalogProcedureVersions') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

/** The form as a browser posts it: repeated keys for checkboxes, one key per input. */
function pairsOf(s: EditFormState): [string, string][] {
  const p: [string, string][] = [
    ['expectedVersion', s.expectedVersion],
    ['changeNote', s.changeNote],
    ['name', s.name],
    ['field', s.field],
    ...s.levels.map((l): [string, string] => ['levels', l]),
    ...s.subjects.map((x): [string, string] => ['subjects', x]),
    ['onlineLevel', s.onlineLevel],
    ['partialReason', s.partialReason],
    ['partialLegalBasis', s.partialLegalBasis],
    ['duePublishBy', s.duePublishBy],
    ['conditions', s.conditions],
  ]
  s.agencies.forEach((a, i) => p.push([`agencies.${i}.ref`, a.ref], [`agencies.${i}.role`, a.role]))
  const time = (k: string, v: EditFormState['local']['time']) => p.push([`${k}timeKind`, v.kind], [`${k}timeValue`, v.value], [`${k}timeText`, v.text])
  const fee = (k: string, v: EditFormState['local']['fee']) => p.push([`${k}feeKind`, v.kind], [`${k}feeAmount`, v.amount], [`${k}feeText`, v.text], [`${k}feeNote`, v.note])
  s.channels.forEach((c, i) => {
    p.push([`channels.${i}.channel`, c.channel], [`channels.${i}.description`, c.description])
    time(`channels.${i}.`, c.time)
    fee(`channels.${i}.`, c.fee)
  })
  time('local.', s.local.time)
  fee('local.', s.local.fee)
  s.cases.forEach((c, i) => {
    p.push([`cases.${i}.name`, c.name])
    c.documents.forEach((d, k) => {
      const x = `cases.${i}.documents.${k}.`
      p.push([`${x}name`, d.name], [`${x}originals`, d.originals], [`${x}copies`, d.copies], [`${x}templates`, d.templates])
      if (d.isNew) p.push([`${x}isNew`, '1'])
    })
  })
  s.legalBases.forEach((l, i) => p.push([`legalBases.${i}.code`, l.code], [`legalBases.${i}.title`, l.title], [`legalBases.${i}.effectiveFrom`, l.effectiveFrom]))
  return p
}

async function postPairs(who: Browser, url: string, pairs: [string, string][]) {
  const token = await who.csrf(url.replace(/\/(ngung-cong-bo|cong-bo)$/, ''))
  const body = new URLSearchParams(pairs)
  body.append('_csrf', token)
  return t.app.inject({ method: 'POST', url, payload: body.toString(), headers: { cookie: who.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' } })
}

async function formOf(code: string): Promise<EditFormState> {
  return formStateOf(await getProcedure(deps(), code))
}

describe('the untouched edit form saves nothing, for every procedure of the catalogue', () => {
  it('reads each procedure into the form and back without a change (no spurious version)', async () => {
    const codes = (await t.db.selectFrom('catalogProcedures').select('code').orderBy('code').execute()).map((r) => r.code)
    expect(codes.length).toBeGreaterThan(100)
    const versionsBefore = await count('catalogProcedureVersions')
    const labels = new Map<string, string>()
    for (const code of codes) {
      const cur = await getProcedure(deps(), code)
      const { edit, errors } = editFromForm({ ...formStateOf(cur), changeNote: 'Không sửa gì' }, cur, labels, 'vi')
      expect(errors, code).toEqual({})
      const err = await editProcedure(deps(), code, edit, { id: admin.id, name: 'x' }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err instanceof DomainError ? err.code : err, code).toBe('CATALOG.NO_CHANGE')
    }
    expect(await count('catalogProcedureVersions')).toBe(versionsBefore)
  }, 240_000) // 103 procedures, each read, rendered, parsed and posted back
})

describe('editing creates a version; the previous one stays readable (acceptance)', () => {
  it('an API edit of documents, fees and levels publishes version 2, audited with who and what', async () => {
    await at('2026-11-26T03:00:00Z')
    const v1 = (await b.get(`/api/v1/procedures/${MARRIAGE}`)).json()
    expect(v1.version).toBe(1)
    const firstDoc: string = v1.content.cases[0].documents[0].name
    const cases = [
      { name: v1.content.cases[0].name, documents: [{ name: 'Tờ khai đăng ký kết hôn (mẫu mới)', originals: 1, copies: 0, templates: ['TK kết hôn'] }, ...v1.content.cases[0].documents.slice(1)] },
      ...v1.content.cases.slice(1),
    ]
    const channels = [{ channel: 'in_person', time: { kind: 'working_days', value: 1, original: '1 ngày làm việc' }, fee: { kind: 'amount', amountVnd: 30000, original: '30.000 đồng', note: null }, description: null }]
    const r = await admin.browser.api('POST', `/api/v1/procedures/${MARRIAGE}/versions`, { expectedVersion: 1, changeNote: 'Áp dụng mẫu tờ khai mới', cases, channels, levels: ['commune', 'province'] })
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json()).toMatchObject({ version: 2, latestVersion: 2, levels: ['commune', 'province'], unpublishedAt: null })

    // Version 1 is still readable, whole, through the API and on the public page.
    const old = (await b.get(`/api/v1/procedures/${MARRIAGE}?version=1`)).json()
    expect(old).toMatchObject({ version: 1, latestVersion: 2, levels: v1.levels })
    expect(old.content.cases[0].documents[0].name).toBe(firstDoc)
    const page = await b.get(`/thu-tuc/${MARRIAGE}?phien-ban=1`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(firstDoc.slice(0, 30))
    expect(page.body).toContain('không phải phiên bản hiện hành')
    expect((await b.get(`/thu-tuc/${MARRIAGE}`)).body).toContain('Tờ khai đăng ký kết hôn (mẫu mới)')

    // Audit: who, when, what (the fields), why (the change note).
    const rows = (await audit(`code=${MARRIAGE}`)).items
    expect(rows).toEqual([
      expect.objectContaining({ action: 'edit', code: MARRIAGE, version: 2, actorId: admin.id, actorName: `Cán bộ thử admin (${admin.username})`, reason: 'Áp dụng mẫu tờ khai mới', details: { fromVersion: 1, fields: ['levels', 'channels', 'cases'] } }),
    ])

    // The diff between the versions, field by field.
    const diff = (await b.get(`/api/v1/procedures/${MARRIAGE}/diff?from=1&to=2`)).json()
    expect(diff.changes.map((c: { key: string }) => c.key)).toEqual(['levels', 'channels', 'cases'])
    const docs = diff.changes.find((c: { key: string }) => c.key === 'cases')
    expect(docs.lines.some((l: { op: string; text: string }) => l.op !== 'same' && l.text.includes('mẫu mới'))).toBe(true)
    expect((await b.get(`/api/v1/procedures/${MARRIAGE}/diff?from=2&to=2`)).json().error.code).toBe('CATALOG.SAME_VERSION')
    expect((await b.get(`/api/v1/procedures/${MARRIAGE}/diff?from=1&to=9`)).statusCode).toBe(404)

    // The history page shows the versions, who made them, the diff and the audit.
    const history = await admin.browser.get(`/admin/thu-tuc/${MARRIAGE}/lich-su`)
    expect(history.statusCode).toBe(200)
    expect(history.body).toContain('Thay đổi từ phiên bản 1 đến phiên bản 2')
    expect(history.body).toMatch(/<ins>[^<]*mẫu mới/)
    expect(history.body).toContain(`Sửa trên hệ thống: Cán bộ thử admin (${admin.username})`)
    expect(history.body).toContain('Áp dụng mẫu tờ khai mới')
    expect(history.body).toMatch(/… \d+ dòng không đổi/)
    const en = await admin.browser.get(`/admin/thu-tuc/${MARRIAGE}/lich-su`, { cookie: `${admin.browser.cookieHeader}; lang=en` })
    expect(en.body).toContain('Changes from version 1 to version 2')
    expect(en.body).toContain('<html lang="en">')
    expect((await admin.browser.get(`/admin/thu-tuc/${MARRIAGE}/lich-su?tu=1&den=9`)).statusCode).toBe(400)
  })

  it('refuses invalid API edits with every problem at once and writes nothing', async () => {
    const before = [await count('catalogProcedureVersions'), await count('catalogAudit')]
    const r = await admin.browser.api('POST', `/api/v1/procedures/${RESIDENCE}/versions`, {
      expectedVersion: 1,
      changeNote: 'x',
      levels: [],
      cases: [{ name: null, documents: [{ name: '', originals: -1, copies: 0, templates: [] }] }],
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('VALIDATION.FAILED')
    const paths = (r.json().error.details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['body.changeNote', 'body.levels', 'body.cases.0.documents.0.name', 'body.cases.0.documents.0.originals']))
    const partial = await admin.browser.api('POST', `/api/v1/procedures/${RESIDENCE}/versions`, {
      expectedVersion: 1,
      changeNote: 'Một phần',
      onlineLevel: 'partial',
      agencies: [{ ref: 'so-khong-co', role: 'competent', label: 'Sở không có' }],
    })
    expect(partial.statusCode).toBe(400)
    expect(partial.json().error).toMatchObject({ code: 'CATALOG.INVALID_EDIT', details: { fields: { partialReason: [expect.any(String)], 'agencies.0.ref': [expect.any(String)] } } })
    expect([await count('catalogProcedureVersions'), await count('catalogAudit')]).toEqual(before)
  })

  it('lets exactly one of two concurrent edits of the same version win; the other gets 409', async () => {
    const code = '1.004194'
    const cur = (await b.get(`/api/v1/procedures/${code}`)).json()
    const edit = (name: string) => admin.browser.api('POST', `/api/v1/procedures/${code}/versions`, { expectedVersion: cur.version, changeNote: `Đổi tên: ${name}`, name })
    const results = await Promise.all([edit(`${cur.name} (A)`), edit(`${cur.name} (B)`)])
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409])
    expect(results.find((r) => r.statusCode === 409)?.json().error.code).toBe('CONCURRENT_UPDATE')
    expect((await b.get(`/api/v1/procedures/${code}`)).json().version).toBe(cur.version + 1)
    expect((await audit(`code=${code}`)).total).toBe(1)
  })
})

describe('the edit form (no JavaScript)', () => {
  it('saves a change made in the form as a new version, keeping untouched values as published', async () => {
    const s = await formOf(RESIDENCE)
    expect(s.cases[0]?.documents.length).toBeGreaterThan(0)
    const page = await admin.browser.get(`/admin/thu-tuc/${RESIDENCE}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="f-cases-0-documents-0-name"')
    expect(page.body).toContain('name="changeNote"')
    const doc0 = s.cases[0]!.documents[0]!
    const edited: EditFormState = {
      ...s,
      changeNote: 'Giảm số bản sao theo Quyết định 12/QĐ-UBND',
      cases: [{ ...s.cases[0]!, documents: [{ ...doc0, copies: '0', originals: '1' }, ...s.cases[0]!.documents.slice(1), { name: 'Văn bản ủy quyền (nếu nộp thay)', originals: '1', copies: '0', templates: '', isNew: true }] }, ...s.cases.slice(1)],
      legalBases: [...s.legalBases, { code: '12/QĐ-UBND', title: 'Quyết định 12/QĐ-UBND của UBND tỉnh Cà Mau', effectiveFrom: '2026-11-20' }],
    }
    const before = (await b.get(`/api/v1/procedures/${RESIDENCE}`)).json()
    const res = await postPairs(admin.browser, `/admin/thu-tuc/${RESIDENCE}`, [...pairsOf(edited), ['_action', 'save']])
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(303)
    expect(res.headers.location).toBe(`/admin/thu-tuc/${RESIDENCE}?da-luu=${before.version + 1}`)
    const after = (await b.get(`/api/v1/procedures/${RESIDENCE}`)).json()
    expect(after.version).toBe(before.version + 1)
    expect(after.content.cases[0].documents.at(-1)).toEqual({ name: 'Văn bản ủy quyền (nếu nộp thay)', originals: 1, copies: 0, templates: [] })
    expect(after.content.legalBases.at(-1)).toEqual({ code: '12/QĐ-UBND', title: 'Quyết định 12/QĐ-UBND của UBND tỉnh Cà Mau', effectiveFrom: '2026-11-20' })
    // Untouched rows keep their published original text.
    expect(after.content.channels).toEqual(before.content.channels)
    expect((await audit(`code=${RESIDENCE}`)).items[0]).toMatchObject({ action: 'edit', details: { fields: expect.arrayContaining(['cases', 'legalBases']) } })
    expect((await admin.browser.get(res.headers.location as string)).body).toContain(`Đã lưu phiên bản ${before.version + 1}`)
  })

  it('shows every problem next to its field and saves nothing', async () => {
    const s = await formOf(RESIDENCE)
    const before = [await count('catalogProcedureVersions'), await count('catalogAudit')]
    const bad: EditFormState = {
      ...s,
      changeNote: '',
      levels: [],
      onlineLevel: 'partial',
      partialReason: '',
      channels: [{ ...s.channels[0]!, time: { kind: 'working_days', value: 'abc', text: '' } }, ...s.channels.slice(1)],
      cases: [{ ...s.cases[0]!, documents: [{ ...s.cases[0]!.documents[0]!, name: '', originals: '-1' }, ...s.cases[0]!.documents.slice(1)] }, ...s.cases.slice(1)],
      legalBases: [...s.legalBases, { code: 'x', title: '', effectiveFrom: '2026-02-31' }],
    }
    const res = await postPairs(admin.browser, `/admin/thu-tuc/${RESIDENCE}`, pairsOf(bad))
    expect(res.statusCode).toBe(400)
    const n = s.legalBases.length
    for (const id of ['changeNote', 'levels', 'partialReason', 'channels-0-timeValue', 'cases-0-documents-0-name', 'cases-0-documents-0-originals', `legalBases-${n}-title`, `legalBases-${n}-effectiveFrom`]) {
      expect(res.body, id).toContain(`id="f-${id}-error"`)
    }
    expect(res.body).toMatch(/id="f-changeNote"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-changeNote"/)
    expect(res.body).toContain('href="#f-cases-0-documents-0-name"')
    // What the officer typed comes back.
    expect(res.body).toContain('value="abc"')
    expect([await count('catalogProcedureVersions'), await count('catalogAudit')]).toEqual(before)
  })

  it('adds a row without saving, and answers 409 with the officer’s values to a stale form', async () => {
    const s = await formOf(RESIDENCE)
    const versions = await count('catalogProcedureVersions')
    const add = await postPairs(admin.browser, `/admin/thu-tuc/${RESIDENCE}`, [...pairsOf({ ...s, name: `${s.name} (nháp)` }), ['_action', 'add:legalBases']])
    expect(add.statusCode).toBe(200)
    expect(add.body).toContain(`name="legalBases.${s.legalBases.length}.title"`)
    expect(add.body).toContain('(nháp)')
    const stale = await postPairs(admin.browser, `/admin/thu-tuc/${RESIDENCE}`, pairsOf({ ...s, expectedVersion: '1', changeNote: 'Sửa từ bản cũ', name: `${s.name} (cũ)` }))
    expect(stale.statusCode).toBe(409)
    expect(stale.body).toContain('người khác vừa lưu phiên bản')
    expect(stale.body).toContain('(cũ)')
    expect(await count('catalogProcedureVersions')).toBe(versions)
  })
})

describe('unpublishing hides a procedure from the portal but not from history (acceptance)', () => {
  it('takes it off search, agency pages and intake, says so on its page, and keeps its versions', async () => {
    await at('2026-11-27T02:00:00Z')
    const cur = (await b.get(`/api/v1/procedures/${BIRTH}`)).json()
    expect(await searchCodes('khai sinh')).toContain(BIRTH)

    const noReason = await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/unpublish`, { expectedVersion: cur.version, reason: '' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.details[0].path).toBe('body.reason')
    const stale = await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/unpublish`, { expectedVersion: cur.version + 1, reason: 'Bãi bỏ theo Quyết định 99/QĐ-BTP' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('CONCURRENT_UPDATE')

    const r = await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/unpublish`, { expectedVersion: cur.version, reason: 'Bãi bỏ theo Quyết định 99/QĐ-BTP' })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ version: cur.version, unpublishedAt: '2026-11-27T02:00:00.000Z', unpublishedReason: 'Bãi bỏ theo Quyết định 99/QĐ-BTP' })
    expect((await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/unpublish`, { expectedVersion: cur.version, reason: 'Lần nữa cho chắc' })).json().error.code).toBe('CATALOG.ALREADY_UNPUBLISHED')

    // Gone from the portal: search (API and page), agency pages, the fields of the home page, intake lists.
    expect(await searchCodes('khai sinh')).not.toContain(BIRTH)
    expect((await b.get('/thu-tuc?q=khai+sinh')).body).not.toContain(`/thu-tuc/${BIRTH}"`)
    expect((await b.get('/co-quan/ubnd-xa-32002')).body).not.toContain(`/thu-tuc/${BIRTH}"`)
    expect((await b.get('/thu-tuc')).body).toContain('77 thủ tục')
    expect((await counter.browser.get('/staff/tiep-nhan')).body).not.toContain(`value="${BIRTH}"`)

    // Its page says it no longer applies, since when and why, instead of the checklist.
    const page = await b.get(`/thu-tuc/${BIRTH}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Thủ tục này không còn áp dụng từ 09:00 27/11/2026.')
    expect(page.body).toContain('Bãi bỏ theo Quyết định 99/QĐ-BTP')
    expect(page.body).not.toContain('Thành phần hồ sơ')
    expect(page.body).toContain(`href="/thu-tuc/${BIRTH}?phien-ban=1"`)
    // Not from history: every version stays readable, flagged, in the API and on the page.
    const old = await b.get(`/thu-tuc/${BIRTH}?phien-ban=1`)
    expect(old.body).toContain('Thành phần hồ sơ')
    expect(old.body).toContain('không còn áp dụng')
    expect((await b.get(`/api/v1/procedures/${BIRTH}?version=1`)).json()).toMatchObject({ version: 1, unpublishedAt: '2026-11-27T02:00:00.000Z' })
    expect((await b.get(`/api/v1/procedures/${BIRTH}/versions`)).json().items.length).toBe(cur.version)
    const list = await admin.browser.get('/admin/thu-tuc?trang-thai=unpublished')
    expect(list.body).toContain(`href="/admin/thu-tuc/${BIRTH}"`)
    expect(list.body).toMatch(/Đã ngừng công bố \(1\)/)

    // A dossier is not received under it: coded, Vietnamese, nothing written.
    const dossiers = await count('dossiers')
    const intake = (procedureCode: string) =>
      counter.browser.api('POST', '/api/v1/dossiers/intake', {
        procedureCode,
        communeCode: '32002',
        applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '096190001234', phone: '0912345678', address: 'Khóm 1, phường An Xuyên' },
        decision: 'accept',
        limit: { amount: 3, unit: 'working_days' },
      })
    const refused = await intake(BIRTH)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'CATALOG.PROCEDURE_UNPUBLISHED', message: expect.stringMatching(/đã ngừng áp dụng từ .*không tiếp nhận hồ sơ mới/) })
    expect(await count('dossiers')).toBe(dossiers)

    // Published again: back on the portal and at the counter.
    await at('2026-11-27T03:00:00Z')
    expect((await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/publish`, { expectedVersion: cur.version })).statusCode).toBe(200)
    expect((await admin.browser.api('POST', `/api/v1/procedures/${BIRTH}/publish`, { expectedVersion: cur.version })).json().error.code).toBe('CATALOG.ALREADY_PUBLISHED')
    expect(await searchCodes('khai sinh')).toContain(BIRTH)
    expect((await b.get(`/thu-tuc/${BIRTH}`)).body).toContain('Thành phần hồ sơ')
    expect((await intake(BIRTH)).statusCode).toBe(201)

    const rows = (await audit(`code=${BIRTH}`)).items
    expect(rows.map((x) => [x.action, x.reason])).toEqual([
      ['publish', null],
      ['unpublish', 'Bãi bỏ theo Quyết định 99/QĐ-BTP'],
    ])
    expect(rows[0]).toMatchObject({ actorId: admin.id, details: { unpublishedAt: '2026-11-27T02:00:00.000Z', unpublishedReason: 'Bãi bỏ theo Quyết định 99/QĐ-BTP' } })
    const history = (await admin.browser.get(`/admin/thu-tuc/${BIRTH}/lich-su`)).body
    expect(history).toContain('Ngừng công bố')
    expect(history).toContain('Bãi bỏ theo Quyết định 99/QĐ-BTP')
  })

  it('works from the page: the reason is required and shown next to its field', async () => {
    const code = '2.000815'
    const empty = await postPairs(admin.browser, `/admin/thu-tuc/${code}/ngung-cong-bo`, [['expectedVersion', '1'], ['reason', ' ']])
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('id="f-reason-error"')
    expect((await b.get(`/api/v1/procedures/${code}`)).json().unpublishedAt).toBeNull()
    const ok = await postPairs(admin.browser, `/admin/thu-tuc/${code}/ngung-cong-bo`, [['expectedVersion', '1'], ['reason', 'Chuyển sang thủ tục liên thông']])
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toBe(`/admin/thu-tuc/${code}?cong-bo=ngung`)
    const again = await postPairs(admin.browser, `/admin/thu-tuc/${code}/ngung-cong-bo`, [['expectedVersion', '1'], ['reason', 'Bấm lại lần nữa']])
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('đã ngừng công bố từ')
    const back = await postPairs(admin.browser, `/admin/thu-tuc/${code}/cong-bo`, [['expectedVersion', '1'], ['note', 'Nhầm lẫn']])
    expect(back.statusCode).toBe(303)
    expect((await audit(`code=${code}`)).items.map((x) => x.action)).toEqual(['publish', 'unpublish'])
  })

  it('lets exactly one of two concurrent unpublications win', async () => {
    const code = '1.013225'
    const cur = (await b.get(`/api/v1/procedures/${code}`)).json()
    const go = (reason: string) => admin.browser.api('POST', `/api/v1/procedures/${code}/unpublish`, { expectedVersion: cur.version, reason })
    const results = await Promise.all([go('Lý do của người thứ nhất'), go('Lý do của người thứ hai')])
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409])
    const winner = results.find((r) => r.statusCode === 200)!.json().unpublishedReason
    expect((await b.get(`/api/v1/procedures/${code}`)).json().unpublishedReason).toBe(winner)
    expect((await audit(`code=${code}`)).items.map((x) => x.reason)).toEqual([winner])
  })
})

describe('audit of imports and who may administer', () => {
  it('records one row per import run with its counts, and never lets a row change', async () => {
    const seed = await audit('action=seed')
    expect(seed.items[0]).toMatchObject({ action: 'seed', code: null, actorName: null, details: expect.objectContaining({ created: 78 }) })
    await at('2026-11-28T02:00:00Z')
    const codes = (await t.db.selectFrom('catalogProcedures').select('code').where('inProvince', '=', true).orderBy('code').execute()).map((r) => r.code)
    const report = await importProvince(deps(), `code\n${codes.join('\n')}\n`, { file: 'danh-muc-tinh.csv' })
    expect(report.totals).toMatchObject({ created: 0, changed: 0, unchanged: codes.length })
    await importNational(deps(), [], { file: 'rong.json.gz' })
    const rows = (await audit('pageSize=2')).items
    expect(rows.map((r) => [r.action, r.details])).toEqual([
      ['national_import', { created: 0, changed: 0, unchanged: 0, file: 'rong.json.gz' }],
      ['province_import', { created: 0, changed: 0, unchanged: codes.length, file: 'danh-muc-tinh.csv' }],
    ])
    const log = await admin.browser.get('/admin/thu-tuc/nhat-ky')
    expect(log.statusCode).toBe(200)
    expect(log.body).toContain('Nhập danh mục của tỉnh')
    expect(log.body).toContain('danh-muc-tinh.csv')
    await expect(sql`UPDATE catalog_audit SET reason = 'sửa trái phép'`.execute(t.db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM catalog_audit`.execute(t.db)).rejects.toThrow(/append-only/)
  })

  it.each([
    ['POST', `/api/v1/procedures/${RESIDENCE}/versions`, { expectedVersion: 1, changeNote: 'Thử quyền' }],
    ['POST', `/api/v1/procedures/${RESIDENCE}/unpublish`, { expectedVersion: 1, reason: 'Thử quyền xem sao' }],
    ['POST', `/api/v1/procedures/${RESIDENCE}/publish`, { expectedVersion: 1 }],
    ['GET', '/api/v1/catalog/audit', undefined],
  ] as const)('%s %s: 403 for an officer, 401 without a session', async (method, url, body) => {
    expect((await officer.browser.api(method, url, body)).statusCode).toBe(403)
    expect((await new Browser(t.app).api(method, url, body)).statusCode).toBe(401)
  })

  it.each(['/admin/thu-tuc', '/admin/thu-tuc/nhat-ky', `/admin/thu-tuc/${RESIDENCE}`, `/admin/thu-tuc/${RESIDENCE}/lich-su`])('%s is for administrators only', async (url) => {
    expect((await officer.browser.get(url)).statusCode).toBe(403)
    const anon = await new Browser(t.app).get(url)
    expect(anon.statusCode).toBe(303)
    expect(anon.headers.location).toMatch(/^\/staff\/login\?next=/)
    expect((await admin.browser.get(url)).statusCode).toBe(200)
  })

  it('refuses an officer’s form post without changing anything', async () => {
    const s = await formOf(RESIDENCE)
    const versions = await count('catalogProcedureVersions')
    const res = await postPairs(officer.browser, `/admin/thu-tuc/${RESIDENCE}`, pairsOf({ ...s, changeNote: 'Không có quyền', name: 'Tên khác' }))
    expect(res.statusCode).toBe(403)
    const unpublish = await postPairs(officer.browser, `/admin/thu-tuc/${RESIDENCE}/ngung-cong-bo`, [['expectedVersion', s.expectedVersion], ['reason', 'Không có quyền']])
    expect(unpublish.statusCode).toBe(403)
    expect(await count('catalogProcedureVersions')).toBe(versions)
  })

  it('lists procedures for administrators by code or accent-free name, with counts per status, and links them from the workspace', async () => {
    const list = await admin.browser.get('/admin/thu-tuc?q=dang+ky+ket+hon')
    expect(list.body).toContain(`href="/admin/thu-tuc/${MARRIAGE}"`)
    const byCode = await admin.browser.get(`/admin/thu-tuc?q=${MARRIAGE}&trang-thai=all`)
    expect(byCode.body).toContain(`href="/admin/thu-tuc/${MARRIAGE}"`)
    expect(byCode.body).toMatch(/Tất cả \(1\)/)
    expect((await admin.browser.get('/admin/thu-tuc?q=%25')).statusCode).toBe(200)
    expect((await admin.browser.get('/admin/thu-tuc/9.999999')).statusCode).toBe(404)
    expect((await admin.browser.get('/admin/thu-tuc/abc')).statusCode).toBe(404)
    expect((await admin.browser.get('/staff')).body).toContain('href="/admin/thu-tuc"')
    expect((await officer.browser.get('/staff')).body).not.toContain('href="/admin/thu-tuc"')
  })
})
