import { sql } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { Level, OnlineLevel, Subject } from './catalog.schemas.js'
import './catalog.tables.js'

type Conn = Db | Trx

// The SQL of the catalogue search. Matching, ranking and counting run over an in-memory index
// of the published catalogue (catalog.search.index.ts), read here once per catalogue revision;
// the database folds the query (vn_fold, as the indexed columns are folded), corrects typos
// against its dictionary of words, and tells every process the revision with each search.

/** The revision of the catalogue: changes whenever a transaction that wrote it commits. */
export async function readRevision(db: Conn): Promise<string> {
  const r = await sql<{ revision: string }>`SELECT revision FROM catalog_revision`.execute(db)
  return r.rows[0]?.revision ?? ''
}

/** The query folded as the catalogue's words are (lower case, no accents, words of [a-z0-9] separated by single spaces), with the revision. */
export async function foldQuery(db: Conn, q: string): Promise<{ revision: string; folded: string }> {
  const r = await sql<{ revision: string; folded: string }>`
    SELECT (SELECT revision FROM catalog_revision) AS revision, trim(regexp_replace(vn_fold(${q}), '[^a-z0-9]+', ' ', 'g')) AS folded
  `.execute(db)
  return { revision: r.rows[0]?.revision ?? '', folded: r.rows[0]?.folded ?? '' }
}

/**
 * The nearest words of the catalogue's dictionary to each of `words` (none of which is in it),
 * by trigram word similarity (`<%`, typos such as "dunh" → "dung"): up to three, no more than
 * three letters longer, the most similar first.
 */
export async function nearTerms(db: Conn, words: string[]): Promise<Map<string, string[]>> {
  if (!words.length) return new Map()
  const r = await sql<{ w: string; near: string[] }>`
    SELECT q.w, ARRAY(
      SELECT c.term FROM catalog_terms c
      WHERE q.w <% c.term AND length(c.term) <= length(q.w) + 3
      ORDER BY word_similarity(q.w, c.term) DESC, abs(length(c.term) - length(q.w)), c.term
      LIMIT 3
    ) AS near
    FROM unnest(${words}::text[]) AS q(w)
  `.execute(db)
  return new Map(r.rows.map((x) => [x.w, x.near]))
}

/** A published procedure as the index holds it (a JSON array, to read thousands of rows as one value). */
export type IndexRow = [
  code: string,
  name: string,
  field: string,
  levels: Level[],
  subjects: Subject[],
  onlineLevel: OnlineLevel | null,
  inProvince: boolean,
  currentVersion: number,
  agencyRefs: string[],
  nameFolded: string,
  fieldFolded: string,
  allWords: string,
  codeRank: number,
]

export interface IndexRows {
  revision: string
  /** In browsing order (field, name, code in the database's collation). */
  procedures: IndexRow[]
  /** The dictionary that typo correction draws from. */
  terms: string[]
  /** Every agency reference, in the database's collation. */
  refs: string[]
}

/**
 * Everything the search index is built from, with the revision, in one statement (one snapshot).
 * Orders that depend on collation (browsing, codes, fields, agencies) come from the database.
 */
export async function readIndexRows(db: Conn): Promise<IndexRows> {
  const r = await sql<{ revision: string; procedures: IndexRow[] | null; terms: string[] | null; refs: string[] | null }>`
    SELECT
      (SELECT revision FROM catalog_revision) AS revision,
      (SELECT json_agg(json_build_array(p.code, p.name, p.field, p.levels, p.subjects, p.online_level, p.in_province, p.current_version,
          p.agency_refs, p.name_folded, p.field_folded, array_to_string(p.all_words, ' '), p.code_rank) ORDER BY p.field, p.name, p.code)
        FROM (SELECT p.*, row_number() OVER (ORDER BY p.code) AS code_rank FROM catalog_procedures p WHERE p.unpublished_at IS NULL) p
      ) AS procedures,
      (SELECT json_agg(t.term) FROM catalog_terms t) AS terms,
      (SELECT json_agg(r.a ORDER BY r.a) FROM (SELECT DISTINCT unnest(p.agency_refs) AS a FROM catalog_procedures p WHERE p.unpublished_at IS NULL) r) AS refs
  `.execute(db)
  const row = r.rows[0]
  return { revision: row?.revision ?? '', procedures: row?.procedures ?? [], terms: row?.terms ?? [], refs: row?.refs ?? [] }
}

/**
 * For a query none of whose words is a catalogue word: the procedures whose name or field holds
 * a run of words close to the whole query (`<%`), with their rank keys (close to the name first,
 * then by word similarity and similarity to the name). Call inside a transaction that prefers
 * the trigram indexes (`preferIndexes`).
 */
export async function similarProcedures(trx: Trx, folded: string, provinceOnly: boolean): Promise<{ code: string; inName: number; wordSimilarity: number; similarity: number }[]> {
  const r = await sql<{ code: string; inName: number; wordSimilarity: number; similarity: number }>`
    SELECT p.code, (${folded} <% p.name_folded)::int AS in_name, word_similarity(${folded}, p.name_folded) AS word_similarity, similarity(${folded}, p.name_folded) AS similarity
    FROM catalog_procedures p
    WHERE p.unpublished_at IS NULL ${provinceOnly ? sql`AND p.in_province` : sql``} AND (${folded} <% p.name_folded OR ${folded} <% p.field_folded)
  `.execute(trx)
  return r.rows
}

/** Word similarity of the whole query to the names of the given procedures (ranks matches when a word of the query resolves to nothing). */
export async function nameSimilarities(db: Conn, folded: string, codes: string[]): Promise<Map<string, number>> {
  if (!codes.length) return new Map()
  const r = await sql<{ code: string; s: number }>`
    SELECT p.code, word_similarity(${folded}, p.name_folded) AS s FROM catalog_procedures p WHERE p.code = ANY(${codes}::text[])
  `.execute(db)
  return new Map(r.rows.map((x) => [x.code, x.s]))
}

/**
 * The planner prices `<%` as cheap and prefers a sequential scan, which computes the similarity
 * of every procedure; this keeps the trigram indexes preferred inside the caller's transaction.
 * With sequential scans priced out, a plan that keeps one (a one-row table) costs enough to wake
 * PostgreSQL's JIT compiler, which spends far more than the query: off as well.
 */
export async function preferIndexes(trx: Trx): Promise<void> {
  await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx)
}
