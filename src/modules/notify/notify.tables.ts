import type { Generated } from 'kysely'

export type Channel = 'email' | 'sms' | 'in_app'
export type NotificationStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped'

export interface NotificationsTable {
  id: string
  /** The outbox event the message announces: with template and channel, its idempotency key. */
  eventId: number
  dossierId: string
  dossierCode: string | null
  /** The applicant's citizen account when they had one at the time (their in-app messages). */
  citizenId: string | null
  template: string
  channel: Channel
  /** E-mail address or phone number (personal data: never logged). Null for in-app messages. */
  recipient: string | null
  subject: string
  body: string
  status: NotificationStatus
  skipReason: string | null
  attempts: Generated<number>
  nextAttemptAt: Date | null
  lastError: string | null
  providerMessageId: string | null
  createdAt: Date
  sentAt: Date | null
  readAt: Date | null
}

export interface NotificationPreferencesTable {
  citizenId: string
  emailEnabled: boolean
  smsEnabled: boolean
  /** An address the citizen gave for messages; otherwise the applicant's address on the dossier. */
  email: string | null
  version: Generated<number>
  updatedAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    notifications: NotificationsTable
    notificationPreferences: NotificationPreferencesTable
  }
}
