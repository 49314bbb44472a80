import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, ManualClock, type TestApp } from '../../../test/support/test-app.js'
import { findAgencyById, findUnit, listAgencies, listCurrentCommunes, seedOrganisation } from './index.js'

let t: TestApp
const clock = new ManualClock('2026-11-26T02:00:00Z')

beforeAll(async () => {
  t = await createTestApp({ clock })
})
afterAll(async () => t?.close())

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers })
const codes = (items: { code: string }[]) => items.map((i) => i.code).sort()

/** Asserts a coded JSON error. */
async function expectError(url: string, status: number, code: string) {
  const res = await get(url)
  expect(res.statusCode, url).toBe(status)
  expect(res.json().error.code, url).toBe(code)
  return res.json().error as { code: string; message: string; details?: unknown }
}

describe('GET /api/v1/org/units', () => {
  it('?parent=96 gives exactly the 64 current commune-level units of Cà Mau with codes', async () => {
    const res = await get('/api/v1/org/units?parent=96')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.at).toBe('2026-11-26')
    expect(body.total).toBe(64)
    expect(body.items).toHaveLength(64)
    expect(new Set(codes(body.items)).size).toBe(64)
    for (const u of body.items) {
      expect(u.code).toMatch(/^\d{5}$/)
      expect(['phuong', 'xa']).toContain(u.type)
      expect(u).toMatchObject({ level: 'commune', parent: { code: '96', name: 'Tỉnh Cà Mau' }, validFrom: '2025-07-01', validTo: null })
    }
    expect(body.items.filter((u: { type: string }) => u.type === 'phuong')).toHaveLength(9)
    expect(body.items.find((u: { code: string }) => u.code === '32002')).toMatchObject({ id: 'c96-32002', name: 'Phường An Xuyên', type: 'phuong' })
    // Explicit DTO: nothing internal leaks.
    expect(Object.keys(body.items[0]).sort()).toEqual(['code', 'id', 'level', 'name', 'parent', 'provinceCode', 'type', 'validFrom', 'validTo'])
  })

  it('searches accent-insensitively, by code prefix, and by type', async () => {
    const plain = (await get('/api/v1/org/units?parent=96&q=an%20xuyen')).json()
    expect(codes(plain.items)).toEqual(['32002'])
    const accented = (await get(`/api/v1/org/units?parent=96&q=${encodeURIComponent('Đất Mũi')}`)).json()
    expect(accented.items.map((u: { name: string }) => u.name)).toEqual(['Xã Đất Mũi'])
    const folded = (await get('/api/v1/org/units?parent=96&q=DAT%20MUI')).json()
    expect(codes(folded.items)).toEqual(['32248'])
    const byCode = (await get('/api/v1/org/units?parent=96&q=3182')).json()
    expect(codes(byCode.items)).toEqual(['31825'])
    const wards = (await get('/api/v1/org/units?parent=96&type=phuong')).json()
    expect(wards.total).toBe(9)
    const provinces = (await get('/api/v1/org/units?level=province')).json()
    expect(provinces.total).toBe(34)
  })

  it('treats LIKE wildcards in q as text', async () => {
    const res = (await get('/api/v1/org/units?q=%25')).json()
    expect(res.total).toBe(0)
  })

  it('pages with limit and offset, in a stable order', async () => {
    const first = (await get('/api/v1/org/units?parent=96&limit=10')).json()
    const second = (await get('/api/v1/org/units?parent=96&limit=10&offset=10')).json()
    expect(first.items).toHaveLength(10)
    expect(second.items).toHaveLength(10)
    expect(first.total).toBe(64)
    const all = codes((await get('/api/v1/org/units?parent=96')).json().items)
    expect([...first.items, ...second.items].map((u: { code: string }) => u.code)).toEqual(all.slice(0, 20))
  })

  it('?at= before the reform gives the former units: the districts of former Cà Mau, the communes of a district', async () => {
    const districts = (await get('/api/v1/org/units?parent=96&at=2025-06-30')).json()
    expect(districts.total).toBe(9)
    expect(districts.items.every((d: { level: string }) => d.level === 'district')).toBe(true)
    const city = (await get('/api/v1/org/units?parent=964&at=2025-06-30')).json()
    expect(city.total).toBe(16)
    expect(city.items.find((u: { code: string }) => u.code === '32002')).toMatchObject({ id: 'h-32002', name: 'Phường 2', validTo: '2025-06-30' })
    const former = (await get('/api/v1/org/units?level=commune&at=2025-06-30&limit=200')).json()
    expect(former.total).toBe(164)
  })

  it('answers 404 ORG.UNIT_NOT_FOUND for an unknown parent', async () => {
    await expectError('/api/v1/org/units?parent=99', 404, 'ORG.UNIT_NOT_FOUND')
    // District 964 does not exist today.
    await expectError('/api/v1/org/units?parent=964', 404, 'ORG.UNIT_NOT_FOUND')
  })

  it.each([
    ['/api/v1/org/units?limit=201', 'limit above 200'],
    ['/api/v1/org/units?limit=0', 'limit zero'],
    ['/api/v1/org/units?limit=abc', 'limit not a number'],
    ['/api/v1/org/units?offset=-1', 'negative offset'],
    [`/api/v1/org/units?q=${'a'.repeat(101)}`, 'oversized q'],
    ['/api/v1/org/units?q=a&q=b', 'repeated q'],
    ['/api/v1/org/units?at=2025-13-01', 'impossible date'],
    ['/api/v1/org/units?at=yesterday', 'not a date'],
    ['/api/v1/org/units?level=hamlet', 'unknown level'],
    ['/api/v1/org/units?parent=9a', 'malformed parent'],
  ])('answers 400 VALIDATION.FAILED for %s (%s)', async (url) => {
    await expectError(url, 400, 'VALIDATION.FAILED')
  })
})

describe('GET /api/v1/org/units/:code', () => {
  it('gives the current unit by default and names the former unit that had the same code', async () => {
    const res = await get('/api/v1/org/units/32002')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: 'c96-32002', name: 'Phường An Xuyên', validFrom: '2025-07-01', otherEras: [{ id: 'h-32002', name: 'Phường 2', validTo: '2025-06-30' }] })
  })

  it('gives the former unit with ?at=', async () => {
    const res = await get('/api/v1/org/units/32002?at=2025-01-15')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: 'h-32002', name: 'Phường 2', parent: { code: '964', name: 'Thành phố Cà Mau' }, provinceCode: '96' })
  })

  it('follows the injected clock for "today"', async () => {
    const before = new ManualClock('2025-06-01T02:00:00Z')
    const early = await createTestApp({ clock: before })
    try {
      const res = await early.app.inject({ method: 'GET', url: '/api/v1/org/units/32002' })
      expect(res.json()).toMatchObject({ id: 'h-32002', name: 'Phường 2' })
    } finally {
      await early.close()
    }
  })

  it('answers 404 ORG.UNIT_NOT_FOUND for an unknown code, and for a former-only code today with its eras', async () => {
    await expectError('/api/v1/org/units/99999', 404, 'ORG.UNIT_NOT_FOUND')
    const err = await expectError('/api/v1/org/units/32023', 404, 'ORG.UNIT_NOT_FOUND')
    expect(err.details).toMatchObject({ code: '32023', otherEras: [{ name: 'Xã An Xuyên', validTo: '2025-06-30' }] })
  })

  it('answers 400 VALIDATION.FAILED for a malformed code', async () => {
    await expectError('/api/v1/org/units/abc', 400, 'VALIDATION.FAILED')
    await expectError('/api/v1/org/units/1234567', 400, 'VALIDATION.FAILED')
    await expectError('/api/v1/org/units/32002?at=2025-02-30', 400, 'VALIDATION.FAILED')
  })
})

describe('lineage', () => {
  it('successors of former 32023 Xã An Xuyên are [32002 Phường An Xuyên], whole', async () => {
    const res = await get('/api/v1/org/units/32023/successors')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.unit).toMatchObject({ id: 'h-32023', name: 'Xã An Xuyên', validTo: '2025-06-30' })
    expect(body.items.map((i: { code: string; name: string; portion: string }) => [i.code, i.name, i.portion])).toEqual([['32002', 'Phường An Xuyên', 'whole']])
    expect(body.items[0]).toMatchObject({ id: 'c96-32002', effectiveOn: '2025-07-01', validTo: null })
  })

  it('successors of a reused code default to the former unit: 32002 Phường 2 → 32002 Phường An Xuyên', async () => {
    const body = (await get('/api/v1/org/units/32002/successors')).json()
    expect(body.unit).toMatchObject({ id: 'h-32002', name: 'Phường 2' })
    expect(codes(body.items)).toEqual(['32002'])
  })

  it('a commune split "một phần" returns all its successors, each a part', async () => {
    const body = (await get('/api/v1/org/units/32053/successors')).json()
    expect(body.unit.name).toBe('Xã Nguyễn Phích')
    expect(body.items.map((i: { code: string; portion: string }) => [i.code, i.portion])).toEqual([
      ['32044', 'part'],
      ['32059', 'part'],
      ['32062', 'part'],
    ])
    const loiAn = (await get('/api/v1/org/units/32122/successors')).json()
    expect(codes(loiAn.items)).toEqual(['32014', '32095', '32134'])
  })

  it('predecessors of a current unit, with their former districts and portions', async () => {
    const body = (await get('/api/v1/org/units/32014/predecessors')).json()
    expect(body.unit).toMatchObject({ id: 'c96-32014', name: 'Phường Lý Văn Lâm' })
    expect(body.items.map((i: { code: string; portion: string; parent: { name: string } }) => [i.code, i.portion, i.parent.name])).toEqual([
      ['32014', 'whole', 'Thành phố Cà Mau'],
      ['32032', 'whole', 'Thành phố Cà Mau'],
      ['32122', 'part', 'Huyện Trần Văn Thời'],
    ])
    const province = (await get('/api/v1/org/units/96/predecessors')).json()
    expect(province.items.map((i: { id: string; name: string }) => [i.id, i.name])).toEqual([
      ['hp95', 'Tỉnh Bạc Liêu'],
      ['hp96', 'Tỉnh Cà Mau'],
    ])
  })

  it('a current unit has no successors; unknown codes are 404, malformed 400', async () => {
    // Every current code was some former commune's code, so ask for today's unit explicitly.
    const current = (await get('/api/v1/org/units/32248/successors?at=2026-11-26')).json()
    expect(current.unit.id).toBe('c96-32248')
    expect(current.items).toEqual([])
    await expectError('/api/v1/org/units/99999/successors', 404, 'ORG.UNIT_NOT_FOUND')
    await expectError('/api/v1/org/units/32023/predecessors', 404, 'ORG.UNIT_NOT_FOUND')
    await expectError('/api/v1/org/units/x/predecessors', 400, 'VALIDATION.FAILED')
  })
})

describe('agencies', () => {
  it('lists provincial bodies under the UBND tỉnh, and finds the two agencies of a commune', async () => {
    const under = (await get('/api/v1/org/agencies?parent=ubnd-tinh&level=province')).json()
    expect(under.items.map((a: { id: string }) => a.id)).toContain('so-tu-phap')
    expect(under.items.map((a: { id: string }) => a.id)).not.toContain('cong-an-tinh')
    const commune = (await get('/api/v1/org/agencies?unit=32002')).json()
    expect(commune.items.map((a: { id: string; kind: string }) => [a.id, a.kind])).toEqual([
      ['ubnd-xa-32002', 'ubnd'],
      ['ttpvhcc-xa-32002', 'ttpvhcc'],
    ])
    const all = (await get('/api/v1/org/agencies?limit=200')).json()
    expect(all.total).toBe(15 + 128)
    expect(new Set(all.items.map((a: { code: string }) => a.code)).size).toBe(all.total)
  })

  it('searches names accent-insensitively and by exact code', async () => {
    const r = (await get('/api/v1/org/agencies?q=tu%20phap')).json()
    expect(r.items.map((a: { id: string }) => a.id)).toEqual(['so-tu-phap'])
    const centres = (await get(`/api/v1/org/agencies?q=${encodeURIComponent('phục vụ hành chính công')}&level=commune`)).json()
    expect(centres.total).toBe(64)
    const byCode = (await get('/api/v1/org/agencies?q=000.00.00.h12')).json()
    expect(byCode.items.map((a: { id: string }) => a.id)).toEqual(['ubnd-tinh'])
  })

  it('gives one agency with its code, unit, parent and children', async () => {
    const res = await get('/api/v1/org/agencies/ttpvhcc-xa-32002')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      id: 'ttpvhcc-xa-32002',
      name: 'Trung tâm Phục vụ hành chính công phường An Xuyên',
      code: expect.stringMatching(/^\d{3}\.\d{2}\.\d{2}\.H12$/),
      level: 'commune',
      unit: { code: '32002', name: 'Phường An Xuyên' },
      parent: { id: 'ubnd-xa-32002' },
      children: [],
    })
    const top = (await get('/api/v1/org/agencies/ubnd-tinh')).json()
    expect(top).toMatchObject({ code: '000.00.00.H12', name: 'Ủy ban nhân dân tỉnh Cà Mau', parent: null })
    // The office and 11 departments, and the 64 commune UBNDs; the police is vertically managed.
    expect(top.children.length).toBe(12 + 64)
  })

  it('answers 404 ORG.AGENCY_NOT_FOUND and 400 VALIDATION.FAILED', async () => {
    await expectError('/api/v1/org/agencies/so-khong-co', 404, 'ORG.AGENCY_NOT_FOUND')
    await expectError('/api/v1/org/agencies?parent=khong-co', 404, 'ORG.AGENCY_NOT_FOUND')
    await expectError('/api/v1/org/agencies?unit=99999', 404, 'ORG.UNIT_NOT_FOUND')
    await expectError('/api/v1/org/agencies/Bad%20Id', 400, 'VALIDATION.FAILED')
    await expectError('/api/v1/org/agencies?kind=bo', 400, 'VALIDATION.FAILED')
    await expectError('/api/v1/org/agencies?limit=1000', 400, 'VALIDATION.FAILED')
  })
})

describe('GET /api/v1/org/address/map', () => {
  const map = (params: Record<string, string>) => get(`/api/v1/org/address/map?${new URLSearchParams(params).toString()}`)

  it('maps "Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau" to Phường An Xuyên, Tỉnh Cà Mau', async () => {
    const res = await map({ address: 'Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau' })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ at: '2025-06-30', ambiguous: false })
    expect(body.matches).toHaveLength(1)
    expect(body.matches[0]).toMatchObject({
      former: { commune: { code: '32023' }, district: { code: '964' }, province: { code: '96' }, address: 'Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau' },
      split: false,
      candidates: [{ commune: { code: '32002', name: 'Phường An Xuyên' }, province: { code: '96' }, portion: 'whole', address: 'Phường An Xuyên, Tỉnh Cà Mau' }],
    })
  })

  it('accepts names without accents or kind words, abbreviations, and codes', async () => {
    const inputs: Record<string, string>[] = [
      { commune: 'xa an xuyen', district: 'thanh pho ca mau', province: 'tinh ca mau' },
      { commune: 'An Xuyên', district: 'TP. Cà Mau', province: 'Cà Mau' },
      { commune: '32023', district: '964', province: '096' },
      { address: 'Ấp 3, xa An Xuyen, tp Ca Mau, Ca Mau' },
    ]
    for (const params of inputs) {
      const res = await map(params)
      expect(res.statusCode, JSON.stringify(params)).toBe(200)
      expect(res.json().matches.map((m: { candidates: { commune: { code: string } }[] }) => m.candidates.map((c) => c.commune.code)), JSON.stringify(params)).toEqual([['32002']])
    }
  })

  it('flags a split commune and returns every candidate', async () => {
    const body = (await map({ commune: 'Xã Lợi An', district: 'Huyện Trần Văn Thời', province: 'Tỉnh Cà Mau' })).json()
    expect(body.matches).toHaveLength(1)
    expect(body.matches[0].split).toBe(true)
    expect(body.matches[0].candidates.map((c: { commune: { code: string }; portion: string }) => [c.commune.code, c.portion])).toEqual([
      ['32014', 'part'],
      ['32095', 'part'],
      ['32134', 'part'],
    ])
  })

  it('returns every former commune when the name alone is ambiguous, and narrows with the district', async () => {
    const wide = (await map({ commune: 'Phường 1' })).json()
    expect(wide.ambiguous).toBe(true)
    expect(wide.matches.map((m: { former: { district: { name: string } } }) => m.former.district.name).sort()).toEqual(['Thành phố Bạc Liêu', 'Thành phố Cà Mau', 'Thị xã Giá Rai'])
    const narrow = (await map({ commune: 'Phường 1', district: 'Thành phố Bạc Liêu' })).json()
    expect(narrow.ambiguous).toBe(false)
    expect(narrow.matches[0].candidates.map((c: { address: string }) => c.address)).toEqual(['Phường Bạc Liêu, Tỉnh Cà Mau'])
    // "Huyện Hoà Bình" is spelt "Hòa" by many: both fold the same.
    const hoaBinh = (await map({ commune: 'Thị trấn Hòa Bình', district: 'Huyện Hòa Bình', province: 'Bạc Liêu' })).json()
    expect(hoaBinh.matches[0].candidates[0].commune.name).toBe('Xã Hòa Bình')
  })

  it('answers 404 ORG.ADDRESS_NOT_FOUND naming the part not found', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ commune: 'Xã Không Có' }, 'commune'],
      [{ commune: 'Xã An Xuyên', district: 'Huyện U Minh' }, 'commune'],
      [{ commune: 'Xã An Xuyên', province: 'Tỉnh Kiên Giang' }, 'province'],
      [{ commune: 'Xã An Xuyên', district: 'Huyện Không Có' }, 'district'],
      [{ commune: 'Phường An Xuyên', district: 'Thành phố Cà Mau' }, 'commune'],
      [{ commune: '99999' }, 'commune'],
    ]
    for (const [params, part] of cases) {
      const res = await map(params)
      expect(res.statusCode, JSON.stringify(params)).toBe(404)
      expect(res.json().error).toMatchObject({ code: 'ORG.ADDRESS_NOT_FOUND', details: { part } })
    }
  })

  it('answers 400 VALIDATION.FAILED with nothing to map or an oversized address', async () => {
    await expectError('/api/v1/org/address/map', 400, 'VALIDATION.FAILED')
    await expectError('/api/v1/org/address/map?district=964', 400, 'VALIDATION.FAILED')
    await expectError(`/api/v1/org/address/map?address=${'x'.repeat(301)}`, 400, 'VALIDATION.FAILED')
    await expectError(`/api/v1/org/address/map?commune=${'x'.repeat(101)}`, 400, 'VALIDATION.FAILED')
  })
})

describe('OpenAPI', () => {
  it('documents every org operation under the tag org, with a summary', async () => {
    const doc = (await get('/api/v1/openapi.json')).json()
    const ops = Object.entries(doc.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>).filter(([p]) => p.startsWith('/api/v1/org/'))
    expect(ops.map(([p]) => p).sort()).toEqual([
      '/api/v1/org/address/map',
      '/api/v1/org/agencies',
      '/api/v1/org/agencies/{id}',
      '/api/v1/org/units',
      '/api/v1/org/units/{code}',
      '/api/v1/org/units/{code}/predecessors',
      '/api/v1/org/units/{code}/successors',
    ])
    for (const [, methods] of ops) for (const op of Object.values(methods)) expect(op).toMatchObject({ tags: ['org'], summary: expect.any(String) })
  })
})

describe('pages', () => {
  const headingCount = (html: string) => (html.match(/<h1[\s>]/g) ?? []).length

  it('/don-vi lists the 64 communes in Vietnamese, with one h1 and a labelled search', async () => {
    const res = await get('/don-vi')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(headingCount(res.body)).toBe(1)
    expect(res.body).toContain('<label for="q">')
    expect(res.body).toContain('id="q"')
    expect(res.body).toContain('64 xã, phường')
    expect((res.body.match(/<tr>/g) ?? []).length).toBe(65)
    expect(res.body).toContain('<th scope="col">')
    expect(res.body).toContain('href="/don-vi/32002"')
    expect(res.body).not.toContain('style=')
  })

  it('/don-vi?q= searches current and former units without JavaScript', async () => {
    const res = await get('/don-vi?q=an%20xuyen')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Phường An Xuyên')
    expect(res.body).toContain('href="/don-vi/32023?at=2025-06-30"')
    expect(res.body).toContain('value="an xuyen"')
    const none = await get('/don-vi?q=khong%20co%20dau')
    expect(none.body).toContain('Không có đơn vị hiện nay nào khớp')
  })

  it('is in English when the language cookie says so', async () => {
    const res = await get('/don-vi', { cookie: 'lang=en' })
    expect(res.body).toContain('Commune-level units of Tỉnh Cà Mau')
    expect(res.body).toContain('<html lang="en"')
  })

  it('/don-vi/:code shows the agencies and the predecessors of a current unit, portions in words', async () => {
    const res = await get('/don-vi/32014')
    expect(res.statusCode).toBe(200)
    expect(headingCount(res.body)).toBe(1)
    expect(res.body).toContain('Ủy ban nhân dân phường Lý Văn Lâm')
    expect(res.body).toContain('Trung tâm Phục vụ hành chính công phường Lý Văn Lâm')
    expect(res.body).toContain('Xã Lợi An')
    expect(res.body).toContain('Một phần')
    expect(res.body).toContain('Toàn bộ')
  })

  it('/don-vi/:code of a former unit shows its successors; a former-only code redirects to its era', async () => {
    const redirect = await get('/don-vi/32023')
    expect(redirect.statusCode).toBe(303)
    expect(redirect.headers.location).toBe('/don-vi/32023?at=2025-06-30')
    const res = await get('/don-vi/32053?at=2025-06-30')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Xã Nguyễn Phích')
    expect(res.body).toContain('không còn từ ngày 01/07/2025')
    for (const name of ['Xã Nguyễn Phích', 'Xã Khánh Lâm', 'Xã Khánh An']) expect(res.body).toContain(name)
  })

  it('/don-vi/:code tells of a reused code, and answers 404 for an unknown one', async () => {
    const res = await get('/don-vi/32002')
    expect(res.body).toContain('Mã 32002 cũng là mã của')
    expect(res.body).toContain('href="/don-vi/32002?at=2025-06-30"')
    const missing = await get('/don-vi/99999')
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['content-type']).toContain('text/html')
  })
})

describe('exports for other modules and the seed', () => {
  it('finds units by era and lists the current communes', async () => {
    expect((await findUnit(t.db, '32002'))?.name).toBe('Phường An Xuyên')
    expect((await findUnit(t.db, '32002', '2025-06-30'))?.name).toBe('Phường 2')
    expect(await findUnit(t.db, '32023')).toBeUndefined()
    expect(await listCurrentCommunes(t.db)).toHaveLength(64)
  })

  it('keeps the agency ids other modules use, and running the seed again changes nothing', async () => {
    const before = await listAgencies(t.db)
    for (const id of ['ttpvhcc-tinh', 'so-tu-phap', 'vp-ubnd-tinh', 'ubnd-xa-32002', 'ttpvhcc-xa-32002', 'ubnd-xa-31825', 'ttpvhcc-xa-31825']) {
      expect(await findAgencyById(t.db, id), id).toBeDefined()
    }
    await seedOrganisation(t.db)
    expect(await listAgencies(t.db)).toEqual(before)
    expect((await get('/api/v1/org/units?parent=96')).json().total).toBe(64)
  })
})
