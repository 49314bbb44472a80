import crypto from 'node:crypto'
import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, DomainError, NotFoundError, ValidationError } from '../../shared/errors.js'
import { formatVnDateTime } from '../../shared/i18n.js'
import { findAgencyById } from '../org/index.js'
import type { CitizenLoginSettings } from './citizen-login.js'
import './identity.tables.js'
import { burnPasswordCheck, hashPassword, passwordProblems, verifyPassword } from './passwords.js'

export interface IdentitySettings {
  sessionIdleMinutes: number
  maxFailedLogins: number
  lockMinutes: number
  /** Login attempts per minute from one address; unset means 30. */
  loginRatePerMinute?: number
  /** The identity provider citizens log in with; unset means citizen login is not configured. */
  citizenLogin?: CitizenLoginSettings | undefined
}

export interface IdentityDeps {
  db: Db
  clock: Clock
  settings: IdentitySettings
}

export const SESSION_COOKIE = 'vidan_sid'

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('unauthenticated', 'AUTH.INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.')
  }
}

export class AccountLockedError extends DomainError {
  constructor(readonly lockedUntil: Date) {
    super(
      'locked',
      'AUTH.ACCOUNT_LOCKED',
      `Tài khoản tạm bị khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ${formatVnDateTime(lockedUntil)}.`,
      { lockedUntil: lockedUntil.toISOString() },
    )
  }
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

async function recordAccountEvent(trx: Trx, accountId: string, action: string, actorId: string | null, at: Date, details: Record<string, unknown> = {}) {
  await trx.insertInto('staffAccountEvents').values({ accountId, action, actorId, details: JSON.stringify(details), occurredAt: at }).execute()
}

export interface LoginResult {
  token: string
  sessionId: string
  accountId: string
  mustChangePassword: boolean
}

/** Password login. Counts failures; the Nth failure in a row locks the account for a while. */
export async function login(deps: IdentityDeps, username: string, password: string): Promise<LoginResult> {
  const { db, clock, settings } = deps
  const account = await db
    .selectFrom('staffAccounts')
    .select(['id', 'passwordHash', 'failedLogins', 'lockedUntil', 'disabledAt', 'mustChangePassword'])
    .where('username', '=', username.trim())
    .executeTakeFirst()
  if (!account || account.disabledAt) {
    await burnPasswordCheck(password)
    throw new InvalidCredentialsError()
  }
  const now = clock.now()
  if (account.lockedUntil && account.lockedUntil > now) throw new AccountLockedError(account.lockedUntil)

  if (!(await verifyPassword(account.passwordHash, password))) {
    const failures = account.failedLogins + 1
    if (failures >= settings.maxFailedLogins) {
      const until = new Date(now.getTime() + settings.lockMinutes * 60_000)
      await inTransaction(db, async (trx) => {
        await trx.updateTable('staffAccounts').set({ failedLogins: 0, lockedUntil: until }).where('id', '=', account.id).execute()
        await recordAccountEvent(trx, account.id, 'locked', null, now, { failures, until: until.toISOString() })
      })
      throw new AccountLockedError(until)
    }
    await db.updateTable('staffAccounts').set({ failedLogins: failures }).where('id', '=', account.id).execute()
    throw new InvalidCredentialsError()
  }

  const token = crypto.randomBytes(32).toString('base64url')
  const sessionId = crypto.randomUUID()
  await inTransaction(db, async (trx) => {
    await trx.updateTable('staffAccounts').set({ failedLogins: 0, lockedUntil: null }).where('id', '=', account.id).execute()
    await trx
      .insertInto('staffSessions')
      .values({
        id: sessionId,
        tokenHash: sha256(token),
        accountId: account.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + settings.sessionIdleMinutes * 60_000),
        revokedAt: null,
        revokedReason: null,
      })
      .execute()
    await recordAccountEvent(trx, account.id, 'login', account.id, now)
  })
  return { token, sessionId, accountId: account.id, mustChangePassword: account.mustChangePassword }
}

/** The principal behind a session token, or undefined when the session is unknown, revoked or idle too long. */
export async function authenticateToken(deps: IdentityDeps, token: string): Promise<StaffPrincipal | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
  const { db, clock, settings } = deps
  const row = await db
    .selectFrom('staffSessions as s')
    .innerJoin('staffAccounts as a', 'a.id', 's.accountId')
    .select([
      's.id as sessionId',
      's.expiresAt',
      's.revokedAt',
      's.lastSeenAt',
      'a.id as accountId',
      'a.username',
      'a.fullName',
      'a.role',
      'a.agencyId',
      'a.disabledAt',
      'a.mustChangePassword',
    ])
    .where('s.tokenHash', '=', sha256(token))
    .executeTakeFirst()
  const now = clock.now()
  if (!row || row.revokedAt || row.disabledAt || row.expiresAt <= now) return undefined
  // Sliding expiry, written at most once a minute so reads do not become writes.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db
      .updateTable('staffSessions')
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + settings.sessionIdleMinutes * 60_000) })
      .where('id', '=', row.sessionId)
      .execute()
  }
  const agency = await findAgencyById(db, row.agencyId)
  return {
    kind: 'staff',
    accountId: row.accountId,
    sessionId: row.sessionId,
    username: row.username,
    fullName: row.fullName,
    role: row.role,
    agencyId: row.agencyId,
    agencyCode: agency?.code ?? '',
    agencyName: agency?.name ?? '',
    mustChangePassword: row.mustChangePassword,
  }
}

export async function logout(deps: IdentityDeps, sessionId: string): Promise<void> {
  await deps.db
    .updateTable('staffSessions')
    .set({ revokedAt: deps.clock.now(), revokedReason: 'logout' })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute()
}

async function revokeSessions(trx: Trx, accountId: string, at: Date, reason: string, keep?: string) {
  let q = trx.updateTable('staffSessions').set({ revokedAt: at, revokedReason: reason }).where('accountId', '=', accountId).where('revokedAt', 'is', null)
  if (keep) q = q.where('id', '!=', keep)
  await q.execute()
}

/** Changes one's own password after checking the current one; other sessions are ended. */
export async function changePassword(
  deps: IdentityDeps,
  principal: StaffPrincipal,
  current: string,
  next: string,
): Promise<void> {
  const account = await deps.db.selectFrom('staffAccounts').select(['passwordHash']).where('id', '=', principal.accountId).executeTakeFirstOrThrow()
  const problems: Record<string, string[]> = {}
  if (!(await verifyPassword(account.passwordHash, current))) problems['currentPassword'] = ['Mật khẩu hiện tại không đúng.']
  const weak = passwordProblems(next, principal.username)
  if (weak.length) problems['newPassword'] = weak
  else if (current === next) problems['newPassword'] = ['Mật khẩu mới phải khác mật khẩu hiện tại.']
  if (Object.keys(problems).length) throw new ValidationError('AUTH.PASSWORD_REJECTED', 'Không đổi được mật khẩu.', { fields: problems })
  const hash = await hashPassword(next)
  const now = deps.clock.now()
  await inTransaction(deps.db, async (trx) => {
    await trx
      .updateTable('staffAccounts')
      .set((eb) => ({ passwordHash: hash, mustChangePassword: false, updatedAt: now, version: eb('version', '+', 1) }))
      .where('id', '=', principal.accountId)
      .execute()
    await revokeSessions(trx, principal.accountId, now, 'password_changed', principal.sessionId)
    await recordAccountEvent(trx, principal.accountId, 'password_changed', principal.accountId, now)
  })
}

export interface StaffAccountView {
  id: string
  username: string
  fullName: string
  email: string | null
  role: StaffRole
  agencyId: string
  locked: boolean
  disabled: boolean
  mustChangePassword: boolean
  version: number
}

export async function listAccounts(deps: IdentityDeps, filter: { agencyId?: string } = {}): Promise<StaffAccountView[]> {
  let q = deps.db
    .selectFrom('staffAccounts')
    .select(['id', 'username', 'fullName', 'email', 'role', 'agencyId', 'lockedUntil', 'disabledAt', 'mustChangePassword', 'version'])
    .orderBy('agencyId')
    .orderBy('username')
  if (filter.agencyId) q = q.where('agencyId', '=', filter.agencyId)
  const now = deps.clock.now()
  return (await q.execute()).map(({ lockedUntil, disabledAt, ...r }) => ({ ...r, locked: !!lockedUntil && lockedUntil > now, disabled: !!disabledAt }))
}

export async function getAccount(deps: IdentityDeps, id: string): Promise<StaffAccountView> {
  const [found] = (await listAccounts(deps)).filter((a) => a.id === id)
  if (!found) throw new NotFoundError('STAFF.NOT_FOUND', 'Không tìm thấy tài khoản cán bộ.', { id })
  return found
}

async function requireAgency(db: Db | Trx, agencyId: string) {
  const agency = await findAgencyById(db, agencyId)
  if (!agency) throw new ValidationError('STAFF.UNKNOWN_AGENCY', 'Cơ quan không tồn tại.', { fields: { agencyId: ['Cơ quan không tồn tại.'] } })
  return agency
}

export interface NewAccount {
  username: string
  fullName: string
  email?: string | undefined
  role: StaffRole
  agencyId: string
  /** When absent a one-time password is generated and must be changed at first login. */
  password?: string | undefined
  isDemo?: boolean
}

/** Creates a staff account (administrator). Returns the account and the initial password. */
export async function createAccount(deps: IdentityDeps, actorId: string | null, input: NewAccount): Promise<{ account: StaffAccountView; initialPassword: string }> {
  await requireAgency(deps.db, input.agencyId)
  const initialPassword = input.password ?? crypto.randomBytes(9).toString('base64url')
  const weak = passwordProblems(initialPassword, input.username)
  if (weak.length) throw new ValidationError('AUTH.PASSWORD_REJECTED', 'Mật khẩu không đạt yêu cầu.', { fields: { password: weak } })
  const exists = await deps.db.selectFrom('staffAccounts').select('id').where('username', '=', input.username).executeTakeFirst()
  if (exists) {
    throw new DomainError('conflict', 'STAFF.USERNAME_TAKEN', 'Tên đăng nhập đã được dùng.', { fields: { username: ['Tên đăng nhập đã được dùng.'] } })
  }
  const id = crypto.randomUUID()
  const now = deps.clock.now()
  const passwordHash = await hashPassword(initialPassword)
  await inTransaction(deps.db, async (trx) => {
    await trx
      .insertInto('staffAccounts')
      .values({
        id,
        username: input.username,
        fullName: input.fullName.normalize('NFC'),
        email: input.email ?? null,
        role: input.role,
        agencyId: input.agencyId,
        passwordHash,
        mustChangePassword: input.password === undefined,
        lockedUntil: null,
        disabledAt: null,
        isDemo: input.isDemo ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .execute()
    await recordAccountEvent(trx, id, 'created', actorId, now, { role: input.role, agencyId: input.agencyId })
  })
  return { account: await getAccount(deps, id), initialPassword }
}

/**
 * Moves an officer to another agency with a new role (the 2025 reorganisation). The old
 * agency's permissions end at once: every open session is revoked.
 */
export async function moveAccount(
  deps: IdentityDeps,
  actorId: string,
  id: string,
  input: { agencyId: string; role: StaffRole; reason: string; expectedVersion: number },
): Promise<StaffAccountView> {
  await requireAgency(deps.db, input.agencyId)
  const now = deps.clock.now()
  await inTransaction(deps.db, async (trx) => {
    const before = await trx.selectFrom('staffAccounts').select(['agencyId', 'role']).where('id', '=', id).executeTakeFirst()
    if (!before) throw new NotFoundError('STAFF.NOT_FOUND', 'Không tìm thấy tài khoản cán bộ.', { id })
    const res = await trx
      .updateTable('staffAccounts')
      .set((eb) => ({ agencyId: input.agencyId, role: input.role, updatedAt: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', input.expectedVersion)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) throw new ConcurrentUpdateError('staff_account', id)
    await revokeSessions(trx, id, now, 'moved')
    await recordAccountEvent(trx, id, 'moved', actorId, now, {
      from: { agencyId: before.agencyId, role: before.role },
      to: { agencyId: input.agencyId, role: input.role },
      reason: input.reason,
    })
  })
  return getAccount(deps, id)
}

/** Production must never carry demo accounts: disable any left from a demo data folder. */
export async function disableDemoAccounts(deps: IdentityDeps): Promise<number> {
  const now = deps.clock.now()
  return inTransaction(deps.db, async (trx) => {
    const rows = await trx.updateTable('staffAccounts').set({ disabledAt: now }).where('isDemo', '=', true).where('disabledAt', 'is', null).returning('id').execute()
    for (const r of rows) await revokeSessions(trx, r.id, now, 'demo_account_in_production')
    return rows.length
  })
}

/** A staff account's public facts, for other modules (assignment, timelines). */
export async function findStaffMember(db: Db | Trx, id: string): Promise<{ id: string; fullName: string; role: StaffRole; agencyId: string; active: boolean } | undefined> {
  const a = await db.selectFrom('staffAccounts').select(['id', 'fullName', 'role', 'agencyId', 'disabledAt']).where('id', '=', id).executeTakeFirst()
  return a ? { id: a.id, fullName: a.fullName, role: a.role, agencyId: a.agencyId, active: !a.disabledAt } : undefined
}

/** Active officers of an agency with a role, ordered by id. */
export async function listActiveStaff(db: Db | Trx, agencyId: string, role: StaffRole): Promise<{ id: string; fullName: string }[]> {
  return db.selectFrom('staffAccounts').select(['id', 'fullName']).where('agencyId', '=', agencyId).where('role', '=', role).where('disabledAt', 'is', null).orderBy('id').execute()
}
