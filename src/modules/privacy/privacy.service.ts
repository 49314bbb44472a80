import type { Db } from '../../shared/database.js'
import { NotFoundError } from '../../shared/errors.js'
import { documentsOfOwner } from '../documents/index.js'
import { dossiersOfPerson } from '../dossiers/index.js'
import { citizenPersonalData } from '../identity/index.js'
import { notifyPersonalData } from '../notify/index.js'
import { onlinePersonalData } from '../online/index.js'
import { outreachPersonalData } from '../outreach/index.js'
import { paymentsOfDossiers } from '../payments/index.js'

export const EXPORT_FORMAT = 'vidan.personal-data.v1'

/**
 * Everything Vì Dân holds about one citizen (DOMAIN B §10: the data subject's access to their
 * data, Law 91/2025), gathered through each owning module's index: the identity claims as stored
 * (identity number unmasked: this export goes to its owner only), login sessions, consents given
 * and used, memberships and consents held as a team member, the dossiers they are applicant or
 * owner of with their history, the fees and payments of those dossiers, and their documents'
 * metadata, their online drafts, submissions and document wallet, their notification choices and
 * messages. Read in one pass; nothing about anyone else beyond what their own dossiers name (masked).
 */
export async function exportPersonalData(db: Db, citizenId: string, now: Date) {
  const identity = await citizenPersonalData(db, citizenId)
  if (!identity) throw new NotFoundError('CITIZEN.NOT_FOUND', 'Không tìm thấy công dân.')
  const n = identity.citizen.identityNumber
  const dossiers = await dossiersOfPerson(db, n)
  return {
    format: EXPORT_FORMAT,
    exportedAt: now,
    controller: 'Vì Dân — hệ thống thông tin giải quyết thủ tục hành chính tỉnh',
    identity: { citizen: identity.citizen, sessions: identity.sessions },
    outreach: await outreachPersonalData(db, citizenId, now),
    dossiers,
    payments: await paymentsOfDossiers(
      db,
      dossiers.map((d) => d.id),
    ),
    documents: await documentsOfOwner(db, n),
    online: await onlinePersonalData(db, citizenId, n),
    notifications: await notifyPersonalData(db, citizenId),
  }
}

export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>
