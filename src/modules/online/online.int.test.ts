import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { citizenFixture, type CitizenFixture } from '../../../test/support/citizen.js'
import { makeExe, makePdf, multipartBody, type FilePart } from '../../../test/support/files.js'
import { Browser, createTestApp, ManualClock, staffFixture, type StaffFixture, type TestApp } from '../../../test/support/test-app.js'
import { createDocumentsDeps } from '../documents/index.js'
import { verifyAllChains } from '../dossiers/index.js'
import { submitForm } from './online.service.js'
import { seedDemoWallets } from './online.seed.js'
import { collectReturnedResults } from './wallet.js'
import { collectJobs } from '../../app/runtime.js'
import { horizonPassed } from '../../../test/support/outbox.js'

// Issue 6 §2–§3: the citizen's e-form (fields as data, drafts, files, reuse from the wallet),
// "my dossiers" (supplement, withdrawal through the lifecycle) and the document wallet; the
// authorization matrix: a citizen reaches only their own dossiers, files, drafts and wallet.
// Uploads limited to 50 KB per file here, to test the size limit cheaply.
const clock = new ManualClock('2026-11-26T02:00:00Z') // Thursday 09:00 in Vietnam
let t: TestApp
let a: CitizenFixture
let b: CitizenFixture
let counter: StaffFixture
let officer: StaffFixture
let leader: StaffFixture
let pdf: Buffer

const BIRTH = '1.001193'
// Required documents of the demo catalogue's birth registration (the others are conditional).
const CERT = 3 // Giấy chứng sinh
const ID_PAPER = 5 // Hộ chiếu/Thẻ căn cước … (a paper shown at the counter, uploaded online)
const MAI = '096190004512' // a demo citizen whose wallet the demo seed fills

beforeAll(async () => {
  t = await createTestApp({ clock, env: { VIDAN_UPLOAD_MAX_FILE_MB: '0.05', VIDAN_UPLOAD_MAX_FILES: '8' } })
  a = await citizenFixture(t, { identityNumber: MAI, fullName: 'Nguyễn Thị Mai' })
  b = await citizenFixture(t, { fullName: 'Trần Thị Bê' })
  counter = await staffFixture(t, 'counter_officer', 'ubnd-xa-32002')
  officer = await staffFixture(t, 'processing_officer', 'ubnd-xa-32002')
  leader = await staffFixture(t, 'agency_leader', 'ubnd-xa-32002')
  pdf = await makePdf('Giay chung sinh')
  await seedDemoWallets(t.db, clock)
})
afterAll(async () => t?.close())

/** A complete, valid birth registration form. */
const validForm = (over: Record<string, string> = {}): Record<string, string> => ({
  communeCode: '32002',
  'applicant.fullName': 'Nguyễn Thị Mai',
  'applicant.idNumber': MAI,
  'applicant.birthDate': '1990-03-14',
  'applicant.phone': '0918204512',
  'applicant.address': 'Khóm 3, Phường An Xuyên',
  'extra.childName': 'Đỗ Minh An',
  'extra.childGender': 'nam',
  'extra.childBirthDate': '2026-11-20',
  'extra.childBirthPlace': 'Bệnh viện Sản Nhi Cà Mau',
  'extra.fatherName': 'Đỗ Văn Khoa',
  'extra.motherName': 'Nguyễn Thị Mai',
  'extra.relationship': 'me',
  ...over,
})

/** Posts the e-form as a browser does: `_csrf` first, the fields, the files, the button last. */
async function postForm(who: CitizenFixture, fields: Record<string, string>, files: FilePart[], intent: 'save' | 'submit' = 'submit', code = BIRTH) {
  const csrf = await who.browser.csrf('/cong-dan/ho-so')
  const { payload, contentType } = multipartBody({ _csrf: csrf, ...fields, intent }, files)
  return t.app.inject({ method: 'POST', url: `/nop-ho-so/${code}`, payload, headers: { cookie: who.browser.cookieHeader, 'content-type': contentType } })
}

async function postMultipart(who: CitizenFixture, url: string, fields: Record<string, string>, files: FilePart[]) {
  const csrf = await who.browser.csrf('/cong-dan/ho-so')
  const { payload, contentType } = multipartBody({ _csrf: csrf, ...fields }, files)
  return t.app.inject({ method: 'POST', url, payload, headers: { cookie: who.browser.cookieHeader, 'content-type': contentType } })
}

const certificate = (bytes = pdf): FilePart => ({ field: `doc.${CERT}`, name: 'Giấy chứng sinh.pdf', type: 'application/pdf', bytes })
const idPaper = (): FilePart => ({ field: `doc.${ID_PAPER}`, name: 'CCCD.pdf', type: 'application/pdf', bytes: pdf })

async function counts() {
  const n = async (table: 'dossiers' | 'documents' | 'onlineDrafts' | 'onlineSubmissions' | 'walletItems' | 'documentBlobs') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { dossiers: await n('dossiers'), documents: await n('documents'), drafts: await n('onlineDrafts'), submissions: await n('onlineSubmissions'), wallet: await n('walletItems'), blobs: await n('documentBlobs') }
}

async function submitValid(who: CitizenFixture, over: Record<string, string> = {}): Promise<string> {
  const res = await postForm(who, validForm(over), [certificate(), idPaper()])
  expect(res.statusCode, res.body.slice(0, 3000)).toBe(303)
  const id = /\/cong-dan\/ho-so\/([0-9a-f-]{36})/.exec(res.headers.location as string)?.[1]
  expect(id).toBeDefined()
  return id!
}

async function staffAct(who: StaffFixture, id: string, body: Record<string, unknown>) {
  const cur = (await who.browser.api('GET', `/api/v1/dossiers/${id}`)).json()
  const r = await who.browser.api('POST', `/api/v1/dossiers/${id}/actions`, { expectedVersion: cur.version, ...body })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}

async function walletItems(who: CitizenFixture) {
  const r = await who.browser.api('GET', '/api/v1/citizen/wallet')
  expect(r.statusCode, r.body).toBe(200)
  return r.json().items as { id: string; title: string; source: string; legalCopy: boolean; sha256: string; reuses: { dossierId: string; trangThaiSoHoa: number; duocTaiSuDung: number }[] }[]
}

describe('the e-form', () => {
  it('is prefilled from the identity claims, with the procedure fields defined as data and the required documents', async () => {
    const r = await a.browser.get(`/nop-ho-so/${BIRTH}`)
    expect(r.statusCode).toBe(200)
    expect(r.body).toContain('value="Nguyễn Thị Mai"')
    expect(r.body).toContain(`value="${MAI}"`)
    expect(r.body).toContain('value="1990-03-14"')
    expect(r.body).toContain('value="0918204512"') // +84 shown the Vietnamese way
    expect(r.body).toContain('Khóm 3, Phường An Xuyên')
    expect(r.body).toContain('name="extra.childName"')
    expect(r.body).toContain('<label for="f-extra-childBirthPlace">Nơi sinh *</label>')
    expect(r.body).toContain('Giấy chứng sinh')
    expect(r.body).toContain('enctype="multipart/form-data"')
    // The seeded wallet offers its documents for reuse, the legal copy marked as such.
    expect(r.body).toContain('Giấy chứng nhận kết hôn (bản sao điện tử) — bản sao điện tử có giá trị pháp lý')
    // A procedure not offered online has no form.
    expect((await a.browser.get('/nop-ho-so/1.000001')).statusCode).toBeGreaterThanOrEqual(404)
  })

  it('shows all five problems of a form with five errors, each next to its field, and writes nothing', async () => {
    const before = await counts()
    const res = await postForm(
      a,
      validForm({ 'extra.childName': '', 'extra.childBirthDate': '2030-01-01', 'applicant.phone': '12345', 'extra.motherIdNumber': '123' }),
      [idPaper()], // but no birth certificate
    )
    expect(res.statusCode).toBe(400)
    const body = res.body
    expect(body).toContain('có 5 lỗi cần sửa')
    for (const field of ['extra-childName', 'extra-childBirthDate', 'applicant-phone', 'extra-motherIdNumber', `doc-${CERT}`]) {
      expect(body, field).toContain(`id="f-${field}-error"`)
      expect(body, field).toMatch(new RegExp(`aria-describedby="[^"]*f-${field}-error`))
      expect(body, field).toContain(`href="#f-${field}"`) // the summary links to it
    }
    expect(body).toContain('Cần nhập họ, chữ đệm, tên của trẻ.')
    expect(body).toContain('Cần tải lên hoặc chọn từ kho giấy tờ: Giấy chứng sinh')
    // What was typed stays in the form.
    expect(body).toContain('value="Bệnh viện Sản Nhi Cà Mau"')
    expect(await counts()).toEqual(before)
  })

  it('refuses an .exe renamed .pdf and a file over the size limit, with clear Vietnamese messages, writing nothing', async () => {
    const before = await counts()
    const exe = await postForm(a, validForm(), [{ field: `doc.${CERT}`, name: 'giay-chung-sinh.pdf', type: 'application/pdf', bytes: makeExe() }, idPaper()])
    expect(exe.statusCode).toBe(400)
    expect(exe.body).toContain('Tệp “giay-chung-sinh.pdf” không phải PDF, JPEG hoặc PNG (kiểu tệp được xác định theo nội dung, không theo tên tệp).')
    expect(exe.body).toContain(`id="f-doc-${CERT}-error"`)
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(60 * 1024, 0x20)])
    const large = await postForm(a, validForm(), [certificate(big), idPaper()])
    expect(large.statusCode).toBe(400)
    expect(large.body).toContain('vượt quá dung lượng cho phép (tối đa 0,05 MB mỗi tệp)')
    // The API answers the same with coded errors.
    const { payload, contentType } = multipartBody({ procedureCode: BIRTH, ...validForm() }, [{ field: `doc.${CERT}`, name: 'x.pdf', bytes: makeExe() }])
    const token = (await a.browser.get('/api/v1/csrf-token')).json().token as string
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/dossiers', payload, headers: { cookie: a.browser.cookieHeader, 'content-type': contentType, 'x-csrf-token': token } })
    expect(api.statusCode).toBe(400)
    expect(api.json().error.code).toBe('ONLINE.INVALID_FORM')
    expect(api.json().error.details.fields[`doc.${CERT}`][0]).toContain('không phải PDF')
    expect(await counts()).toEqual(before)
  })

  it('saves a draft with its file, lists it in "my dossiers", resumes it and submits it', async () => {
    const saved = await postForm(a, validForm({ 'extra.childName': '' }), [certificate(), idPaper()], 'save')
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(303)
    const draftId = /nhap=([0-9a-f-]{36})/.exec(saved.headers.location as string)![1]!
    const list = await a.browser.get('/cong-dan/ho-so')
    expect(list.body).toContain(`/nop-ho-so/${BIRTH}?nhap=${draftId}`)
    const resumed = await a.browser.get(`/nop-ho-so/${BIRTH}?nhap=${draftId}`)
    expect(resumed.body).toContain('Đã có trong bản nháp')
    expect(resumed.body).toContain('Giấy chứng sinh.pdf')
    expect(resumed.body).toContain('value="Bệnh viện Sản Nhi Cà Mau"')
    expect(resumed.body).toContain(`name="draftId" value="${draftId}"`)
    // Submitting the draft without the child's name still lists that one problem.
    const missing = await postForm(a, { ...validForm({ 'extra.childName': '' }), draftId }, [])
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('có 1 lỗi cần sửa')
    const done = await postForm(a, { ...validForm(), draftId }, [])
    expect(done.statusCode, done.body.slice(0, 2000)).toBe(303)
    const id = /ho-so\/([0-9a-f-]{36})/.exec(done.headers.location as string)![1]!
    const files = await t.db.selectFrom('dossierFiles').innerJoin('documents', 'documents.id', 'dossierFiles.documentId').select(['documents.originalName', 'documents.kind', 'documents.ownerSubject']).where('dossierId', '=', id).execute()
    expect(files).toEqual([
      { originalName: 'Giấy chứng sinh.pdf', kind: 'citizen_upload', ownerSubject: MAI },
      { originalName: 'CCCD.pdf', kind: 'citizen_upload', ownerSubject: MAI },
    ])
    // A used draft is gone from the list and cannot be submitted twice.
    expect((await a.browser.get('/cong-dan/ho-so')).body).not.toContain(`nhap=${draftId}`)
    expect((await postForm(a, { ...validForm(), draftId }, [])).statusCode).toBe(404)
  })

  it('submits a draft once when it is submitted twice at the same time', async () => {
    const saved = await postForm(a, validForm(), [certificate(), idPaper()], 'save')
    const draftId = /nhap=([0-9a-f-]{36})/.exec(saved.headers.location as string)![1]!
    const before = await counts()
    const [r1, r2] = await Promise.all([postForm(a, { ...validForm(), draftId }, []), postForm(a, { ...validForm(), draftId }, [])])
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([303, 404])
    const after = await counts()
    expect(after.dossiers).toBe(before.dossiers + 1)
    expect(after.submissions).toBe(before.submissions + 1)
  })

  it('creates the dossier through the lifecycle, visible in the back office inbox, the applicant as actor', async () => {
    const id = await submitValid(a)
    const page = await a.browser.get(`/cong-dan/ho-so/${id}?da-nop=1`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Đã nộp hồ sơ.')
    expect(page.body).toContain('Mới đăng ký, chờ tiếp nhận')
    const inbox = await counter.browser.api('GET', '/api/v1/dossiers?box=intake')
    expect(inbox.json().items.map((i: { id: string }) => i.id)).toContain(id)
    const d = await t.db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(d).toMatchObject({ status: 'submitted', channel: 'online', procedureCode: BIRTH, createdBy: a.id, returnMethod: 'online', limitAmount: 3 })
    const events = await t.db.selectFrom('dossierEvents').select(['action', 'actorId', 'actorRole']).where('dossierId', '=', id).orderBy('seq').execute()
    expect(events).toEqual([
      { action: 'submit', actorId: a.id, actorRole: 'applicant' },
      { action: 'attach_file', actorId: a.id, actorRole: 'applicant' },
    ])
    const sub = await t.db.selectFrom('onlineSubmissions').selectAll().where('dossierId', '=', id).executeTakeFirstOrThrow()
    expect(sub).toMatchObject({ applicantCitizenId: a.id, actorKind: 'citizen', actorId: a.id })
    expect(sub.extra).toMatchObject({ childName: 'Đỗ Minh An', relationship: 'me' })
    expect((await verifyAllChains(t.db)).firstBreak).toBeUndefined()
  })

  it('reuses wallet documents instead of uploads and records each reuse with its DOMAIN B §7.3 status', async () => {
    const wallet = await walletItems(a)
    const result = wallet.find((w) => w.source === 'result')!
    const digitised = wallet.find((w) => w.source === 'digitised')!
    expect(result.legalCopy).toBe(true)
    // The certificate from the wallet (a result: status 3), the identity paper from a digitised paper (status 2).
    const id = await (async () => {
      const res = await postForm(a, validForm({ [`wallet.${CERT}`]: result.id, [`wallet.${ID_PAPER}`]: digitised.id }), [])
      expect(res.statusCode, res.body.slice(0, 3000)).toBe(303)
      return /ho-so\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!
    })()
    const docs = await t.db.selectFrom('onlineDossierDocuments').selectAll().where('dossierId', '=', id).orderBy('position').execute()
    expect(docs.map((d) => [d.position, d.digitisationStatus, d.reuseKind])).toEqual(docs.map((d) => [d.position, ...(d.position === CERT ? [3, 2] : d.position === ID_PAPER ? [2, 1] : [0, 0])]))
    expect(docs.length).toBeGreaterThan(ID_PAPER)
    expect(docs[CERT]!.walletItemId).toBe(result.id)
    const after = await walletItems(a)
    expect(after.find((w) => w.id === result.id)!.reuses).toEqual([expect.objectContaining({ dossierId: id, trangThaiSoHoa: 3, duocTaiSuDung: 2 })])
    expect(after.find((w) => w.id === digitised.id)!.reuses).toEqual([expect.objectContaining({ dossierId: id, trangThaiSoHoa: 2, duocTaiSuDung: 1 })])
    // The same stored document is linked, not copied; the event for the indices carries the statuses.
    const linked = await t.db.selectFrom('dossierFiles').select('documentId').where('dossierId', '=', id).execute()
    expect(linked.length).toBe(2)
    const ev = await t.db.selectFrom('outboxEvents').select('payload').where('topic', '=', 'online.submitted').where('aggregateId', '=', id).executeTakeFirstOrThrow()
    expect(ev.payload).toMatchObject({ verifiedLevel2: true, hoSoCoThanhPhanSoHoa: 1, documents: expect.arrayContaining([{ position: 3, trangThaiSoHoa: 3, duocTaiSuDung: 2 }]) })
    // Uploads of earlier dossiers joined the wallet for next time.
    expect(after.some((w) => w.source === 'upload' && w.title.startsWith('Giấy chứng sinh'))).toBe(true)
  })
})

describe('the JSON API', () => {
  it('saves a draft, submits it with a wallet document, and reads the dossier back with its statuses', async () => {
    const wallet = await walletItems(a)
    const digitised = wallet.find((w) => w.source === 'digitised')!
    const form = (await a.browser.api('GET', `/api/v1/citizen/forms/${BIRTH}`)).json()
    expect(form.prefill['applicant.idNumber']).toBe(MAI)
    expect(form.requirements[CERT].optional).toBe(false)
    expect(form.fields.map((f: { name: string }) => f.name)).toContain('extra.childBirthPlace')
    const values = validForm()
    const draft = await a.browser.api('POST', '/api/v1/citizen/drafts', { procedureCode: BIRTH, values, wallet: { [String(ID_PAPER)]: digitised.id } })
    expect(draft.statusCode, draft.body).toBe(200)
    expect(draft.json().attachments).toEqual([expect.objectContaining({ position: ID_PAPER, walletItemId: digitised.id })])
    expect((await a.browser.api('GET', `/api/v1/citizen/drafts/${draft.json().id}`)).json().values['extra.childName']).toBe('Đỗ Minh An')
    // Missing the certificate: a coded error naming the field, nothing written.
    const bad = await a.browser.api('POST', '/api/v1/citizen/dossiers', { procedureCode: BIRTH, draftId: draft.json().id, values })
    expect(bad.statusCode).toBe(400)
    expect(Object.keys(bad.json().error.details.fields)).toEqual([`doc.${CERT}`])
    const result = wallet.find((w) => w.source === 'result')!
    const ok = await a.browser.api('POST', '/api/v1/citizen/dossiers', { procedureCode: BIRTH, draftId: draft.json().id, values, wallet: { [String(CERT)]: result.id } })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ status: 'submitted', code: null, procedureCode: BIRTH })
    const detail = (await a.browser.api('GET', `/api/v1/citizen/dossiers/${ok.json().id}`)).json()
    expect(detail.documents.find((d: { position: number }) => d.position === CERT)).toMatchObject({ trangThaiSoHoa: 3, duocTaiSuDung: 2 })
    expect(detail.documents.find((d: { position: number }) => d.position === ID_PAPER)).toMatchObject({ trangThaiSoHoa: 2, duocTaiSuDung: 1 })
    expect(detail.files).toHaveLength(2)
    const dl = await a.browser.get(detail.files[0].downloadUrl)
    expect(dl.statusCode).toBe(200)
    expect(dl.headers['x-content-sha256']).toBe(detail.files[0].sha256)
    expect((await a.browser.api('GET', '/api/v1/citizen/dossiers')).json().items.map((i: { id: string }) => i.id)).toContain(ok.json().id)
  })
})

describe('my dossiers: supplement, result, withdrawal through the lifecycle', () => {
  it('hands in a requested supplement (the clock restarts, A5) and receives the result into the wallet', async () => {
    const id = await submitValid(a)
    await staffAct(counter, id, { action: 'receive' })
    await staffAct(leader, id, { action: 'assign', assigneeId: officer.id })
    await staffAct(officer, id, { action: 'request_supplement', reason: 'Giấy chứng sinh bị mờ', missing: ['Giấy chứng sinh (bản rõ nét)'] })
    const page = await a.browser.get(`/cong-dan/ho-so/${id}`)
    expect(page.body).toContain('Cơ quan yêu cầu bổ sung hồ sơ')
    expect(page.body).toContain('Giấy chứng sinh (bản rõ nét)')
    expect(page.body).toContain('Giấy chứng sinh bị mờ')
    const version = (await t.db.selectFrom('dossiers').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version

    // A refused file changes nothing.
    const bad = await postMultipart(a, `/cong-dan/ho-so/${id}/bo-sung`, { expectedVersion: String(version) }, [{ field: 'files', name: 'scan.pdf', bytes: makeExe() }])
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('không phải PDF, JPEG hoặc PNG')
    expect((await t.db.selectFrom('dossiers').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('awaiting_supplement')

    clock.advance(30 * 60_000)
    const ok = await postMultipart(a, `/cong-dan/ho-so/${id}/bo-sung`, { expectedVersion: String(version), note: 'Bản chụp lại' }, [{ field: 'files', name: 'Giấy chứng sinh rõ.pdf', bytes: pdf }])
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(303)
    const d = await t.db.selectFrom('dossiers').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(d.status).toBe('processing')
    expect(d.pausedSince).toBeNull()
    const pauses = await t.db.selectFrom('dossierPauses').selectAll().where('dossierId', '=', id).execute()
    expect(pauses).toHaveLength(1)
    expect(pauses[0]!.toAt).toEqual(clock.now())
    const last = await t.db.selectFrom('dossierEvents').select(['action', 'actorRole', 'content']).where('dossierId', '=', id).orderBy('seq', 'desc').limit(2).execute()
    expect(last.map((e) => [e.action, e.actorRole])).toEqual([
      ['receive_supplement', 'applicant'],
      ['attach_file', 'applicant'],
    ])
    // A second hand-in is refused by the lifecycle (nothing awaited any more).
    const again = await postMultipart(a, `/cong-dan/ho-so/${id}/bo-sung`, { expectedVersion: String(d.version) }, [{ field: 'files', name: 'x.pdf', bytes: pdf }])
    expect(again.statusCode).toBe(409)

    // The result: attached as a legally valid electronic copy, approved, returned → in the wallet.
    const { payload, contentType } = multipartBody({ kind: 'result', legalCopy: 'true' }, [{ name: 'Trích lục khai sinh.pdf', bytes: await makePdf('Trich luc khai sinh') }])
    const token = (await officer.browser.get('/api/v1/csrf-token')).json().token as string
    const up = await t.app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/files`, payload, headers: { cookie: officer.browser.cookieHeader, 'content-type': contentType, 'x-csrf-token': token } })
    expect(up.statusCode, up.body).toBe(201)
    // A draft result stays hidden from the applicant until the decision.
    expect((await a.browser.get(`/cong-dan/ho-so/${id}/tep/${up.json().files[0].id}`)).statusCode).toBe(404)
    await staffAct(officer, id, { action: 'submit_for_approval' })
    await staffAct(leader, id, { action: 'approve' })
    await staffAct(counter, id, { action: 'return_result' })
    await collectReturnedResults(t.db, clock)
    const wallet = await walletItems(a)
    const got = wallet.find((w) => w.source === 'result' && w.title.startsWith('Trích lục khai sinh'))
    expect(got?.legalCopy).toBe(true)
    const mine = await a.browser.get(`/cong-dan/ho-so/${id}`)
    expect(mine.body).toContain('Kết quả giải quyết')
    expect(mine.body).toContain('bản sao điện tử có giá trị pháp lý')
    const file = await a.browser.get(`/cong-dan/ho-so/${id}/tep/${up.json().files[0].id}`)
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('application/pdf')
    expect((await a.browser.get('/cong-dan/kho-giay-to')).body).toContain('Bản sao điện tử có giá trị pháp lý')
    // Running the consumer again adds nothing.
    await collectReturnedResults(t.db, clock)
    expect((await walletItems(a)).length).toBe(wallet.length)
  })

  it('withdraws with a confirmation and a reason (lifecycle `withdraw`)', async () => {
    const id = await submitValid(a)
    const confirm = await a.browser.get(`/cong-dan/ho-so/${id}/rut`)
    expect(confirm.statusCode).toBe(200)
    const version = /name="expectedVersion" value="(\d+)"/.exec(confirm.body)![1]!
    const unconfirmed = await a.browser.postForm(`/cong-dan/ho-so/${id}/rut`, { expectedVersion: version, reason: '' }, { csrfFrom: `/cong-dan/ho-so/${id}/rut` })
    expect(unconfirmed.statusCode).toBe(400)
    expect(unconfirmed.body).toContain('Cần ghi lý do rút hồ sơ.')
    expect(unconfirmed.body).toContain('Cần đánh dấu xác nhận rút hồ sơ.')
    expect((await t.db.selectFrom('dossiers').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('submitted')
    const done = await a.browser.postForm(`/cong-dan/ho-so/${id}/rut`, { expectedVersion: version, reason: 'Nộp nhầm thủ tục', confirm: '1' }, { csrfFrom: `/cong-dan/ho-so/${id}/rut` })
    expect(done.statusCode).toBe(303)
    const e = await t.db.selectFrom('dossierEvents').select(['action', 'actorRole', 'reason']).where('dossierId', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(e).toEqual({ action: 'withdraw', actorRole: 'applicant', reason: 'Nộp nhầm thủ tục' })
    // Stale version or a second withdrawal: 409, nothing more written.
    const again = await a.browser.api('POST', `/api/v1/citizen/dossiers/${id}/withdraw`, { expectedVersion: Number(version), reason: 'lại' })
    expect(again.statusCode).toBe(409)
  })
})

describe('applicant and actor', () => {
  it('refuses a submission for the citizen by someone without their recorded consent, writing nothing (issue 6 §5)', async () => {
    const deps = { db: t.db, clock, provinceCode: '96', documents: createDocumentsDeps({ maxFileBytes: 50 * 1024, maxFilesPerDossier: 8, maxRequestBytes: 1024 * 1024 }, clock) }
    const incoming = (p: FilePart) => ({ field: p.field!, name: p.name, bytes: p.bytes, size: p.bytes.length, tooLarge: false, overRequestLimit: false })
    const before = await counts()
    await expect(
      submitForm(deps, a.id, { kind: 'team_member', accountId: 'team-member-1', name: 'Tổ công nghệ số cộng đồng Khóm 3', consentRef: 'consent-test-1' }, {
        procedureCode: BIRTH,
        values: validForm(),
        files: [incoming(certificate()), incoming(idPaper())],
      }),
    ).rejects.toMatchObject({ code: 'OUTREACH.NOT_A_MEMBER' })
    expect(await counts()).toEqual(before)
    // The database refuses a citizen actor other than the applicant.
    await expect(
      t.db.insertInto('onlineSubmissions').values({ dossierId: crypto.randomUUID(), applicantIdentityNumber: MAI, applicantCitizenId: a.id, actorKind: 'citizen', actorId: b.id, actorName: 'B', consentRef: null, draftId: null, submittedAt: clock.now() }).execute(),
    ).rejects.toThrow()
  })
})

describe('authorization: citizen B reaches nothing of citizen A', () => {
  it('answers 404 on every route for ids, codes, file ids and wallet items of someone else, and leaks nothing', async () => {
    const id = await submitValid(a)
    await staffAct(counter, id, { action: 'receive' })
    const d = await t.db.selectFrom('dossiers').select(['code', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    const file = await t.db.selectFrom('dossierFiles').innerJoin('documents', 'documents.id', 'dossierFiles.documentId').select(['documents.id', 'documents.sha256']).where('dossierId', '=', id).executeTakeFirstOrThrow()
    const aWallet = await walletItems(a)
    const draft = await postForm(a, validForm(), [], 'save')
    const draftId = /nhap=([0-9a-f-]{36})/.exec(draft.headers.location as string)![1]!
    const bOwn = await submitValid(b, { 'applicant.fullName': 'Trần Thị Bê', 'applicant.idNumber': b.identityNumber })
    const before = await counts()
    const events = Number((await t.db.selectFrom('dossierEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

    const gets = [
      `/cong-dan/ho-so/${id}`,
      `/cong-dan/ho-so/${d.code}`,
      `/cong-dan/ho-so/${id}/rut`,
      `/cong-dan/ho-so/${id}/tep/${file.id}`,
      `/cong-dan/ho-so/${bOwn}/tep/${file.id}`, // A's file under B's own dossier
      `/cong-dan/ho-so/${file.sha256}`,
      `/cong-dan/kho-giay-to/${aWallet[0]!.id}`,
      `/nop-ho-so/${BIRTH}?nhap=${draftId}`,
      `/api/v1/citizen/dossiers/${id}`,
      `/api/v1/citizen/dossiers/${d.code}`,
      `/api/v1/citizen/dossiers/${id}/files/${file.id}`,
      `/api/v1/citizen/dossiers/${bOwn}/files/${file.id}`,
      `/api/v1/citizen/drafts/${draftId}`,
      `/api/v1/citizen/wallet/${aWallet[0]!.id}/content`,
      `/api/v1/citizen/wallet/${file.id}/content`,
    ]
    for (const url of gets) {
      const r = await b.browser.get(url)
      expect(r.statusCode, url).toBe(404)
      expect(r.body, url).not.toContain('Nguyễn Thị Mai')
      expect(r.body, url).not.toContain(MAI)
    }
    const posts: [string, Record<string, string>][] = [
      [`/cong-dan/ho-so/${id}/rut`, { expectedVersion: String(d.version), reason: 'x', confirm: '1' }],
      [`/cong-dan/ho-so/${d.code}/rut`, { expectedVersion: String(d.version), reason: 'x', confirm: '1' }],
      [`/cong-dan/ho-so/${id}/thanh-toan`, { obligationId: crypto.randomUUID() }],
    ]
    for (const [url, form] of posts) expect((await b.browser.postForm(url, form, { csrfFrom: '/cong-dan/ho-so' })).statusCode, url).toBe(404)
    expect((await postMultipart(b, `/cong-dan/ho-so/${id}/bo-sung`, { expectedVersion: String(d.version) }, [{ field: 'files', name: 'x.pdf', bytes: pdf }])).statusCode).toBe(404)
    expect((await b.browser.api('POST', `/api/v1/citizen/dossiers/${id}/withdraw`, { expectedVersion: d.version, reason: 'x' })).statusCode).toBe(404)
    // A's draft and A's wallet items cannot be used in B's form: not found, nothing written.
    expect((await postForm(b, { ...validForm(), draftId }, [], 'save')).statusCode).toBe(404)
    // Nor file a dossier under A's identity number.
    const impostor = await postForm(b, validForm({ 'applicant.idNumber': MAI }), [certificate(), idPaper()])
    expect(impostor.statusCode).toBe(400)
    expect(impostor.body).toContain('Số định danh cá nhân phải là của người có hồ sơ')
    const aResult = aWallet.find((w) => w.source === 'result')!
    const steal = await postForm(b, validForm({ 'applicant.idNumber': b.identityNumber, [`wallet.${CERT}`]: aResult.id }), [])
    expect(steal.statusCode).toBe(400)
    expect(steal.body).toContain('Không tìm thấy giấy tờ này trong kho giấy tờ của bạn.')
    expect(steal.body).not.toContain(aResult.title)
    // B's lists show only B's own.
    const list = (await b.browser.api('GET', '/api/v1/citizen/dossiers')).json().items.map((i: { id: string }) => i.id)
    expect(list).toEqual([bOwn])
    expect((await b.browser.api('GET', '/api/v1/citizen/drafts')).json().items).toEqual([])
    expect((await walletItems(b)).every((w) => !aWallet.some((x) => x.id === w.id))).toBe(true)

    expect(await counts()).toEqual(before)
    expect(Number((await t.db.selectFrom('dossierEvents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(events)
  })

  it('refuses anonymous visitors and officers', async () => {
    const anon = new Browser(t.app)
    const page = await anon.get('/cong-dan/ho-so')
    expect(page.statusCode).toBe(303)
    expect(page.headers.location).toContain('/dang-nhap/cong-dan')
    expect((await anon.get('/api/v1/citizen/dossiers')).statusCode).toBe(401)
    expect((await counter.browser.get('/api/v1/citizen/wallet')).statusCode).toBe(403)
  })
})

describe('assisted submission: a community digital team member submits for a citizen only with their consent (issue 6 §5)', () => {
  let member: CitizenFixture
  let consentId: string

  beforeAll(async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    member = await citizenFixture(t, { fullName: 'Trần Văn Hùng' })
    const team = await admin.browser.api('POST', '/api/v1/outreach/teams', { communeCode: '32002', name: 'Tổ công nghệ số phường An Xuyên (thử)' })
    expect(team.statusCode, team.body).toBe(201)
    expect((await admin.browser.api('POST', `/api/v1/outreach/teams/${team.json().id}/members`, { identityNumber: member.identityNumber, fullName: member.fullName })).statusCode).toBe(201)
  })

  const assistedPost = (who: CitizenFixture, consent: string) => postForm(who, { consentId: consent, ...validForm() }, [certificate(), idPaper()])

  it('refuses without a consent, with a made-up one, or to someone who is not a member — nothing written', async () => {
    const before = await counts()
    expect((await assistedPost(member, crypto.randomUUID())).statusCode).toBe(403)
    expect((await member.browser.get(`/nop-ho-so/${BIRTH}?uy-quyen=${crypto.randomUUID()}`)).statusCode).toBe(403)
    // A citizen who is not a member cannot act for anyone, whatever id they send.
    expect((await assistedPost(b, crypto.randomUUID())).statusCode).toBe(403)
    expect(await counts()).toEqual(before)
  })

  it('with the consent the citizen gave in their own session: the form is the citizen’s, the dossier records who acted for whom, the consent its use', async () => {
    const req = await member.browser.api('POST', '/api/v1/outreach/consent-requests', { identityNumber: MAI, purpose: 'Nộp hồ sơ đăng ký khai sinh', scope: 'one_dossier', validDays: 7, method: 'in_session' })
    expect(req.statusCode, req.body).toBe(201)
    const approved = await a.browser.postForm(`/cong-dan/uy-quyen/yeu-cau/${req.json().id}`, { decision: 'approve' }, { csrfFrom: '/cong-dan/uy-quyen' })
    expect(approved.statusCode).toBe(303)
    consentId = (await t.db.selectFrom('outreachConsents').select('id').where('memberCitizenId', '=', member.id).executeTakeFirstOrThrow()).id

    // Another member's consent is not usable by a non-member, even with the right id.
    expect((await assistedPost(b, consentId)).statusCode).toBe(403)

    const form = await member.browser.get(`/nop-ho-so/${BIRTH}?uy-quyen=${consentId}`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Bạn đang nộp hồ sơ thay cho công dân')
    expect(form.body).toContain('Nguyễn Thị Mai')
    expect(form.body).not.toContain('value="save"') // no drafts in assisted mode

    const r = await assistedPost(member, consentId)
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303)
    expect(r.headers.location).toBe('/ho-tro/nop-thay')
    const sub = await t.db.selectFrom('onlineSubmissions').selectAll().where('consentRef', '=', consentId).executeTakeFirstOrThrow()
    expect([sub.actorKind, sub.actorId, sub.applicantCitizenId]).toEqual(['team_member', member.id, a.id])
    const uses = await t.db.selectFrom('outreachConsentUses').select('dossierId').where('consentId', '=', consentId).execute()
    expect(uses.map((u) => u.dossierId)).toEqual([sub.dossierId])
    const first = await t.db.selectFrom('dossierEvents').select(['actorId', 'actorName']).where('dossierId', '=', sub.dossierId).orderBy('seq').executeTakeFirstOrThrow()
    expect(first).toEqual({ actorId: member.id, actorName: 'Trần Văn Hùng' })
    // The citizen sees it among their dossiers, with who submitted it for them.
    expect((await a.browser.get('/cong-dan/ho-so')).body).toContain('nộp thay bởi Trần Văn Hùng')
    const mine = await a.browser.get(`/cong-dan/ho-so/${sub.dossierId}`)
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('nộp thay bởi Trần Văn Hùng')
  })

  it('shows the office\'s messages on the citizen\'s dossier page once it is received (issue 7 §3, in-app channel)', async () => {
    const sub = await t.db.selectFrom('onlineSubmissions').select('dossierId').where('consentRef', '=', consentId).executeTakeFirstOrThrow()
    await staffAct(counter, sub.dossierId, { action: 'receive' })
    await horizonPassed(t.db)
    await collectJobs({ config: t.config, db: t.db, clock }).find((j) => j.name === 'outbox.dispatch')!.run()
    const page = await a.browser.get(`/cong-dan/ho-so/${sub.dossierId}`)
    expect(page.body).toContain('Thông báo của cơ quan')
    expect(page.body).toMatch(/Đã tiếp nhận hồ sơ [0-9A-Z.]+-\d{6}-\d{4}/)
  })

  it('puts the submission in the citizen\'s and the member\'s data exports, and nothing of it in another citizen\'s (issue 6 §6)', async () => {
    const sub = await t.db.selectFrom('onlineSubmissions').select('dossierId').where('consentRef', '=', consentId).executeTakeFirstOrThrow()
    const exportOf = async (who: CitizenFixture) => {
      const r = await who.browser.get('/api/v1/citizen/me/export')
      expect(r.statusCode).toBe(200)
      return r.json<{ online: { submissions: { dossierId: string }[]; wallet: unknown[] }; notifications: { messages: { dossierCode: string | null }[] } }>()
    }
    const mine = await exportOf(a)
    expect(mine.online.submissions.map((x) => x.dossierId)).toContain(sub.dossierId)
    expect(mine.online.wallet.length).toBeGreaterThan(0)
    expect(mine.notifications.messages.length).toBeGreaterThan(0)
    expect((await exportOf(member)).online.submissions.map((x) => x.dossierId)).toEqual([sub.dossierId])
    const other = await exportOf(b)
    expect(other.online.submissions.map((x) => x.dossierId)).not.toContain(sub.dossierId)
    expect(JSON.stringify(other)).not.toContain(MAI)
  })

  it('a one-dossier consent serves one dossier: a second submission is refused and writes nothing', async () => {
    const before = await counts()
    expect((await assistedPost(member, consentId)).statusCode).toBe(403)
    expect(await counts()).toEqual(before)
  })
})
