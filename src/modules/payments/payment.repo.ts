import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import { NotFoundError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import type { PaymentCallbacksTable, PaymentIntentsTable, PaymentObligationsTable, PaymentReconciliationsTable } from './payment.tables.js'
import './payment.tables.js'

export type ObligationRow = Selectable<PaymentObligationsTable>
export type IntentRow = Selectable<PaymentIntentsTable>
export type ReconciliationRow = Selectable<PaymentReconciliationsTable>
type Conn = Db | Trx

export class ObligationNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('PAYMENT.OBLIGATION_NOT_FOUND', 'Không tìm thấy khoản phí, lệ phí.', { id })
  }
}

export class IntentNotFoundError extends NotFoundError {
  constructor(ref: string) {
    super('PAYMENT.INTENT_NOT_FOUND', 'Không tìm thấy giao dịch thanh toán.', { ref })
  }
}

// ---- obligations ----------------------------------------------------------------------------------

export async function findObligation(db: Conn, id: string): Promise<ObligationRow | undefined> {
  return db.selectFrom('paymentObligations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getObligation(db: Conn, id: string): Promise<ObligationRow> {
  const o = await findObligation(db, id)
  if (!o) throw new ObligationNotFoundError(id)
  return o
}

/** The obligation, row-locked until the transaction ends: payments of one obligation queue here. */
export async function getObligationForUpdate(trx: Trx, id: string): Promise<ObligationRow> {
  const o = await trx.selectFrom('paymentObligations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (!o) throw new ObligationNotFoundError(id)
  return o
}

export async function listObligationsOfDossier(db: Conn, dossierId: string, opts: { lock?: boolean } = {}): Promise<ObligationRow[]> {
  const q = db.selectFrom('paymentObligations').selectAll().where('dossierId', '=', dossierId).orderBy('createdAt').orderBy('id')
  return opts.lock ? q.forUpdate().execute() : q.execute()
}

export async function findCatalogObligation(db: Conn, dossierId: string): Promise<ObligationRow | undefined> {
  return db.selectFrom('paymentObligations').selectAll().where('dossierId', '=', dossierId).where('source', '=', 'catalog').where('status', '<>', 'cancelled').executeTakeFirst()
}

/** Inserts unless the dossier already has a catalogue obligation; true when this call inserted it. */
export async function insertObligation(trx: Trx, row: Insertable<PaymentObligationsTable>): Promise<boolean> {
  const q = trx.insertInto('paymentObligations').values({ ...row, basis: JSON.stringify(row.basis) })
  const r = await (row.source === 'catalog'
    ? q.onConflict((oc) => oc.column('dossierId').where('source', '=', 'catalog').where('status', '<>', 'cancelled').doNothing())
    : q
  ).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function updateObligation(trx: Trx, o: ObligationRow, patch: Updateable<PaymentObligationsTable>): Promise<ObligationRow> {
  const set = { ...patch, version: o.version + 1 }
  if ('basis' in set && set.basis !== undefined) set.basis = JSON.stringify(set.basis)
  return trx.updateTable('paymentObligations').set(set).where('id', '=', o.id).returningAll().executeTakeFirstOrThrow()
}

export async function setDossierCode(trx: Trx, dossierId: string, code: string): Promise<void> {
  await trx.updateTable('paymentObligations').set({ dossierCode: code }).where('dossierId', '=', dossierId).where('dossierCode', 'is', null).execute()
}

/** Dossiers with a paid obligation whose dossier has not yet been told (confirm_payment). */
export async function dossiersAwaitingSync(db: Conn, limit = 100): Promise<string[]> {
  const rows = await db.selectFrom('paymentObligations').select('dossierId').distinct().where('dossierSync', '=', 'pending').orderBy('dossierId').limit(limit).execute()
  return rows.map((r) => r.dossierId)
}

export async function setDossierSync(trx: Trx, dossierId: string, from: 'pending', to: 'none' | 'done'): Promise<void> {
  await trx.updateTable('paymentObligations').set({ dossierSync: to }).where('dossierId', '=', dossierId).where('dossierSync', '=', from).execute()
}

export interface ObligationFilter {
  agencyIds?: string[] | undefined
  statuses?: string[] | undefined
  limit: number
}

/** Obligations the given agencies collect or received the dossier of, most recently changed first. */
export async function listObligations(db: Conn, f: ObligationFilter): Promise<ObligationRow[]> {
  let q = db.selectFrom('paymentObligations').selectAll()
  const ids = f.agencyIds?.length ? f.agencyIds : ['']
  if (f.agencyIds) q = q.where((eb) => eb.or([eb('agencyId', 'in', ids), eb('receivingAgencyId', 'in', ids)]))
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses as ObligationRow['status'][])
  return q.orderBy('updatedAt', 'desc').orderBy('id').limit(f.limit).execute()
}

// ---- intents --------------------------------------------------------------------------------------

export async function insertIntent(trx: Trx, row: Insertable<PaymentIntentsTable>): Promise<IntentRow> {
  return trx.insertInto('paymentIntents').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function findIntent(db: Conn, id: string): Promise<IntentRow | undefined> {
  return db.selectFrom('paymentIntents').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findIntentByReference(db: Conn, reference: string, opts: { lock?: boolean } = {}): Promise<IntentRow | undefined> {
  const q = db.selectFrom('paymentIntents').selectAll().where('reference', '=', reference)
  return opts.lock ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst()
}

export async function getIntentForUpdate(trx: Trx, id: string): Promise<IntentRow> {
  const i = await trx.selectFrom('paymentIntents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (!i) throw new IntentNotFoundError(id)
  return i
}

export async function updateIntent(trx: Trx, id: string, patch: Updateable<PaymentIntentsTable>): Promise<IntentRow> {
  return trx.updateTable('paymentIntents').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

export async function listIntentsOfObligations(db: Conn, obligationIds: string[]): Promise<IntentRow[]> {
  if (!obligationIds.length) return []
  return db.selectFrom('paymentIntents').selectAll().where('obligationId', 'in', obligationIds).orderBy('createdAt').orderBy('id').execute()
}

export async function openIntentOf(db: Conn, obligationId: string): Promise<IntentRow | undefined> {
  return db.selectFrom('paymentIntents').selectAll().where('obligationId', '=', obligationId).where('status', '=', 'pending').orderBy('createdAt', 'desc').executeTakeFirst()
}

/** References already taken that start with `prefix` (a dossier paying twice in one second). */
export async function countReferences(db: Conn, prefix: string): Promise<number> {
  const r = await db
    .selectFrom('paymentIntents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Online intents still pending whose wait is over (oldest first). */
export async function overdueIntents(db: Conn, now: Date, limit = 100): Promise<IntentRow[]> {
  return db.selectFrom('paymentIntents').selectAll().where('status', '=', 'pending').where('method', '=', 'online').where('expiresAt', '<', now).orderBy('expiresAt').limit(limit).execute()
}

/** Online intents the gateway accepted, opened in [from, to). */
export async function gatewayIntentsBetween(db: Conn, gateway: string, from: Date, to: Date): Promise<IntentRow[]> {
  return db.selectFrom('paymentIntents').selectAll().where('gateway', '=', gateway).where('gatewayAccepted', '=', true).where('createdAt', '>=', from).where('createdAt', '<', to).orderBy('createdAt').orderBy('id').execute()
}

// ---- callbacks, receipts, reconciliations -----------------------------------------------------------

export async function logCallback(conn: Conn, row: Insertable<PaymentCallbacksTable>): Promise<void> {
  await conn.insertInto('paymentCallbacks').values({ ...row, payload: JSON.stringify(row.payload) }).execute()
}

export async function listCallbacks(db: Conn, reference: string) {
  return db.selectFrom('paymentCallbacks').selectAll().where('reference', '=', reference).orderBy('id').execute()
}

/** The next receipt number of the year, gap-free: the counter row stays locked until commit. */
export async function allocateReceiptNo(trx: Trx, year: number): Promise<number> {
  const r = await sql<{ lastNo: number }>`
    INSERT INTO payment_receipt_counters (year, last_no) VALUES (${year}, 1)
    ON CONFLICT (year) DO UPDATE SET last_no = payment_receipt_counters.last_no + 1
    RETURNING last_no AS "lastNo"`.execute(trx)
  return r.rows[0]!.lastNo
}

export async function insertReceipt(trx: Trx, row: { id: string; intentId: string; kind: 'vidan' | 'platform'; number: string; issuedAt: Date; sha256?: string | null; bytes?: Buffer | null }): Promise<void> {
  await trx.insertInto('paymentReceipts').values({ sha256: null, bytes: null, ...row }).onConflict((oc) => oc.columns(['intentId', 'kind']).doNothing()).execute()
}

export async function findReceipt(db: Conn, intentId: string, kind: 'vidan' | 'platform') {
  return db.selectFrom('paymentReceipts').selectAll().where('intentId', '=', intentId).where('kind', '=', kind).executeTakeFirst()
}

/** Stores the rendered bytes once: a concurrent first render keeps the first. */
export async function storeReceiptBytes(db: Conn, id: string, bytes: Buffer, sha256: string): Promise<void> {
  await db.updateTable('paymentReceipts').set({ bytes, sha256 }).where('id', '=', id).where('bytes', 'is', null).execute()
}

export async function insertReconciliation(trx: Trx, row: Insertable<PaymentReconciliationsTable>): Promise<void> {
  await trx.insertInto('paymentReconciliations').values({ ...row, mismatches: JSON.stringify(row.mismatches) }).execute()
}

export async function listReconciliations(db: Conn, limit = 30): Promise<ReconciliationRow[]> {
  return db.selectFrom('paymentReconciliations').selectAll().orderBy('runAt', 'desc').orderBy('id').limit(limit).execute()
}

export async function findReconciliation(db: Conn, id: string): Promise<ReconciliationRow | undefined> {
  return db.selectFrom('paymentReconciliations').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function lastReconciliationOf(db: Conn, gateway: string, day: string): Promise<ReconciliationRow | undefined> {
  return db.selectFrom('paymentReconciliations').selectAll().where('gateway', '=', gateway).where('day', '=', day).orderBy('runAt', 'desc').executeTakeFirst()
}

/** A payment event for later consumers (766 payment indicator, notify, sync), in the change's transaction. */
export async function appendPaymentEvent(trx: Trx, topic: string, o: ObligationRow, actorId: string | null, at: Date, extra: Record<string, unknown> = {}): Promise<void> {
  await appendOutboxEvent(trx, {
    topic: `payment.${topic}`,
    aggregateType: 'payment_obligation',
    aggregateId: o.id,
    actorId,
    occurredAt: at,
    payload: {
      obligationId: o.id,
      dossierId: o.dossierId,
      dossierCode: o.dossierCode,
      procedureCode: o.procedureCode,
      procedureVersion: o.procedureVersion,
      agencyId: o.agencyId,
      channel: o.channel,
      amountVnd: o.amountVnd,
      status: o.status,
      occurredAt: at.toISOString(),
      ...extra,
    },
  })
}

/** Our receipt numbers of the given intents, by intent id. */
export async function receiptNumbersOf(db: Conn, intentIds: string[]): Promise<Record<string, string>> {
  if (!intentIds.length) return {}
  const rows = await db.selectFrom('paymentReceipts').select(['intentId', 'number']).where('intentId', 'in', intentIds).where('kind', '=', 'vidan').execute()
  return Object.fromEntries(rows.map((r) => [r.intentId, r.number]))
}
