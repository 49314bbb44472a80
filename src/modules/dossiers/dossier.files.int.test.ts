import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeExe, makeJpeg, makePdf, makePng, multipartBody, type FilePart } from '../../../test/support/files.js'
import { Browser, createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { verifyAllChains } from './index.js'

// Files of a dossier (issue 5: "scanned files uploaded" at intake, "result documents uploaded"
// in handling), stored content-addressed by the documents module. Limits are made small here:
// 50 KB per file, 5 files per dossier.
const clock = new ManualClock('2026-11-26T02:00:00Z') // Thursday 09:00 in Vietnam
let t: TestApp
let counter: StaffFixture
let officer: StaffFixture
let leader: StaffFixture
let stranger: StaffFixture
let admin: StaffFixture
let pdf: Buffer
const jpeg = makeJpeg()
const png = makePng()

const BIRTH = '1.001193'
const applicant = { fullName: 'Lê Thị Mai', idNumber: '096190001234', phone: '0912345678' }
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  t = await createTestApp({ clock, env: { VIDAN_UPLOAD_MAX_FILE_MB: '0.05', VIDAN_UPLOAD_MAX_FILES: '5', VIDAN_UPLOAD_MAX_REQUEST_MB: '1' } })
  counter = await staffFixture(t, 'counter_officer', 'ttpvhcc-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  stranger = await staffFixture(t, 'processing_officer', 'so-tu-phap')
  admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
  pdf = await makePdf('Giay chung sinh')
})
afterAll(async () => t?.close())

async function intake(): Promise<{ id: string; version: number }> {
  const r = await counter.browser.api('POST', '/api/v1/dossiers/intake', { procedureCode: BIRTH, communeCode: '32002', applicant, decision: 'accept', limit: { amount: 3, unit: 'working_days' } })
  expect(r.statusCode, r.body).toBe(201)
  return r.json()
}

async function upload(who: StaffFixture, dossierId: string, fields: Record<string, string>, files: FilePart[], headers: Record<string, string> = {}) {
  const token = (await who.browser.get('/api/v1/csrf-token')).json().token as string
  const { payload, contentType } = multipartBody(fields, files)
  return t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${dossierId}/files`, payload, headers: { cookie: who.browser.cookieHeader, 'x-csrf-token': token, 'content-type': contentType, ...headers } })
}

/** A form post the way a browser sends a multipart form: its `_csrf` hidden field first. */
async function postMultipartForm(who: StaffFixture, url: string, csrfFrom: string, fields: Record<string, string>, files: FilePart[]) {
  const { payload, contentType } = multipartBody({ _csrf: await who.browser.csrf(csrfFrom), ...fields }, files)
  return t.app.inject({ method: 'POST', url, payload, headers: { cookie: who.browser.cookieHeader, 'content-type': contentType } })
}

async function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const cur = (await who.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
  const r = await who.browser.api('POST', `/api/v1/dossiers/${id}/actions`, { expectedVersion: cur.version, ...body })
  expect(r.statusCode, r.body).toBe(200)
}

async function counts() {
  const n = async (table: 'dossiers' | 'dossierEvents' | 'documents' | 'documentBlobs' | 'dossierFiles' | 'outboxEvents') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { dossiers: await n('dossiers'), events: await n('dossierEvents'), documents: await n('documents'), blobs: await n('documentBlobs'), links: await n('dossierFiles'), outbox: await n('outboxEvents') }
}

const three = (): FilePart[] => [
  { name: 'Giấy chứng sinh.pdf', type: 'application/pdf', bytes: pdf },
  { name: 'ảnh chụp.jpg', type: 'image/jpeg', bytes: jpeg },
  { name: 'sơ đồ.png', type: 'image/png', bytes: png },
]

describe('attaching files through the API', () => {
  it('accepts a PDF, a JPEG and a PNG, stores each once when attached twice, and gives them back unchanged', async () => {
    const d = await intake()
    const first = await upload(counter, d.id, { kind: 'scan' }, three())
    expect(first.statusCode, first.body).toBe(201)
    const files = first.json().files as { id: string; name: string; mediaType: string; sha256: string; sizeBytes: number; kind: string; attachedBy: { name: string } }[]
    expect(files.map((f) => f.mediaType)).toEqual(['application/pdf', 'image/jpeg', 'image/png'])
    expect(files.map((f) => f.sha256)).toEqual([sha(pdf), sha(jpeg), sha(png)])
    expect(files.map((f) => f.name)).toEqual(['Giấy chứng sinh.pdf', 'ảnh chụp.jpg', 'sơ đồ.png'])
    expect(files[0]).toMatchObject({ kind: 'scan', sizeBytes: pdf.length, attachedBy: { name: 'Cán bộ thử counter_officer' } })

    // The same three files again, on another dossier of the same applicant.
    const d2 = await intake()
    const again = await upload(counter, d2.id, { kind: 'scan' }, three())
    expect(again.statusCode, again.body).toBe(201)
    const second = again.json().files as { id: string; sha256: string }[]
    expect(second.map((f) => f.sha256)).toEqual(files.map((f) => f.sha256))
    expect(new Set([...files, ...second].map((f) => f.id)).size).toBe(6)
    // Six documents, three blobs: the bytes are stored once per hash.
    const blobs = await t.db.selectFrom('documentBlobs').select(['sha256', 'sizeBytes']).where('sha256', 'in', files.map((f) => f.sha256)).execute()
    expect(blobs).toHaveLength(3)
    const list = (await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/files`)).json()
    expect(list.items.map((f: { id: string }) => f.id)).toEqual(files.map((f) => f.id))
    expect(list.mayAttach).toEqual(['scan'])

    for (const [i, bytes] of [pdf, jpeg, png].entries()) {
      const f = files[i]!
      const r = await officer.browser.get(`/api/v1/dossiers/${d.id}/files/${f.id}`)
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toBe(f.mediaType)
      expect(r.headers['x-content-type-options']).toBe('nosniff')
      expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(f.name)}`)
      expect(r.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"/)
      expect(r.headers['x-content-sha256']).toBe(sha(bytes))
      expect(Buffer.compare(r.rawPayload, bytes)).toBe(0)
    }
    // Every download is recorded like an opening of the dossier.
    const log = await t.db.selectFrom('dossierAccessLog').select(['accountId', 'purpose']).where('dossierId', '=', d.id).where('purpose', 'like', 'api:file:%').execute()
    expect(log).toHaveLength(3)
    expect(log.every((l) => l.accountId === officer.id)).toBe(true)

    // Each upload is one hash-chained event with actor, names, hashes and kind, and one outbox row.
    const detail = (await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json()
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'receive', 'attach_file'])
    const ev = detail.events[2]
    expect(ev).toMatchObject({ actorName: 'Cán bộ thử counter_officer', actorRole: 'counter_officer', content: 'Đính kèm 3 tệp bản quét giấy tờ' })
    expect(ev.data).toMatchObject({ kind: 'scan', files: files.map((f) => expect.objectContaining({ documentId: f.id, name: f.name, sha256: f.sha256 })) })
    const outbox = await t.db.selectFrom('outboxEvents').select('payload').where('topic', '=', 'dossier.attach_file').where('aggregateId', '=', d.id).execute()
    expect(outbox).toHaveLength(1)
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })

  it('refuses a program renamed .pdf with a coded Vietnamese error, and writes nothing', async () => {
    const d = await intake()
    const before = await counts()
    const r = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'giay-khai-sinh.pdf', type: 'application/pdf', bytes: makeExe() }])
    expect(r.statusCode).toBe(400)
    expect(r.json().error).toMatchObject({ code: 'DOCUMENT.TYPE_NOT_ALLOWED', message: expect.stringContaining('không phải PDF, JPEG hoặc PNG') })
    expect(r.json().error.details.files).toEqual([expect.objectContaining({ index: 0, name: 'giay-khai-sinh.pdf', code: 'DOCUMENT.TYPE_NOT_ALLOWED' })])
    expect(await counts()).toEqual(before)
    expect((await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json().version).toBe(d.version)
  })

  it('refuses a file over the size limit, an empty file and an upload without a file, writing nothing', async () => {
    const d = await intake()
    const before = await counts()
    const big = Buffer.concat([pdf, crypto.randomBytes(60_000)]) // a PDF, but over 50 KB
    const tooLarge = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'lon.pdf', bytes: big }])
    expect(tooLarge.statusCode).toBe(400)
    expect(tooLarge.json().error.code).toBe('DOCUMENT.TOO_LARGE')
    expect(tooLarge.json().error.message).toContain('vượt quá dung lượng')
    const empty = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'rong.pdf', bytes: Buffer.alloc(0) }])
    expect(empty.json().error.code).toBe('DOCUMENT.EMPTY')
    const none = await upload(counter, d.id, { kind: 'scan' }, [])
    expect(none.json().error.code).toBe('DOCUMENT.NO_FILE')
    // Several problems at once: all reported.
    const mixed = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'a.pdf', bytes: big }, { name: 'b.png', bytes: Buffer.alloc(0) }, { name: 'c.png', bytes: png }])
    expect(mixed.json().error.details.files.map((p: { code: string }) => p.code)).toEqual(['DOCUMENT.TOO_LARGE', 'DOCUMENT.EMPTY'])
    // A body cut off in the middle of a file: a coded 400, not a 500.
    const token = (await counter.browser.get('/api/v1/csrf-token')).json().token as string
    const whole = multipartBody({ kind: 'scan' }, [{ name: 'a.pdf', bytes: pdf }])
    const cut = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${d.id}/files`, payload: whole.payload.subarray(0, whole.payload.length - 200), headers: { cookie: counter.browser.cookieHeader, 'x-csrf-token': token, 'content-type': whole.contentType } })
    expect(cut.statusCode).toBe(400)
    expect(cut.json().error.code).toBe('DOCUMENT.UPLOAD_INCOMPLETE')
    expect(await counts()).toEqual(before)
  })

  it('holds a dossier to its file count, also when two uploads race', async () => {
    const d = await intake()
    expect((await upload(counter, d.id, { kind: 'scan' }, [1, 2, 3, 4].map((i) => ({ name: `trang-${i}.png`, bytes: png })))).statusCode).toBe(201)
    const over = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'a.png', bytes: png }, { name: 'b.png', bytes: png }])
    expect(over.statusCode).toBe(400)
    expect(over.json().error).toMatchObject({ code: 'DOCUMENT.TOO_MANY_FILES', message: expect.stringContaining('tối đa 5 tệp') })
    const [a, b] = await Promise.all([upload(counter, d.id, { kind: 'scan' }, [{ name: 'x.png', bytes: png }]), upload(counter, d.id, { kind: 'scan' }, [{ name: 'y.jpg', bytes: jpeg }])])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400])
    expect([a, b].find((r) => r.statusCode === 400)!.json().error.code).toBe('DOCUMENT.TOO_MANY_FILES')
    expect((await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/files`)).json().items).toHaveLength(5)
    // More files in one request than a dossier may ever hold: the parser stops at the limit.
    const fresh = await intake()
    const six = await upload(counter, fresh.id, { kind: 'scan' }, [1, 2, 3, 4, 5, 6].map((i) => ({ name: `p${i}.png`, bytes: png })))
    expect(six.statusCode).toBe(400)
    expect(six.json().error.code).toBe('DOCUMENT.TOO_MANY_FILES')
  })

  it('replays an upload sent twice with the same Idempotency-Key (one event)', async () => {
    const d = await intake()
    const key = { 'idempotency-key': `files-${crypto.randomUUID()}` }
    const r1 = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'a.pdf', bytes: pdf }], key)
    const r2 = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'a.pdf', bytes: pdf }], key)
    expect(r1.statusCode).toBe(201)
    expect(r2.json()).toEqual(r1.json())
    expect(r2.headers['idempotent-replayed']).toBe('true')
    const reuse = await upload(counter, d.id, { kind: 'scan' }, [{ name: 'b.png', bytes: png }], key)
    expect(reuse.json().error.code).toBe('IDEMPOTENCY.KEY_REUSED')
    expect((await counter.browser.api('GET', `/api/v1/dossiers/${d.id}/files`)).json().items).toHaveLength(1)
  })

  it('takes results from the handling officer or a leader until the result is returned, with the legal-copy flag', async () => {
    const d = await intake()
    const early = await upload(officer, d.id, { kind: 'result' }, [{ name: 'kq.pdf', bytes: pdf }])
    expect(early.statusCode).toBe(409)
    expect(early.json().error).toMatchObject({ code: 'DOSSIER.FILE_KIND_NOT_ALLOWED_NOW', details: { status: 'received', allowedStatuses: ['processing', 'decided'] } })
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    const byCounter = await upload(counter, d.id, { kind: 'result' }, [{ name: 'kq.pdf', bytes: pdf }])
    expect(byCounter.statusCode).toBe(403)
    const draft = await upload(officer, d.id, { kind: 'result', legalCopy: 'true' }, [{ name: 'Trích lục khai sinh.pdf', bytes: pdf }])
    expect(draft.statusCode, draft.body).toBe(201)
    expect(draft.json().files[0]).toMatchObject({ kind: 'result', legalCopy: true })
    const stored = await t.db.selectFrom('documents').select(['ownerSubject', 'kind', 'legalCopy', 'scanStatus']).where('id', '=', draft.json().files[0].id).executeTakeFirstOrThrow()
    expect(stored).toEqual({ ownerSubject: applicant.idNumber, kind: 'result', legalCopy: true, scanStatus: 'not_scanned' })
    await act(officer, d.id, { action: 'submit_for_approval' })
    await act(leader, d.id, { action: 'approve' })
    expect((await upload(leader, d.id, { kind: 'result' }, [{ name: 'ban-ky.png', bytes: png }])).statusCode).toBe(201)
    await act(counter, d.id, { action: 'return_result' })
    const late = await upload(leader, d.id, { kind: 'result' }, [{ name: 'muon.png', bytes: png }])
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('DOSSIER.INVALID_TRANSITION')
    const timeline = (await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json().events
    expect(timeline.filter((e: { action: string }) => e.action === 'attach_file').map((e: { content: string }) => e.content)).toEqual(['Đính kèm 1 tệp kết quả giải quyết', 'Đính kèm 1 tệp kết quả giải quyết'])
    // The public tracking page says results were attached, without the file names.
    const track = (await new Browser(t.app).get(`/api/v1/tracking/${(await counter.browser.api('GET', `/api/v1/dossiers/${d.id}`)).json().code}?verifier=1234`)).json()
    expect(JSON.stringify(track)).not.toContain('Trích lục')
  })

  it('refuses attach_file through the generic actions call', async () => {
    const d = await intake()
    const r = await counter.browser.api('POST', `/api/v1/dossiers/${d.id}/actions`, { action: 'attach_file', expectedVersion: d.version })
    expect(r.statusCode).toBe(403)
  })
})

describe('who may see and add files', () => {
  it('serves only officers of the agencies involved and administrators (403 to others, 401 without a session)', async () => {
    const d = await intake()
    const f = (await upload(counter, d.id, { kind: 'scan' }, [{ name: 'a.png', bytes: png }])).json().files[0]
    for (const r of [
      await stranger.browser.get(`/api/v1/dossiers/${d.id}/files`),
      await stranger.browser.get(`/api/v1/dossiers/${d.id}/files/${f.id}`),
      await stranger.browser.get(`/staff/ho-so/${d.id}/tep/${f.id}`),
    ]) {
      expect(r.statusCode).toBe(403)
    }
    expect((await stranger.browser.get(`/api/v1/dossiers/${d.id}/files`)).json().error.code).toBe('DOSSIER.FILES_FORBIDDEN')
    const strangerUpload = await upload(stranger, d.id, { kind: 'scan' }, [{ name: 'x.png', bytes: png }])
    expect(strangerUpload.statusCode).toBe(403)
    expect((await admin.browser.get(`/api/v1/dossiers/${d.id}/files/${f.id}`)).statusCode).toBe(200)
    expect((await leader.browser.get(`/api/v1/dossiers/${d.id}/files`)).statusCode).toBe(200)
    expect((await new Browser(t.app).get(`/api/v1/dossiers/${d.id}/files/${f.id}`)).statusCode).toBe(401)
    // A file of another dossier is not reachable through this one.
    const other = await intake()
    const wrong = await counter.browser.get(`/api/v1/dossiers/${other.id}/files/${f.id}`)
    expect(wrong.statusCode).toBe(404)
    expect(wrong.json().error.code).toBe('DOSSIER.FILE_NOT_FOUND')
    // The stranger's page shows no file.
    const page = await stranger.browser.get(`/staff/ho-so/${d.id}`)
    expect(page.body).not.toContain(`/tep/${f.id}`)
    expect(page.body).toContain('Chỉ cán bộ của cơ quan tiếp nhận, giải quyết hồ sơ được xem tệp đính kèm.')
  })
})

describe('counter intake page with scanned papers (works without JavaScript)', () => {
  const form = (extra: Record<string, string> = {}) => ({ procedureCode: BIRTH, communeCode: '32002', limitDays: '3', fullName: 'Trần Văn Bình', idNumber: '096190005678', phone: '0987654321', decision: 'accept', ...extra })
  const INTAKE = `/staff/tiep-nhan?procedure=${BIRTH}`

  it('offers a multipart form with a file input for several scans', async () => {
    const page = await counter.browser.get(INTAKE)
    expect(page.body).toContain('enctype="multipart/form-data"')
    expect(page.body).toMatch(/<input id="scans" name="file" type="file" multiple accept="application\/pdf,image\/jpeg,image\/png,/)
  })

  it('receives the dossier and its scans in one transaction', async () => {
    const r = await postMultipartForm(counter, '/staff/tiep-nhan', INTAKE, form(), [
      { name: 'to-khai.pdf', bytes: pdf },
      { name: 'cccd.jpg', bytes: jpeg },
    ])
    expect(r.statusCode, r.body.slice(0, 3000)).toBe(303)
    const id = /\/staff\/ho-so\/([0-9a-f-]{36})\?done=receive/.exec(r.headers.location as string)![1]!
    const detail = (await counter.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
    expect(detail.status).toBe('received')
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'receive', 'attach_file'])
    const files = (await counter.browser.api('GET', `/api/v1/dossiers/${id}/files`)).json().items
    expect(files.map((f: { name: string; kind: string }) => [f.name, f.kind])).toEqual([
      ['to-khai.pdf', 'scan'],
      ['cccd.jpg', 'scan'],
    ])
    // The dossier page lists them (name, kind, size, type, who) with download links that work.
    const page = await counter.browser.get(`/staff/ho-so/${id}`)
    expect(page.body).toContain(`href="/staff/ho-so/${id}/tep/${files[0].id}"`)
    expect(page.body).toContain('Bản quét giấy tờ')
    expect(page.body).toContain('Cán bộ thử counter_officer')
    const dl = await counter.browser.get(`/staff/ho-so/${id}/tep/${files[1].id}`)
    expect(dl.headers['content-type']).toBe('image/jpeg')
    expect(Buffer.compare(dl.rawPayload, jpeg)).toBe(0)
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })

  it('comes back with the error next to the file field and the entered data kept, and writes nothing, when a file is refused', async () => {
    const before = await counts()
    const r = await postMultipartForm(counter, '/staff/tiep-nhan', INTAKE, form({ fullName: 'Phạm Thị Lụa' }), [
      { name: 'to-khai.png', bytes: png },
      { name: 'giay-to.pdf', type: 'application/pdf', bytes: makeExe() },
    ])
    expect(r.statusCode).toBe(400)
    expect(r.body).toMatch(/<p class="field-error" id="files-error">[^<]*giay-to\.pdf[^<]*không phải PDF, JPEG hoặc PNG/)
    expect(r.body).toContain('value="Phạm Thị Lụa"')
    expect(r.body).toContain('aria-describedby="files-error scans-hint"')
    expect(await counts()).toEqual(before)
  })

  it("reports the intake's own problems together with the files', and still writes nothing", async () => {
    const before = await counts()
    const r = await postMultipartForm(counter, '/staff/tiep-nhan', INTAKE, form({ idNumber: '999' }), [{ name: 'rong.pdf', bytes: Buffer.alloc(0) }])
    expect(r.statusCode).toBe(400)
    expect(r.body).toContain('id="applicant.idNumber-error"')
    expect(r.body).toMatch(/id="files-error">[^<]*rong\.pdf[^<]*rỗng/)
    expect(await counts()).toEqual(before)
    // Good files with a bad form: their bytes were written in the transaction, and rolled back with it.
    const fresh = makePng(3, 0x21)
    const r2 = await postMultipartForm(counter, '/staff/tiep-nhan', INTAKE, form({ idNumber: '999' }), [{ name: 'moi.png', bytes: fresh }])
    expect(r2.statusCode).toBe(400)
    expect(await t.db.selectFrom('documentBlobs').select('sha256').where('sha256', '=', sha(fresh)).executeTakeFirst()).toBeUndefined()
    expect(await counts()).toEqual(before)
  })

  it('refuses scans on a refused dossier, a multipart post without its CSRF token, and multipart where none is taken', async () => {
    const before = await counts()
    const refusedWithScan = await postMultipartForm(counter, '/staff/tiep-nhan', INTAKE, form({ decision: 'refuse', reason: 'Không thuộc thẩm quyền' }), [{ name: 'a.png', bytes: png }])
    expect(refusedWithScan.statusCode).toBe(400)
    expect(refusedWithScan.body).toContain('id="files-error"')
    const { payload, contentType } = multipartBody(form(), [{ name: 'a.png', bytes: png }])
    const noCsrf = await t.app.inject({ method: 'POST', url: '/staff/tiep-nhan', payload, headers: { cookie: counter.browser.cookieHeader, 'content-type': contentType } })
    expect(noCsrf.statusCode).toBe(403)
    const d = await intake()
    const afterIntake = await counts()
    const elsewhere = await postMultipartForm(counter, `/staff/ho-so/${d.id}/thao-tac`, `/staff/ho-so/${d.id}`, { action: 'withdraw', expectedVersion: String(d.version) }, [])
    expect(elsewhere.statusCode).toBe(415)
    expect(await counts()).toEqual({ ...afterIntake })
    expect(afterIntake.dossiers).toBe(before.dossiers + 1)
  })
})

describe('dossier page uploads', () => {
  it('offers the upload form to the officer allowed now, takes files from it, and shows a refusal next to the field', async () => {
    const d = await intake()
    expect((await officer.browser.get(`/staff/ho-so/${d.id}`)).body).not.toContain(`action="/staff/ho-so/${d.id}/tep"`)
    const counterPage = (await counter.browser.get(`/staff/ho-so/${d.id}`)).body
    expect(counterPage).toContain(`action="/staff/ho-so/${d.id}/tep" enctype="multipart/form-data"`)
    expect(counterPage).toContain('<input type="hidden" name="kind" value="scan"/>')
    await act(leader, d.id, { action: 'assign', assigneeId: officer.id })
    const officerPage = (await officer.browser.get(`/staff/ho-so/${d.id}`)).body
    expect(officerPage).toContain('id="file-kind-scan"')
    expect(officerPage).toContain('id="file-kind-result"')
    expect(officerPage).toContain('name="legalCopy"')

    const ok = await postMultipartForm(officer, `/staff/ho-so/${d.id}/tep`, `/staff/ho-so/${d.id}`, { kind: 'result' }, [{ name: 'Quyết định.pdf', bytes: pdf }])
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(303)
    expect(ok.headers.location).toBe(`/staff/ho-so/${d.id}?done=attach_file`)
    const after = (await officer.browser.get(ok.headers.location as string)).body
    expect(after).toContain('Đã thực hiện: Đính kèm tệp')
    expect(after).toContain('Quyết định.pdf')
    expect(after).toContain('Kết quả giải quyết')

    const bad = await postMultipartForm(officer, `/staff/ho-so/${d.id}/tep`, `/staff/ho-so/${d.id}`, { kind: 'result' }, [{ name: 'virus.png', bytes: makeExe() }])
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toMatch(/id="files-error">[^<]*virus\.png/)
  })
})
