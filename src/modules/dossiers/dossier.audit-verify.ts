import type { Db } from '../../shared/database.js'
import { verifyChain, type ChainBreak } from './dossier.audit.js'
import type { DossierAction, DossierStatus } from './dossier.machine.js'
import { chainedContent } from './dossier.repo.js'

export interface AuditReport {
  dossiersChecked: number
  eventsChecked: number
  firstBreak?: ChainBreak & { dossierId: string; dossierCode: string | null }
}

/** Verifies the event chain of every dossier, in id order, stopping at the first broken link. */
export async function verifyAllChains(db: Db, opts: { batch?: number } = {}): Promise<AuditReport> {
  const batch = opts.batch ?? 500
  let after = '00000000-0000-0000-0000-000000000000'
  const report: AuditReport = { dossiersChecked: 0, eventsChecked: 0 }
  for (;;) {
    const dossiers = await db.selectFrom('dossiers').select(['id', 'code', 'lastEventSeq', 'lastEventHash']).where('id', '>', after).orderBy('id').limit(batch).execute()
    if (!dossiers.length) return report
    const events = await db
      .selectFrom('dossierEvents')
      .selectAll()
      .where(
        'dossierId',
        'in',
        dossiers.map((d) => d.id),
      )
      .orderBy('dossierId')
      .orderBy('seq')
      .execute()
    const byDossier = new Map<string, typeof events>()
    for (const e of events) (byDossier.get(e.dossierId) ?? byDossier.set(e.dossierId, []).get(e.dossierId)!).push(e)
    for (const d of dossiers) {
      const list = byDossier.get(d.id) ?? []
      report.dossiersChecked++
      report.eventsChecked += list.length
      const stored = list.map((e) => ({
        id: e.id,
        seq: e.seq,
        prevHash: e.prevHash,
        hash: e.hash,
        content: chainedContent(d.id, e.seq, {
          action: e.action as DossierAction,
          from: e.fromStatus as DossierStatus | null,
          to: e.toStatus as DossierStatus,
          actor: { id: e.actorId, name: e.actorName, role: e.actorRole, agencyId: e.agencyId },
          content: e.content,
          reason: e.reason,
          at: e.occurredAt,
          stepDueAt: e.stepDueAt,
          data: (e.data ?? {}) as Record<string, unknown>,
        }),
      }))
      const broken = verifyChain(stored, { seq: d.lastEventSeq, hash: d.lastEventHash })
      if (broken) return { ...report, firstBreak: { ...broken, dossierId: d.id, dossierCode: d.code } }
    }
    after = dossiers[dossiers.length - 1]!.id
  }
}
