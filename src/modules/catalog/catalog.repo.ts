import { sql, type Insertable, type Selectable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { Level, OnlineLevel, SearchQuery, Subject } from './catalog.schemas.js'
import type { CatalogProceduresTable, CatalogProcedureVersionsTable } from './catalog.tables.js'
import './catalog.tables.js'

type Conn = Db | Trx

export type VersionRow = Selectable<CatalogProcedureVersionsTable>

/** A version as written: the JSON columns already serialised. */
export type NewVersionRow = Omit<Insertable<CatalogProcedureVersionsTable>, 'agencies' | 'content'> & { agencies: string; content: string; onlineLevel: OnlineLevel | null }

/** The head of a procedure as written: its current version's indexed columns. */
export type HeadRow = Omit<Insertable<CatalogProceduresTable>, 'unpublishedAt' | 'inProvince' | 'agencyRefs' | 'searchText'> & {
  inProvince: boolean
  agencyRefs: string[]
  searchText: string
}

const CHUNK = 200

/** The current version of each of `codes` (those that exist), joined to its head. */
function currentVersions(db: Conn, codes: string[]) {
  return db
    .selectFrom('catalogProcedureVersions as v')
    .innerJoin('catalogProcedures as p', (j) => j.onRef('p.code', '=', 'v.code').onRef('p.currentVersion', '=', 'v.version'))
    .where('v.code', 'in', codes)
    .orderBy('v.code')
}

async function inChunks<T>(codes: string[], size: number, f: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < codes.length; i += size) {
    const part = codes.slice(i, i + size)
    if (part.length) out.push(...(await f(part)))
  }
  return out
}

/** Version number, content hash and publication instant of the current version of each code. */
export async function findCurrentMeta(db: Conn, codes: string[]): Promise<Map<string, { version: number; hash: string; publishedAt: Date }>> {
  const rows = await inChunks(codes, 1000, (part) => currentVersions(db, part).select(['v.code', 'v.version', 'v.contentHash', 'v.publishedAt']).execute())
  return new Map(rows.map((r) => [r.code, { version: r.version, hash: r.contentHash, publishedAt: r.publishedAt }]))
}

/** The current version rows of `codes`, whole. */
export async function findCurrentVersions(db: Conn, codes: string[]): Promise<VersionRow[]> {
  return inChunks(codes, 500, (part) => currentVersions(db, part).selectAll('v').execute())
}

/** Locks a procedure's head for an edit; its current version number, or undefined. */
export async function lockHead(trx: Trx, code: string): Promise<number | undefined> {
  const r = await trx.selectFrom('catalogProcedures').select('currentVersion').where('code', '=', code).forUpdate().executeTakeFirst()
  return r?.currentVersion
}

/** Codes of the procedures that apply in the province now. */
export async function listInProvinceCodes(db: Conn): Promise<string[]> {
  return (await db.selectFrom('catalogProcedures').select('code').where('inProvince', '=', true).orderBy('code').execute()).map((r) => r.code)
}

export async function countProcedures(db: Conn): Promise<number> {
  const r = await db.selectFrom('catalogProcedures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Writes versions and moves their heads, in batches; call inside a transaction. */
export async function writeVersionsAndHeads(trx: Trx, versions: NewVersionRow[], heads: HeadRow[]): Promise<void> {
  for (let i = 0; i < heads.length; i += CHUNK) {
    const part = heads.slice(i, i + CHUNK)
    await trx
      .insertInto('catalogProcedures')
      .values(part.map((h) => ({ ...h, unpublishedAt: null })))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          currentVersion: eb.ref('excluded.currentVersion'),
          inProvince: eb.ref('excluded.inProvince'),
          name: eb.ref('excluded.name'),
          field: eb.ref('excluded.field'),
          levels: eb.ref('excluded.levels'),
          subjects: eb.ref('excluded.subjects'),
          onlineLevel: eb.ref('excluded.onlineLevel'),
          agencyRefs: eb.ref('excluded.agencyRefs'),
          searchText: eb.ref('excluded.searchText'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute()
  }
  for (let i = 0; i < versions.length; i += CHUNK) {
    await trx.insertInto('catalogProcedureVersions').values(versions.slice(i, i + CHUNK)).execute()
  }
}

const VERSION_COLUMNS = [
  'code', 'version', 'name', 'field', 'levels', 'subjects', 'inProvince', 'onlineLevel', 'partialReason', 'partialLegalBasis',
  'agencies', 'content', 'contentHash', 'source', 'changeNote', 'publishedAt', 'duePublishBy', 'createdAt', 'createdBy',
] as const

export async function findHead(db: Conn, code: string) {
  return db.selectFrom('catalogProcedures').select(['code', 'currentVersion', 'inProvince', 'unpublishedAt', 'unpublishedReason']).where('code', '=', code).executeTakeFirst()
}

export async function findVersion(db: Conn, code: string, version: number): Promise<VersionRow | undefined> {
  return db.selectFrom('catalogProcedureVersions').select(VERSION_COLUMNS).where('code', '=', code).where('version', '=', version).executeTakeFirst()
}

/** The version in force at `at`: the last one published at or before it. */
function inForceAt(db: Conn, code: string, at: Date) {
  return db.selectFrom('catalogProcedureVersions').where('code', '=', code).where('publishedAt', '<=', at).orderBy('publishedAt', 'desc').orderBy('version', 'desc').limit(1)
}

export async function findVersionInForce(db: Conn, code: string, at: Date): Promise<VersionRow | undefined> {
  return inForceAt(db, code, at).select(VERSION_COLUMNS).executeTakeFirst()
}

/** findVersionInForce without the content: the (code, version) alone. */
export async function findVersionNumberInForce(db: Conn, code: string, at: Date): Promise<{ code: string; version: number } | undefined> {
  return inForceAt(db, code, at).select(['code', 'version']).executeTakeFirst()
}

export async function listVersions(db: Conn, code: string) {
  return db
    .selectFrom('catalogProcedureVersions')
    .select(['version', 'name', 'onlineLevel', 'publishedAt', 'duePublishBy', 'source', 'changeNote', 'createdBy'])
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute()
}

// ---- search ------------------------------------------------------------------------------

export interface SearchRow {
  code: string
  name: string
  field: string
  levels: Level[]
  subjects: Subject[]
  onlineLevel: OnlineLevel | null
  inProvince: boolean
  currentVersion: number
}

export interface FacetRow {
  dim: 'field' | 'level' | 'agency' | 'subject' | 'online'
  value: string
  n: number
}

/** `ubnd-xa-32002` is served by the commune rule `@ubnd-xa` as well as by its own id. */
export function refsMatching(agency: string): string[] {
  const m = /^(ubnd-xa|ttpvhcc-xa|cong-an-xa)-\d{5}$/.exec(agency)
  return m ? [agency, `@${m[1]}`] : [agency]
}

type Dim = FacetRow['dim']

function filterSql(q: SearchQuery, skip?: Dim) {
  const parts = [sql`true`]
  if (q.field !== undefined && skip !== 'field') parts.push(sql`p.field = ${q.field}`)
  if (q.level !== undefined && skip !== 'level') parts.push(sql`${q.level} = ANY(p.levels)`)
  if (q.subject !== undefined && skip !== 'subject') parts.push(sql`${q.subject} = ANY(p.subjects)`)
  if (q.online !== undefined && skip !== 'online') parts.push(sql`p.online_level = ${q.online}`)
  if (q.agency !== undefined && skip !== 'agency') parts.push(sql`p.agency_refs && ${sql`ARRAY[${sql.join(refsMatching(q.agency))}]::text[]`}`)
  return sql.join(parts, sql` AND `)
}

/** A query word and the catalogue words it stands for (itself, or its corrections). */
export interface QueryWord {
  word: string
  terms: string[]
  corrected: boolean
}

const MAX_WORDS = 8

/**
 * Folds the query in SQL (vn_fold, as the columns are folded) and resolves each word against
 * the catalogue's words: a known word stands for itself; an unknown word of three letters or
 * more stands for its nearest known words by trigram word similarity (`<%`, typos such as
 * "dunh" → "dung"); an unknown word with no near word is left unresolved.
 */
export async function resolveQueryWords(db: Conn, q: string): Promise<{ folded: string; words: QueryWord[]; unresolved: string[] }> {
  const r = await sql<{ i: number; w: string; known: boolean; near: string[]; folded: string }>`
    WITH qw AS (
      SELECT t.w, t.i
      FROM unnest(string_to_array(trim(regexp_replace(vn_fold(${q}), '[^a-z0-9]+', ' ', 'g')), ' ')) WITH ORDINALITY AS t(w, i)
      WHERE t.w <> ''
    )
    SELECT qw.i, qw.w,
      trim(regexp_replace(vn_fold(${q}), '[^a-z0-9]+', ' ', 'g')) AS folded,
      k.known,
      CASE WHEN k.known OR length(qw.w) < 3 THEN ARRAY[]::text[] ELSE ARRAY(
        SELECT c.term FROM catalog_terms c
        WHERE qw.w <% c.term AND length(c.term) <= length(qw.w) + 3
        ORDER BY word_similarity(qw.w, c.term) DESC, abs(length(c.term) - length(qw.w)), c.term
        LIMIT 3
      ) END AS near
    FROM qw, LATERAL (SELECT EXISTS (SELECT 1 FROM catalog_terms c WHERE c.term = qw.w) AS known) k
    ORDER BY qw.i
    LIMIT ${MAX_WORDS}
  `.execute(db)
  const words: QueryWord[] = []
  const unresolved: string[] = []
  for (const row of r.rows) {
    if (row.known || row.w.length < 2) words.push({ word: row.w, terms: [row.w], corrected: false })
    else if (row.near.length) words.push({ word: row.w, terms: row.near, corrected: true })
    else unresolved.push(row.w)
  }
  return { folded: r.rows[0]?.folded ?? '', words, unresolved }
}

type Col = 'name_words' | 'field_words' | 'all_words'
const hitIn = (col: Col, w: QueryWord) => sql`(${sql.ref(`p.${col}`)} && ${sql`ARRAY[${sql.join(w.terms)}]::text[]`})`
const all = (parts: ReturnType<typeof sql>[]) => sql`(${sql.join(parts, sql` AND `)})`

/**
 * Which procedures a query matches, and how they rank. A procedure matches when the resolved
 * words (each itself or one of its corrections) are words of its name, field or document names;
 * when no word resolves, the whole query must be close to a run of words of the name or field
 * (`<%`, ranked by word similarity). Rank: more words in the name, then in name or field, then
 * anywhere (name before field before documents); then more words exactly as typed in the name,
 * the query as a phrase and the earlier the better, then the shorter name ("khai sinh" → "Thủ
 * tục đăng ký khai sinh" before its longer variants).
 */
export function textMatch(r: { folded: string; words: QueryWord[]; unresolved: string[] }, relaxed = false) {
  const { folded, words } = r
  if (!words.length) {
    return {
      where: sql`(${folded} <% p.name_folded OR ${folded} <% p.field_folded)`,
      rank: sql`CASE WHEN ${folded} <% p.name_folded THEN 3 ELSE 2 END DESC, word_similarity(${folded}, p.name_folded) DESC, similarity(${folded}, p.name_folded) DESC, p.code`,
    }
  }
  const anywhere = (w: QueryWord) => hitIn('all_words', w)
  const count = (f: (w: QueryWord) => ReturnType<typeof sql>) => sql`(${sql.join(words.map((w) => sql`(${f(w)})::int`), sql` + `)})`
  // Every word must be found. Relaxed (the caller's second try when nothing matched), one word
  // of three or more may be missing ("xin" in "xin giấy phép xây nhà" is in no permit's name);
  // the first two words cannot both be missing, the necessary condition an index can use.
  const where =
    !relaxed || words.length <= 2
      ? all(words.map(anywhere))
      : sql`((${anywhere(words[0] as QueryWord)} OR ${anywhere(words[1] as QueryWord)}) AND ${count(anywhere)} >= ${words.length - 1})`
  const inName = count((w) => hitIn('name_words', w))
  const inNameOrField = count((w) => sql`(${hitIn('name_words', w)} OR ${hitIn('field_words', w)})`)
  const exact = words.filter((w) => !w.corrected)
  const exactHits = exact.length ? sql`(${sql.join(exact.map((w) => sql`(p.name_words && ${sql`ARRAY[${w.word}]::text[]`})::int`), sql` + `)})` : sql`0`
  const phraseText = ` ${exact.map((w) => w.word).join(' ')} `
  const phrase = exact.length > 1 ? sql`strpos(p.name_folded, ${phraseText})` : sql`0`
  return {
    where,
    // Cheap keys only: the rank is computed for every match before the page is cut.
    // A word nothing resolves ("dugn") still ranks through the similarity of the whole query.
    rank: sql`${inName} DESC, ${inNameOrField} DESC, ${count(anywhere)} DESC, ${exactHits} DESC, ${r.unresolved.length ? sql`word_similarity(${folded}, p.name_folded) DESC,` : sql``} (${phrase} > 0) DESC, nullif(${phrase}, 0) ASC NULLS LAST, length(p.name_folded), p.code`,
  }
}

const RELAX_BELOW = 5

/**
 * Runs a search; call it inside a transaction. For a text query the planner prices `&&` on word
 * arrays and `<%` as cheap and prefers a sequential scan, which compares every procedure's
 * words (three to five times slower on PGlite than the exact GIN lookups); SET LOCAL keeps
 * that hint inside this transaction. Browsing without text keeps the default plan.
 */
export async function searchProcedures(db: Trx, q: SearchQuery): Promise<{ rows: SearchRow[]; total: number; facets: FacetRow[]; words: QueryWord[]; unresolved: string[]; relaxed: boolean }> {
  const text = q.q?.trim() ? q.q.trim() : undefined
  if (text) await sql`SET LOCAL enable_seqscan = off`.execute(db)
  const resolved = text ? await resolveQueryWords(db, text) : undefined
  const strict = await runSearch(db, q, resolved ? textMatch(resolved) : undefined)
  // Few strict matches for a long query: a filler word may be what excludes the right one.
  if (strict.total >= RELAX_BELOW || !resolved || resolved.words.length < 3) return { ...strict, words: resolved?.words ?? [], unresolved: resolved?.unresolved ?? [], relaxed: false }
  const relaxed = await runSearch(db, q, textMatch(resolved, true))
  return { ...relaxed, words: resolved.words, unresolved: resolved.unresolved, relaxed: true }
}

async function runSearch(db: Conn, q: SearchQuery, m: ReturnType<typeof textMatch> | undefined): Promise<{ rows: SearchRow[]; total: number; facets: FacetRow[] }> {
  const base = [sql`p.unpublished_at IS NULL`]
  if (q.scope === 'province') base.push(sql`p.in_province`)
  if (m) base.push(m.where)
  const order = m ? m.rank : sql`p.field, p.name, p.code`
  const offset = (q.page - 1) * q.pageSize

  // One statement: the text match is evaluated once (materialised), then the page, the total
  // and the counts per filter value are read from it. Each dimension is counted with every
  // other filter applied, so a citizen sees how many results choosing that value would give.
  const r = await sql<{ total: number; items: SearchRow[] | null; facets: FacetRow[] | null }>`
    WITH m AS MATERIALIZED (
      SELECT p.code, p.name, p.field, p.levels, p.subjects, p.online_level, p.agency_refs, p.in_province, p.current_version, p.name_folded, p.name_words, p.field_words, p.all_words
      FROM catalog_procedures p
      WHERE ${sql.join(base, sql` AND `)}
    )
    SELECT
      (SELECT count(*)::int FROM m p WHERE ${filterSql(q)}) AS total,
      (SELECT json_agg(x) FROM (
        SELECT p.code, p.name, p.field, p.levels, p.subjects, p.online_level AS "onlineLevel", p.in_province AS "inProvince", p.current_version AS "currentVersion"
        FROM m p WHERE ${filterSql(q)} ORDER BY ${order} LIMIT ${q.pageSize} OFFSET ${offset}
      ) x) AS items,
      (SELECT json_agg(f ORDER BY f.dim, f.n DESC, f.value) FROM (
        SELECT 'field' AS dim, p.field AS value, count(*)::int AS n FROM m p WHERE ${filterSql(q, 'field')} GROUP BY p.field
        UNION ALL
        SELECT 'level', l, count(*)::int FROM m p, unnest(p.levels) l WHERE ${filterSql(q, 'level')} GROUP BY l
        UNION ALL
        SELECT 'subject', s, count(*)::int FROM m p, unnest(p.subjects) s WHERE ${filterSql(q, 'subject')} GROUP BY s
        UNION ALL
        SELECT 'online', p.online_level, count(*)::int FROM m p WHERE p.online_level IS NOT NULL AND ${filterSql(q, 'online')} GROUP BY p.online_level
        UNION ALL
        SELECT 'agency', a, count(*)::int FROM m p, unnest(p.agency_refs) a WHERE ${filterSql(q, 'agency')} GROUP BY a
      ) f) AS facets
  `.execute(db)
  const row = r.rows[0]
  return { rows: row?.items ?? [], total: Number(row?.total ?? 0), facets: row?.facets ?? [] }
}

/** Refreshes the planner's statistics after a bulk write (PGlite runs no autovacuum). */
export async function analyzeCatalog(trx: Trx): Promise<void> {
  await sql`ANALYZE catalog_procedures`.execute(trx)
  await sql`ANALYZE catalog_terms`.execute(trx)
}

/** Adds the words of the given procedures to the dictionary that corrects typos. */
export async function addTerms(trx: Trx, codes: string[]): Promise<void> {
  for (let i = 0; i < codes.length; i += 500) {
    const part = codes.slice(i, i + 500)
    if (!part.length) continue
    await sql`
      INSERT INTO catalog_terms (term)
      SELECT DISTINCT t FROM catalog_procedures p,
        unnest(p.all_words) t
      WHERE p.code = ANY(${part}::text[]) AND length(t) BETWEEN 2 AND 40
      ON CONFLICT (term) DO NOTHING
    `.execute(trx)
  }
}

/** Fields of the procedures in scope, with counts, by name. */
export async function listFields(db: Conn, scope: 'province' | 'national'): Promise<{ field: string; n: number }[]> {
  let query = db
    .selectFrom('catalogProcedures')
    .select((eb) => ['field', eb.fn.countAll<number>().as('n')])
    .where('unpublishedAt', 'is', null)
    .groupBy('field')
    .orderBy('field')
  if (scope === 'province') query = query.where('inProvince', '=', true)
  return (await query.execute()).map((r) => ({ field: r.field, n: Number(r.n) }))
}

/** Procedures of the province an agency handles or receives (commune rules included). */
export async function listByAgency(db: Conn, agency: string): Promise<SearchRow[]> {
  return db
    .selectFrom('catalogProcedures')
    .select(['code', 'name', 'field', 'levels', 'subjects', 'onlineLevel', 'inProvince', 'currentVersion'])
    .where('unpublishedAt', 'is', null)
    .where('inProvince', '=', true)
    .where(sql<boolean>`agency_refs && ${sql`ARRAY[${sql.join(refsMatching(agency))}]::text[]`}`)
    .orderBy('field')
    .orderBy('name')
    .orderBy('code')
    .execute() as Promise<SearchRow[]>
}

/** The labels published for agency references (all, or those given), from current versions. */
export async function listAgencyLabels(db: Conn, refs?: string[]): Promise<Map<string, string>> {
  if (refs && !refs.length) return new Map()
  const only = refs ? sql`WHERE p.agency_refs && ${sql`ARRAY[${sql.join(refs)}]::text[]`}` : sql``
  const rows = await sql<{ ref: string; label: string }>`
    SELECT DISTINCT ON (a->>'ref') a->>'ref' AS ref, a->>'label' AS label
    FROM catalog_procedures p
    JOIN catalog_procedure_versions v ON v.code = p.code AND v.version = p.current_version
    CROSS JOIN jsonb_array_elements(v.agencies) a
    ${only}
    ORDER BY a->>'ref', a->>'label'
  `.execute(db)
  return new Map(rows.rows.map((r) => [r.ref, r.label]))
}
