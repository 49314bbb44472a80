import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, Kysely, DummyDriver, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { insertFromJson, quoteName, snakeCase } from './sql-rows.js'

const compiler = new Kysely<Record<string, never>>({
  dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
})

describe('insertFromJson', () => {
  it('maps names as the CamelCasePlugin does and refuses anything but a plain name', () => {
    expect(snakeCase('applicantIdLast4')).toBe('applicant_id_last4')
    expect(quoteName('dossier_events')).toBe('"dossier_events"')
    for (const bad of ['a"b', 'x; DROP TABLE y', 'Upper', '', '1a']) expect(() => quoteName(bad)).toThrow()
  })

  it('sends every row in one JSON parameter, in order, with the guard and the rewrites', () => {
    const columns = { dossierId: 'uuid', occurredAt: 'timestamptz', data: 'jsonb' }
    const at = new Date('2026-11-26T02:00:00Z')
    const q = insertFromJson('dossier_events', columns, [{ dossierId: 'a', occurredAt: at, data: { k: 1 } }, { dossierId: 'b', occurredAt: null, data: {} }], { guard: 'u', rewrite: { data: sql`x.data || '{}'` } }).compile(compiler)
    expect(q.sql).toBe(
      'INSERT INTO "dossier_events" ("dossier_id", "occurred_at", "data") SELECT x."dossier_id", x."occurred_at", x.data || \'{}\'' +
        ' FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ("dossier_id" uuid, "occurred_at" timestamptz, "data" jsonb)) WITH ORDINALITY AS x("dossier_id", "occurred_at", "data", ord), "u" ORDER BY x.ord',
    )
    expect(JSON.parse(q.parameters[0] as string)).toEqual([
      { dossier_id: 'a', occurred_at: '2026-11-26T02:00:00.000Z', data: { k: 1 } },
      { dossier_id: 'b', occurred_at: null, data: {} },
    ])
  })
})
