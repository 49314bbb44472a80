import { inTransaction, type Db } from '../../shared/database.js'
import type { Lang } from '../../shared/i18n.js'
import { listAgencies } from '../org/index.js'
import { facetLabel } from './catalog.labels.js'
import { listAgencyLabels, listFields, type FacetRow } from './catalog.repo.js'
import { COMMUNE_RULES, type FacetValue, type SearchQuery, type SearchResultDto } from './catalog.schemas.js'
import { browseCounts, browsePage, preferIndexes, readRevision, resolveQueryWords, searchText, textMatch, type SearchCounts, type SearchPage } from './catalog.search.repo.js'

export interface SearchDeps {
  db: Db
}

/**
 * What depends only on the catalogue (counts when browsing, the field list, the published
 * agency labels), kept for one catalogue revision. The revision is read from the database with
 * every use, so a change committed by any process (an edit, an import, a fix in psql) is seen
 * by the next request of every process. A value is stored under the revision read *before* it
 * was computed: if the catalogue changed in between, the value is newer than its revision and
 * the next request, reading the new revision, computes it again.
 */
export class RevisionCache {
  private revision: string | undefined
  private readonly entries = new Map<string, unknown>()

  constructor(private readonly maxEntries = 500) {}

  async get<T>(revision: string, key: string, compute: () => Promise<T>): Promise<T> {
    if (revision === this.revision && this.entries.has(key)) return this.entries.get(key) as T
    const value = await compute()
    if (revision !== this.revision) {
      this.entries.clear()
      this.revision = revision
    }
    // Browsing filters combine into a few hundred keys at most; beyond, the oldest goes.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, value)
    return value
  }
}

// One cache per database handle: tests (and tools) open several databases in one process.
const caches = new WeakMap<Db, RevisionCache>()
function cacheOf(db: Db): RevisionCache {
  let c = caches.get(db)
  if (!c) caches.set(db, (c = new RevisionCache()))
  return c
}

const FACET_DIMS = ['field', 'level', 'agency', 'subject', 'online'] as const
const RELAX_BELOW = 5
const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

/**
 * Search with filters and counts per filter value; facet labels in the reader's language.
 * Text: one transaction of two statements (the words resolved, then matches, page and counts
 * together), a third only when a long query must be relaxed. Browsing: the page, with the
 * counts from the cache of the catalogue revision.
 */
export async function searchCatalog(deps: SearchDeps, q: SearchQuery, lang: Lang = 'vi'): Promise<SearchResultDto> {
  const text = q.q?.trim() ? q.q.trim() : undefined
  const cache = cacheOf(deps.db)
  let found: SearchPage & SearchCounts & { revision: string }
  if (text) {
    found = await inTransaction(deps.db, async (trx) => {
      await preferIndexes(trx)
      const resolved = await resolveQueryWords(trx, text)
      const strict = await searchText(trx, q, textMatch(resolved))
      // Few strict matches for a long query: a filler word may be what excludes the right one.
      if (strict.total >= RELAX_BELOW || resolved.words.length < 3) return { ...strict, revision: resolved.revision }
      return { ...(await searchText(trx, q, textMatch(resolved, true))), revision: resolved.revision }
    })
  } else {
    const { rows, revision } = await browsePage(deps.db, q)
    const key = `counts ${JSON.stringify([q.scope, q.field ?? null, q.level ?? null, q.agency ?? null, q.subject ?? null, q.online ?? null])}`
    found = { rows, revision, ...(await cache.get(revision, key, () => browseCounts(deps.db, q))) }
  }
  const refs = found.facets.filter((f) => f.dim === 'agency' && !isRule(f.value)).map((f) => f.value)
  const agencyNames = await namesOf(deps.db, found.revision, refs)
  return {
    items: found.rows.map((x) => ({
      code: x.code,
      name: x.name,
      field: x.field,
      levels: x.levels,
      subjects: x.subjects,
      onlineLevel: x.onlineLevel,
      inProvince: x.inProvince,
      version: x.currentVersion,
    })),
    total: found.total,
    page: q.page,
    pageSize: q.pageSize,
    facets: labelled(found.facets, agencyNames, lang),
  }
}

function labelled(rows: FacetRow[], agencyNames: Map<string, string>, lang: Lang): SearchResultDto['facets'] {
  const facets = Object.fromEntries(FACET_DIMS.map((d) => [d, [] as FacetValue[]])) as Record<(typeof FACET_DIMS)[number], FacetValue[]>
  for (const f of rows) {
    const label = f.dim === 'agency' && !isRule(f.value) ? (agencyNames.get(f.value) ?? f.value) : facetLabel(f.dim, f.value, lang)
    facets[f.dim].push({ value: f.value, label, count: Number(f.n) })
  }
  return facets
}

/**
 * Names for agency references (all, or those given): org's names first, else the labels
 * published with procedures (cached per catalogue revision). Org's agencies are read each
 * time: the catalogue revision says nothing of a renamed agency.
 */
async function namesOf(db: Db, revision: string, refs?: string[]): Promise<Map<string, string>> {
  if (refs && !refs.length) return new Map()
  const published = await cacheOf(db).get(revision, 'agency-labels', () => listAgencyLabels(db))
  const names = new Map(refs ? refs.flatMap((r) => (published.has(r) ? [[r, published.get(r) as string] as const] : [])) : published)
  for (const a of await listAgencies(db)) if (!refs || refs.includes(a.id)) names.set(a.id, a.name)
  return names
}

/** Names for agency references (all, or those given): org's names first, else the labels published with procedures. */
export async function agencyNameMap(db: Db, refs?: string[]): Promise<Map<string, string>> {
  if (refs && !refs.length) return new Map()
  return namesOf(db, await readRevision(db), refs)
}

/** Fields of the procedures in scope, with counts, by name (cached per catalogue revision). */
export async function listCatalogFields(deps: SearchDeps, scope: 'province' | 'national' = 'province'): Promise<{ field: string; n: number }[]> {
  const fields = await cacheOf(deps.db).get(await readRevision(deps.db), `fields ${scope}`, () => listFields(deps.db, scope))
  return fields.map((f) => ({ ...f }))
}
