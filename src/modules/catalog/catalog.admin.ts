import { inTransaction } from '../../shared/database.js'
import { ConcurrentUpdateError, ConflictError, ValidationError } from '../../shared/errors.js'
import { formatVnDateTime, type Lang } from '../../shared/i18n.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { listAgencies } from '../org/index.js'
import { insertAudit, lockHeadState, selectAdminProcedures, selectAudit, updatePublication, type AdminStatus } from './catalog.admin.repo.js'
import { changedFields, diffVersions, type DiffSide } from './catalog.diff.js'
import { findHead, lockHead } from './catalog.repo.js'
import { COMMUNE_RULES, type AuditEntryDto, type FieldChangeDto, type ProcedureDto, type ProcedureEdit, type PublishInput, type UnpublishInput } from './catalog.schemas.js'
import { currentDrafts, getProcedure, ProcedureNotFoundError, writeDrafts, type CatalogDeps, type VersionDraft } from './catalog.service.js'
import type { CatalogAuditAction } from './catalog.tables.js'

/** Who changes the catalogue: the staff account and its name as shown in the audit. */
export interface CatalogActor {
  id: string
  name: string
}

/** A procedure that was unpublished takes no dossiers (it no longer applies in the province). */
export class ProcedureUnpublishedError extends ConflictError {
  constructor(code: string, at: Date, reason: string | null) {
    super(
      'CATALOG.PROCEDURE_UNPUBLISHED',
      `Thủ tục ${code} đã ngừng áp dụng từ ${formatVnDateTime(at)}${reason ? ` (${reason})` : ''}: không tiếp nhận hồ sơ mới.`,
      { code, unpublishedAt: at.toISOString(), fields: { procedureCode: [`Thủ tục ${code} đã ngừng áp dụng, không tiếp nhận hồ sơ.`] } },
    )
  }
}

/** Throws ProcedureUnpublishedError unless the procedure is published (what intake checks). */
export function assertPublished(p: Pick<ProcedureDto, 'code' | 'unpublishedAt' | 'unpublishedReason'>): void {
  if (p.unpublishedAt) throw new ProcedureUnpublishedError(p.code, new Date(p.unpublishedAt), p.unpublishedReason)
}

const isRule = (ref: string) => (COMMUNE_RULES as readonly string[]).includes(ref)

/** Vietnamese text is stored in NFC whatever the keyboard sent. */
function nfc<T>(v: T): T {
  return JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === 'string' ? x.normalize('NFC') : x)) as T
}

const emptyToNull = (s: string | null | undefined) => (s && s.trim() ? s : null)

/** The draft as the diff reads it (agency names as published). */
function sideOfDraft(d: VersionDraft): DiffSide {
  return { ...d, agencies: d.agencies.map((a) => ({ ref: a.ref, role: a.role, name: a.label })), duePublishBy: d.duePublishBy?.toISOString() ?? null }
}

/** The current version with the edit applied (fields the edit leaves out stay as they are). */
function applyEdit(cur: VersionDraft, edit: ProcedureEdit): VersionDraft {
  const has = <K extends keyof ProcedureEdit>(k: K) => edit[k] !== undefined
  return {
    ...cur,
    name: edit.name ?? cur.name,
    field: edit.field ?? cur.field,
    levels: edit.levels ?? cur.levels,
    subjects: edit.subjects ?? cur.subjects,
    onlineLevel: has('onlineLevel') ? (edit.onlineLevel ?? null) : cur.onlineLevel,
    partialReason: has('partialReason') ? emptyToNull(edit.partialReason) : cur.partialReason,
    partialLegalBasis: has('partialLegalBasis') ? emptyToNull(edit.partialLegalBasis) : cur.partialLegalBasis,
    agencies: edit.agencies ?? cur.agencies,
    duePublishBy: has('duePublishBy') ? (edit.duePublishBy ? new Date(edit.duePublishBy) : null) : cur.duePublishBy,
    content: {
      ...cur.content,
      channels: edit.channels ?? cur.content.channels,
      cases: edit.cases ? edit.cases.map((c) => ({ name: emptyToNull(c.name), documents: c.documents })) : cur.content.cases,
      legalBases: edit.legalBases ? edit.legalBases.map((b) => ({ ...b, code: emptyToNull(b.code) })) : cur.content.legalBases,
      conditions: has('conditions') ? emptyToNull(edit.conditions) : cur.content.conditions,
      local: has('localTime') || has('localFee') ? localOf(cur.content.local, edit) : cur.content.local,
    },
  }
}

/** Local time and fee with the edit applied; none at all is null, as the province import writes it. */
function localOf(cur: VersionDraft['content']['local'], edit: ProcedureEdit): VersionDraft['content']['local'] {
  const local = {
    time: edit.localTime !== undefined ? edit.localTime : (cur?.time ?? null),
    fee: edit.localFee !== undefined ? edit.localFee : (cur?.fee ?? null),
    note: cur?.note ?? null,
  }
  return local.time || local.fee || local.note ? local : null
}

/**
 * An administrator's edit: checks the expected version, publishes a new version (the old ones
 * stay readable), and records it in the audit (which fields changed, the change note) and on
 * the outbox, all in one transaction. Every problem is reported at once, keyed by field path.
 */
export async function editProcedure(deps: CatalogDeps, code: string, input: ProcedureEdit, actor: CatalogActor): Promise<ProcedureDto> {
  const edit = nfc(input)
  const known = new Set((await listAgencies(deps.db)).map((a) => a.id))
  const result = await inTransaction(deps.db, async (trx) => {
    const currentVersion = await lockHead(trx, code)
    if (currentVersion === undefined) throw new ProcedureNotFoundError(code)
    if (currentVersion !== edit.expectedVersion) throw new ConcurrentUpdateError('procedure', code)
    const cur = (await currentDrafts(trx, [code])).get(code)
    if (!cur) throw new ProcedureNotFoundError(code)
    const next = applyEdit(cur, edit)
    const problems: Record<string, string[]> = {}
    // Decree 224/2026 Art. 14 (DOMAIN B §7.1): a partly-online procedure publishes its reason.
    if (next.onlineLevel === 'partial' && !next.partialReason) problems['partialReason'] = ['Thủ tục trực tuyến một phần phải công bố lý do (Nghị định 224/2026, Điều 14).']
    if (next.onlineLevel !== 'partial') {
      next.partialReason = null
      next.partialLegalBasis = null
    }
    next.agencies.forEach((a, i) => {
      if (!isRule(a.ref) && !known.has(a.ref)) problems[`agencies.${i}.ref`] = [`Cơ quan ${a.ref} chưa có trong danh mục tổ chức.`]
    })
    if (!next.agencies.some((a) => a.role === 'competent') && cur.agencies.some((a) => a.role === 'competent')) {
      problems['agencies'] = ['Cần ít nhất một cơ quan có thẩm quyền giải quyết.']
    }
    if (Object.keys(problems).length) throw new ValidationError('CATALOG.INVALID_EDIT', 'Chưa lưu được thay đổi, xem lỗi từng mục.', { fields: problems })
    const now = deps.clock.now()
    const w = await writeDrafts(trx, [next], { source: 'edit', changeNote: edit.changeNote, createdBy: actor.id, at: now })
    const written = w.written[0]
    if (!written) throw new ValidationError('CATALOG.NO_CHANGE', 'Nội dung không thay đổi so với phiên bản hiện hành.')
    const fields = changedFields(sideOfDraft(cur), sideOfDraft(next))
    await insertAudit(trx, { at: now, action: 'edit', code, version: written.version, actorId: actor.id, actorName: actor.name, reason: edit.changeNote, details: { fromVersion: currentVersion, fields } })
    await appendOutboxEvent(trx, {
      topic: 'catalog.procedure_version_published',
      aggregateType: 'procedure',
      aggregateId: code,
      actorId: actor.id,
      payload: { code, version: written.version, changeNote: edit.changeNote },
    })
    return written
  })
  return getProcedure(deps, code, { version: result.version })
}

/**
 * Takes a procedure off the portal (search, agency pages, intake) with a reason; its versions
 * stay readable. Guarded on the version the administrator saw and on it being published.
 */
export async function unpublishProcedure(deps: CatalogDeps, code: string, input: UnpublishInput, actor: CatalogActor): Promise<ProcedureDto> {
  return setPublication(deps, code, input.expectedVersion, { reason: input.reason.normalize('NFC') }, actor)
}

/** Puts an unpublished procedure back on the portal. */
export async function publishProcedure(deps: CatalogDeps, code: string, input: PublishInput, actor: CatalogActor): Promise<ProcedureDto> {
  return setPublication(deps, code, input.expectedVersion, { note: input.note?.normalize('NFC') || null }, actor)
}

async function setPublication(deps: CatalogDeps, code: string, expectedVersion: number, to: { reason: string } | { note: string | null }, actor: CatalogActor): Promise<ProcedureDto> {
  const unpublish = 'reason' in to
  await inTransaction(deps.db, async (trx) => {
    const head = await lockHeadState(trx, code)
    if (!head) throw new ProcedureNotFoundError(code)
    if (head.currentVersion !== expectedVersion) throw new ConcurrentUpdateError('procedure', code)
    if (unpublish && head.unpublishedAt) {
      throw new ConflictError('CATALOG.ALREADY_UNPUBLISHED', `Thủ tục ${code} đã ngừng công bố từ ${formatVnDateTime(head.unpublishedAt)}.`, { code, unpublishedAt: head.unpublishedAt.toISOString() })
    }
    if (!unpublish && !head.unpublishedAt) throw new ConflictError('CATALOG.ALREADY_PUBLISHED', `Thủ tục ${code} đang được công bố.`, { code })
    const now = deps.clock.now()
    const changed = await updatePublication(trx, code, expectedVersion, unpublish ? { at: now, reason: to.reason } : null, now)
    if (changed !== 1) throw new ConcurrentUpdateError('procedure', code)
    const reason = unpublish ? to.reason : to.note
    const details = unpublish ? {} : { unpublishedAt: head.unpublishedAt?.toISOString() ?? null, unpublishedReason: head.unpublishedReason }
    await insertAudit(trx, { at: now, action: unpublish ? 'unpublish' : 'publish', code, version: expectedVersion, actorId: actor.id, actorName: actor.name, reason, details })
    await appendOutboxEvent(trx, {
      topic: unpublish ? 'catalog.procedure_unpublished' : 'catalog.procedure_republished',
      aggregateType: 'procedure',
      aggregateId: code,
      actorId: actor.id,
      payload: { code, version: expectedVersion, reason },
    })
  })
  return getProcedure(deps, code)
}

// ---- reading -------------------------------------------------------------------------------

function auditDto(r: Awaited<ReturnType<typeof selectAudit>>['rows'][number]): AuditEntryDto {
  const details = r.details && typeof r.details === 'object' && !Array.isArray(r.details) ? (r.details as Record<string, unknown>) : {}
  return { id: r.id, at: r.at.toISOString(), action: r.action, code: r.code, version: r.version, actorId: r.actorId, actorName: r.actorName, reason: r.reason, details }
}

/** The audit of the catalogue (or of one procedure), newest first. */
export async function listCatalogAudit(deps: CatalogDeps, f: { code?: string | undefined; action?: CatalogAuditAction | undefined; page: number; pageSize: number }) {
  if (f.code !== undefined && !(await findHead(deps.db, f.code))) throw new ProcedureNotFoundError(f.code)
  const r = await selectAudit(deps.db, { code: f.code, action: f.action, limit: f.pageSize, offset: (f.page - 1) * f.pageSize })
  return { items: r.rows.map(auditDto), total: r.total, page: f.page, pageSize: f.pageSize }
}

/** Procedures for the administrators' list: text, status, page; with counts per status. */
export async function listProceduresForAdmin(deps: CatalogDeps, f: { q?: string | undefined; status: AdminStatus; page: number; pageSize: number }) {
  const r = await selectAdminProcedures(deps.db, { q: f.q?.normalize('NFC'), status: f.status, limit: f.pageSize, offset: (f.page - 1) * f.pageSize })
  return { ...r, page: f.page, pageSize: f.pageSize }
}

export interface VersionPair {
  from: ProcedureDto
  to: ProcedureDto
  changes: FieldChangeDto[]
}

/** Two versions of a procedure and what differs between them, field by field. */
export async function diffProcedureVersions(deps: CatalogDeps, code: string, from: number, to: number, lang: Lang): Promise<VersionPair> {
  if (from === to) throw new ValidationError('CATALOG.SAME_VERSION', 'Chọn hai phiên bản khác nhau để so sánh.', { fields: { to: ['Chọn phiên bản khác với phiên bản gốc.'] } })
  const [a, b] = [await getProcedure(deps, code, { version: from }), await getProcedure(deps, code, { version: to })]
  return { from: a, to: b, changes: diffVersions(a, b, lang) }
}
