import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { canonicalJson } from './dossier.audit.js'
import { DomainError } from '../../shared/errors.js'

export interface StoredResponse {
  statusCode: number
  body: unknown
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('conflict', 'IDEMPOTENCY.KEY_REUSED', 'Khóa Idempotency-Key đã được dùng cho một yêu cầu khác.')
  }
}

/**
 * Runs a mutating call once per (scope, key). The key row is inserted in the same transaction as
 * the change: a concurrent duplicate waits on it and then replays the stored answer; a failed
 * call leaves no key behind. Without a key the call simply runs in a transaction.
 */
export async function runIdempotent(
  db: Db,
  clock: Clock,
  opts: { scope: string; key: string | undefined; request: unknown },
  fn: (trx: Trx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const { key, scope } = opts
  if (!key) return { ...(await inTransaction(db, fn)), replayed: false }
  const requestHash = crypto.createHash('sha256').update(canonicalJson(opts.request)).digest('hex')
  return inTransaction(db, async (trx) => {
    const inserted = await sql<{ key: string }>`
      INSERT INTO idempotency_keys (key, scope, request_hash, status_code, body, created_at)
      VALUES (${key}, ${scope}, ${requestHash}, 0, '{}'::jsonb, ${clock.now()})
      ON CONFLICT (scope, key) DO NOTHING RETURNING key`.execute(trx)
    if (!inserted.rows.length) {
      const prior = await trx.selectFrom('idempotencyKeys').select(['requestHash', 'statusCode', 'body']).where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow()
      if (prior.requestHash !== requestHash) throw new IdempotencyKeyReusedError()
      return { statusCode: prior.statusCode, body: prior.body, replayed: true }
    }
    const res = await fn(trx)
    await trx.updateTable('idempotencyKeys').set({ statusCode: res.statusCode, body: JSON.stringify(res.body) }).where('scope', '=', scope).where('key', '=', key).execute()
    return { ...res, replayed: false }
  })
}
