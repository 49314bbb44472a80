import { z } from 'zod'
import type { Db } from '../../shared/database.js'
import { ROLE_LABELS, type StaffRole } from '../../shared/auth.js'
import { listAgencies } from '../org/index.js'
import { STATUS_LABELS } from './dossier.machine.js'
import { findDossierByCode, type DossierRow } from './dossier.repo.js'

export const TrackingDto = z.object({
  code: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  procedureName: z.string(),
  receivedAt: z.string().nullable(),
  appointmentAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  rescheduled: z.boolean(),
  late: z.boolean(),
  returnedAt: z.string().nullable(),
  timeline: z.array(z.object({ at: z.string(), content: z.string(), officer: z.string(), title: z.string(), agency: z.string().nullable(), stepDueAt: z.string().nullable() })),
  apologies: z.array(z.object({ reason: z.string(), oldAppointment: z.string(), newAppointment: z.string(), approvedAt: z.string() })),
})
export type TrackingDto = z.infer<typeof TrackingDto>

function roleTitle(role: string): string {
  if (role === 'system') return 'Hệ thống'
  if (role === 'applicant') return 'Người nộp hồ sơ'
  return ROLE_LABELS[role as StaffRole]?.vi ?? role
}

/**
 * What the public tracking page shows, or undefined. An unknown code and a wrong verifier give
 * the same undefined, and the comparison does not short-cut, so neither reveals which it was.
 */
export async function trackDossier(db: Db, code: string, verifier: string): Promise<TrackingDto | undefined> {
  const d = await findDossierByCode(db, code.trim().toUpperCase())
  const okId = d?.applicantIdLast4 === verifier
  const okPhone = d?.applicantPhoneLast4 === verifier
  if (!d || !(okId || okPhone) || !d.code) return undefined
  return { ...(await publicView(db, d)), code: d.code }
}

/** What the applicant may see of their dossier (the public tracking view; `code` null before receipt). */
export async function publicView(db: Db, d: DossierRow): Promise<Omit<TrackingDto, 'code'> & { code: string | null }> {
  const [events, apologies, agencies] = await Promise.all([
    db.selectFrom('dossierEvents').select(['occurredAt', 'content', 'actorName', 'actorRole', 'agencyId', 'stepDueAt', 'action']).where('dossierId', '=', d.id).orderBy('seq').execute(),
    db.selectFrom('dossierApologies').selectAll().where('dossierId', '=', d.id).where('status', '=', 'approved').orderBy('decidedAt').execute(),
    listAgencies(db),
  ])
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]))
  return {
    code: d.code,
    status: d.status,
    statusLabel: STATUS_LABELS[d.status].vi,
    procedureName: d.procedureName,
    receivedAt: d.receivedAt?.toISOString() ?? null,
    appointmentAt: d.appointmentAt?.toISOString() ?? null,
    dueAt: d.dueAt?.toISOString() ?? null,
    rescheduled: d.rescheduleCount > 0,
    late: !!d.lateSince,
    returnedAt: d.returnedAt?.toISOString() ?? null,
    // Internal reasoning (drafts returned by a leader) is not public; the rest is.
    timeline: events
      .filter((e) => e.action !== 'return_apology' && e.action !== 'draft_apology')
      .map((e) => ({ at: e.occurredAt.toISOString(), content: e.content, officer: e.actorRole === 'applicant' ? 'Người nộp hồ sơ' : e.actorName, title: roleTitle(e.actorRole), agency: e.agencyId ? (agencyName.get(e.agencyId) ?? e.agencyId) : null, stepDueAt: e.stepDueAt?.toISOString() ?? null })),
    apologies: apologies.map((a) => ({ reason: a.reason, oldAppointment: a.oldDueAt.toISOString(), newAppointment: a.proposedDueAt.toISOString(), approvedAt: a.decidedAt!.toISOString() })),
  }
}

/** "000.00.00.H12-261126-****": the public list names the agency and date, not the dossier. */
export function maskCode(code: string): string {
  return code.replace(/-(\d{4,})$/, (_m, n: string) => `-${'*'.repeat(n.length)}`)
}

/** The public list of approved apologies (A6), newest first. */
export async function publicApologies(db: Db, q: { agency?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('dossierApologies as a')
    .innerJoin('dossiers as d', 'd.id', 'a.dossierId')
    .select(['a.agencyId', 'd.code', 'd.procedureName', 'a.reason', 'a.oldDueAt', 'a.proposedDueAt', 'a.decidedAt'])
    .where('a.status', '=', 'approved')
  if (q.agency) query = query.where('a.agencyId', '=', q.agency)
  const rows = await query.orderBy('a.decidedAt', 'desc').orderBy('a.id').limit(q.limit).execute()
  const names = new Map((await listAgencies(db)).map((a) => [a.id, a.name]))
  return rows.map((r) => ({
    agencyId: r.agencyId,
    agencyName: names.get(r.agencyId) ?? r.agencyId,
    dossierCodeMasked: maskCode(r.code ?? ''),
    procedureName: r.procedureName,
    reason: r.reason,
    oldAppointment: r.oldDueAt.toISOString(),
    newAppointment: r.proposedDueAt.toISOString(),
    approvedAt: r.decidedAt!.toISOString(),
  }))
}
