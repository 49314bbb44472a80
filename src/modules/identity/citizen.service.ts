import crypto from 'node:crypto'
import type { CitizenPrincipal } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { NotFoundError } from '../../shared/errors.js'
import type { CitizenClaims } from './citizen-claims.js'
import type { Selectable } from 'kysely'
import type { CitizensTable } from './identity.tables.js'

export interface CitizenDeps {
  db: Db
  clock: Clock
  /** Minutes a session lives without activity (the same setting as staff sessions). */
  sessionIdleMinutes: number
}

/** Citizen session tokens carry a prefix, so one cookie serves both kinds and a lookup goes to one table. */
export const CITIZEN_TOKEN_PREFIX = 'c.'

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex')

const VIEW = ['id', 'identityNumber', 'fullName', 'birthDate', 'gender', 'phone', 'address', 'businessTaxCode', 'businessName', 'lastAssuranceLevel', 'lastLoginAt'] as const

/** What other modules read of a citizen: the stored row without its bookkeeping columns. */
export type CitizenView = Pick<Selectable<CitizensTable>, (typeof VIEW)[number]>

/**
 * A login through the identity provider: creates the citizen on first login or refreshes their
 * data from the claims (the provider is the authority), and opens a session that records the
 * assurance level of this login. One transaction; concurrent first logins of one person meet
 * on the unique identity number and both end on the same row.
 */
export async function loginCitizen(deps: CitizenDeps, claims: CitizenClaims, idp: { issuer: string }): Promise<{ token: string; sessionId: string; citizenId: string }> {
  const now = deps.clock.now()
  const token = CITIZEN_TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url')
  const sessionId = crypto.randomUUID()
  const data = {
    fullName: claims.fullName,
    birthDate: claims.birthDate,
    gender: claims.gender,
    phone: claims.phone,
    address: claims.address,
    businessTaxCode: claims.businessTaxCode,
    businessName: claims.businessName,
    lastAssuranceLevel: claims.assuranceLevel,
    lastLoginAt: now,
    updatedAt: now,
  }
  const citizenId = await inTransaction(deps.db, async (trx) => {
    const row = await trx
      .insertInto('citizens')
      .values({ id: crypto.randomUUID(), identityNumber: claims.identityNumber, createdAt: now, ...data })
      .onConflict((oc) => oc.column('identityNumber').doUpdateSet((eb) => ({ ...data, version: eb('citizens.version', '+', 1) })))
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('citizenSessions')
      .values({
        id: sessionId,
        tokenHash: sha256(token),
        citizenId: row.id,
        assuranceLevel: claims.assuranceLevel,
        idpIssuer: idp.issuer,
        idpSubject: claims.subject,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + deps.sessionIdleMinutes * 60_000),
        revokedAt: null,
        revokedReason: null,
      })
      .execute()
    return row.id
  })
  return { token, sessionId, citizenId }
}

/** The citizen behind a session token, or undefined when the session is unknown, revoked or idle too long. */
export async function authenticateCitizenToken(deps: CitizenDeps, token: string): Promise<CitizenPrincipal | undefined> {
  if (!token.startsWith(CITIZEN_TOKEN_PREFIX) || !/^[A-Za-z0-9_-]{43}$/.test(token.slice(CITIZEN_TOKEN_PREFIX.length))) return undefined
  const row = await deps.db
    .selectFrom('citizenSessions as s')
    .innerJoin('citizens as c', 'c.id', 's.citizenId')
    .select(['s.id as sessionId', 's.assuranceLevel', 's.expiresAt', 's.revokedAt', 's.lastSeenAt', 'c.id as citizenId', 'c.fullName'])
    .where('s.tokenHash', '=', sha256(token))
    .executeTakeFirst()
  const now = deps.clock.now()
  if (!row || row.revokedAt || row.expiresAt <= now) return undefined
  // Sliding expiry, written at most once a minute so reads do not become writes.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await deps.db
      .updateTable('citizenSessions')
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + deps.sessionIdleMinutes * 60_000) })
      .where('id', '=', row.sessionId)
      .execute()
  }
  return { kind: 'citizen', citizenId: row.citizenId, sessionId: row.sessionId, fullName: row.fullName, assuranceLevel: row.assuranceLevel }
}

export async function logoutCitizen(deps: Pick<CitizenDeps, 'db' | 'clock'>, sessionId: string, reason = 'logout'): Promise<void> {
  await deps.db
    .updateTable('citizenSessions')
    .set({ revokedAt: deps.clock.now(), revokedReason: reason })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .execute()
}

/** A citizen's data as last received from the identity provider (personal data: never log it). */
export async function findCitizen(db: Db | Trx, id: string): Promise<CitizenView | undefined> {
  return db.selectFrom('citizens').select(VIEW).where('id', '=', id).executeTakeFirst()
}

/** The citizen account of a 12-digit identity number, if that person ever logged in (e.g. to reach the applicant of a counter dossier). */
export async function findCitizenByIdentityNumber(db: Db | Trx, identityNumber: string): Promise<CitizenView | undefined> {
  return db.selectFrom('citizens').select(VIEW).where('identityNumber', '=', identityNumber).executeTakeFirst()
}

export async function getCitizen(db: Db | Trx, id: string): Promise<CitizenView> {
  const c = await findCitizen(db, id)
  if (!c) throw new NotFoundError('CITIZEN.NOT_FOUND', 'Không tìm thấy công dân.', { id })
  return c
}
