import fs from 'node:fs/promises'
import path from 'node:path'
import crypto from 'node:crypto'
import fastifyFormbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import { gatewayDay, InitMessage, maXacThuc, OK_CODE, PROTOCOL_VERSION, QueryMessage, renderPdf, RESULT_CODES, STATEMENT_COLUMNS, TXN_STATE, verifyMaXacThuc, type ReceiptInfo } from '../../modules/payments/index.js'
import { NO_FAULTS, type SimFaults } from './payment-sim.faults.js'
import { simPage, type SimPageTxn } from './payment-sim.pages.js'

// A simulator of the national payment platform (DOMAIN B §12.3) for development, tests and the
// demo: it is not the platform, it behaves like it. It checks INIT's MaXacThuc and refuses a bad
// one, shows a payment page where the payer chooses the outcome, redirects back, posts the signed
// result notice to the partner's callback URL (retrying on failure), answers status queries and
// receipt fetches, and writes a daily statement (CSV). Faults can be switched on for tests.
// State lives in memory; the statement files are the only thing written.

/** A partner (one province's system) as registered with the platform: where notices and payers go. */
export interface SimPartner {
  code: string
  secret: string
  callbackUrl: string
  returnUrl: string
}

export { NO_FAULTS, type SimFaults }

type TxnState = (typeof TXN_STATE)[keyof typeof TXN_STATE]

export interface SimTransaction {
  reference: string
  partnerCode: string
  amountVnd: number
  info: string
  /** ThoiGianGD of the INIT (yyyyMMddHHmmss, Vietnam time): the statement's day. */
  stamp: string
  token: string
  txnId: string
  bankCode: string
  state: TxnState
  code: string
  receipt: ReceiptInfo
  createdAt: Date
  settledAt: Date | null
  deliveries: { at: Date; code: string; status: number | 'error'; attempt: number }[]
}

export interface PaymentSimulatorOptions {
  port?: number
  host?: string
  partners: SimPartner[]
  /** Base URL payers reach the simulator at (UrlThanhToan); default from the listening address. */
  publicUrl?: string
  /** Folder for the daily statement files (`<partner>-<yyyyMMdd>.csv`); none written when unset. */
  statementDir?: string
  faults?: Partial<SimFaults>
  log?: (line: string) => void
}

export interface PaymentSimulator {
  url: string
  faults: SimFaults
  setPartner(p: SimPartner): void
  partner(code: string): SimPartner | undefined
  transactions(): SimTransaction[]
  find(reference: string): SimTransaction | undefined
  /** Sends the notices kept while `hold` was on, in order. */
  flush(): Promise<void>
  /** Settles a transaction later than the payer's visit (the bank answers late), and notifies. */
  complete(reference: string, result: 'success' | 'failure'): Promise<void>
  /** Makes the statement say something else about a transaction than what happened (to test reconciliation). */
  tamper(reference: string, change: { amountVnd?: number; state?: TxnState; drop?: boolean }): void
  /** Adds a statement row for a transaction the platform never told us of. */
  addStatementRow(row: Record<(typeof STATEMENT_COLUMNS)[number], string>): void
  statementCsv(partnerCode: string, day: string): string
  close(): Promise<void>
}

const BANKS = ['VCB', 'BIDV', 'VTB', 'AGR', 'TCB']

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** Starts the simulator's HTTP server on its own port. */
export async function startPaymentSimulator(opts: PaymentSimulatorOptions): Promise<PaymentSimulator> {
  const partners = new Map(opts.partners.map((p) => [p.code, p]))
  const txns = new Map<string, SimTransaction>()
  const byToken = new Map<string, SimTransaction>()
  const faults: SimFaults = { ...NO_FAULTS, ...opts.faults }
  const held: (() => Promise<void>)[] = []
  const tampered = new Map<string, { amountVnd?: number; state?: TxnState; drop?: boolean }>()
  const extraRows: Record<string, string>[] = []
  const log = opts.log ?? (() => undefined)
  let seq = 0
  let baseUrl = ''

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 256 * 1024 })
  await app.register(fastifyFormbody)

  const notice = (t: SimTransaction, code: string) => {
    const partner = partners.get(t.partnerCode)!
    const msg = { LoaiBanTin: 'CONFIRM', MaLoi: code, MaDoiTac: t.partnerCode, MaThamChieu: t.reference, SoTien: String(t.amountVnd), MaTienTe: 'VND', MaGiaoDich: t.txnId, MaNganHang: t.bankCode, ThoiGianGD: t.stamp, ThongTinGiaoDich: t.info }
    return { ...msg, MaXacThuc: maXacThuc('CONFIRM', msg, partner.secret) }
  }

  /** Posts one notice, retrying like the platform does on a network error or a 5xx. */
  const send = async (t: SimTransaction, code: string) => {
    const partner = partners.get(t.partnerCode)!
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const res = await fetch(partner.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(notice(t, code)), signal: AbortSignal.timeout(10_000) })
        await res.arrayBuffer()
        t.deliveries.push({ at: new Date(), code, status: res.status, attempt })
        log(`notice ${t.reference} ${code} → ${res.status}`)
        if (res.status < 500) return
      } catch (e) {
        t.deliveries.push({ at: new Date(), code, status: 'error', attempt })
        log(`notice ${t.reference} ${code} failed: ${e instanceof Error ? e.message : String(e)}`)
      }
      await new Promise((r) => setTimeout(r, 200 * attempt))
    }
  }

  /** Delivers a transaction's outcome with the faults in force. Awaits delivery unless delayed or held. */
  const notify = async (t: SimTransaction) => {
    if (faults.drop) return
    const codes = t.state === TXN_STATE.paid && faults.outOfOrder ? [OK_CODE, '10'] : [t.code]
    const run = async () => {
      for (const code of codes) for (let i = 0; i <= faults.duplicate; i++) await send(t, code)
    }
    if (faults.hold) held.push(run)
    else if (faults.delayMs > 0) setTimeout(() => void run(), faults.delayMs).unref()
    else await run()
  }

  const settle = async (t: SimTransaction, result: 'success' | 'failure' | 'timeout') => {
    if (result === 'timeout') return // the platform does not know yet: pending (3)
    t.state = result === 'success' ? TXN_STATE.paid : TXN_STATE.failed
    t.code = result === 'success' ? OK_CODE : '10'
    t.settledAt = new Date()
    await writeStatement(t.partnerCode, gatewayDay(t.stamp))
    await notify(t)
  }

  const statementRows = (partnerCode: string, day: string): Record<string, string>[] => {
    const rows: Record<string, string>[] = []
    for (const t of txns.values()) {
      if (t.partnerCode !== partnerCode || gatewayDay(t.stamp) !== day) continue
      const tamper = tampered.get(t.reference)
      if (tamper?.drop) continue
      rows.push({
        MaDoiTac: t.partnerCode,
        MaThamChieu: t.reference,
        MaGiaoDich: t.txnId,
        SoTien: String(tamper?.amountVnd ?? t.amountVnd),
        MaTienTe: 'VND',
        TrangThaiGD: tamper?.state ?? t.state,
        ThoiGianGD: t.stamp,
        ThoiGianThanhToan: t.settledAt ? t.settledAt.toISOString() : '',
        MaNganHang: t.bankCode,
      })
    }
    for (const r of extraRows) if (r['MaDoiTac'] === partnerCode && gatewayDay(r['ThoiGianGD'] ?? '') === day) rows.push(r)
    return rows
  }
  const statementCsv = (partnerCode: string, day: string) =>
    [STATEMENT_COLUMNS.join(','), ...statementRows(partnerCode, day).map((r) => STATEMENT_COLUMNS.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n'

  const writeStatement = async (partnerCode: string, day: string) => {
    if (!opts.statementDir) return
    await fs.mkdir(opts.statementDir, { recursive: true })
    await fs.writeFile(path.join(opts.statementDir, `${partnerCode}-${day.replace(/-/g, '')}.csv`), statementCsv(partnerCode, day))
  }

  // ---- the platform's API -------------------------------------------------------------------------
  app.post('/api/v1/init', async (req) => {
    const m = InitMessage.safeParse(req.body)
    if (!m.success) return { error_code: '03', message: RESULT_CODES['03'] }
    const partner = partners.get(m.data.MaDoiTac)
    if (!partner) return { error_code: '04', message: 'Mã đối tác không tồn tại' }
    if (!verifyMaXacThuc('INIT', m.data, partner.secret)) return { error_code: '01', message: RESULT_CODES['01'] }
    if (m.data.PhienBan !== PROTOCOL_VERSION || m.data.MaTienTe !== 'VND' || !/^\d+$/.test(m.data.SoTien) || Number(m.data.SoTien) <= 0) return { error_code: '03', message: RESULT_CODES['03'] }
    if (txns.has(m.data.MaThamChieu)) return { error_code: '02', message: RESULT_CODES['02'] }
    seq++
    const t: SimTransaction = {
      reference: m.data.MaThamChieu,
      partnerCode: partner.code,
      amountVnd: Number(m.data.SoTien),
      info: m.data.ThongTinGiaoDich,
      stamp: m.data.ThoiGianGD,
      token: crypto.randomBytes(16).toString('hex'),
      txnId: `PG${String(seq).padStart(8, '0')}`,
      bankCode: BANKS[seq % BANKS.length]!,
      state: TXN_STATE.pending,
      code: '',
      receipt: m.data.ThongTinBienLai,
      createdAt: new Date(),
      settledAt: null,
      deliveries: [],
    }
    txns.set(t.reference, t)
    byToken.set(t.token, t)
    await writeStatement(t.partnerCode, gatewayDay(t.stamp))
    log(`init ${t.reference} ${t.amountVnd} VND`)
    return { error_code: '0', message: JSON.stringify({ UrlThanhToan: `${baseUrl}/thanh-toan/${t.token}`, MaThamChieu: t.reference }) }
  })

  app.post('/api/v1/query', async (req) => {
    const m = QueryMessage.safeParse(req.body)
    if (!m.success) return { MaLoi: '03', MoTaLoi: RESULT_CODES['03'] }
    const partner = partners.get(m.data.MaDoiTac)
    if (!partner || !verifyMaXacThuc('QUERY', m.data, partner.secret)) return { MaLoi: '01', MoTaLoi: RESULT_CODES['01'] }
    const t = txns.get(m.data.MaThamChieu)
    if (!t || t.partnerCode !== partner.code || t.stamp !== m.data.ThoiGianGD) return { MaLoi: '04', MoTaLoi: RESULT_CODES['04'] }
    const n = notice(t, OK_CODE)
    return { ...n, LoaiBanTin: 'QUERY', TrangThaiGD: t.state, MoTaLoi: RESULT_CODES[t.code] ?? 'Đang xử lý', MaXacThuc: maXacThuc('CONFIRM', { ...n, LoaiBanTin: 'QUERY' }, partner.secret) }
  })

  app.post('/api/v1/bill', async (req, reply) => {
    const m = QueryMessage.safeParse(req.body)
    const partner = m.success ? partners.get(m.data.MaDoiTac) : undefined
    if (!m.success || m.data.LoaiBanTin !== 'GET_BILL' || !partner || !verifyMaXacThuc('GET_BILL', m.data, partner.secret)) return reply.status(400).send({ MaLoi: '01', MoTaLoi: RESULT_CODES['01'] })
    const t = txns.get(m.data.MaThamChieu)
    if (!t || t.partnerCode !== partner.code || t.state !== TXN_STATE.paid) return reply.status(404).send({ MaLoi: '04', MoTaLoi: RESULT_CODES['04'] })
    return reply.type('application/pdf').send(await renderBill(t))
  })

  app.get('/api/v1/statement', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>
    const partner = q['MaDoiTac'] ? partners.get(q['MaDoiTac']) : undefined
    if (!partner || !/^\d{4}-\d{2}-\d{2}$/.test(q['Ngay'] ?? '') || !verifyMaXacThuc('STATEMENT', q, partner.secret)) return reply.status(403).send({ MaLoi: '01', MoTaLoi: RESULT_CODES['01'] })
    return reply.type('text/csv; charset=utf-8').send(statementCsv(partner.code, q['Ngay']!))
  })

  // ---- the payer's pages ---------------------------------------------------------------------------
  const pageTxn = (t: SimTransaction): SimPageTxn => ({ reference: t.reference, amountVnd: t.amountVnd, info: t.info, receipt: t.receipt, state: t.state, token: t.token })
  app.get('/thanh-toan/:token', async (req, reply) => {
    const t = byToken.get((req.params as { token: string }).token)
    if (!t) return reply.status(404).type('text/html; charset=utf-8').send(simPage({ kind: 'not_found' }))
    return reply.type('text/html; charset=utf-8').send(simPage({ kind: 'pay', txn: pageTxn(t) }))
  })
  app.post('/thanh-toan/:token', async (req, reply) => {
    const t = byToken.get((req.params as { token: string }).token)
    if (!t) return reply.status(404).type('text/html; charset=utf-8').send(simPage({ kind: 'not_found' }))
    const choice = (req.body as Record<string, unknown> | undefined)?.['choice']
    if (choice !== 'success' && choice !== 'failure' && choice !== 'timeout') return reply.status(400).type('text/html; charset=utf-8').send(simPage({ kind: 'pay', txn: pageTxn(t), error: 'Vui lòng chọn một kết quả.' }))
    if (t.state !== TXN_STATE.pending) return reply.status(409).type('text/html; charset=utf-8').send(simPage({ kind: 'done', txn: pageTxn(t), returnUrl: returnUrlOf(t) }))
    await settle(t, choice)
    if (choice === 'timeout') return reply.type('text/html; charset=utf-8').send(simPage({ kind: 'abandoned', txn: pageTxn(t), returnUrl: returnUrlOf(t) }))
    return reply.redirect(returnUrlOf(t), 303)
  })
  const returnUrlOf = (t: SimTransaction) => {
    const u = new URL(partners.get(t.partnerCode)!.returnUrl)
    u.searchParams.set('MaThamChieu', t.reference)
    return u.toString()
  }

  // ---- control, for tests and drills --------------------------------------------------------------
  app.get('/sim', async (_req, reply) => reply.type('text/html; charset=utf-8').send(simPage({ kind: 'admin', faults, txns: [...txns.values()].map(pageTxn) })))
  app.get('/sim/transactions', async () => [...txns.values()])
  app.post('/sim/faults', async (req) => {
    const b = (req.body ?? {}) as Record<string, unknown>
    const bool = (v: unknown) => v === true || v === 'true' || v === 'on' || v === '1'
    if ('duplicate' in b) faults.duplicate = Math.max(0, Math.min(5, Number(b['duplicate']) || 0))
    if ('delayMs' in b) faults.delayMs = Math.max(0, Math.min(600_000, Number(b['delayMs']) || 0))
    for (const k of ['outOfOrder', 'hold', 'drop'] as const) if (k in b) faults[k] = bool(b[k])
    return faults
  })
  app.post('/sim/flush', async () => {
    await sim.flush()
    return { ok: true }
  })
  app.post('/sim/transactions/:ref/complete', async (req, reply) => {
    const result = (req.body as Record<string, unknown> | undefined)?.['result']
    if (result !== 'success' && result !== 'failure') return reply.status(400).send({ error: 'result: success | failure' })
    await sim.complete((req.params as { ref: string }).ref, result)
    return { ok: true }
  })

  const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' })
  baseUrl = (opts.publicUrl ?? address).replace(/\/+$/, '')

  const sim: PaymentSimulator = {
    url: baseUrl,
    faults,
    setPartner(p) {
      partners.set(p.code, p)
    },
    partner: (code) => partners.get(code),
    transactions: () => [...txns.values()],
    find: (reference) => txns.get(reference),
    async flush() {
      const queue = held.splice(0)
      for (const run of queue) await run()
    },
    async complete(reference, result) {
      const t = txns.get(reference)
      if (!t) throw new Error(`no transaction ${reference}`)
      if (t.state !== TXN_STATE.pending) throw new Error(`transaction ${reference} already settled`)
      await settle(t, result)
    },
    tamper(reference, change) {
      tampered.set(reference, { ...tampered.get(reference), ...change })
    },
    addStatementRow(row) {
      extraRows.push(row)
    },
    statementCsv,
    close: () => app.close(),
  }
  return sim
}

/** The platform's own e-receipt (what GET_BILL returns): a plain PDF, enough to be stored and shown. */
async function renderBill(t: SimTransaction): Promise<Buffer> {
  const line = (s: string) => s.normalize('NFC')
  return renderPdf({
    pageSize: 'A5',
    info: { title: `Biên lai ${t.reference}`, creationDate: t.settledAt ?? t.createdAt },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    content: [
      { text: line('NỀN TẢNG THANH TOÁN (MÔ PHỎNG)'), bold: true, alignment: 'center' },
      { text: line('BIÊN LAI ĐIỆN TỬ'), bold: true, fontSize: 14, alignment: 'center', margin: [0, 8, 0, 8] },
      line(`Mã tham chiếu: ${t.reference}`),
      line(`Mã giao dịch: ${t.txnId} (${t.bankCode})`),
      line(`Số tiền: ${t.amountVnd.toLocaleString('vi-VN')} đồng`),
      line(`Nội dung: ${t.info}`),
      line(`Đơn vị thụ hưởng: ${t.receipt.TenDonVi}`),
    ],
  })
}
