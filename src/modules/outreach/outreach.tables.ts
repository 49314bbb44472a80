import type { Generated } from 'kysely'

export type ConsentScope = 'one_dossier' | 'until_expiry'
export type ConsentMethod = 'sms_otp' | 'in_session'
export type RequestStatus = 'sending' | 'code_sent' | 'send_failed' | 'awaiting_citizen' | 'approved' | 'declined' | 'locked' | 'expired' | 'cancelled'

export interface OutreachTeamsTable {
  id: string
  communeCode: string
  name: string
  createdBy: string | null
  createdAt: Date
}

export interface OutreachMembersTable {
  id: string
  teamId: string
  identityNumber: string
  fullName: string
  addedBy: string | null
  addedAt: Date
  removedBy: string | null
  removedAt: Date | null
}

export interface OutreachConsentRequestsTable {
  id: string
  memberCitizenId: string
  memberName: string
  teamId: string
  citizenIdentityNumber: string
  phone: string | null
  phoneSource: 'entered' | 'identity_provider' | null
  purpose: string
  scope: ConsentScope
  validDays: number
  method: ConsentMethod
  status: RequestStatus
  otpHash: string | null
  otpExpiresAt: Date | null
  attempts: Generated<number>
  sendCount: Generated<number>
  lastSentAt: Date | null
  providerMessageId: string | null
  expiresAt: Date
  consentId: string | null
  createdAt: Date
  decidedAt: Date | null
}

export interface OutreachConsentsTable {
  id: string
  requestId: string
  memberCitizenId: string
  memberName: string
  teamId: string
  citizenIdentityNumber: string
  purpose: string
  scope: ConsentScope
  method: ConsentMethod
  phoneSource: string | null
  grantedAt: Date
  expiresAt: Date
  useCount: Generated<number>
  revokedAt: Date | null
  revokedReason: string | null
}

export interface OutreachConsentUsesTable {
  id: string
  consentId: string
  dossierId: string
  dossierCode: string | null
  memberCitizenId: string
  usedAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    outreachTeams: OutreachTeamsTable
    outreachMembers: OutreachMembersTable
    outreachConsentRequests: OutreachConsentRequestsTable
    outreachConsents: OutreachConsentsTable
    outreachConsentUses: OutreachConsentUsesTable
  }
}
