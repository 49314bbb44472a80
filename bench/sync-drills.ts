// The sync drills' figures (issue 7 acceptance): runs test/sync-drills.int.test.ts on PGlite and,
// when TEST_DATABASE_URL is set, on PostgreSQL (the crash drill needs PostgreSQL), and prints the
// DRILL lines: events, sent to the portal, calls, failed attempts (retries), faults injected,
// duplicates stored at the portal (must be 0), time to drain after recovery, reconcile differences.
import { spawnSync } from 'node:child_process'

const projects = ['int', ...(process.env['TEST_DATABASE_URL'] ? ['int-pg'] : [])]
for (const project of projects) {
  const r = spawnSync('npx', ['vitest', 'run', '--project', project, 'test/sync-drills.int.test.ts'], { encoding: 'utf8', env: process.env })
  // eslint-disable-next-line no-control-regex
  const lines = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.startsWith('DRILL'))
  for (const l of lines) console.log(l)
  if (r.status !== 0) {
    console.error(`${project}: the drill failed (exit ${r.status})`)
    process.exitCode = 1
  }
}
