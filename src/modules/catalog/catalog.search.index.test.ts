import { describe, expect, it } from 'vitest'
import { SearchQuery } from './catalog.schemas.js'
import { CatalogIndex, type QueryWord, type ResolvedQuery } from './catalog.search.index.js'
import type { IndexRow } from './catalog.search.repo.js'

// Six procedures in browsing order (field, name, code), as the database hands them over.
const ROWS: IndexRow[] = [
  ['1.000000', 'Khai sinh, đăng ký', 'Hộ tịch', ['province'], ['business'], null, false, 1, [], ' khai sinh dang ky ', ' ho tich ', 'khai sinh dang ky ho tich', 0],
  ['1.000001', 'Đăng ký khai sinh', 'Hộ tịch', ['commune'], ['citizen'], 'full', true, 1, ['@ubnd-xa'], ' dang ky khai sinh ', ' ho tich ', 'dang ky khai sinh ho tich giay chung sinh', 1],
  ['1.000002', 'Đăng ký khai sinh lưu động', 'Hộ tịch', ['commune'], ['citizen'], 'none', true, 2, ['@ubnd-xa', 'so-tu-phap'], ' dang ky khai sinh luu dong ', ' ho tich ', 'dang ky khai sinh luu dong ho tich', 2],
  ['1.000003', 'Đăng ký kết hôn', 'Hộ tịch', ['commune', 'province'], ['citizen'], 'partial', false, 1, [], ' dang ky ket hon ', ' ho tich ', 'dang ky ket hon ho tich to khai sinh', 3],
  ['2.000001', 'Cấp giấy phép xây dựng', 'Xây dựng', ['province'], ['citizen', 'business'], 'full', true, 1, ['so-xay-dung'], ' cap giay phep xay dung ', ' xay dung ', 'cap giay phep xay dung', 4],
  ['2.000002', 'Cấp giấy phép xây dựng nhà ở', 'Xây dựng', ['commune'], ['citizen'], null, false, 1, [], ' cap giay phep xay dung nha o ', ' xay dung ', 'cap giay phep xay dung nha o', 5],
]
const index = new CatalogIndex('r1', { revision: 'r1', procedures: ROWS, terms: ['dang', 'ky', 'khai', 'sinh', 'ket', 'hon', 'cap', 'giay', 'phep', 'xay', 'dung', 'nha'], refs: ['@ubnd-xa', 'so-tu-phap', 'so-xay-dung'] }, new Map())

const query = (qs: Record<string, string>) => SearchQuery.parse({ scope: 'national', ...qs })
const typed = (text: string): ResolvedQuery => ({ folded: text, words: text.split(' ').map((w): QueryWord => ({ word: w, terms: [w], corrected: false })), unresolved: [] })
const codes = (qs: Record<string, string>, r: ResolvedQuery, relaxed = false) => {
  const q = query(qs)
  return index.evaluate(q, index.matchText(q, r, relaxed))
}

describe('CatalogIndex', () => {
  it('matches words of the name, field or documents; name first, then the shorter name', () => {
    const r = codes({}, typed('khai sinh'))
    expect(r.rows.map((x) => x.code)).toEqual(['1.000000', '1.000001', '1.000002', '1.000003'])
    expect(r.total).toBe(4)
    expect(codes({ scope: 'province' }, typed('khai sinh')).rows.map((x) => x.code)).toEqual(['1.000001', '1.000002'])
    expect(codes({}, typed('khai hon')).rows.map((x) => x.code)).toEqual(['1.000003'])
    expect(codes({}, typed('khai xay')).total).toBe(0)
  })

  it('a field word ranks before a document word, a typed word before a corrected one', () => {
    const ho = codes({}, typed('ho tich khai'))
    expect(ho.rows.map((x) => x.code)).toEqual(['1.000000', '1.000001', '1.000002', '1.000003'])
    // "dunh" corrected to "dung" finds the permits; "phep" as typed is in both names.
    const corrected: ResolvedQuery = { folded: 'phep dunh', words: [{ word: 'phep', terms: ['phep'], corrected: false }, { word: 'dunh', terms: ['dung'], corrected: true }], unresolved: [] }
    expect(codes({}, corrected).rows.map((x) => x.code)).toEqual(['2.000001', '2.000002'])
  })

  it('the query as a phrase of the name, and the earlier the better, comes before a shorter name', () => {
    // "Khai sinh, đăng ký" is as short as "Đăng ký khai sinh" and first by code, but holds the phrase later.
    expect(codes({}, typed('dang ky')).rows.map((x) => x.code)).toEqual(['1.000003', '1.000001', '1.000002', '1.000000'])
    // Out of order, the words are no phrase: the shorter name, then the code.
    expect(codes({}, typed('ky dang')).rows.map((x) => x.code)).toEqual(['1.000003', '1.000000', '1.000001', '1.000002'])
  })

  it('relaxed, one word of a long query may be missing, and matches with every word rank first', () => {
    const r = typed('xin giay phep xay nha')
    expect(codes({}, r).total).toBe(0)
    expect(codes({}, r, true).rows.map((x) => x.code)).toEqual(['2.000002'])
    const three = typed('cap giay nha')
    expect(codes({}, three, true).rows.map((x) => x.code)).toEqual(['2.000002', '2.000001'])
  })

  it('counts each dimension with every other filter applied', () => {
    const r = codes({ level: 'commune', online: 'full' }, typed('dang ky'))
    expect(r.rows.map((x) => x.code)).toEqual(['1.000001'])
    const facet = (dim: string) => Object.fromEntries(r.facets.filter((f) => f.dim === dim).map((f) => [f.value, f.n]))
    // Levels among the matches that are fully online; online levels among the commune ones.
    expect(facet('level')).toEqual({ commune: 1 })
    expect(facet('online')).toEqual({ full: 1, none: 1, partial: 1 })
    expect(facet('field')).toEqual({ 'Hộ tịch': 1 })
    expect(facet('agency')).toEqual({ '@ubnd-xa': 1 })
    // Most first, ties in the database's order of values.
    const all = codes({}, typed('dang ky'))
    expect(all.facets.filter((f) => f.dim === 'level')).toEqual([
      { dim: 'level', value: 'commune', n: 3 },
      { dim: 'level', value: 'province', n: 2 },
    ])
    expect(all.facets.filter((f) => f.dim === 'agency').map((f) => f.value)).toEqual(['@ubnd-xa', 'so-tu-phap'])
  })

  it('filters by agency, a commune id finding the procedures of every commune', () => {
    expect(codes({ agency: 'ubnd-xa-32002' }, typed('dang ky')).rows.map((x) => x.code)).toEqual(['1.000001', '1.000002'])
    expect(codes({ agency: 'so-tu-phap' }, typed('dang ky')).rows.map((x) => x.code)).toEqual(['1.000002'])
  })

  it('browses in field and name order, and pages', () => {
    const q = query({ pageSize: '2', page: '2' })
    const r = index.evaluate(q, index.browse(q))
    expect(r.total).toBe(6)
    expect(r.rows.map((x) => x.code)).toEqual(['1.000002', '1.000003'])
    expect(r.facets.filter((f) => f.dim === 'field')).toEqual([
      { dim: 'field', value: 'Hộ tịch', n: 4 },
      { dim: 'field', value: 'Xây dựng', n: 2 },
    ])
    const province = query({ scope: 'province' })
    expect(index.evaluate(province, index.browse(province)).rows.map((x) => x.code)).toEqual(['1.000001', '1.000002', '2.000001'])
  })
})
