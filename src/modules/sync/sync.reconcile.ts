import { findDossier, NATIONAL_STATUS_CODE } from '../dossiers/index.js'
import { DossierEventPayload, DOSSIER_TOPICS, toPortalEvent, type SyncDeps } from './sync.service.js'
import { eventKey, type PortalEvent } from './sync.protocol.js'

// Reconciliation (issue 7 §2): per dossier, our status and events against the portal's view.
// Every difference is reported; nothing is changed (a replay from the administrator page, or the
// dispatcher's own retries, repairs what is missing).

export type DifferenceKind = 'dossier_missing' | 'status_mismatch' | 'missing_event' | 'extra_event' | 'duplicate_event' | 'out_of_order'

export interface Difference {
  dossierId: string
  code: string
  kind: DifferenceKind
  detail: string
}

export interface ReconcileReport {
  dossiers: number
  checked: number
  /** Dossiers without a code yet (submitted online, not received): the portal cannot hold them. */
  withoutCode: number
  eventsCompared: number
  differences: Difference[]
}

const describe = (e: PortalEvent) => `${e.ThoiDiemXuLy} [${e.TrangThai}] ${e.NguoiXuLy}: ${e.NoiDungXuLy.slice(0, 80)}`

/** Compares one dossier's events as we hold them with the portal's, in order. */
export function diffEvents(ours: PortalEvent[], theirs: PortalEvent[]): { kind: DifferenceKind; detail: string }[] {
  const out: { kind: DifferenceKind; detail: string }[] = []
  const count = (list: PortalEvent[]) => {
    const m = new Map<string, { n: number; e: PortalEvent }>()
    for (const e of list) {
      const k = eventKey(e)
      const c = m.get(k)
      if (c) c.n++
      else m.set(k, { n: 1, e })
    }
    return m
  }
  const a = count(ours)
  const b = count(theirs)
  for (const [k, { n, e }] of a) {
    const m = b.get(k)?.n ?? 0
    if (m < n) out.push({ kind: 'missing_event', detail: describe(e) })
  }
  for (const [k, { n, e }] of b) {
    const m = a.get(k)?.n ?? 0
    if (m === 0) out.push({ kind: 'extra_event', detail: describe(e) })
    else if (n > m) out.push({ kind: 'duplicate_event', detail: `${n} × ${describe(e)}` })
  }
  // Order: the events both sides hold, first occurrence each, in the same sequence.
  const firsts = (list: PortalEvent[], other: Map<string, unknown>) => [...new Set(list.map(eventKey))].filter((k) => other.has(k))
  const x = firsts(ours, b)
  const y = firsts(theirs, a)
  const i = x.findIndex((k, j) => y[j] !== k)
  if (i >= 0) out.push({ kind: 'out_of_order', detail: `position ${i + 1}: expected ${describe(a.get(x[i]!)!.e)}, portal has ${y[i] ? describe(b.get(y[i])!.e) : 'nothing'}` })
  return out
}

/** Compares the given dossiers (default: every dossier with events) with the portal's view. */
export async function reconcileWithPortal(deps: SyncDeps, opts: { dossierIds?: string[] } = {}): Promise<ReconcileReport> {
  const { db } = deps
  const ids =
    opts.dossierIds ??
    (await db.selectFrom('outboxEvents').select('aggregateId').distinct().where('aggregateType', '=', 'dossier').where('topic', 'in', DOSSIER_TOPICS).orderBy('aggregateId').execute()).map((r) => r.aggregateId)
  const report: ReconcileReport = { dossiers: ids.length, checked: 0, withoutCode: 0, eventsCompared: 0, differences: [] }
  for (const id of ids) {
    const d = await findDossier(db, id)
    if (!d) continue
    const rec = await db.selectFrom('syncPortalDossiers').select('portalCode').where('dossierId', '=', id).executeTakeFirst()
    const code = rec?.portalCode ?? d.code
    if (!code) {
      report.withoutCode++
      continue
    }
    report.checked++
    const events = await db.selectFrom('outboxEvents').select(['id', 'payload']).where('aggregateType', '=', 'dossier').where('aggregateId', '=', id).where('topic', 'in', DOSSIER_TOPICS).orderBy('id').execute()
    const ours: PortalEvent[] = []
    for (const e of events) {
      ours.push(await toPortalEvent(db, DossierEventPayload.parse(e.payload), code))
    }
    report.eventsCompared += ours.length
    const view = await deps.portal.view(code)
    const push = (kind: DifferenceKind, detail: string) => report.differences.push({ dossierId: id, code, kind, detail })
    if (!view) {
      push('dossier_missing', `${ours.length} event(s), status ${NATIONAL_STATUS_CODE[d.status]}`)
      continue
    }
    if (view.HoSo.TrangThaiHoSo !== NATIONAL_STATUS_CODE[d.status]) push('status_mismatch', `ours ${NATIONAL_STATUS_CODE[d.status]} (${d.status}), portal ${view.HoSo.TrangThaiHoSo}`)
    for (const diff of diffEvents(ours, view.QuaTrinhXuLy)) push(diff.kind, diff.detail)
  }
  return report
}
