import crypto from 'node:crypto'
import type { StaffPrincipal, StaffRole } from '../../shared/auth.js'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConflictError, DomainError, ForbiddenError, ValidationError } from '../../shared/errors.js'
import { consumeOutbox, hasPendingEvents } from '../../shared/outbox.js'
import { getProcedure } from '../catalog/index.js'
import { act, findDossier, getDossier, type DossierRow, type PersonJson } from '../dossiers/index.js'
import { findAgencyById } from '../org/index.js'
import { decideFee, type OnlineFeePolicy } from './payment.fees.js'
import { GatewayUnavailableError, nationalGateway, type GatewayResult, type PaymentGateway } from './payment.gateway.js'
import { gatewayTime, makeReference, OK_CODE, RESULT_CODES, transactionInfo } from './payment.protocol.js'
import {
  allocateReceiptNo,
  appendPaymentEvent,
  countReferences,
  dossiersAwaitingSync,
  findCatalogObligation,
  findIntent,
  findIntentByReference,
  getIntentForUpdate,
  getObligation,
  getObligationForUpdate,
  insertIntent,
  insertObligation,
  insertReceipt,
  listObligationsOfDossier,
  logCallback,
  openIntentOf,
  overdueIntents,
  setDossierCode,
  setDossierSync,
  updateIntent,
  updateObligation,
  type IntentRow,
  type ObligationRow,
} from './payment.repo.js'

/** Settings from configuration (src/app/config.ts); the secret never appears in code. */
export interface PaymentSettings {
  /** Base URL of the national payment platform; unset: online payment is off (counter payments still work). */
  gatewayUrl: string | undefined
  partnerCode: string
  secret: string
  /** How long we wait for a transaction's result before asking the platform and giving up on it. */
  timeoutMinutes: number
  onlineFee: OnlineFeePolicy
}

export interface PaymentDeps {
  db: Db
  clock: Clock
  provinceCode: string
  publicUrl: string
  settings: PaymentSettings
  /** The gateway adapter; undefined when online payment is not configured. */
  gateway: PaymentGateway | undefined
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void } | undefined
}

/** The service's dependencies from the module's and the payment settings; the adapter chosen by configuration. */
export function createPaymentDeps(m: { db: Db; clock: Clock; provinceCode: string; publicUrl: string }, settings: PaymentSettings, log?: PaymentDeps['log']): PaymentDeps {
  return {
    db: m.db,
    clock: m.clock,
    provinceCode: m.provinceCode,
    publicUrl: m.publicUrl,
    settings,
    gateway: settings.gatewayUrl ? nationalGateway({ baseUrl: settings.gatewayUrl, partnerCode: settings.partnerCode, secret: settings.secret }) : undefined,
    log,
  }
}

const OPEN_DOSSIER = ['submitted', 'awaiting_supplement_intake', 'received', 'processing', 'awaiting_supplement', 'awaiting_payment', 'decided']
/** Statuses from which an obligation can be paid (again). */
const PAYABLE = ['due', 'refused', 'expired'] as const
const UNSETTLED = ['needs_amount', 'due', 'pending', 'refused', 'expired']

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đồng`
const payerOf = (d: DossierRow) => (d.applicant as PersonJson).fullName

// ---- who may do what ------------------------------------------------------------------------------

/** The agencies whose officers see and act on a dossier's payments: receiving, competent, current. */
export function dossierAgencies(d: Pick<DossierRow, 'receivingAgencyId' | 'competentAgencyId' | 'currentAgencyId'>): string[] {
  return [...new Set([d.receivingAgencyId, d.competentAgencyId, d.currentAgencyId])]
}

const VIEWERS: readonly StaffRole[] = ['counter_officer', 'processing_officer', 'agency_leader']

/** Officers of the dossier's agencies see its payments; supervisors and administrators see all. */
export function assertMayView(officer: StaffPrincipal, d: DossierRow): void {
  if (officer.role === 'supervisor' || officer.role === 'admin') return
  if (!VIEWERS.includes(officer.role) || !dossierAgencies(d).includes(officer.agencyId)) {
    throw new ForbiddenError('Chỉ cán bộ của cơ quan tiếp nhận hoặc giải quyết hồ sơ được xem và ghi nhận khoản phí này.', 'PAYMENT.FORBIDDEN')
  }
}

function assertMayAct(officer: StaffPrincipal, d: DossierRow, roles: readonly StaffRole[], what: string): void {
  if (!roles.includes(officer.role) || !dossierAgencies(d).includes(officer.agencyId)) {
    throw new ForbiddenError(`Bạn không có quyền ${what} đối với hồ sơ này.`, 'PAYMENT.FORBIDDEN')
  }
}

// ---- obligations ----------------------------------------------------------------------------------

/**
 * The dossier's obligation for the fee its procedure version publishes for its channel, created
 * on first need (idempotent: one per dossier). None when nothing is owed (free, or exempt online).
 */
export async function ensureCatalogObligation(trx: Trx, deps: PaymentDeps, d: DossierRow): Promise<ObligationRow | undefined> {
  const existing = await findCatalogObligation(trx, d.id)
  if (existing || !OPEN_DOSSIER.includes(d.status)) return existing
  const proc = await getProcedure({ db: trx, clock: deps.clock }, d.procedureCode, { version: d.procedureVersion })
  const fee = decideFee(proc.content, d.channel, deps.settings.onlineFee)
  if (fee.kind === 'none') return undefined
  const now = deps.clock.now()
  const row = {
    id: crypto.randomUUID(),
    dossierId: d.id,
    dossierCode: d.code,
    procedureCode: d.procedureCode,
    procedureVersion: d.procedureVersion,
    procedureName: d.procedureName,
    channel: d.channel,
    agencyId: d.competentAgencyId,
    receivingAgencyId: d.receivingAgencyId,
    source: 'catalog' as const,
    description: fee.kind === 'amount' ? `Phí, lệ phí: ${fee.text}` : `Phí, lệ phí: ${fee.reason}`,
    basis: { fee: fee.basis, decision: fee.kind, ...(fee.kind === 'needs_amount' ? { candidates: fee.candidates } : {}) },
    amountVnd: fee.kind === 'amount' ? fee.amountVnd : null,
    status: fee.kind === 'amount' ? ('due' as const) : ('needs_amount' as const),
    payerName: payerOf(d),
    paidAt: null,
    paidMethod: null,
    paidIntentId: null,
    amountStatedBy: null,
    cancelledReason: null,
    createdAt: now,
    updatedAt: now,
  }
  if (await insertObligation(trx, row)) {
    const o = await getObligation(trx, row.id)
    await appendPaymentEvent(trx, 'obligation_created', o, null, now, { source: 'catalog', feeBearing: true })
    return o
  }
  return findCatalogObligation(trx, d.id)
}

/** A dossier's obligations for a page or an API answer, creating the catalogue one on first need. */
export async function obligationsOfDossier(deps: PaymentDeps, d: DossierRow): Promise<ObligationRow[]> {
  if (OPEN_DOSSIER.includes(d.status) && !(await findCatalogObligation(deps.db, d.id))) {
    await inTransaction(deps.db, (trx) => ensureCatalogObligation(trx, deps, d))
  }
  return listObligationsOfDossier(deps.db, d.id)
}

/**
 * An officer states (or corrects, before any payment) the amount: a fee the council sets, one
 * the catalogue gives per unit or in words (Decree 61 Art. 22: the agency collects what the law
 * sets; the officer's name and reason are kept with the obligation).
 */
export async function stateAmount(trx: Trx, deps: PaymentDeps, officer: StaffPrincipal, obligationId: string, input: { amountVnd: number; reason: string; expectedVersion?: number | undefined }): Promise<ObligationRow> {
  const o = await getObligationForUpdate(trx, obligationId)
  const d = await getDossier(trx, o.dossierId)
  assertMayAct(officer, d, ['counter_officer', 'processing_officer', 'agency_leader'], 'xác định số tiền phí, lệ phí')
  if (input.expectedVersion !== undefined && input.expectedVersion !== o.version) throw new ConflictError('CONCURRENT_UPDATE', 'Khoản phí đã được người khác thay đổi, vui lòng tải lại.', { expectedVersion: input.expectedVersion, currentVersion: o.version })
  if (!['needs_amount', ...PAYABLE].includes(o.status)) {
    throw new ConflictError('PAYMENT.AMOUNT_LOCKED', o.status === 'pending' ? 'Đang có giao dịch thanh toán chờ kết quả; chưa thể đổi số tiền.' : 'Khoản phí đã thanh toán hoặc đã hủy; không thể đổi số tiền.', { status: o.status })
  }
  const problems: Record<string, string[]> = {}
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0 || input.amountVnd > 1_000_000_000) problems['amountVnd'] = ['Số tiền phải là số nguyên dương (đồng), tối đa 1.000.000.000.']
  if (!input.reason.trim()) problems['reason'] = ['Cần ghi căn cứ xác định số tiền (ví dụ: số nghị quyết của HĐND tỉnh).']
  if (Object.keys(problems).length) throw new ValidationError('PAYMENT.INVALID_AMOUNT', 'Số tiền chưa hợp lệ.', { fields: problems })
  const now = deps.clock.now()
  const basis = { ...(o.basis as object), stated: { by: officer.accountId, name: officer.fullName, reason: input.reason.trim(), at: now.toISOString(), previousAmountVnd: o.amountVnd } }
  const saved = await updateObligation(trx, o, { amountVnd: input.amountVnd, status: o.status === 'needs_amount' ? 'due' : o.status, amountStatedBy: officer.accountId, basis, description: `Phí, lệ phí: ${vnd(input.amountVnd)} (${input.reason.trim()})`.normalize('NFC'), updatedAt: now })
  await appendPaymentEvent(trx, 'amount_stated', saved, officer.accountId, now, { previousAmountVnd: o.amountVnd, reason: input.reason.trim() })
  return saved
}

/** Cancels what a dossier still owes when it ends without a decision (withdrawn, refused, stopped). */
async function cancelUnpaid(trx: Trx, deps: PaymentDeps, dossierId: string, reason: string): Promise<void> {
  const now = deps.clock.now()
  for (const o of await listObligationsOfDossier(trx, dossierId, { lock: true })) {
    if (!UNSETTLED.includes(o.status)) continue
    const saved = await updateObligation(trx, o, { status: 'cancelled', cancelledReason: reason, updatedAt: now })
    await appendPaymentEvent(trx, 'cancelled', saved, null, now, { reason })
  }
}

// ---- online payment ---------------------------------------------------------------------------------

export interface StartedPayment {
  intentId: string
  reference: string
  redirectUrl: string
  reused: boolean
}

function requireGateway(deps: PaymentDeps): PaymentGateway {
  if (!deps.gateway) throw new DomainError('unavailable', 'PAYMENT.ONLINE_DISABLED', 'Thanh toán trực tuyến chưa được cấu hình; vui lòng nộp tại bộ phận một cửa.')
  return deps.gateway
}

function assertPayable(o: ObligationRow): void {
  if (o.status === 'paid') throw new ConflictError('PAYMENT.ALREADY_PAID', 'Khoản phí này đã được thanh toán; không cần thanh toán lại.')
  if (o.status === 'cancelled') throw new ConflictError('PAYMENT.CANCELLED', 'Khoản phí này đã được hủy (hồ sơ đã kết thúc).')
  if (o.status === 'needs_amount' || o.amountVnd === null) throw new ConflictError('PAYMENT.AMOUNT_NOT_SET', 'Cơ quan giải quyết chưa xác định số tiền phải nộp; vui lòng chờ cán bộ xác định hoặc liên hệ bộ phận một cửa.')
}

/**
 * Starts an online payment of an obligation through the gateway (INIT) and gives the URL to
 * send the payer to. A payment already waiting for its result is reused rather than opened
 * twice (two open transactions could both be paid); one whose wait is over is first settled by
 * asking the gateway. Callable from any page that has authorised the payer (counter, tracking
 * link, later "my dossiers").
 */
export async function startOnlinePayment(deps: PaymentDeps, input: { obligationId: string; ip: string; actorId?: string | null }): Promise<StartedPayment> {
  const gateway = requireGateway(deps)
  const open = await openIntentOf(deps.db, input.obligationId)
  if (open && open.expiresAt && open.expiresAt <= deps.clock.now()) await settleOverdueIntent(deps, open)

  const prepared = await inTransaction(deps.db, async (trx) => {
    const o = await getObligationForUpdate(trx, input.obligationId)
    if (o.status === 'pending') {
      const current = await openIntentOf(trx, o.id)
      if (current?.redirectUrl && current.expiresAt && current.expiresAt > deps.clock.now()) {
        return { kind: 'reused' as const, started: { intentId: current.id, reference: current.reference, redirectUrl: current.redirectUrl, reused: true } }
      }
      throw new ConflictError('PAYMENT.IN_PROGRESS', 'Giao dịch trước đang chờ kết quả từ cổng thanh toán. Vui lòng đợi vài phút rồi tải lại trang; không thanh toán lại để tránh bị trừ tiền hai lần.')
    }
    assertPayable(o)
    const d = await getDossier(trx, o.dossierId)
    const now = deps.clock.now()
    const stamp = gatewayTime(now)
    const codeOrId = o.dossierCode ?? d.code ?? d.id
    const base = makeReference(codeOrId, stamp)
    const taken = await countReferences(trx, base)
    const intent = await insertIntent(trx, {
      id: crypto.randomUUID(),
      obligationId: o.id,
      dossierId: o.dossierId,
      method: 'online',
      gateway: gateway.name,
      reference: makeReference(codeOrId, stamp, taken + 1),
      amountVnd: o.amountVnd!,
      status: 'pending',
      gatewayTime: stamp,
      redirectUrl: null,
      gatewayTxnId: null,
      bankCode: null,
      errorCode: null,
      errorMessage: null,
      payerName: o.payerName,
      recordedBy: input.actorId ?? null,
      note: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.timeoutMinutes * 60_000),
      settledAt: null,
      updatedAt: now,
    })
    const saved = await updateObligation(trx, o, { status: 'pending', updatedAt: now })
    await appendPaymentEvent(trx, 'initiated', saved, input.actorId ?? null, now, { intentId: intent.id, reference: intent.reference, method: 'online' })
    return { kind: 'new' as const, intent, previous: o.status, codeOrId, agency: await findAgencyById(trx, o.agencyId), d }
  })
  if (prepared.kind === 'reused') return prepared.started

  const { intent, codeOrId, agency, d } = prepared
  const applicant = d.applicant as PersonJson
  const info = transactionInfo(codeOrId)
  let outcome: { ok: true; redirectUrl: string } | { ok: false; code: string; message: string }
  try {
    outcome = await gateway.init({
      reference: intent.reference,
      stamp: intent.gatewayTime!,
      amountVnd: intent.amountVnd,
      info,
      ip: input.ip,
      receipt: {
        MaDichVu: '2',
        MaDVC: `${d.procedureCode}.01`,
        TenDVC: d.procedureName.slice(0, 250),
        MaTTHC: d.procedureCode,
        TenTTHC: d.procedureName.slice(0, 250),
        MaDonVi: agency?.code ?? '',
        TenDonVi: agency?.name ?? d.competentAgencyId,
        MaHoSo: codeOrId,
        TKThuHuong: '',
        MaNHThuHuong: '',
        TenTKThuHuong: '',
        HoTenNguoiNop: intent.payerName,
        SoCMNDNguoiNop: applicant.idNumber ?? '',
        DiaChiNguoiNop: applicant.address ?? '',
        HuyenNguoiNop: '',
        TinhNguoiNop: '',
        NoiDungThanhToan: info,
        PhiLePhi: [{ LoaiPhiLePhi: '2', MaPhiLePhi: `${d.procedureCode}.01`, TenPhiLePhi: d.procedureName.slice(0, 250), SoTien: String(intent.amountVnd) }],
        DSKhoanNop: [{ NoiDung: info, SoTien: String(intent.amountVnd) }],
      },
    })
  } catch (e) {
    outcome = { ok: false, code: e instanceof GatewayUnavailableError ? 'UNAVAILABLE' : 'ERROR', message: e instanceof Error ? e.message : String(e) }
    if (!(e instanceof GatewayUnavailableError)) deps.log?.error({ err: e }, 'payment init failed')
  }
  await inTransaction(deps.db, async (trx) => {
    const i = await getIntentForUpdate(trx, intent.id)
    if (i.status !== 'pending') return // settled meanwhile (a notice can arrive before INIT's answer)
    const now = deps.clock.now()
    if (outcome.ok) {
      await updateIntent(trx, i.id, { redirectUrl: outcome.redirectUrl, gatewayAccepted: true, updatedAt: now })
      return
    }
    await updateIntent(trx, i.id, { status: 'cancelled', errorCode: outcome.code, errorMessage: outcome.message.slice(0, 500), settledAt: now, updatedAt: now })
    const o = await getObligationForUpdate(trx, i.obligationId)
    if (o.status === 'pending') {
      const saved = await updateObligation(trx, o, { status: prepared.previous, updatedAt: now })
      await appendPaymentEvent(trx, 'init_failed', saved, input.actorId ?? null, now, { intentId: i.id, reference: i.reference, code: outcome.code })
    }
  })
  if (!outcome.ok) {
    if (outcome.code === 'UNAVAILABLE' || outcome.code === 'ERROR') throw new GatewayUnavailableError('init')
    throw new DomainError('unavailable', 'PAYMENT.INIT_REFUSED', `Cổng thanh toán chưa khởi tạo được giao dịch (mã ${outcome.code}: ${outcome.message}). Bạn chưa bị trừ tiền; vui lòng thử lại sau.`, { code: outcome.code })
  }
  return { intentId: intent.id, reference: intent.reference, redirectUrl: outcome.redirectUrl, reused: false }
}

export type ResultOutcome = 'paid' | 'paid_late' | 'overpaid' | 'duplicate' | 'refused' | 'ignored_after_success' | 'duplicate_failure' | 'amount_mismatch' | 'unknown_reference'

/**
 * Applies a transaction's outcome reported by the gateway (signed notice or status query), once:
 * the intent row is locked, so repeated or concurrent notices queue and the second finds the
 * work done. A success always wins (money was taken): it pays the obligation, or, when another
 * payment already did, is kept for refund. A failure never undoes a success (out-of-order).
 * Everything in one transaction with its `payment.*` event.
 */
export async function applyGatewayResult(deps: PaymentDeps, r: GatewayResult, source: 'callback' | 'query'): Promise<{ outcome: ResultOutcome; intent?: IntentRow; dossierId?: string }> {
  const gatewayName = deps.gateway?.name ?? 'national'
  const res = await inTransaction(deps.db, async (trx): Promise<{ outcome: ResultOutcome; intent?: IntentRow; dossierId?: string }> => {
    const now = deps.clock.now()
    const log = (outcome: ResultOutcome) => logCallback(trx, { gateway: gatewayName, reference: r.reference, receivedAt: now, source, verified: true, resultCode: r.code, outcome, payload: r.raw })
    const i = await findIntentByReference(trx, r.reference, { lock: true })
    if (!i) {
      await log('unknown_reference')
      return { outcome: 'unknown_reference' }
    }
    if (r.amountVnd !== i.amountVnd) {
      await log('amount_mismatch')
      deps.log?.warn({ reference: r.reference }, 'payment notice amount differs from the intent')
      return { outcome: 'amount_mismatch', intent: i }
    }
    if (!r.success) {
      if (i.status === 'paid') {
        await log('ignored_after_success')
        return { outcome: 'ignored_after_success', intent: i }
      }
      if (i.status !== 'pending') {
        await log('duplicate_failure')
        return { outcome: 'duplicate_failure', intent: i }
      }
      const saved = await updateIntent(trx, i.id, { status: 'refused', errorCode: r.code, errorMessage: RESULT_CODES[r.code] ?? null, gatewayAccepted: true, settledAt: now, updatedAt: now })
      const o = await getObligationForUpdate(trx, i.obligationId)
      if (o.status === 'pending') {
        const so = await updateObligation(trx, o, { status: 'refused', updatedAt: now })
        await appendPaymentEvent(trx, 'refused', so, null, now, { intentId: i.id, reference: i.reference, code: r.code, source })
      }
      await log('refused')
      return { outcome: 'refused', intent: saved, dossierId: i.dossierId }
    }
    if (i.status === 'paid') {
      await log('duplicate')
      return { outcome: 'duplicate', intent: i }
    }
    const late = i.status !== 'pending'
    const o = await getObligationForUpdate(trx, i.obligationId)
    const overpaid = o.status === 'paid' || o.status === 'cancelled'
    const saved = await updateIntent(trx, i.id, { status: 'paid', late, refundNeeded: overpaid, errorCode: OK_CODE, errorMessage: null, gatewayTxnId: r.txnId || null, bankCode: r.bankCode || null, gatewayAccepted: true, settledAt: now, updatedAt: now })
    await issueReceiptNumber(trx, saved, now)
    if (overpaid) {
      await appendPaymentEvent(trx, 'overpaid', o, null, now, { intentId: i.id, reference: i.reference, method: 'online', refundVnd: i.amountVnd, late, source })
      await log('overpaid')
      return { outcome: 'overpaid', intent: saved, dossierId: i.dossierId }
    }
    const so = await updateObligation(trx, o, { status: 'paid', paidAt: now, paidMethod: 'online', paidIntentId: i.id, dossierSync: 'pending', updatedAt: now })
    await appendPaymentEvent(trx, 'paid', so, null, now, { intentId: i.id, reference: i.reference, method: 'online', gateway: gatewayName, late, source, gatewayTxnId: r.txnId })
    await log(late ? 'paid_late' : 'paid')
    return { outcome: late ? 'paid_late' : 'paid', intent: saved, dossierId: i.dossierId }
  })
  if ((res.outcome === 'paid' || res.outcome === 'paid_late') && res.dossierId) await confirmDossierPayments(deps, [res.dossierId])
  return res
}

/** A notice whose signature or shape is wrong: logged, never applied. */
export async function logRejectedCallback(deps: PaymentDeps, body: unknown, reason: string): Promise<void> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  await logCallback(deps.db, {
    gateway: deps.gateway?.name ?? 'national',
    reference: typeof b['MaThamChieu'] === 'string' ? b['MaThamChieu'].slice(0, 255) : null,
    receivedAt: deps.clock.now(),
    source: 'callback',
    verified: false,
    resultCode: typeof b['MaLoi'] === 'string' ? b['MaLoi'].slice(0, 10) : null,
    outcome: `rejected:${reason}`,
    payload: b,
  })
}

/**
 * A pending online payment whose wait is over: ask the gateway. Paid or failed is applied as a
 * notice would be; still pending or unknown there, we stop waiting (expired) and the payer may
 * pay again. A success that arrives later is still taken (late), and refunded if paid twice.
 */
export async function settleOverdueIntent(deps: PaymentDeps, intent: IntentRow): Promise<IntentRow['status']> {
  const gateway = requireGateway(deps)
  if (intent.gatewayTime) {
    const q = await gateway.query(intent.reference, intent.gatewayTime)
    if (q.state === 'paid' || q.state === 'failed') {
      if (q.result) {
        const r = await applyGatewayResult(deps, { ...q.result, success: q.state === 'paid' }, 'query')
        return r.intent?.status ?? intent.status
      }
    }
  }
  return inTransaction(deps.db, async (trx) => {
    const i = await getIntentForUpdate(trx, intent.id)
    if (i.status !== 'pending') return i.status
    const now = deps.clock.now()
    await updateIntent(trx, i.id, { status: 'expired', errorCode: 'TIMEOUT', errorMessage: 'Quá thời gian chờ kết quả', settledAt: now, updatedAt: now })
    const o = await getObligationForUpdate(trx, i.obligationId)
    if (o.status === 'pending') {
      const so = await updateObligation(trx, o, { status: 'expired', updatedAt: now })
      await appendPaymentEvent(trx, 'expired', so, null, now, { intentId: i.id, reference: i.reference })
    }
    return 'expired' as const
  })
}

/** The job: settles every online payment whose wait is over. */
export async function pollOverdueIntents(deps: PaymentDeps): Promise<{ checked: number; expired: number; settled: number }> {
  if (!deps.gateway) return { checked: 0, expired: 0, settled: 0 }
  const due = await overdueIntents(deps.db, deps.clock.now())
  let expired = 0
  let settled = 0
  for (const i of due) {
    try {
      const s = await settleOverdueIntent(deps, i)
      if (s === 'expired') expired++
      else if (s !== 'pending') settled++
    } catch (e) {
      if (!(e instanceof GatewayUnavailableError)) throw e
      deps.log?.warn({ reference: i.reference }, 'payment gateway unreachable while polling; will retry')
    }
  }
  return { checked: due.length, expired, settled }
}

/**
 * The status page after the payer returns from the gateway: the intent by its reference,
 * settled first by asking the gateway when the notice has not arrived yet.
 */
export async function intentAfterReturn(deps: PaymentDeps, reference: string): Promise<IntentRow | undefined> {
  let i = await findIntentByReference(deps.db, reference)
  if (i?.status === 'pending' && i.gatewayAccepted && deps.gateway && i.gatewayTime) {
    try {
      const q = await deps.gateway.query(i.reference, i.gatewayTime)
      if ((q.state === 'paid' || q.state === 'failed') && q.result) await applyGatewayResult(deps, { ...q.result, success: q.state === 'paid' }, 'query')
    } catch (e) {
      if (!(e instanceof GatewayUnavailableError)) throw e
    }
    i = await findIntentByReference(deps.db, reference)
  }
  return i
}

// ---- counter payments --------------------------------------------------------------------------------

export interface CounterPaymentInput {
  method: 'cash' | 'transfer'
  amountVnd: number
  /** Transfer: the bank's transaction reference, required. */
  bankReference?: string | undefined
  note?: string | undefined
}

/**
 * A counter officer records a payment in cash or by bank transfer to the agency's account
 * (Decree 61 Art. 22(1)): the obligation is paid, a receipt number issued, the event written.
 * Refused while an online payment waits for its result, so nobody pays twice.
 */
export async function recordCounterPayment(trx: Trx, deps: PaymentDeps, officer: StaffPrincipal, obligationId: string, input: CounterPaymentInput): Promise<{ obligation: ObligationRow; intent: IntentRow }> {
  const o = await getObligationForUpdate(trx, obligationId)
  const d = await getDossier(trx, o.dossierId)
  assertMayAct(officer, d, ['counter_officer'], 'ghi nhận nộp phí, lệ phí tại quầy')
  if (o.status === 'pending') throw new ConflictError('PAYMENT.IN_PROGRESS', 'Đang có giao dịch thanh toán trực tuyến chờ kết quả; chưa thể ghi nhận nộp tại quầy để tránh thu hai lần.')
  if (o.status === 'paid' || o.status === 'cancelled') assertPayable(o)
  const problems: Record<string, string[]> = {}
  if (!Number.isSafeInteger(input.amountVnd) || input.amountVnd <= 0) problems['amountVnd'] = ['Số tiền phải là số nguyên dương (đồng).']
  else if (o.amountVnd !== null && input.amountVnd !== o.amountVnd) problems['amountVnd'] = [`Số tiền phải đúng ${vnd(o.amountVnd)} như khoản phí đã xác định.`]
  if (input.method === 'transfer' && !input.bankReference?.trim()) problems['bankReference'] = ['Cần nhập mã giao dịch chuyển khoản của ngân hàng.']
  if (Object.keys(problems).length) throw new ValidationError('PAYMENT.INVALID_COUNTER_PAYMENT', 'Thông tin nộp phí chưa hợp lệ.', { fields: problems })
  const now = deps.clock.now()
  const prefix = `${input.method === 'cash' ? 'TM' : 'CK'}${gatewayTime(now)}`
  const intent = await insertIntent(trx, {
    id: crypto.randomUUID(),
    obligationId: o.id,
    dossierId: o.dossierId,
    method: input.method,
    gateway: null,
    reference: `${prefix}${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
    amountVnd: input.amountVnd,
    status: 'paid',
    gatewayTime: null,
    redirectUrl: null,
    gatewayTxnId: input.bankReference?.trim() || null,
    bankCode: null,
    errorCode: null,
    errorMessage: null,
    payerName: o.payerName,
    recordedBy: officer.accountId,
    note: input.note?.trim().normalize('NFC') || null,
    createdAt: now,
    expiresAt: null,
    settledAt: now,
    updatedAt: now,
  })
  const number = await issueReceiptNumber(trx, intent, now)
  const obligation = await updateObligation(trx, o, {
    status: 'paid',
    paidAt: now,
    paidMethod: input.method,
    paidIntentId: intent.id,
    dossierSync: 'pending',
    updatedAt: now,
    ...(o.amountVnd === null ? { amountVnd: input.amountVnd, amountStatedBy: officer.accountId } : {}),
  })
  await appendPaymentEvent(trx, 'paid', obligation, officer.accountId, now, { intentId: intent.id, reference: intent.reference, method: input.method, receiptNumber: number, recordedBy: { id: officer.accountId, name: officer.fullName } })
  return { obligation, intent }
}

/** Receipt numbers: BL-<year>-<6 digits>, per year, without gaps (the counter row is locked until commit). */
async function issueReceiptNumber(trx: Trx, intent: IntentRow, now: Date): Promise<string> {
  const year = Number(gatewayTime(now).slice(0, 4))
  const number = `BL-${year}-${String(await allocateReceiptNo(trx, year)).padStart(6, '0')}`
  await insertReceipt(trx, { id: crypto.randomUUID(), intentId: intent.id, kind: 'vidan', number, issuedAt: now })
  return number
}

// ---- the dossier side -----------------------------------------------------------------------------------

const CONFIRMER = 'Hệ thống Vì Dân (ghi nhận thanh toán)'

function methodText(o: ObligationRow, i: IntentRow | undefined): string {
  const amount = vnd(o.amountVnd ?? 0)
  switch (o.paidMethod) {
    case 'online':
      return `${amount} qua Nền tảng thanh toán quốc gia, mã tham chiếu ${i?.reference ?? ''}`
    case 'transfer':
      return `${amount} chuyển khoản, mã giao dịch ${i?.gatewayTxnId ?? ''}`
    default:
      return `${amount} tiền mặt tại bộ phận một cửa`
  }
}

/**
 * Tells each dossier whose obligations are now all paid: `confirm_payment` through the dossier
 * lifecycle (as the system), when the dossier is waiting for payment. Run after each payment and
 * by a job (a dossier changed by an officer meanwhile is retried on the next run).
 */
export async function confirmDossierPayments(deps: PaymentDeps, dossierIds?: string[]): Promise<number> {
  const ids = dossierIds ?? (await dossiersAwaitingSync(deps.db))
  let confirmed = 0
  for (const id of ids) {
    try {
      const done = await inTransaction(deps.db, async (trx) => {
        const obligations = await listObligationsOfDossier(trx, id, { lock: true })
        if (!obligations.some((o) => o.dossierSync === 'pending')) return false
        if (obligations.some((o) => UNSETTLED.includes(o.status))) {
          await setDossierSync(trx, id, 'pending', 'none') // the last payment will ask again
          return false
        }
        const d = await findDossier(trx, id)
        if (d?.status === 'awaiting_payment') {
          const paid = obligations.filter((o) => o.status === 'paid')
          const intents: (IntentRow | undefined)[] = []
          for (const o of paid) intents.push(o.paidIntentId ? await findIntent(trx, o.paidIntentId) : undefined)
          const note = `Công dân đã thực hiện nghĩa vụ tài chính: ${paid.map((o, n) => methodText(o, intents[n])).join('; ')}`
          await act(trx, { db: deps.db, clock: deps.clock, provinceCode: deps.provinceCode }, { kind: 'system', name: CONFIRMER }, id, { action: 'confirm_payment', expectedVersion: d.version, note })
        }
        await setDossierSync(trx, id, 'pending', 'done')
        return d?.status === 'awaiting_payment'
      })
      if (done) confirmed++
    } catch (e) {
      if (e instanceof DomainError && e.code === 'CONCURRENT_UPDATE') continue // an officer acted meanwhile; next run
      deps.log?.error({ err: e, dossierId: id }, 'could not confirm a payment on its dossier')
    }
  }
  return confirmed
}

const DOSSIER_CONSUMER = 'payments.dossier-events'

/** Topics of dossier events that payments reacts to. */
export const DOSSIER_TOPICS = ['dossier.submit', 'dossier.receive', 'dossier.request_payment', 'dossier.withdraw', 'dossier.refuse', 'dossier.stop'] as const

/**
 * Reacts to dossier events (after their commit, through the outbox): a submitted or received
 * dossier gets its catalogue obligation; a payment request finds it (and, when already paid,
 * queues the confirmation); a dossier that ends without a decision cancels what is unpaid.
 * Drains the backlog batch by batch (each batch one transaction with its cursor).
 */
export async function consumeDossierEvents(deps: PaymentDeps, maxBatches = 50): Promise<number> {
  let total = 0
  if (!(await hasPendingEvents(deps.db, DOSSIER_CONSUMER, [...DOSSIER_TOPICS]))) return 0
  for (let i = 0; i < maxBatches; i++) {
    const n = await consumeDossierEventBatch(deps)
    total += n
    if (n === 0) break
  }
  return total
}

async function consumeDossierEventBatch(deps: PaymentDeps): Promise<number> {
  let wake: string[] = []
  const n = await consumeOutbox(deps.db, DOSSIER_CONSUMER, [...DOSSIER_TOPICS], async (trx, events) => {
    for (const e of events) {
      const p = e.payload as { dossierId?: string; code?: string | null; reason?: string | null }
      if (!p.dossierId) continue
      try {
        switch (e.topic) {
          case 'dossier.submit':
          case 'dossier.receive':
          case 'dossier.request_payment': {
            const d = await findDossier(trx, p.dossierId)
            if (!d) break
            if (d.code) await setDossierCode(trx, d.id, d.code)
            await ensureCatalogObligation(trx, deps, d)
            if (e.topic === 'dossier.request_payment') {
              const all = await listObligationsOfDossier(trx, d.id, { lock: true })
              if (all.length && all.every((o) => o.status === 'paid' || o.status === 'cancelled') && all.some((o) => o.status === 'paid')) {
                await trx.updateTable('paymentObligations').set({ dossierSync: 'pending' }).where('dossierId', '=', d.id).where('status', '=', 'paid').execute()
                wake.push(d.id)
              }
            }
            break
          }
          default:
            await cancelUnpaid(trx, deps, p.dossierId, `Hồ sơ kết thúc (${e.topic.replace('dossier.', '')})${p.reason ? `: ${p.reason}` : ''}`)
        }
      } catch (err) {
        // A procedure missing from the catalogue must not block every later event.
        if (!(err instanceof DomainError)) throw err
        deps.log?.warn({ code: err.code, dossierId: p.dossierId }, 'payments: dossier event skipped')
      }
    }
  })
  if (wake.length) {
    await confirmDossierPayments(deps, wake)
    wake = []
  }
  return n
}
