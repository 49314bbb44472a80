import type { Generated } from 'kysely'

export const OBLIGATION_STATUSES = ['needs_amount', 'due', 'pending', 'paid', 'refused', 'expired', 'cancelled'] as const
/** needs_amount: the catalogue fee could not be read, an officer must state it; refused/expired: the last attempt failed, payable again. */
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number]

export const INTENT_STATUSES = ['pending', 'paid', 'refused', 'expired', 'cancelled'] as const
export type IntentStatus = (typeof INTENT_STATUSES)[number]

export const PAYMENT_METHODS = ['online', 'cash', 'transfer'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

export interface PaymentObligationsTable {
  id: string
  dossierId: string
  dossierCode: string | null
  procedureCode: string
  procedureVersion: number
  procedureName: string
  channel: string
  agencyId: string
  receivingAgencyId: string
  source: 'catalog' | 'officer'
  description: string
  basis: unknown
  amountVnd: number | null
  status: ObligationStatus
  payerName: string
  paidAt: Date | null
  paidMethod: PaymentMethod | null
  paidIntentId: string | null
  dossierSync: Generated<'none' | 'pending' | 'done'>
  amountStatedBy: string | null
  cancelledReason: string | null
  version: Generated<number>
  createdAt: Date
  updatedAt: Date
}

export interface PaymentIntentsTable {
  id: string
  obligationId: string
  dossierId: string
  method: PaymentMethod
  gateway: string | null
  reference: string
  amountVnd: number
  status: IntentStatus
  gatewayTime: string | null
  gatewayAccepted: Generated<boolean>
  redirectUrl: string | null
  gatewayTxnId: string | null
  bankCode: string | null
  errorCode: string | null
  errorMessage: string | null
  payerName: string
  late: Generated<boolean>
  refundNeeded: Generated<boolean>
  recordedBy: string | null
  note: string | null
  createdAt: Date
  expiresAt: Date | null
  settledAt: Date | null
  updatedAt: Date
}

export interface PaymentCallbacksTable {
  id: Generated<number>
  gateway: string
  reference: string | null
  receivedAt: Date
  source: 'callback' | 'query'
  verified: boolean
  resultCode: string | null
  outcome: string
  payload: unknown
}

export interface PaymentReceiptCountersTable {
  year: number
  lastNo: number
}

export interface PaymentReceiptsTable {
  id: string
  intentId: string
  kind: 'vidan' | 'platform'
  number: string
  sha256: string | null
  bytes: Buffer | null
  issuedAt: Date
}

export interface PaymentReconciliationsTable {
  id: string
  gateway: string
  day: string
  statementSha256: string
  statementRows: number
  ourRows: number
  mismatches: unknown
  mismatchCount: number
  runAt: Date
  runBy: string | null
}

declare module '../../shared/database.js' {
  interface Database {
    paymentObligations: PaymentObligationsTable
    paymentIntents: PaymentIntentsTable
    paymentCallbacks: PaymentCallbacksTable
    paymentReceiptCounters: PaymentReceiptCountersTable
    paymentReceipts: PaymentReceiptsTable
    paymentReconciliations: PaymentReconciliationsTable
  }
}
