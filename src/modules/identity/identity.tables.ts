import type { Generated } from 'kysely'
import type { StaffRole } from '../../shared/auth.js'

export interface StaffAccountsTable {
  id: string
  username: string
  fullName: string
  email: string | null
  role: StaffRole
  agencyId: string
  passwordHash: string
  mustChangePassword: Generated<boolean>
  failedLogins: Generated<number>
  lockedUntil: Date | null
  disabledAt: Date | null
  isDemo: Generated<boolean>
  version: Generated<number>
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface StaffSessionsTable {
  id: string
  tokenHash: string
  accountId: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  revokedAt: Date | null
  revokedReason: string | null
}

export interface StaffAccountEventsTable {
  id: Generated<number>
  accountId: string
  action: string
  actorId: string | null
  details: unknown
  occurredAt: Date
}

/** A citizen or business representative known from the identity provider's claims (personal data). */
export interface CitizensTable {
  id: string
  identityNumber: string
  fullName: string
  /** 'YYYY-MM-DD' */
  birthDate: string | null
  gender: 'male' | 'female' | null
  phone: string | null
  address: string | null
  businessTaxCode: string | null
  businessName: string | null
  lastAssuranceLevel: 1 | 2
  lastLoginAt: Date
  version: Generated<number>
  createdAt: Date
  updatedAt: Date
}

export interface CitizenSessionsTable {
  id: string
  tokenHash: string
  citizenId: string
  assuranceLevel: 1 | 2
  idpIssuer: string
  idpSubject: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  revokedAt: Date | null
  revokedReason: string | null
}

declare module '../../shared/database.js' {
  interface Database {
    staffAccounts: StaffAccountsTable
    staffSessions: StaffSessionsTable
    staffAccountEvents: StaffAccountEventsTable
    citizens: CitizensTable
    citizenSessions: CitizenSessionsTable
  }
}
