import type { Generated } from 'kysely'

export interface WebhookSubscriptionsTable {
  id: string
  name: string
  url: string
  /** The HMAC key (never logged; shown once at creation). */
  secret: string
  /** Only dossiers this agency receives, handles or decides (null: every agency). */
  agencyId: string | null
  /** Only dossiers of this procedure (null: every procedure). */
  procedureCode: string | null
  topics: string[]
  active: Generated<boolean>
  createdBy: string
  createdAt: Date
  deactivatedAt: Date | null
  version: Generated<number>
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead'

export interface WebhookDeliveriesTable {
  id: string
  subscriptionId: string
  eventId: number
  topic: string
  dossierId: string
  /** The exact JSON body sent (and signed). */
  body: string
  status: DeliveryStatus
  attempts: Generated<number>
  nextAttemptAt: Date | null
  lastStatusCode: number | null
  lastError: string | null
  createdAt: Date
  deliveredAt: Date | null
}

declare module '../../shared/database.js' {
  interface Database {
    webhookSubscriptions: WebhookSubscriptionsTable
    webhookDeliveries: WebhookDeliveriesTable
  }
}
