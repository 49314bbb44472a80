// Cold and warm start of `vidan serve` on the embedded database, and the server's memory at idle.
// Run: node --import tsx bench/startup.bench.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startServer } from '../test/support/server-process.js'

function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN)
  return { rssMiB: Math.round(kb('VmRSS') / 1024), peakMiB: Math.round(kb('VmHWM') / 1024) }
}

const runs = Number(process.argv[2] ?? 3)
const cold: number[] = []
const warm: number[] = []
let idle: { rssMiB: number; peakMiB: number } | undefined
for (let i = 0; i < runs; i++) {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-bench-')), 'data')
  let t = performance.now()
  const s1 = await startServer({ dataDir })
  cold.push(performance.now() - t)
  await s1.stop()
  t = performance.now()
  const s2 = await startServer({ dataDir })
  warm.push(performance.now() - t)
  // Idle: a few page views, then 10 s of nothing.
  for (const p of ['/', '/staff/login', '/api/v1/openapi.json']) await fetch(`${s2.url}${p}`).then((r) => r.text())
  await new Promise((r) => setTimeout(r, 10_000))
  idle = memoryOf(s2.child.pid!)
  await s2.stop()
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true })
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`runs: ${runs}`)
console.log(`cold start (empty data folder → ready): median ${Math.round(median(cold))} ms  [${cold.map(Math.round).join(', ')}]`)
console.log(`warm start (existing data folder → ready): median ${Math.round(median(warm))} ms  [${warm.map(Math.round).join(', ')}]`)
console.log(`server memory after 10 s idle: RSS ${idle?.rssMiB} MiB, peak RSS (VmHWM) ${idle?.peakMiB} MiB`)
