import crypto from 'node:crypto'
import { z } from 'zod'
import type { CitizenPrincipal } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../shared/errors.js'
import { appendOutboxEvent } from '../../shared/outbox.js'
import { getProcedure, type ProcedureDto } from '../catalog/index.js'
import {
  act,
  attachApplicantDocuments,
  findDossiers,
  getDossier,
  handInSupplement,
  lastSupplementRequest,
  listDossierFiles,
  publicView,
  submitOnline,
  type ApplicantPrincipal,
  type DossierDeps,
  type DossierFileView,
  type DossierRow,
} from '../dossiers/index.js'
import { createDocuments, FilesRefusedError, findDocuments, prepareFiles, readDocument, storeBlobs, type DocumentRecord, type DocumentsDeps, type IncomingFile, type PreparedFile } from '../documents/index.js'
import { getCitizen, type CitizenView } from '../identity/index.js'
import { listCurrentCommunes } from '../org/index.js'
import { assertActingFor, recordConsentUse } from '../outreach/index.js'
import { checkForm, FormDefinition, isConditional, isHeading, isTheEForm, type CleanForm, type FieldErrors, type ProvidedDocument, type Requirement } from './online.forms.js'
import type { WalletSource } from './online.tables.js'
import './online.tables.js'

export interface OnlineDeps {
  db: Db
  clock: Clock
  provinceCode: string
  documents: DocumentsDeps
}

const dossierDeps = (d: OnlineDeps): DossierDeps => ({ db: d.db, clock: d.clock, provinceCode: d.provinceCode })

// ---- the form of a procedure ------------------------------------------------------------------------

export interface FormContext {
  procedure: Pick<ProcedureDto, 'code' | 'name' | 'version' | 'onlineLevel'>
  cases: string[]
  caseName: string | undefined
  requirements: Requirement[]
  communes: { code: string; name: string }[]
  communeRequired: boolean
  definition: FormDefinition | undefined
  /** The catalogue's time for the online channel is readable (else the definition's default limit applies). */
  limitKnown: boolean
}

export class NotOfferedOnlineError extends DomainError {
  constructor(code: string) {
    super('conflict', 'ONLINE.NOT_OFFERED', 'Thủ tục này chưa cung cấp dịch vụ công trực tuyến; vui lòng nộp trực tiếp tại bộ phận một cửa hoặc qua bưu chính.', { code })
  }
}

/** A procedure's form definition (extra fields as data), or undefined: the applicant block and the documents only. */
export async function findFormDefinition(db: Db | Trx, procedureCode: string): Promise<FormDefinition | undefined> {
  const row = await db.selectFrom('onlineFormDefinitions').select(['fields', 'defaultLimit']).where('procedureCode', '=', procedureCode).executeTakeFirst()
  if (!row) return undefined
  const parsed = FormDefinition.safeParse({ fields: row.fields, defaultLimit: row.defaultLimit })
  if (!parsed.success) throw new Error(`online_form_definitions ${procedureCode}: ${parsed.error.message}`)
  return parsed.data
}

/** What the e-form of a procedure shows and checks: its cases, the chosen case's documents, communes, extra fields. */
export async function loadFormContext(deps: Pick<OnlineDeps, 'db' | 'clock' | 'provinceCode'>, procedureCode: string, caseName?: string): Promise<FormContext> {
  const p = await getProcedure({ db: deps.db, clock: deps.clock }, procedureCode, { at: deps.clock.now() })
  if (p.unpublishedAt || (p.onlineLevel !== 'full' && p.onlineLevel !== 'partial')) throw new NotOfferedOnlineError(p.code)
  // Headings ("* Giấy tờ phải nộp:") are not cases: the first group is what must be handed in.
  const cases = p.content.cases.map((c) => c.name).filter((n): n is string => !!n && !isHeading(n))
  const chosen = (caseName && cases.includes(caseName) ? p.content.cases.find((c) => c.name === caseName) : undefined) ?? (cases.length ? p.content.cases.find((c) => c.name === cases[0]) : p.content.cases[0])
  // Without real cases, every group counts but notes ("* Lưu ý:"): papers to show at the counter
  // ("* Giấy tờ phải xuất trình:") are uploaded online, as the national records say.
  const groups = cases.length ? [chosen] : p.content.cases.filter((c) => !/lưu ý/i.test(c.name ?? ''))
  const requirements = groups
    .flatMap((g) => g?.documents ?? [])
    .filter((d) => d.originals + d.copies > 0 && !isTheEForm(d.name))
    .map((d) => ({ name: d.name, originals: d.originals, copies: d.copies, optional: isConditional(d.name) }))
  const competent = p.agencies.find((a) => a.role === 'competent') ?? p.agencies[0]
  const channel = p.content.channels.find((c) => c.channel === 'online') ?? p.content.channels[0]
  const time = p.content.local?.time ?? channel?.time
  const limitKnown = !!time && time.kind !== 'unparsed' && time.kind !== 'calendar_months' && (time.kind === 'same_day' || Number.isInteger(time.value) || time.kind === 'working_days')
  const [communes, definition] = await Promise.all([listCurrentCommunes(deps.db, deps.provinceCode), findFormDefinition(deps.db, p.code)])
  return {
    procedure: { code: p.code, name: p.name, version: p.version, onlineLevel: p.onlineLevel },
    cases,
    caseName: cases.length && chosen?.name ? chosen.name : undefined,
    requirements,
    communes: communes.map((c) => ({ code: c.code, name: c.name })),
    communeRequired: !!competent?.ref.startsWith('@'),
    definition,
    limitKnown,
  }
}

/** The applicant block prefilled from the identity provider's claims (the provider is the authority). */
export function prefillFrom(c: CitizenView): Record<string, string> {
  const phone = c.phone?.startsWith('+84') ? `0${c.phone.slice(3)}` : (c.phone ?? '')
  return { 'applicant.fullName': c.fullName, 'applicant.idNumber': c.identityNumber, 'applicant.birthDate': c.birthDate ?? '', 'applicant.phone': phone, 'applicant.address': c.address ?? '' }
}

// ---- drafts and submission -----------------------------------------------------------------------------

/** A document the draft holds for requirement `position`: uploaded into it, or chosen from the wallet. */
export const DraftAttachment = z.object({ position: z.number().int().min(0), documentId: z.string().uuid(), walletItemId: z.string().uuid().optional(), name: z.string() })
export type DraftAttachment = z.infer<typeof DraftAttachment>

export interface DraftRow {
  id: string
  citizenId: string
  procedureCode: string
  values: Record<string, string>
  attachments: DraftAttachment[]
  version: number
  updatedAt: Date
  dossierId: string | null
}

function toDraft(r: { id: string; citizenId: string; procedureCode: string; values: unknown; attachments: unknown; version: number; updatedAt: Date; dossierId: string | null }): DraftRow {
  return { ...r, values: z.record(z.string(), z.string()).parse(r.values), attachments: z.array(DraftAttachment).parse(r.attachments) }
}

export class DraftNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('ONLINE.DRAFT_NOT_FOUND', 'Không tìm thấy bản nháp.', { id })
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The citizen's own draft; someone else's or a used one answers "not found", like an unknown id. */
export async function getMyDraft(db: Db | Trx, citizenId: string, draftId: string, opts: { lock?: boolean } = {}): Promise<DraftRow> {
  if (!UUID.test(draftId)) throw new DraftNotFoundError(draftId)
  const row = await db
    .selectFrom('onlineDrafts')
    .selectAll()
    .where('id', '=', draftId)
    .where('citizenId', '=', citizenId)
    .where('dossierId', 'is', null)
    .$if(!!opts.lock, (q) => q.forUpdate())
    .executeTakeFirst()
  if (!row) throw new DraftNotFoundError(draftId)
  return toDraft(row)
}

export async function listMyDrafts(db: Db, clock: Clock, citizenId: string): Promise<(DraftRow & { procedureName: string })[]> {
  const rows = await db.selectFrom('onlineDrafts').selectAll().where('citizenId', '=', citizenId).where('dossierId', 'is', null).orderBy('updatedAt', 'desc').orderBy('id').limit(100).execute()
  const names = new Map<string, string>()
  for (const r of rows) {
    if (names.has(r.procedureCode)) continue
    const p = await getProcedure({ db, clock }, r.procedureCode).catch(() => undefined)
    names.set(r.procedureCode, p?.name ?? r.procedureCode)
  }
  return rows.map((r) => ({ ...toDraft(r), procedureName: names.get(r.procedureCode) ?? r.procedureCode }))
}

/** Who acts: the citizen themself, or (issue 6 §5, another helper's consent flow) a team member with the citizen's consent. */
export type OnlineActor = { kind: 'citizen'; citizenId: string; name: string; /** The login's VNeID level (B §10: TaiKhoanDuocXacThucVoiVNeID). */ assuranceLevel?: 1 | 2 } | { kind: 'team_member'; accountId: string; name: string; consentRef: string }

const actorId = (a: OnlineActor) => (a.kind === 'citizen' ? a.citizenId : a.accountId)

/** One e-form post: its text values, the files chosen per requirement (`doc.<i>`), the wallet choices (`wallet.<i>`). */
export interface FormPost {
  procedureCode: string
  draftId?: string | undefined
  values: Record<string, string>
  files: IncomingFile[]
}

const positionOf = (field: string, prefix: string): number | undefined => {
  const m = new RegExp(`^${prefix}\\.(\\d{1,3})$`).exec(field)
  return m ? Number(m[1]) : undefined
}

interface Checked {
  ctx: FormContext
  applicant: CitizenView
  draft: DraftRow | undefined
  clean: CleanForm
  /** New uploads per requirement position, checked. */
  uploads: { position: number; file: PreparedFile }[]
  /** Wallet items chosen per position (the applicant's own, checked). */
  reuses: { position: number; item: WalletRow }[]
  /** What the draft already holds and keeps. */
  kept: DraftAttachment[]
}

/**
 * Checks a form post completely before anything is written: the fields (every problem under its
 * input), each file (type by content, size, count), each wallet choice (the applicant's own).
 * Throws one ValidationError listing all problems (`details.fields`).
 */
async function checkPost(deps: OnlineDeps, applicantCitizenId: string, actorCitizenId: string | undefined, post: FormPost, final: boolean): Promise<Checked> {
  const applicant = await getCitizen(deps.db, applicantCitizenId)
  const draft = post.draftId ? await getMyDraft(deps.db, actorCitizenId ?? applicantCitizenId, post.draftId) : undefined
  if (draft && draft.procedureCode !== post.procedureCode) throw new DraftNotFoundError(post.draftId!)
  const ctx = await loadFormContext(deps, post.procedureCode, post.values['caseName'] || undefined)
  const errors: FieldErrors = {}
  const merge = (f: FieldErrors) => {
    for (const [k, list] of Object.entries(f)) (errors[k] ??= []).push(...list)
  }

  // Files: each checked on its own so its problems stand next to its input.
  const uploads: Checked['uploads'] = []
  const max = deps.documents.limits.maxFilesPerDossier
  if (post.files.length > max) merge({ form: [`Mỗi hồ sơ có tối đa ${max} tệp đính kèm.`] })
  for (const f of post.files) {
    const position = positionOf(f.field, 'doc')
    if (position === undefined || position >= ctx.requirements.length) {
      merge({ form: ['Tệp gửi kèm không thuộc giấy tờ nào của hồ sơ.'] })
      continue
    }
    try {
      const [file] = await prepareFiles(deps.documents, [f], { existingCount: 0, required: false, field: `doc.${position}` })
      if (file) uploads.push({ position, file })
    } catch (e) {
      if (!(e instanceof FilesRefusedError)) throw e
      merge((e.details as { fields: FieldErrors }).fields)
    }
  }

  // Wallet choices: only the applicant's own items; another person's id reads as unknown.
  const reuses: Checked['reuses'] = []
  for (const [field, value] of Object.entries(post.values)) {
    const position = positionOf(field, 'wallet')
    if (position === undefined || !value) continue
    const item = position < ctx.requirements.length && UUID.test(value) ? await findWalletItem(deps.db, applicant.identityNumber, value) : undefined
    if (!item) merge({ [`wallet.${position}`]: ['Không tìm thấy giấy tờ này trong kho giấy tờ của bạn.'] })
    else if (!uploads.some((u) => u.position === position)) reuses.push({ position, item })
  }

  const removed = new Set(Object.entries(post.values).flatMap(([k, v]) => (v ? [positionOf(k, 'remove')] : [])).filter((n): n is number => n !== undefined))
  const replaced = new Set([...uploads.map((u) => u.position), ...reuses.map((r) => r.position)])
  const kept = (draft?.attachments ?? []).filter((a) => a.position < ctx.requirements.length && !removed.has(a.position) && !replaced.has(a.position))

  const provided: ProvidedDocument[] = [...kept, ...uploads, ...reuses].map((p) => ({ position: p.position }))
  const form = checkForm({ values: post.values, definition: ctx.definition, cases: ctx.cases, communes: ctx.communes.map((c) => c.code), communeRequired: ctx.communeRequired, requirements: ctx.requirements, provided, today: deps.clock.now() }, { final })
  merge(form.errors)
  // The dossier is the applicant's: their identity number, as the identity provider gave it, not another one typed in.
  if (form.clean.applicant.idNumber && form.clean.applicant.idNumber !== applicant.identityNumber && !form.errors['applicant.idNumber']) {
    merge({ 'applicant.idNumber': ['Số định danh cá nhân phải là của người có hồ sơ (theo tài khoản định danh điện tử); không nộp hồ sơ trực tuyến thay người khác bằng tài khoản của mình.'] })
  }
  if (final && !ctx.limitKnown && !ctx.definition?.defaultLimit) merge({ form: ['Thủ tục này chưa công bố được thời hạn giải quyết cho hồ sơ trực tuyến; vui lòng nộp tại bộ phận một cửa.'] })
  if (Object.keys(errors).length) {
    const n = Object.values(errors).reduce((s, l) => s + l.length, 0)
    throw new ValidationError('ONLINE.INVALID_FORM', `Hồ sơ chưa hợp lệ: có ${n} lỗi cần sửa.`, { fields: errors })
  }
  return { ctx, applicant, draft, clean: form.clean, uploads, reuses, kept }
}

const FORM_KEYS = /^(applicant\.[a-zA-Z]+|extra\.[a-zA-Z0-9]+|caseName|communeCode)$/

/** Saves the form as a draft (only what was typed is checked); uploaded files are stored and kept with it. */
export async function saveDraft(deps: OnlineDeps, citizen: CitizenPrincipal, post: FormPost): Promise<DraftRow> {
  const c = await checkPost(deps, citizen.citizenId, citizen.citizenId, post, false)
  const now = deps.clock.now()
  const values = Object.fromEntries(Object.entries(post.values).filter(([k]) => FORM_KEYS.test(k)).map(([k, v]) => [k, v.normalize('NFC').slice(0, 2000)]))
  return inTransaction(deps.db, async (trx) => {
    const docs = c.uploads.length ? await createDocuments(trx, deps.documents, c.uploads.map((u) => u.file), { kind: 'citizen_upload', ownerSubject: c.applicant.identityNumber, createdBy: citizen.citizenId }) : []
    const attachments: DraftAttachment[] = [
      ...c.kept,
      ...c.uploads.map((u, i) => ({ position: u.position, documentId: docs[i]!.id, name: docs[i]!.name })),
      ...c.reuses.map((r) => ({ position: r.position, documentId: r.item.documentId, walletItemId: r.item.id, name: r.item.title })),
    ].sort((a, b) => a.position - b.position)
    if (c.draft) {
      const locked = await getMyDraft(trx, citizen.citizenId, c.draft.id, { lock: true })
      const row = await trx
        .updateTable('onlineDrafts')
        .set({ values: JSON.stringify(values), attachments: JSON.stringify(attachments), version: locked.version + 1, updatedAt: now })
        .where('id', '=', locked.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      return toDraft(row)
    }
    const row = await trx
      .insertInto('onlineDrafts')
      .values({ id: crypto.randomUUID(), citizenId: citizen.citizenId, procedureCode: c.ctx.procedure.code, values: JSON.stringify(values), attachments: JSON.stringify(attachments), dossierId: null, createdAt: now, updatedAt: now })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toDraft(row)
  })
}

/** A document of an online dossier with its digitisation status (DOMAIN B §7.3). */
interface DocumentStatus {
  position: number
  requirement: string
  documentId: string | null
  digitisationStatus: 0 | 1 | 2 | 3
  reuseKind: 0 | 1 | 2
  walletItemId: string | null
  sourceDossierId: string | null
}

/**
 * B §7.3: a wallet result reused is TrangThaiSoHoa 3 (DuocTaiSuDung 2), any other wallet document
 * (an earlier upload, a digitised paper) 2 (DuocTaiSuDung 1); a new upload is 1; nothing, 0.
 */
export function reuseStatusOf(source: WalletSource): { digitisationStatus: 2 | 3; reuseKind: 1 | 2 } {
  return source === 'result' ? { digitisationStatus: 3, reuseKind: 2 } : { digitisationStatus: 2, reuseKind: 1 }
}

/**
 * Submits the e-form: everything checked first (nothing written on any problem), then in one
 * transaction the dossier through the lifecycle (`submitOnline`), its files (the applicant's
 * `attach_file` event), who acted for whom, each document's digitisation/reuse status, the new
 * uploads into the applicant's wallet, and an `online.submitted` event for the indices.
 */
export async function submitForm(deps: OnlineDeps, applicantCitizenId: string, actor: OnlineActor, post: FormPost): Promise<DossierRow> {
  const c = await checkPost(deps, applicantCitizenId, actor.kind === 'citizen' ? actor.citizenId : undefined, post, true)
  const now = deps.clock.now()
  const person: ApplicantPrincipal = { kind: 'applicant', id: actorId(actor), name: actor.name }
  return inTransaction(deps.db, async (trx) => {
    if (c.draft) await getMyDraft(trx, actor.kind === 'citizen' ? actor.citizenId : applicantCitizenId, c.draft.id, { lock: true }) // a second submit of the same draft waits, then finds it used
    // Issue 6 §5: a team member acts for a citizen only under that citizen's recorded consent (locked until commit).
    if (actor.kind === 'team_member') await assertActingFor(trx, { memberCitizenId: actor.accountId, consentId: actor.consentRef, applicantCitizenId }, now)
    // The bytes first, before the dossier takes any lock.
    await storeBlobs(trx, deps.documents, c.uploads.map((u) => u.file))
    const { applicant, extra, caseName, communeCode } = c.clean
    const provided = new Set([...c.kept, ...c.uploads, ...c.reuses].map((p) => p.position))
    let d = await submitOnline(trx, dossierDeps(deps), { id: person.id, name: person.name, role: 'applicant', agencyId: null }, {
      procedureCode: c.ctx.procedure.code,
      caseName,
      communeCode,
      applicant: { fullName: applicant.fullName, idNumber: applicant.idNumber, phone: applicant.phone, email: applicant.email, address: applicant.address },
      documents: c.ctx.requirements.map((r, i) => ({ name: r.name, originals: r.originals, certifiedCopies: 0, photocopies: r.copies, received: provided.has(i) })),
      returnMethod: 'online',
      limit: c.ctx.limitKnown ? undefined : (c.ctx.definition?.defaultLimit ?? undefined),
    })
    const uploaded = c.uploads.length ? await createDocuments(trx, deps.documents, c.uploads.map((u) => u.file), { kind: 'citizen_upload', ownerSubject: c.applicant.identityNumber, createdBy: person.id }) : []
    const keptDocs = await findDocuments(trx, c.kept.map((k) => k.documentId))
    const reusedDocs = await findDocuments(trx, c.reuses.map((r) => r.item.documentId))
    const byId = new Map([...uploaded, ...keptDocs, ...reusedDocs].map((f) => [f.id, f]))
    const ordered = [...new Set([...c.kept.map((k) => k.documentId), ...uploaded.map((u) => u.id), ...c.reuses.map((r) => r.item.documentId)])].flatMap((id) => byId.get(id) ?? [])
    d = await attachApplicantDocuments(trx, { clock: deps.clock, maxFilesPerDossier: deps.documents.limits.maxFilesPerDossier }, person, d, ordered)

    // Each requirement's status (B §7.3): reused from the wallet, uploaded (now or into the draft), or none.
    const walletOf = new Map(c.reuses.map((r) => [r.position, r.item]))
    for (const k of c.kept) {
      if (!k.walletItemId) continue
      const item = await findWalletItem(trx, c.applicant.identityNumber, k.walletItemId)
      if (item) walletOf.set(k.position, item)
    }
    const docAt = new Map<number, string>([...c.kept.map((k) => [k.position, k.documentId] as const), ...c.uploads.map((u, i) => [u.position, uploaded[i]!.id] as const), ...c.reuses.map((r) => [r.position, r.item.documentId] as const)])
    const statuses: DocumentStatus[] = c.ctx.requirements.map((r, position) => {
      const item = walletOf.get(position)
      const documentId = docAt.get(position) ?? null
      if (item) return { position, requirement: r.name, documentId, ...reuseStatusOf(item.source), walletItemId: item.id, sourceDossierId: item.dossierId }
      return { position, requirement: r.name, documentId, digitisationStatus: documentId ? 1 : 0, reuseKind: 0, walletItemId: null, sourceDossierId: null }
    })
    if (statuses.length) await trx.insertInto('onlineDossierDocuments').values(statuses.map((s) => ({ ...s, dossierId: d.id, recordedAt: now }))).execute()

    await trx
      .insertInto('onlineSubmissions')
      .values({
        dossierId: d.id,
        applicantIdentityNumber: c.applicant.identityNumber,
        applicantCitizenId,
        actorKind: actor.kind,
        actorId: actorId(actor),
        actorName: actor.name,
        consentRef: actor.kind === 'team_member' ? actor.consentRef : null,
        draftId: c.draft?.id ?? null,
        extra: JSON.stringify(extra),
        submittedAt: now,
      })
      .execute()
    // New uploads join the applicant's wallet, to be reused next time instead of uploaded again.
    const newItems = [...uploaded, ...keptDocs.filter((k) => !c.kept.find((x) => x.documentId === k.id)?.walletItemId)]
    for (const f of newItems) {
      const position = [...docAt].find(([, id]) => id === f.id)?.[0]
      await addWalletItem(trx, { ownerIdentityNumber: c.applicant.identityNumber, documentId: f.id, source: 'upload', title: position !== undefined ? (c.ctx.requirements[position]?.name ?? f.name) : f.name, dossierId: d.id, legalCopy: false, at: now })
    }
    if (c.draft) await trx.updateTable('onlineDrafts').set({ dossierId: d.id, updatedAt: now }).where('id', '=', c.draft.id).execute()
    if (actor.kind === 'team_member') await recordConsentUse(trx, { consentId: actor.consentRef, memberCitizenId: actor.accountId, dossierId: d.id, dossierCode: d.code }, now)
    await appendOutboxEvent(trx, {
      topic: 'online.submitted',
      aggregateType: 'dossier',
      aggregateId: d.id,
      actorId: actorId(actor),
      payload: {
        dossierId: d.id,
        procedureCode: d.procedureCode,
        actorKind: actor.kind,
        // B §10: TaiKhoanDuocXacThucVoiVNeID, for the national portal sync.
        verifiedLevel2: actor.kind === 'citizen' && actor.assuranceLevel === 2,
        // B §7.3 per document, and HoSoCoThanhPhanSoHoa at dossier level.
        documents: statuses.map((s) => ({ position: s.position, trangThaiSoHoa: s.digitisationStatus, duocTaiSuDung: s.reuseKind })),
        hoSoCoThanhPhanSoHoa: statuses.some((s) => s.digitisationStatus > 0) ? 1 : 0,
      },
    })
    return d
  })
}

// ---- my dossiers -------------------------------------------------------------------------------------------

export class MyDossierNotFoundError extends NotFoundError {
  constructor(ref: string) {
    super('ONLINE.DOSSIER_NOT_FOUND', 'Không tìm thấy hồ sơ.', { ref })
  }
}

export interface Submission {
  dossierId: string
  applicantIdentityNumber: string
  applicantCitizenId: string | null
  actorId: string
  actorKind: 'citizen' | 'team_member'
  actorName: string
  extra: Record<string, string>
  submittedAt: Date
}

/** The citizen's online dossiers, newest first. */
export async function listMyDossiers(db: Db, citizenId: string): Promise<{ dossier: DossierRow; submission: Submission }[]> {
  const me = await getCitizen(db, citizenId)
  const subs = await db.selectFrom('onlineSubmissions').selectAll().where('applicantIdentityNumber', '=', me.identityNumber).orderBy('submittedAt', 'desc').orderBy('dossierId').limit(200).execute()
  const dossiers = new Map((await findDossiers(db, subs.map((s) => s.dossierId))).map((d) => [d.id, d]))
  return subs.flatMap((s) => {
    const d = dossiers.get(s.dossierId)
    return d ? [{ dossier: d, submission: { ...s, extra: (s.extra ?? {}) as Record<string, string> } }] : []
  })
}

/**
 * The citizen's own dossier, by id or code. Anyone else's — or an unknown one — is the same 404:
 * the answer says nothing about whether it exists.
 */
export async function getMyDossier(db: Db | Trx, citizenId: string, ref: string): Promise<{ dossier: DossierRow; submission: Submission }> {
  let id = UUID.test(ref) ? ref : undefined
  if (!id && /^[0-9A-Za-z.-]{5,60}$/.test(ref)) id = (await db.selectFrom('dossiers').select('id').where('code', '=', ref.toUpperCase()).executeTakeFirst())?.id
  // Whose dossier it is goes by identity number: the same person whatever account they used.
  const me = await getCitizen(db, citizenId)
  const s = id ? await db.selectFrom('onlineSubmissions').selectAll().where('dossierId', '=', id).where('applicantIdentityNumber', '=', me.identityNumber).executeTakeFirst() : undefined
  if (!s) throw new MyDossierNotFoundError(ref)
  return { dossier: await getDossier(db, s.dossierId), submission: { ...s, extra: (s.extra ?? {}) as Record<string, string> } }
}

/** A result of this dossier: a result file the office attached (a result reused from the wallet was attached by the applicant). */
const isOfficeResult = (s: Pick<Submission, 'applicantCitizenId' | 'actorId'>, f: DossierFileView) => f.kind === 'result' && f.attachedBy.id !== s.actorId && f.attachedBy.id !== s.applicantCitizenId

/** Which files the applicant sees: everything but the office's result drafts before the decision. */
const visibleToApplicant = (d: DossierRow, s: Pick<Submission, 'applicantCitizenId' | 'actorId'>, f: DossierFileView) =>
  !isOfficeResult(s, f) || (['decided', 'returned'].includes(d.status) && d.decision === 'approved')

/** The dossier page's data: public view, the last supplement request, files, document statuses. */
export async function myDossierDetail(db: Db, citizenId: string, ref: string) {
  const { dossier, submission } = await getMyDossier(db, citizenId, ref)
  const [view, supplement, files, documents] = await Promise.all([
    publicView(db, dossier),
    lastSupplementRequest(db, dossier.id),
    listDossierFiles(db, dossier.id),
    db.selectFrom('onlineDossierDocuments').selectAll().where('dossierId', '=', dossier.id).orderBy('position').execute(),
  ])
  const visible = files.filter((f) => visibleToApplicant(dossier, submission, f))
  return {
    dossier,
    submission,
    view,
    supplement: ['awaiting_supplement', 'awaiting_supplement_intake'].includes(dossier.status) ? supplement : undefined,
    files: visible.filter((f) => !isOfficeResult(submission, f)),
    results: visible.filter((f) => isOfficeResult(submission, f)),
    documents,
  }
}

/** One file of the citizen's own dossier, with its bytes; 404 for anything else. */
export async function openMyDossierFile(deps: OnlineDeps, citizenId: string, ref: string, documentId: string) {
  const { dossier, submission } = await getMyDossier(deps.db, citizenId, ref)
  const [file] = UUID.test(documentId) ? await listDossierFiles(deps.db, dossier.id, documentId) : []
  if (!file || !visibleToApplicant(dossier, submission, file)) throw new NotFoundError('ONLINE.FILE_NOT_FOUND', 'Không tìm thấy tệp.', { documentId })
  const { body } = await readDocument(deps.db, deps.documents, file.id)
  return { file, body }
}

const applicantOf = (c: CitizenPrincipal): ApplicantPrincipal => ({ kind: 'applicant', id: c.citizenId, name: c.fullName })

/** Withdraws the citizen's own dossier (lifecycle `withdraw`, with the reason given). */
export async function withdrawMine(deps: OnlineDeps, citizen: CitizenPrincipal, ref: string, input: { expectedVersion: number; reason: string }): Promise<DossierRow> {
  const reason = input.reason.normalize('NFC').trim()
  if (!reason) throw new ValidationError('ONLINE.REASON_REQUIRED', 'Cần ghi lý do rút hồ sơ.', { fields: { reason: ['Cần ghi lý do rút hồ sơ.'] } })
  if (reason.length > 1000) throw new ValidationError('ONLINE.REASON_TOO_LONG', 'Lý do quá dài (tối đa 1000 ký tự).', { fields: { reason: ['Lý do quá dài (tối đa 1000 ký tự).'] } })
  return inTransaction(deps.db, async (trx) => {
    const { dossier } = await getMyDossier(trx, citizen.citizenId, ref)
    return act(trx, dossierDeps(deps), applicantOf(citizen), dossier.id, { action: 'withdraw', expectedVersion: input.expectedVersion, note: reason, reason })
  })
}

/** Hands in a requested supplement with its files (checked first; nothing written on a problem). */
export async function supplementMine(deps: OnlineDeps, citizen: CitizenPrincipal, ref: string, input: { expectedVersion: number; note?: string | undefined; files: IncomingFile[] }): Promise<DossierRow> {
  const { dossier } = await getMyDossier(deps.db, citizen.citizenId, ref)
  if (!['awaiting_supplement', 'awaiting_supplement_intake'].includes(dossier.status)) throw new ConflictError('ONLINE.NO_SUPPLEMENT_REQUESTED', 'Hồ sơ không ở trạng thái chờ bổ sung.', { status: dossier.status })
  const existing = (await listDossierFiles(deps.db, dossier.id)).length
  const files = await prepareFiles(deps.documents, input.files, { existingCount: existing, required: true, field: 'files' })
  const owner = await getCitizen(deps.db, citizen.citizenId)
  return inTransaction(deps.db, async (trx) => {
    await storeBlobs(trx, deps.documents, files)
    const docs = await createDocuments(trx, deps.documents, files, { kind: 'citizen_upload', ownerSubject: owner.identityNumber, createdBy: citizen.citizenId })
    const d = await handInSupplement(trx, { ...dossierDeps(deps), maxFilesPerDossier: deps.documents.limits.maxFilesPerDossier }, applicantOf(citizen), dossier.id, { expectedVersion: input.expectedVersion, docs, note: input.note })
    for (const f of docs) await addWalletItem(trx, { ownerIdentityNumber: owner.identityNumber, documentId: f.id, source: 'upload', title: f.name, dossierId: d.id, legalCopy: false, at: deps.clock.now() })
    return d
  })
}

// ---- the document wallet -----------------------------------------------------------------------------------

export interface WalletRow {
  id: string
  ownerIdentityNumber: string
  documentId: string
  source: WalletSource
  title: string
  dossierId: string | null
  resultCode: string | null
  legalCopy: boolean
  addedAt: Date
}

export async function findWalletItem(db: Db | Trx, ownerIdentityNumber: string, id: string): Promise<WalletRow | undefined> {
  if (!UUID.test(id)) return undefined
  return db.selectFrom('walletItems').selectAll().where('id', '=', id).where('ownerIdentityNumber', '=', ownerIdentityNumber).executeTakeFirst()
}

/** Adds a document to its owner's wallet (once per document). */
export async function addWalletItem(trx: Trx, item: { ownerIdentityNumber: string; documentId: string; source: WalletSource; title: string; dossierId: string | null; resultCode?: string | null; legalCopy: boolean; at: Date }): Promise<void> {
  if (!/^\d{12}$/.test(item.ownerIdentityNumber)) return // a business's tax code or nothing: no personal wallet
  await trx
    .insertInto('walletItems')
    .values({ id: crypto.randomUUID(), ownerIdentityNumber: item.ownerIdentityNumber, documentId: item.documentId, source: item.source, title: item.title.slice(0, 500), dossierId: item.dossierId, resultCode: item.resultCode ?? null, legalCopy: item.legalCopy, addedAt: item.at })
    .onConflict((oc) => oc.columns(['ownerIdentityNumber', 'documentId']).doNothing())
    .execute()
}

export interface WalletEntry extends WalletRow {
  document: DocumentRecord | undefined
  reuses: { dossierId: string; digitisationStatus: number; reuseKind: number; recordedAt: Date }[]
}

/** The citizen's wallet, newest first, each item with its document and where it was reused. */
export async function listWallet(db: Db, ownerIdentityNumber: string): Promise<WalletEntry[]> {
  const items = await db.selectFrom('walletItems').selectAll().where('ownerIdentityNumber', '=', ownerIdentityNumber).orderBy('addedAt', 'desc').orderBy('id').limit(500).execute()
  if (!items.length) return []
  const [docs, reuses] = await Promise.all([
    findDocuments(db, items.map((i) => i.documentId)),
    db.selectFrom('onlineDossierDocuments').select(['walletItemId', 'dossierId', 'digitisationStatus', 'reuseKind', 'recordedAt']).where('walletItemId', 'in', items.map((i) => i.id)).orderBy('recordedAt').execute(),
  ])
  const docOf = new Map(docs.map((d) => [d.id, d]))
  return items.map((i) => ({ ...i, document: docOf.get(i.documentId), reuses: reuses.filter((r) => r.walletItemId === i.id) }))
}

/** A wallet item's bytes for its owner; 404 for anyone else. */
export async function openWalletItem(deps: OnlineDeps, ownerIdentityNumber: string, id: string) {
  const item = await findWalletItem(deps.db, ownerIdentityNumber, id)
  if (!item) throw new NotFoundError('ONLINE.WALLET_ITEM_NOT_FOUND', 'Không tìm thấy giấy tờ trong kho của bạn.', { id })
  const { record, body } = await readDocument(deps.db, deps.documents, item.documentId)
  return { item, record, body }
}

export type { FieldErrors }

/** What online services hold about one citizen, for their own data export: drafts, submissions they made or that are theirs, wallet items with their reuses. */
export async function onlinePersonalData(db: Db, citizenId: string, identityNumber: string) {
  const [drafts, submissions, wallet] = await Promise.all([
    db.selectFrom('onlineDrafts').selectAll().where('citizenId', '=', citizenId).orderBy('updatedAt').execute(),
    db
      .selectFrom('onlineSubmissions')
      .selectAll()
      .where((eb) => eb.or([eb('applicantIdentityNumber', '=', identityNumber), eb('actorId', '=', citizenId)]))
      .orderBy('submittedAt')
      .execute(),
    listWallet(db, identityNumber),
  ])
  return { drafts, submissions, wallet }
}
