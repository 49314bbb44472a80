import type { Selectable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { DocumentsTable } from './documents.tables.js'
import './documents.tables.js'

export type DocumentRow = Selectable<DocumentsTable>

export async function insertDocuments(trx: Trx, rows: DocumentRow[]): Promise<void> {
  if (rows.length) await trx.insertInto('documents').values(rows).execute()
}

export async function selectDocuments(db: Db | Trx, ids: readonly string[]): Promise<DocumentRow[]> {
  if (!ids.length) return []
  return db.selectFrom('documents').selectAll().where('id', 'in', [...ids]).orderBy('createdAt').orderBy('id').execute()
}
