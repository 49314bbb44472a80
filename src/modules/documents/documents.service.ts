import crypto from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import type { Db, Trx } from '../../shared/database.js'
import type { UploadSettings } from '../../shared/module.js'
import { databaseBlobStore, type BlobBody, type BlobStore } from './documents.blob-store.js'
import { DocumentNotFoundError, FilesRefusedError, problemMessage, type FileProblem } from './documents.errors.js'
import { insertDocuments, selectDocuments, type DocumentRow } from './documents.repo.js'
import { detectMediaType, isAllowedMediaType, sanitizeFileName, type AllowedMediaType, type DocumentKind } from './documents.rules.js'
import { clamdScanner, noVirusScanner, type ScanVerdict, type VirusScanner } from './documents.scanner.js'
import type { IncomingFile } from './documents.upload.js'

export interface DocumentsDeps {
  clock: Clock
  limits: UploadSettings
  blobs: BlobStore
  scanner: VirusScanner
}

/** The documents module's dependencies from the upload settings: the database blob store, and clamd when configured. */
export function createDocumentsDeps(limits: UploadSettings, clock: Clock, overrides: { blobs?: BlobStore; scanner?: VirusScanner } = {}): DocumentsDeps {
  return {
    clock,
    limits,
    blobs: overrides.blobs ?? databaseBlobStore,
    scanner: overrides.scanner ?? (limits.clamd ? clamdScanner(limits.clamd) : noVirusScanner),
  }
}

/** A file that passed every check, ready to store: its hash, the type found in its content, a safe name, the scan verdict. */
export interface PreparedFile {
  sha256: string
  bytes: Buffer
  mediaType: AllowedMediaType
  sizeBytes: number
  name: string
  scan: Exclude<ScanVerdict, { status: 'infected' }>
}

/** A stored document as other modules see it. */
export interface DocumentRecord {
  id: string
  sha256: string
  mediaType: AllowedMediaType
  sizeBytes: number
  name: string
  kind: DocumentKind
  ownerSubject: string | null
  legalCopy: boolean
  scanStatus: 'not_scanned' | 'clean'
  createdBy: string | null
  createdAt: Date
}

const fallbackName = (f: IncomingFile, i: number) => f.name.normalize('NFC').trim() || `tệp ${i + 1}`

/**
 * Checks uploaded files: not empty, within the size and request limits, a PDF, JPEG or PNG by
 * content, within the per-dossier count (`existingCount` already attached), then scanned for
 * viruses. Reports every problem at once (FilesRefusedError); writes nothing.
 */
export async function prepareFiles(deps: DocumentsDeps, incoming: IncomingFile[], opts: { existingCount: number; required: boolean; field?: string }): Promise<PreparedFile[]> {
  const { limits } = deps
  const problems: FileProblem[] = []
  const typed: { file: IncomingFile; index: number; mediaType: AllowedMediaType }[] = []
  if (!incoming.length && opts.required) problems.push({ index: null, name: null, code: 'DOCUMENT.NO_FILE', message: problemMessage.noFile() })
  if (incoming.some((f) => f.overRequestLimit)) problems.push({ index: null, name: null, code: 'DOCUMENT.REQUEST_TOO_LARGE', message: problemMessage.requestTooLarge(limits.maxRequestBytes) })
  if (opts.existingCount + incoming.length > limits.maxFilesPerDossier) {
    problems.push({ index: null, name: null, code: 'DOCUMENT.TOO_MANY_FILES', message: problemMessage.tooMany(limits.maxFilesPerDossier, opts.existingCount) })
  }
  for (const [index, file] of incoming.entries()) {
    const name = fallbackName(file, index)
    if (file.overRequestLimit) continue
    if (file.tooLarge || file.size > limits.maxFileBytes) problems.push({ index, name, code: 'DOCUMENT.TOO_LARGE', message: problemMessage.tooLarge(name, limits.maxFileBytes) })
    else if (file.size === 0) problems.push({ index, name, code: 'DOCUMENT.EMPTY', message: problemMessage.empty(name) })
    else {
      const mediaType = await detectMediaType(file.bytes)
      if (isAllowedMediaType(mediaType)) typed.push({ file, index, mediaType })
      else problems.push({ index, name, code: 'DOCUMENT.TYPE_NOT_ALLOWED', message: problemMessage.typeNotAllowed(name) })
    }
  }
  if (problems.length) throw new FilesRefusedError(problems, opts.field)

  // Scanned only once everything else is right: scanning is the slow part.
  const prepared: PreparedFile[] = []
  for (const { file, index, mediaType } of typed) {
    const verdict = await deps.scanner.scan(file.bytes)
    if (verdict.status === 'infected') {
      const name = fallbackName(file, index)
      problems.push({ index, name, code: 'DOCUMENT.INFECTED', message: problemMessage.infected(name) })
      continue
    }
    prepared.push({ sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'), bytes: file.bytes, mediaType, sizeBytes: file.bytes.length, name: sanitizeFileName(file.name, mediaType), scan: verdict })
  }
  if (problems.length) throw new FilesRefusedError(problems, opts.field)
  return prepared
}

/**
 * Puts the files' bytes in the blob store (once per distinct hash). Callers that take locks in
 * the same transaction store the bytes first, so the heavy writes happen before the locks.
 */
export async function storeBlobs(trx: Trx, deps: DocumentsDeps, files: readonly PreparedFile[]): Promise<void> {
  const at = deps.clock.now()
  const seen = new Set<string>()
  for (const f of files) {
    if (seen.has(f.sha256)) continue
    seen.add(f.sha256)
    await deps.blobs.put(trx, f.sha256, f.bytes, at)
  }
}

export interface NewDocumentsMeta {
  kind: DocumentKind
  ownerSubject: string | null
  createdBy: string | null
  legalCopy?: boolean | undefined
}

/** Stores the files (bytes, if not stored yet, and one metadata row each) in the caller's transaction. */
export async function createDocuments(trx: Trx, deps: DocumentsDeps, files: readonly PreparedFile[], meta: NewDocumentsMeta): Promise<DocumentRecord[]> {
  await storeBlobs(trx, deps, files)
  const at = deps.clock.now()
  const rows: DocumentRow[] = files.map((f) => ({
    id: crypto.randomUUID(),
    sha256: f.sha256,
    mediaType: f.mediaType,
    sizeBytes: f.sizeBytes,
    originalName: f.name,
    kind: meta.kind,
    ownerSubject: meta.ownerSubject,
    legalCopy: meta.kind === 'result' && !!meta.legalCopy,
    scanStatus: f.scan.status,
    scanEngine: f.scan.status === 'clean' ? f.scan.engine : null,
    scannedAt: f.scan.status === 'clean' ? at : null,
    createdBy: meta.createdBy,
    createdAt: at,
  }))
  await insertDocuments(trx, rows)
  return rows.map(toRecord)
}

function toRecord(r: DocumentRow): DocumentRecord {
  return {
    id: r.id,
    sha256: r.sha256,
    mediaType: r.mediaType as AllowedMediaType,
    sizeBytes: r.sizeBytes,
    name: r.originalName,
    kind: r.kind,
    ownerSubject: r.ownerSubject,
    legalCopy: r.legalCopy,
    scanStatus: r.scanStatus,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
  }
}

/** The documents with these ids (unknown ids are left out), oldest first. */
export async function findDocuments(db: Db | Trx, ids: readonly string[]): Promise<DocumentRecord[]> {
  return (await selectDocuments(db, ids)).map(toRecord)
}

/** A document's record and bytes; DocumentNotFoundError when either is missing. Authorization is the caller's. */
export async function readDocument(db: Db, deps: DocumentsDeps, id: string): Promise<{ record: DocumentRecord; body: BlobBody }> {
  const [record] = await findDocuments(db, [id])
  if (!record) throw new DocumentNotFoundError(id)
  const body = await deps.blobs.get(db, record.sha256)
  if (!body) throw new DocumentNotFoundError(id)
  return { record, body }
}
