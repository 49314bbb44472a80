import type { StaffPrincipal } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { foldVietnamese } from '../../shared/text.js'
import { STATUS_LABELS, type DossierStatus } from './dossier.machine.js'
import type { PersonJson } from './dossier.tables.js'

export const INBOXES = ['mine', 'unit', 'due_soon', 'late', 'awaiting_supplement', 'intake', 'all_open'] as const
export type Inbox = (typeof INBOXES)[number]

const OPEN: DossierStatus[] = ['submitted', 'awaiting_supplement_intake', 'received', 'processing', 'awaiting_supplement', 'awaiting_payment', 'decided']

/** "0960****1234": enough to tell two applicants apart, never the whole number. */
export function maskId(id: string | undefined): string | null {
  if (!id) return null
  return id.length <= 6 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}


/** An officer's inbox: only dossiers of their agency (or assigned to them), newest due first. */
export async function listInbox(db: Db, me: StaffPrincipal, q: { box: Inbox; q?: string | undefined; limit: number; offset: number }) {
  let query = db.selectFrom('dossiers')
  const agency = me.agencyId
  query = query.where((eb) => eb.or([eb('currentAgencyId', '=', agency), eb('receivingAgencyId', '=', agency), eb('competentAgencyId', '=', agency), eb('currentAssigneeId', '=', me.accountId)]))
  switch (q.box) {
    case 'mine':
      query = query.where('currentAssigneeId', '=', me.accountId).where('status', 'in', OPEN)
      break
    case 'unit':
    case 'all_open':
      query = query.where('status', 'in', OPEN)
      break
    case 'due_soon':
      query = query.where('status', 'in', ['received', 'processing', 'awaiting_payment']).where('atRiskSince', 'is not', null).where('lateSince', 'is', null)
      break
    case 'late':
      query = query.where('status', 'in', OPEN).where('lateSince', 'is not', null)
      break
    case 'awaiting_supplement':
      query = query.where('status', 'in', ['awaiting_supplement', 'awaiting_supplement_intake'])
      break
    case 'intake':
      query = query.where('status', '=', 'submitted')
      break
  }
  if (q.q) {
    const term = q.q.trim()
    if (/^\d{4,12}$/.test(term)) query = query.where((eb) => eb.or([eb('applicantIdLast4', '=', term.slice(-4)), eb('code', 'like', `%${term}%`)]))
    else query = query.where((eb) => eb.or([eb('code', '=', term), eb('applicantFolded', 'like', `%${foldVietnamese(term)}%`)]))
  }
  const [rows, total] = await Promise.all([
    query
      .select(['id', 'code', 'status', 'procedureName', 'applicant', 'dueAt', 'appointmentAt', 'atRiskSince', 'lateSince', 'currentAssigneeId'])
      .orderBy('dueAt', (ob) => ob.asc().nullsLast())
      .orderBy('id')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return {
    total: Number(total?.n ?? 0),
    items: rows.map((r) => {
      const a = r.applicant as PersonJson
      return {
        id: r.id,
        code: r.code,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status as DossierStatus].vi,
        procedureName: r.procedureName,
        applicantName: a.fullName,
        applicantIdMasked: maskId(a.idNumber),
        dueAt: r.dueAt?.toISOString() ?? null,
        appointmentAt: r.appointmentAt?.toISOString() ?? null,
        atRisk: !!r.atRiskSince,
        late: !!r.lateSince,
        currentAssigneeId: r.currentAssigneeId,
      }
    }),
  }
}

/** Every opening of a dossier by an officer is recorded (DESIGN, non-negotiables). */
export async function logAccess(db: Db, clock: Clock, dossierId: string, accountId: string, purpose: string) {
  await db.insertInto('dossierAccessLog').values({ dossierId, accountId, openedAt: clock.now(), purpose }).execute()
}
