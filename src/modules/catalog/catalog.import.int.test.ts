import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, type TestApp } from '../../../test/support/test-app.js'
import { importNational, runCatalogCommand } from './index.js'

// Imports rewrite the catalogue, so they run on a database of their own (this file's).
let t: TestApp
let b: Browser
const clock = new ManualClock('2026-11-26T02:00:00Z')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-catalog-'))
const SAMPLE = path.resolve('data/catalog/national-sample.json.gz')
const sample = () => JSON.parse(zlib.gunzipSync(fs.readFileSync(SAMPLE)).toString('utf8')) as Record<string, string>[]

beforeAll(async () => {
  t = await createTestApp({ clock })
  b = new Browser(t.app)
})
afterAll(async () => {
  await t?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function cli(args: string[]) {
  const out: string[] = []
  const progress: string[] = []
  return runCatalogCommand(args, { db: t.db, clock, out: (l) => out.push(l), progress: { write: (s) => progress.push(s), tty: false } }).then((code) => ({ code, out: out.join('\n'), progress }))
}

describe('national import', () => {
  it('reports totals per field on the sample; re-importing the seeded records changes nothing', async () => {
    const r = await importNational({ db: t.db, clock }, sample())
    expect(r.totals).toMatchObject({ records: 102, imported: 102, rejected: 0, created: 0, changed: 0, unchanged: 102, recordsWithIssues: 59 })
    for (const f of ['code', 'name', 'field', 'levels', 'decisionNo', 'subjects', 'steps'] as const) expect(r.totals.fields[f]).toEqual({ parsed: 102, partial: 0, unparsed: 0, empty: 0 })
    expect(r.totals.fields.time).toEqual({ parsed: 63, partial: 0, unparsed: 39, empty: 0 })
    expect(r.totals.fields.fee).toEqual({ parsed: 82, partial: 5, unparsed: 15, empty: 0 })
    expect(r.totals.fields.documents).toEqual({ parsed: 97, partial: 2, unparsed: 1, empty: 2 })
    const khaiSinh = r.records.find((x) => x.code === '1.001193')
    expect(khaiSinh?.status.time).toBe('unparsed')
    expect(khaiSinh?.issues).toContainEqual({ field: 'time', message: 'online: number without a unit', original: '1' })
  })

  it('publishes a new version only for a record whose content changed, keeping the province decisions', async () => {
    const records = sample()
    const rec = records.find((x) => x.ma_thu_tuc === '1.001193')
    if (!rec) throw new Error('sample lacks 1.001193')
    rec.ten_thu_tuc = 'Thủ tục đăng ký khai sinh (sửa đổi)'
    clock.set('2026-11-26T05:00:00Z')
    const r = await importNational({ db: t.db, clock }, records)
    expect(r.totals).toMatchObject({ created: 0, changed: 1, unchanged: 101 })
    const p = (await b.get('/api/v1/procedures/1.001193')).json()
    expect(p).toMatchObject({ version: 2, name: 'Thủ tục đăng ký khai sinh (sửa đổi)', inProvince: true, onlineLevel: 'full', source: 'national-import' })
    expect(p.agencies.map((a: { ref: string }) => a.ref)).toEqual(['@ubnd-xa', '@ttpvhcc-xa'])
    expect((await b.get('/api/v1/procedures/1.001193?version=1')).json().name).toBe('Thủ tục đăng ký khai sinh')
  })

  it('rejects records it cannot store, and says why, without stopping', async () => {
    const good = sample().slice(0, 2)
    const r = await importNational({ db: t.db, clock }, [{ ma_thu_tuc: 'không-mã' }, { ten_thu_tuc: 'no code' }, ...good, good[0], 'not an object'])
    expect(r.totals).toMatchObject({ records: 6, imported: 2, rejected: 4 })
    expect(r.rejected.map((x) => x.index)).toEqual([0, 1, 4, 5])
    expect(r.rejected[2]?.error).toMatch(/duplicate/)
  })

  it('runs from the command line with progress lines and writes the JSON and text reports', async () => {
    const file = path.join(tmp, 'n.json.gz')
    fs.writeFileSync(file, zlib.gzipSync(JSON.stringify(sample().slice(0, 30))))
    const r = await cli(['import-national', file, '--report', tmp])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/records 30, imported 30, rejected 0/)
    expect(r.out).toMatch(/time\s+\d+/)
    expect(r.progress.join('')).toMatch(/parse 30\/30 \(100%\)/)
    const json = fs.readdirSync(tmp).find((f) => /^catalog-national-.*\.json$/.test(f))
    expect(json).toBeDefined()
    const report = JSON.parse(fs.readFileSync(path.join(tmp, json as string), 'utf8'))
    expect(report.totals.records).toBe(30)
    expect(fs.existsSync(path.join(tmp, (json as string).replace(/\.json$/, '.txt')))).toBe(true)
  })

  it('exits non-zero with a message for a missing or broken file', async () => {
    expect((await cli(['import-national', path.join(tmp, 'nope.json.gz')])).code).toBe(1)
    const bad = path.join(tmp, 'bad.json')
    fs.writeFileSync(bad, '{"not": "an array"}')
    const r = await cli(['import-national', bad])
    expect(r).toMatchObject({ code: 1 })
    expect(r.out).toContain('CATALOG.IMPORT_NOT_ARRAY')
    expect((await cli(['import-national'])).code).toBe(2)
    expect((await cli(['frobnicate'])).code).toBe(2)
  })
})

describe('province list import', () => {
  it('applies the list: agencies, online level, local time and fee; unlisted procedures stop applying', async () => {
    const csv = [
      'code,name,field,level,agency_id,receiving_agency_id,online_level,partial_reason,local_time,local_fee,due_publish_by',
      '1.001193,,,,@ubnd-xa,@ttpvhcc-xa,toàn trình,,3 Ngày làm việc,Miễn phí,2026-12-31',
      '1.004222,,,,@cong-an-xa,@cong-an-xa,một phần,Kiểm tra chỗ ở,,"20,000 VNĐ",',
      '1.013236,,,,ban-quan-ly-khu-kinh-te,ttpvhcc-tinh,toàn trình,,,,',
      '1.000656,,,,@ubnd-xa,@ttpvhcc-xa,một phần,,,,',
      '1.014464.H12,Thủ tục mẫu riêng của tỉnh,Hộ tịch,Cấp xã,@ubnd-xa,@ttpvhcc-xa,full,,,,',
      '9.999999,,,,,,,,,,',
      'bad-code,,,,,,,,,,',
      '1.004222,,,,,,,,,,',
    ].join('\n')
    const file = path.join(tmp, 'tinh.csv')
    fs.writeFileSync(file, csv)
    clock.set('2026-11-26T06:00:00Z')
    const r = await cli(['import-province', file, '--report', tmp])
    expect(r.code).toBe(0)
    const report = JSON.parse(fs.readFileSync(r.out.split('report: ')[1]?.trim() as string, 'utf8'))
    expect(report.totals).toMatchObject({ rows: 8, applied: 5, rejected: 3, createdFromList: 1, delisted: 74, withLocalTime: 1, withLocalFee: 2 })
    // The org module knows the departments; a body it does not know yet is reported, not refused.
    expect(report.agenciesNotInOrg).toContainEqual({ ref: 'ban-quan-ly-khu-kinh-te', procedures: 1 })
    expect(report.agenciesNotInOrg).not.toContainEqual(expect.objectContaining({ ref: 'ttpvhcc-tinh' }))
    const messages = report.issues.map((i: { code: string; message: string }) => `${i.code}: ${i.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^9\.999999: not in the national catalogue/),
        expect.stringMatching(/^bad-code: not a procedure code/),
        expect.stringMatching(/^1\.004222: listed twice/),
        expect.stringMatching(/^1\.000656: partly online without a published reason/),
      ]),
    )

    const all = (await b.get('/api/v1/procedures?pageSize=100')).json()
    expect(all.items.map((i: { code: string }) => i.code).sort()).toEqual(['1.000656', '1.001193', '1.004222', '1.013236', '1.014464.H12'])
    const ks = (await b.get('/api/v1/procedures/1.001193')).json()
    expect(ks.content.local).toEqual({ time: { kind: 'working_days', value: 3, original: '3 Ngày làm việc' }, fee: { kind: 'free', original: 'Miễn phí', note: null }, note: null })
    expect(ks.duePublishBy).toBe('2026-12-31T00:00:00.000Z')
    const tt = (await b.get('/api/v1/procedures/1.004222')).json()
    expect(tt).toMatchObject({ onlineLevel: 'partial', partialReason: 'Kiểm tra chỗ ở' })
    expect(tt.content.local.fee).toMatchObject({ kind: 'amount', amountVnd: 20000 })
    const local = (await b.get('/api/v1/procedures/1.014464.H12')).json()
    expect(local).toMatchObject({ name: 'Thủ tục mẫu riêng của tỉnh', levels: ['commune'], onlineLevel: 'full', version: 1 })
    // Delisted procedures stay readable, with their history.
    const gone = (await b.get('/api/v1/procedures/1.000894')).json()
    expect(gone).toMatchObject({ inProvince: false, version: 2 })
    const page = await b.get('/thu-tuc/1.000894')
    expect(page.body).toContain('không áp dụng tại tỉnh Cà Mau')
  })

  it('re-applies the demo list with --demo-rules: 78 procedures apply again', async () => {
    const r = await cli(['import-province', path.resolve('data/catalog/procedures.csv'), '--demo-rules', '--report', tmp])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/rows 78: apply 78/)
    expect((await b.get('/api/v1/procedures?pageSize=1')).json().total).toBe(78)
    expect((await b.get('/api/v1/procedures/1.000894')).json()).toMatchObject({ inProvince: true, onlineLevel: 'partial', version: 3 })
  })

  it('refuses a CSV without a code column, and a spreadsheet', async () => {
    const file = path.join(tmp, 'x.csv')
    fs.writeFileSync(file, 'ma,ten\n1.001193,x\n')
    const r = await cli(['import-province', file])
    expect(r).toMatchObject({ code: 1 })
    expect(r.out).toContain('CATALOG.IMPORT_NO_CODE_COLUMN')
    expect((await cli(['import-province', path.join(tmp, 'list.xlsx')])).code).toBe(2)
  })
})
