import { sql, type RawBuilder } from 'kysely'

/** 'applicantIdLast4' → 'applicant_id_last4', as Kysely's CamelCasePlugin maps names. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

export interface InsertFromJsonOptions<K extends string = string> {
  /**
   * The name of another CTE of the same statement: rows are written only if it yields a row (it
   * must yield at most one), and `rewrite` may use its columns.
   */
  guard?: string
  /** SQL that replaces a column's value, over `x.<snake_case column>` (and the guard's columns). */
  rewrite?: Partial<Record<K, RawBuilder<unknown>>>
}

/**
 * `INSERT INTO table (…) SELECT … FROM <rows>` with every row in one JSON parameter, written in
 * the given order: any number of rows in one round trip, and usable as a data-modifying CTE so
 * that a change and everything written with it take one statement. `columns` maps each column
 * (camelCase, as the table type names it) to its PostgreSQL type; rows are camelCase objects,
 * dates travel as ISO strings and jsonb columns as nested JSON.
 */
export function insertFromJson<K extends string>(
  table: string,
  columns: Readonly<Record<K, string>>,
  rows: readonly Readonly<Record<K, unknown>>[],
  opts: InsertFromJsonOptions<K> = {},
): RawBuilder<unknown> {
  const keys = Object.keys(columns) as K[]
  const names = keys.map(snakeCase)
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(keys.map((k, i): [string, unknown] => [names[i]!, r[k] ?? null]))))
  const definitions = sql.join(keys.map((k, i) => sql`${sql.id(names[i]!)} ${sql.raw(columns[k])}`))
  const values = sql.join(keys.map((k, i) => opts.rewrite?.[k] ?? sql`x.${sql.id(names[i]!)}`))
  const guard = opts.guard ? sql`, ${sql.table(opts.guard)}` : sql``
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((c) => sql.id(c)))})
    SELECT ${values}
    FROM ROWS FROM (jsonb_to_recordset(${json}::jsonb) AS (${definitions})) WITH ORDINALITY AS x(${sql.join([...names, 'ord'].map((c) => sql.id(c)))})${guard}
    ORDER BY x.ord`
}
