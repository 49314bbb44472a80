import { sql, type RawBuilder } from 'kysely'

/** 'applicantIdLast4' → 'applicant_id_last4', as Kysely's CamelCasePlugin maps names. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}

/**
 * A column or table name of the code (never of input), quoted for SQL. Hot statements embed
 * their fixed parts as raw text: every identifier node costs a transformation by the
 * CamelCasePlugin and a compilation, on each execution.
 */
export function quoteName(name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a plain SQL name: ${name}`)
  return `"${name}"`
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

/** The fixed text of an insertFromJson, once per column map. */
interface Shape {
  keys: string[]
  names: string[]
  columns: string
  values: string
  definitions: string
  aliases: string
}

const shapes = new WeakMap<object, Shape>()

function shapeOf(columns: Readonly<Record<string, string>>): Shape {
  let s = shapes.get(columns)
  if (!s) {
    const keys = Object.keys(columns)
    const names = keys.map((k) => quoteName(snakeCase(k)))
    s = {
      keys,
      names,
      columns: names.join(', '),
      values: names.map((n) => `x.${n}`).join(', '),
      definitions: keys.map((k, i) => `${names[i]} ${columns[k]}`).join(', '),
      aliases: [...names, 'ord'].join(', '),
    }
    shapes.set(columns, s)
  }
  return s
}

/**
 * `INSERT INTO table (…) SELECT … FROM <rows>` with every row in one JSON parameter, written in
 * the given order: any number of rows in one round trip, and usable as a data-modifying CTE so
 * that a change and everything written with it take one statement. `columns` maps each column
 * (camelCase, as the table type names it) to its PostgreSQL type, and should be a constant (its
 * SQL text is kept for the next call); rows are camelCase objects, dates travel as ISO strings
 * and jsonb columns as nested JSON.
 */
export function insertFromJson<K extends string>(
  table: string,
  columns: Readonly<Record<K, string>>,
  rows: readonly Readonly<Record<K, unknown>>[],
  opts: InsertFromJsonOptions<K> = {},
): RawBuilder<unknown> {
  const s = shapeOf(columns)
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(s.keys.map((k, i): [string, unknown] => [s.names[i]!.slice(1, -1), r[k as K] ?? null]))))
  const rewrite = opts.rewrite
  const values = rewrite ? sql.join(s.keys.map((k, i) => rewrite[k as K] ?? sql.raw(`x.${s.names[i]}`))) : sql.raw(s.values)
  const guard = opts.guard ? `, ${quoteName(opts.guard)}` : ''
  return sql`${sql.raw(`INSERT INTO ${quoteName(table)} (${s.columns}) SELECT `)}${values}${sql.raw(' FROM ROWS FROM (jsonb_to_recordset(')}${json}${sql.raw(`::jsonb) AS (${s.definitions})) WITH ORDINALITY AS x(${s.aliases})${guard} ORDER BY x.ord`)}`
}
