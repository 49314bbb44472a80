import type { Db, Trx } from '../../shared/database.js'
import type { CitizenView } from './citizen.service.js'

const VIEW = ['id', 'identityNumber', 'fullName', 'birthDate', 'gender', 'phone', 'address', 'businessTaxCode', 'businessName', 'lastAssuranceLevel', 'lastLoginAt'] as const

/** The citizen with this identity number, if they ever logged in (personal data: never log it). */
export async function findCitizenByIdentityNumber(db: Db | Trx, identityNumber: string): Promise<CitizenView | undefined> {
  return db.selectFrom('citizens').select(VIEW).where('identityNumber', '=', identityNumber).executeTakeFirst()
}

/** What identity holds about one citizen, for their own "download all my data": the stored claims and every login session (no token hashes). */
export async function citizenPersonalData(db: Db | Trx, citizenId: string) {
  const citizen = await db.selectFrom('citizens').selectAll().where('id', '=', citizenId).executeTakeFirst()
  if (!citizen) return undefined
  const sessions = await db
    .selectFrom('citizenSessions')
    .select(['id', 'assuranceLevel', 'idpIssuer', 'idpSubject', 'createdAt', 'lastSeenAt', 'expiresAt', 'revokedAt', 'revokedReason'])
    .where('citizenId', '=', citizenId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  return { citizen, sessions }
}
