import { sql, type RawBuilder, type Selectable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { AdminUnitsTable, AgenciesTable, AgencyKind, AgencyLevel, LineagePortion, UnitLevel, UnitType } from './org.tables.js'
import './org.tables.js'

// The only code that touches the org tables. `at` is a date 'YYYY-MM-DD' choosing the era;
// undefined means "current": rows without an end date.

/** An agency as other modules see it. */
export type Agency = Omit<Selectable<AgenciesTable>, 'source' | 'nameFolded'>

/** An administrative unit with its parent's code and name. */
export type AdminUnit = Omit<Selectable<AdminUnitsTable>, 'extra' | 'source'> & { parentCode: string | null; parentName: string | null }

/** A unit on the other side of a lineage link. */
export type LinkedUnit = AdminUnit & { portion: LineagePortion; effectiveOn: string }

type Conn = Db | Trx

/** Rows of `alias` valid on `at` (or without an end date when `at` is undefined). */
function validOn(alias: string, at: string | undefined): RawBuilder<boolean> {
  const from = sql.ref(`${alias}.validFrom`)
  const to = sql.ref(`${alias}.validTo`)
  if (at === undefined) return sql<boolean>`${to} is null`
  return sql<boolean>`(${from} is null or ${from} <= ${at}::date) and (${to} is null or ${to} >= ${at}::date)`
}

/** `%text%` for LIKE, with LIKE's own wildcards escaped; folded the same way as name_folded. */
function foldedContains(text: string): RawBuilder<string> {
  return sql<string>`'%' || vn_fold(${text.replace(/[\\%_]/g, '\\$&')}) || '%'`
}

const UNIT_COLUMNS = ['u.id', 'u.code', 'u.name', 'u.type', 'u.level', 'u.parentId', 'p.code as parentCode', 'p.name as parentName', 'u.provinceCode', 'u.validFrom', 'u.validTo', 'u.nameFolded'] as const

function unitQuery(db: Conn) {
  return db
    .selectFrom('adminUnits as u')
    .leftJoin('adminUnits as p', 'p.id', 'u.parentId')
    .select(UNIT_COLUMNS)
}

export interface UnitFilter {
  at: string | undefined
  parentId?: string | undefined
  level?: UnitLevel | undefined
  type?: UnitType | undefined
  /** Accent-insensitive part of the name, or the start of the code. */
  q?: string | undefined
}

function filterUnits(db: Conn, f: UnitFilter) {
  let q = db.selectFrom('adminUnits as u').where(validOn('u', f.at))
  if (f.parentId !== undefined) q = q.where('u.parentId', '=', f.parentId)
  if (f.level) q = q.where('u.level', '=', f.level)
  if (f.type) q = q.where('u.type', '=', f.type)
  const text = f.q
  if (text) {
    q = q.where((eb) =>
      eb.or([eb('u.nameFolded', 'like', foldedContains(text)), ...(/^\d+$/.test(text) ? [eb('u.code', 'like', `${text}%`)] : [])]),
    )
  }
  return q
}

/** One page of units matching the filter, best name matches first, then by code; and the total. */
export async function selectUnits(db: Conn, f: UnitFilter, page: { limit: number; offset: number }): Promise<{ items: AdminUnit[]; total: number }> {
  const base = filterUnits(db, f)
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  let q = base
    .leftJoin('adminUnits as p', 'p.id', 'u.parentId')
    .select(UNIT_COLUMNS)
  if (f.q) {
    const folded = sql`vn_fold(${f.q})`
    q = q.orderBy(sql`${sql.ref('u.nameFolded')} = ${folded}`, 'desc').orderBy(sql`similarity(${sql.ref('u.nameFolded')}, ${folded})`, 'desc')
  }
  const items = await q.orderBy('u.code').orderBy('u.level').limit(page.limit).offset(page.offset).execute()
  return { items, total: Number(total.n) }
}

/** The unit with `code` valid on `at` (current when undefined). */
export async function findUnitByCode(db: Conn, code: string, at?: string): Promise<AdminUnit | undefined> {
  return unitQuery(db).where('u.code', '=', code).where(validOn('u', at)).orderBy('u.level').orderBy('u.id').executeTakeFirst()
}

/** The current commune-level units of a province (by its code), ordered by code. */
export async function listCurrentCommunes(db: Conn, provinceCode = '96'): Promise<AdminUnit[]> {
  return unitQuery(db).where('u.level', '=', 'commune').where('p.code', '=', provinceCode).where('p.level', '=', 'province').where(validOn('p', undefined)).where(validOn('u', undefined)).orderBy('u.code').execute()
}

/** Every unit that ever had `code`, newest era first. */
export async function selectUnitsByCode(db: Conn, code: string): Promise<AdminUnit[]> {
  return unitQuery(db).where('u.code', '=', code).orderBy(sql`${sql.ref('u.validTo')} desc nulls first`).orderBy('u.level').orderBy('u.id').execute()
}

export async function findUnitById(db: Conn, id: string): Promise<AdminUnit | undefined> {
  return unitQuery(db).where('u.id', '=', id).executeTakeFirst()
}

/** Units that took over from `unitId` (successors) or that it took over from (predecessors). */
export async function selectLinkedUnits(db: Conn, unitId: string, direction: 'successors' | 'predecessors'): Promise<LinkedUnit[]> {
  const [mine, theirs] = direction === 'successors' ? (['l.predecessorId', 'l.successorId'] as const) : (['l.successorId', 'l.predecessorId'] as const)
  return db
    .selectFrom('adminUnitLineage as l')
    .innerJoin('adminUnits as u', 'u.id', theirs)
    .leftJoin('adminUnits as p', 'p.id', 'u.parentId')
    .select([...UNIT_COLUMNS, 'l.portion', 'l.effectiveOn'])
    .where(mine, '=', unitId)
    .orderBy('u.code')
    .orderBy('u.id')
    .execute()
}

/** The units a unit (by id, e.g. 'h-32023') went into, each whole or part. */
export const findSuccessors = (db: Conn, unitId: string) => selectLinkedUnits(db, unitId, 'successors')
/** The units a unit (by id, e.g. 'c96-32002') was formed from, each whole or part. */
export const findPredecessors = (db: Conn, unitId: string) => selectLinkedUnits(db, unitId, 'predecessors')

/** Successor links of many units at once (for the address mapper), ordered by code. */
export async function selectSuccessorsOf(db: Conn, unitIds: string[]): Promise<(LinkedUnit & { predecessorId: string })[]> {
  if (!unitIds.length) return []
  return db
    .selectFrom('adminUnitLineage as l')
    .innerJoin('adminUnits as u', 'u.id', 'l.successorId')
    .leftJoin('adminUnits as p', 'p.id', 'u.parentId')
    .select(['l.predecessorId', ...UNIT_COLUMNS, 'l.portion', 'l.effectiveOn'])
    .where('l.predecessorId', 'in', unitIds)
    .orderBy('l.predecessorId')
    .orderBy('u.code')
    .execute()
}

/**
 * Candidates for one part of an address: units of `level` valid on `at`, under one of
 * `parentIds` (or under a unit whose parent is one of `grandparentIds`), whose code is `code`
 * or whose folded name contains `nameContains`. The caller decides which names really match.
 */
export async function selectAddressCandidates(
  db: Conn,
  c: { level: UnitLevel; at: string; code?: string; nameContains?: string; parentIds?: string[]; grandparentIds?: string[] },
): Promise<AdminUnit[]> {
  let q = unitQuery(db).where('u.level', '=', c.level).where(validOn('u', c.at))
  if (c.code !== undefined) q = q.where('u.code', '=', c.code)
  const text = c.nameContains
  if (text !== undefined) q = q.where('u.nameFolded', 'like', foldedContains(text))
  if (c.parentIds) q = c.parentIds.length ? q.where('u.parentId', 'in', c.parentIds) : q.where(sql<boolean>`false`)
  if (c.grandparentIds) q = c.grandparentIds.length ? q.where('p.parentId', 'in', c.grandparentIds) : q.where(sql<boolean>`false`)
  return q.orderBy('u.code').orderBy('u.id').limit(500).execute()
}

/** Folds texts exactly as the name_folded columns are folded (vn_fold in the database). */
export async function foldTexts(db: Conn, texts: string[]): Promise<string[]> {
  if (!texts.length) return []
  const row = await sql<{ f: string[] }>`select array[${sql.join(texts.map((t) => sql`vn_fold(${t})`))}] as f`.execute(db)
  return row.rows[0]?.f ?? []
}

// --- agencies ------------------------------------------------------------------------------

const AGENCY_COLUMNS = ['a.id', 'a.code', 'a.name', 'a.shortName', 'a.kind', 'a.level', 'a.unitId', 'a.parentId', 'a.validFrom', 'a.validTo'] as const

export async function findAgencyById(db: Conn, id: string): Promise<Agency | undefined> {
  return db.selectFrom('agencies as a').select(AGENCY_COLUMNS).where('a.id', '=', id).executeTakeFirst()
}

export async function findAgencyByCode(db: Conn, code: string): Promise<Agency | undefined> {
  return db.selectFrom('agencies as a').select(AGENCY_COLUMNS).where('a.code', '=', code).executeTakeFirst()
}

/** All agencies valid now (no end date), provincial first, then by code. */
export async function listAgencies(db: Conn): Promise<Agency[]> {
  return db.selectFrom('agencies as a').select(AGENCY_COLUMNS).where('a.validTo', 'is', null).orderBy('a.level', 'desc').orderBy('a.code').execute()
}

/** An agency with the code and name of its unit. */
export type AgencyWithUnit = Agency & { unitCode: string | null; unitName: string | null }

export interface AgencyFilter {
  at: string | undefined
  q?: string | undefined
  level?: AgencyLevel | undefined
  kind?: AgencyKind | undefined
  parentId?: string | undefined
  unitId?: string | undefined
}

/** One page of agencies matching the filter (provincial first, then by code), and the total. */
export async function selectAgencies(db: Conn, f: AgencyFilter, page: { limit: number; offset: number }): Promise<{ items: AgencyWithUnit[]; total: number }> {
  let base = db.selectFrom('agencies as a').where(validOn('a', f.at))
  if (f.level) base = base.where('a.level', '=', f.level)
  if (f.kind) base = base.where('a.kind', '=', f.kind)
  if (f.parentId !== undefined) base = base.where('a.parentId', '=', f.parentId)
  if (f.unitId !== undefined) base = base.where('a.unitId', '=', f.unitId)
  const text = f.q
  if (text) base = base.where((eb) => eb.or([eb('a.nameFolded', 'like', foldedContains(text)), eb('a.code', '=', text.toUpperCase())]))
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const items = await base
    .leftJoin('adminUnits as u', 'u.id', 'a.unitId')
    .select([...AGENCY_COLUMNS, 'u.code as unitCode', 'u.name as unitName'])
    .orderBy('a.level', 'desc')
    .orderBy('a.code')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return { items, total: Number(total.n) }
}

export async function findAgencyWithUnit(db: Conn, id: string): Promise<AgencyWithUnit | undefined> {
  return db
    .selectFrom('agencies as a')
    .leftJoin('adminUnits as u', 'u.id', 'a.unitId')
    .select([...AGENCY_COLUMNS, 'u.code as unitCode', 'u.name as unitName'])
    .where('a.id', '=', id)
    .executeTakeFirst()
}
