import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Browser, createTestApp, ManualClock, staffFixture, type TestApp } from '../../../test/support/test-app.js'
import { inTransaction } from '../../shared/database.js'
import { importNational } from './index.js'
import { listCatalogFields } from './catalog.search.js'
import { readRevision } from './catalog.search.repo.js'

// Edits and imports change the catalogue, so this file runs on a database of its own.
let t: TestApp
let b: Browser
const clock = new ManualClock('2026-11-26T02:00:00Z')

beforeAll(async () => {
  t = await createTestApp({ clock })
  b = new Browser(t.app)
})
afterAll(async () => t?.close())

type Dim = 'field' | 'level' | 'agency' | 'subject' | 'online'
interface Item {
  code: string
  field: string
  levels: string[]
  subjects: string[]
  onlineLevel: string | null
}
interface Found {
  items: Item[]
  total: number
  facets: Record<Dim, { value: string; label: string; count: number }[]>
}
const search = async (qs: string) => {
  const res = await b.get(`/api/v1/procedures?${qs}`)
  expect(res.statusCode).toBe(200)
  return res.json<Found>()
}
const count = (r: Found, dim: Dim, value: string) => r.facets[dim].find((f) => f.value === value)?.count ?? 0

type Filters = Partial<Record<'field' | 'level' | 'subject' | 'online', string>>
const keeps = (i: Item, f: Filters, skip?: Dim) =>
  (f.field === undefined || skip === 'field' || i.field === f.field) &&
  (f.level === undefined || skip === 'level' || i.levels.includes(f.level)) &&
  (f.subject === undefined || skip === 'subject' || i.subjects.includes(f.subject)) &&
  (f.online === undefined || skip === 'online' || i.onlineLevel === f.online)

/** The counts per value a dimension should show: over all matches, every other filter applied. */
function expectedCounts(all: Item[], f: Filters, dim: 'field' | 'level' | 'subject' | 'online'): Record<string, number> {
  const out: Record<string, number> = {}
  for (const i of all.filter((x) => keeps(x, f, dim))) {
    const values = dim === 'field' ? [i.field] : dim === 'level' ? i.levels : dim === 'subject' ? i.subjects : i.onlineLevel ? [i.onlineLevel] : []
    for (const v of values) out[v] = (out[v] ?? 0) + 1
  }
  return out
}

describe('counts per filter value', () => {
  const cases: [string, Filters][] = [
    ['', {}],
    ['', { level: 'commune' }],
    ['', { online: 'full', subject: 'citizen' }],
    ['', { field: 'Hộ tịch', level: 'commune' }],
    ['dang ky', {}],
    ['dang ky', { field: 'Hộ tịch', online: 'partial' }],
    ['giay phep', { level: 'province' }],
  ]
  it.each(cases)('text "%s" with %o: each dimension counted over the matches with the other filters applied', async (text, filters) => {
    const qs = text ? `q=${encodeURIComponent(text)}&` : ''
    const everything = await search(`${qs}pageSize=100`)
    expect(everything.total).toBeLessThanOrEqual(100) // all matches are on one page
    const withFilters = await search(`${qs}pageSize=100&${new URLSearchParams(filters).toString()}`)
    expect(withFilters.total).toBe(everything.items.filter((i) => keeps(i, filters)).length)
    expect(withFilters.items.map((i) => i.code).sort()).toEqual(everything.items.filter((i) => keeps(i, filters)).map((i) => i.code).sort())
    for (const dim of ['field', 'level', 'subject', 'online'] as const) {
      const shown = Object.fromEntries(withFilters.facets[dim].map((f) => [f.value, f.count]))
      expect(shown, dim).toEqual(expectedCounts(everything.items, filters, dim))
      // Most results first.
      const counts = withFilters.facets[dim].map((f) => f.count)
      expect(counts).toEqual([...counts].sort((x, y) => y - x))
    }
  })
})

describe('what is kept per catalogue revision', () => {
  it('changes only when a write commits: not on reads, not on a rolled-back write, once per transaction', async () => {
    const r0 = await readRevision(t.db)
    await search('q=khai+sinh')
    await search('level=commune')
    expect(await readRevision(t.db)).toBe(r0)
    await expect(
      inTransaction(t.db, async (trx) => {
        await sql`UPDATE catalog_procedures SET name = name || ' (thử)' WHERE code = '1.001193'`.execute(trx)
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect(await readRevision(t.db)).toBe(r0)
    expect((await search('q=khai+sinh')).items[0]?.code).toBe('1.001193')
    await inTransaction(t.db, async (trx) => {
      await sql`UPDATE catalog_procedures SET updated_at = updated_at WHERE in_province`.execute(trx)
      await sql`UPDATE catalog_procedures SET updated_at = updated_at WHERE code = '1.001193'`.execute(trx)
    })
    const r1 = await readRevision(t.db)
    expect(r1).not.toBe(r0)
  })

  it('an edit shows at once in the counts when browsing, the field list and the agency labels', async () => {
    const admin = await staffFixture(t, 'admin', 'vp-ubnd-tinh')
    const fieldsBefore = await listCatalogFields({ db: t.db })
    const before = await search('pageSize=1')
    expect(await search('pageSize=1')).toEqual(before) // now kept for this revision
    const proc = (await b.get('/api/v1/procedures/1.004194')).json()
    expect(proc.onlineLevel).toBe('full')
    const edit = await admin.browser.api('POST', '/api/v1/procedures/1.004194/versions', {
      expectedVersion: proc.version,
      changeNote: 'Chuyển lĩnh vực để thử bộ đếm',
      field: 'Lĩnh vực thử nghiệm',
      onlineLevel: 'none',
      agencies: [...proc.agencies.map((a: { ref: string; role: string; name: string }) => ({ ref: a.ref, role: a.role, label: a.name })), { ref: 'so-tu-phap', role: 'receiving', label: 'Sở Tư pháp' }],
    })
    expect(edit.statusCode).toBe(201)

    const after = await search('pageSize=1')
    expect(count(after, 'field', 'Lĩnh vực thử nghiệm')).toBe(1)
    expect(count(after, 'field', proc.field)).toBe(count(before, 'field', proc.field) - 1)
    expect(count(after, 'online', 'full')).toBe(count(before, 'online', 'full') - 1)
    expect(count(after, 'online', 'none')).toBe(count(before, 'online', 'none') + 1)
    expect(count(after, 'agency', 'so-tu-phap')).toBe(count(before, 'agency', 'so-tu-phap') + 1)
    const filtered = await search(`field=${encodeURIComponent('Lĩnh vực thử nghiệm')}`)
    expect(filtered.items.map((i) => i.code)).toEqual(['1.004194'])
    const fieldsAfter = await listCatalogFields({ db: t.db })
    expect(fieldsAfter.find((f) => f.field === 'Lĩnh vực thử nghiệm')?.n).toBe(1)
    expect(fieldsAfter.find((f) => f.field === proc.field)?.n).toBe((fieldsBefore.find((f) => f.field === proc.field)?.n ?? 0) - 1)
    // The home page lists the new field with its count.
    expect((await b.get('/thu-tuc')).body).toContain('Lĩnh vực thử nghiệm')
  })

  it('a change committed elsewhere (another web process, a fix in psql, org renaming an agency) is seen by the next request', async () => {
    const before = await search('pageSize=1&scope=national')
    const fields = await listCatalogFields({ db: t.db }, 'national')
    const wasPartial = (await b.get('/api/v1/procedures/1.000894')).json().onlineLevel === 'partial'
    // Written straight to the table: nothing in this process is told.
    await sql`UPDATE catalog_procedures SET field = 'Lĩnh vực sửa tay', online_level = 'partial' WHERE code = '1.000894'`.execute(t.db)
    const after = await search('pageSize=1&scope=national')
    expect(count(after, 'field', 'Lĩnh vực sửa tay')).toBe(1)
    expect(count(after, 'online', 'partial')).toBe(count(before, 'online', 'partial') + (wasPartial ? 0 : 1))
    expect((await listCatalogFields({ db: t.db }, 'national')).length).toBe(fields.length + 1)
    expect((await search(`scope=national&field=${encodeURIComponent('Lĩnh vực sửa tay')}`)).items.map((i) => i.code)).toEqual(['1.000894'])
    // Org renames an agency: the counts per agency show the new name.
    const label = () => search('agency=so-tu-phap').then((r) => r.facets.agency.find((a) => a.value === 'so-tu-phap')?.label)
    expect(await label()).toBe('Sở Tư pháp tỉnh Cà Mau')
    await sql`UPDATE agencies SET name = 'Sở Tư pháp (tên mới)' WHERE id = 'so-tu-phap'`.execute(t.db)
    expect(await label()).toBe('Sở Tư pháp (tên mới)')
  })

  it('an import shows at once in the counts when browsing', async () => {
    const records = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.resolve('data/catalog/national-sample.json.gz'))).toString('utf8')) as Record<string, string>[]
    const rec = records.find((x) => x.ma_thu_tuc === '1.001193')
    if (!rec) throw new Error('sample lacks 1.001193')
    const before = await search('pageSize=1')
    expect(count(before, 'field', 'Hộ tịch mới')).toBe(0)
    clock.set('2026-11-26T05:00:00Z')
    const r = await importNational({ db: t.db, clock }, [{ ...rec, linh_vuc: 'Hộ tịch mới' }])
    expect(r.totals).toMatchObject({ changed: 1 })
    const after = await search('pageSize=1')
    expect(count(after, 'field', 'Hộ tịch mới')).toBe(1)
    expect(count(after, 'field', 'Hộ tịch')).toBe(count(before, 'field', 'Hộ tịch') - 1)
    expect(after.total).toBe(before.total)
  })
})
