import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { consumeOutbox } from '../../shared/outbox.js'
import { findDossier, listDossierFiles } from '../dossiers/index.js'
import { DEMO_FORM_DEFINITIONS } from './online.forms.js'
import { addWalletItem } from './online.service.js'

const RESULTS_CONSUMER = 'online.wallet-results'

/**
 * Results reach their owner's wallet when they are returned (DOMAIN B §7.2: results are stored in
 * the personal electronic document store): a consumer of `dossier.return_result` adds the
 * dossier's approved result files, with their legal-copy flag, to the wallet of the documents'
 * owner (the identity number recorded on each document).
 */
export async function collectReturnedResults(db: Db, clock: Clock, maxBatches = 20): Promise<number> {
  let total = 0
  for (let i = 0; i < maxBatches; i++) {
    const n = await consumeOutbox(db, RESULTS_CONSUMER, ['dossier.return_result'], async (trx, events) => {
      for (const e of events) {
        const dossierId = (e.payload as { dossierId?: string }).dossierId
        const d = dossierId ? await findDossier(trx, dossierId) : undefined
        if (!d || d.decision !== 'approved') continue
        const files = (await listDossierFiles(trx, d.id)).filter((f) => f.kind === 'result')
        // The owner is on the document itself (set when it was attached): the dossier's owner or applicant.
        const owners = await trx.selectFrom('documents').select(['id', 'ownerSubject']).where('id', 'in', files.length ? files.map((f) => f.id) : ['00000000-0000-0000-0000-000000000000']).execute()
        const ownerOf = new Map(owners.map((o) => [o.id, o.ownerSubject]))
        for (const f of files) {
          const owner = ownerOf.get(f.id)
          if (owner) await addWalletItem(trx, { ownerIdentityNumber: owner, documentId: f.id, source: 'result', title: `${f.name.replace(/\.[a-z]+$/i, '')} (${d.procedureName})`, dossierId: d.id, resultCode: d.code, legalCopy: f.legalCopy, at: clock.now() })
        }
      }
    })
    total += n
    if (n === 0) break
  }
  return total
}

/** The e-form definitions of the demo procedures (idempotent: an existing definition is left as it is). */
export async function seedFormDefinitions(db: Db, clock: Clock): Promise<void> {
  const now = clock.now()
  await db
    .insertInto('onlineFormDefinitions')
    .values(Object.entries(DEMO_FORM_DEFINITIONS).map(([procedureCode, d]) => ({ procedureCode, fields: JSON.stringify(d.fields), defaultLimit: d.defaultLimit ? JSON.stringify(d.defaultLimit) : null, updatedAt: now })))
    .onConflict((oc) => oc.column('procedureCode').doNothing())
    .execute()
}
