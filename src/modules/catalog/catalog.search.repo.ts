import { sql, type RawBuilder } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import { refsMatching, type FacetRow, type SearchRow } from './catalog.repo.js'
import { LEVELS, ONLINE_LEVELS, SUBJECTS, type SearchQuery } from './catalog.schemas.js'
import './catalog.tables.js'

type Conn = Db | Trx
type Sql = RawBuilder<unknown>
type Dim = FacetRow['dim']

/** The filters of a query, all of them or all but one dimension's (its counts ignore its own filter). */
function filterSql(q: SearchQuery, skip?: Dim): Sql {
  const parts = [sql`true`]
  if (q.field !== undefined && skip !== 'field') parts.push(sql`p.field = ${q.field}`)
  if (q.level !== undefined && skip !== 'level') parts.push(sql`${q.level} = ANY(p.levels)`)
  if (q.subject !== undefined && skip !== 'subject') parts.push(sql`${q.subject} = ANY(p.subjects)`)
  if (q.online !== undefined && skip !== 'online') parts.push(sql`p.online_level = ${q.online}`)
  if (q.agency !== undefined && skip !== 'agency') parts.push(sql`p.agency_refs && ${sql`ARRAY[${sql.join(refsMatching(q.agency))}]::text[]`}`)
  return sql.join(parts, sql` AND `)
}

/** The revision of the catalogue: changes whenever a transaction that wrote it commits. */
export async function readRevision(db: Conn): Promise<string> {
  const r = await sql<{ revision: string }>`SELECT revision FROM catalog_revision`.execute(db)
  return r.rows[0]?.revision ?? ''
}

/** A query word and the catalogue words it stands for (itself, or its corrections). */
export interface QueryWord {
  word: string
  terms: string[]
  corrected: boolean
}

export interface ResolvedQuery {
  folded: string
  words: QueryWord[]
  unresolved: string[]
}

const MAX_WORDS = 8

/**
 * Folds the query in SQL (vn_fold, as the columns are folded) and resolves each word against
 * the catalogue's words: a known word stands for itself; an unknown word of three letters or
 * more stands for its nearest known words by trigram word similarity (`<%`, typos such as
 * "dunh" → "dung"); an unknown word with no near word is left unresolved. Reads the
 * catalogue revision in the same statement.
 */
export async function resolveQueryWords(db: Conn, q: string): Promise<ResolvedQuery & { revision: string }> {
  // One row whatever the query: the revision is read even when no word is left.
  const r = await sql<{ folded: string; revision: string; words: { w: string; known: boolean; near: string[] }[] | null }>`
    WITH f AS (SELECT trim(regexp_replace(vn_fold(${q}), '[^a-z0-9]+', ' ', 'g')) AS folded),
    qw AS (
      SELECT t.w, t.i
      FROM f, unnest(string_to_array(f.folded, ' ')) WITH ORDINALITY AS t(w, i)
      WHERE t.w <> ''
      ORDER BY t.i
      LIMIT ${MAX_WORDS}
    )
    SELECT f.folded, (SELECT revision FROM catalog_revision) AS revision,
      (SELECT json_agg(json_build_object('w', qw.w, 'known', k.known, 'near',
        CASE WHEN k.known OR length(qw.w) < 3 THEN ARRAY[]::text[] ELSE ARRAY(
          SELECT c.term FROM catalog_terms c
          WHERE qw.w <% c.term AND length(c.term) <= length(qw.w) + 3
          ORDER BY word_similarity(qw.w, c.term) DESC, abs(length(c.term) - length(qw.w)), c.term
          LIMIT 3
        ) END) ORDER BY qw.i)
       FROM qw, LATERAL (SELECT EXISTS (SELECT 1 FROM catalog_terms c WHERE c.term = qw.w) AS known) k
      ) AS words
    FROM f
  `.execute(db)
  const row = r.rows[0]
  const words: QueryWord[] = []
  const unresolved: string[] = []
  for (const { w, known, near } of row?.words ?? []) {
    if (known || w.length < 2) words.push({ word: w, terms: [w], corrected: false })
    else if (near.length) words.push({ word: w, terms: near, corrected: true })
    else unresolved.push(w)
  }
  return { folded: row?.folded ?? '', words, unresolved, revision: row?.revision ?? '' }
}

/** The word is one of the procedure's words (name, field, documents): an exact lookup in the word index. */
const anywhere = (w: QueryWord) => sql`(p.all_words && ${sql`ARRAY[${sql.join(w.terms)}]::text[]`})`

/**
 * The word is one of the words of the name (or field). The folded text holds its words between
 * single spaces, so this is a substring test: for ranking, where it runs on every match, several
 * times cheaper than taking the word arrays apart (and equivalent: words are [a-z0-9]+).
 */
const inText = (col: 'name_folded' | 'field_folded', terms: string[]) =>
  sql`(${sql.join(
    terms.map((t) => sql`strpos(${sql.ref(`p.${col}`)}, ${` ${t} `}) > 0`),
    sql` OR `,
  )})`

/** How a text query selects and orders procedures: a condition, rank keys computed once per match, and the order over them. */
export interface TextMatch {
  where: Sql
  keys: Sql
  order: Sql
}

/**
 * Which procedures a query matches, and how they rank. A procedure matches when the resolved
 * words (each itself or one of its corrections) are words of its name, field or document names;
 * when no word resolves, the whole query must be close to a run of words of the name or field
 * (`<%`, ranked by word similarity). Rank: more words in the name, then in name or field, then
 * anywhere (name before field before documents); then more words exactly as typed in the name,
 * the query as a phrase and the earlier the better, then the shorter name ("khai sinh" → "Thủ
 * tục đăng ký khai sinh" before its longer variants).
 */
export function textMatch(r: ResolvedQuery, relaxed = false): TextMatch {
  const { folded, words } = r
  if (!words.length) {
    return {
      where: sql`(${folded} <% p.name_folded OR ${folded} <% p.field_folded)`,
      keys: sql`(${folded} <% p.name_folded)::int AS r1, word_similarity(${folded}, p.name_folded) AS r2, similarity(${folded}, p.name_folded) AS r3`,
      order: sql`p.r1 DESC, p.r2 DESC, p.r3 DESC, p.code`,
    }
  }
  const count = (f: (w: QueryWord) => Sql) => sql`(${sql.join(words.map((w) => sql`(${f(w)})::int`), sql` + `)})`
  const every = (ws: QueryWord[]) => sql`(${sql.join(ws.map(anywhere), sql` AND `)})`
  // Every word must be found. Relaxed (the caller's second try when nothing matched), one word
  // of three or more may be missing ("xin" in "xin giấy phép xây nhà" is in no permit's name):
  // all words but the first, or all but the second, ... each an exact lookup in the word index.
  const relax = relaxed && words.length > 2
  const where = relax ? sql`(${sql.join(words.map((_, i) => every(words.filter((__, j) => j !== i))), sql` OR `)})` : every(words)
  const exact = words.filter((w) => !w.corrected)
  const exactHits = exact.length ? sql`(${sql.join(exact.map((w) => sql`(${inText('name_folded', [w.word])})::int`), sql` + `)})` : sql`0`
  const phrase = exact.length > 1 ? sql`strpos(p.name_folded, ${` ${exact.map((w) => w.word).join(' ')} `})` : sql`0`
  // A word nothing resolves ("dugn") still ranks through the similarity of the whole query.
  const similar = r.unresolved.length ? sql`word_similarity(${folded}, p.name_folded)` : sql`0`
  return {
    where,
    // Cheap keys only: they are computed for every match before the page is cut. How many words
    // are found anywhere needs the long word arrays and tells matches apart only when relaxed.
    keys: sql`${count((w) => inText('name_folded', w.terms))} AS r1,
      ${count((w) => sql`(${inText('name_folded', w.terms)} OR ${inText('field_folded', w.terms)})`)} AS r2,
      ${relax ? count(anywhere) : sql`0`} AS r3,
      ${exactHits} AS r4,
      ${similar} AS r5,
      ${phrase} AS r6,
      length(p.name_folded) AS r7`,
    order: sql`p.r1 DESC, p.r2 DESC, p.r3 DESC, p.r4 DESC, p.r5 DESC, (p.r6 > 0) DESC, nullif(p.r6, 0) ASC NULLS LAST, p.r7, p.code`,
  }
}

export interface SearchPage {
  rows: SearchRow[]
  total: number
}

export interface SearchCounts {
  total: number
  facets: FacetRow[]
}

const baseSql = (q: SearchQuery) => sql.join([sql`p.unpublished_at IS NULL`, ...(q.scope === 'province' ? [sql`p.in_province`] : [])], sql` AND `)
const pageOf = (q: SearchQuery) => sql`LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`
const ITEM_JSON = sql`json_build_object('code', p.code, 'name', p.name, 'field', p.field, 'levels', p.levels, 'subjects', p.subjects,
  'onlineLevel', p.online_level, 'inProvince', p.in_province, 'currentVersion', p.current_version)`

/**
 * Counts per filter value over the rows of `m` (aliased p), each dimension with every other
 * filter applied, so a citizen sees how many results choosing that value would give. One pass
 * with a count per value of the closed dimensions (levels, subjects, online level), one
 * grouping per open one (field, agency): no unnesting of every row's arrays.
 */
function countsSql(q: SearchQuery, m: Sql): Sql {
  const closed = [
    sql`count(*) FILTER (WHERE ${filterSql(q)})`,
    ...LEVELS.map((v) => sql`count(*) FILTER (WHERE ${v} = ANY(p.levels) AND ${filterSql(q, 'level')})`),
    ...SUBJECTS.map((v) => sql`count(*) FILTER (WHERE ${v} = ANY(p.subjects) AND ${filterSql(q, 'subject')})`),
    ...ONLINE_LEVELS.map((v) => sql`count(*) FILTER (WHERE p.online_level = ${v} AND ${filterSql(q, 'online')})`),
  ]
  return sql`
    (SELECT json_build_array(${sql.join(closed)}) FROM ${m} p) AS counts,
    (SELECT json_agg(json_build_array(f.field, f.n) ORDER BY f.n DESC, f.field) FROM (
      SELECT p.field, count(*)::int AS n FROM ${m} p WHERE ${filterSql(q, 'field')} GROUP BY p.field
    ) f) AS fields,
    (SELECT json_agg(json_build_array(f.a, f.n) ORDER BY f.n DESC, f.a) FROM (
      SELECT a, count(*)::int AS n FROM ${m} p, unnest(p.agency_refs) a WHERE p.agency_refs <> '{}' AND ${filterSql(q, 'agency')} GROUP BY a
    ) f) AS agencies`
}

interface CountsRow {
  counts: number[] | null
  fields: [string, number][] | null
  agencies: [string, number][] | null
}

function toCounts(row: CountsRow | undefined): SearchCounts {
  const [total = 0, ...rest] = row?.counts ?? []
  const facets: FacetRow[] = []
  const closed: [Dim, readonly string[]][] = [
    ['level', LEVELS],
    ['subject', SUBJECTS],
    ['online', ONLINE_LEVELS],
  ]
  let i = 0
  for (const [dim, values] of closed) {
    const found = values.map((value) => ({ dim, value, n: rest[i++] ?? 0 })).filter((f) => f.n > 0)
    facets.push(...found.sort((a, b) => b.n - a.n || (a.value < b.value ? -1 : 1)))
  }
  for (const [value, n] of row?.fields ?? []) facets.push({ dim: 'field', value, n })
  for (const [value, n] of row?.agencies ?? []) facets.push({ dim: 'agency', value, n })
  return { total, facets }
}

/**
 * A text search, in one statement: the matches are read once through the word indexes with
 * their rank keys (materialised), then the page, the total and the counts per filter value
 * are read from them. Call inside a transaction that has told the planner to prefer those
 * indexes (see `preferIndexes`).
 */
export async function searchText(db: Trx, q: SearchQuery, m: TextMatch): Promise<SearchPage & SearchCounts> {
  const r = await sql<CountsRow & { items: SearchRow[] | null }>`
    WITH m AS MATERIALIZED (
      SELECT p.code, p.name, p.field, p.levels, p.subjects, p.online_level, p.in_province, p.current_version, p.agency_refs, ${m.keys}
      FROM catalog_procedures p
      WHERE ${baseSql(q)} AND ${m.where}
    )
    SELECT
      (SELECT json_agg(${ITEM_JSON} ORDER BY ${m.order}) FROM (
        SELECT * FROM m p WHERE ${filterSql(q)} ORDER BY ${m.order} ${pageOf(q)}
      ) p) AS items,
      ${countsSql(q, sql`m`)}
  `.execute(db)
  const row = r.rows[0]
  return { rows: row?.items ?? [], ...toCounts(row) }
}

/**
 * For a text query the planner prices `&&` on word arrays and `<%` as cheap and prefers a
 * sequential scan, which compares every procedure's words (three to five times slower on
 * PGlite than the exact GIN lookups); this keeps that hint inside the caller's transaction.
 */
export async function preferIndexes(trx: Trx): Promise<void> {
  // With sequential scans priced out, any plan that keeps one (a one-row table) costs enough
  // to wake PostgreSQL's JIT compiler, which spends far more than the query: off as well.
  await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx)
}

/** A page of the catalogue without text, by field then name, and the revision read with it. */
export async function browsePage(db: Conn, q: SearchQuery): Promise<{ rows: SearchRow[]; revision: string }> {
  const r = await sql<{ items: SearchRow[] | null; revision: string }>`
    SELECT
      (SELECT json_agg(${ITEM_JSON} ORDER BY p.field, p.name, p.code) FROM (
        SELECT p.code, p.name, p.field, p.levels, p.subjects, p.online_level, p.in_province, p.current_version
        FROM catalog_procedures p
        WHERE ${baseSql(q)} AND ${filterSql(q)}
        ORDER BY p.field, p.name, p.code ${pageOf(q)}
      ) p) AS items,
      (SELECT revision FROM catalog_revision) AS revision
  `.execute(db)
  return { rows: r.rows[0]?.items ?? [], revision: r.rows[0]?.revision ?? '' }
}

/** Total and counts per filter value of the catalogue without text (what browsing caches). */
export async function browseCounts(db: Conn, q: SearchQuery): Promise<SearchCounts> {
  const r = await sql<CountsRow>`
    WITH m AS MATERIALIZED (
      SELECT p.field, p.levels, p.subjects, p.online_level, p.agency_refs FROM catalog_procedures p WHERE ${baseSql(q)}
    )
    SELECT ${countsSql(q, sql`m`)}
  `.execute(db)
  return toCounts(r.rows[0])
}
