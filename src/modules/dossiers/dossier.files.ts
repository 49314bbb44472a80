import type { FastifyRequest } from 'fastify'
import type { Selectable } from 'kysely'
import type { StaffPrincipal } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js'
import type { ModuleDeps } from '../../shared/module.js'
import { multipartFiles } from '../../shared/multipart.js'
import {
  createDocuments,
  createDocumentsDeps,
  FilesRefusedError,
  findDocuments,
  KIND_LABELS,
  prepareFiles,
  problemMessage,
  readDocument,
  receiveFiles,
  storeBlobs,
  type BlobBody,
  type DocumentRecord,
  type DocumentsDeps,
  type IncomingFile,
  type PreparedFile,
} from '../documents/index.js'
import { nextStatus, STATUS_LABELS, type DossierStatus } from './dossier.machine.js'
import { logAccess } from './dossier.queries.js'
import { getDossier, lockDossier, saveTransition, type DossierRow } from './dossier.repo.js'
import { actorOf, intakeAtCounter, type DossierDeps, type IntakeInput } from './dossier.service.js'
import type { DossierFilesTable, PersonJson } from './dossier.tables.js'

// Files of a dossier. Attaching is a change of the dossier: one `attach_file` event (hash-chained,
// with its outbox row) records who attached which files (names, hashes, kind) in the same
// transaction as the bytes and their metadata. The documents module keeps the bytes and metadata.

/** What an officer attaches: papers digitised at intake, or the result documents. */
export const OFFICER_FILE_KINDS = ['scan', 'result'] as const
export type OfficerFileKind = (typeof OFFICER_FILE_KINDS)[number]

interface FileRule {
  /** Statuses in which this kind may be attached (within the lifecycle's `attach_file`). */
  from: readonly DossierStatus[]
  may(p: StaffPrincipal, d: DossierRow): boolean
}

const isAssignee = (p: StaffPrincipal, d: DossierRow) => p.role === 'processing_officer' && d.currentAssigneeId === p.accountId

/**
 * Who attaches what, when. Scans: the counter officer of the receiving (or competent) agency
 * while the papers are at hand (intake, supplements), or the handling officer during processing.
 * Results: the handling officer or a leader of the competent agency, before approval (drafts)
 * and after it until the result is returned.
 */
export const FILE_RULES: Record<OfficerFileKind, FileRule> = {
  scan: {
    from: ['submitted', 'awaiting_supplement_intake', 'received', 'processing', 'awaiting_supplement'],
    may: (p, d) => (p.role === 'counter_officer' && [d.receivingAgencyId, d.competentAgencyId].includes(p.agencyId)) || isAssignee(p, d),
  },
  result: {
    from: ['processing', 'decided'],
    may: (p, d) => isAssignee(p, d) || (p.role === 'agency_leader' && [d.competentAgencyId, d.currentAgencyId].includes(p.agencyId)),
  },
}

/** Officers of the agencies involved in the dossier (receiving, competent, current) and administrators see its files. */
export function mayReadFiles(p: StaffPrincipal, d: DossierRow): boolean {
  return p.role === 'admin' || [d.receivingAgencyId, d.competentAgencyId, d.currentAgencyId].includes(p.agencyId)
}

/** The kinds of file this officer may attach to this dossier now. */
export function fileKindsFor(p: StaffPrincipal, d: DossierRow): OfficerFileKind[] {
  return OFFICER_FILE_KINDS.filter((k) => FILE_RULES[k].from.includes(d.status) && FILE_RULES[k].may(p, d))
}

function authorizeAttach(p: StaffPrincipal, d: DossierRow, kind: OfficerFileKind) {
  nextStatus(d.status, 'attach_file') // lifecycle first: 409 naming the allowed actions
  if (!FILE_RULES[kind].from.includes(d.status)) {
    throw new ConflictError('DOSSIER.FILE_KIND_NOT_ALLOWED_NOW', `Không thể đính kèm ${KIND_LABELS[kind].vi.toLowerCase()} khi hồ sơ ở trạng thái "${STATUS_LABELS[d.status].vi}".`, {
      status: d.status,
      kind,
      allowedStatuses: FILE_RULES[kind].from,
    })
  }
  if (!FILE_RULES[kind].may(p, d)) throw new ForbiddenError('Bạn không có quyền đính kèm loại tệp này vào hồ sơ.', 'DOSSIER.FORBIDDEN')
}

/** Refuses early (before an upload is read) an officer who may not attach this kind to the dossier now; checked again under the lock. */
export async function checkMayAttach(db: Db, officer: StaffPrincipal, dossierId: string, kind: OfficerFileKind): Promise<DossierRow> {
  const d = await getDossier(db, dossierId)
  authorizeAttach(officer, d, kind)
  return d
}

function refuseReader(p: StaffPrincipal, d: DossierRow) {
  if (!mayReadFiles(p, d)) throw new ForbiddenError('Chỉ cán bộ của cơ quan tiếp nhận, giải quyết hồ sơ được xem tệp của hồ sơ.', 'DOSSIER.FILES_FORBIDDEN')
}

export interface FilesDeps {
  db: Db
  clock: Clock
  documents: DocumentsDeps
}

export function filesDepsOf(m: ModuleDeps): FilesDeps {
  return { db: m.db, clock: m.clock, documents: createDocumentsDeps(m.uploads, m.clock) }
}

/** A file of a dossier as the API and the page show it. */
export interface DossierFileView {
  id: string
  name: string
  kind: string
  mediaType: string
  sizeBytes: number
  sha256: string
  legalCopy: boolean
  scanStatus: string
  attachedAt: string
  attachedBy: { id: string | null; name: string }
  eventSeq: number
}

async function countFiles(db: Db | Trx, dossierId: string): Promise<number> {
  const r = await db.selectFrom('dossierFiles').select((eb) => eb.fn.countAll<number>().as('n')).where('dossierId', '=', dossierId).executeTakeFirst()
  return Number(r?.n ?? 0)
}

/** Reads the files of a multipart request within the upload limits (none for a plain form post). */
export async function receiveUpload(req: FastifyRequest, deps: FilesDeps): Promise<IncomingFile[]> {
  return req.isMultipart() ? receiveFiles(multipartFiles(req), deps.documents.limits) : []
}

/** Checks uploaded files against the dossier's count so far; FilesRefusedError lists every problem. */
export async function prepareDossierFiles(deps: FilesDeps, dossierId: string | null, incoming: IncomingFile[], opts: { required: boolean }): Promise<PreparedFile[]> {
  const existingCount = dossierId ? await countFiles(deps.db, dossierId) : 0
  return prepareFiles(deps.documents, incoming, { existingCount, required: opts.required })
}

/**
 * Attaches prepared files to `d`, which the caller has locked or just created in `trx`: the
 * documents (bytes once per hash, a metadata row each), one `attach_file` event listing them, and
 * the links. Returns the saved dossier and the attached files.
 */
export async function attachFiles(trx: Trx, deps: FilesDeps, officer: StaffPrincipal, d: DossierRow, kind: OfficerFileKind, files: PreparedFile[], opts: { legalCopy?: boolean | undefined } = {}) {
  authorizeAttach(officer, d, kind)
  if (!files.length) throw new FilesRefusedError([{ index: null, name: null, code: 'DOCUMENT.NO_FILE', message: problemMessage.noFile() }])
  // Counted again under the dossier's lock: two uploads at once cannot both pass the limit.
  const existing = await countFiles(trx, d.id)
  const max = deps.documents.limits.maxFilesPerDossier
  if (existing + files.length > max) {
    throw new FilesRefusedError([{ index: null, name: null, code: 'DOCUMENT.TOO_MANY_FILES', message: problemMessage.tooMany(max, existing) }])
  }
  const actor = actorOf(officer)
  // The documents belong to the dossier's owner (or applicant): their document store (B §7.2).
  const owner = (d.owner as PersonJson | null) ?? (d.applicant as PersonJson)
  const docs = await createDocuments(trx, deps.documents, files, { kind, ownerSubject: owner.idNumber ?? null, createdBy: officer.accountId, legalCopy: opts.legalCopy })
  const now = deps.clock.now()
  // File names stay out of the event's text, which public tracking shows; they are in its data.
  const saved = await saveTransition(trx, d, {}, {
    action: 'attach_file',
    from: d.status,
    to: d.status,
    actor,
    content: `Đính kèm ${docs.length} tệp ${KIND_LABELS[kind].vi.toLowerCase()}`,
    at: now,
    data: { kind, files: docs.map((f) => ({ documentId: f.id, name: f.name, sha256: f.sha256, mediaType: f.mediaType, sizeBytes: f.sizeBytes, legalCopy: f.legalCopy })) },
  })
  const links = docs.map((f, position) => ({ dossierId: d.id, documentId: f.id, eventSeq: saved.lastEventSeq, position, attachedBy: actor.id, attachedByName: actor.name, attachedAt: now }))
  await trx.insertInto('dossierFiles').values(links).execute()
  return { dossier: saved, files: docs.map((f, i) => toView(f, links[i]!)) }
}

function toView(f: DocumentRecord, l: Pick<Selectable<DossierFilesTable>, 'attachedAt' | 'attachedBy' | 'attachedByName' | 'eventSeq'>): DossierFileView {
  return {
    id: f.id,
    name: f.name,
    kind: f.kind,
    mediaType: f.mediaType,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    legalCopy: f.legalCopy,
    scanStatus: f.scanStatus,
    attachedAt: l.attachedAt.toISOString(),
    attachedBy: { id: l.attachedBy, name: l.attachedByName },
    eventSeq: l.eventSeq,
  }
}

/** Attaches files to an existing dossier, locked for the transaction; a stale `expectedVersion` is a 409. */
export async function attachFilesTo(trx: Trx, deps: FilesDeps, officer: StaffPrincipal, dossierId: string, kind: OfficerFileKind, files: PreparedFile[], opts: { expectedVersion?: number | undefined; legalCopy?: boolean | undefined } = {}) {
  const { dossier: d } = await lockDossier(trx, dossierId)
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== d.version) {
    throw new DomainError('conflict', 'CONCURRENT_UPDATE', 'Hồ sơ đã được người khác thay đổi, vui lòng tải lại.', { expectedVersion: opts.expectedVersion, currentVersion: d.version })
  }
  return attachFiles(trx, deps, officer, d, kind, files, opts)
}

/** The intake's own field problems and the files' problems, in one error for the form. */
function withFileProblems(e: unknown, refused: FilesRefusedError): unknown {
  if (!(e instanceof ValidationError)) return e
  const details = (e.details ?? {}) as { fields?: Record<string, string[]> }
  const own = refused.details as { fields: Record<string, string[]>; files: unknown }
  return new ValidationError(e.code, e.message, { ...details, fields: { ...details.fields, ...own.fields }, files: own.files })
}

/**
 * Counter intake with its scanned papers, in one transaction. The bytes go in first, before
 * intake takes the daily code's lock; then the dossier; then the files' event. Refused files
 * (`refused`) leave nothing behind: the intake still runs so its own problems are reported
 * together with the files', and the transaction is rolled back.
 */
export async function intakeWithScans(deps: FilesDeps & { dossier: DossierDeps }, officer: StaffPrincipal, input: IntakeInput, files: PreparedFile[], refused?: FilesRefusedError): Promise<DossierRow> {
  return inTransaction(deps.db, async (trx) => {
    if (files.length && !refused) await storeBlobs(trx, deps.documents, files)
    let d: DossierRow
    try {
      d = await intakeAtCounter(trx, deps.dossier, officer, input)
    } catch (e) {
      throw refused ? withFileProblems(e, refused) : e
    }
    if (refused) throw refused
    if (files.length) d = (await attachFiles(trx, deps, officer, d, 'scan', files)).dossier
    return d
  })
}

/** The files of a dossier (or the one file `onlyId`), oldest first. */
export async function listDossierFiles(db: Db | Trx, dossierId: string, onlyId?: string): Promise<DossierFileView[]> {
  const links = await db
    .selectFrom('dossierFiles')
    .selectAll()
    .where('dossierId', '=', dossierId)
    .$if(onlyId !== undefined, (q) => q.where('documentId', '=', onlyId!))
    .orderBy('eventSeq')
    .orderBy('position')
    .execute()
  const docs = new Map((await findDocuments(db, links.map((l) => l.documentId))).map((f) => [f.id, f]))
  return links.flatMap((l) => {
    const f = docs.get(l.documentId)
    return f ? [toView(f, l)] : []
  })
}

/** The files of a dossier for an officer allowed to see them (403 otherwise). */
export async function listFilesFor(db: Db, officer: StaffPrincipal, dossierId: string) {
  const d = await getDossier(db, dossierId)
  refuseReader(officer, d)
  return { dossier: d, files: await listDossierFiles(db, d.id), mayAttach: fileKindsFor(officer, d) }
}

export class DossierFileNotFoundError extends NotFoundError {
  constructor(fileId: string) {
    super('DOSSIER.FILE_NOT_FOUND', 'Không tìm thấy tệp trong hồ sơ này.', { fileId })
  }
}

/**
 * One file of a dossier with its bytes, for an officer allowed to see the dossier's files. The
 * download is logged like an opening of the dossier.
 */
export async function openDossierFile(deps: FilesDeps, officer: StaffPrincipal, dossierId: string, fileId: string, via: 'api' | 'page'): Promise<{ file: DossierFileView; body: BlobBody }> {
  const d = await getDossier(deps.db, dossierId)
  refuseReader(officer, d)
  const [file] = await listDossierFiles(deps.db, d.id, fileId)
  if (!file) throw new DossierFileNotFoundError(fileId)
  const { body } = await readDocument(deps.db, deps.documents, fileId)
  await logAccess(deps.db, deps.clock, d.id, officer.accountId, `${via}:file:${fileId}`)
  return { file, body }
}
