import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { DomainError } from '../../shared/errors.js'
import { importNational, importProvince, readNationalFile, summariseNational, summariseProvince, type Progress } from './catalog.import.js'
import { demoRules } from './catalog.seed.js'

export const CATALOG_USAGE = `vidan catalog <command>

  import-national FILE.json[.gz] [--report DIR]
      Parse the national procedure records (dichvucong.gov.vn) and publish a new version of
      each procedure whose content changed. Writes DIR/catalog-national-<time>.json (per record
      and per field: what could not be parsed) and prints a summary with totals.
  import-province FILE.csv [--demo-rules] [--report DIR]
      Apply the province's published list: which procedures apply here, agency_id,
      receiving_agency_id, online_level (toàn trình | một phần | không), partial_reason,
      partial_legal_basis, local_time, local_fee, due_publish_by. Procedures no longer listed
      stop applying here. --demo-rules fills what the list leaves unsaid with the demo
      assignments of the seed (say so when you publish). Spreadsheets: save as CSV (UTF-8).

  The report folder defaults to ./.vidan/reports.
`

export interface CatalogCliDeps {
  db: Db
  clock: Clock
  out: (line: string) => void
  /** Where progress goes (stderr); `tty` redraws one line, otherwise a line per step. */
  progress: { write: (s: string) => void; tty: boolean }
}

/** A progress bar on one line for a terminal, or a line per tenth for a log. */
export function progressPrinter(sink: CatalogCliDeps['progress']): Progress {
  let lastTenth = -1
  let lastPhase = ''
  return (phase, done, total) => {
    const frac = total ? done / total : 1
    if (sink.tty) {
      const width = 30
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.')
      sink.write(`\r${phase.padEnd(6)} [${bar}] ${String(done).padStart(5)}/${total} ${String(Math.round(frac * 100)).padStart(3)}%${done === total ? '\n' : ''}`)
      return
    }
    const tenth = Math.floor(frac * 10)
    if (phase !== lastPhase) lastTenth = -1
    if (tenth !== lastTenth) sink.write(`${phase} ${done}/${total} (${Math.round(frac * 100)}%)\n`)
    lastTenth = tenth
    lastPhase = phase
  }
}

function writeReport(dir: string, kind: string, report: unknown, summary: string, at: Date): string {
  fs.mkdirSync(dir, { recursive: true })
  const stamp = at.toISOString().replace(/[:.]/g, '-')
  const file = path.join(dir, `catalog-${kind}-${stamp}.json`)
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  fs.writeFileSync(file.replace(/\.json$/, '.txt'), `${summary}\n`)
  return file
}

/** `vidan catalog …`; returns the process exit code. */
export async function runCatalogCommand(args: string[], deps: CatalogCliDeps): Promise<number> {
  const [command, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { report: { type: 'string' }, 'demo-rules': { type: 'boolean', default: false } },
  })
  const file = positionals[0]
  const reportDir = path.resolve(values.report ?? '.vidan/reports')
  const onProgress = progressPrinter(deps.progress)
  if ((command === 'import-national' || command === 'import-province') && !file) {
    deps.out(CATALOG_USAGE)
    return 2
  }
  try {
    if (command === 'import-national' && file) {
      const records = readNationalFile(file)
      const report = await importNational(deps, records, { file, onProgress })
      const summary = summariseNational(report)
      const where = writeReport(reportDir, 'national', report, summary, deps.clock.now())
      deps.out(`${summary}\n\nreport: ${where}`)
      return 0
    }
    if (command === 'import-province' && file) {
      if (!/\.csv$/i.test(file)) {
        deps.out('Only CSV is read (save the spreadsheet as CSV UTF-8); xlsx is not supported.')
        return 2
      }
      const report = await importProvince(deps, fs.readFileSync(file, 'utf8'), { file, onProgress, rules: values['demo-rules'] ? demoRules : undefined })
      const summary = summariseProvince(report)
      const where = writeReport(reportDir, 'province', report, summary, deps.clock.now())
      deps.out(`${summary}\n\nreport: ${where}`)
      return 0
    }
  } catch (e) {
    if (e instanceof DomainError) {
      deps.out(`${e.code}: ${e.message}`)
      return 1
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      deps.out(`Không tìm thấy tệp / file not found: ${file ?? ''}`)
      return 1
    }
    throw e
  }
  deps.out(CATALOG_USAGE)
  return command === undefined || command === 'help' ? 0 : 2
}
