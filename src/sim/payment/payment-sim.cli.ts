import { parseArgs } from 'node:util'
import type { PaymentSettings } from '../../modules/payments/index.js'
import { startPaymentSimulator, type PaymentSimulator } from './payment-sim.js'

export const SIM_USAGE = `vidan sim payment [--port N] [--host H] [--statement-dir DIR]

Starts a simulator of the national payment platform on its own port (default: the port of
VIDAN_PAYMENT_GATEWAY_URL, 4100 in demo mode). It knows one partner, Vì Dân's, with the
partner code and secret of the configuration, and sends notices to this Vì Dân's callback URL.
Options: --callback URL and --return URL override where notices and payers go; --public-url the
address payers reach the simulator at.
`

/** `vidan sim payment`: starts the simulator; the caller keeps the process alive and closes it. */
export async function runPaymentSimulatorCommand(args: string[], deps: { settings: PaymentSettings; publicUrl: string; out: (line: string) => void }): Promise<PaymentSimulator | number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'statement-dir': { type: 'string' }, callback: { type: 'string' }, return: { type: 'string' }, 'public-url': { type: 'string' } },
  })
  if (positionals[0] !== 'payment') {
    deps.out(SIM_USAGE)
    return positionals[0] === undefined || positionals[0] === 'help' ? 0 : 2
  }
  if (!deps.settings.partnerCode || !deps.settings.secret) {
    deps.out('sim payment: set VIDAN_PAYMENT_PARTNER_CODE and VIDAN_PAYMENT_SECRET (demo mode has defaults)')
    return 2
  }
  const configured = deps.settings.gatewayUrl ? new URL(deps.settings.gatewayUrl) : undefined
  const port = Number(values.port ?? configured?.port ?? 4100)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    deps.out('sim payment: --port must be 0–65535')
    return 2
  }
  const base = deps.publicUrl.replace(/\/+$/, '')
  const sim = await startPaymentSimulator({
    port,
    host: values.host ?? '127.0.0.1',
    publicUrl: values['public-url'],
    statementDir: values['statement-dir'],
    partners: [{ code: deps.settings.partnerCode, secret: deps.settings.secret, callbackUrl: values.callback ?? `${base}/api/v1/payments/callback/national`, returnUrl: values.return ?? `${base}/thanh-toan/ket-qua` }],
    log: (line) => deps.out(`[sim] ${line}`),
  })
  deps.out(`Nền tảng thanh toán mô phỏng / payment platform simulator at ${sim.url} (partner ${deps.settings.partnerCode}); control page ${sim.url}/sim`)
  return sim
}
