import { sql } from 'kysely'
import type { Db, Trx } from '../../shared/database.js'
import type { PersonJson } from './dossier.tables.js'

const maskOther = (p: PersonJson | null, mine: string): PersonJson | null => (p && p.idNumber && p.idNumber !== mine ? { ...p, idNumber: `${p.idNumber.slice(0, 3)}*****${p.idNumber.slice(-4)}` } : p)

/**
 * The dossiers a person is the applicant or the owner of (by identity number), with their public
 * history, for that person's own data export. Another person named in one of them keeps a masked
 * identity number. Not indexed: one person's export, not a list page.
 */
export async function dossiersOfPerson(db: Db | Trx, identityNumber: string) {
  const rows = await db
    .selectFrom('dossiers')
    .select(['id', 'code', 'status', 'channel', 'procedureCode', 'procedureName', 'caseName', 'communeCode', 'applicant', 'owner', 'documents', 'returnMethod', 'submittedAt', 'receivedAt', 'dueAt', 'appointmentAt', 'decidedAt', 'decision', 'returnedAt'])
    .where((eb) => eb.or([eb(sql`applicant->>'idNumber'`, '=', identityNumber), eb(sql`owner->>'idNumber'`, '=', identityNumber)]))
    .orderBy('submittedAt')
    .orderBy('id')
    .execute()
  if (!rows.length) return []
  const events = await db
    .selectFrom('dossierEvents')
    .select(['dossierId', 'seq', 'action', 'fromStatus', 'toStatus', 'actorName', 'actorRole', 'content', 'reason', 'occurredAt'])
    .where('dossierId', 'in', rows.map((r) => r.id))
    .orderBy('dossierId')
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({
    ...r,
    applicant: maskOther(r.applicant as PersonJson, identityNumber),
    owner: maskOther(r.owner as PersonJson | null, identityNumber),
    events: events.filter((e) => e.dossierId === r.id).map(({ dossierId: _d, ...e }) => e),
  }))
}
