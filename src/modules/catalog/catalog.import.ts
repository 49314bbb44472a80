import fs from 'node:fs'
import zlib from 'node:zlib'
import { parse as parseCsv } from 'csv-parse/sync'
import { z } from 'zod'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ValidationError } from '../../shared/errors.js'
import { listAgencies } from '../org/index.js'
import { parseFeeCell, parseLevels, parseNationalRecord, parseTimeCell, REPORT_FIELDS, type FieldStatus, type ParsedNationalRecord, type ParseIssue, type ReportField } from './catalog.parse.js'
import { AgencyRef, COMMUNE_RULES, ProcedureCode, type AgencyAssignment, type OnlineLevel, type ProcedureContent } from './catalog.schemas.js'
import { listInProvinceCodes } from './catalog.repo.js'
import { announceImport, currentDrafts, writeDrafts, type VersionDraft, type WriteCounts } from './catalog.service.js'
import { cleanOrNull, cleanText } from './catalog.text.js'

export type Progress = (phase: string, done: number, total: number) => void

// ---- national records ------------------------------------------------------------------------

/** Reads a gzip (or plain) JSON array of national records. */
export function readNationalFile(file: string): unknown[] {
  const buf = fs.readFileSync(file)
  const text = (buf[0] === 0x1f && buf[1] === 0x8b ? zlib.gunzipSync(buf) : buf).toString('utf8')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new ValidationError('CATALOG.IMPORT_NOT_JSON', `Tệp ${file} không phải JSON: ${(e as Error).message}`)
  }
  if (!Array.isArray(data)) throw new ValidationError('CATALOG.IMPORT_NOT_ARRAY', `Tệp ${file} phải là một mảng JSON các thủ tục.`)
  return data
}

export interface NationalImportReport {
  kind: 'national'
  file: string | null
  startedAt: string
  finishedAt: string
  totals: {
    records: number
    imported: number
    rejected: number
    created: number
    changed: number
    unchanged: number
    recordsWithIssues: number
    fields: Record<ReportField, Record<FieldStatus, number>>
  }
  rejected: { index: number; code: string | null; error: string }[]
  records: { code: string; name: string; status: Record<ReportField, FieldStatus>; issues: ParseIssue[] }[]
}

/** The national content of a parsed record, keeping what the province set on the current version. */
export function draftFromNational(p: ParsedNationalRecord, current: VersionDraft | undefined): VersionDraft {
  return {
    code: p.code,
    name: p.name,
    field: p.field,
    levels: p.levels,
    subjects: p.subjects,
    inProvince: current?.inProvince ?? false,
    onlineLevel: current?.onlineLevel ?? null,
    partialReason: current?.partialReason ?? null,
    partialLegalBasis: current?.partialLegalBasis ?? null,
    agencies: current?.agencies ?? [],
    content: { ...p.content, local: current?.content.local ?? null },
    duePublishBy: current?.duePublishBy ?? null,
  }
}

function emptyFieldTotals(): Record<ReportField, Record<FieldStatus, number>> {
  return Object.fromEntries(REPORT_FIELDS.map((f) => [f, { parsed: 0, partial: 0, unparsed: 0, empty: 0 }])) as Record<ReportField, Record<FieldStatus, number>>
}

/** Parses records; those without a valid code are rejected (they cannot be stored), never guessed. */
export function parseNationalRecords(records: unknown[], onProgress?: Progress): { parsed: ParsedNationalRecord[]; rejected: NationalImportReport['rejected'] } {
  const parsed: ParsedNationalRecord[] = []
  const rejected: NationalImportReport['rejected'] = []
  const seen = new Set<string>()
  records.forEach((r, index) => {
    const code = typeof r === 'object' && r && 'ma_thu_tuc' in r ? String(r.ma_thu_tuc) : null
    try {
      const p = parseNationalRecord(r)
      if (seen.has(p.code)) rejected.push({ index, code: p.code, error: 'duplicate code in the file (first occurrence kept)' })
      else {
        seen.add(p.code)
        parsed.push(p)
      }
    } catch (e) {
      rejected.push({ index, code, error: e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ') : String(e) })
    }
    if (onProgress && (index % 100 === 99 || index === records.length - 1)) onProgress('parse', index + 1, records.length)
  })
  return { parsed, rejected }
}

export function nationalReport(file: string | null, startedAt: Date, finishedAt: Date, records: number, parsed: ParsedNationalRecord[], rejected: NationalImportReport['rejected'], counts: WriteCounts): NationalImportReport {
  const fields = emptyFieldTotals()
  for (const p of parsed) for (const f of REPORT_FIELDS) fields[f][p.status[f]]++
  return {
    kind: 'national',
    file,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    totals: {
      records,
      imported: parsed.length,
      rejected: rejected.length,
      ...counts,
      recordsWithIssues: parsed.filter((p) => p.issues.length > 0).length,
      fields,
    },
    rejected,
    records: parsed.map((p) => ({ code: p.code, name: p.name, status: p.status, issues: p.issues })),
  }
}

/** Drafts of national records, merged into what the catalogue holds (province data kept). */
export async function nationalDrafts(trx: Trx, parsed: ParsedNationalRecord[]): Promise<VersionDraft[]> {
  const current = await currentDrafts(
    trx,
    parsed.map((p) => p.code),
  )
  return parsed.map((p) => draftFromNational(p, current.get(p.code)))
}

/** `vidan catalog import-national`: parse, write new versions where the content changed, report. */
export async function importNational(deps: { db: Db; clock: Clock }, records: unknown[], opts: { file?: string; onProgress?: Progress; actorId?: string | null } = {}): Promise<NationalImportReport> {
  const startedAt = deps.clock.now()
  const { parsed, rejected } = parseNationalRecords(records, opts.onProgress)
  const counts = await inTransaction(deps.db, async (trx) => {
    const drafts = await nationalDrafts(trx, parsed)
    const w = await writeDrafts(trx, drafts, { source: 'national-import', changeNote: 'Cập nhật từ CSDL quốc gia về TTHC', createdBy: opts.actorId ?? null, at: deps.clock.now() }, (d, t) =>
      opts.onProgress?.('write', d, t),
    )
    const c = { created: w.created, changed: w.changed, unchanged: w.unchanged }
    await announceImport(trx, 'national', c, opts.actorId ?? null, { at: deps.clock.now(), file: opts.file })
    return c
  })
  return nationalReport(opts.file ?? null, startedAt, deps.clock.now(), records.length, parsed, rejected, counts)
}

// ---- the province's list ---------------------------------------------------------------------

/**
 * One row of the province's published list. Only `code` is required; the columns of
 * data/catalog/procedures.csv (name, field, level, …) are read when the procedure is not in
 * the national catalogue yet. Several agencies are separated by ";".
 */
export const ProvinceRow = z.object({
  code: z.string(),
  name: z.string().optional(),
  field: z.string().optional(),
  level: z.string().optional(),
  applies: z.string().optional(),
  agency_id: z.string().optional(),
  agency_label: z.string().optional(),
  receiving_agency_id: z.string().optional(),
  receiving_agency_label: z.string().optional(),
  online_level: z.string().optional(),
  partial_reason: z.string().optional(),
  partial_legal_basis: z.string().optional(),
  local_time: z.string().optional(),
  local_fee: z.string().optional(),
  local_note: z.string().optional(),
  due_publish_by: z.string().optional(),
})
export type ProvinceRow = z.infer<typeof ProvinceRow>

/** What the province decided for one procedure (from the row, or from demo rules). */
export interface ProvinceAssignment {
  agencies: AgencyAssignment[]
  onlineLevel: OnlineLevel | null
  partialReason: string | null
  partialLegalBasis: string | null
}

export interface ProvinceRowIssue {
  line: number
  code: string
  message: string
}

export interface ProvinceImportReport {
  kind: 'province'
  file: string | null
  startedAt: string
  finishedAt: string
  totals: {
    rows: number
    applied: number
    notApplied: number
    rejected: number
    createdFromList: number
    delisted: number
    created: number
    changed: number
    unchanged: number
    withAgencies: number
    withOnlineLevel: number
    withLocalTime: number
    withLocalFee: number
  }
  /** Agency ids that org does not know (yet): kept on the procedures, listed here. */
  agenciesNotInOrg: { ref: string; procedures: number }[]
  issues: ProvinceRowIssue[]
}

/** Parses the province's CSV; rows keep their line number for the report. */
export function readProvinceCsv(text: string): { rows: (ProvinceRow & { line: number })[]; issues: ProvinceRowIssue[] } {
  let records: Record<string, string>[]
  try {
    records = parseCsv<Record<string, string>>(text.replace(/^\ufeff/, ''), { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true })
  } catch (e) {
    throw new ValidationError('CATALOG.IMPORT_BAD_CSV', `Không đọc được tệp CSV: ${(e as Error).message}`)
  }
  const first = records[0]
  if (first && !('code' in first)) throw new ValidationError('CATALOG.IMPORT_NO_CODE_COLUMN', 'Tệp CSV cần cột "code" (mã thủ tục).')
  const rows: (ProvinceRow & { line: number })[] = []
  const issues: ProvinceRowIssue[] = []
  records.forEach((r, i) => {
    const clean = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && v.trim() !== '' ? cleanText(v) : undefined]))
    const parsed = ProvinceRow.safeParse(clean)
    const line = i + 2
    if (!parsed.success) issues.push({ line, code: String(clean['code'] ?? ''), message: parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') })
    else rows.push({ ...parsed.data, line })
  })
  return { rows, issues }
}

const ONLINE_WORDS: [RegExp, OnlineLevel][] = [
  [/^(full|toàn trình|toan trinh)$/iu, 'full'],
  [/^(partial|một phần|mot phan)$/iu, 'partial'],
  [/^(none|không|khong|trực tiếp|truc tiep)$/iu, 'none'],
]

/** "toàn trình", "full", "một phần (…)" → level; anything else → undefined (reported, not guessed). */
export function parseOnlineLevel(text: string | undefined): OnlineLevel | undefined {
  if (!text) return undefined
  const head = text.replace(/\s*\(.*\)\s*$/u, '').trim()
  return ONLINE_WORDS.find(([re]) => re.test(head))?.[1]
}

function parseRefs(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

/** The assignment a row states, without rules: agencies and online level from its columns. */
function assignmentFromRow(row: ProvinceRow, issues: ProvinceRowIssue[], line: number): Partial<ProvinceAssignment> {
  const out: Partial<ProvinceAssignment> = {}
  const agencies: AgencyAssignment[] = []
  for (const [col, role, labelCol] of [
    ['agency_id', 'competent', 'agency_label'],
    ['receiving_agency_id', 'receiving', 'receiving_agency_label'],
  ] as const) {
    for (const ref of parseRefs(row[col])) {
      if (!AgencyRef.safeParse(ref).success) issues.push({ line, code: row.code, message: `${col}: "${ref}" is not an agency id` })
      else agencies.push({ ref, role, label: row[labelCol] ?? ref })
    }
  }
  if (agencies.length) out.agencies = agencies
  if (row.online_level !== undefined) {
    const level = parseOnlineLevel(row.online_level)
    if (level) out.onlineLevel = level
    else issues.push({ line, code: row.code, message: `online_level not recognised (kept as before): "${row.online_level.slice(0, 120)}"` })
  }
  if (row.partial_reason) out.partialReason = row.partial_reason
  if (row.partial_legal_basis) out.partialLegalBasis = row.partial_legal_basis
  return out
}

function minimalContent(row: ProvinceRow): ProcedureContent {
  return {
    decisionNo: null,
    procedureType: null,
    subjectLabels: [],
    channels: [],
    cases: [],
    steps: [],
    legalBases: [],
    results: [],
    conditions: null,
    nationalAgencyText: null,
    sourceUrl: null,
    original: { levels: row.level ?? '', subjects: '', channels: '', documents: '', steps: '', legalBases: '', results: '' },
    local: null,
  }
}

export interface ProvinceImportOptions {
  file?: string
  /** Fills what a row leaves unsaid (the demo rules); the row's own columns win. */
  rules?: (row: ProvinceRow, draft: VersionDraft) => Partial<ProvinceAssignment>
  onProgress?: Progress
  actorId?: string | null
  source?: 'province-import' | 'seed'
  /** When the versions count as published (the seed's fixed date); defaults to now. */
  publishedAt?: Date
}

/**
 * Applies the province's list inside `trx`: listed procedures apply here with their agencies,
 * online level and local time and fee; procedures no longer listed stop applying. Each change
 * is a new version. `base` supplies drafts not yet in the database (the seed's fast path).
 */
export async function applyProvinceList(
  trx: Trx,
  clock: Clock,
  rows: (ProvinceRow & { line: number })[],
  opts: ProvinceImportOptions & { base?: Map<string, VersionDraft>; issues?: ProvinceRowIssue[] } = {},
): Promise<ProvinceImportReport> {
  const startedAt = clock.now()
  const issues: ProvinceRowIssue[] = [...(opts.issues ?? [])]
  const listed = new Set<string>()
  const valid = rows.filter((r) => {
    const ok = ProcedureCode.safeParse(r.code).success
    if (!ok) issues.push({ line: r.line, code: r.code, message: 'not a procedure code' })
    else if (listed.has(r.code)) issues.push({ line: r.line, code: r.code, message: 'listed twice (first row kept)' })
    else {
      listed.add(r.code)
      return true
    }
    return false
  })
  const inDb = await currentDrafts(
    trx,
    valid.map((r) => r.code),
  )
  const known = new Set((await listAgencies(trx)).map((a) => a.id))
  const notInOrg = new Map<string, number>()
  const totals = { rows: rows.length, applied: 0, notApplied: 0, rejected: rows.length - valid.length, createdFromList: 0, delisted: 0, withAgencies: 0, withOnlineLevel: 0, withLocalTime: 0, withLocalFee: 0 }
  const drafts: VersionDraft[] = []
  for (const row of valid) {
    let base = inDb.get(row.code) ?? opts.base?.get(row.code)
    if (!base) {
      if (!row.name || !row.field) {
        issues.push({ line: row.line, code: row.code, message: 'not in the national catalogue and the row has no name and field: skipped' })
        totals.rejected++
        continue
      }
      const lv = parseLevels(row.level ?? '')
      base = {
        code: row.code,
        name: row.name,
        field: row.field,
        levels: lv.levels,
        subjects: [],
        inProvince: false,
        onlineLevel: null,
        partialReason: null,
        partialLegalBasis: null,
        agencies: [],
        content: minimalContent(row),
        duePublishBy: null,
      }
      totals.createdFromList++
      issues.push({ line: row.line, code: row.code, message: 'not in the national catalogue: created from the list (no documents, time or fees parsed)' })
    }
    const applies = !/^(no|không|khong|0|false)$/iu.test(row.applies ?? 'yes')
    const own = assignmentFromRow(row, issues, row.line)
    const ruled = opts.rules?.(row, base) ?? {}
    const a: ProvinceAssignment = {
      agencies: own.agencies ?? ruled.agencies ?? base.agencies,
      onlineLevel: own.onlineLevel !== undefined ? own.onlineLevel : ruled.onlineLevel !== undefined ? ruled.onlineLevel : base.onlineLevel,
      partialReason: own.partialReason ?? ruled.partialReason ?? base.partialReason,
      partialLegalBasis: own.partialLegalBasis ?? ruled.partialLegalBasis ?? base.partialLegalBasis,
    }
    if (a.onlineLevel === 'partial' && !a.partialReason) {
      issues.push({ line: row.line, code: row.code, message: 'partly online without a published reason (Decree 224/2026 Art. 14): online level not changed' })
      a.onlineLevel = base.onlineLevel
      a.partialReason = base.partialReason
    }
    if (a.onlineLevel !== 'partial') {
      a.partialReason = null
      a.partialLegalBasis = null
    }
    for (const ag of a.agencies) if (!isRule(ag.ref) && !known.has(ag.ref)) notInOrg.set(ag.ref, (notInOrg.get(ag.ref) ?? 0) + 1)
    const localTime = row.local_time ? parseTimeCell(row.local_time) : (base.content.local?.time ?? null)
    const localFee = row.local_fee ? parseFeeCell(row.local_fee, null) : (base.content.local?.fee ?? null)
    if (row.local_time && localTime?.kind === 'unparsed') issues.push({ line: row.line, code: row.code, message: `local_time not understood, kept as text: "${row.local_time}"` })
    if (row.local_fee && localFee?.kind === 'unparsed') issues.push({ line: row.line, code: row.code, message: `local_fee not understood, kept as text: "${row.local_fee}"` })
    const local = localTime || localFee || row.local_note ? { time: localTime, fee: localFee, note: cleanOrNull(row.local_note) ?? base.content.local?.note ?? null } : null
    let due = base.duePublishBy
    if (row.due_publish_by) {
      const d = new Date(row.due_publish_by)
      if (Number.isNaN(d.getTime())) issues.push({ line: row.line, code: row.code, message: `due_publish_by is not a date: "${row.due_publish_by}"` })
      else due = d
    }
    if (applies) totals.applied++
    else totals.notApplied++
    if (a.agencies.length) totals.withAgencies++
    if (a.onlineLevel) totals.withOnlineLevel++
    if (local?.time) totals.withLocalTime++
    if (local?.fee) totals.withLocalFee++
    drafts.push({ ...base, ...a, inProvince: applies, duePublishBy: due, content: { ...base.content, local } })
  }
  // Procedures the province listed before and no longer lists stop applying here.
  const delist = (await listInProvinceCodes(trx)).filter((c) => !listed.has(c))
  if (delist.length) {
    const cur = await currentDrafts(trx, delist)
    for (const d of cur.values()) drafts.push({ ...d, inProvince: false })
    totals.delisted = delist.length
  }
  const source = opts.source ?? 'province-import'
  const w = await writeDrafts(trx, drafts, { source, changeNote: source === 'seed' ? 'Danh mục mẫu (demo)' : 'Cập nhật theo danh mục TTHC của tỉnh', createdBy: opts.actorId ?? null, at: clock.now(), publishedAt: opts.publishedAt }, (d, t) =>
    opts.onProgress?.('write', d, t),
  )
  const counts = { created: w.created, changed: w.changed, unchanged: w.unchanged }
  await announceImport(trx, source === 'seed' ? 'seed' : 'province', counts, opts.actorId ?? null, { at: clock.now(), file: opts.file })
  return {
    kind: 'province',
    file: opts.file ?? null,
    startedAt: startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    totals: { ...totals, ...counts },
    agenciesNotInOrg: [...notInOrg].map(([ref, procedures]) => ({ ref, procedures })).sort((x, y) => x.ref.localeCompare(y.ref)),
    issues,
  }
}

/** `vidan catalog import-province`: reads the CSV and applies it in one transaction. */
export async function importProvince(deps: { db: Db; clock: Clock }, csvText: string, opts: ProvinceImportOptions = {}): Promise<ProvinceImportReport> {
  const { rows, issues } = readProvinceCsv(csvText)
  return inTransaction(deps.db, (trx) => applyProvinceList(trx, deps.clock, rows, { ...opts, issues }))
}

// ---- human summaries -------------------------------------------------------------------------

const STATUS_COLUMNS: FieldStatus[] = ['parsed', 'partial', 'unparsed', 'empty']

/** The report as text for a terminal: totals, then the fields table, then the commonest issues. */
export function summariseNational(r: NationalImportReport): string {
  const t = r.totals
  const lines = [
    `Nhập CSDL quốc gia về TTHC / national import${r.file ? `: ${r.file}` : ''}`,
    `  records ${t.records}, imported ${t.imported}, rejected ${t.rejected} (new ${t.created}, changed ${t.changed}, unchanged ${t.unchanged})`,
    `  records with at least one issue: ${t.recordsWithIssues}`,
    '',
    `  ${'field'.padEnd(12)}${STATUS_COLUMNS.map((s) => s.padStart(10)).join('')}`,
    ...REPORT_FIELDS.map((f) => `  ${f.padEnd(12)}${STATUS_COLUMNS.map((s) => String(t.fields[f][s]).padStart(10)).join('')}`),
  ]
  const byMessage = new Map<string, number>()
  for (const rec of r.records) for (const i of rec.issues) byMessage.set(`${i.field}: ${i.message.replace(/^(online|postal|in_person): /, '')}`, (byMessage.get(`${i.field}: ${i.message.replace(/^(online|postal|in_person): /, '')}`) ?? 0) + 1)
  if (byMessage.size) {
    lines.push('', '  issues (occurrences):')
    for (const [m, n] of [...byMessage].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(7)}  ${m}`)
  }
  for (const x of r.rejected.slice(0, 20)) lines.push(`  rejected #${x.index} ${x.code ?? '?'}: ${x.error}`)
  return lines.join('\n')
}

export function summariseProvince(r: ProvinceImportReport): string {
  const t = r.totals
  const lines = [
    `Nhập danh mục TTHC của tỉnh / province list${r.file ? `: ${r.file}` : ''}`,
    `  rows ${t.rows}: apply ${t.applied}, not applied ${t.notApplied}, rejected ${t.rejected}, created from the list ${t.createdFromList}, delisted ${t.delisted}`,
    `  versions: new ${t.created}, changed ${t.changed}, unchanged ${t.unchanged}`,
    `  with agencies ${t.withAgencies}, with online level ${t.withOnlineLevel}, local time ${t.withLocalTime}, local fee ${t.withLocalFee}`,
  ]
  if (r.agenciesNotInOrg.length) lines.push(`  agency ids not (yet) in org, kept: ${r.agenciesNotInOrg.map((a) => `${a.ref} (${a.procedures})`).join(', ')}`)
  for (const i of r.issues.slice(0, 50)) lines.push(`  line ${i.line} ${i.code}: ${i.message}`)
  if (r.issues.length > 50) lines.push(`  … ${r.issues.length - 50} more in the JSON report`)
  return lines.join('\n')
}
