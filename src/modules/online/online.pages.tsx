import type { ComponentChildren } from 'preact'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { CsrfField } from '../../shared/ui/layout.js'
import { ACCEPT_ATTRIBUTE } from '../documents/index.js'
import { STATUS_LABELS, type DossierFileView, type DossierRow } from '../dossiers/index.js'
import { APPLICANT_FIELDS, type FormField } from './online.forms.js'
import type { DraftRow, FieldErrors, FormContext, Submission, WalletEntry } from './online.service.js'

// Citizen pages of online services: the e-form, "my dossiers", one dossier, the document wallet.
// Plain HTML forms: everything works on a 360-px phone without JavaScript.

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9]/g, '-')}`
const errorId = (name: string) => `${idOf(name)}-error`
const describedBy = (name: string, errors: FieldErrors, hint?: boolean) => [hint ? `${idOf(name)}-hint` : '', errors[name]?.length ? errorId(name) : ''].filter(Boolean).join(' ') || undefined

function FieldError({ name, errors }: { name: string; errors: FieldErrors }) {
  const list = errors[name]
  return list?.length ? (
    <p class="field-error" id={errorId(name)}>
      {list.join(' ')}
    </p>
  ) : null
}

/** The alert at the top: how many problems, each a link to its input. */
function ErrorSummary({ errors, lang, labels }: { errors: FieldErrors; lang: Lang; labels: Record<string, string> }) {
  const entries = Object.entries(errors).filter(([, l]) => l?.length)
  if (!entries.length) return null
  const n = entries.reduce((s, [, l]) => s + (l?.length ?? 0), 0)
  return (
    <div class="alert" role="alert" aria-labelledby="error-summary-title">
      <p id="error-summary-title">
        <strong>{tr(lang, `Hồ sơ chưa được lưu: có ${n} lỗi cần sửa.`, `Nothing was saved: ${n} problems to fix.`)}</strong>
      </p>
      <ul>
        {entries.flatMap(([name, list]) =>
          (list ?? []).map((m) => (
            <li>
              {name === 'form' ? (
                m
              ) : (
                <a href={`#${idOf(name)}`}>
                  {labels[name] ? `${labels[name]}: ` : ''}
                  {m}
                </a>
              )}
            </li>
          )),
        )}
      </ul>
    </div>
  )
}

function TextInput(p: { name: string; label: string; value: string; errors: FieldErrors; type?: string; autocomplete?: string; required?: boolean; hint?: string | undefined; maxLength?: number; textarea?: boolean; inputMode?: string | undefined; readOnly?: boolean }) {
  const id = idOf(p.name)
  const common = { id, name: p.name, readOnly: p.readOnly, 'aria-invalid': p.errors[p.name]?.length ? ('true' as const) : undefined, 'aria-describedby': describedBy(p.name, p.errors, !!p.hint), maxLength: p.maxLength, required: p.required }
  return (
    <p>
      <label for={id}>
        {p.label}
        {p.required ? ' *' : ''}
      </label>
      {p.hint ? (
        <span class="hint" id={`${id}-hint`}>
          {p.hint}
        </span>
      ) : null}
      {p.textarea ? <textarea {...common} rows={3}>{p.value}</textarea> : <input {...common} type={p.type ?? 'text'} value={p.value} autocomplete={p.autocomplete} inputMode={p.inputMode} />}
      <FieldError name={p.name} errors={p.errors} />
    </p>
  )
}

function SelectInput(p: { name: string; label: string; value: string; errors: FieldErrors; options: { value: string; label: string }[]; required?: boolean; empty?: string }) {
  const id = idOf(p.name)
  return (
    <p>
      <label for={id}>
        {p.label}
        {p.required ? ' *' : ''}
      </label>
      <select id={id} name={p.name} aria-invalid={p.errors[p.name]?.length ? 'true' : undefined} aria-describedby={describedBy(p.name, p.errors)}>
        <option value="">{p.empty ?? '— Chọn —'}</option>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError name={p.name} errors={p.errors} />
    </p>
  )
}

function ExtraField({ f, values, errors }: { f: FormField; values: Record<string, string>; errors: FieldErrors }) {
  const name = `extra.${f.name}`
  const value = values[name] ?? ''
  if (f.type === 'select') return <SelectInput name={name} label={f.label} value={value} errors={errors} options={f.options} required={f.required} />
  return (
    <TextInput
      name={name}
      label={f.label}
      value={value}
      errors={errors}
      required={f.required}
      hint={f.type === 'date' ? (f.hint ?? 'Dạng năm-tháng-ngày, ví dụ 2026-11-20.') : f.hint}
      maxLength={f.maxLength}
      type={f.type === 'date' ? 'date' : 'text'}
      textarea={f.type === 'textarea'}
      inputMode={f.type === 'id_number' ? 'numeric' : undefined}
    />
  )
}

/** Every input's label by name, for the error summary's links. */
export function fieldLabels(ctx: FormContext): Record<string, string> {
  const out: Record<string, string> = { caseName: 'Trường hợp', communeCode: 'Xã, phường' }
  for (const f of APPLICANT_FIELDS) out[f.name] = f.label
  for (const f of ctx.definition?.fields ?? []) out[`extra.${f.name}`] = f.label
  ctx.requirements.forEach((r, i) => {
    out[`doc.${i}`] = r.name
    out[`wallet.${i}`] = r.name
  })
  return out
}

export interface EFormProps {
  lang: Lang
  csrf: string
  ctx: FormContext
  values: Record<string, string>
  errors: FieldErrors
  draft: DraftRow | undefined
  wallet: WalletEntry[]
  saved?: boolean
  maxFileMb: number
  /** Assisted submission (issue 6 §5): a community digital team member fills the form for the citizen who consented. */
  assisted?: { consentId: string; applicantName: string } | undefined
}

/** The e-form of one procedure (case chosen), prefilled; drafts resume with their files. */
export function EFormPage(p: EFormProps) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const { ctx, values, errors } = p
  const sections = new Map<string, FormField[]>()
  for (const f of ctx.definition?.fields ?? []) {
    const key = f.section ?? t('Thông tin của hồ sơ', 'Dossier details')
    sections.set(key, [...(sections.get(key) ?? []), f])
  }
  const action = `/nop-ho-so/${encodeURIComponent(ctx.procedure.code)}`
  return (
    <>
      <p>
        <a href="/cong-dan/ho-so">{t('← Hồ sơ của tôi', '← My dossiers')}</a>
      </p>
      <h1>{t('Nộp hồ sơ trực tuyến', 'Submit online')}</h1>
      {p.assisted ? (
        <p class="notice">
          {t('Bạn đang nộp hồ sơ thay cho công dân', 'You are submitting for')} <strong>{p.assisted.applicantName}</strong>
          {t(', theo uỷ quyền công dân đã xác nhận. Hồ sơ ghi rõ người nộp thay.', ', under the consent they gave. The dossier records who acted for whom.')}
        </p>
      ) : null}
      <p>
        <strong>{ctx.procedure.name}</strong> <span class="muted">({ctx.procedure.code})</span>
      </p>
      {p.saved ? (
        <p class="notice" role="status">
          {t('Đã lưu nháp. Bạn có thể tiếp tục sau tại "Hồ sơ của tôi".', 'Draft saved. You can continue later from "My dossiers".')}
        </p>
      ) : null}
      <ErrorSummary errors={errors} lang={p.lang} labels={fieldLabels(ctx)} />
      {ctx.cases.length > 1 ? (
        <form method="get" action={action} class="card">
          {p.draft ? <input type="hidden" name="nhap" value={p.draft.id} /> : null}
          {p.assisted ? <input type="hidden" name="uy-quyen" value={p.assisted.consentId} /> : null}
          <SelectInput name="truong-hop" label={t('Trường hợp của hồ sơ', 'Case')} value={ctx.caseName ?? ''} errors={{}} options={ctx.cases.map((c) => ({ value: c, label: c }))} />
          <button type="submit" class="secondary">
            {t('Chọn trường hợp', 'Choose case')}
          </button>
        </form>
      ) : null}
      <form method="post" action={action} enctype="multipart/form-data" novalidate>
        <CsrfField token={p.csrf} />
        {p.draft ? <input type="hidden" name="draftId" value={p.draft.id} /> : null}
        {p.assisted ? <input type="hidden" name="consentId" value={p.assisted.consentId} /> : null}
        {ctx.caseName ? <input type="hidden" name="caseName" value={ctx.caseName} /> : null}
        {ctx.cases.length > 1 ? (
          <p>
            {t('Trường hợp', 'Case')}: <strong>{ctx.caseName}</strong>
          </p>
        ) : null}
        <FieldError name="caseName" errors={errors} />
        {ctx.communeRequired ? (
          <fieldset>
            <legend>{t('Nơi nộp hồ sơ', 'Where to submit')}</legend>
            <SelectInput name="communeCode" label={t('Xã, phường giải quyết hồ sơ', 'Commune handling the dossier')} value={values['communeCode'] ?? ''} errors={errors} options={ctx.communes.map((c) => ({ value: c.code, label: c.name }))} required />
          </fieldset>
        ) : null}
        <fieldset>
          <legend>{t('Người nộp hồ sơ', 'Applicant')}</legend>
          <p class="hint">{t('Điền sẵn từ tài khoản định danh điện tử của bạn; sửa nếu cần.', 'Prefilled from your electronic identity account; correct if needed.')}</p>
          {APPLICANT_FIELDS.map((f) => (
            <TextInput
              name={f.name}
              label={f.label}
              value={values[f.name] ?? ''}
              errors={errors}
              autocomplete={f.autocomplete}
              required={f.required}
              type={f.name === 'applicant.birthDate' ? 'date' : f.name === 'applicant.phone' ? 'tel' : f.name === 'applicant.email' ? 'email' : 'text'}
              inputMode={f.name === 'applicant.idNumber' ? 'numeric' : undefined}
              maxLength={300}
              readOnly={f.name === 'applicant.idNumber'}
              hint={f.name === 'applicant.idNumber' ? t('Theo tài khoản định danh điện tử; không sửa được.', 'From your electronic identity account; cannot be changed.') : undefined}
            />
          ))}
        </fieldset>
        {[...sections].map(([title, fields]) => (
          <fieldset>
            <legend>{title}</legend>
            {fields.map((f) => (
              <ExtraField f={f} values={values} errors={errors} />
            ))}
          </fieldset>
        ))}
        <fieldset>
          <legend>{t('Giấy tờ kèm theo', 'Documents')}</legend>
          <p class="hint">
            {t(`Tệp PDF, JPEG hoặc PNG, tối đa ${p.maxFileMb} MB mỗi tệp. Giấy tờ đã có trong kho giấy tờ của bạn thì chọn lại, không cần tải lên.`, `PDF, JPEG or PNG, at most ${p.maxFileMb} MB each. Reuse a document from your wallet instead of uploading it again.`)}
          </p>
          {ctx.requirements.length === 0 ? <p>{t('Thủ tục không yêu cầu giấy tờ kèm theo.', 'No documents are required.')}</p> : null}
          {ctx.requirements.map((r, i) => {
            const held = p.draft?.attachments.find((a) => a.position === i)
            return (
              <fieldset class="doc">
                <legend>
                  {i + 1}. {r.name}
                  {r.optional ? ` ${t('(nếu có)', '(if any)')}` : ' *'}
                </legend>
                {held ? (
                  <p>
                    {t('Đã có trong bản nháp', 'In the draft')}: <strong>{held.name}</strong>{' '}
                    <label class="check" for={idOf(`remove.${i}`)}>
                      <input type="checkbox" id={idOf(`remove.${i}`)} name={`remove.${i}`} value="1" /> {t('Bỏ tệp này', 'Remove this file')}
                    </label>
                  </p>
                ) : null}
                <p>
                  <label for={idOf(`doc.${i}`)}>{held ? t('Thay bằng tệp khác', 'Replace with another file') : t('Tải lên tệp', 'Upload a file')}</label>
                  <input type="file" id={idOf(`doc.${i}`)} name={`doc.${i}`} accept={ACCEPT_ATTRIBUTE} aria-invalid={errors[`doc.${i}`]?.length ? 'true' : undefined} aria-describedby={describedBy(`doc.${i}`, errors)} />
                  <FieldError name={`doc.${i}`} errors={errors} />
                </p>
                {p.wallet.length ? (
                  <SelectInput
                    name={`wallet.${i}`}
                    label={t('Hoặc dùng lại giấy tờ trong kho của tôi', 'Or reuse a document from my wallet')}
                    value={values[`wallet.${i}`] ?? ''}
                    errors={errors}
                    options={p.wallet.map((w) => ({ value: w.id, label: `${w.title}${w.legalCopy ? ' — bản sao điện tử có giá trị pháp lý' : ''}` }))}
                    empty={t('— Không dùng —', '— None —')}
                  />
                ) : null}
              </fieldset>
            )
          })}
        </fieldset>
        <FieldError name="form" errors={{}} />
        <p class="actions">
          {p.assisted ? null : (
            <>
              <button type="submit" name="intent" value="save" class="secondary">
                {t('Lưu nháp', 'Save draft')}
              </button>{' '}
            </>
          )}
          <button type="submit" name="intent" value="submit">
            {t('Nộp hồ sơ', 'Submit')}
          </button>
        </p>
      </form>
    </>
  )
}

const status = (d: DossierRow, lang: Lang) => STATUS_LABELS[d.status][lang]

/** "My dossiers": drafts apart, then the submitted dossiers. */
export function MyDossiersPage({ lang, drafts, dossiers }: { lang: Lang; drafts: (DraftRow & { procedureName: string })[]; dossiers: { dossier: DossierRow; submission: Submission }[] }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <>
      <h1>{t('Hồ sơ của tôi', 'My dossiers')}</h1>
      <p>
        <a href="/cong-dan/kho-giay-to">{t('Kho giấy tờ của tôi', 'My document wallet')}</a> · <a href="/thu-tuc">{t('Tìm thủ tục để nộp hồ sơ mới', 'Find a procedure to submit')}</a>
      </p>
      <section aria-labelledby="drafts-title">
        <h2 id="drafts-title">{t('Bản nháp chưa nộp', 'Drafts')}</h2>
        {drafts.length ? (
          <ul class="plain">
            {drafts.map((d) => (
              <li class="card">
                <strong>{d.procedureName}</strong>
                <br />
                <span class="muted">
                  {t('Lưu lúc', 'Saved')} {formatVnDateTime(d.updatedAt)} · {d.attachments.length} {t('tệp', 'files')}
                </span>
                <br />
                <a href={`/nop-ho-so/${encodeURIComponent(d.procedureCode)}?nhap=${d.id}`}>{t('Tiếp tục nộp', 'Continue')}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('Không có bản nháp.', 'No drafts.')}</p>
        )}
      </section>
      <section aria-labelledby="dossiers-title">
        <h2 id="dossiers-title">{t('Hồ sơ đã nộp', 'Submitted dossiers')}</h2>
        {dossiers.length ? (
          <ul class="plain">
            {dossiers.map(({ dossier: d, submission: s }) => (
              <li class="card">
                <a href={`/cong-dan/ho-so/${d.id}`}>
                  <strong>{d.code ?? t('Chờ cấp mã (chưa tiếp nhận)', 'Code pending (not yet received)')}</strong>
                </a>
                <br />
                {d.procedureName}
                <br />
                <span>
                  {t('Trạng thái', 'Status')}: {status(d, lang)}
                </span>
                {d.appointmentAt ? (
                  <>
                    <br />
                    <span>
                      {t('Hẹn trả kết quả', 'Appointment')}: {formatVnDateTime(d.appointmentAt)}
                    </span>
                  </>
                ) : null}
                <br />
                <span class="muted">
                  {t('Nộp lúc', 'Submitted')} {formatVnDateTime(s.submittedAt)}
                  {s.actorKind === 'team_member' ? ` · ${t('nộp thay bởi', 'submitted on your behalf by')} ${s.actorName}` : ''}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('Bạn chưa nộp hồ sơ trực tuyến nào.', 'You have not submitted any dossier online.')}</p>
        )}
      </section>
    </>
  )
}

export interface FeeView {
  id: string
  description: string
  amountVnd: number | null
  status: string
  statusLabel: string
  payable: boolean
  receiptHref: string | undefined
}

export interface MyDossierProps {
  lang: Lang
  csrf: string
  dossier: DossierRow
  submission: Submission
  view: { timeline: { at: string; content: string; officer: string; title: string; agency: string | null }[]; apologies: { reason: string; newAppointment: string }[]; late: boolean }
  supplement: { at: Date; reason: string | null; missing: string[] } | undefined
  files: DossierFileView[]
  /** The office's result documents (once approved). */
  results: DossierFileView[]
  documents: { requirement: string; digitisationStatus: number }[]
  fees: FeeView[]
  /** The office's messages about this dossier (notify's in-app channel), oldest first. */
  messages: { id: string; subject: string; body: string; createdAt: Date }[]
  onlinePayment: boolean
  errors: FieldErrors
  message?: string | undefined
  notice?: string | undefined
  maxFileMb: number
}

const DIGITISATION_LABELS: Record<number, string> = { 0: 'Chưa số hóa', 1: 'Đã số hóa (tải lên)', 2: 'Tái sử dụng giấy tờ đã có', 3: 'Tái sử dụng kết quả đã có' }

function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  )
}

/** One of the citizen's dossiers: status, appointment, office messages, supplement upload, fees, files, result, timeline, withdrawal. */
export function MyDossierPage(p: MyDossierProps) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const d = p.dossier
  const base = `/cong-dan/ho-so/${d.id}`
  const results = p.results
  const others = p.files
  const open = !['refused', 'withdrawn', 'stopped', 'returned'].includes(d.status)
  return (
    <>
      <p>
        <a href="/cong-dan/ho-so">{t('← Hồ sơ của tôi', '← My dossiers')}</a>
      </p>
      <h1>
        {t('Hồ sơ', 'Dossier')} {d.code ?? t('(chờ tiếp nhận)', '(awaiting receipt)')}
      </h1>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.message || Object.keys(p.errors).length ? (
        <div class="alert" role="alert">
          {p.message ?? t('Chưa thực hiện được, xem lỗi bên dưới.', 'Not done; see below.')}
        </div>
      ) : null}
      <Facts
        items={[
          [t('Thủ tục', 'Procedure'), d.procedureName],
          [t('Mã hồ sơ', 'Dossier code'), d.code ?? t('Sẽ được cấp khi cơ quan tiếp nhận hồ sơ', 'Given when the office receives the dossier')],
          [t('Trạng thái', 'Status'), <strong>{status(d, p.lang)}</strong>],
          [t('Ngày nộp', 'Submitted'), formatVnDateTime(d.submittedAt)],
          [t('Hẹn trả kết quả', 'Appointment'), d.appointmentAt ? formatVnDateTime(d.appointmentAt) : t('Sau khi tiếp nhận', 'After receipt')],
          ...(p.submission.actorKind === 'team_member' ? [[t('Người nộp', 'Submitted by'), `${t('nộp thay bởi', 'on your behalf by')} ${p.submission.actorName}`] as [string, string]] : []),
        ]}
      />
      {p.supplement ? (
        <section aria-labelledby="supplement-title" class="card">
          <h2 id="supplement-title">{t('Cơ quan yêu cầu bổ sung hồ sơ', 'The office asks for a supplement')}</h2>
          <p>
            {formatVnDateTime(p.supplement.at)}
            {p.supplement.reason ? `: ${p.supplement.reason}` : ''}
          </p>
          {p.supplement.missing.length ? (
            <>
              <p>{t('Giấy tờ cần bổ sung:', 'Missing documents:')}</p>
              <ul>
                {p.supplement.missing.map((m) => (
                  <li>{m}</li>
                ))}
              </ul>
            </>
          ) : null}
          <form method="post" action={`${base}/bo-sung`} enctype="multipart/form-data">
            <CsrfField token={p.csrf} />
            <input type="hidden" name="expectedVersion" value={String(d.version)} />
            <p>
              <label for="f-note">{t('Ghi chú (không bắt buộc)', 'Note (optional)')}</label>
              <textarea id="f-note" name="note" rows={2} maxLength={1000} />
            </p>
            <p>
              <label for="f-files">{t('Tệp bổ sung (PDF, JPEG, PNG)', 'Supplement files (PDF, JPEG, PNG)')}</label>
              <span class="hint" id="f-files-hint">
                {t(`Tối đa ${p.maxFileMb} MB mỗi tệp; chọn được nhiều tệp.`, `At most ${p.maxFileMb} MB each; several files allowed.`)}
              </span>
              <input type="file" id="f-files" name="files" multiple accept={ACCEPT_ATTRIBUTE} aria-invalid={p.errors['files']?.length ? 'true' : undefined} aria-describedby={['f-files-hint', p.errors['files']?.length ? 'f-files-error' : ''].filter(Boolean).join(' ')} />
              {p.errors['files']?.length ? (
                <p class="field-error" id="f-files-error">
                  {p.errors['files'].join(' ')}
                </p>
              ) : null}
            </p>
            <button type="submit">{t('Nộp bổ sung', 'Hand in the supplement')}</button>
          </form>
        </section>
      ) : null}
      {p.fees.length ? (
        <section aria-labelledby="fees-title">
          <h2 id="fees-title">{t('Phí, lệ phí', 'Fees')}</h2>
          <ul class="plain">
            {p.fees.map((f) => (
              <li class="card">
                {f.description}: <strong>{f.amountVnd !== null ? `${f.amountVnd.toLocaleString('vi-VN')} đồng` : t('chờ cơ quan xác định số tiền', 'amount to be stated by the office')}</strong> · {f.statusLabel}
                {f.payable && p.onlinePayment ? (
                  <form method="post" action={`${base}/thanh-toan`}>
                    <CsrfField token={p.csrf} />
                    <input type="hidden" name="obligationId" value={f.id} />
                    <button type="submit">{t('Thanh toán', 'Pay')}</button>
                  </form>
                ) : null}
                {f.receiptHref ? (
                  <p>
                    <a href={f.receiptHref}>{t('Biên lai điện tử (PDF)', 'Electronic receipt (PDF)')}</a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {results.length ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{t('Kết quả giải quyết', 'Result')}</h2>
          <ul>
            {results.map((f) => (
              <li>
                <a href={`${base}/tep/${f.id}`}>{f.name}</a>
                {f.legalCopy ? ` — ${t('bản sao điện tử có giá trị pháp lý', 'legally valid electronic copy')}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="files-title">
        <h2 id="files-title">{t('Giấy tờ đã nộp', 'Documents handed in')}</h2>
        {p.documents.length ? (
          <ul>
            {p.documents.map((x) => (
              <li>
                {x.requirement}: <span class="muted">{DIGITISATION_LABELS[x.digitisationStatus]}</span>
              </li>
            ))}
          </ul>
        ) : null}
        {others.length ? (
          <ul>
            {others.map((f) => (
              <li>
                <a href={`${base}/tep/${f.id}`}>{f.name}</a> <span class="muted">({formatVnDateTime(new Date(f.attachedAt))})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('Chưa có tệp.', 'No files.')}</p>
        )}
      </section>
      {p.messages.length ? (
        <section aria-labelledby="messages-title">
          <h2 id="messages-title">{t('Thông báo của cơ quan', 'Messages from the office')}</h2>
          <ol class="messages">
            {p.messages.map((msg) => (
              <li>
                <strong>{msg.subject}</strong> <span class="muted">{formatVnDateTime(msg.createdAt)}</span>
                <p class="pre-line">{msg.body}</p>
              </li>
            ))}
          </ol>
          <p>
            <a href="/cong-dan/thong-bao">{t('Tất cả thông báo, cách nhận thông báo', 'All messages, how to receive them')}</a>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('Quá trình xử lý', 'Progress')}</h2>
        <ol class="timeline">
          {p.view.timeline.map((e) => (
            <li>
              <strong>{formatVnDateTime(new Date(e.at))}</strong> — {e.content}
              <br />
              <span class="muted">
                {e.officer} · {e.title}
                {e.agency ? ` · ${e.agency}` : ''}
              </span>
            </li>
          ))}
        </ol>
      </section>
      {open ? (
        <p>
          <a href={`${base}/rut`}>{t('Rút hồ sơ', 'Withdraw the dossier')}</a>
        </p>
      ) : null}
    </>
  )
}

/** Withdrawal asks for a reason and a confirmation. */
export function WithdrawPage({ lang, csrf, dossier, errors }: { lang: Lang; csrf: string; dossier: DossierRow; errors: FieldErrors }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  const base = `/cong-dan/ho-so/${dossier.id}`
  return (
    <>
      <p>
        <a href={base}>{t('← Quay lại hồ sơ', '← Back to the dossier')}</a>
      </p>
      <h1>{t('Rút hồ sơ', 'Withdraw the dossier')}</h1>
      <p>
        {dossier.procedureName} · {dossier.code ?? t('chưa có mã', 'no code yet')}
      </p>
      {Object.keys(errors).length ? (
        <div class="alert" role="alert">
          {t('Chưa rút được hồ sơ, xem lỗi bên dưới.', 'Not withdrawn; see below.')}
        </div>
      ) : null}
      <p class="notice">{t('Hồ sơ đã rút sẽ dừng giải quyết và không thể khôi phục; muốn làm lại phải nộp hồ sơ mới.', 'A withdrawn dossier stops for good; to start again, submit a new one.')}</p>
      <form method="post" action={`${base}/rut`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="expectedVersion" value={String(dossier.version)} />
        <TextInput name="reason" label={t('Lý do rút hồ sơ', 'Reason')} value="" errors={errors} required textarea maxLength={1000} />
        <p>
          <label class="check" for="f-confirm">
            <input type="checkbox" id="f-confirm" name="confirm" value="1" required aria-describedby={errors['confirm']?.length ? errorId('confirm') : undefined} /> {t('Tôi xác nhận rút hồ sơ này.', 'I confirm I withdraw this dossier.')}
          </label>
          <FieldError name="confirm" errors={errors} />
        </p>
        <button type="submit">{t('Rút hồ sơ', 'Withdraw')}</button>
      </form>
    </>
  )
}

const SOURCE_LABELS: Record<string, { vi: string; en: string }> = {
  result: { vi: 'Kết quả giải quyết thủ tục', en: 'Result of a dossier' },
  upload: { vi: 'Tệp bạn đã nộp', en: 'Your upload' },
  digitised: { vi: 'Giấy tờ đã số hóa', en: 'Digitised paper' },
}

/** The document wallet: results, uploads, digitised papers; view/download; where each was reused. */
export function WalletPage({ lang, items }: { lang: Lang; items: WalletEntry[] }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <>
      <h1>{t('Kho giấy tờ của tôi', 'My document wallet')}</h1>
      <p>
        {t('Giấy tờ trong kho được dùng lại khi nộp hồ sơ mới, không cần tải lên lại.', 'Documents here can be reused in a new dossier instead of uploading them again.')} <a href="/cong-dan/ho-so">{t('Hồ sơ của tôi', 'My dossiers')}</a>
      </p>
      {items.length ? (
        <ul class="plain">
          {items.map((i) => (
            <li class="card">
              <strong>{i.title}</strong>
              <br />
              <span>{SOURCE_LABELS[i.source]?.[lang] ?? i.source}</span>
              {i.legalCopy ? (
                <>
                  <br />
                  <span class="tag">{t('Bản sao điện tử có giá trị pháp lý', 'Legally valid electronic copy')}</span>
                </>
              ) : null}
              <br />
              <span class="muted">
                {t('Thêm vào kho', 'Added')} {formatVnDateTime(i.addedAt)}
                {i.document ? ` · ${Math.max(1, Math.round(i.document.sizeBytes / 1024))} KB` : ''}
                {i.reuses.length ? ` · ${t('đã dùng lại', 'reused')} ${i.reuses.length} ${t('lần', 'times')}` : ''}
              </span>
              <br />
              <a href={`/cong-dan/kho-giay-to/${i.id}`}>{t('Xem, tải về', 'View, download')}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('Kho giấy tờ chưa có giấy tờ nào.', 'Your wallet is empty.')}</p>
      )}
    </>
  )
}
