import { describe, expect, it } from 'vitest'
import { COMPETENT, defaultWorkflowSteps, legalLimitOf, scaleBudgets, validateWorkflow, type WorkflowLimit, type WorkflowStep } from './catalog.workflow.js'

const step = (kind: WorkflowStep['kind'], budget: number, o: Partial<WorkflowStep> = {}): WorkflowStep => ({
  name: `${kind} ${budget}`,
  kind,
  agency: COMPETENT,
  role: kind === 'approve' ? 'agency_leader' : 'processing_officer',
  budget,
  parallel: false,
  ...o,
})
const wd = (amount: number): WorkflowLimit => ({ amount, unit: 'working_days' })
const known = new Set(['so-xay-dung', 'cong-an-tinh'])
const limitOf = (amount: number, unit: WorkflowLimit['unit']): WorkflowLimit => ({ amount, unit })

describe('workflow template validation', () => {
  it('accepts handling, a parallel consultation of another agency and the approval, summing to the limit (DOMAIN A4)', () => {
    const steps = [step('handle', 12), step('consult', 7, { agency: 'cong-an-tinh', parallel: true }), step('handle', 5), step('approve', 3)]
    expect(validateWorkflow(steps, wd(20), known)).toEqual({})
  })

  it('DOMAIN A4: the sequential budgets must sum exactly to the legal limit; a parallel consultation is not counted', () => {
    const steps = [step('handle', 12), step('consult', 7, { agency: 'cong-an-tinh', parallel: true }), step('approve', 3)]
    expect(validateWorkflow(steps, wd(15), known)).toEqual({})
    expect(validateWorkflow(steps, wd(20), known)['steps']?.[0]).toMatch(/15.*20 ngày làm việc/)
    expect(validateWorkflow(steps, wd(29), known)['steps']?.[0]).toMatch(/15.*29/)
  })

  it('reports every problem at once, each at its field', () => {
    const steps = [
      step('consult', 2, { parallel: true }), // no handling step before it
      step('handle', 0, { agency: 'so-khong-co', role: 'agency_leader' }), // unknown agency, wrong role, first step without time
      step('handle', 3, { parallel: true }), // only consultations run in parallel
      step('consult', 9, { parallel: true, agency: 'cong-an-tinh' }), // longer than its host (the handle of 0)
      step('approve', 1, { role: 'processing_officer', agency: 'so-xay-dung' }), // a leader of the competent agency approves
      step('handle', 1), // the last sequential step must be the approval
    ]
    const p = validateWorkflow(steps, wd(10), known)
    expect(Object.keys(p).sort()).toEqual(['steps', 'steps.0.parallel', 'steps.1.agency', 'steps.1.budget', 'steps.1.role', 'steps.2.parallel', 'steps.3.budget', 'steps.4.agency', 'steps.4.role'].sort())
    expect(p['steps']).toHaveLength(2) // last step is not the approval; the sum (2) is not 10
  })

  it('needs a handling step and a countable limit', () => {
    const p = validateWorkflow([step('approve', 5)], undefined, known)
    expect(p['steps']).toEqual(expect.arrayContaining([expect.stringMatching(/chưa đọc được/), expect.stringMatching(/ít nhất một bước xử lý/)]))
  })

  it('accepts the commune rules as performers (the body of the dossier’s commune)', () => {
    expect(validateWorkflow([step('handle', 2, { agency: '@cong-an-xa' }), step('approve', 1)], wd(3), known)).toEqual({})
  })
})

describe('default workflow', () => {
  it.each([
    [wd(10), [9, 1]],
    [wd(3), [2, 1]],
    [wd(2), [2, 0]],
    [limitOf(15, 'calendar_days'), [15, 0]],
    [limitOf(0, 'same_day'), [0, 0]],
  ])('splits %j into handling and approval as before templates existed', (limit, budgets) => {
    const steps = defaultWorkflowSteps(limit)
    expect(steps.map((s) => [s.kind, s.budget])).toEqual([
      ['handle', budgets[0]],
      ['approve', budgets[1]],
    ])
    expect(validateWorkflow(steps, limit, known)).toEqual({})
  })
})

describe('scaling to another channel’s limit', () => {
  const steps = [step('handle', 10), step('handle', 10, { agency: 'so-xay-dung' }), step('consult', 4, { parallel: true, agency: 'cong-an-tinh' }), step('handle', 4), step('approve', 3)]
  it.each([17, 20, 27, 5, 1])('keeps the sum equal to the dossier’s limit (%i working days) and each consultation within its host', (n) => {
    const scaled = scaleBudgets(steps, wd(27), wd(n))!
    expect(scaled.filter((s) => !s.parallel).reduce((a, s) => a + s.budget, 0)).toBe(n)
    expect(scaled[2]!.budget).toBeLessThanOrEqual(scaled[1]!.budget)
  })
  it('gives up when the units differ (no common measure)', () => {
    expect(scaleBudgets(steps, wd(27), { amount: 27, unit: 'calendar_days' })).toBeUndefined()
  })
})

describe('the legal limit of a procedure', () => {
  const time = (value: number) => ({ kind: 'working_days' as const, value, original: `${value} ngày làm việc` })
  const fee = { kind: 'free' as const, original: '', note: null }
  it('is the local time when the province set one, else the in-person channel’s', () => {
    const channels = [
      { channel: 'online' as const, time: time(17), fee, description: null },
      { channel: 'in_person' as const, time: time(27), fee, description: null },
    ]
    expect(legalLimitOf({ channels, local: null })).toEqual(wd(27))
    expect(legalLimitOf({ channels, local: { time: time(20), fee: null, note: null } })).toEqual(wd(20))
  })
})
