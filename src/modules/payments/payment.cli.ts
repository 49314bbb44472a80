import fs from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { DomainError } from '../../shared/errors.js'
import { reconcileDay } from './payment.reconcile.js'
import { createPaymentDeps, type PaymentSettings } from './payment.service.js'

export const PAYMENTS_USAGE = `vidan payments <command>

Commands:
  reconcile --date YYYY-MM-DD [--statement FILE]
        compare our online payments of that day (Vietnam time) with the payment platform's
        statement (a CSV file; fetched from the platform when no file is given); lists every
        mismatch, stores the report; exit code 1 when anything differs
`

export interface PaymentsCliDeps {
  db: Db
  clock: Clock
  provinceCode: string
  publicUrl: string
  settings: PaymentSettings
  out: (line: string) => void
}

/** `vidan payments …`: returns the exit code. */
export async function runPaymentsCommand(args: string[], deps: PaymentsCliDeps): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'reconcile') {
    deps.out(PAYMENTS_USAGE)
    return sub === undefined || sub === 'help' ? 0 : 2
  }
  const { values } = parseArgs({ args: rest, options: { date: { type: 'string' }, statement: { type: 'string' } } })
  if (!values.date) {
    deps.out('reconcile: --date YYYY-MM-DD is required')
    return 2
  }
  const statementCsv = values.statement ? await fs.readFile(values.statement, 'utf8') : undefined
  try {
    const r = await reconcileDay(createPaymentDeps(deps, deps.settings), { day: values.date, statementCsv, runBy: null })
    deps.out(`đối soát ${r.day}: Vì Dân ${r.ourRows} giao dịch, sao kê ${r.statementRows} dòng, ${r.mismatches.length} chênh lệch, ${r.problems.length} dòng lỗi (báo cáo ${r.id})`)
    for (const p of r.problems) deps.out(`  dòng lỗi: ${p}`)
    for (const m of r.mismatches) deps.out(`  ${m.kind.padEnd(18)} ${m.reference}  ${m.message}`)
    return r.mismatches.length + r.problems.length ? 1 : 0
  } catch (e) {
    if (!(e instanceof DomainError)) throw e
    deps.out(`reconcile: ${e.message}`)
    return 2
  }
}
