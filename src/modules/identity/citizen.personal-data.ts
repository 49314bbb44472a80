import type { Db, Trx } from '../../shared/database.js'

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
