import { z } from 'zod'
import { computeDue, type CalendarSnapshot, type Pause } from '../calendar/index.js'
import { COMPETENT, defaultWorkflowSteps, scaleBudgets, type WorkflowStep, type WorkflowTemplate } from '../catalog/index.js'
import type { Limit } from './dossier.procedure.js'

// The step plan of one dossier (issue 5 §3): its procedure version's workflow template, copied at
// receipt with each performer resolved to an agency and each step's due time computed by the
// calendar. Later template edits make new procedure versions and never touch this copy.

export const PlannedStep = z.object({
  index: z.number().int(),
  name: z.string(),
  kind: z.enum(['handle', 'consult', 'approve']),
  agencyId: z.string(),
  role: z.string(),
  budget: z.number().int(),
  parallel: z.boolean(),
  /** A parallel consultation: the index of the sequential step it runs alongside. */
  host: z.number().int().nullable(),
  dueAt: z.string(),
})
export type PlannedStep = z.infer<typeof PlannedStep>

export const WorkflowPlan = z.object({
  source: z.enum(['template', 'default']),
  procedureCode: z.string(),
  procedureVersion: z.number().int(),
  /** The procedure version whose edit set the template; null for the default. */
  templateVersion: z.number().int().nullable(),
  limit: z.object({ amount: z.number().int(), unit: z.enum(['working_days', 'calendar_days', 'working_hours', 'same_day']) }),
  /** Why the plan is not the template as published (another limit for this channel, or units that differ). */
  note: z.string().nullable(),
  steps: z.array(PlannedStep),
})
export type WorkflowPlan = z.infer<typeof WorkflowPlan>

/** Where a template's performer sits for one dossier: its competent agency, that body of its commune, or the agency named. */
export function resolveAgency(ref: string, d: { competentAgencyId: string; communeCode: string | null }): string {
  if (ref === COMPETENT) return d.competentAgencyId
  if (ref.startsWith('@')) return d.communeCode ? `${ref.slice(1)}-${d.communeCode}` : d.competentAgencyId
  return ref
}

/**
 * The steps a dossier follows: the template, its budgets scaled when the dossier's limit differs
 * from the procedure's (another channel, or a limit stated by the officer), or the default two
 * steps when there is no template or no common measure.
 */
export function planSteps(t: Pick<WorkflowTemplate, 'source' | 'limit' | 'steps'>, limit: Limit): { steps: WorkflowStep[]; source: WorkflowPlan['source']; note: string | null } {
  if (t.source === 'template' && t.limit) {
    const scaled = scaleBudgets(t.steps, t.limit, limit)
    if (scaled) {
      const note = t.limit.amount === limit.amount ? null : `Thời gian từng bước được chia theo tỷ lệ từ ${t.limit.amount} sang ${limit.amount} (thời hạn của kênh nộp hồ sơ này).`
      return { steps: scaled, source: 'template', note }
    }
    return { steps: defaultWorkflowSteps(limit), source: 'default', note: 'Thời hạn của hồ sơ khác đơn vị với quy trình mẫu: áp dụng quy trình mặc định.' }
  }
  return { steps: defaultWorkflowSteps(limit), source: 'default', note: null }
}

/**
 * Due time of every planned step (DOMAIN A4, A5): a sequential step is due when the budgets up
 * to and including it have run from the valid receipt, counted by the calendar with the
 * dossier's pauses (restart or resume) — so the last step is due with the dossier; a parallel
 * consultation runs from its host's start for its own budget, never past its host.
 */
export function planDueTimes(cal: CalendarSnapshot, steps: WorkflowStep[], limit: Limit, clock: { receivedAt: Date; dueAt: Date; pauses?: readonly Pause[] }): Date[] {
  const due = (amount: number) => {
    const at = new Date(computeDue(cal, { receivedAt: clock.receivedAt, amount, unit: limit.unit, pauses: clock.pauses ?? [] }).dueAt)
    return at > clock.dueAt ? clock.dueAt : at
  }
  const lastSequential = steps.map((s) => s.parallel).lastIndexOf(false)
  const out: Date[] = []
  let before = 0 // budgets of the sequential steps before the current host
  let host: { start: number; dueAt: Date } = { start: 0, dueAt: clock.dueAt }
  steps.forEach((s, i) => {
    if (s.parallel) {
      const at = limit.unit === 'same_day' ? clock.dueAt : due(host.start + s.budget)
      out.push(at > host.dueAt ? host.dueAt : at)
      return
    }
    const end = before + s.budget
    const at = i === lastSequential || limit.unit === 'same_day' ? clock.dueAt : due(end)
    host = { start: before, dueAt: at }
    before = end
    out.push(at)
  })
  return out
}

/** The plan a dossier copies at receipt. */
export function buildPlan(
  t: Pick<WorkflowTemplate, 'code' | 'procedureVersion' | 'templateVersion' | 'source' | 'limit' | 'steps'>,
  d: { competentAgencyId: string; communeCode: string | null; limit: Limit; receivedAt: Date; dueAt: Date },
  cal: CalendarSnapshot,
): WorkflowPlan {
  const chosen = planSteps(t, d.limit)
  const dues = planDueTimes(cal, chosen.steps, d.limit, d)
  let host: number | null = null
  const steps = chosen.steps.map((s, index): PlannedStep => {
    if (!s.parallel) host = index
    return { index, name: s.name, kind: s.kind, agencyId: resolveAgency(s.agency, d), role: s.role, budget: s.budget, parallel: s.parallel, host: s.parallel ? host : null, dueAt: dues[index]!.toISOString() }
  })
  return { source: chosen.source, procedureCode: t.code, procedureVersion: t.procedureVersion, templateVersion: chosen.source === 'template' ? t.templateVersion : null, limit: d.limit, note: chosen.note, steps }
}

/** The plan with due times counted again (after a pause ends, or a calendar change), same steps. */
export function replanDueTimes(plan: WorkflowPlan, cal: CalendarSnapshot, clock: { receivedAt: Date; dueAt: Date; pauses?: readonly Pause[] }): WorkflowPlan {
  const steps: WorkflowStep[] = plan.steps.map((s) => ({ name: s.name, kind: s.kind, agency: s.agencyId, role: s.role as WorkflowStep['role'], budget: s.budget, parallel: s.parallel }))
  const dues = planDueTimes(cal, steps, plan.limit, clock)
  return { ...plan, steps: plan.steps.map((s, i) => ({ ...s, dueAt: dues[i]!.toISOString() })) }
}

/** The plan stored on a dossier, checked (JSON read back from the database), or undefined. */
export function storedPlan(v: unknown): WorkflowPlan | undefined {
  if (v == null) return undefined
  return WorkflowPlan.parse(v)
}

/** The next sequential step after `index` (undefined at the end), and the parallel steps it hosts. */
export function nextSequential(plan: WorkflowPlan, index: number): { step: PlannedStep; parallel: PlannedStep[] } | undefined {
  const step = plan.steps.find((s) => s.index > index && !s.parallel)
  return step ? { step, parallel: plan.steps.filter((s) => s.host === step.index) } : undefined
}

export const PlanStepView = PlannedStep.extend({
  /** done: a step row carried it out and was completed; current: a step row for it is open. */
  state: z.enum(['done', 'current', 'pending']),
  completedAt: z.string().nullable(),
  outcome: z.string().nullable(),
})
export type PlanStepView = z.infer<typeof PlanStepView>

export const PlanView = WorkflowPlan.omit({ steps: true }).extend({ steps: z.array(PlanStepView) })
export type PlanView = z.infer<typeof PlanView>

/** The plan with what became of each step, from the dossier's step rows (the dossier page and form 06). */
export function planView(plan: WorkflowPlan | undefined, rows: readonly { planIndex: number | null; completedAt: Date | string | null; outcome: string | null }[]): PlanView | null {
  if (!plan) return null
  const steps = plan.steps.map((s): PlanStepView => {
    const mine = rows.filter((r) => r.planIndex === s.index)
    const open = mine.some((r) => r.completedAt === null)
    const last = mine[mine.length - 1]
    const completedAt = !open && last?.completedAt ? new Date(last.completedAt).toISOString() : null
    return { ...s, state: open ? 'current' : completedAt ? 'done' : 'pending', completedAt, outcome: open ? null : (last?.outcome ?? null) }
  })
  return { ...plan, steps }
}
