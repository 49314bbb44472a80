import { sql, type Insertable, type Selectable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { Level, OnlineLevel, Subject } from './catalog.schemas.js'
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

/**
 * After a bulk write (PGlite runs no autovacuum): merges the GIN indexes' pending lists, where
 * new entries wait and which every lookup in those indexes (typo correction, an agency's
 * procedures) reads through entry by entry, and refreshes the planner's statistics.
 */
export async function analyzeCatalog(trx: Trx): Promise<void> {
  await mergeGinPendingLists(trx)
  await sql`ANALYZE catalog_procedures`.execute(trx)
  await sql`ANALYZE catalog_terms`.execute(trx)
}

/** Moves the entries waiting in the pending lists of the catalogue's GIN indexes into the indexes. */
async function mergeGinPendingLists(db: Conn): Promise<void> {
  await sql`
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    WHERE am.amname = 'gin' AND i.indrelid IN ('catalog_procedures'::regclass, 'catalog_terms'::regclass)
  `.execute(db)
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
