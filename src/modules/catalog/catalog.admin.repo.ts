import { sql, type Insertable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { CatalogAuditAction, CatalogAuditTable } from './catalog.tables.js'
import './catalog.tables.js'

type Conn = Db | Trx

export type NewAuditRow = Omit<Insertable<CatalogAuditTable>, 'id' | 'details'> & { details: Record<string, unknown> }

/** Appends one row to the catalogue's audit; call inside the transaction of the change. */
export async function insertAudit(trx: Trx, row: NewAuditRow): Promise<void> {
  await trx
    .insertInto('catalogAudit')
    .values({ ...row, details: JSON.stringify(row.details) })
    .execute()
}

export interface AuditFilter {
  code?: string | undefined
  action?: CatalogAuditAction | undefined
  limit: number
  offset: number
}

/** Audit rows, newest first, with the total for paging. */
export async function selectAudit(db: Conn, f: AuditFilter) {
  let q = db.selectFrom('catalogAudit')
  if (f.code !== undefined) q = q.where('code', '=', f.code)
  if (f.action !== undefined) q = q.where('action', '=', f.action)
  const [rows, total] = await Promise.all([
    q.select(['id', 'at', 'action', 'code', 'version', 'actorId', 'actorName', 'reason', 'details']).orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(total.n) }
}

/** Locks a procedure's head for a change of publication; its version and state, or undefined. */
export async function lockHeadState(trx: Trx, code: string) {
  return trx.selectFrom('catalogProcedures').select(['currentVersion', 'unpublishedAt', 'unpublishedReason']).where('code', '=', code).forUpdate().executeTakeFirst()
}

/**
 * Sets or clears the unpublication, guarded on the version and state the caller saw; the number
 * of rows changed (0: someone else changed it first).
 */
export async function updatePublication(trx: Trx, code: string, expectedVersion: number, to: { at: Date; reason: string } | null, now: Date): Promise<number> {
  const r = await trx
    .updateTable('catalogProcedures')
    .set({ unpublishedAt: to?.at ?? null, unpublishedReason: to?.reason ?? null, updatedAt: now })
    .where('code', '=', code)
    .where('currentVersion', '=', expectedVersion)
    .where('unpublishedAt', to ? 'is' : 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export const ADMIN_STATUSES = ['active', 'unpublished', 'outside', 'all'] as const
export type AdminStatus = (typeof ADMIN_STATUSES)[number]

export interface AdminListFilter {
  q?: string | undefined
  status: AdminStatus
  limit: number
  offset: number
}

const STATUS_SQL: Record<AdminStatus, ReturnType<typeof sql>> = {
  active: sql`p.in_province AND p.unpublished_at IS NULL`,
  unpublished: sql`p.unpublished_at IS NOT NULL`,
  outside: sql`NOT p.in_province AND p.unpublished_at IS NULL`,
  all: sql`true`,
}

/**
 * Procedures for administrators: by code prefix or by words of the name (accents optional, as
 * the name is folded), in one status, by name; with the count of each status for the same text.
 */
export async function selectAdminProcedures(db: Conn, f: AdminListFilter) {
  const text = f.q?.trim()
  // A code is matched by its beginning ("1.0011"); anything else by words of the folded name.
  const byName = text ? sql`p.name_folded LIKE ('%' || trim(regexp_replace(vn_fold(${text}), '[^a-z0-9]+', ' ', 'g')) || '%')` : sql`true`
  const match = text && /^\d[0-9.A-Z]*$/.test(text) ? sql`(p.code LIKE ${`${text}%`} OR ${byName})` : byName
  const r = await sql<{
    items: { code: string; name: string; field: string; currentVersion: number; inProvince: boolean; unpublishedAt: string | null; updatedAt: string }[] | null
    counts: Record<AdminStatus, number>
  }>`
    WITH m AS MATERIALIZED (SELECT p.code, p.name, p.field, p.current_version, p.in_province, p.unpublished_at, p.updated_at FROM catalog_procedures p WHERE ${match})
    SELECT
      (SELECT json_agg(x) FROM (
        SELECT p.code, p.name, p.field, p.current_version AS "currentVersion", p.in_province AS "inProvince", p.unpublished_at AS "unpublishedAt", p.updated_at AS "updatedAt"
        FROM m p WHERE ${STATUS_SQL[f.status]} ORDER BY p.name, p.code LIMIT ${f.limit} OFFSET ${f.offset}
      ) x) AS items,
      json_build_object(
        'active', (SELECT count(*) FROM m p WHERE ${STATUS_SQL.active}),
        'unpublished', (SELECT count(*) FROM m p WHERE ${STATUS_SQL.unpublished}),
        'outside', (SELECT count(*) FROM m p WHERE ${STATUS_SQL.outside}),
        'all', (SELECT count(*) FROM m)
      ) AS counts
  `.execute(db)
  const row = r.rows[0]
  return {
    items: (row?.items ?? []).map((i) => ({ ...i, unpublishedAt: i.unpublishedAt ? new Date(i.unpublishedAt) : null, updatedAt: new Date(i.updatedAt) })),
    counts: row?.counts ?? { active: 0, unpublished: 0, outside: 0, all: 0 },
  }
}
