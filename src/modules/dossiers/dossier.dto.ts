import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import type { Db, Trx } from '../../shared/database.js'
import { DOSSIER_ACTIONS, DOSSIER_STATUSES, NATIONAL_STATUS_CODE, STATUS_LABELS } from './dossier.machine.js'
import type { DossierRow } from './dossier.repo.js'
import { actionsFor } from './dossier.service.js'
import type { DocumentLine, PersonJson } from './dossier.tables.js'
import { planView, storedPlan } from './dossier.workflow.js'

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

export const PersonDto = z.object({ fullName: z.string(), idNumber: z.string().optional(), phone: z.string().optional(), email: z.string().optional(), address: z.string().optional() })

export const DossierDto = z.object({
  id: z.string(),
  code: z.string().nullable(),
  status: z.enum(DOSSIER_STATUSES),
  statusLabel: z.string(),
  nationalStatusCode: z.number(),
  version: z.number(),
  channel: z.string(),
  procedure: z.object({ code: z.string(), version: z.number(), name: z.string() }),
  caseName: z.string().nullable(),
  receivingAgencyId: z.string(),
  competentAgencyId: z.string(),
  currentAgencyId: z.string(),
  currentAssigneeId: z.string().nullable(),
  communeCode: z.string().nullable(),
  applicant: PersonDto,
  owner: PersonDto.nullable(),
  documents: z.array(z.object({ name: z.string(), originals: z.number(), certifiedCopies: z.number(), photocopies: z.number(), received: z.boolean() })),
  sets: z.number(),
  returnMethod: z.string(),
  limit: z.object({ amount: z.number(), unit: z.string() }),
  submittedAt: z.string(),
  receivedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  appointmentAt: z.string().nullable(),
  dueExplanation: z.unknown(),
  pausedSince: z.string().nullable(),
  rescheduleCount: z.number(),
  supplementCount: z.number(),
  atRisk: z.boolean(),
  late: z.boolean(),
  decidedAt: z.string().nullable(),
  decision: z.string().nullable(),
  returnedAt: z.string().nullable(),
  allowedActions: z.array(z.enum(DOSSIER_ACTIONS)),
})
export type DossierDto = z.infer<typeof DossierDto>

export function toDossierDto(d: DossierRow, viewer?: StaffPrincipal): DossierDto {
  return {
    id: d.id,
    code: d.code,
    status: d.status,
    statusLabel: STATUS_LABELS[d.status].vi,
    nationalStatusCode: NATIONAL_STATUS_CODE[d.status],
    version: d.version,
    channel: d.channel,
    procedure: { code: d.procedureCode, version: d.procedureVersion, name: d.procedureName },
    caseName: d.caseName,
    receivingAgencyId: d.receivingAgencyId,
    competentAgencyId: d.competentAgencyId,
    currentAgencyId: d.currentAgencyId,
    currentAssigneeId: d.currentAssigneeId,
    communeCode: d.communeCode,
    applicant: d.applicant as PersonJson,
    owner: (d.owner as PersonJson | null) ?? null,
    documents: d.documents as DocumentLine[],
    sets: d.sets,
    returnMethod: d.returnMethod,
    limit: { amount: d.limitAmount, unit: d.limitUnit },
    submittedAt: d.submittedAt.toISOString(),
    receivedAt: iso(d.receivedAt),
    dueAt: iso(d.dueAt),
    appointmentAt: iso(d.appointmentAt),
    dueExplanation: d.dueExplanation ?? null,
    pausedSince: iso(d.pausedSince),
    rescheduleCount: d.rescheduleCount,
    supplementCount: d.supplementCount,
    atRisk: !!d.atRiskSince,
    late: !!d.lateSince,
    decidedAt: iso(d.decidedAt),
    decision: d.decision,
    returnedAt: iso(d.returnedAt),
    allowedActions: viewer ? actionsFor(viewer, d) : [],
  }
}

export const EventDto = z.object({
  seq: z.number(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  agencyId: z.string().nullable(),
  content: z.string(),
  reason: z.string().nullable(),
  occurredAt: z.string(),
  stepDueAt: z.string().nullable(),
  data: z.unknown(),
})

export const StepDto = z.object({
  seq: z.number(),
  kind: z.string(),
  name: z.string(),
  agencyId: z.string(),
  role: z.string(),
  assigneeId: z.string().nullable(),
  givenBy: z.string().nullable(),
  receivedBy: z.string().nullable(),
  startedAt: z.string(),
  dueAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  outcome: z.string().nullable(),
  note: z.string().nullable(),
  /** The planned step it carries out (index in `plan.steps`); null outside the plan. */
  planIndex: z.number().int().nullable(),
})

export const ApologyDto = z.object({ id: z.string(), status: z.string(), reason: z.string(), oldAppointment: z.string(), proposedAppointment: z.string(), draftedAt: z.string(), decidedAt: z.string().nullable() })

export async function loadDossierDetail(db: Db | Trx, d: DossierRow) {
  const [events, steps, apologies] = await Promise.all([
    db.selectFrom('dossierEvents').selectAll().where('dossierId', '=', d.id).orderBy('seq').execute(),
    db.selectFrom('dossierSteps').selectAll().where('dossierId', '=', d.id).orderBy('seq').execute(),
    db.selectFrom('dossierApologies').selectAll().where('dossierId', '=', d.id).orderBy('draftedAt').execute(),
  ])
  return {
    events: events.map((e) => ({ seq: e.seq, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorName: e.actorName, actorRole: e.actorRole, agencyId: e.agencyId, content: e.content, reason: e.reason, occurredAt: e.occurredAt.toISOString(), stepDueAt: iso(e.stepDueAt), data: e.data })),
    steps: steps.map((s) => ({ ...s, startedAt: s.startedAt.toISOString(), dueAt: iso(s.dueAt), completedAt: iso(s.completedAt) })),
    apologies: apologies.map((a) => ({ id: a.id, status: a.status, reason: a.reason, oldAppointment: a.oldDueAt.toISOString(), proposedAppointment: a.proposedDueAt.toISOString(), draftedAt: a.draftedAt.toISOString(), decidedAt: iso(a.decidedAt) })),
    plan: planView(storedPlan(d.workflowPlan), steps),
  }
}
