import type { Readable } from 'node:stream'
import type { Db, Trx } from '../../shared/database.js'
import './documents.tables.js'

/** A blob's bytes as a store returns them: whole, or as a stream from storage outside the database. */
export type BlobBody = Buffer | Readable

/**
 * Where file bytes live, named by their SHA-256 (content-addressed: the same bytes are stored
 * once however many documents refer to them).
 *
 * `put` receives the caller's transaction. A store inside the database writes in it, so bytes and
 * metadata commit or roll back together. A store outside it (a folder, object storage) must write
 * before the commit and be content with a rolled-back upload leaving an unreferenced blob behind
 * (harmless, collectable), so that a committed metadata row never points at missing bytes.
 */
export interface BlobStore {
  readonly name: string
  put(trx: Trx, sha256: string, bytes: Buffer, at: Date): Promise<void>
  get(db: Db | Trx, sha256: string): Promise<BlobBody | undefined>
}

/**
 * The default store: a bytea table in the same database, on PGlite and PostgreSQL alike. One
 * transaction covers bytes, metadata and the dossier event, nothing else needs running or backing
 * up, and the database checks that each blob's name is its hash. Its cost is database size;
 * a deployment with terabytes of scans adds a folder or object-store adapter behind this interface.
 */
export const databaseBlobStore: BlobStore = {
  name: 'database',
  async put(trx, sha256, bytes, at) {
    // Bytes already there are not sent again (a re-attached file costs one index lookup).
    const known = await trx.selectFrom('documentBlobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst()
    if (known) return
    await trx
      .insertInto('documentBlobs')
      .values({ sha256, sizeBytes: bytes.length, bytes, createdAt: at })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute()
  },
  async get(db, sha256) {
    const row = await db.selectFrom('documentBlobs').select('bytes').where('sha256', '=', sha256).executeTakeFirst()
    return row?.bytes
  },
}
