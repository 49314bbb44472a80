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

declare module '../../shared/database.js' {
  interface Database {
    staffAccounts: StaffAccountsTable
    staffSessions: StaffSessionsTable
    staffAccountEvents: StaffAccountEventsTable
  }
}
