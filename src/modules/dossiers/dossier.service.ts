import crypto from 'node:crypto'
import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { DomainError, ForbiddenError, ValidationError } from '../../shared/errors.js'
import { foldVietnamese } from '../../shared/text.js'
import { computeDue, countWorkingDaysBetween, getCalendarSnapshot, type CalendarSnapshot, type Pause } from '../calendar/index.js'
import { findStaffMember, listActiveStaff, parseIdentityNumber } from '../identity/index.js'
import { findAgencyById, type Agency } from '../org/index.js'
import { formatDossierCode } from './dossier.code.js'
import { allowedActions, nextStatus, RULES, type DossierAction, type DossierStatus, type Rule } from './dossier.machine.js'
import { type DossierChannel, type Limit, type ProcedureSnapshot } from './dossier.procedure.js'
import { agencyExists, procedureSnapshot, workflowSnapshot } from './dossier.reference.js'
import {
  allocateDossierSeq,
  getDossier,
  insertDossier,
  lockDossier,
  saveTransition,
  SYSTEM_ACTOR,
  type Actor,
  type DossierPatch,
  type DossierRow,
  type EventInput,
  type LockedDossier,
  type StepRow,
  type StepWrites,
} from './dossier.repo.js'
import type { DocumentLine, PersonJson } from './dossier.tables.js'
import { buildPlan, nextSequential, replanDueTimes, storedPlan, type PlannedStep, type WorkflowPlan } from './dossier.workflow.js'

export interface DossierSettings {
  /** A6: how many working days before the due time a dossier is "at risk". */
  atRiskWorkingDays: number
  /** A6: how many times the appointment may be moved by an apology. */
  maxReschedules: number
}

export const DEFAULT_DOSSIER_SETTINGS: DossierSettings = { atRiskWorkingDays: 1, maxReschedules: 1 }

export interface DossierDeps {
  db: Db
  clock: Clock
  provinceCode: string
  settings?: DossierSettings
}

const settingsOf = (d: DossierDeps) => d.settings ?? DEFAULT_DOSSIER_SETTINGS

export function actorOf(p: StaffPrincipal): Actor {
  return { id: p.accountId, name: p.fullName, role: p.role, agencyId: p.agencyId }
}

// ---- who may do what ------------------------------------------------------------------------

/** Roles allowed per action; agency checks follow in `authorize`. */
const ROLES: Record<DossierAction, readonly (StaffRole | 'system')[]> = {
  submit: ['counter_officer'],
  request_supplement_intake: ['counter_officer'],
  supplement_intake: ['counter_officer'],
  refuse: ['counter_officer'],
  receive: ['counter_officer'],
  assign: ['agency_leader'],
  reassign: ['agency_leader'],
  transfer: ['processing_officer', 'agency_leader'],
  consult: ['processing_officer', 'agency_leader'],
  answer_consultation: ['processing_officer', 'agency_leader'],
  submit_for_approval: ['processing_officer'],
  request_supplement: ['processing_officer', 'agency_leader'],
  receive_supplement: ['counter_officer', 'processing_officer'],
  request_payment: ['processing_officer', 'agency_leader'],
  confirm_payment: ['counter_officer', 'processing_officer', 'system'],
  approve: ['agency_leader'],
  reject: ['agency_leader'],
  return_result: ['counter_officer'],
  withdraw: ['counter_officer'],
  stop: ['agency_leader'],
  draft_apology: ['processing_officer'],
  approve_apology: ['agency_leader'],
  return_apology: ['agency_leader'],
  mark_at_risk: ['system'],
  mark_late: ['system'],
  recompute_due: ['system'],
  attach_file: [], // not through act(): dossier.files.ts checks who may attach which kind
}

/** The agency whose staff may act: the receiving side for intake and return, else the current handler's. */
function actingAgencyOf(d: DossierRow, action: DossierAction): string[] {
  switch (action) {
    case 'submit':
    case 'request_supplement_intake':
    case 'supplement_intake':
    case 'refuse':
    case 'receive':
    case 'return_result':
    case 'withdraw':
      return [d.receivingAgencyId, d.competentAgencyId]
    case 'receive_supplement':
    case 'confirm_payment':
      return [d.receivingAgencyId, d.currentAgencyId]
    case 'approve':
    case 'reject':
    case 'approve_apology':
    case 'return_apology':
    case 'stop':
      return [d.competentAgencyId]
    default:
      return [d.currentAgencyId]
  }
}

function mayAct(p: StaffPrincipal, d: DossierRow, action: DossierAction): boolean {
  if (!ROLES[action].includes(p.role)) return false
  if (!actingAgencyOf(d, action).includes(p.agencyId)) return false
  // A processing officer works on the dossiers assigned to them.
  if (p.role === 'processing_officer' && ['submit_for_approval', 'draft_apology', 'request_supplement', 'request_payment', 'transfer', 'consult'].includes(action)) {
    return d.currentAssigneeId === p.accountId
  }
  return true
}

/** What this officer may do to this dossier now: the lifecycle's allowed actions that their role and agency permit. */
export function actionsFor(p: StaffPrincipal, d: DossierRow): DossierAction[] {
  return allowedActions(d.status).filter((a) => mayAct(p, d, a))
}

/**
 * The system acting on the word of another system, e.g. the payment platform's signed callback
 * confirming a payment: only actions whose ROLES include 'system', recorded with this name.
 */
export interface SystemPrincipal {
  kind: 'system'
  name: string
}

/**
 * The applicant acting on their own dossier from "my dossiers" (online): withdrawing it, or
 * handing in a requested supplement. Whether this person is the dossier's applicant (or acts for
 * them with recorded consent) is checked by the caller, the online services module.
 */
export interface ApplicantPrincipal {
  kind: 'applicant'
  /** The acting person's id (the citizen, or the team member acting for them). */
  id: string
  name: string
}

/** What an applicant may do to their dossier (the rest is the officers'). */
export const APPLICANT_ACTIONS: readonly DossierAction[] = ['withdraw', 'supplement_intake', 'receive_supplement']

function authorize(p: StaffPrincipal | SystemPrincipal | ApplicantPrincipal, d: DossierRow, action: DossierAction) {
  nextStatus(d.status, action) // lifecycle first: 409 naming the allowed actions
  const allowed = p.kind === 'system' ? ROLES[action].includes('system') : p.kind === 'applicant' ? APPLICANT_ACTIONS.includes(action) : mayAct(p, d, action)
  if (!allowed) throw new ForbiddenError('Bạn không có quyền thực hiện thao tác này đối với hồ sơ.', 'DOSSIER.FORBIDDEN')
}

function requireReason(action: DossierAction, reason: string | undefined): string | undefined {
  const rule: Rule = RULES[action]
  if (rule.reasonRequired && !reason?.trim()) {
    throw new ValidationError('DOSSIER.REASON_REQUIRED', 'Cần ghi rõ lý do.', { fields: { reason: ['Cần ghi rõ lý do.'] } })
  }
  return reason?.trim()
}

// ---- clock ----------------------------------------------------------------------------------

async function calendarFor(trx: Trx, deps: DossierDeps, communeCode: string | null) {
  return getCalendarSnapshot(trx, { provinceCode: deps.provinceCode, communeCode: communeCode ?? undefined })
}

async function closedPauses(trx: Trx, dossierId: string): Promise<Pause[]> {
  const rows = await trx.selectFrom('dossierPauses').selectAll().where('dossierId', '=', dossierId).where('toAt', 'is not', null).orderBy('seq').execute()
  return rows.map((r) => ({ from: r.fromAt, to: r.toAt!, reason: r.reason, mode: r.mode }))
}


// ---- steps (form 06) --------------------------------------------------------------------------

type Punctuality = 'early' | 'on_time' | 'late'

export function punctuality(completedAt: Date, dueAt: Date | null): Punctuality {
  if (!dueAt) return 'on_time'
  if (completedAt > dueAt) return 'late'
  // Early: finished before the start of the due day in Vietnam time.
  const dueDay = new Date(dueAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
  const doneDay = new Date(completedAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10)
  return doneDay < dueDay ? 'early' : 'on_time'
}

interface NewStep {
  kind: string
  name: string
  agencyId: string
  role: string
  assigneeId?: string | null
  givenBy?: string | null
  receivedBy?: string | null
  startedAt: Date
  dueAt: Date | null
  planIndex?: number | null
}

const stepRow = (dossierId: string, seq: number, s: NewStep): StepRow => ({
  dossierId,
  seq,
  kind: s.kind,
  name: s.name,
  agencyId: s.agencyId,
  role: s.role,
  assigneeId: s.assigneeId ?? null,
  givenBy: s.givenBy ?? null,
  receivedBy: s.receivedBy ?? null,
  startedAt: s.startedAt,
  dueAt: s.dueAt,
  completedAt: null,
  outcome: null,
  note: null,
  planIndex: s.planIndex ?? null,
})

/** The open steps of the given kinds, completed at `at` (form 06: early, on time or late). */
function closeSteps(open: StepRow[], kinds: string[], at: Date, note?: string): StepRow[] {
  return open.filter((s) => kinds.includes(s.kind)).map((s) => ({ ...s, completedAt: at, outcome: punctuality(at, s.dueAt), note: note ?? s.note }))
}

/** A hand-over (form 06): closes the open steps of the given kinds and opens the next ones. */
function handOver(l: LockedDossier, at: Date, close: string[], next: NewStep | NewStep[], note?: string): StepWrites {
  const steps = Array.isArray(next) ? next : [next]
  return { update: closeSteps(l.openSteps, close, at, note), insert: steps.map((n, i) => stepRow(l.dossier.id, l.lastStepSeq + 1 + i, n)) }
}

// ---- the workflow plan (issue 5 §3) ----------------------------------------------------------------

/** A planned step as a step to open now. */
const plannedStep = (p: PlannedStep, givenBy: string | null, at: Date, assigneeId?: string | null): NewStep => ({
  kind: p.kind,
  name: p.name,
  agencyId: p.agencyId,
  role: p.role,
  givenBy,
  assigneeId: assigneeId ?? null,
  receivedBy: assigneeId ?? null,
  startedAt: at,
  dueAt: new Date(p.dueAt),
  planIndex: p.index,
})

/** The planned sequential step and the parallel consultations it hosts, to open together. */
const openPlanned = (next: { step: PlannedStep; parallel: PlannedStep[] }, givenBy: string | null, at: Date, assigneeId?: string | null): NewStep[] => [
  plannedStep(next.step, givenBy, at, assigneeId),
  ...next.parallel.map((p) => plannedStep(p, givenBy, at)),
]

/** The dossier's plan; a dossier received before plans were stored follows the default one, planned now from its clock. */
async function planOf(trx: Trx, deps: DossierDeps, d: DossierRow): Promise<WorkflowPlan | undefined> {
  const stored = storedPlan(d.workflowPlan)
  if (stored || !d.receivedAt || !d.dueAt) return stored
  const limit = { amount: d.limitAmount, unit: d.limitUnit as Limit['unit'] }
  const template = { code: d.procedureCode, procedureVersion: d.procedureVersion, templateVersion: null, source: 'default' as const, limit, steps: [] }
  return buildPlan(template, { ...d, limit, receivedAt: d.clockStartedAt ?? d.receivedAt, dueAt: d.dueAt }, await calendarFor(trx, deps, d.communeCode))
}

/** Where the dossier is in its plan: the latest open sequential planned step. */
function currentPlanIndex(plan: WorkflowPlan, open: StepRow[]): number | undefined {
  const idx = open.filter((s) => s.planIndex !== null && plan.steps[s.planIndex] && !plan.steps[s.planIndex]!.parallel).map((s) => s.planIndex!)
  return idx.length ? Math.max(...idx) : undefined
}

/** The plan with due times counted again from the clock, and the open planned steps moved to them (others to the dossier's due time). */
function replannedSteps(plan: WorkflowPlan | undefined, open: StepRow[], dueAt: Date, cal: CalendarSnapshot, clock: { receivedAt: Date; pauses: Pause[] }) {
  const next = plan ? replanDueTimes(plan, cal, { ...clock, dueAt }) : undefined
  const update = open
    .filter((s) => s.planIndex !== null || s.kind === 'handle' || s.kind === 'approve')
    .map((s) => ({ ...s, dueAt: next && s.planIndex !== null && next.steps[s.planIndex] ? new Date(next.steps[s.planIndex]!.dueAt) : dueAt }))
  return { plan: next, update }
}

// ---- intake -----------------------------------------------------------------------------------

export interface PersonInput {
  fullName: string
  idNumber?: string | undefined
  phone?: string | undefined
  email?: string | undefined
  address?: string | undefined
}

export interface IntakeInput {
  procedureCode: string
  caseName?: string | undefined
  communeCode?: string | undefined
  applicant: PersonInput
  owner?: PersonInput | undefined
  documents?: { name: string; originals: number; certifiedCopies: number; photocopies: number; received: boolean }[] | undefined
  sets?: number | undefined
  returnMethod?: 'counter' | 'post' | 'online' | undefined
  /** Only when the procedure's published time cannot be parsed: the officer states it. */
  limit?: Limit | undefined
  decision: 'accept' | 'supplement' | 'refuse'
  reason?: string | undefined
  /** Form 02: everything missing, listed at once (Decree 61 Art. 17.1(a)). */
  missing?: string[] | undefined
}

function checkPerson(p: PersonInput, field: string, today: Date): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (p.idNumber) {
    const r = parseIdentityNumber(p.idNumber, { today })
    if (!r.ok) out[`${field}.idNumber`] = [r.problem]
  }
  if (p.phone && !/^(\+84|0)\d{9,10}$/.test(p.phone.replace(/[\s.]/g, ''))) out[`${field}.phone`] = ['Số điện thoại không hợp lệ.']
  return out
}

const last4 = (s: string | undefined) => (s ? s.replace(/\D/g, '').slice(-4) || null : null)

function person(p: PersonInput): PersonJson {
  return { fullName: p.fullName.normalize('NFC').trim(), idNumber: p.idNumber?.trim(), phone: p.phone?.replace(/[\s.]/g, ''), email: p.email?.trim(), address: p.address?.normalize('NFC').trim() }
}

async function requireAgency(trx: Trx, id: string): Promise<Agency> {
  const a = await findAgencyById(trx, id)
  if (!a) throw new ValidationError('DOSSIER.UNKNOWN_AGENCY', `Cơ quan ${id} không tồn tại.`, { agencyId: id })
  return a
}

/**
 * Counter intake (issue 5 §2): the officer checks the dossier and accepts it (code, valid
 * receipt, appointment by the calendar, form 01), asks for a supplement listing everything
 * missing (form 02), or refuses with a reason (form 03). The receiving agency is the officer's;
 * the competent agency comes from the procedure, whatever counter received it.
 */
export async function intakeAtCounter(trx: Trx, deps: DossierDeps, officer: StaffPrincipal, input: IntakeInput): Promise<DossierRow> {
  if (officer.role !== 'counter_officer') throw new ForbiddenError('Chỉ công chức một cửa được tiếp nhận hồ sơ.', 'DOSSIER.FORBIDDEN')
  // The session read the officer's agency, code included, for this request: no need to read it again.
  return createDossier(trx, deps, actorOf(officer), { ...input, channel: 'counter', receiving: { id: officer.agencyId, code: officer.agencyCode } })
}

/** Online submission through the API (status 1, awaiting receipt by the competent one-stop desk). */
export async function submitOnline(trx: Trx, deps: DossierDeps, submitter: Actor, input: Omit<IntakeInput, 'decision' | 'reason' | 'missing'>): Promise<DossierRow> {
  const proc = await procedureSnapshot(trx, deps, { code: input.procedureCode, at: deps.clock.now(), channel: 'online', communeCode: input.communeCode, caseName: input.caseName })
  const competent = await requireAgency(trx, proc.competentAgencyId)
  return createDossier(trx, deps, submitter, { ...input, decision: 'submit_only', channel: 'online', receiving: competent }, proc)
}

async function createDossier(
  trx: Trx,
  deps: DossierDeps,
  actor: Actor,
  input: Omit<IntakeInput, 'decision'> & { decision: IntakeInput['decision'] | 'submit_only'; channel: DossierChannel; receiving: { id: string; code: string } },
  resolved?: ProcedureSnapshot,
): Promise<DossierRow> {
  const now = deps.clock.now()
  const proc = resolved ?? (await procedureSnapshot(trx, deps, { code: input.procedureCode, at: now, channel: input.channel, communeCode: input.communeCode, caseName: input.caseName }))
  const problems: Record<string, string[]> = { ...checkPerson(input.applicant, 'applicant', now), ...(input.owner ? checkPerson(input.owner, 'owner', now) : {}) }
  const limit = input.limit ?? proc.limit
  if (!limit) problems['limit'] = [`Thời hạn giải quyết công bố ("${proc.limitText || 'không có'}") không đọc được; cần nhập thời hạn.`]
  if (input.decision !== 'accept' && input.decision !== 'submit_only' && !input.reason?.trim()) problems['reason'] = ['Cần ghi rõ lý do.']
  if (input.decision === 'supplement' && !input.missing?.length) problems['missing'] = ['Cần liệt kê đầy đủ giấy tờ còn thiếu (một lần).']
  if (Object.keys(problems).length) throw new ValidationError('DOSSIER.INVALID_INTAKE', 'Hồ sơ tiếp nhận chưa hợp lệ.', { fields: problems })

  // An agency code is known when the agency was found (a principal's is '' otherwise).
  const receiving = input.receiving.code ? input.receiving : await requireAgency(trx, input.receiving.id)
  if (!(await agencyExists(trx, deps, proc.competentAgencyId))) throw new ValidationError('DOSSIER.UNKNOWN_AGENCY', `Cơ quan ${proc.competentAgencyId} không tồn tại.`, { agencyId: proc.competentAgencyId })
  const competent = { id: proc.competentAgencyId }
  const documents: DocumentLine[] =
    input.documents ?? proc.documents.map((d) => ({ name: d.name, originals: d.originals, certifiedCopies: 0, photocopies: d.copies, received: input.decision === 'accept' }))
  const applicant = person(input.applicant)
  const id = crypto.randomUUID()
  const channelLabel = input.channel === 'counter' ? 'tại bộ phận một cửa' : input.channel === 'online' ? 'trực tuyến' : 'qua bưu chính'
  const events: EventInput[] = [{ action: 'submit', from: null, to: 'submitted', actor, content: `Nộp hồ sơ ${channelLabel}: ${proc.name}`, at: now, data: { channel: input.channel, procedureCode: proc.code, procedureVersion: proc.version } }]
  const base = {
    id,
    code: null as string | null,
    channel: input.channel,
    procedureCode: proc.code,
    procedureVersion: proc.version,
    procedureName: proc.name,
    caseName: proc.caseName,
    receivingAgencyId: receiving.id,
    competentAgencyId: competent.id,
    communeCode: input.communeCode ?? null,
    applicant,
    owner: input.owner ? person(input.owner) : null,
    applicantFolded: foldVietnamese(applicant.fullName),
    applicantIdLast4: last4(applicant.idNumber),
    applicantPhoneLast4: last4(applicant.phone),
    documents,
    sets: input.sets ?? 1,
    returnMethod: input.returnMethod ?? (input.channel === 'online' ? 'online' : 'counter'),
    limitAmount: limit!.amount,
    limitUnit: limit!.unit,
    pauseMode: 'restart' as const,
    submittedAt: now,
    receivedAt: null as Date | null,
    clockStartedAt: null as Date | null,
    dueAt: null as Date | null,
    appointmentAt: null as Date | null,
    dueExplanation: null as unknown,
    pausedSince: null,
    pauseReason: null,
    atRiskSince: null,
    lateSince: null,
    decidedAt: null,
    decision: null,
    returnedAt: null,
    currentAssigneeId: null,
    currentAgencyId: input.channel === 'counter' ? receiving.id : competent.id,
    workflowPlan: null as unknown,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  }
  if (input.decision === 'submit_only') return insertDossier(trx, { row: base, events: () => events })
  if (input.decision === 'refuse') {
    events.push({ action: 'refuse', from: 'submitted', to: 'refused', actor, content: 'Từ chối tiếp nhận hồ sơ (Mẫu 03)', reason: input.reason!.trim(), at: now })
    return insertDossier(trx, { row: base, events: () => events })
  }
  if (input.decision === 'supplement') {
    events.push({ action: 'request_supplement_intake', from: 'submitted', to: 'awaiting_supplement_intake', actor, content: 'Hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02)', reason: input.reason!.trim(), at: now, data: { missing: input.missing } })
    return insertDossier(trx, { row: base, events: () => events })
  }
  // Accepted: the dossier, its steps, the daily code (A7: gap-free under concurrency), the events
  // that carry it, in one statement, so that the code's counter stays locked only until commit.
  const calendar = await calendarFor(trx, deps, base.communeCode)
  const clock = receiptClock(calendar, { ...base, receivedAt: now }, competent.id)
  const planned = await handlingSteps(trx, deps, { ...base, ...clock }, actor, now, { firstSeq: 1, calendar, workflow: proc.workflow })
  const row = { ...base, ...clock, currentAgencyId: planned.currentAgencyId, workflowPlan: planned.plan }
  const steps = planned.steps
  const receive = (code: string | null): EventInput => ({ action: 'receive', from: 'submitted', to: 'received', actor, content: `Tiếp nhận hồ sơ, mã ${code}; hẹn trả ${clock.appointmentAt.toISOString()}`, at: now, stepDueAt: clock.dueAt, data: { code, dueAt: clock.dueAt.toISOString() } })
  return insertDossier(trx, { row, steps, dailyCode: { agencyCode: receiving.code, at: now }, events: (code) => [...events, receive(code)] })
}

/** The clock a valid receipt starts: receipt time, due time with its explanation; the dossier goes to the competent agency at once (Decree 61 Art. 18). */
function receiptClock(cal: CalendarSnapshot, d: { limitAmount: number; limitUnit: string; receivedAt: Date }, competentAgencyId: string) {
  const due = computeDue(cal, { receivedAt: d.receivedAt, amount: d.limitAmount, unit: d.limitUnit as Limit['unit'], pauses: [] })
  const dueAt = new Date(due.dueAt)
  return { receivedAt: d.receivedAt, clockStartedAt: d.receivedAt, dueAt, appointmentAt: dueAt, dueExplanation: due.explanation as unknown, currentAgencyId: competentAgencyId }
}

/**
 * After receipt: the dossier's plan (its procedure version's workflow template with each step's
 * due time), the counter's step, done, and the plan's first step with the consultations it hosts,
 * numbered from `firstSeq`; the dossier goes to that step's agency.
 */
async function handlingSteps(
  trx: Trx,
  deps: DossierDeps,
  d: StepDossier,
  actor: Actor,
  now: Date,
  opts: { firstSeq: number; calendar?: CalendarSnapshot; workflow: ProcedureSnapshot['workflow'] },
): Promise<{ steps: StepRow[]; plan: WorkflowPlan; currentAgencyId: string }> {
  const cal = opts.calendar ?? (await calendarFor(trx, deps, d.communeCode))
  const limit = { amount: d.limitAmount, unit: d.limitUnit as Limit['unit'] }
  const plan = buildPlan(opts.workflow, { ...d, limit, receivedAt: d.receivedAt, dueAt: d.dueAt }, cal)
  const first = nextSequential(plan, -1)!
  const receive = stepRow(d.id, opts.firstSeq, { kind: 'receive', name: 'Tiếp nhận hồ sơ', agencyId: d.receivingAgencyId, role: 'counter_officer', assigneeId: actor.id, givenBy: null, receivedBy: actor.id, startedAt: d.submittedAt, dueAt: d.receivedAt })
  const opened = openPlanned(first, actor.id, now).map((n, i) => stepRow(d.id, opts.firstSeq + 1 + i, n))
  return { steps: [{ ...receive, completedAt: now, outcome: punctuality(now, d.receivedAt) }, ...opened], plan, currentAgencyId: first.step.agencyId }
}

type StepDossier = Pick<DossierRow, 'id' | 'communeCode' | 'limitAmount' | 'limitUnit' | 'submittedAt' | 'receivingAgencyId' | 'competentAgencyId'> & { receivedAt: Date; dueAt: Date }

// ---- transitions on an existing dossier ---------------------------------------------------------

export interface ActionInput {
  action: DossierAction
  expectedVersion: number
  reason?: string | undefined
  note?: string | undefined
  assigneeId?: string | undefined
  agencyId?: string | undefined
  missing?: string[] | undefined
  proposedAppointment?: string | undefined
  amount?: number | undefined
  apologyId?: string | undefined
  /** return_result by post: the postal item's tracking number. */
  trackingNumber?: string | undefined
}

const ACTION_TEXT: Partial<Record<DossierAction, string>> = {
  assign: 'Phân công xử lý',
  reassign: 'Phân công lại',
  transfer: 'Chuyển hồ sơ',
  consult: 'Lấy ý kiến phối hợp',
  answer_consultation: 'Trả lời ý kiến phối hợp',
  submit_for_approval: 'Trình lãnh đạo phê duyệt',
  request_supplement: 'Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)',
  receive_supplement: 'Tiếp nhận hồ sơ bổ sung',
  request_payment: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  confirm_payment: 'Xác nhận đã thực hiện nghĩa vụ tài chính',
  approve: 'Phê duyệt kết quả',
  reject: 'Từ chối giải quyết sau thẩm định (Mẫu 03)',
  return_result: 'Trả kết quả',
  withdraw: 'Công dân rút hồ sơ',
  stop: 'Dừng giải quyết hồ sơ (Mẫu 05)',
  receive: 'Tiếp nhận hồ sơ',
  refuse: 'Từ chối tiếp nhận hồ sơ (Mẫu 03)',
  request_supplement_intake: 'Hướng dẫn bổ sung hồ sơ (Mẫu 02)',
  supplement_intake: 'Công dân bổ sung hồ sơ',
  draft_apology: 'Dự thảo văn bản xin lỗi và hẹn lại (Mẫu 04)',
  approve_apology: 'Phê duyệt văn bản xin lỗi, hẹn lại ngày trả kết quả',
  return_apology: 'Trả lại dự thảo văn bản xin lỗi',
}

/** Picks the processing officer of the agency with the fewest open dossiers (auto-assignment within a unit). */
async function leastLoadedOfficer(trx: Trx, agencyId: string): Promise<string | undefined> {
  const officers = await listActiveStaff(trx, agencyId, 'processing_officer')
  if (!officers.length) return undefined
  const loads = await trx
    .selectFrom('dossiers')
    .select(['currentAssigneeId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('currentAssigneeId', 'in', officers.map((o) => o.id))
    .where('status', 'in', ['processing', 'awaiting_supplement', 'awaiting_payment'])
    .groupBy('currentAssigneeId')
    .execute()
  const load = new Map(loads.map((l) => [l.currentAssigneeId, Number(l.n)]))
  return [...officers].sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0))[0]?.id
}

/** Performs one action on a dossier for an officer: lifecycle, permission, version, event, outbox. */
export async function act(trx: Trx, deps: DossierDeps, officer: StaffPrincipal | SystemPrincipal | ApplicantPrincipal, dossierId: string, input: ActionInput): Promise<DossierRow> {
  // Locked for the transaction: two actions on one dossier queue here, and the second then fails
  // the version check (409) before it writes anything, such as a step.
  const l = await lockDossier(trx, dossierId)
  const d = l.dossier
  if (d.version !== input.expectedVersion) {
    // Checked before anything else so a stale form never acts on a dossier it did not see.
    throw new DomainError('conflict', 'CONCURRENT_UPDATE', 'Hồ sơ đã được người khác thay đổi, vui lòng tải lại.', { expectedVersion: input.expectedVersion, currentVersion: d.version })
  }
  authorize(officer, d, input.action)
  const reason = requireReason(input.action, input.reason)
  const now = deps.clock.now()
  const actor = officer.kind === 'system' ? { ...SYSTEM_ACTOR, name: officer.name } : officer.kind === 'applicant' ? { id: officer.id, name: officer.name, role: 'applicant', agencyId: null } : actorOf(officer)
  const to = nextStatus(d.status, input.action)
  const ev = (content: string, extra: Partial<EventInput> = {}): EventInput => ({ action: input.action, from: d.status, to, actor, content, reason, at: now, ...extra })
  const text = ACTION_TEXT[input.action] ?? input.action
  const withNote = (s: string) => (input.note?.trim() ? `${s}: ${input.note.trim()}` : s)

  switch (input.action) {
    case 'receive': {
      const receiving = await requireAgency(trx, d.receivingAgencyId)
      const calendar = await calendarFor(trx, deps, d.communeCode)
      const clock = receiptClock(calendar, { ...d, receivedAt: now }, d.competentAgencyId)
      const workflow = await workflowSnapshot(trx, deps, d.procedureCode, d.procedureVersion)
      const planned = await handlingSteps(trx, deps, { ...d, ...clock }, actor, now, { firstSeq: l.lastStepSeq + 1, calendar, workflow })
      // The daily code last: its counter row stays locked from here until commit (A7).
      const code = formatDossierCode(receiving.code, now, await allocateDossierSeq(trx, receiving.code, now))
      return saveTransition(trx, d, { ...clock, code, currentAgencyId: planned.currentAgencyId, workflowPlan: planned.plan }, ev(`Tiếp nhận hồ sơ, mã ${code}`, { stepDueAt: clock.dueAt, data: { code } }), { insert: planned.steps })
    }
    case 'supplement_intake':
      return saveTransition(trx, d, {}, ev(withNote(text)))
    case 'request_supplement_intake':
      if (!input.missing?.length) throw new ValidationError('DOSSIER.MISSING_REQUIRED', 'Cần liệt kê đầy đủ giấy tờ còn thiếu.', { fields: { missing: ['Cần liệt kê đầy đủ giấy tờ còn thiếu.'] } })
      return saveTransition(trx, d, {}, ev(text, { data: { missing: input.missing } }))
    case 'refuse':
    case 'withdraw':
    case 'stop':
      return saveTransition(trx, d, {}, ev(withNote(text)), { update: closeSteps(l.openSteps, ['receive', 'handle', 'approve', 'consult'], now, text) })
    case 'assign':
    case 'reassign': {
      const assigneeId = input.assigneeId ?? (await leastLoadedOfficer(trx, d.currentAgencyId))
      const a = assigneeId ? await findStaffMember(trx, assigneeId) : undefined
      if (!a || !a.active || a.agencyId !== d.currentAgencyId || a.role !== 'processing_officer') {
        throw new ValidationError('DOSSIER.INVALID_ASSIGNEE', 'Cán bộ được phân công phải là chuyên viên đang làm việc tại cơ quan xử lý.', { fields: { assigneeId: ['Cán bộ không hợp lệ.'] } })
      }
      const handling = l.openSteps.filter((s) => s.kind === 'handle').map((s) => ({ ...s, assigneeId: a.id, receivedBy: a.id, givenBy: actor.id }))
      return saveTransition(trx, d, { currentAssigneeId: a.id }, ev(withNote(`${text} cho ${a.fullName}`), { data: { assigneeId: a.id, assigneeName: a.fullName, auto: !input.assigneeId } }), { update: handling })
    }
    case 'transfer': {
      const plan = await planOf(trx, deps, d)
      const cur = plan ? currentPlanIndex(plan, l.openSteps) : undefined
      const next = plan && cur !== undefined ? nextSequential(plan, cur) : undefined
      // Without a target the dossier goes to the plan's next handling step (liên thông in order, Decree 61 Art. 19(6)).
      if (next && next.step.kind === 'handle' && (!input.agencyId || input.agencyId === next.step.agencyId)) {
        const target = await requireAgency(trx, next.step.agencyId)
        const same = target.id === d.currentAgencyId
        const steps = handOver(l, now, ['handle'], openPlanned(next, actor.id, now, same ? d.currentAssigneeId : null), `Chuyển bước: ${next.step.name}`)
        return saveTransition(
          trx,
          d,
          { currentAgencyId: target.id, currentAssigneeId: same ? d.currentAssigneeId : null },
          ev(withNote(`${text} đến ${target.name}: ${next.step.name}`), { stepDueAt: new Date(next.step.dueAt), data: { toAgencyId: target.id, planIndex: next.step.index } }),
          steps,
        )
      }
      if (!input.agencyId || input.agencyId === d.currentAgencyId) throw new ValidationError('DOSSIER.INVALID_TRANSFER', 'Cần chọn cơ quan nhận hồ sơ khác cơ quan hiện tại.', { fields: { agencyId: ['Cơ quan nhận không hợp lệ.'] } })
      const target = await requireAgency(trx, input.agencyId)
      // Outside the plan: the receiving agency works within the current step's time.
      const dueAt = plan && cur !== undefined ? new Date(plan.steps[cur]!.dueAt) : d.dueAt
      const handOff = { kind: 'handle', name: `Xử lý tại ${target.name}`, agencyId: target.id, role: 'processing_officer', givenBy: actor.id, startedAt: now, dueAt, planIndex: cur ?? null }
      const steps = handOver(l, now, ['handle'], handOff, `Chuyển đến ${target.name}`)
      return saveTransition(trx, d, { currentAgencyId: target.id, currentAssigneeId: null }, ev(withNote(`${text} đến ${target.name}`), { stepDueAt: dueAt, data: { toAgencyId: target.id } }), steps)
    }
    case 'consult': {
      const plan = await planOf(trx, deps, d)
      const cur = plan ? currentPlanIndex(plan, l.openSteps) : undefined
      const next = plan && cur !== undefined ? nextSequential(plan, cur) : undefined
      // The plan's next step is a consultation the handling waits for: the handling step hands over to it.
      if (next && next.step.kind === 'consult' && (!input.agencyId || input.agencyId === next.step.agencyId)) {
        const target = await requireAgency(trx, next.step.agencyId)
        const steps = handOver(l, now, ['handle'], openPlanned(next, actor.id, now), `Lấy ý kiến ${target.name}`)
        return saveTransition(trx, d, {}, ev(withNote(`${text}: ${target.name}`), { stepDueAt: new Date(next.step.dueAt), data: { agencyId: target.id, planIndex: next.step.index } }), steps)
      }
      if (!input.agencyId) throw new ValidationError('DOSSIER.INVALID_CONSULT', 'Cần chọn cơ quan được lấy ý kiến.', { fields: { agencyId: ['Cần chọn cơ quan.'] } })
      const target = await requireAgency(trx, input.agencyId)
      const amount = input.amount ?? 2
      const cal = await calendarFor(trx, deps, d.communeCode)
      const due = new Date(computeDue(cal, { receivedAt: now, amount, unit: 'working_days' }).dueAt)
      const step = stepRow(d.id, l.lastStepSeq + 1, { kind: 'consult', name: `Lấy ý kiến ${target.name}`, agencyId: target.id, role: 'processing_officer', givenBy: actor.id, startedAt: now, dueAt: due })
      return saveTransition(trx, d, {}, ev(withNote(`${text}: ${target.name}`), { stepDueAt: due, data: { stepSeq: step.seq, agencyId: target.id } }), { insert: [step] })
    }
    case 'answer_consultation': {
      // One consulted agency answers (agencyId), or every open consultation is answered.
      const answered = l.openSteps.filter((s) => s.kind === 'consult' && (!input.agencyId || s.agencyId === input.agencyId))
      if (!answered.length) throw new ValidationError('DOSSIER.NO_CONSULTATION', 'Không có bước lấy ý kiến đang chờ trả lời.', { fields: { agencyId: ['Không có bước lấy ý kiến đang chờ cơ quan này.'] } })
      const update = closeSteps(answered, ['consult'], now, input.note)
      const plan = await planOf(trx, deps, d)
      const waited = plan ? answered.find((s) => s.planIndex !== null && plan.steps[s.planIndex] && !plan.steps[s.planIndex]!.parallel) : undefined
      const next = plan && waited ? nextSequential(plan, waited.planIndex!) : undefined
      if (!next) return saveTransition(trx, d, {}, ev(withNote(text)), { update })
      // The plan's sequential consultation is answered: its next step opens.
      const insert = openPlanned(next, actor.id, now).map((n, i) => stepRow(d.id, l.lastStepSeq + 1 + i, n))
      const agencyPatch = next.step.kind === 'approve' ? {} : { currentAgencyId: next.step.agencyId, currentAssigneeId: next.step.agencyId === d.currentAgencyId ? d.currentAssigneeId : null }
      return saveTransition(trx, d, agencyPatch, ev(withNote(`${text}; chuyển bước: ${next.step.name}`), { stepDueAt: new Date(next.step.dueAt), data: { planIndex: next.step.index } }), { update, insert })
    }
    case 'submit_for_approval': {
      const plan = await planOf(trx, deps, d)
      const cur = plan ? (currentPlanIndex(plan, l.openSteps) ?? -1) : -1
      // The plan's next approval (later handling steps, if any, are skipped: the officer proposes the decision now).
      const approval = plan?.steps.find((s) => s.index > cur && s.kind === 'approve' && !s.parallel) ?? plan?.steps.find((s) => s.kind === 'approve' && !s.parallel)
      const next: NewStep = approval
        ? { ...plannedStep(approval, actor.id, now), agencyId: d.competentAgencyId }
        : { kind: 'approve', name: 'Lãnh đạo phê duyệt', agencyId: d.competentAgencyId, role: 'agency_leader', givenBy: actor.id, startedAt: now, dueAt: d.dueAt }
      const steps = handOver(l, now, ['handle'], next)
      return saveTransition(trx, d, d.currentAgencyId === d.competentAgencyId ? {} : { currentAgencyId: d.competentAgencyId }, ev(withNote(text), { stepDueAt: next.dueAt }), steps)
    }
    case 'request_supplement':
    case 'request_payment': {
      if (input.action === 'request_supplement' && d.supplementCount >= 2 && !input.note?.trim()) {
        // Decree 63/2010 Art. 20(4): never more than twice for one matter without a recorded why.
        throw new ValidationError('DOSSIER.SUPPLEMENT_LIMIT', 'Đã yêu cầu bổ sung hai lần; lần thứ ba cần ghi rõ lý do vì sao người dân chưa làm theo hướng dẫn.', { fields: { note: ['Cần ghi rõ lý do.'] } })
      }
      const kind = input.action === 'request_supplement' ? 'supplement' : 'payment'
      const mode = kind === 'supplement' ? d.pauseMode : 'resume'
      const n = await trx.selectFrom('dossierPauses').select((eb) => eb.fn.countAll<number>().as('n')).where('dossierId', '=', d.id).executeTakeFirst()
      await trx.insertInto('dossierPauses').values({ dossierId: d.id, seq: Number(n?.n ?? 0) + 1, kind, mode, fromAt: now, toAt: null, reason: reason! }).execute()
      return saveTransition(trx, d, { pausedSince: now, pauseReason: reason!, supplementCount: kind === 'supplement' ? d.supplementCount + 1 : d.supplementCount }, ev(withNote(text), { data: { pause: kind, mode, missing: input.missing ?? [] } }))
    }
    case 'receive_supplement':
    case 'confirm_payment': {
      await trx.updateTable('dossierPauses').set({ toAt: now }).where('dossierId', '=', d.id).where('toAt', 'is', null).execute()
      const cal = await calendarFor(trx, deps, d.communeCode)
      const pauses = await closedPauses(trx, d.id)
      const receivedAt = d.receivedAt ?? now
      const due = computeDue(cal, { receivedAt, amount: d.limitAmount, unit: d.limitUnit as Limit['unit'], pauses })
      const dueAt = new Date(due.dueAt)
      // Every open step's due time follows the restarted (or resumed) clock, per the plan.
      const replanned = replannedSteps(await planOf(trx, deps, d), l.openSteps, dueAt, cal, { receivedAt, pauses })
      // The appointment follows the legal due time unless an apology already moved it later.
      const appointmentAt = d.appointmentAt && d.rescheduleCount > 0 && d.appointmentAt > dueAt ? d.appointmentAt : dueAt
      return saveTransition(
        trx,
        d,
        { pausedSince: null, pauseReason: null, dueAt, appointmentAt, dueExplanation: due.explanation, atRiskSince: null, ...(replanned.plan ? { workflowPlan: replanned.plan } : {}) },
        ev(withNote(`${text}; hạn giải quyết tính lại: ${dueAt.toISOString()}`), { stepDueAt: dueAt, data: { previousDueAt: d.dueAt?.toISOString() ?? null, dueAt: dueAt.toISOString(), restartedFrom: d.pauseMode === 'restart' && input.action === 'receive_supplement' ? now.toISOString() : null } }),
        { update: replanned.update },
      )
    }
    case 'approve':
    case 'reject': {
      // The decision ends handling: a consultation still open is closed with it (its lateness shows on form 06).
      const steps = handOver(l, now, ['handle', 'approve', 'consult'], { kind: 'return', name: 'Trả kết quả', agencyId: d.receivingAgencyId, role: 'counter_officer', givenBy: actor.id, startedAt: now, dueAt: d.appointmentAt })
      const late = d.dueAt ? now > d.dueAt : false
      return saveTransition(trx, d, { decidedAt: now, decision: input.action === 'approve' ? 'approved' : 'rejected', lateSince: late ? (d.lateSince ?? d.dueAt) : d.lateSince }, ev(withNote(text), { data: { onTime: !late } }), steps)
    }
    case 'return_result':
      return returnResult(trx, l, input, ev, withNote(text), now)
    case 'draft_apology':
      return draftApology(trx, deps, d, actor, reason!, input.proposedAppointment, now)
    case 'approve_apology':
    case 'return_apology':
      return decideApology(trx, deps, d, actor, input.action, input.apologyId, reason, now)
    case 'attach_file':
      throw new ValidationError('DOSSIER.USE_FILES_ENDPOINT', 'Tệp được đính kèm qua POST /api/v1/dossiers/{id}/files.')
    case 'submit':
    case 'mark_at_risk':
    case 'mark_late':
    case 'recompute_due':
      throw new ForbiddenError('Thao tác này do hệ thống thực hiện.', 'DOSSIER.SYSTEM_ACTION')
  }
}

// ---- return (Decree 61 Art. 20) ------------------------------------------------------------------

/**
 * The result goes back the way the applicant chose: at the counter; by post, with the postal
 * item's tracking number recorded; or online, where the result files attached to the dossier
 * become available to the applicant (recorded on the event; the outbox event carries the method
 * for the citizen's wallet and notices).
 */
async function returnResult(trx: Trx, l: LockedDossier, input: ActionInput, ev: (content: string, extra?: Partial<EventInput>) => EventInput, text: string, now: Date): Promise<DossierRow> {
  const d = l.dossier
  const close = { update: closeSteps(l.openSteps, ['return'], now) }
  switch (d.returnMethod) {
    case 'post': {
      const tracking = input.trackingNumber?.trim().toUpperCase()
      if (!tracking || !/^[A-Z0-9-]{6,40}$/.test(tracking)) {
        throw new ValidationError('DOSSIER.TRACKING_NUMBER_REQUIRED', 'Trả kết quả qua bưu chính: cần nhập số hiệu bưu gửi (6–40 chữ, số).', { fields: { trackingNumber: ['Cần nhập số hiệu bưu gửi hợp lệ.'] } })
      }
      return saveTransition(trx, d, { returnedAt: now }, ev(`${text} qua bưu chính, số hiệu bưu gửi ${tracking}`, { data: { method: 'post', trackingNumber: tracking } }), close)
    }
    case 'online': {
      const attached = await trx.selectFrom('dossierEvents').select('data').where('dossierId', '=', d.id).where('action', '=', 'attach_file').orderBy('seq').execute()
      const results = attached.flatMap((e) => {
        const data = e.data as { kind?: string; files?: { documentId: string }[] } | null
        return data?.kind === 'result' ? (data.files ?? []).map((f) => f.documentId) : []
      })
      return saveTransition(trx, d, { returnedAt: now }, ev(`${text} trực tuyến`, { data: { method: 'online', availableOnlineAt: now.toISOString(), resultDocumentIds: results } }), close)
    }
    case 'counter':
      return saveTransition(trx, d, { returnedAt: now }, ev(text, { data: { method: 'counter' } }), close)
  }
}

// ---- apology (A6, form 04) -----------------------------------------------------------------------

export class RescheduleLimitError extends DomainError {
  constructor(max: number) {
    super('conflict', 'DOSSIER.RESCHEDULE_LIMIT', `Ngày hẹn trả kết quả chỉ được hẹn lại ${max === 1 ? 'một lần' : `${max} lần`} cho mỗi hồ sơ (Nghị định 61, Điều 19).`, { max })
  }
}

async function draftApology(trx: Trx, deps: DossierDeps, d: DossierRow, actor: Actor, reason: string, proposed: string | undefined, now: Date): Promise<DossierRow> {
  const max = settingsOf(deps).maxReschedules
  if (d.rescheduleCount >= max) throw new RescheduleLimitError(max)
  const pending = await trx.selectFrom('dossierApologies').select('id').where('dossierId', '=', d.id).where('status', '=', 'draft').executeTakeFirst()
  if (pending) throw new DomainError('conflict', 'DOSSIER.APOLOGY_PENDING', 'Đã có dự thảo văn bản xin lỗi đang chờ lãnh đạo phê duyệt.')
  const at = proposed ? new Date(proposed) : undefined
  if (!at || Number.isNaN(at.getTime()) || !d.appointmentAt || at <= d.appointmentAt) {
    throw new ValidationError('DOSSIER.INVALID_APPOINTMENT', 'Ngày hẹn mới phải sau ngày hẹn hiện tại.', { fields: { proposedAppointment: ['Ngày hẹn mới phải sau ngày hẹn hiện tại.'] } })
  }
  const id = crypto.randomUUID()
  await trx.insertInto('dossierApologies').values({ id, dossierId: d.id, agencyId: d.competentAgencyId, status: 'draft', reason, oldDueAt: d.appointmentAt, proposedDueAt: at, draftedBy: actor.id ?? 'system', draftedAt: now, decidedBy: null, decidedAt: null, decisionNote: null }).execute()
  return saveTransition(trx, d, {}, { action: 'draft_apology', from: d.status, to: d.status, actor, content: `${ACTION_TEXT.draft_apology}; đề xuất hẹn lại ${at.toISOString()}`, reason, at: now, data: { apologyId: id, proposedAppointment: at.toISOString() } })
}

async function decideApology(trx: Trx, deps: DossierDeps, d: DossierRow, actor: Actor, action: 'approve_apology' | 'return_apology', apologyId: string | undefined, note: string | undefined, now: Date): Promise<DossierRow> {
  const draft = await trx.selectFrom('dossierApologies').selectAll().where('dossierId', '=', d.id).where('status', '=', 'draft').$if(!!apologyId, (q) => q.where('id', '=', apologyId!)).executeTakeFirst()
  if (!draft) throw new DomainError('conflict', 'DOSSIER.NO_APOLOGY_DRAFT', 'Không có dự thảo văn bản xin lỗi chờ phê duyệt.')
  if (action === 'return_apology') {
    await trx.updateTable('dossierApologies').set({ status: 'returned', decidedBy: actor.id, decidedAt: now, decisionNote: note ?? null }).where('id', '=', draft.id).execute()
    return saveTransition(trx, d, {}, { action, from: d.status, to: d.status, actor, content: ACTION_TEXT.return_apology!, reason: note, at: now, data: { apologyId: draft.id } })
  }
  const max = settingsOf(deps).maxReschedules
  if (d.rescheduleCount >= max) throw new RescheduleLimitError(max)
  await trx.updateTable('dossierApologies').set({ status: 'approved', decidedBy: actor.id, decidedAt: now, decisionNote: note ?? null }).where('id', '=', draft.id).execute()
  // The appointment moves; the legal due time (and so "late") does not (A6).
  return saveTransition(
    trx,
    d,
    { appointmentAt: draft.proposedDueAt, rescheduleCount: d.rescheduleCount + 1 },
    { action, from: d.status, to: d.status, actor, content: `${ACTION_TEXT.approve_apology}: ${draft.proposedDueAt.toISOString()}`, reason: draft.reason, at: now, data: { apologyId: draft.id, oldAppointment: draft.oldDueAt.toISOString(), newAppointment: draft.proposedDueAt.toISOString() } },
  )
}

// ---- the deadline clock job (A6) ------------------------------------------------------------------

/**
 * Marks open dossiers at risk (from `atRiskWorkingDays` working days before the due time) and
 * late (past it). Idempotent; run by the background jobs every minute. Returns what changed.
 */
export async function sweepDeadlines(deps: DossierDeps): Promise<{ atRisk: number; late: number }> {
  const now = deps.clock.now()
  const open = await deps.db
    .selectFrom('dossiers')
    .select(['id', 'communeCode', 'dueAt', 'atRiskSince', 'lateSince', 'version'])
    .where('status', 'in', ['received', 'processing', 'awaiting_payment'])
    .where('dueAt', 'is not', null)
    .where((eb) => eb.or([eb('atRiskSince', 'is', null), eb('lateSince', 'is', null)]))
    .where('dueAt', '<', new Date(now.getTime() + 40 * 86_400_000))
    .orderBy('dueAt')
    .limit(5000)
    .execute()
  let atRisk = 0
  let late = 0
  const today = Math.floor((now.getTime() + 7 * 3600_000) / 86_400_000)
  for (const o of open) {
    const dueAt = o.dueAt!
    const isLate = now > dueAt && !o.lateSince
    let isAtRisk = false
    if (!o.atRiskSince && !isLate) {
      const cal = await getCalendarSnapshot(deps.db, { provinceCode: deps.provinceCode, communeCode: o.communeCode ?? undefined })
      const dueDay = Math.floor((dueAt.getTime() + 7 * 3600_000) / 86_400_000)
      // Working days from today to the due day, both ends included: at risk when only the set number remain after today.
      isAtRisk = dueDay < today || countWorkingDaysBetween(cal, today, dueDay) <= settingsOf(deps).atRiskWorkingDays + 1
    }
    if (!isLate && !isAtRisk) continue
    try {
      await inTransaction(deps.db, async (trx) => {
        const d = await getDossier(trx, o.id)
        if (isLate && !d.lateSince) {
          late++
          await saveTransition(trx, d, { lateSince: dueAt, atRiskSince: d.atRiskSince ?? now }, { action: 'mark_late', from: d.status, to: d.status, actor: SYSTEM_ACTOR, content: 'Hồ sơ quá hạn giải quyết', at: now, stepDueAt: dueAt })
        } else if (isAtRisk && !d.atRiskSince) {
          atRisk++
          await saveTransition(trx, d, { atRiskSince: now }, { action: 'mark_at_risk', from: d.status, to: d.status, actor: SYSTEM_ACTOR, content: 'Hồ sơ sắp đến hạn: cảnh báo cán bộ xử lý và lãnh đạo', at: now, stepDueAt: dueAt })
        }
      })
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'CONCURRENT_UPDATE')) throw e // an officer acted meanwhile; next sweep
    }
  }
  return { atRisk, late }
}

/** Recomputes the due time of every open dossier after a calendar change, each with the reason recorded. */
export async function recomputeOpenDeadlines(deps: DossierDeps, reason: string): Promise<number> {
  const open = await deps.db.selectFrom('dossiers').select('id').where('status', 'in', ['received', 'processing', 'awaiting_payment']).where('receivedAt', 'is not', null).orderBy('id').execute()
  let changed = 0
  for (const { id } of open) {
    await inTransaction(deps.db, async (trx) => {
      const l = await lockDossier(trx, id)
      const d = l.dossier
      const cal = await calendarFor(trx, deps, d.communeCode)
      const pauses = await closedPauses(trx, d.id)
      const due = computeDue(cal, { receivedAt: d.receivedAt!, amount: d.limitAmount, unit: d.limitUnit as Limit['unit'], pauses })
      const dueAt = new Date(due.dueAt)
      if (d.dueAt && dueAt.getTime() === d.dueAt.getTime()) return
      changed++
      const appointmentAt = d.rescheduleCount > 0 && d.appointmentAt && d.appointmentAt > dueAt ? d.appointmentAt : dueAt
      // The plan's steps move with the calendar too (open steps only: a completed step keeps its record).
      const replanned = replannedSteps(storedPlan(d.workflowPlan), l.openSteps, dueAt, cal, { receivedAt: d.receivedAt!, pauses })
      const patch: DossierPatch = { dueAt, appointmentAt, dueExplanation: due.explanation, atRiskSince: null, ...(replanned.plan ? { workflowPlan: replanned.plan } : {}) }
      await saveTransition(trx, d, patch, { action: 'recompute_due', from: d.status, to: d.status, actor: SYSTEM_ACTOR, content: `Tính lại hạn giải quyết do thay đổi lịch làm việc: ${dueAt.toISOString()}`, reason, at: deps.clock.now(), stepDueAt: dueAt, data: { previousDueAt: d.dueAt?.toISOString() ?? null, dueAt: dueAt.toISOString() } }, { update: replanned.plan ? replanned.update : [] })
    })
  }
  return changed
}

export type { DossierStatus }
