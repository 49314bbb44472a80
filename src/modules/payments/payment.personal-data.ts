import type { Db, Trx } from '../../shared/database.js'

/** The fee obligations and payment attempts of some dossiers (a citizen's own data export); no gateway payloads, no receipt bytes. */
export async function paymentsOfDossiers(db: Db | Trx, dossierIds: string[]) {
  if (!dossierIds.length) return []
  const obligations = await db
    .selectFrom('paymentObligations')
    .select(['id', 'dossierId', 'dossierCode', 'procedureName', 'channel', 'description', 'amountVnd', 'status', 'payerName', 'paidAt', 'paidMethod', 'createdAt'])
    .where('dossierId', 'in', dossierIds)
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  const intents = await db
    .selectFrom('paymentIntents as i')
    .leftJoin('paymentReceipts as r', (j) => j.onRef('r.intentId', '=', 'i.id').on('r.kind', '=', 'vidan'))
    .select(['i.id', 'i.obligationId', 'i.method', 'i.gateway', 'i.reference', 'i.amountVnd', 'i.status', 'i.gatewayTxnId', 'i.bankCode', 'i.payerName', 'i.createdAt', 'i.settledAt', 'r.number as receiptNumber'])
    .where('i.dossierId', 'in', dossierIds)
    .orderBy('i.createdAt')
    .orderBy('i.id')
    .execute()
  return obligations.map((o) => ({ ...o, attempts: intents.filter((i) => i.obligationId === o.id).map(({ obligationId: _o, ...i }) => i) }))
}
