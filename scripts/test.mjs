#!/usr/bin/env node
// Runs every test suite: unit, integration on PGlite, integration on PostgreSQL (when
// TEST_DATABASE_URL is set), and the browser suite (when Chromium is installed).
// REQUIRE_E2E=1 makes a missing browser a failure instead of a skip.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const projects = ['unit', 'int']
if (process.env.TEST_DATABASE_URL) projects.push('int-pg')
else console.log('NOTE: TEST_DATABASE_URL is not set, so the PostgreSQL integration suite is skipped.')

if (fs.existsSync(chromium)) projects.push('e2e')
else if (process.env.REQUIRE_E2E === '1') {
  console.error(`FAIL: REQUIRE_E2E=1 but no Chromium at ${chromium} (apt-get install -y chromium).`)
  process.exit(1)
} else {
  console.log(`SKIPPED: browser (e2e) suite — no Chromium at ${chromium}. Install it (apt-get install -y chromium) or set REQUIRE_E2E=1 to fail instead.`)
}

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-test-')), 'report.json')
const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]
console.log(`running suites: ${projects.join(', ')}`)
const r = spawnSync('npx', args, { stdio: 'inherit', env: process.env })
// One plain closing line for CI: "N passed, N failed, N skipped".
try {
  const j = JSON.parse(fs.readFileSync(report, 'utf8'))
  console.log(`\nsuites ${projects.join('+')}: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests + (j.numTodoTests ?? 0)} skipped`)
} catch {
  console.log('\nno test report was written')
}
fs.rmSync(path.dirname(report), { recursive: true, force: true })
process.exit(r.status ?? 1)
