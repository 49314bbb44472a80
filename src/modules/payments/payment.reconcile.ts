import crypto from 'node:crypto'
import { parse } from 'csv-parse/sync'
import { inTransaction } from '../../shared/database.js'
import { DomainError, ValidationError } from '../../shared/errors.js'
import { GatewayUnavailableError } from './payment.gateway.js'
import { STATEMENT_COLUMNS, TXN_STATE } from './payment.protocol.js'
import { gatewayIntentsBetween, insertReconciliation, lastReconciliationOf, type IntentRow } from './payment.repo.js'
import type { PaymentDeps } from './payment.service.js'

/** One line of the platform's daily statement. */
export interface StatementRow {
  line: number
  partnerCode: string
  reference: string
  txnId: string
  amountVnd: number
  /** TrangThaiGD: 1 paid, 3 pending, 4 failed. */
  state: string
  stamp: string
}

export const MISMATCH_KINDS = ['missing_ours', 'missing_statement', 'amount_differs', 'status_differs'] as const
export type MismatchKind = (typeof MISMATCH_KINDS)[number]

export interface Mismatch {
  kind: MismatchKind
  reference: string
  message: string
  ours: { intentId: string; status: IntentRow['status']; amountVnd: number; dossierId: string } | null
  statement: { line: number; state: string; amountVnd: number; txnId: string } | null
}

export interface ReconciliationReport {
  id: string
  day: string
  gateway: string
  statementSha256: string
  statementRows: number
  ourRows: number
  /** Lines of the statement that could not be read (each with its line number). */
  problems: string[]
  mismatches: Mismatch[]
}

const STATE_TEXT: Record<string, string> = { [TXN_STATE.paid]: 'Thành công', [TXN_STATE.pending]: 'Đang chờ', [TXN_STATE.failed]: 'Không thành công' }
const OURS_TEXT: Record<IntentRow['status'], string> = { paid: 'Đã thanh toán', pending: 'Đang chờ kết quả', refused: 'Bị từ chối', expired: 'Hết thời gian chờ', cancelled: 'Đã hủy' }
const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đồng`

/** Which platform states agree with each of our intent statuses (expired: we gave up, the platform may still wait or have failed it). */
const AGREES: Record<IntentRow['status'], readonly string[]> = {
  paid: [TXN_STATE.paid],
  pending: [TXN_STATE.pending],
  refused: [TXN_STATE.failed],
  expired: [TXN_STATE.pending, TXN_STATE.failed],
  cancelled: [TXN_STATE.pending, TXN_STATE.failed],
}

/** Reads a statement (CSV with the STATEMENT_COLUMNS header); a bad line is reported, not fatal. */
export function parseStatement(csv: string, partnerCode: string): { rows: StatementRow[]; problems: string[] } {
  let records: string[][]
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true })
  } catch (e) {
    throw new ValidationError('PAYMENT.BAD_STATEMENT', 'Tệp sao kê không đọc được (không đúng định dạng CSV).', { reason: e instanceof Error ? e.message : String(e) })
  }
  const header = records[0] ?? []
  const missing = STATEMENT_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length) throw new ValidationError('PAYMENT.BAD_STATEMENT', `Tệp sao kê thiếu cột: ${missing.join(', ')}.`, { missing })
  const col = (r: string[], c: string) => r[header.indexOf(c)] ?? ''
  const rows: StatementRow[] = []
  const problems: string[] = []
  const seen = new Set<string>()
  records.slice(1).forEach((r, n) => {
    const line = n + 2
    const amount = col(r, 'SoTien')
    const row = { line, partnerCode: col(r, 'MaDoiTac'), reference: col(r, 'MaThamChieu'), txnId: col(r, 'MaGiaoDich'), amountVnd: Number(amount), state: col(r, 'TrangThaiGD'), stamp: col(r, 'ThoiGianGD') }
    if (!row.reference || !/^\d{1,15}$/.test(amount) || !Object.values(TXN_STATE).includes(row.state as never)) problems.push(`Dòng ${line}: thiếu mã tham chiếu, số tiền hoặc trạng thái không hợp lệ.`)
    else if (row.partnerCode !== partnerCode) problems.push(`Dòng ${line}: mã đối tác ${row.partnerCode} không phải của Vì Dân.`)
    else if (seen.has(row.reference)) problems.push(`Dòng ${line}: mã tham chiếu ${row.reference} lặp lại.`)
    else {
      seen.add(row.reference)
      rows.push(row)
    }
  })
  return { rows, problems }
}

/** Every difference between our online payments of a day and the platform's statement of it. */
export function compareWithStatement(ours: IntentRow[], statement: StatementRow[]): Mismatch[] {
  const byRef = new Map(statement.map((s) => [s.reference, s]))
  const out: Mismatch[] = []
  const oursOf = (i: IntentRow) => ({ intentId: i.id, status: i.status, amountVnd: i.amountVnd, dossierId: i.dossierId })
  const theirs = (s: StatementRow) => ({ line: s.line, state: s.state, amountVnd: s.amountVnd, txnId: s.txnId })
  for (const i of ours) {
    const s = byRef.get(i.reference)
    byRef.delete(i.reference)
    if (!s) {
      out.push({ kind: 'missing_statement', reference: i.reference, message: `Có trong Vì Dân (${OURS_TEXT[i.status]}, ${vnd(i.amountVnd)}) nhưng không có trong sao kê của cổng thanh toán.`, ours: oursOf(i), statement: null })
      continue
    }
    if (s.amountVnd !== i.amountVnd) out.push({ kind: 'amount_differs', reference: i.reference, message: `Số tiền khác nhau: Vì Dân ${vnd(i.amountVnd)}, sao kê ${vnd(s.amountVnd)}.`, ours: oursOf(i), statement: theirs(s) })
    if (!AGREES[i.status].includes(s.state)) {
      const hint = s.state === TXN_STATE.paid ? ' Cổng thanh toán đã thu tiền: cần ghi nhận hoặc hoàn tiền.' : i.status === 'paid' ? ' Vì Dân ghi đã thu nhưng cổng thanh toán không xác nhận.' : ''
      out.push({ kind: 'status_differs', reference: i.reference, message: `Trạng thái khác nhau: Vì Dân "${OURS_TEXT[i.status]}", sao kê "${STATE_TEXT[s.state] ?? s.state}".${hint}`, ours: oursOf(i), statement: theirs(s) })
    }
  }
  for (const s of byRef.values()) {
    out.push({ kind: 'missing_ours', reference: s.reference, message: `Có trong sao kê (${STATE_TEXT[s.state] ?? s.state}, ${vnd(s.amountVnd)}) nhưng không có trong Vì Dân.`, ours: null, statement: theirs(s) })
  }
  return out.sort((a, b) => a.reference.localeCompare(b.reference) || a.kind.localeCompare(b.kind))
}

/** The instants a Vietnam calendar day runs between. */
function vnDayBounds(day: string): [Date, Date] {
  const from = new Date(`${day}T00:00:00+07:00`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(from.getTime())) throw new ValidationError('PAYMENT.BAD_DAY', 'Ngày đối soát không hợp lệ (YYYY-MM-DD).', { fields: { date: ['Ngày không hợp lệ.'] } })
  return [from, new Date(from.getTime() + 86_400_000)]
}

/**
 * The daily reconciliation: our online payments opened that day (Vietnam time) against the
 * platform's statement of the day (given, or fetched from the gateway), every mismatch listed,
 * the report stored.
 */
export async function reconcileDay(deps: PaymentDeps, input: { day: string; statementCsv?: string | undefined; runBy: string | null }): Promise<ReconciliationReport> {
  const [from, to] = vnDayBounds(input.day)
  const gateway = deps.gateway?.name ?? 'national'
  let csv = input.statementCsv
  if (csv === undefined) {
    if (!deps.gateway) throw new DomainError('unavailable', 'PAYMENT.ONLINE_DISABLED', 'Chưa cấu hình cổng thanh toán nên không lấy được sao kê; hãy tải tệp sao kê lên.')
    try {
      csv = await deps.gateway.fetchStatement(input.day)
    } catch (e) {
      if (!(e instanceof GatewayUnavailableError)) throw e
      throw new DomainError('unavailable', 'PAYMENT.STATEMENT_UNAVAILABLE', 'Không lấy được sao kê từ cổng thanh toán (cổng không phản hồi). Hãy thử lại sau, hoặc tải tệp sao kê lên.')
    }
  }
  const { rows, problems } = parseStatement(csv, deps.settings.partnerCode)
  const ours = await gatewayIntentsBetween(deps.db, gateway, from, to)
  const mismatches = compareWithStatement(ours, rows)
  const report: ReconciliationReport = { id: crypto.randomUUID(), day: input.day, gateway, statementSha256: crypto.createHash('sha256').update(csv).digest('hex'), statementRows: rows.length, ourRows: ours.length, problems, mismatches }
  await inTransaction(deps.db, (trx) =>
    insertReconciliation(trx, {
      id: report.id,
      gateway,
      day: input.day,
      statementSha256: report.statementSha256,
      statementRows: rows.length,
      ourRows: ours.length,
      mismatches: { problems, items: mismatches },
      mismatchCount: mismatches.length + problems.length,
      runAt: deps.clock.now(),
      runBy: input.runBy,
    }),
  )
  return report
}

/** The job: once the day is over (after 02:00 Vietnam time), reconcile yesterday if not done yet. */
export async function reconcileYesterdayIfDue(deps: PaymentDeps): Promise<ReconciliationReport | undefined> {
  if (!deps.gateway) return undefined
  const now = deps.clock.now()
  const vn = new Date(now.getTime() + 7 * 3600_000)
  if (vn.getUTCHours() < 2) return undefined
  const day = new Date(vn.getTime() - 86_400_000).toISOString().slice(0, 10)
  if (await lastReconciliationOf(deps.db, deps.gateway.name, day)) return undefined
  try {
    return await reconcileDay(deps, { day, runBy: null })
  } catch (e) {
    if (!(e instanceof DomainError && e.code === 'PAYMENT.STATEMENT_UNAVAILABLE')) throw e
    deps.log?.warn({ day }, 'payment statement unavailable; reconciliation will be retried')
    return undefined
  }
}

/** A stored report as shown on the admin page. */
export function storedMismatches(m: unknown): { problems: string[]; items: Mismatch[] } {
  const v = (m ?? {}) as { problems?: string[]; items?: Mismatch[] }
  return { problems: v.problems ?? [], items: v.items ?? [] }
}
