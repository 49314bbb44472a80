import type { Db, Trx } from '../../shared/database.js'
import { findCitizen, type CitizenView } from './citizen.service.js'

/** The citizen with this identity number, if they ever logged in (personal data: never log it). */
export async function findCitizenByIdentityNumber(db: Db | Trx, identityNumber: string): Promise<CitizenView | undefined> {
  const row = await db.selectFrom('citizens').select('id').where('identityNumber', '=', identityNumber).executeTakeFirst()
  return row ? findCitizen(db, row.id) : undefined
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
