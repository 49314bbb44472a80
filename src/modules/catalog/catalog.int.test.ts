import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'

let t: TestApp
let b: Browser
const clock = new ManualClock('2026-11-26T02:00:00Z')

beforeAll(async () => {
  t = await createTestApp({ clock })
  b = new Browser(t.app)
})
afterAll(async () => t?.close())

interface Found {
  items: { code: string; name: string; field: string; levels: string[]; subjects: string[]; onlineLevel: string | null }[]
  total: number
  facets: Record<'field' | 'level' | 'agency' | 'subject' | 'online', { value: string; label: string; count: number }[]>
}
const search = async (qs: string) => {
  const res = await b.get(`/api/v1/procedures?${qs}`)
  expect(res.statusCode).toBe(200)
  return res.json<Found>()
}
const q = (text: string, extra = '') => search(`q=${encodeURIComponent(text)}${extra}`)

describe('search quality (the demo province list)', () => {
  it('"khai sinh" puts "Thủ tục đăng ký khai sinh" first', async () => {
    const r = await q('khai sinh')
    expect(r.items[0]).toMatchObject({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh' })
    expect(r.total).toBeGreaterThan(5)
  })

  it('"cap giay phep xay dung" (no accents) puts a construction-permit procedure first', async () => {
    const r = await q('cap giay phep xay dung')
    expect(r.items[0]?.name).toMatch(/^Cấp giấy phép xây dựng/)
    expect(r.items.slice(0, 3).every((i) => /giấy phép xây dựng/i.test(i.name))).toBe(true)
  })

  it('"đăng ký kết hôn" puts "Thủ tục đăng ký kết hôn" first', async () => {
    const r = await q('đăng ký kết hôn')
    expect(r.items[0]).toMatchObject({ code: '1.000894', name: 'Thủ tục đăng ký kết hôn' })
  })

  it('"giay phep xay dung nha o" puts a permit for houses (nhà ở riêng lẻ) first', async () => {
    const r = await q('giay phep xay dung nha o')
    expect(r.items[0]?.name).toMatch(/giấy phép xây dựng.*nhà ở/i)
  })

  it('tolerates typos and missing accents', async () => {
    expect((await q('cap giay phep xay dunh')).items[0]?.name).toMatch(/giấy phép xây dựng/i)
    expect((await q('dang ki ket hon')).items[0]?.code).toBe('1.000894')
    expect((await q('KHAI SINH')).items[0]?.code).toBe('1.001193')
    expect((await q('xin giay phep xay nha')).items[0]?.name).toMatch(/giấy phép xây dựng/i)
  })

  it('finds a procedure by the name of a document it requires', async () => {
    // "giấy chứng sinh" is a document of birth registration, not a word of its name.
    const r = await q('giấy chứng sinh')
    const codes = r.items.map((i) => i.code)
    expect(codes).toContain('1.001193')
    const byName = r.items.findIndex((i) => /khai sinh/i.test(i.name))
    expect(byName).toBeGreaterThanOrEqual(0)
  })

  it('searches the whole national sample with scope=national', async () => {
    const province = await q('giay phep xay dung')
    const national = await q('giay phep xay dung', '&scope=national')
    expect(national.total).toBeGreaterThan(province.total)
    expect(national.items.some((i) => i.code === '1.013238')).toBe(true) // not in the province list
  })

  it('answers an empty result, not an error, for nonsense', async () => {
    const r = await q('zzqxw')
    expect(r).toMatchObject({ items: [], total: 0 })
  })
})

describe('filters and counts per filter', () => {
  it('filters by field and counts the other fields as if the field filter were off', async () => {
    const r = await search(`field=${encodeURIComponent('Hộ tịch')}&pageSize=100`)
    expect(r.total).toBe(21)
    expect(r.items.every((i) => i.field === 'Hộ tịch')).toBe(true)
    expect(r.facets.field.find((f) => f.value === 'Hộ tịch')?.count).toBe(21)
    expect(r.facets.field.find((f) => f.value === 'Đất đai')?.count).toBe(10)
    // The other dimensions count inside the field filter.
    expect(r.facets.level.reduce((n, f) => n + (f.value === 'commune' ? f.count : 0), 0)).toBeLessThanOrEqual(21)
  })

  it('filters by level, subject and online level, and the online counts add up to the total', async () => {
    const all = await search('pageSize=1')
    expect(all.total).toBe(78)
    const online = all.facets.online
    expect(online.reduce((n, f) => n + f.count, 0)).toBe(78)
    const full = await search('online=full&pageSize=100')
    expect(full.total).toBe(online.find((f) => f.value === 'full')?.count)
    expect(full.items.every((i) => i.onlineLevel === 'full')).toBe(true)
    const business = await search('subject=business&level=province&pageSize=100')
    expect(business.total).toBeGreaterThan(0)
    expect(business.items.every((i) => i.subjects.includes('business') && i.levels.includes('province'))).toBe(true)
  })

  it('filters by agency: a commune id also finds the procedures of every commune', async () => {
    const justice = await search('agency=so-tu-phap')
    expect(justice.items.map((i) => i.code)).toContain('2.000635')
    const commune = await search('agency=ubnd-xa-32002&pageSize=100')
    expect(commune.items.map((i) => i.code)).toContain('1.001193')
    expect(commune.items.every((i) => i.levels.includes('commune'))).toBe(true)
    const labels = (await search('pageSize=1')).facets.agency
    // The facet shows the organisation's own name for an agency it knows.
    expect(labels.find((a) => a.value === 'so-tu-phap')?.label).toBe('Sở Tư pháp tỉnh Cà Mau')
  })

  it('combines text and filters, and pages', async () => {
    const r = await search(`q=dang+ky&field=${encodeURIComponent('Hộ tịch')}&pageSize=5&page=2`)
    expect(r.items.length).toBeLessThanOrEqual(5)
    expect(r.items.every((i) => i.field === 'Hộ tịch')).toBe(true)
    const p1 = await search(`q=dang+ky&field=${encodeURIComponent('Hộ tịch')}&pageSize=5`)
    expect(p1.total).toBe(r.total)
    expect(p1.items.map((i) => i.code)).not.toEqual(r.items.map((i) => i.code))
  })
})

describe('procedure API and bad input', () => {
  it('returns a procedure with parsed content beside its originals', async () => {
    const res = await b.get('/api/v1/procedures/1.004222')
    expect(res.statusCode).toBe(200)
    const p = res.json()
    expect(p).toMatchObject({ code: '1.004222', name: 'Đăng ký thường trú', version: 1, inProvince: true, onlineLevel: 'full' })
    expect(p.content.channels[0]).toMatchObject({ channel: 'online', time: { kind: 'working_days', value: 7 }, fee: { kind: 'amount', amountVnd: 10000 } })
    expect(p.content.original.channels).toContain('Trực tuyến7 Ngày làm việc10,000 Việt Nam Đồng')
    expect(p.agencies).toContainEqual(expect.objectContaining({ ref: '@cong-an-xa', role: 'competent' }))
  })

  it.each([
    ['/api/v1/procedures/9.999999', 404, 'CATALOG.PROCEDURE_NOT_FOUND'],
    ['/api/v1/procedures/1.001193.H12', 404, 'CATALOG.PROCEDURE_NOT_FOUND'],
    ['/api/v1/procedures/abc', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures/1.001193?at=yesterday', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures/1.001193?version=0', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures/1.001193?version=99', 404, 'CATALOG.VERSION_NOT_FOUND'],
    ['/api/v1/procedures/1.001193?at=2025-01-01T00:00:00Z', 404, 'CATALOG.NO_VERSION_IN_FORCE'],
    ['/api/v1/procedures/9.999999/versions', 404, 'CATALOG.PROCEDURE_NOT_FOUND'],
    ['/api/v1/procedures?level=district', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures?page=0', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures?pageSize=1000', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures?scope=world', 400, 'VALIDATION.FAILED'],
    ['/api/v1/procedures?agency=DROP%20TABLE', 400, 'VALIDATION.FAILED'],
    [`/api/v1/procedures?q=${'a'.repeat(201)}`, 400, 'VALIDATION.FAILED'],
  ])('%s → %i %s', async (url, status, code) => {
    const res = await b.get(url)
    expect(res.statusCode).toBe(status)
    expect(res.json().error.code).toBe(code)
  })

  it('survives hostile search text', async () => {
    for (const text of ["'; drop table catalog_procedures; --", '%_%', '\\', '(((', '\u0000x'.slice(1), 'đ'.repeat(200)]) {
      const res = await b.get(`/api/v1/procedures?q=${encodeURIComponent(text)}`)
      expect(res.statusCode).toBe(200)
    }
  })

  it('documents the catalogue in the OpenAPI document', async () => {
    const doc = (await b.get('/api/v1/openapi.json')).json()
    expect(doc.paths['/api/v1/procedures'].get.tags).toEqual(['catalog'])
    expect(doc.paths['/api/v1/procedures/{code}'].get.summary).toMatch(/version in force/)
    expect(doc.paths['/api/v1/procedures/{code}/versions'].post.tags).toEqual(['catalog'])
  })
})

describe('versions', () => {
  it('an edit publishes version 2; version 1 stays readable and is the one in force before the edit', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const before = (await b.get('/api/v1/procedures/1.004194')).json()
    expect(before.version).toBe(1)
    expect(before.publishedAt).toBe('2025-06-30T17:00:00.000Z')

    clock.set('2026-11-26T03:00:00Z')
    const noReason = await admin.browser.api('POST', '/api/v1/procedures/1.004194/versions', { expectedVersion: 1, changeNote: 'Chuyển sang một phần', onlineLevel: 'partial' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error).toMatchObject({ code: 'CATALOG.INVALID_EDIT', details: { fields: { partialReason: [expect.any(String)] } } })

    const edit = await admin.browser.api('POST', '/api/v1/procedures/1.004194/versions', {
      expectedVersion: 1,
      changeNote: 'Công bố lại theo Quyết định 123/QĐ-UBND',
      onlineLevel: 'partial',
      partialReason: 'Phải kiểm tra chỗ ở thực tế.'.normalize('NFD'),
      partialLegalBasis: 'Luật Cư trú 2020',
      localTime: { kind: 'working_days', value: 2, original: '2 ngày làm việc' },
      duePublishBy: '2026-11-30T10:00:00Z',
    })
    expect(edit.statusCode).toBe(201)
    expect(edit.json()).toMatchObject({ version: 2, latestVersion: 2, onlineLevel: 'partial', partialReason: 'Phải kiểm tra chỗ ở thực tế.', publishedAt: '2026-11-26T03:00:00.000Z' })
    expect(edit.json().content.local.time).toMatchObject({ kind: 'working_days', value: 2 })

    const v1 = (await b.get('/api/v1/procedures/1.004194?version=1')).json()
    expect(v1).toMatchObject({ version: 1, latestVersion: 2, onlineLevel: 'full' })
    expect((await b.get('/api/v1/procedures/1.004194?at=2026-11-26T02:59:59Z')).json().version).toBe(1)
    expect((await b.get('/api/v1/procedures/1.004194?at=2026-11-26T03:00:00Z')).json().version).toBe(2)
    expect((await b.get('/api/v1/procedures/1.004194')).json().version).toBe(2)

    const history = (await b.get('/api/v1/procedures/1.004194/versions')).json().items
    expect(history).toEqual([
      expect.objectContaining({ version: 2, source: 'edit', changeNote: 'Công bố lại theo Quyết định 123/QĐ-UBND', publishedOnTime: true, createdBy: admin.id }),
      expect.objectContaining({ version: 1, source: 'seed', publishedOnTime: null }),
    ])
    // The search reads the current version.
    expect((await search('online=partial&pageSize=100')).items.map((i) => i.code)).toContain('1.004194')
    // The event for the index and sync modules is in the outbox, in the same transaction.
    const ev = await t.db.selectFrom('outboxEvents').select(['topic', 'payload']).where('aggregateId', '=', '1.004194').orderBy('id').execute()
    expect(ev).toEqual([{ topic: 'catalog.procedure_version_published', payload: { code: '1.004194', version: 2, changeNote: 'Công bố lại theo Quyết định 123/QĐ-UBND' } }])

    const page = await b.get('/thu-tuc/1.004194?phien-ban=1')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('không phải phiên bản hiện hành')
  })

  it('refuses a stale edit, an edit with no change, an unknown agency, and non-administrators', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const stale = await admin.browser.api('POST', '/api/v1/procedures/1.001193/versions', { expectedVersion: 7, changeNote: 'Sửa tên' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('CONCURRENT_UPDATE')
    const same = await admin.browser.api('POST', '/api/v1/procedures/1.001193/versions', { expectedVersion: 1, changeNote: 'Không đổi gì' })
    expect(same.statusCode).toBe(400)
    expect(same.json().error.code).toBe('CATALOG.NO_CHANGE')
    const unknown = await admin.browser.api('POST', '/api/v1/procedures/1.001193/versions', {
      expectedVersion: 1,
      changeNote: 'Đổi cơ quan',
      agencies: [{ ref: 'so-khong-co', role: 'competent', label: 'Sở không có' }],
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('CATALOG.INVALID_EDIT')
    const officer = await staffFixture(t, 'processing_officer', 'so-tu-phap')
    expect((await officer.browser.api('POST', '/api/v1/procedures/1.001193/versions', { expectedVersion: 1, changeNote: 'Thử' })).statusCode).toBe(403)
    expect((await new Browser(t.app).api('POST', '/api/v1/procedures/1.001193/versions', { expectedVersion: 1, changeNote: 'Thử' })).statusCode).toBe(401)
    expect((await b.get('/api/v1/procedures/1.001193')).json().version).toBe(1)
  })
})

describe('public pages', () => {
  const gz = (s: string | Buffer) => zlib.gzipSync(s).length
  let cssGz = 0
  beforeAll(async () => {
    const css = await b.get('/assets/site.css')
    cssGz = gz(css.rawPayload)
  })

  const checkPage = (html: string) => {
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1)
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
    expect(new Set(ids).size).toBe(ids.length)
    for (const th of html.match(/<th(?=[\s>])[^>]*>/g) ?? []) expect(th).toMatch(/scope="(col|row)"/)
    for (const input of html.match(/<input(?![^>]*type="hidden")[^>]*>/g) ?? []) {
      const id = /id="([^"]+)"/.exec(input)?.[1]
      expect(id && html.includes(`for="${id}"`), input).toBeTruthy()
    }
    expect(gz(html) + cssGz).toBeLessThan(60 * 1024)
  }

  it.each([
    ['/thu-tuc', 'Thủ tục hành chính'],
    ['/thu-tuc?q=khai+sinh', 'Thủ tục đăng ký khai sinh'],
    [`/thu-tuc?field=${encodeURIComponent('Đất đai')}&online=partial`, 'Đất đai'],
    ['/thu-tuc/1.001193', 'Giấy chứng sinh'],
    ['/thu-tuc/1.013225', 'kiểm tra thực địa'],
    ['/thu-tuc/2.000815', 'Chỉ nộp trực tiếp'],
    ['/co-quan/so-tu-phap', 'Cấp bản sao Trích lục hộ tịch'],
    ['/co-quan/ubnd-xa-32002', 'Thủ tục đăng ký khai sinh'],
    ['/co-quan/%40cong-an-xa', 'Đăng ký thường trú'],
    ['/co-quan/so-xay-dung', 'Cấp giấy phép xây dựng mới công trình cấp đặc biệt'],
  ])('%s is whole, accessible in structure and light', async (url, text) => {
    const res = await b.get(url)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(text)
    checkPage(res.body)
  })

  it('marks the active filter and the current page, and keeps the other filters in its links', async () => {
    const res = await b.get(`/thu-tuc?q=dang+ky&field=${encodeURIComponent('Hộ tịch')}`)
    expect(res.body).toMatch(/<a href="\/thu-tuc\?q=dang\+ky"[^>]*>Bỏ lọc<\/a>/)
    expect(res.body).toMatch(/aria-current="true"[^>]*>Hộ tịch</)
    expect(res.body).toMatch(/aria-current="page"[^>]*>Trang 1</)
  })

  it('shows what a citizen needs on the procedure page', async () => {
    const html = (await b.get('/thu-tuc/1.000894')).body
    for (const s of ['Thành phần hồ sơ', 'Thời hạn giải quyết', 'Nơi nộp hồ sơ', 'Trung tâm Phục vụ hành chính công xã, phường', 'Căn cứ pháp lý', 'Trình tự thực hiện', 'Hai bên nam, nữ phải cùng có mặt', 'href="/nop-ho-so/1.000894"', '1 (không ghi đơn vị)']) {
      expect(html).toContain(s)
    }
    expect(html).toContain('href="/co-quan/%40ubnd-xa"')
    const en = (await b.get('/thu-tuc/1.000894', { cookie: 'lang=en' })).body
    expect(en).toContain('Documents to bring')
    expect(en).toContain('<html lang="en">')
  })

  it.each([
    ['/thu-tuc/abc', 404],
    ['/thu-tuc/9.999999', 404],
    ['/thu-tuc/1.001193?phien-ban=x', 400],
    ['/thu-tuc?level=district', 400],
    ['/co-quan/khong-co', 404],
    ['/co-quan/%3Cscript%3E', 404],
  ])('%s answers %i with a Vietnamese page', async (url, status) => {
    const res = await b.get(url)
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.body).toMatch(/Không tìm thấy|không hợp lệ/)
  })

  it('escapes the query it echoes', async () => {
    const res = await b.get(`/thu-tuc?q=${encodeURIComponent('<script>alert(1)</script>')}`)
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain('<script>alert(1)')
    expect(res.body).toContain('&lt;script>')
  })
})
