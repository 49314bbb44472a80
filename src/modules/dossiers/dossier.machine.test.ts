import { describe, expect, it } from 'vitest'
import { allowedActions, DOSSIER_STATUSES, InvalidTransitionError, NATIONAL_STATUS_CODE, nextStatus, RULES } from './dossier.machine.js'

describe('dossier lifecycle (DOMAIN B §2.3.2)', () => {
  it.each([
    ['submitted', 'receive', 'received'],
    ['received', 'assign', 'processing'],
    ['processing', 'request_supplement', 'awaiting_supplement'],
    ['awaiting_supplement', 'receive_supplement', 'processing'],
    ['processing', 'request_payment', 'awaiting_payment'],
    ['awaiting_payment', 'confirm_payment', 'processing'],
    ['processing', 'approve', 'decided'],
    ['processing', 'reject', 'decided'],
    ['decided', 'return_result', 'returned'],
    ['submitted', 'refuse', 'refused'],
    ['processing', 'withdraw', 'withdrawn'],
    ['received', 'stop', 'stopped'],
    ['processing', 'transfer', 'processing'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to)
  })

  it('refuses an action not allowed now, naming the allowed ones', () => {
    try {
      nextStatus('returned', 'approve')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTransitionError)
      expect((e as InvalidTransitionError).code).toBe('DOSSIER.INVALID_TRANSITION')
      expect((e as InvalidTransitionError).details).toMatchObject({ status: 'returned', action: 'approve', allowedActions: [] })
    }
    expect(() => nextStatus('submitted', 'approve')).toThrow(InvalidTransitionError)
  })

  it('lets nothing leave a terminal status', () => {
    for (const s of ['refused', 'withdrawn', 'stopped', 'returned'] as const) expect(allowedActions(s)).toEqual([])
  })

  it('requires a reason where the law does: refusal, supplement, apology, stop (B §2.3.2)', () => {
    for (const a of ['refuse', 'request_supplement', 'request_supplement_intake', 'draft_apology', 'stop', 'reject'] as const) expect(RULES[a].reasonRequired).toBe(true)
  })

  it('maps every status to a national portal code 1–10 (B §2.3.1)', () => {
    for (const s of DOSSIER_STATUSES) expect(NATIONAL_STATUS_CODE[s]).toBeGreaterThanOrEqual(1)
    expect(NATIONAL_STATUS_CODE.returned).toBe(10)
    expect(NATIONAL_STATUS_CODE.submitted).toBe(1)
  })
})
