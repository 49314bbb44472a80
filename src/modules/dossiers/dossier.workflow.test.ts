import { describe, expect, it } from 'vitest'
import { computeDue } from '../calendar/index.js'
import { testSnapshot, vn, vnShort } from '../calendar/calendar.fixtures.js'
import type { WorkflowStep, WorkflowTemplate } from '../catalog/index.js'
import { buildPlan, nextSequential, planView, replanDueTimes, resolveAgency } from './dossier.workflow.js'

// March 2026 has no day off: Mon 2 … Fri 6, Sat 7, Sun 8, Mon 9, Tue 10.
const cal = testSnapshot()
const s = (kind: WorkflowStep['kind'], budget: number, agency = 'competent', parallel = false): WorkflowStep => ({ name: `${kind}-${budget}`, kind, agency, role: kind === 'approve' ? 'agency_leader' : 'processing_officer', budget, parallel })
const template = (steps: WorkflowStep[], amount: number): WorkflowTemplate => ({ code: '1.013236', procedureVersion: 3, templateVersion: 2, source: 'template', limit: { amount, unit: 'working_days' }, steps })
const liênThông = template([s('handle', 3), s('consult', 2, 'cong-an-tinh', true), s('handle', 2, '@ubnd-xa'), s('approve', 1)], 6)

function plan(t: WorkflowTemplate, amount: number, received = '2026-03-02T09:00') {
  const receivedAt = new Date(vn(received))
  const limit = { amount, unit: 'working_days' as const }
  const dueAt = new Date(computeDue(cal, { receivedAt, ...limit }).dueAt)
  return buildPlan(t, { competentAgencyId: 'so-xay-dung', communeCode: '32002', limit, receivedAt, dueAt }, cal)
}

describe('step plan of a dossier (issue 5 §3)', () => {
  it('DOMAIN A4: each sequential step is due when the budgets so far have run from the valid receipt; the last with the dossier', () => {
    const p = plan(liênThông, 6)
    expect(p.steps.map((x) => [x.kind, x.agencyId, vnShort(new Date(x.dueAt))])).toEqual([
      ['handle', 'so-xay-dung', '2026-03-05T17:00'], // 3 working days after the uncounted Monday
      ['consult', 'cong-an-tinh', '2026-03-04T17:00'], // its own 2 days, from its host's start
      ['handle', 'ubnd-xa-32002', '2026-03-09T17:00'], // 3 + 2, the weekend skipped
      ['approve', 'so-xay-dung', '2026-03-10T17:00'], // the dossier's due time
    ])
    expect(p.steps[1]!.host).toBe(0)
    expect(p).toMatchObject({ source: 'template', templateVersion: 2, procedureVersion: 3, note: null })
  })

  it('DOMAIN A4: a receipt after 17:00 moves every step by the same uncounted day', () => {
    const p = plan(liênThông, 6, '2026-03-02T17:30')
    expect(vnShort(new Date(p.steps[0]!.dueAt))).toBe('2026-03-06T17:00')
    expect(vnShort(new Date(p.steps[3]!.dueAt))).toBe('2026-03-11T17:00')
  })

  it('scales the budgets to a channel with another limit and says so', () => {
    const p = plan(liênThông, 12)
    expect(p.steps.filter((x) => !x.parallel).reduce((n, x) => n + x.budget, 0)).toBe(12)
    expect(p.note).toMatch(/6 sang 12/)
  })

  it('follows the default two steps without a template, as before templates existed', () => {
    const p = plan({ ...liênThông, source: 'default', templateVersion: null }, 5)
    expect(p.steps.map((x) => [x.kind, x.budget, vnShort(new Date(x.dueAt))])).toEqual([
      ['handle', 4, '2026-03-06T17:00'],
      ['approve', 1, '2026-03-09T17:00'],
    ])
    expect(p.templateVersion).toBeNull()
  })

  it('DOMAIN A5 / Decree 61 Art. 19(4): after a supplement the plan restarts from zero at its receipt', () => {
    const p = plan(liênThông, 6)
    const receivedAt = new Date(vn('2026-03-02T09:00'))
    const pauses = [{ from: vn('2026-03-03T10:00'), to: vn('2026-03-04T10:00'), reason: 'bổ sung', mode: 'restart' as const }]
    const dueAt = new Date(computeDue(cal, { receivedAt, amount: 6, unit: 'working_days', pauses }).dueAt)
    const r = replanDueTimes(p, cal, { receivedAt, dueAt, pauses })
    // Counting restarts on Wed 4 (uncounted): handle 3 → Mon 9, handle 5 → Wed 11, approve → the new due (Thu 12).
    expect(r.steps.map((x) => vnShort(new Date(x.dueAt)))).toEqual(['2026-03-09T17:00', '2026-03-06T17:00', '2026-03-11T17:00', '2026-03-12T17:00'])
    expect(vnShort(dueAt)).toBe('2026-03-12T17:00')
  })

  it('finds the next sequential step with the consultations it hosts, and shows which step is current', () => {
    const p = plan(liênThông, 6)
    expect(nextSequential(p, -1)).toMatchObject({ step: { index: 0 }, parallel: [{ index: 1 }] })
    expect(nextSequential(p, 0)).toMatchObject({ step: { index: 2 }, parallel: [] })
    expect(nextSequential(p, 3)).toBeUndefined()
    const v = planView(p, [
      { planIndex: 0, completedAt: new Date(), outcome: 'early' },
      { planIndex: 1, completedAt: null, outcome: null },
      { planIndex: 2, completedAt: null, outcome: null },
    ])!
    expect(v.steps.map((x) => x.state)).toEqual(['done', 'current', 'current', 'pending'])
  })

  it('resolves performers for the dossier: the competent agency, that body of its commune, or the agency named', () => {
    const d = { competentAgencyId: 'ubnd-xa-32002', communeCode: '32002' }
    expect([resolveAgency('competent', d), resolveAgency('@cong-an-xa', d), resolveAgency('so-xay-dung', d)]).toEqual(['ubnd-xa-32002', 'cong-an-xa-32002', 'so-xay-dung'])
  })
})
