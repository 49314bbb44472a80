import type { Clock } from '../../shared/clock.js'
import type { Db, Trx } from '../../shared/database.js'
import { findVersionInForceAt, getWorkflowTemplate, type WorkflowTemplate } from '../catalog/index.js'
import { findAgencyById } from '../org/index.js'
import { resolveProcedure, type DossierChannel, type ProcedureSnapshot } from './dossier.procedure.js'

/**
 * Reference data an intake reads, kept per database handle so that it is not read again for
 * every dossier (a procedure version's content is tens of kilobytes of JSON to parse and check).
 * Only what cannot go stale is kept:
 * - a procedure snapshot per (code, version, channel, commune, case): catalogue versions are
 *   immutable (an edit or import adds a version), and which version is in force is still asked
 *   of the database every time, with one small indexed query;
 * - the ids of agencies seen to exist: agencies are upserted by the org seed and never deleted.
 *   Their names and codes are not kept (they may change).
 */
interface ReferenceCache {
  procedures: Map<string, ProcedureSnapshot>
  agencies: Set<string>
  /** Workflow template per (code, version): a template edit adds a version, never changes an older one's. */
  workflows: Map<string, WorkflowTemplate>
}

const MAX_ENTRIES = 1000
const caches = new WeakMap<Db, ReferenceCache>()

function cacheOf(db: Db): ReferenceCache {
  let c = caches.get(db)
  if (!c) caches.set(db, (c = { procedures: new Map(), agencies: new Set(), workflows: new Map() }))
  return c
}

export interface ProcedureQuery {
  code: string
  at: Date
  channel: DossierChannel
  communeCode?: string | undefined
  caseName?: string | undefined
}

/** resolveProcedure, with the snapshot of the version in force kept for the next intake. */
export async function procedureSnapshot(trx: Trx, deps: { db: Db; clock: Clock }, q: ProcedureQuery): Promise<ProcedureSnapshot> {
  const local = { db: trx, clock: deps.clock }
  const inForce = await findVersionInForceAt(local, q.code, q.at)
  // None in force (or no such procedure): resolveProcedure throws the catalogue's error.
  if (!inForce) return resolveProcedure(local, q)
  const cache = cacheOf(deps.db).procedures
  const key = JSON.stringify([inForce.code, inForce.version, q.channel, q.communeCode ?? null, q.caseName ?? null])
  const hit = cache.get(key)
  if (hit) return hit
  const snapshot = Object.freeze(await resolveProcedure(local, q))
  // A version published between the two reads is resolved but not kept under the older number.
  if (snapshot.version === inForce.version) {
    if (cache.size >= MAX_ENTRIES) cache.clear()
    cache.set(key, snapshot)
  }
  return snapshot
}

/** Whether an agency with this id exists, asking the database only until it has been seen. */
export async function agencyExists(trx: Trx, deps: { db: Db }, id: string): Promise<boolean> {
  const known = cacheOf(deps.db).agencies
  if (known.has(id)) return true
  if (!(await findAgencyById(trx, id))) return false
  if (known.size >= MAX_ENTRIES) known.clear()
  known.add(id)
  return true
}

/** The workflow template of a procedure version (what an online dossier received at the desk copies), kept once read. */
export async function workflowSnapshot(trx: Trx, deps: { db: Db; clock: Clock }, code: string, version: number): Promise<WorkflowTemplate> {
  const cache = cacheOf(deps.db).workflows
  const key = `${code}@${version}`
  const hit = cache.get(key)
  if (hit) return hit
  const t = Object.freeze(await getWorkflowTemplate({ db: trx, clock: deps.clock }, code, { version }))
  if (cache.size >= MAX_ENTRIES) cache.clear()
  cache.set(key, t)
  return t
}
