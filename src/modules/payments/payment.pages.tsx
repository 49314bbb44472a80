import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, FormAlert, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import { DossierLookupFields, DossierNotFound } from '../dossiers/index.js'
import type { Mismatch, ReconciliationReport } from './payment.reconcile.js'
import type { IntentRow, ObligationRow, ReconciliationRow } from './payment.repo.js'
import { CHANNEL_LABELS, INTENT_LABELS, intentMessage, METHOD_LABELS, OBLIGATION_LABELS, vnd, type Tone } from './payment.text.js'

export type { FieldErrors }

/** An obligation with its payment attempts and their receipt numbers. */
export interface ObligationView {
  o: ObligationRow
  intents: IntentRow[]
  receipts: Record<string, string>
}

const PAYABLE = ['due', 'refused', 'expired']
const when = (d: Date | null | undefined) => (d ? formatVnDateTime(d) : '—')

function Message({ tone, text }: { tone: Tone; text: string }) {
  return tone === 'error' || tone === 'warn' ? (
    <p class="alert" role="alert">
      {text}
    </p>
  ) : (
    <p class="notice" role="status">
      {text}
    </p>
  )
}

function Attempts({ lang, v, receiptHref }: { lang: Lang; v: ObligationView; receiptHref: (intentId: string) => string | undefined }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  if (!v.intents.length) return null
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Các lần thanh toán', 'Payment attempts')}>
      <table>
        <caption class="muted">{t('Các lần thanh toán', 'Payment attempts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('Thời điểm', 'When')}</th>
            <th scope="col">{t('Hình thức', 'Method')}</th>
            <th scope="col">{t('Số tham chiếu', 'Reference')}</th>
            <th scope="col">{t('Kết quả', 'Result')}</th>
            <th scope="col">{t('Biên lai', 'Receipt')}</th>
          </tr>
        </thead>
        <tbody>
          {v.intents.map((i) => {
            const href = v.receipts[i.id] ? receiptHref(i.id) : undefined
            return (
              <tr>
                <td>{when(i.createdAt)}</td>
                <td>{METHOD_LABELS[i.method][lang]}</td>
                <td>
                  <code>{i.reference}</code>
                </td>
                <td>
                  {INTENT_LABELS[i.status][lang]}
                  {i.late ? <span class="tag"> {t('xác nhận muộn', 'confirmed late')}</span> : null}
                  {i.refundNeeded ? <strong class="tag late"> {t('cần hoàn tiền', 'to refund')}</strong> : null}
                </td>
                <td>{href ? <a href={href}>{`${v.receipts[i.id]} (PDF)`}</a> : '—'}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

// ---- public: pay a dossier's fee ----------------------------------------------------------------

export interface PublicPayData {
  dossier: { code: string; procedureName: string; statusLabel: string }
  items: ObligationView[]
  onlineEnabled: boolean
}

export function PublicPayPage(p: { lang: Lang; csrf: string; code: string; verifier: string; data?: PublicPayData | undefined; notFound: boolean; errors: FieldErrors; message?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const q = `ma=${encodeURIComponent(p.code)}&so=${encodeURIComponent(p.verifier)}`
  return (
    <>
      <h1>{t('Nộp phí, lệ phí trực tuyến', 'Pay fees online')}</h1>
      <form method="get" action="/thanh-toan" class="card">
        <DossierLookupFields lang={p.lang} code={p.code} verifier={p.verifier} errors={p.errors} />
        <button type="submit">{t('Xem khoản phải nộp', 'Show what is due')}</button>
      </form>
      {p.notFound ? <DossierNotFound lang={p.lang} /> : null}
      {p.message ? (
        <p class="alert" role="alert">
          {p.message}
        </p>
      ) : null}
      {p.data ? (
        <section aria-labelledby="fees">
          <h2 id="fees">
            {t('Hồ sơ', 'Dossier')} {p.data.dossier.code}
          </h2>
          <p>
            {p.data.dossier.procedureName} · <strong>{p.data.dossier.statusLabel}</strong>
          </p>
          {p.data.items.length === 0 ? <p class="notice">{t('Hồ sơ không có khoản phí, lệ phí phải nộp.', 'This dossier has no fee to pay.')}</p> : null}
          {p.data.items.map((v) => (
            <div class="card">
              <dl class="facts">
                <dt>{t('Khoản thu', 'Fee')}</dt>
                <dd>{v.o.description}</dd>
                <dt>{t('Số tiền', 'Amount')}</dt>
                <dd>
                  <strong>{vnd(v.o.amountVnd)}</strong>
                </dd>
                <dt>{t('Tình trạng', 'Status')}</dt>
                <dd>{OBLIGATION_LABELS[v.o.status][p.lang]}</dd>
              </dl>
              {v.intents.length ? <Message {...intentMessage(v.intents[v.intents.length - 1]!, p.lang, v.receipts[v.intents[v.intents.length - 1]!.id])} /> : null}
              {PAYABLE.includes(v.o.status) && p.data!.onlineEnabled ? (
                <form method="post" action="/thanh-toan/bat-dau">
                  <CsrfField token={p.csrf} />
                  <input type="hidden" name="ma" value={p.code} />
                  <input type="hidden" name="so" value={p.verifier} />
                  <input type="hidden" name="obligationId" value={v.o.id} />
                  <button type="submit">
                    {t('Thanh toán', 'Pay')} {vnd(v.o.amountVnd)} {t('qua Nền tảng thanh toán quốc gia', 'through the national payment platform')}
                  </button>
                </form>
              ) : null}
              {PAYABLE.includes(v.o.status) && !p.data!.onlineEnabled ? <p class="muted">{t('Thanh toán trực tuyến chưa được cấu hình; vui lòng nộp tại bộ phận một cửa.', 'Online payment is not configured; please pay at the counter.')}</p> : null}
              <Attempts lang={p.lang} v={v} receiptHref={(id) => `/thanh-toan/bien-lai/${id}?${q}`} />
            </div>
          ))}
        </section>
      ) : null}
    </>
  )
}

export function PaymentResultPage(p: { lang: Lang; intent?: IntentRow | undefined; receiptNo?: string | undefined; receiptHref?: string | undefined; dossierCode?: string | null | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  if (!p.intent) {
    return (
      <>
        <h1>{t('Kết quả thanh toán', 'Payment result')}</h1>
        <p class="alert" role="alert">
          {t('Không tìm thấy giao dịch thanh toán này.', 'No such payment.')}
        </p>
        <p>
          <a href="/thanh-toan">{t('Tra cứu khoản phải nộp', 'Look up what is due')}</a>
        </p>
      </>
    )
  }
  const i = p.intent
  return (
    <>
      <h1>{t('Kết quả thanh toán', 'Payment result')}</h1>
      <Message {...intentMessage(i, p.lang, p.receiptNo)} />
      <dl class="facts">
        <dt>{t('Số tham chiếu', 'Reference')}</dt>
        <dd>
          <code>{i.reference}</code>
        </dd>
        <dt>{t('Số tiền', 'Amount')}</dt>
        <dd>{vnd(i.amountVnd)}</dd>
        <dt>{t('Kết quả', 'Result')}</dt>
        <dd>{INTENT_LABELS[i.status][p.lang]}</dd>
      </dl>
      {p.receiptHref ? (
        <p>
          <a class="button" href={p.receiptHref}>
            {t('Tải biên lai điện tử (PDF)', 'Download the electronic receipt (PDF)')}
          </a>
        </p>
      ) : null}
      <p>
        <a href={p.dossierCode ? `/tra-cuu?ma=${encodeURIComponent(p.dossierCode)}` : '/tra-cuu'}>{t('Tra cứu hồ sơ', 'Track the dossier')}</a>
      </p>
    </>
  )
}

// ---- back office ---------------------------------------------------------------------------------

export function StaffPaymentsPage(p: { lang: Lang; items: ObligationRow[]; status: string; code: string; notFound: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const tabs: [string, string, string][] = [
    ['open', 'Cần xử lý', 'To handle'],
    ['needs_amount', 'Chờ xác định số tiền', 'Amount to set'],
    ['paid', 'Đã nộp', 'Paid'],
    ['all', 'Tất cả', 'All'],
  ]
  return (
    <>
      <h1>{t('Phí, lệ phí', 'Fees')}</h1>
      <nav aria-label={t('Lọc khoản phí', 'Filter fees')}>
        <ul class="tabs">
          {tabs.map(([v, vi, en]) => (
            <li>
              <a href={`/staff/thanh-toan?trang-thai=${v}`} aria-current={p.status === v ? 'page' : undefined}>
                {t(vi, en)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/staff/thanh-toan" role="search" class="card">
        <label for="ma">{t('Mã hồ sơ', 'Dossier code')}</label>
        <input id="ma" name="ma" type="search" maxLength={60} value={p.code} />
        <button type="submit">{t('Tìm', 'Find')}</button>
      </form>
      {p.notFound ? (
        <p class="alert" role="alert">
          {t('Không tìm thấy hồ sơ có mã này.', 'No dossier has that code.')}
        </p>
      ) : null}
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Khoản phí, lệ phí', 'Fees')}>
        <table>
          <caption class="muted">{t(`${p.items.length} khoản`, `${p.items.length} fees`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Hồ sơ', 'Dossier')}</th>
              <th scope="col">{t('Thủ tục', 'Procedure')}</th>
              <th scope="col">{t('Số tiền', 'Amount')}</th>
              <th scope="col">{t('Tình trạng', 'Status')}</th>
              <th scope="col">{t('Cập nhật', 'Updated')}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((o) => (
              <tr>
                <td>
                  <a href={`/staff/thanh-toan/ho-so/${o.dossierId}`}>{o.dossierCode ?? t('(chưa cấp mã)', '(no code yet)')}</a>
                </td>
                <td>{o.procedureName}</td>
                <td class="num">{vnd(o.amountVnd)}</td>
                <td>{OBLIGATION_LABELS[o.status][p.lang]}</td>
                <td>{when(o.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export interface StaffDossierPaymentsData {
  dossier: { id: string; code: string | null; procedureName: string; statusLabel: string; applicantName: string }
  items: ObligationView[]
  canCounter: boolean
  canState: boolean
  onlineEnabled: boolean
}

export function StaffDossierPaymentsPage(p: { lang: Lang; csrf: string; data: StaffDossierPaymentsData; errors: FieldErrors; message?: string | undefined; done?: string | undefined; payUrl?: string | undefined; formFor?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const { dossier } = p.data
  const errs = (id: string) => (p.formFor === id ? p.errors : {})
  return (
    <>
      <h1>
        {t('Phí, lệ phí của hồ sơ', 'Fees of dossier')} {dossier.code ?? t('(chưa cấp mã)', '(no code yet)')}
      </h1>
      <p>
        {dossier.procedureName} · {dossier.applicantName} · <strong>{dossier.statusLabel}</strong> · <a href={`/staff/ho-so/${dossier.id}`}>{t('Mở hồ sơ', 'Open the dossier')}</a>
      </p>
      {p.done ? (
        <p class="notice" role="status">
          {p.done}
        </p>
      ) : null}
      {p.payUrl ? (
        <p class="notice" role="status">
          {t('Đã khởi tạo giao dịch. Người nộp mở đường dẫn sau để thanh toán:', 'Payment opened. The payer opens this link to pay:')} <a href={p.payUrl}>{p.payUrl}</a>
        </p>
      ) : null}
      <FormAlert errors={p.formFor ? {} : p.errors} lang={p.lang} message={p.formFor ? undefined : p.message} />
      {p.data.items.length === 0 ? <p class="notice">{t('Hồ sơ không có khoản phí, lệ phí phải nộp.', 'This dossier has no fee to pay.')}</p> : null}
      {p.data.items.map((v) => {
        const o = v.o
        const e = errs(o.id)
        const payable = PAYABLE.includes(o.status) || o.status === 'needs_amount'
        return (
          <section class="card" aria-labelledby={`o-${o.id}`}>
            <h2 id={`o-${o.id}`}>{o.description}</h2>
            <FormAlert errors={e} lang={p.lang} message={p.formFor === o.id ? p.message : undefined} />
            <dl class="facts">
              <dt>{t('Số tiền', 'Amount')}</dt>
              <dd>
                <strong>{vnd(o.amountVnd)}</strong>
              </dd>
              <dt>{t('Tình trạng', 'Status')}</dt>
              <dd>{OBLIGATION_LABELS[o.status][p.lang]}</dd>
              <dt>{t('Kênh nộp hồ sơ', 'Channel')}</dt>
              <dd>{CHANNEL_LABELS[o.channel]?.[p.lang] ?? o.channel}</dd>
              {o.paidAt ? (
                <>
                  <dt>{t('Đã nộp lúc', 'Paid at')}</dt>
                  <dd>
                    {when(o.paidAt)} ({o.paidMethod ? METHOD_LABELS[o.paidMethod][p.lang] : ''})
                  </dd>
                </>
              ) : null}
            </dl>
            {p.data.canState && payable ? (
              <form method="post" action={`/staff/thanh-toan/khoan/${o.id}/so-tien`}>
                <CsrfField token={p.csrf} />
                <input type="hidden" name="expectedVersion" value={String(o.version)} />
                <fieldset>
                  <legend>{o.status === 'needs_amount' ? t('Xác định số tiền phải nộp', 'Set the amount due') : t('Điều chỉnh số tiền', 'Correct the amount')}</legend>
                  <label for={`amount-${o.id}`}>{t('Số tiền (đồng)', 'Amount (VND)')}</label>
                  <input id={`amount-${o.id}`} name="amountVnd" type="number" min={1} step={1} required value={o.amountVnd === null ? '' : String(o.amountVnd)} aria-describedby={describedBy('amountVnd', e)} />
                  <Errors id="amountVnd" errors={e} />
                  <label for={`reason-${o.id}`}>{t('Căn cứ (ví dụ: số nghị quyết HĐND tỉnh)', 'Basis (e.g. the council resolution)')}</label>
                  <input id={`reason-${o.id}`} name="reason" type="text" required maxLength={500} aria-describedby={describedBy('reason', e)} />
                  <Errors id="reason" errors={e} />
                  <button type="submit" class="secondary">
                    {t('Lưu số tiền', 'Save the amount')}
                  </button>
                </fieldset>
              </form>
            ) : null}
            {p.data.canCounter && payable ? (
              <form method="post" action={`/staff/thanh-toan/khoan/${o.id}/nop-tai-quay`}>
                <CsrfField token={p.csrf} />
                <fieldset>
                  <legend>{t('Ghi nhận nộp tại quầy', 'Record a payment at the counter')}</legend>
                  <div class="check">
                    <input type="radio" id={`cash-${o.id}`} name="method" value="cash" checked />
                    <label for={`cash-${o.id}`} class="inline-label">
                      {t('Tiền mặt', 'Cash')}
                    </label>
                  </div>
                  <div class="check">
                    <input type="radio" id={`transfer-${o.id}`} name="method" value="transfer" />
                    <label for={`transfer-${o.id}`} class="inline-label">
                      {t('Chuyển khoản', 'Bank transfer')}
                    </label>
                  </div>
                  <label for={`paid-${o.id}`}>{t('Số tiền đã thu (đồng)', 'Amount received (VND)')}</label>
                  <input id={`paid-${o.id}`} name="amountVnd" type="number" min={1} step={1} required value={o.amountVnd === null ? '' : String(o.amountVnd)} aria-describedby={describedBy('amountVnd', e)} />
                  <label for={`bank-${o.id}`}>{t('Mã giao dịch chuyển khoản (nếu chuyển khoản)', 'Bank transaction reference (for a transfer)')}</label>
                  <input id={`bank-${o.id}`} name="bankReference" type="text" maxLength={100} aria-describedby={describedBy('bankReference', e)} />
                  <Errors id="bankReference" errors={e} />
                  <label for={`note-${o.id}`}>{t('Ghi chú', 'Note')}</label>
                  <input id={`note-${o.id}`} name="note" type="text" maxLength={500} />
                  <button type="submit">{t('Ghi nhận đã thu và cấp biên lai', 'Record and issue the receipt')}</button>
                </fieldset>
              </form>
            ) : null}
            {p.data.canCounter && p.data.onlineEnabled && PAYABLE.includes(o.status) ? (
              <form method="post" action={`/staff/thanh-toan/khoan/${o.id}/truc-tuyen`}>
                <CsrfField token={p.csrf} />
                <button type="submit" class="secondary">
                  {t('Tạo giao dịch thanh toán trực tuyến cho người nộp', 'Open an online payment for the payer')}
                </button>
              </form>
            ) : null}
            <Attempts lang={p.lang} v={v} receiptHref={(id) => `/staff/thanh-toan/bien-lai/${id}`} />
          </section>
        )
      })}
    </>
  )
}

// ---- reconciliation ------------------------------------------------------------------------------

const KIND_LABEL: Record<Mismatch['kind'], { vi: string; en: string }> = {
  missing_ours: { vi: 'Thiếu ở Vì Dân', en: 'Missing on our side' },
  missing_statement: { vi: 'Thiếu trong sao kê', en: 'Missing in the statement' },
  amount_differs: { vi: 'Lệch số tiền', en: 'Amount differs' },
  status_differs: { vi: 'Lệch trạng thái', en: 'Status differs' },
}

export function ReconciliationPage(p: { lang: Lang; csrf: string; runs: ReconciliationRow[]; report?: ReconciliationReport | undefined; day: string; errors: FieldErrors; message?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const r = p.report
  return (
    <>
      <h1>{t('Đối soát thanh toán hằng ngày', 'Daily payment reconciliation')}</h1>
      <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
      <form method="post" action="/admin/thanh-toan/doi-soat" class="card">
        <CsrfField token={p.csrf} />
        <label for="date">{t('Ngày giao dịch', 'Transaction day')}</label>
        <input id="date" name="date" type="date" required value={p.day} aria-describedby={describedBy('date', p.errors)} />
        <Errors id="date" errors={p.errors} />
        <label for="statement">{t('Nội dung tệp sao kê (CSV); để trống để lấy từ cổng thanh toán', 'Statement file content (CSV); leave empty to fetch it from the gateway')}</label>
        <textarea id="statement" name="statement" rows={6} maxLength={200000} aria-describedby={describedBy('statement', p.errors)} />
        <Errors id="statement" errors={p.errors} />
        <button type="submit">{t('Đối soát', 'Reconcile')}</button>
      </form>
      {r ? (
        <section aria-labelledby="report">
          <h2 id="report">
            {t('Kết quả đối soát ngày', 'Reconciliation of')} {r.day}
          </h2>
          <p>
            {t(`Vì Dân: ${r.ourRows} giao dịch; sao kê: ${r.statementRows} dòng.`, `Ours: ${r.ourRows} transactions; statement: ${r.statementRows} lines.`)}{' '}
            {r.mismatches.length + r.problems.length === 0 ? <strong>{t('Khớp hoàn toàn.', 'Everything matches.')}</strong> : <strong>{t(`${r.mismatches.length} chênh lệch, ${r.problems.length} dòng lỗi.`, `${r.mismatches.length} mismatches, ${r.problems.length} bad lines.`)}</strong>}
          </p>
          {r.problems.length ? (
            <ul class="notes">
              {r.problems.map((x) => (
                <li>{x}</li>
              ))}
            </ul>
          ) : null}
          {r.mismatches.length ? (
            <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Chênh lệch', 'Mismatches')}>
              <table>
                <caption class="muted">{t('Chênh lệch', 'Mismatches')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('Loại', 'Kind')}</th>
                    <th scope="col">{t('Mã tham chiếu', 'Reference')}</th>
                    <th scope="col">{t('Chi tiết', 'Details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.mismatches.map((m) => (
                    <tr>
                      <td>{KIND_LABEL[m.kind][p.lang]}</td>
                      <td>
                        <code>{m.reference}</code>
                      </td>
                      <td>{m.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
      <h2>{t('Các lần đối soát gần đây', 'Recent reconciliations')}</h2>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Các lần đối soát gần đây', 'Recent reconciliations')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Ngày giao dịch', 'Day')}</th>
              <th scope="col">{t('Chạy lúc', 'Run at')}</th>
              <th scope="col">{t('Chênh lệch', 'Mismatches')}</th>
            </tr>
          </thead>
          <tbody>
            {p.runs.map((x) => (
              <tr>
                <td>
                  <a href={`/admin/thanh-toan/doi-soat/${x.id}`}>{x.day}</a>
                </td>
                <td>{when(x.runAt)}</td>
                <td class="num">{x.mismatchCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
