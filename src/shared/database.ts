import { AsyncLocalStorage } from 'node:async_hooks'
import type { Kysely, Transaction } from 'kysely'

/**
 * The database schema as Kysely sees it. Empty here: each module adds its own tables by
 * declaration merging in its `<module>.tables.ts`, so a module owns its tables' types.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>
export type Trx = Transaction<Database>

/**
 * Put first in a statement's text to have it prepared: each connection parses and plans it once,
 * then only binds values (src/app/db.ts). For hot statements whose text takes a few shapes only:
 * every distinct text stays prepared on every connection for the connection's life.
 */
export const PREPARE = '/*prepare*/ '

/** Thrown when code inside a transaction reaches for the outer connection. */
export class OuterConnectionInTransactionError extends Error {
  readonly code = 'DB.OUTER_CONNECTION_IN_TRANSACTION'
  constructor() {
    super(
      'A query used the outer database handle inside a transaction; use the transaction handle (trx). ' +
        'On the embedded database this would hang forever.',
    )
    this.name = 'OuterConnectionInTransactionError'
  }
}

/** Marks the async context of a transaction callback; the guarded driver reads it. */
export const transactionScope = new AsyncLocalStorage<{ readonly inTransaction: true }>()

/**
 * Runs `fn` in a transaction. Inside `fn`, any query on the outer `db` fails at once with
 * OuterConnectionInTransactionError (instead of hanging on PGlite's single connection or
 * silently running outside the transaction on PostgreSQL).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  if (transactionScope.getStore()) throw new OuterConnectionInTransactionError()
  return db.transaction().execute((trx) => transactionScope.run({ inTransaction: true }, () => fn(trx)))
}
