import { z } from 'zod'
import { COMMUNE_RULES, type ProcedureContent, type ProcessingTime } from './catalog.schemas.js'

// Workflow templates (issue 5 §3): the steps a dossier of a procedure version goes through after
// receipt, in order, each with who performs it and its share of the legal time limit. Pure rules
// here; storage in catalog.workflow-service.ts.

/** A legal time limit as the deadline engine counts it (DOMAIN A4). */
export interface WorkflowLimit {
  amount: number
  unit: 'working_days' | 'calendar_days' | 'working_hours' | 'same_day'
}

export const WORKFLOW_STEP_KINDS = ['handle', 'consult', 'approve'] as const
export type WorkflowStepKind = (typeof WORKFLOW_STEP_KINDS)[number]

export const WORKFLOW_ROLES = ['processing_officer', 'agency_leader'] as const
export type WorkflowRole = (typeof WORKFLOW_ROLES)[number]

/** `competent`: the dossier's competent agency; `@ubnd-xa` etc.: that body of the dossier's commune; else an agency id. */
export const COMPETENT = 'competent'

export const WorkflowStep = z.object({
  name: z.string().trim().min(1, 'Cần nhập tên bước.').max(200, 'Tên bước tối đa 200 ký tự.'),
  kind: z.enum(WORKFLOW_STEP_KINDS, { message: 'Loại bước không hợp lệ.' }),
  agency: z.string().trim().min(1, 'Cần chọn cơ quan thực hiện.').max(80),
  role: z.enum(WORKFLOW_ROLES, { message: 'Vai trò không hợp lệ.' }),
  /** In the unit of the procedure's limit. */
  budget: z.number({ message: 'Thời gian phải là số nguyên không âm.' }).int('Thời gian phải là số nguyên không âm.').min(0, 'Thời gian phải là số nguyên không âm.').max(8000),
  /** Only a consultation: runs alongside the sequential step before it, with its own deadline; its time is not added to the sum. */
  parallel: z.boolean().default(false),
})
export type WorkflowStep = z.infer<typeof WorkflowStep>

export const WorkflowSteps = z.array(WorkflowStep).min(1, 'Quy trình cần ít nhất một bước.').max(20, 'Tối đa 20 bước.')

/** An administrator's edit of a procedure's template (a new procedure version). */
export const WorkflowEdit = z.object({
  expectedVersion: z.number().int().min(1),
  steps: WorkflowSteps,
  changeNote: z.string().trim().min(1, 'Cần ghi lý do thay đổi.').max(500),
})
export type WorkflowEdit = z.infer<typeof WorkflowEdit>

/** What a procedure version's dossiers follow; `source: 'default'` when no template was set. */
export interface WorkflowTemplate {
  code: string
  /** The procedure version asked about. */
  procedureVersion: number
  /** The procedure version whose edit set this template (templates carry forward to later versions); null for the default. */
  templateVersion: number | null
  source: 'template' | 'default'
  limit: WorkflowLimit | null
  steps: WorkflowStep[]
}

export const WorkflowTemplateDto = z.object({
  code: z.string(),
  procedureVersion: z.number().int(),
  templateVersion: z.number().int().nullable(),
  source: z.enum(['template', 'default']),
  limit: z.object({ amount: z.number().int(), unit: z.enum(['working_days', 'calendar_days', 'working_hours', 'same_day']) }).nullable(),
  steps: z.array(WorkflowStep),
})

const UNIT_LABEL: Record<WorkflowLimit['unit'], string> = { working_days: 'ngày làm việc', calendar_days: 'ngày', working_hours: 'giờ làm việc', same_day: 'trong ngày' }
export const unitLabel = (u: WorkflowLimit['unit']) => UNIT_LABEL[u]
export const limitText = (l: WorkflowLimit) => (l.unit === 'same_day' ? 'trả trong ngày' : `${l.amount} ${UNIT_LABEL[l.unit]}`)

/** A published time as a limit the deadline engine counts, or undefined when it cannot be counted. */
export function limitOfTime(t: ProcessingTime | null | undefined): WorkflowLimit | undefined {
  if (!t) return undefined
  switch (t.kind) {
    case 'working_days':
    case 'calendar_days':
    case 'working_hours':
      return Number.isInteger(t.value) ? { amount: t.value, unit: t.kind } : t.kind === 'working_days' ? { amount: Math.round(t.value * 8), unit: 'working_hours' } : undefined
    case 'hours':
      return Number.isInteger(t.value) ? { amount: t.value, unit: 'working_hours' } : undefined
    case 'same_day':
      return { amount: 0, unit: 'same_day' }
    case 'calendar_months':
    case 'unparsed':
      return undefined
  }
}

/**
 * The procedure's legal limit a template is checked against: the province's local time when it
 * set one, else the in-person channel's (the counter, where most dossiers arrive), else the first
 * channel's. Dossiers of another channel scale the budgets to their own limit (`scaleBudgets`).
 */
export function legalLimitOf(content: Pick<ProcedureContent, 'channels' | 'local'>): WorkflowLimit | undefined {
  const channel = content.channels.find((c) => c.channel === 'in_person') ?? content.channels[0]
  return limitOfTime(content.local?.time ?? channel?.time)
}

/**
 * The default workflow when a procedure version has no template: the competent agency's officer
 * handles, its leader approves; the approval gets the last working day of a limit of 3+ working
 * days, else nothing of its own (its due time is the dossier's).
 */
export function defaultWorkflowSteps(limit: WorkflowLimit): WorkflowStep[] {
  const approve = limit.unit === 'working_days' && limit.amount >= 3 ? 1 : 0
  return [
    { name: 'Thẩm định, xử lý hồ sơ', kind: 'handle', agency: COMPETENT, role: 'processing_officer', budget: limit.amount - approve, parallel: false },
    { name: 'Lãnh đạo phê duyệt', kind: 'approve', agency: COMPETENT, role: 'agency_leader', budget: approve, parallel: false },
  ]
}

const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

/**
 * Every problem of a template at once, keyed by field path (`steps.2.budget`, or `steps` for the
 * whole): an empty object when it is valid. Rules:
 * - the sequential steps' budgets sum exactly to the procedure's legal limit (DOMAIN A4; the
 *   clock of each step is counted by the same calendar, so the last step ends at the due time);
 * - at least one handling step, and the last sequential step is the approval by the leader of the
 *   competent agency (issue 5 §3; Decree 61 Art. 19(1));
 * - a parallel step is a consultation, hosted by the handling step before it, and due within it
 *   (Decree 61 Art. 19(5)–(6): each consulted agency has its own deadline);
 * - the performer exists: the competent agency, a commune rule, or a known agency; the role fits
 *   the kind (a leader approves, an officer handles or consults);
 * - with a limit above zero, the first step has time of its own (a step cannot end at receipt).
 */
export function validateWorkflow(steps: WorkflowStep[], limit: WorkflowLimit | undefined, knownAgencies: ReadonlySet<string>): Record<string, string[]> {
  const problems: Record<string, string[]> = {}
  const add = (key: string, msg: string) => (problems[key] ??= []).push(msg)
  if (!limit) {
    add('steps', 'Thời hạn giải quyết của thủ tục chưa đọc được: cần sửa thời hạn trước khi đặt quy trình.')
  }
  let host: WorkflowStep | undefined
  steps.forEach((s, i) => {
    const at = `steps.${i}`
    if (s.agency !== COMPETENT && !isRule(s.agency) && !knownAgencies.has(s.agency)) add(`${at}.agency`, `Cơ quan ${s.agency} chưa có trong danh mục tổ chức.`)
    if (s.kind === 'approve' && s.role !== 'agency_leader') add(`${at}.role`, 'Bước phê duyệt do lãnh đạo cơ quan thực hiện.')
    if (s.kind !== 'approve' && s.role !== 'processing_officer') add(`${at}.role`, 'Bước xử lý, lấy ý kiến do chuyên viên thực hiện.')
    if (s.kind === 'approve' && s.agency !== COMPETENT) add(`${at}.agency`, 'Bước phê duyệt do lãnh đạo cơ quan có thẩm quyền giải quyết thực hiện.')
    if (s.parallel) {
      if (s.kind !== 'consult') add(`${at}.parallel`, 'Chỉ bước lấy ý kiến mới chạy song song.')
      else if (!host || host.kind !== 'handle') add(`${at}.parallel`, 'Bước lấy ý kiến song song phải đứng sau một bước xử lý.')
      else if (s.budget > host.budget) add(`${at}.budget`, `Thời gian lấy ý kiến (${s.budget}) không được dài hơn bước xử lý đi kèm (${host.budget}).`)
    } else host = s
  })
  const sequential = steps.filter((s) => !s.parallel)
  if (!sequential.some((s) => s.kind === 'handle')) add('steps', 'Quy trình cần ít nhất một bước xử lý.')
  if (sequential[sequential.length - 1]?.kind !== 'approve') add('steps', 'Bước cuối cùng phải là bước lãnh đạo phê duyệt.')
  if (limit) {
    const sum = sequential.reduce((n, s) => n + s.budget, 0)
    if (sum !== limit.amount) add('steps', `Tổng thời gian các bước tuần tự là ${sum}, phải bằng thời hạn giải quyết ${limitText(limit)} (DOMAIN A4).`)
    const first = steps.findIndex((s) => !s.parallel)
    if (limit.amount > 0 && first >= 0 && steps[first]!.budget === 0) add(`steps.${first}.budget`, 'Bước đầu tiên cần có thời gian.')
  }
  return problems
}

/**
 * Budgets for a dossier whose limit differs from the template's (another channel, or a limit an
 * officer stated): each step keeps its share, rounded by largest remainder, so the sequential
 * budgets still sum to the dossier's limit. Undefined when the units differ (no common measure).
 */
export function scaleBudgets(steps: WorkflowStep[], from: WorkflowLimit, to: WorkflowLimit): WorkflowStep[] | undefined {
  if (from.unit !== to.unit) return undefined
  if (from.amount === to.amount) return steps
  if (from.amount === 0) return undefined
  const seq = steps.map((s, i) => ({ s, i })).filter((x) => !x.s.parallel)
  const exact = seq.map((x) => (x.s.budget * to.amount) / from.amount)
  const floors = exact.map(Math.floor)
  let left = to.amount - floors.reduce((a, b) => a + b, 0)
  const order = exact.map((e, k) => ({ k, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.k - b.k)
  for (const o of order) {
    if (left <= 0) break
    floors[o.k]!++
    left--
  }
  const budgets = new Map(seq.map((x, k) => [x.i, floors[k]!]))
  // A parallel consultation keeps its share too, never longer than its host.
  let hostBudget = 0
  return steps.map((s, i) => {
    if (!s.parallel) {
      hostBudget = budgets.get(i)!
      return { ...s, budget: hostBudget }
    }
    return { ...s, budget: Math.min(hostBudget, Math.round((s.budget * to.amount) / from.amount)) }
  })
}
