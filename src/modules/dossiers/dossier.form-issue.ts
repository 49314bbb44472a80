import crypto from 'node:crypto'
import type { Clock } from '../../shared/clock.js'
import type { Db } from '../../shared/database.js'
import { DomainError, NotFoundError } from '../../shared/errors.js'
import { findStaffMember } from '../identity/index.js'
import { findAgencyById } from '../org/index.js'
import { renderFormPdf, templateFor, type FormInput, type FormTimeLimit } from './dossier.forms.js'
import { getDossier, type DossierRow } from './dossier.repo.js'
import type { DocumentLine, PersonJson } from './dossier.tables.js'
import { planView, storedPlan } from './dossier.workflow.js'

/** Forms a single dossier can have; the register (07) is per agency and year. */
export const DOSSIER_FORM_KINDS = ['receipt', 'supplement', 'refusal', 'apology', 'stop', 'control'] as const
export type DossierFormKind = (typeof DOSSIER_FORM_KINDS)[number]

/** The event each form documents: the form is issued once for it and stored. */
const SOURCE_ACTIONS: Record<DossierFormKind, string[]> = {
  receipt: ['receive'],
  supplement: ['request_supplement', 'request_supplement_intake'],
  refusal: ['refuse', 'reject'],
  apology: ['approve_apology'],
  stop: ['stop'],
  control: [],
}

const RETURN_METHOD: Record<string, string> = { counter: 'Bộ phận một cửa nơi nộp hồ sơ', post: 'Dịch vụ bưu chính công ích', online: 'Trực tuyến, trên Cổng dịch vụ công' }

function limitOf(d: DossierRow): FormTimeLimit {
  const unit = d.limitUnit === 'calendar_days' || d.limitUnit === 'working_hours' ? d.limitUnit : 'working_days'
  return { value: d.limitAmount, unit }
}

const person = (p: PersonJson) => ({ name: p.fullName, address: p.address, phone: p.phone, email: p.email, idNumber: p.idNumber })

export interface IssuedForm {
  id: string
  kind: DossierFormKind
  formCode: string
  sha256: string
  bytes: Buffer
  issuedAt: Date
}

/**
 * The stored PDF of a form for the dossier's latest event of its kind, issued (rendered and
 * stored with its SHA-256) on first request. The control sheet (06) is issued for the dossier's
 * current state. Printing again returns the stored bytes unchanged.
 */
export async function issueDossierForm(deps: { db: Db; clock: Clock; publicUrl: string }, dossierId: string, kind: DossierFormKind, actorId: string | null): Promise<IssuedForm> {
  const { db } = deps
  const d = await getDossier(db, dossierId)
  const events = await db.selectFrom('dossierEvents').selectAll().where('dossierId', '=', d.id).orderBy('seq').execute()
  const source = kind === 'control' ? events[events.length - 1] : [...events].reverse().find((e) => SOURCE_ACTIONS[kind].includes(e.action))
  if (!source) throw new NotFoundError('DOSSIER.FORM_NOT_ISSUED', 'Hồ sơ chưa có sự kiện tương ứng với mẫu phiếu này.', { kind })
  const stored = await db.selectFrom('dossierForms').selectAll().where('dossierId', '=', d.id).where('kind', '=', kind).where('sourceSeq', '=', source.seq).executeTakeFirst()
  if (stored) return { id: stored.id, kind, formCode: stored.formCode, sha256: stored.sha256, bytes: stored.bytes, issuedAt: stored.issuedAt }

  const [receiving, competent] = await Promise.all([findAgencyById(db, d.receivingAgencyId), findAgencyById(db, d.competentAgencyId)])
  const officer = source.actorId ? await findStaffMember(db, source.actorId) : undefined
  const common = {
    issuedAt: source.occurredAt,
    place: 'Cà Mau',
    publicBaseUrl: deps.publicUrl,
    agencies: { receiving: { name: receiving?.name ?? d.receivingAgencyId }, competent: { name: competent?.name ?? d.competentAgencyId } },
    dossier: { code: d.code ?? `Số tham chiếu ${d.id.slice(0, 8)}`, receivedAt: d.receivedAt, procedureName: d.procedureName, applicant: person(d.applicant as PersonJson), owner: d.owner ? person(d.owner as PersonJson) : null },
  }
  const received = () => {
    if (!d.receivedAt) throw new DomainError('conflict', 'DOSSIER.NOT_RECEIVED', 'Hồ sơ chưa được tiếp nhận.')
    return { ...common.dossier, receivedAt: d.receivedAt }
  }
  const data = (source.data ?? {}) as Record<string, unknown>
  const signer = { name: officer?.fullName ?? source.actorName, title: 'Lãnh đạo cơ quan' }
  const docs = (d.documents as DocumentLine[]).map((x) => ({ name: x.name, originals: x.originals, certifiedCopies: x.certifiedCopies, photocopies: x.photocopies }))
  let input: FormInput
  switch (kind) {
    case 'receipt':
      input = { ...common, kind, dossier: received(), documents: docs.filter((_, i) => (d.documents as DocumentLine[])[i]?.received !== false), sets: d.sets, timeLimit: limitOf(d), appointmentAt: typeof data['dueAt'] === 'string' ? new Date(data['dueAt']) : (d.dueAt ?? d.receivedAt!), resultDelivery: RETURN_METHOD[d.returnMethod] ?? d.returnMethod, officer: { name: source.actorName } }
      break
    case 'supplement':
      input = { ...common, kind, items: ((data['missing'] as string[] | undefined) ?? []).map((name) => ({ name, originals: 1, certifiedCopies: 0, photocopies: 0 })), reason: source.reason ?? '', officer: { name: source.actorName } }
      break
    case 'refusal':
      input = { ...common, kind, reason: source.reason ?? '', officer: { name: source.actorName } }
      break
    case 'apology': {
      const apology = await db.selectFrom('dossierApologies').selectAll().where('id', '=', String(data['apologyId'])).executeTakeFirstOrThrow()
      input = { ...common, kind, dossier: received(), originalAppointmentAt: apology.oldDueAt, newAppointmentAt: apology.proposedDueAt, reason: apology.reason, signer }
      break
    }
    case 'stop':
      input = { ...common, kind, dossier: received(), reason: source.reason ?? '', stageReached: source.fromStatus ?? '', signer }
      break
    case 'control': {
      const steps = await db.selectFrom('dossierSteps').selectAll().where('dossierId', '=', d.id).orderBy('seq').execute()
      const names = new Map<string, string>()
      for (const e of events) if (e.actorId) names.set(e.actorId, e.actorName)
      const agencyName = async (id: string) => (await findAgencyById(db, id))?.name ?? id
      const handovers = []
      for (const s of steps) {
        handovers.push({ from: s.givenBy ? (names.get(s.givenBy) ?? '') : '', to: await agencyName(s.agencyId), at: s.startedAt, giver: s.givenBy ? (names.get(s.givenBy) ?? '') : '', receiver: s.receivedBy ? (names.get(s.receivedBy) ?? '') : '', result: (s.outcome as 'early' | 'on_time' | 'late' | null) ?? null, note: s.name })
      }
      const view = planView(storedPlan(d.workflowPlan), steps)
      const plan = []
      for (const s of view?.steps ?? []) plan.push({ name: s.name, agency: await agencyName(s.agencyId), dueAt: new Date(s.dueAt), state: s.state, parallel: s.parallel })
      input = { ...common, kind, dossier: received(), timeLimit: limitOf(d), appointmentAt: d.appointmentAt ?? d.dueAt ?? d.receivedAt!, documents: docs, handovers, plan }
      break
    }
  }
  const bytes = await renderFormPdf(input)
  const template = templateFor(kind, d.receivedAt)
  const row = { id: crypto.randomUUID(), dossierId: d.id, kind, sourceSeq: source.seq, formCode: template.code, numbering: template.numbering, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), bytes, issuedAt: source.occurredAt, issuedBy: actorId }
  // A concurrent first print stores the same bytes; the unique index keeps one.
  await db.insertInto('dossierForms').values(row).onConflict((oc) => oc.columns(['dossierId', 'kind', 'sourceSeq']).doNothing()).execute()
  const kept = await db.selectFrom('dossierForms').selectAll().where('dossierId', '=', d.id).where('kind', '=', kind).where('sourceSeq', '=', source.seq).executeTakeFirstOrThrow()
  return { id: kept.id, kind, formCode: kept.formCode, sha256: kept.sha256, bytes: kept.bytes, issuedAt: kept.issuedAt }
}

/** Which forms this dossier has an event for (links on the dossier page). */
export async function availableForms(db: Db, d: DossierRow): Promise<DossierFormKind[]> {
  const actions = new Set((await db.selectFrom('dossierEvents').select('action').where('dossierId', '=', d.id).execute()).map((e) => e.action))
  return DOSSIER_FORM_KINDS.filter((k) => (k === 'control' ? !!d.receivedAt : SOURCE_ACTIONS[k].some((a) => actions.has(a))))
}
