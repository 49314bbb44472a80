/**
 * Dossiers through the whole lifecycle, concurrently (issue 5 §10): counter intake (accept),
 * assign, submit_for_approval, approve, return_result. Each transition runs in its own
 * transaction through the service layer, as the HTTP handlers run it; C workers each drive
 * their own dossiers, so no 409 is expected. Reports count and p50/p95/p99 latency per
 * transition kind and transitions per second over the wall clock, then checks the outcome:
 * every dossier returned with exactly 6 events, every hash chain intact, the agency's daily
 * codes 1..N without gaps.
 *
 * Run:
 *   node --import tsx bench/dossier-lifecycle.bench.ts [--backend pglite|postgres] [--dossiers N] [--concurrency C]
 *     (defaults: PGlite 500 dossiers at concurrency 4; PostgreSQL 2000 at 16)
 *     [--database-url postgres://user:pw@host:5432/postgres]  (or env BENCH_DATABASE_URL; PostgreSQL only)
 *     [--pool P]      PostgreSQL connections (default 16)
 *     [--warmup W]    dossiers driven first on the previous working day, not measured (default 2×C)
 *     [--profile]     also count queries per transition and time each query shape
 *     [--cpu-profile FILE]  V8 CPU profile of the measured phase only (open in Chrome DevTools)
 *     [--via service|http]  service layer (default), or the HTTP API through app.inject with real
 *                     sessions and CSRF tokens (adds authentication, validation, DTOs)
 *     [--keep]        PostgreSQL: keep the database afterwards (for EXPLAIN ANALYZE); drop it by hand
 *
 * On PostgreSQL a fresh database vidan_bench_<pid> is created on the given server, migrated,
 * seeded with reference data, and dropped at the end.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import crypto from 'node:crypto'
import fs from 'node:fs'
import inspector from 'node:inspector/promises'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { loadConfig } from '../src/app/config.js'
import { openPglite, openPostgres, type DatabaseHandle } from '../src/app/db.js'
import { migrateToLatest } from '../src/app/migrate.js'
import { createWebApp } from '../src/app/runtime.js'
import { seedReference } from '../src/app/seed.js'
import { getCalendarSnapshot } from '../src/modules/calendar/index.js'
import { verifyAllChains } from '../src/modules/dossiers/index.js'
import { act, intakeAtCounter, type ActionInput, type DossierDeps, type IntakeInput } from '../src/modules/dossiers/dossier.service.js'
import { createAccount } from '../src/modules/identity/index.js'
import { findAgencyById } from '../src/modules/org/index.js'
import type { StaffPrincipal, StaffRole } from '../src/shared/auth.js'
import { ManualClock } from '../src/shared/clock.js'
import { inTransaction, type Db } from '../src/shared/database.js'
import { DomainError } from '../src/shared/errors.js'

// ---- options ------------------------------------------------------------------------------------

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string' },
    dossiers: { type: 'string' },
    concurrency: { type: 'string' },
    'database-url': { type: 'string' },
    pool: { type: 'string', default: '16' },
    warmup: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
    keep: { type: 'boolean', default: false },
    via: { type: 'string', default: 'service' },
  },
  strict: true,
})

// PostgreSQL when a URL is given on the command line, else PGlite, unless --backend says.
const backend = opts.backend ?? (opts['database-url'] ? 'postgres' : 'pglite')
if (backend !== 'pglite' && backend !== 'postgres') throw new Error(`--backend must be pglite or postgres, got ${backend}`)
const positive = (name: string, v: string | undefined, dflt: number): number => {
  const n = v === undefined ? dflt : Number(v)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`)
  return n
}
const DOSSIERS = positive('dossiers', opts.dossiers, backend === 'postgres' ? 2000 : 500)
const CONCURRENCY = Math.max(1, positive('concurrency', opts.concurrency, backend === 'postgres' ? 16 : 4))
const POOL = Math.max(1, positive('pool', opts.pool, 16))
const WARMUP = positive('warmup', opts.warmup, 2 * CONCURRENCY)
const VIA = opts.via
if (VIA !== 'service' && VIA !== 'http') throw new Error(`--via must be service or http, got ${VIA}`)
const serverUrl = opts['database-url'] ?? process.env['BENCH_DATABASE_URL']
if (backend === 'postgres' && !serverUrl) throw new Error('--backend postgres needs --database-url or BENCH_DATABASE_URL (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres)')

// ---- the scenario ---------------------------------------------------------------------------------

const PROVINCE = '96'
const COUNTER_AGENCY = 'ttpvhcc-xa-32002'
const COMPETENT_AGENCY = 'ubnd-xa-32002'
// Thursday 26/11/2026 09:00 in Vietnam; the warm-up runs on Wednesday 25/11, so the measured
// day's codes start at 1.
const BENCH_AT = '2026-11-26T02:00:00Z'
const WARMUP_AT = '2026-11-25T02:00:00Z'

const INTAKE: IntakeInput = {
  procedureCode: '1.001193', // Đăng ký khai sinh, commune level
  communeCode: '32002',
  applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '096190001234', phone: '0912345678', address: 'Khóm 1, phường An Xuyên' },
  decision: 'accept',
  limit: { amount: 3, unit: 'working_days' },
}

const KINDS = ['intake', 'assign', 'submit_for_approval', 'approve', 'return_result'] as const
type Kind = (typeof KINDS)[number]

/** The three officers, as the service layer sees them, with the password for an HTTP login. */
type Officer = StaffPrincipal & { password: string }
interface Officers {
  counter: Officer
  officer: Officer
  leader: Officer
}

// ---- profiling: queries per transition and time per query shape -----------------------------------

const currentKind = new AsyncLocalStorage<Kind>()
const queriesPerKind = new Map<Kind, number>()
const shapes = new Map<string, { n: number; ms: number; byKind: Map<Kind, number> }>()

function shapeOf(node: RootOperationNode): string {
  const n = node as unknown as Record<string, unknown>
  const tableOf = (t: unknown): string => {
    const x = t as { table?: { identifier?: { name?: string } }; kind?: string; node?: unknown } | undefined
    if (x?.kind === 'AliasNode') return tableOf(x.node)
    return x?.table?.identifier?.name ?? '?'
  }
  switch (node.kind) {
    case 'SelectQueryNode':
      return `select ${((n['from'] as { froms?: unknown[] } | undefined)?.froms ?? []).map(tableOf).join(',')}`
    case 'InsertQueryNode':
      return `insert ${tableOf(n['into'])}`
    case 'UpdateQueryNode':
      return `update ${tableOf(n['table'])}`
    case 'DeleteQueryNode':
      return `delete ${((n['from'] as { froms?: unknown[] } | undefined)?.froms ?? []).map(tableOf).join(',')}`
    case 'RawNode':
      return `raw ${((n['sqlFragments'] as string[] | undefined) ?? []).join('?').replace(/\s+/g, ' ').trim().slice(0, 50)}`
    default:
      return node.kind
  }
}

class ProfilePlugin implements KyselyPlugin {
  private readonly started = new WeakMap<object, { at: number; shape: string; kind: Kind | undefined }>()
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const kind = currentKind.getStore()
    if (kind) queriesPerKind.set(kind, (queriesPerKind.get(kind) ?? 0) + 1)
    this.started.set(args.queryId, { at: performance.now(), shape: shapeOf(args.node), kind })
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const s = this.started.get(args.queryId)
    if (s?.kind) {
      const e = shapes.get(s.shape) ?? shapes.set(s.shape, { n: 0, ms: 0, byKind: new Map() }).get(s.shape)!
      e.n++
      e.ms += performance.now() - s.at
      e.byKind.set(s.kind, (e.byKind.get(s.kind) ?? 0) + 1)
    }
    return args.result
  }
}

/** The V8 profiler through the inspector, so the profile covers the measured phase only. */
async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop')
      fs.writeFileSync(file, JSON.stringify(profile))
      session.disconnect()
    },
  }
}

/**
 * CPU time (ms) used so far by the PostgreSQL backends serving this database, from /proc: only
 * when the server runs on this machine; undefined otherwise.
 */
async function serverCpu(db: Db): Promise<Map<number, number> | undefined> {
  if (backend !== 'postgres' || !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(serverUrl!).hostname)) return undefined
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db)
  const out = new Map<number, number>()
  for (const { pid } of rows) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS)
    } catch {
      return undefined // not our machine's process table after all
    }
  }
  return out
}
const CLOCK_TICKS = 100

function cpuDelta(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) return undefined
  let ms = 0
  for (const [pid, t] of after) ms += t - (before.get(pid) ?? 0)
  return ms
}

/** The 1-minute load average, from /proc (Linux); '?' elsewhere. */
function loadAverage(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!
  } catch {
    return '?'
  }
}

// ---- setup -------------------------------------------------------------------------------------

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    await c.query(text)
  } finally {
    await c.end()
  }
}

const benchDbName = `vidan_bench_${process.pid}`
let dropDatabase: (() => Promise<void>) | undefined

async function openBackend(): Promise<DatabaseHandle> {
  if (backend === 'pglite') return openPglite()
  await adminQuery(serverUrl!, `DROP DATABASE IF EXISTS ${benchDbName} WITH (FORCE)`)
  await adminQuery(serverUrl!, `CREATE DATABASE ${benchDbName}`)
  if (!opts.keep) dropDatabase = () => adminQuery(serverUrl!, `DROP DATABASE IF EXISTS ${benchDbName} WITH (FORCE)`)
  return openPostgres(withDatabase(serverUrl!, benchDbName), POOL)
}

async function principal(db: Db, clock: ManualClock, role: StaffRole, agencyId: string, fullName: string): Promise<Officer> {
  const username = `bench.${role.replace(/_/g, '')}.${crypto.randomBytes(3).toString('hex')}`
  const password = `Bench-${crypto.randomBytes(9).toString('hex')}`
  const { account } = await createAccount({ db, clock, settings: { sessionIdleMinutes: 120, maxFailedLogins: 10, lockMinutes: 15 } }, null, { username, fullName, role, agencyId, password })
  const agency = await findAgencyById(db, agencyId)
  if (!agency) throw new Error(`agency ${agencyId} missing from the reference data`)
  return {
    kind: 'staff',
    accountId: account.id,
    sessionId: crypto.randomUUID(),
    username,
    fullName,
    role,
    agencyId,
    agencyCode: agency.code,
    agencyName: agency.name,
    mustChangePassword: false,
    password,
  }
}

// ---- the run -----------------------------------------------------------------------------------

interface Tally {
  latencies: Record<Kind, number[]>
  errors: Map<string, number>
  conflicts: number
}

const newTally = (): Tally => ({ latencies: { intake: [], assign: [], submit_for_approval: [], approve: [], return_result: [] }, errors: new Map(), conflicts: 0 })

/** The dossier as a transition leaves it: enough to ask for the next one. */
interface Head {
  id: string
  version: number
}

type Role = keyof Officers

/** How transitions are made: through the service layer, or through HTTP (app.inject). */
interface Driver {
  intake(): Promise<Head>
  act(kind: Exclude<Kind, 'intake'>, who: Role, d: Head, input?: Omit<ActionInput, 'action' | 'expectedVersion'>): Promise<Head>
}

/** Service layer, one transaction per transition, as the HTTP handlers call it. */
function serviceDriver(db: Db, deps: DossierDeps, who: Officers): Driver {
  return {
    intake: () => inTransaction(db, (trx) => intakeAtCounter(trx, deps, who.counter, INTAKE)),
    act: (kind, role, d, input = {}) => inTransaction(db, (trx) => act(trx, deps, who[role], d.id, { action: kind, expectedVersion: d.version, ...input })),
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`HTTP ${status} ${code}`)
  }
}

/** A logged-in officer's cookies and CSRF token for app.inject. */
interface HttpSession {
  cookie: string
  csrf: string
}

async function login(app: FastifyInstance, username: string, password: string): Promise<HttpSession> {
  const jar = new Map<string, string>()
  const absorb = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) jar.set(c.name, c.value)
    return res
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const csrfOf = async () => (absorb(await app.inject({ method: 'GET', url: '/api/v1/csrf-token', headers: { cookie: cookie() } })).json<{ token: string }>().token)
  const body = new URLSearchParams({ username, password, _csrf: await csrfOf() }).toString()
  const res = absorb(await app.inject({ method: 'POST', url: '/staff/login', payload: body, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' } }))
  if (res.statusCode !== 303) throw new Error(`login of ${username} failed: HTTP ${res.statusCode}`)
  return { cookie: cookie(), csrf: await csrfOf() }
}

/** Through the API with real sessions: authentication, CSRF, validation, DTOs included. */
function httpDriver(app: FastifyInstance, sessions: Record<Role, HttpSession>): Driver {
  const post = async (role: Role, url: string, payload: object, expect: number): Promise<Head> => {
    const s = sessions[role]
    const res = await app.inject({ method: 'POST', url, payload, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } })
    if (res.statusCode !== expect) throw new HttpError(res.statusCode, res.json<{ error?: { code?: string } }>().error?.code ?? '?')
    return res.json<Head>()
  }
  return {
    intake: () => post('counter', '/api/v1/dossiers/intake', INTAKE, 201),
    act: (kind, role, d, input = {}) => post(role, `/api/v1/dossiers/${d.id}/actions`, { action: kind, expectedVersion: d.version, ...input }, 200),
  }
}

/** One dossier from the counter to the returned result; false when a transition failed. */
async function lifecycle(driver: Driver, who: Officers, tally: Tally): Promise<boolean> {
  const timed = async (kind: Kind, fn: () => Promise<Head>): Promise<Head | undefined> => {
    const t0 = performance.now()
    try {
      const row = await currentKind.run(kind, fn)
      tally.latencies[kind].push(performance.now() - t0)
      return row
    } catch (e) {
      const code = e instanceof DomainError || e instanceof HttpError ? `${kind}: ${e instanceof HttpError ? e.message : e.code}` : `${kind}: ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`
      tally.errors.set(code, (tally.errors.get(code) ?? 0) + 1)
      if ((e instanceof DomainError && e.kind === 'conflict') || (e instanceof HttpError && e.status === 409)) tally.conflicts++
      return undefined
    }
  }
  let d = await timed('intake', () => driver.intake())
  if (!d) return false
  d = await timed('assign', () => driver.act('assign', 'leader', d!, { assigneeId: who.officer.accountId }))
  if (!d) return false
  d = await timed('submit_for_approval', () => driver.act('submit_for_approval', 'officer', d!, { note: 'Hồ sơ đủ điều kiện' }))
  if (!d) return false
  d = await timed('approve', () => driver.act('approve', 'leader', d!))
  if (!d) return false
  d = await timed('return_result', () => driver.act('return_result', 'counter', d!))
  return !!d
}

/** C workers, each taking the next dossier and driving it to the end. */
async function drive(driver: Driver, who: Officers, dossiers: number, concurrency: number, tally: Tally): Promise<{ wallMs: number; completed: number }> {
  let next = 0
  let completed = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: Math.min(concurrency, Math.max(dossiers, 1)) }, async () => {
      while (next < dossiers) {
        next++
        if (await lifecycle(driver, who, tally)) completed++
      }
    }),
  )
  return { wallMs: performance.now() - t0, completed }
}

// ---- checks ------------------------------------------------------------------------------------

interface Checks {
  ok: boolean
  lines: string[]
}

async function verify(db: Db, counterCode: string, expected: { day: string; n: number }[]): Promise<Checks> {
  const lines: string[] = []
  let ok = true
  const check = (pass: boolean, what: string) => {
    ok &&= pass
    lines.push(`${pass ? 'ok  ' : 'FAIL'} ${what}`)
  }
  const total = expected.reduce((s, e) => s + e.n, 0)
  const statuses = await db.selectFrom('dossiers').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
  const returned = Number(statuses.find((s) => s.status === 'returned')?.n ?? 0)
  check(returned === total && statuses.length === 1, `status 'returned' for every dossier: ${statuses.map((s) => `${s.status}=${s.n}`).join(', ')} (expected returned=${total})`)

  const eventCounts = await db
    .selectFrom('dossierEvents')
    .select(['dossierId', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('dossierId')
    .execute()
  const notSix = eventCounts.filter((e) => Number(e.n) !== 6).length
  const events = eventCounts.reduce((s, e) => s + Number(e.n), 0)
  check(eventCounts.length === total && notSix === 0, `exactly 6 events per dossier: ${eventCounts.length} dossiers with events, ${notSix} not 6, ${events} events in all`)

  const t0 = performance.now()
  const audit = await verifyAllChains(db)
  check(
    !audit.firstBreak && audit.dossiersChecked === total && audit.eventsChecked === 6 * total,
    `hash chains: ${audit.dossiersChecked} dossiers, ${audit.eventsChecked} events, ${audit.firstBreak ? `first break ${JSON.stringify(audit.firstBreak)}` : 'no break'} (${Math.round(performance.now() - t0)} ms)`,
  )

  for (const { day, n } of expected) {
    const prefix = `${counterCode}-${day}-`
    const rows = await db.selectFrom('dossiers').select('code').where('receivingAgencyId', '=', COUNTER_AGENCY).where('code', 'like', `${prefix}%`).execute()
    const seqs = rows.map((r) => Number(r.code!.slice(prefix.length))).sort((a, b) => a - b)
    const gapFree = seqs.length === n && seqs.every((s, i) => s === i + 1)
    check(gapFree, `daily codes ${prefix}0001..${String(n).padStart(4, '0')}: ${seqs.length} codes, ${gapFree ? 'consecutive from 1' : `first ${seqs.slice(0, 5).join(',')} last ${seqs.slice(-3).join(',')}`}`)
  }
  return { ok, lines }
}

// ---- report ------------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

const ms = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0))

function table(tally: Tally): { rows: string[]; p50: number; p95: number; total: number } {
  const head = ['transition', 'count', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms']
  const body: string[][] = []
  const errorsOf = (k: Kind | 'all') => [...tally.errors].filter(([c]) => k === 'all' || c.startsWith(`${k}:`)).reduce((s, [, n]) => s + n, 0)
  const rowOf = (label: Kind | 'all', xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1)
    body.push([label, String(s.length), String(errorsOf(label)), ms(percentile(s, 0.5)), ms(percentile(s, 0.95)), ms(percentile(s, 0.99)), ms(s[s.length - 1] ?? NaN), ms(s.length ? mean : NaN)])
    return s
  }
  for (const k of KINDS) rowOf(k, tally.latencies[k])
  const all = rowOf(
    'all',
    KINDS.flatMap((k) => tally.latencies[k]),
  )
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)))
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return { rows: [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt)], p50: percentile(all, 0.5), p95: percentile(all, 0.95), total: all.length }
}

function profileReport(): string[] {
  const out: string[] = []
  const perDossier = KINDS.map((k) => `${k}=${queriesPerKind.get(k) ?? 0}`)
  out.push(`queries (besides BEGIN/COMMIT), totals per transition kind: ${perDossier.join(' ')}`)
  const totalMs = [...shapes.values()].reduce((s, e) => s + e.ms, 0)
  const rows = [...shapes].sort(([, a], [, b]) => b.ms - a.ms)
  out.push(`${'query shape'.padEnd(58)} ${'count'.padStart(7)} ${'mean ms'.padStart(8)} ${'share'.padStart(6)}  by transition`)
  for (const [shape, e] of rows) {
    const by = KINDS.filter((k) => e.byKind.has(k)).map((k) => `${k}:${e.byKind.get(k)}`).join(' ')
    out.push(`${shape.padEnd(58)} ${String(e.n).padStart(7)} ${(e.ms / e.n).toFixed(2).padStart(8)} ${`${((100 * e.ms) / totalMs).toFixed(1)}%`.padStart(6)}  ${by}`)
  }
  return out
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const tSetup = performance.now()
  const handle = await openBackend()
  let app: FastifyInstance | undefined
  try {
    await migrateToLatest(handle.db)
    await seedReference(handle.db, { demoCatalog: true })
    const db = opts.profile ? handle.db.withPlugin(new ProfilePlugin()) : handle.db
    // One clock for the process: the previous day for the warm-up, then the measured day.
    const clock = new ManualClock(WARMUP > 0 ? WARMUP_AT : BENCH_AT)
    const who: Officers = {
      counter: await principal(handle.db, clock, 'counter_officer', COUNTER_AGENCY, 'Huỳnh Thị Xuyên'),
      officer: await principal(handle.db, clock, 'processing_officer', COMPETENT_AGENCY, 'Đặng Văn An'),
      leader: await principal(handle.db, clock, 'agency_leader', COMPETENT_AGENCY, 'Lý Thị Hòa'),
    }
    await getCalendarSnapshot(handle.db, { provinceCode: PROVINCE, communeCode: INTAKE.communeCode })
    let driver: () => Promise<Driver>
    if (VIA === 'http') {
      const config = loadConfig({ VIDAN_MODE: 'demo', LOG_LEVEL: 'silent', VIDAN_LOGIN_RATE_PER_MINUTE: '100000', VIDAN_PROVINCE_CODE: PROVINCE })
      app = await createWebApp({ config, db, clock })
      await app.ready()
      const web = app
      // Sessions are logged in on the clock's current day (they idle out across days).
      driver = async () => httpDriver(web, { counter: await login(web, who.counter.username, who.counter.password), officer: await login(web, who.officer.username, who.officer.password), leader: await login(web, who.leader.username, who.leader.password) })
    } else {
      driver = async () => serviceDriver(db, { db, clock, provinceCode: PROVINCE }, who)
    }
    const setupMs = performance.now() - tSetup

    // Warm-up on the previous day: JIT, pool connections, caches. Not measured.
    const warmTally = newTally()
    const warm = WARMUP > 0 ? await drive(await driver(), who, WARMUP, CONCURRENCY, warmTally) : { wallMs: 0, completed: 0 }
    queriesPerKind.clear()
    shapes.clear()
    clock.set(BENCH_AT)
    const measured = await driver()

    const tally = newTally()
    const load0 = loadAverage()
    const profiler = opts['cpu-profile'] ? await startCpuProfile() : undefined
    const server0 = await serverCpu(handle.db)
    const cpu0 = process.cpuUsage()
    const elu0 = performance.eventLoopUtilization()
    const run = await drive(measured, who, DOSSIERS, CONCURRENCY, tally)
    const cpu = process.cpuUsage(cpu0)
    const elu = performance.eventLoopUtilization(elu0)
    const serverMs = cpuDelta(server0, await serverCpu(handle.db))
    const load1 = loadAverage()
    if (profiler) await profiler.stop(opts['cpu-profile']!)

    const t = table(tally)
    const rate = t.total / (run.wallMs / 1000)
    console.log(`dossier lifecycle bench: backend=${backend}${backend === 'postgres' ? ` (database ${benchDbName}, pool ${POOL})` : ''}, via ${VIA === 'http' ? 'HTTP (app.inject)' : 'the service layer'}, ${DOSSIERS} dossiers, concurrency ${CONCURRENCY}, warm-up ${WARMUP}`)
    console.log(`setup (open, migrate, seed, 3 accounts${VIA === 'http' ? ', web app' : ''}) ${Math.round(setupMs)} ms; warm-up ${Math.round(warm.wallMs)} ms (${warm.completed}/${WARMUP} completed)`)
    console.log(`measured: ${t.total} transitions, ${run.completed}/${DOSSIERS} dossiers completed, wall ${(run.wallMs / 1000).toFixed(2)} s, ${rate.toFixed(1)} transitions/s, ${((run.completed / run.wallMs) * 1000).toFixed(1)} dossiers/s`)
    for (const r of t.rows) console.log(`  ${r}`)
    console.log(`bench process: CPU ${((cpu.user + cpu.system) / 1000 / t.total).toFixed(2)} ms per transition (${Math.round((100 * (cpu.user + cpu.system)) / 1000 / run.wallMs)}% of one core), event loop ${Math.round(elu.utilization * 100)}% busy${serverMs === undefined ? '' : `; PostgreSQL backends: CPU ${(serverMs / t.total).toFixed(2)} ms per transition (${Math.round((100 * serverMs) / run.wallMs)}% of one core)`}`)
    const errors = [...tally.errors, ...warmTally.errors]
    console.log(`errors: ${errors.length ? errors.map(([c, n]) => `${c} ×${n}`).join('; ') : 'none'}; conflicts (409): ${tally.conflicts + warmTally.conflicts}`)
    if (opts.profile) for (const l of profileReport()) console.log(`  ${l}`)

    const day = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) // 09:00 in Vietnam: same date as UTC
    const checks = await verify(handle.db, who.counter.agencyCode, [...(WARMUP > 0 ? [{ day: day(WARMUP_AT), n: WARMUP }] : []), { day: day(BENCH_AT), n: DOSSIERS }])
    console.log('checks:')
    for (const l of checks.lines) console.log(`  ${l}`)
    console.log(`load average (1 min) ${load0} before, ${load1} after the measured phase (the machine's other jobs share its cores)`)
    console.log(`backend=${backend} dossiers=${DOSSIERS} concurrency=${CONCURRENCY} transitions/s=${rate.toFixed(1)} p50=${ms(t.p50)}ms p95=${ms(t.p95)}ms via=${VIA} load=${load0}/${load1}`)
    return checks.ok && errors.length === 0 ? 0 : 1
  } finally {
    await app?.close()
    await handle.close()
    await dropDatabase?.()
  }
}

process.once('SIGINT', () => {
  void (dropDatabase?.() ?? Promise.resolve()).finally(() => process.exit(130))
})
process.exitCode = await main()
