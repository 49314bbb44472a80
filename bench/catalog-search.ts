/**
 * Search latency over the full national catalogue (2,642 procedures): 100 realistic queries
 * (accents or not, typos, filters, both scopes), timed through the service as the API calls it.
 *
 *   node --import tsx bench/catalog-search.ts [national-procedures.json.gz]
 *
 * Runs on an in-memory PGlite (or on DATABASE_URL, which must point at a scratch database:
 * the catalogue is imported into it). Prints the backend, then p50/p95/max per query kind and
 * overall. Each query runs once to warm up, then three timed rounds: searches read the index
 * of the catalogue revision loaded by the first one, as a running site does between changes;
 * a last line times the first search after a change (the index read again), apart.
 */
import os from 'node:os'
import { sql } from 'kysely'
import { openPglite, openPostgres } from '../src/app/db.js'
import { migrateToLatest } from '../src/app/migrate.js'
import { seedReference } from '../src/app/seed.js'
import { systemClock } from '../src/shared/clock.js'
import { importNational } from '../src/modules/catalog/index.js'
import { readNationalFile } from '../src/modules/catalog/catalog.import.js'
import { SearchQuery } from '../src/modules/catalog/catalog.schemas.js'
import { searchCatalog } from '../src/modules/catalog/catalog.search.js'

const file = process.argv[2] ?? '../shared/data/national-procedures.json.gz'
const url = process.env['DATABASE_URL']
const h = url ? openPostgres(url) : await openPglite()
await migrateToLatest(h.db)
await seedReference(h.db, { demoCatalog: true })
const t0 = performance.now()
const report = await importNational({ db: h.db, clock: systemClock }, readNationalFile(file))
console.log(`imported ${report.totals.imported} records in ${Math.round(performance.now() - t0)} ms (${h.backend})`)

const TEXTS = [
  'khai sinh', 'đăng ký khai sinh', 'dang ky khai sinh', 'đăng ký kết hôn', 'dang ki ket hon', 'cap giay phep xay dung',
  'giay phep xay dung nha o', 'cap giay phep xay dunh', 'xin giấy phép xây nhà', 'thường trú', 'dang ky tam tru', 'căn cước',
  'cap lai the can cuoc', 'lý lịch tư pháp', 'chung thuc ban sao', 'chứng thực chữ ký', 'đất đai', 'cap doi giay chung nhan quyen su dung dat',
  'tách thửa', 'hộ kinh doanh', 'thanh lap doanh nghiep', 'đăng ký xe', 'giấy phép lái xe', 'bảo trợ xã hội', 'hòa giải',
  'khai tử', 'nhận cha mẹ con', 'giám hộ', 'thuế', 'giay phep kinh doanh', 'an toàn thực phẩm', 'phòng cháy chữa cháy',
  'xuất nhập cảnh', 'hộ chiếu', 'bảo hiểm xã hội', 'trợ cấp thất nghiệp', 'giấy phép lao động', 'môi trường', 'khoáng sản',
  'thuy san', 'chăn nuôi', 'giống cây trồng', 'xây dựng', 'nha o xa hoi', 'quy hoạch', 'ngân hàng', 'chứng khoán', 'hải quan',
  'giay chung sinh', 'công chứng',
]
const FILTERS = ['', '&level=province', '&online=full', '&subject=business', '&field=H%E1%BB%99%20t%E1%BB%8Bch']
const queries: { kind: string; qs: string }[] = []
for (let i = 0; i < 100; i++) {
  const text = TEXTS[i % TEXTS.length] as string
  const filter = i % 5 === 4 ? (FILTERS[Math.floor(i / 5) % FILTERS.length] ?? '') : ''
  const scope = i % 2 === 0 ? 'national' : 'province'
  queries.push({ kind: filter ? 'text+filter' : 'text', qs: `q=${encodeURIComponent(text)}${filter}&scope=${scope}` })
}
queries.push({ kind: 'browse', qs: 'scope=national' }, { kind: 'browse', qs: 'scope=national&level=commune&online=full' })

const deps = { db: h.db, clock: systemClock }
for (const q of queries) await searchCatalog(deps, SearchQuery.parse(Object.fromEntries(new URLSearchParams(q.qs)))) // warm up
const samples: { kind: string; ms: number }[] = []
for (let round = 0; round < 3; round++) {
  for (const q of queries) {
    const s = performance.now()
    await searchCatalog(deps, SearchQuery.parse(Object.fromEntries(new URLSearchParams(q.qs))))
    samples.push({ kind: q.kind, ms: performance.now() - s })
  }
}
console.log(`backend ${h.backend}, ${samples.length} searches (${queries.length} queries × 3 rounds), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0
}
const line = (kind: string, xs: number[]) =>
  console.log(`${kind.padEnd(12)} n=${String(xs.length).padStart(4)}  p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms  p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms  max ${Math.max(...xs).toFixed(1).padStart(6)} ms`)
for (const kind of [...new Set(samples.map((s) => s.kind))]) line(kind, samples.filter((s) => s.kind === kind).map((s) => s.ms))
line('all', samples.map((s) => s.ms))

// Not in the figures above: the first search after the catalogue changed, which reads the new
// revision's index (every web process pays it once per change).
const afterChange: number[] = []
for (let i = 0; i < 5; i++) {
  await sql`UPDATE catalog_procedures SET updated_at = updated_at WHERE code = '1.001193'`.execute(h.db)
  const s = performance.now()
  await searchCatalog(deps, SearchQuery.parse({ q: 'khai sinh' }))
  afterChange.push(performance.now() - s)
}
line('after change', afterChange)
const heap = process.memoryUsage().heapUsed
console.log(`heap in use ${Math.round(heap / 2 ** 20)} MiB (index included)`)
await h.close()
