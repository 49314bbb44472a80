import type { Db, Trx } from '../../shared/database.js'

/** Metadata of the documents a person owns (by identity number) for their own data export; the bytes stay in the store. */
export async function documentsOfOwner(db: Db | Trx, ownerSubject: string) {
  return db
    .selectFrom('documents')
    .select(['id', 'sha256', 'mediaType', 'sizeBytes', 'originalName', 'kind', 'legalCopy', 'scanStatus', 'createdAt'])
    .where('ownerSubject', '=', ownerSubject)
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
}
