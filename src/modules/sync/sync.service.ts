import { sql } from 'kysely'
import { z } from 'zod'
import { ROLE_LABELS, type StaffRole } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db } from '../../shared/database.js'
import { DomainError } from '../../shared/errors.js'
import { delivered, failPermanently, retryLater, type DeliveryOutcome, type DispatchedEvent, type OutboxSubscriber } from '../../shared/outbox-dispatcher.js'
import { DOSSIER_ACTIONS, findDossier, submitOnline, type DossierRow, type PersonJson } from '../dossiers/index.js'
import { findAgencyById } from '../org/index.js'
import type { NationalPortal, PortalResult } from './sync.portal.js'
import { eventKey, portalTime, type PortalDossier, type PortalEvent, type PortalSubmission } from './sync.protocol.js'
import './sync.tables.js'

// National portal sync (issue 7 §2, DOMAIN B §12.2, A8): every dossier event goes to the portal
// after commit through the outbox dispatcher, in order per dossier, with the dossier's record
// created or updated before it. A resend never duplicates: events already recorded as synced are
// not sent again, a create answered "đã tồn tại" becomes an update, and the portal recognises an
// event it already holds (the drills check that at the simulator).

export interface SyncDeps {
  db: Db
  clock: Clock
  portal: NationalPortal
  provinceCode: string
}

/** The dispatcher's name for this subscriber (delivery records, metrics, the administrator page). */
export const PORTAL_SUBSCRIBER = 'national-portal'
/** Every dossier event. */
export const DOSSIER_TOPICS = DOSSIER_ACTIONS.map((a) => `dossier.${a}`)

/** The dossier event payload (dossier.repo outboxEvent), as read back from the database. */
export const DossierEventPayload = z.object({
  dossierId: z.string(),
  code: z.string().nullable(),
  seq: z.number().int(),
  action: z.string(),
  status: z.string(),
  nationalStatusCode: z.number().int().min(1).max(10),
  actor: z.object({ id: z.string().nullable(), name: z.string(), role: z.string(), agencyId: z.string().nullable() }),
  content: z.string(),
  reason: z.string().nullable(),
  occurredAt: z.string(),
  stepDueAt: z.string().nullable(),
  dueAt: z.string().nullable(),
})
export type DossierEventPayload = z.infer<typeof DossierEventPayload>

/** Actions that change the record's fields (appointment, unit) without changing its status. */
const RECORD_ACTIONS = new Set(['approve_apology', 'recompute_due', 'transfer'])

const CHANNEL_CODE = { counter: 1, online: 2, national_portal: 2, post: 3 } as const

async function agencyName(db: Db, id: string | null): Promise<string | undefined> {
  if (!id) return undefined
  return (await findAgencyById(db, id))?.name
}

/** HoSoDongBoDVC for a dossier as it stands, with the status of the event being sent (B §12.2). */
export async function toPortalDossier(db: Db, d: DossierRow, code: string, statusCode: number): Promise<PortalDossier> {
  const owner = (d.owner ?? d.applicant) as PersonJson
  const applicant = d.applicant as PersonJson
  const id = owner.idNumber ?? applicant.idNumber
  const t = (x: Date | null) => (x ? portalTime(x) : undefined)
  const unit = await agencyName(db, d.competentAgencyId)
  const record: PortalDossier = {
    MaHoSo: code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName.slice(0, 1000),
    KenhThucHien: CHANNEL_CODE[d.channel],
    ChuHoSo: owner.fullName.slice(0, 300),
    LoaiDoiTuong: 1,
    TrichYeuHoSo: (d.caseName ? `${d.procedureName} (${d.caseName})` : d.procedureName).slice(0, 1000),
    NgayNopHoSo: portalTime(d.submittedAt),
    TrangThaiHoSo: statusCode,
  }
  if (code !== d.code && d.code) record.MaHoSoKhac = d.code
  if (id) record.SoGiayToChuHoSo = id
  if (id && /^\d{9}(\d{3})?$/.test(id)) record.DinhDanhCHS = [{ LoaiDinhDanh: id.length === 12 ? 1 : 2, SoDinhDanh: id }]
  if (applicant.email) record.Email = applicant.email.slice(0, 200)
  if (applicant.phone) record.SoDienThoai = applicant.phone.slice(0, 20)
  const dates = { NgayTiepNhan: t(d.receivedAt), NgayHenTra: t(d.appointmentAt), NgayTra: t(d.returnedAt), NgayKetThucXuLy: t(d.decidedAt), NgayTuChoi: d.status === 'refused' ? t(d.updatedAt) : undefined }
  for (const [k, v] of Object.entries(dates)) if (v) (record as Record<string, unknown>)[k] = v
  if (unit) record.DonViXuLy = unit.slice(0, 300)
  return record
}

/** QuaTrinhXuLyDongBoDVC for one event: officer, title, unit, content, time, step deadline (B §12.2, A8). */
export async function toPortalEvent(db: Db, p: DossierEventPayload, code: string): Promise<PortalEvent> {
  const title = p.actor.role in ROLE_LABELS ? ROLE_LABELS[p.actor.role as StaffRole].vi : p.actor.role === 'system' ? 'Hệ thống' : p.actor.role
  const unit = (await agencyName(db, p.actor.agencyId)) ?? 'Hệ thống thông tin giải quyết TTHC'
  const at = new Date(p.occurredAt)
  const due = p.stepDueAt ?? p.dueAt
  const e: PortalEvent = {
    MaHoSo: code,
    NguoiXuLy: p.actor.name.slice(0, 50),
    ChucDanh: title.slice(0, 200),
    ThoiDiemXuLy: portalTime(at),
    PhongBanXuLy: unit.slice(0, 300),
    NoiDungXuLy: (p.reason ? `${p.content}. Lý do: ${p.reason}` : p.content).slice(0, 2000),
    TrangThai: p.nationalStatusCode,
    NgayBatDau: portalTime(at),
  }
  if (due) e.NgayKetThucTheoQuyDinh = portalTime(new Date(due))
  return e
}

/** The failure a portal answer means for the dispatcher, or undefined when it went through. */
function outcomeOf(what: string, r: PortalResult): DeliveryOutcome | undefined {
  switch (r.kind) {
    case 'ok':
    case 'exists':
      return undefined
    case 'not_found':
      return retryLater(`${what}: portal does not know the dossier (${r.answer.message})`)
    case 'rejected':
      return failPermanently(`${what}: ${r.message}`)
    case 'unavailable':
      return retryLater(`${what}: ${r.message}`)
  }
}

/** Creates the record, or updates it when the portal has it already (B §12.2). */
async function upsertRecord(portal: NationalPortal, record: PortalDossier, known: boolean): Promise<DeliveryOutcome | undefined> {
  let r = known ? await portal.updateDossier(record) : await portal.createDossier(record)
  if (!known && r.kind === 'exists') r = await portal.updateDossier(record)
  if (known && r.kind === 'not_found') {
    r = await portal.createDossier(record)
    if (r.kind === 'exists') r = await portal.updateDossier(record)
  }
  return outcomeOf(known ? 'update' : 'create', r)
}

/** Delivers one dossier event to the portal: the record first, then the event (and any held back before the dossier had a code). */
export async function deliverToPortal(deps: SyncDeps, ev: DispatchedEvent): Promise<DeliveryOutcome> {
  const parsed = DossierEventPayload.safeParse(ev.payload)
  if (!parsed.success) return failPermanently(`unreadable dossier event payload: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`)
  const p = parsed.data
  const { db } = deps
  const done = await db.selectFrom('syncPortalEvents').select('state').where('eventId', '=', ev.id).executeTakeFirst()
  if (done?.state === 'synced') return delivered()
  const d = await findDossier(db, p.dossierId)
  if (!d) return failPermanently(`dossier ${p.dossierId} not found`)
  const rec = await db.selectFrom('syncPortalDossiers').selectAll().where('dossierId', '=', d.id).executeTakeFirst()
  const code = rec?.portalCode ?? d.code
  const base = { eventId: ev.id, dossierId: d.id, seq: p.seq, statusCode: p.nationalStatusCode, occurredAt: new Date(p.occurredAt) }
  if (!code) {
    // No code yet (submitted online, not received): the portal cannot file it. Sent with the first coded event.
    await db.insertInto('syncPortalEvents').values({ ...base, state: 'deferred', syncedAt: null }).onConflict((oc) => oc.column('eventId').doNothing()).execute()
    return delivered()
  }
  if (!rec || rec.statusCode !== p.nationalStatusCode || RECORD_ACTIONS.has(p.action)) {
    const failed = await upsertRecord(deps.portal, await toPortalDossier(db, d, code, p.nationalStatusCode), rec !== undefined)
    if (failed) return failed
    const now = deps.clock.now()
    await db
      .insertInto('syncPortalDossiers')
      .values({ dossierId: d.id, portalCode: code, statusCode: p.nationalStatusCode, createdAt: now, updatedAt: now })
      .onConflict((oc) => oc.column('dossierId').doUpdateSet({ statusCode: p.nationalStatusCode, updatedAt: now }))
      .execute()
  }
  const held = await db.selectFrom('syncPortalEvents').select('eventId').where('dossierId', '=', d.id).where('state', '=', 'deferred').where('eventId', '<', ev.id).orderBy('eventId').execute()
  const earlier = held.length
    ? await db.selectFrom('outboxEvents').select(['id', 'payload']).where('id', 'in', held.map((h) => h.eventId)).orderBy('id').execute()
    : []
  let batch = await Promise.all([...earlier.map((e) => ({ id: e.id, p: DossierEventPayload.parse(e.payload) })), { id: ev.id, p }].map(async (c) => ({ ...c, e: await toPortalEvent(db, c.p, code) })))
  if (ev.redelivery) {
    // An earlier attempt may have reached the portal without our hearing the answer (a dropped
    // connection, a timeout, a worker killed): send only what the portal does not hold yet.
    let view
    try {
      view = await deps.portal.view(code)
    } catch (e) {
      return retryLater(`view before resend: ${e instanceof Error ? e.message : String(e)}`)
    }
    const held = new Set((view?.QuaTrinhXuLy ?? []).map(eventKey))
    const already = batch.filter((c) => held.has(eventKey(c.e)))
    await markSynced(db, d.id, already, deps.clock.now())
    batch = batch.filter((c) => !held.has(eventKey(c.e)))
  }
  for (let i = 0; i < batch.length; i += 10) {
    const chunk = batch.slice(i, i + 10)
    const r = await deps.portal.sendProgress(chunk.map((c) => c.e))
    if (r.kind === 'not_found') {
      // The portal lost or never kept the record: create it again on the next attempt.
      await db.deleteFrom('syncPortalDossiers').where('dossierId', '=', d.id).execute()
    }
    const failed = outcomeOf('progress', r)
    if (failed) return failed
    await markSynced(db, d.id, chunk, deps.clock.now())
  }
  return delivered()
}

/** Records when events reached the portal (766 indicator 1.4); the first time counts. */
async function markSynced(db: Db, dossierId: string, events: { id: number; p: DossierEventPayload }[], now: Date) {
  for (const c of events) {
    await db
      .insertInto('syncPortalEvents')
      .values({ eventId: c.id, dossierId, seq: c.p.seq, statusCode: c.p.nationalStatusCode, occurredAt: new Date(c.p.occurredAt), state: 'synced', syncedAt: now })
      .onConflict((oc) => oc.column('eventId').doUpdateSet({ state: 'synced', syncedAt: now }).where('syncPortalEvents.state', '=', 'deferred'))
      .execute()
  }
}

/** The outbox subscriber that keeps the national portal in step with our dossiers. */
export function portalSubscriber(deps: SyncDeps): OutboxSubscriber {
  return { name: PORTAL_SUBSCRIBER, topics: DOSSIER_TOPICS, deliver: (ev) => deliverToPortal(deps, ev) }
}

// ---- intake from the portal -------------------------------------------------------------------

export interface IntakeReport {
  offered: number
  created: number
  alreadyTaken: number
  rejected: { portalDossierId: string; reason: string }[]
  unavailable?: string
}

/**
 * Takes in the dossiers submitted on the national portal: each becomes an online submission in
 * our lifecycle (status 1, awaiting receipt), once, whatever the number of times it is offered
 * (idempotent on the portal's id), and is acknowledged to the portal.
 */
export async function pullPortalSubmissions(deps: SyncDeps): Promise<IntakeReport> {
  const list = await deps.portal.listSubmitted()
  if (!list.ok) return { offered: 0, created: 0, alreadyTaken: 0, rejected: [], unavailable: list.message }
  const report: IntakeReport = { offered: list.items.length, created: 0, alreadyTaken: 0, rejected: [] }
  for (const s of list.items) {
    try {
      const r = await takeIn(deps, s)
      if (r.created) report.created++
      else report.alreadyTaken++
      const ack = await deps.portal.acknowledge(s.IdHoSoDVCQG, r.code)
      if (ack.kind === 'ok' || ack.kind === 'exists') {
        await deps.db.updateTable('syncPortalIntake').set({ acknowledgedAt: deps.clock.now() }).where('portalDossierId', '=', s.IdHoSoDVCQG).where('acknowledgedAt', 'is', null).execute()
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e
      report.rejected.push({ portalDossierId: s.IdHoSoDVCQG, reason: `${e.code}: ${e.message}` })
    }
  }
  return report
}

async function takeIn(deps: SyncDeps, s: PortalSubmission): Promise<{ created: boolean; code: string | null }> {
  const known = await deps.db.selectFrom('syncPortalIntake').select('dossierId').where('portalDossierId', '=', s.IdHoSoDVCQG).executeTakeFirst()
  if (known) return { created: false, code: (await findDossier(deps.db, known.dossierId))?.code ?? null }
  return inTransaction(deps.db, async (trx) => {
    const h = s.HoSo
    const d = await submitOnline(trx, { db: deps.db, clock: deps.clock, provinceCode: deps.provinceCode }, { id: null, name: h.ChuHoSo.slice(0, 200), role: 'citizen', agencyId: null }, {
      procedureCode: h.MaTTHC,
      communeCode: s.MaXa,
      applicant: { fullName: h.ChuHoSo, idNumber: h.SoGiayToChuHoSo, phone: h.SoDienThoai, email: h.Email, address: s.DiaChiChuHoSo },
    })
    const now = deps.clock.now()
    const inserted = await trx
      .insertInto('syncPortalIntake')
      .values({ portalDossierId: s.IdHoSoDVCQG, dossierId: d.id, receivedAt: now, acknowledgedAt: null })
      .onConflict((oc) => oc.column('portalDossierId').doNothing())
      .returning('dossierId')
      .executeTakeFirst()
    // Another worker took it in meanwhile: undo ours.
    if (!inserted) throw new DomainError('conflict', 'SYNC.ALREADY_TAKEN_IN', 'Hồ sơ đã được tiếp nhận từ Cổng DVCQG.')
    // The portal files it under its own code: our events go there.
    await trx.insertInto('syncPortalDossiers').values({ dossierId: d.id, portalCode: h.MaHoSo, statusCode: h.TrangThaiHoSo, createdAt: now, updatedAt: now }).execute()
    return { created: true, code: d.code }
  })
}

// ---- 766 indicator 1.4 -------------------------------------------------------------------------

/**
 * Dossiers with events in [from, to) and how many had every event reach the portal within
 * `withinMs` of happening (766 indicator 1.4 `DOSSIER_SYNC`, DOMAIN B §4): an event still not
 * synced counts as late once `withinMs` has passed.
 */
export async function syncPunctuality(db: Db, f: { from: Date; to: Date; withinMs: number; now: Date }): Promise<{ dossiers: number; onTime: number }> {
  const { rows } = await sql<{ dossiers: number; onTime: number }>`
    WITH per AS (
      SELECT e.dossier_id, bool_and(e.state = 'synced' AND e.synced_at - e.occurred_at <= ${`${f.withinMs} milliseconds`}::interval) AS on_time
      FROM sync_portal_events e WHERE e.occurred_at >= ${f.from} AND e.occurred_at < ${f.to}
      GROUP BY e.dossier_id)
    SELECT count(*)::int AS dossiers, count(*) FILTER (WHERE on_time)::int AS on_time FROM per`.execute(db)
  return rows[0] ?? { dossiers: 0, onTime: 0 }
}

