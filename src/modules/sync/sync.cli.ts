import { parseArgs } from 'node:util'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { httpNationalPortal, type PortalSettings } from './sync.portal.js'
import { reconcileWithPortal } from './sync.reconcile.js'
import { pullPortalSubmissions } from './sync.service.js'

export const SYNC_USAGE = `vidan sync <command>

  reconcile [--dossier ID]…   compare each dossier's status and events with the national portal's
                              view; prints every difference; exit code 1 when there is one
  intake                      take in the dossiers submitted on the national portal now
`

/** `vidan sync …`: runs a subcommand, returns the exit code. */
export async function runSyncCommand(args: string[], deps: { db: Db; clock: Clock; provinceCode: string; settings: PortalSettings | undefined; out: (line: string) => void }): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { dossier: { type: 'string', multiple: true } } })
  const command = positionals[0]
  if (command !== 'reconcile' && command !== 'intake') {
    deps.out(SYNC_USAGE)
    return command === undefined || command === 'help' ? 0 : 2
  }
  if (!deps.settings) {
    deps.out('sync: VIDAN_NATIONAL_PORTAL_URL is not set')
    return 2
  }
  const sync = { db: deps.db, clock: deps.clock, provinceCode: deps.provinceCode, portal: httpNationalPortal(deps.settings) }
  if (command === 'intake') {
    const r = await pullPortalSubmissions(sync)
    if (r.unavailable) {
      deps.out(`sync intake: portal unavailable: ${r.unavailable}`)
      return 1
    }
    deps.out(`sync intake: ${r.offered} offered, ${r.created} created, ${r.alreadyTaken} already taken in, ${r.rejected.length} refused`)
    for (const x of r.rejected) deps.out(`  refused ${x.portalDossierId}: ${x.reason}`)
    return 0
  }
  const r = await reconcileWithPortal(sync, values.dossier?.length ? { dossierIds: values.dossier } : {})
  for (const d of r.differences) deps.out(`${d.code}\t${d.kind}\t${d.detail}`)
  deps.out(`sync reconcile: ${r.checked} dossiers compared (${r.eventsCompared} events), ${r.withoutCode} without a code yet, ${r.differences.length} difference(s)`)
  return r.differences.length ? 1 : 0
}
