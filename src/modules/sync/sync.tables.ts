export interface SyncPortalDossiersTable {
  dossierId: string
  portalCode: string
  statusCode: number | null
  createdAt: Date
  updatedAt: Date
}

export interface SyncPortalEventsTable {
  eventId: number
  dossierId: string
  seq: number
  statusCode: number
  occurredAt: Date
  state: 'deferred' | 'synced'
  syncedAt: Date | null
}

export interface SyncPortalIntakeTable {
  portalDossierId: string
  dossierId: string
  receivedAt: Date
  acknowledgedAt: Date | null
}

declare module '../../shared/database.js' {
  interface Database {
    syncPortalDossiers: SyncPortalDossiersTable
    syncPortalEvents: SyncPortalEventsTable
    syncPortalIntake: SyncPortalIntakeTable
  }
}
