import type { Generated } from 'kysely'

export interface PersonJson {
  fullName: string
  idNumber?: string | undefined
  phone?: string | undefined
  email?: string | undefined
  address?: string | undefined
}

export interface DocumentLine {
  name: string
  originals: number
  certifiedCopies: number
  photocopies: number
  received: boolean
}

export interface DossiersTable {
  id: string
  code: string | null
  status: string
  version: Generated<number>
  channel: 'counter' | 'online' | 'post' | 'national_portal'
  procedureCode: string
  procedureVersion: number
  procedureName: string
  caseName: string | null
  receivingAgencyId: string
  competentAgencyId: string
  communeCode: string | null
  applicant: unknown
  owner: unknown
  applicantFolded: string
  applicantIdLast4: string | null
  applicantPhoneLast4: string | null
  documents: unknown
  sets: number
  returnMethod: 'counter' | 'post' | 'online'
  limitAmount: number
  limitUnit: string
  pauseMode: 'restart' | 'resume'
  submittedAt: Date
  receivedAt: Date | null
  clockStartedAt: Date | null
  dueAt: Date | null
  appointmentAt: Date | null
  dueExplanation: unknown
  pausedSince: Date | null
  pauseReason: string | null
  rescheduleCount: Generated<number>
  supplementCount: Generated<number>
  atRiskSince: Date | null
  lateSince: Date | null
  decidedAt: Date | null
  decision: 'approved' | 'rejected' | null
  returnedAt: Date | null
  currentAssigneeId: string | null
  currentAgencyId: string
  /** WorkflowPlan (dossier.workflow.ts): the template's steps with their due times, copied at receipt; null before receipt and for dossiers received before templates existed. */
  workflowPlan: unknown
  lastEventSeq: number
  lastEventHash: string
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}

export interface DossierEventsTable {
  id: Generated<number>
  dossierId: string
  seq: number
  action: string
  fromStatus: string | null
  toStatus: string
  actorId: string | null
  actorName: string
  actorRole: string
  agencyId: string | null
  content: string
  reason: string | null
  occurredAt: Date
  stepDueAt: Date | null
  data: unknown
  prevHash: string
  hash: string
}

export interface DossierStepsTable {
  dossierId: string
  seq: number
  kind: string
  name: string
  agencyId: string
  role: string
  assigneeId: string | null
  givenBy: string | null
  receivedBy: string | null
  startedAt: Date
  dueAt: Date | null
  completedAt: Date | null
  outcome: string | null
  note: string | null
  /** The planned step (index in the dossier's workflow plan) this step carries out; null for a step outside the plan. */
  planIndex: number | null
}

export interface DossierCodeCountersTable {
  agencyCode: string
  day: string
  lastSeq: number
}

export interface DossierPausesTable {
  dossierId: string
  seq: number
  kind: 'supplement' | 'payment'
  mode: 'restart' | 'resume'
  fromAt: Date
  toAt: Date | null
  reason: string
}

export interface DossierApologiesTable {
  id: string
  dossierId: string
  agencyId: string
  status: 'draft' | 'approved' | 'returned'
  reason: string
  oldDueAt: Date
  proposedDueAt: Date
  draftedBy: string
  draftedAt: Date
  decidedBy: string | null
  decidedAt: Date | null
  decisionNote: string | null
}

export interface DossierFormsTable {
  id: string
  dossierId: string
  kind: string
  sourceSeq: number
  formCode: string
  numbering: string
  sha256: string
  bytes: Buffer
  issuedAt: Date
  issuedBy: string | null
}

export interface DossierAccessLogTable {
  id: Generated<number>
  dossierId: string
  accountId: string
  openedAt: Date
  purpose: string
}

/** A file attached to a dossier by one of its events (the document itself is the documents module's). */
export interface DossierFilesTable {
  dossierId: string
  documentId: string
  eventSeq: number
  /** Order of the file within its upload. */
  position: number
  attachedBy: string | null
  attachedByName: string
  attachedAt: Date
}

export interface IdempotencyKeysTable {
  key: string
  scope: string
  requestHash: string
  statusCode: number
  body: unknown
  createdAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    dossiers: DossiersTable
    dossierEvents: DossierEventsTable
    dossierSteps: DossierStepsTable
    dossierCodeCounters: DossierCodeCountersTable
    dossierPauses: DossierPausesTable
    dossierApologies: DossierApologiesTable
    dossierForms: DossierFormsTable
    dossierAccessLog: DossierAccessLogTable
    dossierFiles: DossierFilesTable
    idempotencyKeys: IdempotencyKeysTable
  }
}
