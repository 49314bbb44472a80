import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/support/test-db.js'
import { inTransaction, PREPARE } from '../shared/database.js'
import type { DatabaseHandle } from './db.js'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(async () => handle?.close())

describe('statements marked PREPARE', () => {
  it('are prepared once per connection and then only bound; unmarked ones are not', async () => {
    const prepared = await inTransaction(handle.db, async (trx) => {
      const marked = (n: number) => sql<{ n: number }>`${sql.raw(PREPARE)}SELECT ${n}::int AS n`.execute(trx)
      expect((await marked(1)).rows).toEqual([{ n: 1 }])
      expect((await marked(2)).rows).toEqual([{ n: 2 }])
      await sql`SELECT ${3}::int AS unmarked`.execute(trx)
      return (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'vidan_%'`.execute(trx)).rows.map((r) => r.statement)
    })
    expect(prepared.filter((s) => s.includes('AS n'))).toHaveLength(1)
    expect(prepared.some((s) => s.includes('unmarked'))).toBe(false)
  })

  it('report their errors like any statement and leave the connection usable', async () => {
    await expect(sql`${sql.raw(PREPARE)}SELECT 1 / ${0}::int AS boom`.execute(handle.db)).rejects.toThrow(/division by zero/)
    expect((await sql<{ ok: number }>`${sql.raw(PREPARE)}SELECT 1 AS ok`.execute(handle.db)).rows).toEqual([{ ok: 1 }])
  })
})
