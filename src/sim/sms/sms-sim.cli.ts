import { parseArgs } from 'node:util'
import { startSmsSimulator, type SmsSimulator } from './sms-sim.js'

export const SMS_SIM_USAGE = `vidan sim sms [--port N] [--host H]

Starts a simulator of an SMS brandname gateway on its own port (default: the port of
VIDAN_SMS_GATEWAY_URL, 4300 in demo mode). It accepts the API key and brandname of the
configuration; its page /sim shows every phone's inbox (the codes citizens "receive") and
switches faults (5xx, no answer).
`

/** `vidan sim sms`: starts the simulator; the caller keeps the process alive and closes it. */
export async function runSmsSimulatorCommand(args: string[], deps: { settings: { gatewayUrl: string | undefined; apiKey: string; brandname: string }; out: (line: string) => void }): Promise<SmsSimulator | number> {
  const { values } = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' } } })
  if (!deps.settings.apiKey || !deps.settings.brandname) {
    deps.out('sim sms: set VIDAN_SMS_API_KEY and VIDAN_SMS_BRANDNAME (demo mode has defaults)')
    return 2
  }
  const configured = deps.settings.gatewayUrl ? new URL(deps.settings.gatewayUrl) : undefined
  const port = Number(values.port ?? configured?.port ?? 4300)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    deps.out('sim sms: --port must be 0–65535')
    return 2
  }
  const sim = await startSmsSimulator({ port, host: values.host ?? '127.0.0.1', apiKey: deps.settings.apiKey, brandnames: [deps.settings.brandname], log: (line) => deps.out(`[sim sms] ${line}`) })
  deps.out(`Tổng đài SMS mô phỏng / SMS gateway simulator at ${sim.url} (brandname ${deps.settings.brandname}); inboxes at ${sim.url}/sim`)
  return sim
}
