import type { Clock } from '../../shared/clock.js'
import type { Db, Trx } from '../../shared/database.js'
import { ConflictError, DomainError } from '../../shared/errors.js'
import { FilesRefusedError, KIND_LABELS, problemMessage, type DocumentRecord } from '../documents/index.js'
import { nextStatus, STATUS_LABELS, type DossierStatus } from './dossier.machine.js'
import { lockDossier, saveTransition, type DossierRow } from './dossier.repo.js'
import { act, type ApplicantPrincipal, type DossierDeps } from './dossier.service.js'

// What the applicant does to their own dossier online (issue 6 §2): files at submission and with
// a requested supplement, the supplement itself (the lifecycle's supplement actions, so the clock
// rules of A5 hold), withdrawal. The online services module checks that the person is the
// applicant (or acts for them with consent) before calling any of these.

/** Statuses in which the applicant's own files may be attached: at submission and when a supplement was asked for. */
export const APPLICANT_FILE_STATUSES: readonly DossierStatus[] = ['submitted', 'awaiting_supplement_intake', 'awaiting_supplement']

const applicantActor = (p: ApplicantPrincipal) => ({ id: p.id, name: p.name, role: 'applicant', agencyId: null })

async function countFiles(trx: Trx, dossierId: string): Promise<number> {
  const r = await trx.selectFrom('dossierFiles').select((eb) => eb.fn.countAll<number>().as('n')).where('dossierId', '=', dossierId).executeTakeFirst()
  return Number(r?.n ?? 0)
}

/**
 * Attaches documents already stored (uploaded by the applicant or taken from their document
 * wallet) to `d`, which the caller locked or just created in `trx`: one `attach_file` event
 * (kind `citizen_upload`) naming them, and the links. Returns the saved dossier.
 */
export async function attachApplicantDocuments(trx: Trx, deps: { clock: Clock; maxFilesPerDossier: number }, p: ApplicantPrincipal, d: DossierRow, docs: readonly DocumentRecord[]): Promise<DossierRow> {
  nextStatus(d.status, 'attach_file')
  if (!APPLICANT_FILE_STATUSES.includes(d.status)) {
    throw new ConflictError('DOSSIER.FILE_KIND_NOT_ALLOWED_NOW', `Không thể nộp thêm tệp khi hồ sơ ở trạng thái "${STATUS_LABELS[d.status].vi}".`, { status: d.status })
  }
  if (!docs.length) return d
  const existing = await countFiles(trx, d.id)
  if (existing + docs.length > deps.maxFilesPerDossier) {
    throw new FilesRefusedError([{ index: null, name: null, code: 'DOCUMENT.TOO_MANY_FILES', message: problemMessage.tooMany(deps.maxFilesPerDossier, existing) }])
  }
  const actor = applicantActor(p)
  const now = deps.clock.now()
  const saved = await saveTransition(trx, d, {}, {
    action: 'attach_file',
    from: d.status,
    to: d.status,
    actor,
    content: `Đính kèm ${docs.length} tệp ${KIND_LABELS.citizen_upload.vi.toLowerCase()}`,
    at: now,
    data: { kind: 'citizen_upload', files: docs.map((f) => ({ documentId: f.id, name: f.name, sha256: f.sha256, mediaType: f.mediaType, sizeBytes: f.sizeBytes, legalCopy: f.legalCopy })) },
  })
  const links = docs.map((f, position) => ({ dossierId: d.id, documentId: f.id, eventSeq: saved.lastEventSeq, position, attachedBy: actor.id, attachedByName: actor.name, attachedAt: now }))
  await trx.insertInto('dossierFiles').values(links).execute()
  return saved
}

/**
 * The applicant hands in a requested supplement with its files, in the caller's transaction:
 * the files' event, then the lifecycle's action — `receive_supplement` while processing was
 * paused (the clock restarts or resumes, A5) or `supplement_intake` before receipt.
 */
export async function handInSupplement(
  trx: Trx,
  deps: DossierDeps & { maxFilesPerDossier: number },
  p: ApplicantPrincipal,
  dossierId: string,
  input: { expectedVersion: number; docs: readonly DocumentRecord[]; note?: string | undefined },
): Promise<DossierRow> {
  const { dossier } = await lockDossier(trx, dossierId)
  if (dossier.version !== input.expectedVersion) {
    throw new DomainError('conflict', 'CONCURRENT_UPDATE', 'Hồ sơ đã được người khác thay đổi, vui lòng tải lại.', { expectedVersion: input.expectedVersion, currentVersion: dossier.version })
  }
  const action = dossier.status === 'awaiting_supplement_intake' ? 'supplement_intake' : 'receive_supplement'
  nextStatus(dossier.status, action) // 409 naming the allowed actions when no supplement is awaited
  const withFiles = await attachApplicantDocuments(trx, deps, p, dossier, input.docs)
  const note = ['Công dân nộp bổ sung trực tuyến', input.note?.trim()].filter(Boolean).join(': ')
  return act(trx, deps, p, dossierId, { action, expectedVersion: withFiles.version, note })
}

/** The last request to supplement (form 02): when, why, and what is missing. */
export async function lastSupplementRequest(db: Db | Trx, dossierId: string): Promise<{ at: Date; reason: string | null; missing: string[] } | undefined> {
  const e = await db
    .selectFrom('dossierEvents')
    .select(['occurredAt', 'reason', 'data'])
    .where('dossierId', '=', dossierId)
    .where('action', 'in', ['request_supplement', 'request_supplement_intake'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!e) return undefined
  const missing = (e.data as { missing?: unknown } | null)?.missing
  return { at: e.occurredAt, reason: e.reason, missing: Array.isArray(missing) ? missing.filter((m): m is string => typeof m === 'string') : [] }
}

/** The dossiers with these ids (unknown ids left out), newest submission first. */
export async function findDossiers(db: Db | Trx, ids: readonly string[]): Promise<DossierRow[]> {
  if (!ids.length) return []
  return (await db.selectFrom('dossiers').selectAll().where('id', 'in', ids).orderBy('submittedAt', 'desc').orderBy('id').execute()) as DossierRow[]
}
