import type { Db, Trx } from '../../shared/database.js'
import './catalog.tables.js'

/** The procedures the province applies (its published list), by name: for pickers such as counter intake. */
export async function listProvinceProcedures(deps: { db: Db | Trx }): Promise<{ code: string; name: string; field: string }[]> {
  return deps.db.selectFrom('catalogProcedures').select(['code', 'name', 'field']).where('inProvince', '=', true).where('unpublishedAt', 'is', null).orderBy('name').orderBy('code').execute()
}
