import crypto from 'node:crypto'
import { z } from 'zod'
import type { Clock } from '../../shared/clock.js'
import type { Db, Trx } from '../../shared/database.js'
import { NotFoundError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { listAgencies } from '../org/index.js'
import {
  addTerms,
  analyzeCatalog,
  countProcedures,
  findCurrentMeta,
  findCurrentVersions,
  findHead,
  findVersion,
  findVersionInForce,
  findVersionNumberInForce,
  listByAgency,
  listVersions,
  writeVersionsAndHeads,
  type HeadRow,
  type NewVersionRow,
  type VersionRow,
} from './catalog.repo.js'
import {
  AgencyAssignment,
  COMMUNE_RULES,
  Level,
  ProcedureContent,
  Subject,
  type OnlineLevel,
  type ProcedureDto,
} from './catalog.schemas.js'
import { insertAudit } from './catalog.admin.repo.js'

/** Search moved to its own file; these names stay importable from here. */
export { agencyNameMap, listCatalogFields, searchCatalog } from './catalog.search.js'

export interface CatalogDeps {
  db: Db
  clock: Clock
}

export class ProcedureNotFoundError extends NotFoundError {
  constructor(code: string) {
    super('CATALOG.PROCEDURE_NOT_FOUND', `Không tìm thấy thủ tục hành chính mã ${code}.`, { code })
  }
}

export class NoVersionInForceError extends NotFoundError {
  constructor(code: string, at: Date) {
    super('CATALOG.NO_VERSION_IN_FORCE', `Thủ tục ${code} chưa được công bố vào thời điểm ${at.toISOString()}.`, { code, at: at.toISOString() })
  }
}

/** What one version says; `write` turns drafts into versions when they differ from the current one. */
export interface VersionDraft {
  code: string
  name: string
  field: string
  levels: Level[]
  subjects: Subject[]
  inProvince: boolean
  onlineLevel: OnlineLevel | null
  partialReason: string | null
  partialLegalBasis: string | null
  agencies: AgencyAssignment[]
  content: ProcedureContent
  duePublishBy: Date | null
}

export interface WriteMeta {
  source: 'seed' | 'national-import' | 'province-import' | 'edit'
  changeNote: string | null
  createdBy: string | null
  at: Date
  /** When the versions count as published; defaults to `at`. */
  publishedAt?: Date
  /** Write a version even when the draft equals the current one (a change kept outside the draft, such as the workflow template). */
  force?: boolean
}

export interface WriteCounts {
  created: number
  changed: number
  unchanged: number
}

/** JSON with object keys sorted, so equal content hashes equally whatever built it. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v instanceof Date) return JSON.stringify(v.toISOString())
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v ?? null)
}

function hashDraft(d: VersionDraft): string {
  return crypto.createHash('sha256').update(canonicalJson(d)).digest('hex')
}

const MAX_SEARCH_TEXT = 1200

/**
 * The words of the document and result names, each once, in order of first use: the third
 * tier of search. Kept short so the indexed row stays small (no out-of-line storage to read).
 */
export function searchTextOf(content: ProcedureContent): string {
  const words = new Set<string>()
  const add = (text: string) => {
    for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w.length > 1) words.add(w)
  }
  for (const c of content.cases) for (const d of c.documents) if (d.originals + d.copies > 0) add(d.name)
  for (const r of content.results) add(r.name)
  let out = ''
  for (const w of words) {
    if (out.length + w.length + 1 > MAX_SEARCH_TEXT) break
    out += (out ? ' ' : '') + w
  }
  return out
}

/**
 * Writes each draft as a new version unless it equals the current one. Versions are numbered
 * from the current version; a version is never published before the one it follows, so the
 * version in force at any instant is well defined even if a clock is behind.
 */
export async function writeDrafts(
  trx: Trx,
  drafts: VersionDraft[],
  meta: WriteMeta,
  onProgress?: (done: number, total: number) => void,
): Promise<WriteCounts & { written: { code: string; version: number }[] }> {
  const current = await findCurrentMeta(
    trx,
    drafts.map((d) => d.code),
  )
  const counts: WriteCounts = { created: 0, changed: 0, unchanged: 0 }
  const written: { code: string; version: number }[] = []
  const batch = 250
  for (let i = 0; i < drafts.length; i += batch) {
    const versions: NewVersionRow[] = []
    const heads: HeadRow[] = []
    for (const d of drafts.slice(i, i + batch)) {
      const hash = hashDraft(d)
      const cur = current.get(d.code)
      if (cur && cur.hash === hash && !meta.force) {
        counts.unchanged++
        continue
      }
      const version = (cur?.version ?? 0) + 1
      if (cur) counts.changed++
      else counts.created++
      const prev = cur?.publishedAt
      const wanted = meta.publishedAt ?? meta.at
      const publishedAt = prev && prev > wanted ? prev : wanted
      const { agencies: _a, content: _c, duePublishBy: _d, ...plain } = d
      versions.push({
        ...plain,
        version,
        agencies: JSON.stringify(d.agencies),
        content: JSON.stringify(d.content),
        contentHash: hash,
        source: meta.source,
        changeNote: meta.changeNote,
        publishedAt,
        duePublishBy: d.duePublishBy,
        createdAt: meta.at,
        createdBy: meta.createdBy,
      })
      heads.push({
        code: d.code,
        currentVersion: version,
        inProvince: d.inProvince,
        name: d.name,
        field: d.field,
        levels: d.levels,
        subjects: d.subjects,
        onlineLevel: d.onlineLevel,
        agencyRefs: [...new Set(d.agencies.map((a) => a.ref))].sort(),
        searchText: searchTextOf(d.content),
        updatedAt: meta.at,
      })
      current.set(d.code, { version, hash, publishedAt })
      written.push({ code: d.code, version })
    }
    await writeVersionsAndHeads(trx, versions, heads)
    await addTerms(
      trx,
      heads.map((h) => h.code),
    )
    onProgress?.(Math.min(i + batch, drafts.length), drafts.length)
  }
  return { ...counts, written }
}

/** The current version of each code as a draft (to merge an import into). */
export async function currentDrafts(trx: Trx, codes: string[]): Promise<Map<string, VersionDraft>> {
  return new Map((await findCurrentVersions(trx, codes)).map((r) => [r.code, draftOf(r)]))
}

function draftOf(r: VersionRow): VersionDraft {
  return {
    code: r.code,
    name: r.name,
    field: r.field,
    levels: z.array(Level).parse(r.levels),
    subjects: z.array(Subject).parse(r.subjects),
    inProvince: r.inProvince,
    onlineLevel: r.onlineLevel,
    partialReason: r.partialReason,
    partialLegalBasis: r.partialLegalBasis,
    agencies: z.array(AgencyAssignment).parse(r.agencies),
    content: ProcedureContent.parse(r.content),
    duePublishBy: r.duePublishBy,
  }
}

// ---- reading -------------------------------------------------------------------------------

const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

async function toDto(db: Db, row: VersionRow, head: { currentVersion: number; unpublishedAt: Date | null; unpublishedReason: string | null }): Promise<ProcedureDto> {
  const d = draftOf(row)
  const known = new Map((await listAgencies(db)).map((a) => [a.id, a.name]))
  const { agencies: _a, content: _c, duePublishBy: _d, ...plain } = d
  return {
    ...plain,
    version: row.version,
    latestVersion: head.currentVersion,
    agencies: d.agencies.map((a) => ({ ref: a.ref, role: a.role, name: known.get(a.ref) ?? a.label, label: a.label, knownToOrg: isRule(a.ref) || known.has(a.ref) })),
    publishedAt: row.publishedAt.toISOString(),
    duePublishBy: row.duePublishBy?.toISOString() ?? null,
    source: row.source,
    changeNote: row.changeNote,
    content: d.content,
    unpublishedAt: head.unpublishedAt?.toISOString() ?? null,
    unpublishedReason: head.unpublishedReason,
  }
}

/**
 * A procedure as published: the current version, a given version, or the version in force at
 * an instant (what a dossier received at that instant follows).
 */
export async function getProcedure(deps: CatalogDeps, code: string, opts: { version?: number; at?: Date } = {}): Promise<ProcedureDto> {
  const head = await findHead(deps.db, code)
  if (!head) throw new ProcedureNotFoundError(code)
  let row: VersionRow | undefined
  if (opts.version !== undefined) {
    row = await findVersion(deps.db, code, opts.version)
    if (!row) throw new NotFoundError('CATALOG.VERSION_NOT_FOUND', `Thủ tục ${code} không có phiên bản ${opts.version}.`, { code, version: opts.version })
  } else if (opts.at) {
    row = await findVersionInForce(deps.db, code, opts.at)
    if (!row) throw new NoVersionInForceError(code, opts.at)
  } else {
    row = await findVersion(deps.db, code, head.currentVersion)
  }
  if (!row) throw new ProcedureNotFoundError(code)
  return toDto(deps.db, row, head)
}

/** Finds the version a dossier received at `at` must follow, or undefined. */
export async function findVersionInForceAt(deps: CatalogDeps, code: string, at: Date): Promise<{ code: string; version: number } | undefined> {
  return findVersionNumberInForce(deps.db, code, at)
}

export async function listProcedureVersions(deps: CatalogDeps, code: string) {
  if (!(await findHead(deps.db, code))) throw new ProcedureNotFoundError(code)
  return (await listVersions(deps.db, code)).map((v) => ({
    version: v.version,
    name: v.name,
    onlineLevel: v.onlineLevel,
    publishedAt: v.publishedAt.toISOString(),
    duePublishBy: v.duePublishBy?.toISOString() ?? null,
    publishedOnTime: v.duePublishBy ? v.publishedAt.getTime() <= v.duePublishBy.getTime() : null,
    source: v.source,
    changeNote: v.changeNote,
    createdBy: v.createdBy,
  }))
}

export async function listAgencyProcedures(deps: CatalogDeps, agency: string) {
  return listByAgency(deps.db, agency)
}

export async function catalogIsEmpty(db: Db): Promise<boolean> {
  return (await countProcedures(db)) === 0
}

const IMPORT_ACTION = { national: 'national_import', province: 'province_import', seed: 'seed' } as const

/** Records a bulk change (import, seed) as one event and one audit row, in its transaction. */
export async function announceImport(
  trx: Trx,
  kind: keyof typeof IMPORT_ACTION,
  counts: WriteCounts,
  actorId: string | null,
  run: { at: Date; file?: string | null | undefined },
): Promise<void> {
  await analyzeCatalog(trx)
  await appendOutboxEvent(trx, { topic: 'catalog.imported', aggregateType: 'catalog', aggregateId: kind, actorId, payload: { kind, ...counts } })
  await insertAudit(trx, { at: run.at, action: IMPORT_ACTION[kind], code: null, version: null, actorId, actorName: null, reason: null, details: { ...counts, file: run.file ?? null } })
}
