import { describe, expect, it } from 'vitest'
import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import { FILE_RULES, fileKindsFor, mayReadFiles, OFFICER_FILE_KINDS } from './dossier.files.js'
import { RULES, type DossierStatus } from './dossier.machine.js'
import type { DossierRow } from './dossier.repo.js'

const dossier = (status: DossierStatus, extra: Partial<DossierRow> = {}) =>
  ({ status, receivingAgencyId: 'counter-agency', competentAgencyId: 'commune', currentAgencyId: 'commune', currentAssigneeId: 'officer-1', ...extra }) as DossierRow
const who = (role: StaffRole, agencyId: string, accountId = `${role}-x`) => ({ role, agencyId, accountId }) as StaffPrincipal

describe('who attaches which file when (issue 5: scans at intake, results in handling)', () => {
  it('keeps every kind within the lifecycle, and leaves no allowed status to no kind', () => {
    const lifecycle: readonly DossierStatus[] = RULES.attach_file.from
    for (const k of OFFICER_FILE_KINDS) for (const s of FILE_RULES[k].from) expect(lifecycle).toContain(s)
    expect(new Set(OFFICER_FILE_KINDS.flatMap((k) => FILE_RULES[k].from))).toEqual(new Set(lifecycle))
  })

  it.each([
    ['counter officer of the receiving centre at receipt', who('counter_officer', 'counter-agency'), dossier('received'), ['scan']],
    ['counter officer during a supplement', who('counter_officer', 'counter-agency'), dossier('awaiting_supplement'), ['scan']],
    ['counter officer once decided', who('counter_officer', 'counter-agency'), dossier('decided'), []],
    ['handling officer while processing', who('processing_officer', 'commune', 'officer-1'), dossier('processing'), ['scan', 'result']],
    ['another officer of the same agency', who('processing_officer', 'commune', 'officer-2'), dossier('processing'), []],
    ['leader of the competent agency once decided', who('agency_leader', 'commune'), dossier('decided'), ['result']],
    ['leader of another agency', who('agency_leader', 'elsewhere'), dossier('decided'), []],
    ['anyone once returned', who('agency_leader', 'commune'), dossier('returned'), []],
    ['counter officer of another centre', who('counter_officer', 'elsewhere'), dossier('received'), []],
  ] as const)('%s', (_, p, d, kinds) => {
    expect(fileKindsFor(p, d)).toEqual(kinds)
  })

  it('shows files to the agencies involved and administrators only', () => {
    const d = dossier('processing', { currentAgencyId: 'transferred-to' })
    for (const agency of ['counter-agency', 'commune', 'transferred-to']) expect(mayReadFiles(who('processing_officer', agency), d)).toBe(true)
    expect(mayReadFiles(who('supervisor', 'province-office'), d)).toBe(false)
    expect(mayReadFiles(who('admin', 'province-office'), d)).toBe(true)
  })
})
