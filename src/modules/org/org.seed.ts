import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type RawBuilder } from 'kysely'
import { inTransaction, type Db } from '../../shared/database.js'
import { buildAgencies, buildOrgReference, type UnitRow } from './org.reference.js'
import './org.tables.js'

/** Where the copied reference files live (data/org at the repository root; see its README). */
export const ORG_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/org')

/** The province this reference data describes (the only one whose communes are loaded). */
const SEEDED_PROVINCE = '96'

function readReference(dir: string) {
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8')
  const reference = buildOrgReference(
    { provinces: read('provinces.csv'), communes: read('camau_units.csv'), formerCommunes: read('camau_baclieu_units_pre2025.csv') },
    SEEDED_PROVINCE,
  )
  return { ...reference, agencies: buildAgencies(SEEDED_PROVINCE, reference.units) }
}

/** `(t.a, t.b) IS DISTINCT FROM (excluded.a, excluded.b)`: update only rows that changed. */
function changed(table: string, columns: readonly string[]): RawBuilder<boolean> {
  const mine = sql.join(columns.map((c) => sql.ref(`${table}.${c}`)))
  const theirs = sql.join(columns.map((c) => sql.ref(`excluded.${c}`)))
  return sql<boolean>`(${mine}) is distinct from (${theirs})`
}

/** `SET a = excluded.a, …` (typed as fitting any column: the values are the row's own). */
function excludedSet<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as Record<C, RawBuilder<never>>
}

const UNIT_COLUMNS = ['code', 'name', 'type', 'level', 'parentId', 'provinceCode', 'validFrom', 'validTo', 'extra', 'source'] as const
const LINEAGE_COLUMNS = ['portion', 'effectiveOn', 'source'] as const
const AGENCY_COLUMNS = ['code', 'name', 'shortName', 'kind', 'level', 'unitId', 'parentId', 'validFrom', 'validTo', 'source'] as const

/**
 * Loads the organisation reference data (data/org) on every start: provinces, the province's
 * current communes, its former provinces, districts and communes with their successors, and
 * its agencies. Idempotent: rows are upserted by id and rewritten only when the data changed,
 * all in one transaction with one statement per table. Throws ReferenceDataError, writing
 * nothing, when the files contradict each other.
 */
export async function seedOrganisation(db: Db, dataDir: string = ORG_DATA_DIR): Promise<void> {
  const { units, lineage, agencies } = readReference(dataDir)
  await inTransaction(db, async (trx) => {
    // Foreign keys (parent_id) are checked at the end of each statement, so one statement per
    // table suffices whatever the order of its rows.
    await trx
      .insertInto('adminUnits')
      .values(units.map((u: UnitRow) => ({ ...u, extra: JSON.stringify(u.extra) })))
      .onConflict((oc) => oc.column('id').doUpdateSet(excludedSet(UNIT_COLUMNS)).where(changed('adminUnits', UNIT_COLUMNS)))
      .execute()
    await trx
      .insertInto('adminUnitLineage')
      .values(lineage)
      .onConflict((oc) => oc.columns(['predecessorId', 'successorId']).doUpdateSet(excludedSet(LINEAGE_COLUMNS)).where(changed('adminUnitLineage', LINEAGE_COLUMNS)))
      .execute()
    await trx
      .insertInto('agencies')
      .values(agencies)
      .onConflict((oc) => oc.column('id').doUpdateSet(excludedSet(AGENCY_COLUMNS)).where(changed('agencies', AGENCY_COLUMNS)))
      .execute()
  })
}
