import type { Db, Trx } from '../../shared/database.js'
import './org.tables.js'

export interface Agency {
  id: string
  code: string
  name: string
  shortName: string | null
  kind: string
  level: 'province' | 'commune'
  unitId: string | null
  parentId: string | null
  validFrom: string | null
  validTo: string | null
}

const AGENCY_COLUMNS = ['id', 'code', 'name', 'shortName', 'kind', 'level', 'unitId', 'parentId', 'validFrom', 'validTo'] as const

export async function findAgencyById(db: Db | Trx, id: string): Promise<Agency | undefined> {
  return db.selectFrom('agencies').select(AGENCY_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function findAgencyByCode(db: Db | Trx, code: string): Promise<Agency | undefined> {
  return db.selectFrom('agencies').select(AGENCY_COLUMNS).where('code', '=', code).executeTakeFirst()
}

/** All agencies valid now (no end date), ordered by level then code. */
export async function listAgencies(db: Db | Trx): Promise<Agency[]> {
  return db.selectFrom('agencies').select(AGENCY_COLUMNS).where('validTo', 'is', null).orderBy('level', 'desc').orderBy('code').execute()
}
