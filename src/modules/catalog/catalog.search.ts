import { inTransaction, type Db } from '../../shared/database.js'
import type { Lang } from '../../shared/i18n.js'
import { listAgencies } from '../org/index.js'
import { facetLabel } from './catalog.labels.js'
import { listAgencyLabels, type FacetRow } from './catalog.repo.js'
import { COMMUNE_RULES, type FacetValue, type SearchQuery, type SearchResultDto } from './catalog.schemas.js'
import { CatalogIndex, type Candidate, type QueryWord, type ResolvedQuery, type SearchOutcome } from './catalog.search.index.js'
import { foldQuery, nameSimilarities, nearTerms, preferIndexes, readIndexRows, readRevision, similarProcedures } from './catalog.search.repo.js'

export interface SearchDeps {
  db: Db
}

/**
 * Holds the value last loaded for a catalogue revision, and loads it again when a request has
 * read another revision from the database: a change committed by any process (an edit, an
 * import, a fix in psql) is seen by the next request of every process. A load started after
 * a request read its revision is at least as new, so the request may use whatever it returns;
 * requests for the revision being loaded share that load.
 */
export class LatestByRevision<T extends { revision: string }> {
  private current: T | undefined
  private loading: Promise<T> | undefined

  async get(revision: string, load: () => Promise<T>): Promise<T> {
    if (this.current?.revision === revision) return this.current
    const pending = this.loading
    if (pending) {
      // A load under way that fails leaves this request to try its own.
      const v = await pending.catch(() => undefined)
      if (v?.revision === revision) return v
    }
    const next = load().then((v) => (this.current = v))
    this.loading = next
    void next.finally(() => {
      if (this.loading === next) this.loading = undefined
    }).catch(() => {})
    return next
  }
}

// One index per database handle: tests (and tools) open several databases in one process.
const indexes = new WeakMap<Db, LatestByRevision<CatalogIndex>>()

async function indexFor(db: Db, revision: string): Promise<CatalogIndex> {
  let holder = indexes.get(db)
  if (!holder) indexes.set(db, (holder = new LatestByRevision()))
  return holder.get(revision, async () => {
    const rows = await readIndexRows(db)
    // Agency names: org's first, else the labels published with the procedures. A change to
    // org's agencies changes the revision as well (see the migration catalog-search).
    const names = await listAgencyLabels(db)
    for (const a of await listAgencies(db)) names.set(a.id, a.name)
    return new CatalogIndex(rows.revision, rows, names)
  })
}

const FACET_DIMS = ['field', 'level', 'agency', 'subject', 'online'] as const
const MAX_WORDS = 8
const RELAX_BELOW = 5
const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

/**
 * Search with filters and counts per filter value; facet labels in the reader's language.
 * One statement reads the catalogue revision (and folds the query); the rest runs over the
 * index of that revision, loaded once per process and revision. Typos cost one more statement.
 */
export async function searchCatalog(deps: SearchDeps, q: SearchQuery, lang: Lang = 'vi'): Promise<SearchResultDto> {
  const text = q.q?.trim() ? q.q.trim() : undefined
  let index: CatalogIndex
  let found: SearchOutcome
  if (text) {
    const { revision, folded } = await foldQuery(deps.db, text)
    index = await indexFor(deps.db, revision)
    found = await searchText(deps.db, index, q, await resolveWords(deps.db, index, folded))
  } else {
    index = await indexFor(deps.db, await readRevision(deps.db))
    found = index.evaluate(q, index.browse(q))
  }
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
    facets: labelled(found.facets, index.agencyNames, lang),
  }
}

/**
 * Each word of the folded query against the catalogue's words: a known word (or a one-letter
 * one) stands for itself; an unknown word of three letters or more stands for its nearest known
 * words (typos such as "dunh" → "dung"); an unknown word with no near word is left unresolved.
 */
async function resolveWords(db: Db, index: CatalogIndex, folded: string): Promise<ResolvedQuery> {
  const all = folded.split(' ').filter((w) => w !== '').slice(0, MAX_WORDS)
  const near = await nearTerms(db, [...new Set(all.filter((w) => w.length >= 3 && !index.isTerm(w)))])
  const words: QueryWord[] = []
  const unresolved: string[] = []
  for (const w of all) {
    const corrections = near.get(w)
    if (index.isTerm(w) || w.length < 2) words.push({ word: w, terms: [w], corrected: false })
    else if (corrections?.length) words.push({ word: w, terms: corrections, corrected: true })
    else unresolved.push(w)
  }
  return { folded, words, unresolved }
}

async function searchText(db: Db, index: CatalogIndex, q: SearchQuery, r: ResolvedQuery): Promise<SearchOutcome> {
  if (!r.words.length) {
    if (!r.folded) return index.evaluate(q, [])
    // No word of the query is a catalogue word: the whole query must be close to a run of words
    // of the name or field, which the trigram indexes find.
    const similar = await inTransaction(db, async (trx) => {
      await preferIndexes(trx)
      return similarProcedures(trx, r.folded, q.scope === 'province')
    })
    return index.evaluate(q, index.pick(q, similar.map((x) => ({ code: x.code, keys: [-x.inName, -x.wordSimilarity, -x.similarity] }))))
  }
  const matches = async (relaxed: boolean): Promise<Candidate[]> => {
    const found = index.matchText(q, r, relaxed)
    // A word nothing resolves ("dugn") still ranks through the similarity of the whole query.
    if (r.unresolved.length) index.rankBySimilarity(found, await nameSimilarities(db, r.folded, found.map((c) => c.p.code)))
    return found
  }
  const strict = index.evaluate(q, await matches(false))
  // Few strict matches for a long query: a filler word may be what excludes the right one.
  if (strict.total >= RELAX_BELOW || r.words.length < 3) return strict
  return index.evaluate(q, await matches(true))
}

function labelled(rows: FacetRow[], agencyNames: ReadonlyMap<string, string>, lang: Lang): SearchResultDto['facets'] {
  const facets = Object.fromEntries(FACET_DIMS.map((d) => [d, [] as FacetValue[]])) as Record<(typeof FACET_DIMS)[number], FacetValue[]>
  for (const f of rows) {
    const label = f.dim === 'agency' && !isRule(f.value) ? (agencyNames.get(f.value) ?? f.value) : facetLabel(f.dim, f.value, lang)
    facets[f.dim].push({ value: f.value, label, count: Number(f.n) })
  }
  return facets
}

/** Names for agency references (all, or those given): org's names first, else the labels published with procedures. */
export async function agencyNameMap(db: Db, refs?: string[]): Promise<Map<string, string>> {
  if (refs && !refs.length) return new Map()
  const { agencyNames } = await indexFor(db, await readRevision(db))
  if (!refs) return new Map(agencyNames)
  return new Map(refs.flatMap((r) => (agencyNames.has(r) ? [[r, agencyNames.get(r) as string] as const] : [])))
}

/** Fields of the published procedures in scope, with counts, by name. */
export async function listCatalogFields(deps: SearchDeps, scope: 'province' | 'national' = 'province'): Promise<{ field: string; n: number }[]> {
  const index = await indexFor(deps.db, await readRevision(deps.db))
  const counts = new Map<string, number>()
  for (const p of index.procedures) if (scope === 'national' || p.inProvince) counts.set(p.field, (counts.get(p.field) ?? 0) + 1)
  return [...counts].map(([field, n]) => ({ field, n }))
}
