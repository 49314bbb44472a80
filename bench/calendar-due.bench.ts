/**
 * Due dates for one million random cases (receipt between 2020 and 2035, limit of 1–60
 * working days) over the Cà Mau calendar with the announced 2024–2026 schedules.
 * Run: node --import tsx bench/calendar-due.bench.ts
 */
import { computeDue, computeDueAt, dayNumberOf } from '../src/modules/calendar/index.js'
import { testSnapshot } from '../src/modules/calendar/calendar.fixtures.js'

const CASES = 1_000_000
const EXPLAINED_CASES = 100_000

// A small seeded generator (mulberry32) so every run measures the same cases.
let seed = 0x5eed
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296
}

let t0 = performance.now()
const cal = testSnapshot()
const buildMs = performance.now() - t0

const from = dayNumberOf(2020, 1, 1) * 86_400_000
const span = (dayNumberOf(2035, 12, 31) - dayNumberOf(2020, 1, 1)) * 86_400_000
const receipts = new Float64Array(CASES)
const amounts = new Int32Array(CASES)
for (let i = 0; i < CASES; i++) {
  receipts[i] = from + Math.floor(random() * span)
  amounts[i] = 1 + Math.floor(random() * 60)
}

const run = () => {
  let checksum = 0
  for (let i = 0; i < CASES; i++) checksum += computeDueAt(cal, receipts[i] as number, amounts[i] as number, 'working_days') % 1_000_003
  return checksum
}
run() // warm-up
t0 = performance.now()
const checksum = run()
const fastMs = performance.now() - t0

t0 = performance.now()
let steps = 0
for (let i = 0; i < EXPLAINED_CASES; i++) steps += computeDue(cal, { receivedAt: receipts[i] as number, amount: amounts[i] as number, unit: 'working_days' }).explanation.steps.length
const explainedMs = performance.now() - t0

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en-US')
console.log(`calendar snapshot built in ${buildMs.toFixed(1)} ms (1900–2101, first build includes the lunar computations)`)
console.log(`computeDueAt (no explanation): ${CASES.toLocaleString('en-US')} cases in ${fastMs.toFixed(1)} ms = ${rate(CASES, fastMs)} cases/s (checksum ${checksum})`)
console.log(`computeDue (with explanation): ${EXPLAINED_CASES.toLocaleString('en-US')} cases in ${explainedMs.toFixed(1)} ms = ${rate(EXPLAINED_CASES, explainedMs)} cases/s (${steps} steps)`)
