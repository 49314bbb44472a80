import { sql } from 'kysely'
import type { Db } from '../../src/shared/database.js'

/**
 * Waits until every outbox event written so far is below the fan-out's horizon: on PostgreSQL a
 * writing transaction open anywhere in the cluster (another test file's database) holds it back.
 */
export async function horizonPassed(db: Db): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const r = await sql<{ ok: boolean }>`SELECT coalesce((SELECT tx_id FROM outbox_events ORDER BY tx_id DESC LIMIT 1) < pg_snapshot_xmin(pg_current_snapshot()), true) AS ok`.execute(db)
    if (r.rows[0]!.ok) return
    await new Promise((res) => setTimeout(res, 25))
  }
}
