import { parseArgs } from 'node:util'
import type { PortalSettings } from '../../modules/sync/index.js'
import { sampleSubmission, startNationalPortalSimulator, type PortalSimulator } from './portal-sim.js'

export const PORTAL_SIM_USAGE = `vidan sim national-portal [--port N] [--host H] [--seed N] [--offer N --procedure CODE [--commune CODE]]

Starts a simulator of the National Public Service Portal's case sync (DOMAIN B §12.2) on its own
port (default: the port of VIDAN_NATIONAL_PORTAL_URL, 4200 in demo mode), knowing Vì Dân's partner
key and secret from the configuration. Page: /sim; JSON: /sim/api/state; faults:
POST /sim/api/faults {"http5xx":0.5,"timeout":0.1,"drop":0.2,"slowMs":0,"alreadyExists":false}.
--offer N puts N dossiers "submitted on the portal" for the procedure up for intake.
`

/** `vidan sim national-portal`: starts the simulator; the caller keeps the process alive and closes it. */
export async function runPortalSimulatorCommand(args: string[], deps: { settings: PortalSettings | undefined; out: (line: string) => void }): Promise<PortalSimulator | number> {
  const { values } = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' }, seed: { type: 'string' }, offer: { type: 'string' }, procedure: { type: 'string' }, commune: { type: 'string' } } })
  if (!deps.settings) {
    deps.out('sim national-portal: set VIDAN_NATIONAL_PORTAL_URL, VIDAN_NATIONAL_PORTAL_KEY and VIDAN_NATIONAL_PORTAL_SECRET (demo mode has defaults)')
    return 2
  }
  const port = Number(values.port ?? (new URL(deps.settings.url).port || 4200))
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    deps.out('sim national-portal: --port must be 0–65535')
    return 2
  }
  const offer = Number(values.offer ?? 0)
  if (!Number.isInteger(offer) || offer < 0 || (offer > 0 && !values.procedure)) {
    deps.out('sim national-portal: --offer N needs --procedure CODE')
    return 2
  }
  const sim = await startNationalPortalSimulator({ port, host: values.host ?? '127.0.0.1', key: deps.settings.key, secret: deps.settings.secret, seed: values.seed ? Number(values.seed) : undefined, log: (l) => deps.out(`[sim] ${l}`) })
  for (let i = 1; i <= offer; i++) sim.submit(sampleSubmission(i, values.procedure!, values.commune))
  deps.out(`Cổng DVCQG mô phỏng / national portal simulator at ${sim.url}; page ${sim.url}/sim`)
  return sim
}
