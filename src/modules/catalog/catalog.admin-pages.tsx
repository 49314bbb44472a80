import type { ComponentChildren } from 'preact'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { CsrfField } from '../../shared/ui/layout.js'
import type { AdminStatus } from './catalog.admin.repo.js'
import { fieldId, type EditFormState, type FeeFields, type FieldErrors, type TimeFields } from './catalog.admin-form.js'
import { fieldLabel } from './catalog.diff.js'
import { CHANNEL_LABELS, LEVEL_LABELS, ONLINE_LABELS, RULE_LABELS, SUBJECT_LABELS } from './catalog.labels.js'
import type { AuditEntryDto, FieldChangeDto, ProcedureDto } from './catalog.schemas.js'

type T = (vi: string, en: string) => string
const tt = (lang: Lang): T => (vi, en) => tr(lang, vi, en)
const when = (iso: string | Date) => formatVnDateTime(typeof iso === 'string' ? new Date(iso) : iso)

export const adminHref = (code: string, page?: 'lich-su' | 'quy-trinh') => `/admin/thu-tuc/${code}${page ? `/${page}` : ''}`

// ---- small pieces ----------------------------------------------------------------------------

export function ErrorText({ name, errors }: { name: string; errors: FieldErrors }) {
  const e = errors[name]
  if (!e?.length) return null
  return (
    <p class="field-error" id={`${fieldId(name)}-error`}>
      {e.join(' ')}
    </p>
  )
}

/** The attributes that tie an input to its label and its error. */
function attrs(name: string, errors: FieldErrors) {
  const bad = !!errors[name]?.length
  return { id: fieldId(name), name, 'aria-invalid': bad ? ('true' as const) : undefined, 'aria-describedby': bad ? `${fieldId(name)}-error` : undefined }
}

export function TextField(p: { name: string; label: string; value: string; errors: FieldErrors; maxLength?: number; type?: 'text' | 'number' | 'date'; required?: boolean; hint?: string; list?: string }) {
  return (
    <>
      <label for={fieldId(p.name)}>{p.label}</label>
      {p.hint ? <p class="muted hint">{p.hint}</p> : null}
      <input {...attrs(p.name, p.errors)} type={p.type ?? 'text'} value={p.value} maxLength={p.type === 'text' || !p.type ? p.maxLength : undefined} required={p.required} list={p.list} inputMode={p.type === 'number' ? 'decimal' : undefined} />
      <ErrorText name={p.name} errors={p.errors} />
    </>
  )
}

export function TextArea(p: { name: string; label: string; value: string; errors: FieldErrors; rows?: number; maxLength?: number; required?: boolean; hint?: string }) {
  return (
    <>
      <label for={fieldId(p.name)}>{p.label}</label>
      {p.hint ? <p class="muted hint">{p.hint}</p> : null}
      <textarea {...attrs(p.name, p.errors)} rows={p.rows ?? 3} maxLength={p.maxLength} required={p.required}>
        {p.value}
      </textarea>
      <ErrorText name={p.name} errors={p.errors} />
    </>
  )
}

export function Select(p: { name: string; label: string; value: string; errors: FieldErrors; options: [string, string][]; children?: ComponentChildren }) {
  return (
    <>
      <label for={fieldId(p.name)}>{p.label}</label>
      <select {...attrs(p.name, p.errors)}>
        {p.options.map(([v, l]) => (
          <option value={v} selected={v === p.value}>
            {l}
          </option>
        ))}
        {p.children}
      </select>
      <ErrorText name={p.name} errors={p.errors} />
    </>
  )
}

export function RemoveBox({ name, label }: { name: string; label: string }) {
  return (
    <div class="check">
      <input type="checkbox" id={fieldId(name)} name={name} value="1" />
      <label class="inline-label" for={fieldId(name)}>
        {label}
      </label>
    </div>
  )
}

export function AddButton({ action, children }: { action: string; children: ComponentChildren }) {
  return (
    <button type="submit" name="_action" value={action} class="secondary">
      {children}
    </button>
  )
}

/** The links between the administration pages of one procedure. */
export function ProcedureTabs({ lang, code, current }: { lang: Lang; code: string; current: 'edit' | 'history' | 'workflow' }) {
  const t = tt(lang)
  return (
    <nav aria-label={t('Trang quản trị thủ tục', 'Procedure administration')}>
      <ul class="tabs">
        <li>
          <a href="/admin/thu-tuc">{t('← Danh mục (quản trị)', '← Catalogue (admin)')}</a>
        </li>
        <li>
          <a href={adminHref(code)} aria-current={current === 'edit' ? 'page' : undefined}>
            {t('Sửa, công bố', 'Edit, publish')}
          </a>
        </li>
        <li>
          <a href={adminHref(code, 'quy-trinh')} aria-current={current === 'workflow' ? 'page' : undefined}>
            {t('Quy trình giải quyết', 'Workflow')}
          </a>
        </li>
        <li>
          <a href={adminHref(code, 'lich-su')} aria-current={current === 'history' ? 'page' : undefined}>
            {t('Lịch sử và so sánh phiên bản', 'History and comparison')}
          </a>
        </li>
        <li>
          <a href={`/thu-tuc/${code}`}>{t('Trang công khai', 'Public page')}</a>
        </li>
      </ul>
    </nav>
  )
}

function StatusText({ lang, inProvince, unpublishedAt }: { lang: Lang; inProvince: boolean; unpublishedAt: Date | string | null }) {
  const t = tt(lang)
  if (unpublishedAt) return <span class="tag late">{t(`Ngừng công bố từ ${when(unpublishedAt)}`, `Unpublished since ${when(unpublishedAt)}`)}</span>
  return inProvince ? <span>{t('Đang công bố', 'Published')}</span> : <span class="muted">{t('Không áp dụng tại tỉnh', 'Not applied in the province')}</span>
}

/** Links to the first, previous, current, next and last pages. */
function Pager({ lang, page, pages, href }: { lang: Lang; page: number; pages: number; href: (n: number) => string }) {
  const t = tt(lang)
  if (pages <= 1) return null
  const around = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  return (
    <nav aria-label={t('Phân trang', 'Pages')} class="pager">
      <ul>
        {around.map((n) => (
          <li>
            <a href={href(n)} aria-current={n === page ? 'page' : undefined}>
              {t(`Trang ${n}`, `Page ${n}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

// ---- list ------------------------------------------------------------------------------------

export interface AdminListItem {
  code: string
  name: string
  field: string
  currentVersion: number
  inProvince: boolean
  unpublishedAt: Date | null
  updatedAt: Date
}

const STATUS_TABS: [AdminStatus, string, string][] = [
  ['active', 'Đang công bố tại tỉnh', 'Published in the province'],
  ['unpublished', 'Đã ngừng công bố', 'Unpublished'],
  ['outside', 'Không áp dụng tại tỉnh', 'Not applied here'],
  ['all', 'Tất cả', 'All'],
]

export function listHref(p: { q?: string | undefined; status?: AdminStatus; page?: number }): string {
  const qs = new URLSearchParams()
  if (p.q) qs.set('q', p.q)
  if (p.status && p.status !== 'active') qs.set('trang-thai', p.status)
  if (p.page && p.page > 1) qs.set('trang', String(p.page))
  const s = qs.toString()
  return s ? `/admin/thu-tuc?${s}` : '/admin/thu-tuc'
}

/** Administrators' list of procedures: search, status tabs with counts, a page of results. */
export function AdminCatalogListPage(p: { lang: Lang; q: string | undefined; status: AdminStatus; page: number; pageSize: number; items: AdminListItem[]; counts: Record<AdminStatus, number> }) {
  const t = tt(p.lang)
  const total = p.counts[p.status]
  const pages = Math.max(1, Math.ceil(total / p.pageSize))
  return (
    <section>
      <h1>{t('Quản trị danh mục thủ tục', 'Procedure catalogue administration')}</h1>
      <p>
        {t(
          'Sửa một thủ tục tạo phiên bản mới; phiên bản cũ vẫn xem được. Mọi thay đổi được ghi nhật ký.',
          'Editing a procedure creates a new version; older versions stay readable. Every change is logged.',
        )}{' '}
        <a href="/admin/thu-tuc/nhat-ky">{t('Nhật ký thay đổi danh mục', 'Catalogue change log')}</a>
      </p>
      <form method="get" action="/admin/thu-tuc" role="search" class="search">
        {p.status !== 'active' ? <input type="hidden" name="trang-thai" value={p.status} /> : null}
        <label for="admin-q">{t('Mã hoặc tên thủ tục', 'Code or name')}</label>
        <div class="search-row">
          <input id="admin-q" name="q" type="search" maxLength={200} value={p.q ?? ''} />
          <button type="submit">{t('Tìm', 'Search')}</button>
        </div>
      </form>
      <nav aria-label={t('Trạng thái', 'Status')}>
        <ul class="tabs">
          {STATUS_TABS.map(([s, vi, en]) => (
            <li>
              <a href={listHref({ q: p.q, status: s })} aria-current={s === p.status ? 'page' : undefined}>
                {t(vi, en)} ({p.counts[s]})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {p.items.length ? (
        <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Danh sách thủ tục', 'Procedures')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('Mã', 'Code')}</th>
                <th scope="col">{t('Tên thủ tục', 'Name')}</th>
                <th scope="col">{t('Lĩnh vực', 'Field')}</th>
                <th scope="col">{t('Phiên bản', 'Version')}</th>
                <th scope="col">{t('Trạng thái', 'Status')}</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((i) => (
                <tr>
                  <td>{i.code}</td>
                  <td>
                    <a href={adminHref(i.code)}>{i.name}</a>
                  </td>
                  <td>{i.field}</td>
                  <td class="num">{i.currentVersion}</td>
                  <td>
                    <StatusText lang={p.lang} inProvince={i.inProvince} unpublishedAt={i.unpublishedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('Không có thủ tục nào phù hợp.', 'No procedure matches.')}</p>
      )}
      <Pager lang={p.lang} page={p.page} pages={pages} href={(n) => listHref({ q: p.q, status: p.status, page: n })} />
    </section>
  )
}

// ---- edit ------------------------------------------------------------------------------------

const TIME_KINDS: [string, string, string][] = [
  ['working_days', 'ngày làm việc', 'working days'],
  ['calendar_days', 'ngày (kể cả ngày nghỉ)', 'calendar days'],
  ['working_hours', 'giờ làm việc', 'working hours'],
  ['hours', 'giờ', 'hours'],
  ['calendar_months', 'tháng', 'months'],
  ['same_day', 'trong ngày', 'within the day'],
  ['unparsed', 'ghi bằng lời (như công bố)', 'written out (as published)'],
]
const FEE_KINDS: [string, string, string][] = [
  ['amount', 'Số tiền (đồng)', 'Amount (VND)'],
  ['free', 'Miễn phí', 'Free'],
  ['council', 'Do HĐND tỉnh quyết định', 'Set by the provincial council'],
  ['unparsed', 'Ghi bằng lời (như công bố)', 'Written out (as published)'],
]

function TimeInputs({ lang, prefix, v, errors, optional }: { lang: Lang; prefix: string; v: TimeFields; errors: FieldErrors; optional?: boolean }) {
  const t = tt(lang)
  return (
    <>
      <Select
        name={`${prefix}timeKind`}
        label={t('Thời hạn giải quyết: đơn vị', 'Time limit: unit')}
        value={v.kind}
        errors={errors}
        options={[['', optional ? t('— Không có —', '— None —') : t('— Chọn —', '— Choose —')], ...TIME_KINDS.map(([k, vi, en]): [string, string] => [k, t(vi, en)])]}
      />
      <TextField name={`${prefix}timeValue`} type="number" label={t('Thời hạn: số (ngày, giờ, tháng)', 'Time limit: number')} value={v.value} errors={errors} />
      <TextField name={`${prefix}timeText`} label={t('Thời hạn ghi bằng lời (khi chọn “ghi bằng lời”)', 'Time limit written out (when so chosen)')} value={v.text} errors={errors} maxLength={2000} />
    </>
  )
}

function FeeInputs({ lang, prefix, v, errors, optional }: { lang: Lang; prefix: string; v: FeeFields; errors: FieldErrors; optional?: boolean }) {
  const t = tt(lang)
  return (
    <>
      <Select
        name={`${prefix}feeKind`}
        label={t('Phí, lệ phí: loại', 'Fee: kind')}
        value={v.kind}
        errors={errors}
        options={[['', optional ? t('— Không có —', '— None —') : t('— Chọn —', '— Choose —')], ...FEE_KINDS.map(([k, vi, en]): [string, string] => [k, t(vi, en)])]}
      />
      <TextField name={`${prefix}feeAmount`} type="number" label={t('Số tiền (đồng)', 'Amount (VND)')} value={v.amount} errors={errors} />
      <TextField name={`${prefix}feeText`} label={t('Mức phí ghi bằng lời (khi chọn “ghi bằng lời”)', 'Fee written out (when so chosen)')} value={v.text} errors={errors} maxLength={2000} />
      <TextField name={`${prefix}feeNote`} label={t('Ghi chú về phí', 'Note on the fee')} value={v.note} errors={errors} maxLength={2000} />
    </>
  )
}

export interface AgencyOption {
  ref: string
  name: string
}

/**
 * A list of rows, each its own fieldset with a "remove" checkbox, and a button that adds one
 * (a submit that re-renders the form without saving).
 */
function RowList<R>(p: {
  legend: string
  list: string
  rows: R[]
  rowLegend: (i: number) => string
  removeLabel: string
  addLabel: string
  errors: FieldErrors
  render: (row: R, i: number) => ComponentChildren
}) {
  return (
    <fieldset>
      <legend>{p.legend}</legend>
      <ErrorText name={p.list} errors={p.errors} />
      {p.rows.map((r, i) => (
        <fieldset class="row">
          <legend>{p.rowLegend(i)}</legend>
          {p.render(r, i)}
          <RemoveBox name={`${p.list}.${i}.remove`} label={p.removeLabel} />
        </fieldset>
      ))}
      <AddButton action={`add:${p.list}`}>{p.addLabel}</AddButton>
    </fieldset>
  )
}

function AgencyRows({ lang, s, errors, options }: { lang: Lang; s: EditFormState; errors: FieldErrors; options: AgencyOption[] }) {
  const t = tt(lang)
  const known = new Set(options.map((o) => o.ref))
  const rules = Object.keys(RULE_LABELS)
  return (
    <RowList
      legend={t('Cơ quan giải quyết và nơi tiếp nhận', 'Deciding and receiving agencies')}
      list="agencies"
      rows={s.agencies}
      rowLegend={(i) => t(`Cơ quan ${i + 1}`, `Agency ${i + 1}`)}
      removeLabel={t('Xóa cơ quan này', 'Remove this agency')}
      addLabel={t('Thêm cơ quan', 'Add an agency')}
      errors={errors}
      render={(a, i) => (
        <>
          <Select name={`agencies.${i}.ref`} label={t('Cơ quan', 'Agency')} value={a.ref} errors={errors} options={[['', t('— Chọn cơ quan —', '— Choose an agency —')]]}>
            {a.ref && !known.has(a.ref) && !rules.includes(a.ref) ? (
              <option value={a.ref} selected>
                {a.ref} ({t('chưa có trong danh mục tổ chức', 'not in the organisation list')})
              </option>
            ) : null}
            <optgroup label={t('Mọi xã, phường (theo nơi nộp)', 'Every commune (where the applicant is)')}>
              {rules.map((r) => (
                <option value={r} selected={r === a.ref}>
                  {tr(lang, RULE_LABELS[r]?.vi ?? r, RULE_LABELS[r]?.en ?? r)}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('Cơ quan', 'Agencies')}>
              {options.map((o) => (
                <option value={o.ref} selected={o.ref === a.ref}>
                  {o.name}
                </option>
              ))}
            </optgroup>
          </Select>
          <Select
            name={`agencies.${i}.role`}
            label={t('Vai trò', 'Role')}
            value={a.role}
            errors={errors}
            options={[
              ['competent', t('Có thẩm quyền giải quyết', 'Decides')],
              ['receiving', t('Tiếp nhận hồ sơ', 'Receives dossiers')],
            ]}
          />
        </>
      )}
    />
  )
}

function ChannelRows({ lang, s, errors }: { lang: Lang; s: EditFormState; errors: FieldErrors }) {
  const t = tt(lang)
  return (
    <RowList
      legend={t('Thời hạn giải quyết và phí, lệ phí theo hình thức nộp', 'Time limit and fees per channel')}
      list="channels"
      rows={s.channels}
      rowLegend={(i) => t(`Dòng ${i + 1}`, `Row ${i + 1}`)}
      removeLabel={t('Xóa dòng này', 'Remove this row')}
      addLabel={t('Thêm dòng thời hạn, phí', 'Add a time and fee row')}
      errors={errors}
      render={(r, i) => (
        <>
          <Select
            name={`channels.${i}.channel`}
            label={t('Hình thức nộp', 'Channel')}
            value={r.channel}
            errors={errors}
            options={[['', t('— Chọn —', '— Choose —')], ...Object.entries(CHANNEL_LABELS).map(([k, l]): [string, string] => [k, tr(lang, l.vi, l.en)])]}
          />
          <TimeInputs lang={lang} prefix={`channels.${i}.`} v={r.time} errors={errors} />
          <FeeInputs lang={lang} prefix={`channels.${i}.`} v={r.fee} errors={errors} />
          <TextField name={`channels.${i}.description`} label={t('Mô tả (trường hợp áp dụng)', 'Description (when it applies)')} value={r.description} errors={errors} maxLength={4000} />
        </>
      )}
    />
  )
}

function CaseRows({ lang, s, errors }: { lang: Lang; s: EditFormState; errors: FieldErrors }) {
  const t = tt(lang)
  return (
    <RowList
      legend={t('Thành phần hồ sơ theo trường hợp', 'Documents per case')}
      list="cases"
      rows={s.cases}
      rowLegend={(i) => t(`Trường hợp ${i + 1}`, `Case ${i + 1}`)}
      removeLabel={t('Xóa cả trường hợp này', 'Remove this whole case')}
      addLabel={t('Thêm trường hợp', 'Add a case')}
      errors={errors}
      render={(c, i) => (
        <>
          <TextField name={`cases.${i}.name`} label={t('Tên trường hợp (để trống nếu chỉ có một)', 'Case name (blank if there is only one)')} value={c.name} errors={errors} maxLength={1000} />
          {c.documents.map((d, k) => {
            const p = `cases.${i}.documents.${k}.`
            return (
              <fieldset class="doc">
                <legend>{t(`Giấy tờ ${k + 1}`, `Document ${k + 1}`)}</legend>
                {d.isNew ? <input type="hidden" name={`${p}isNew`} value="1" /> : null}
                <TextArea name={`${p}name`} label={t('Tên giấy tờ', 'Document name')} value={d.name} errors={errors} rows={2} maxLength={6000} />
                <div class="pair">
                  <div>
                    <TextField name={`${p}originals`} type="number" label={t('Bản chính', 'Originals')} value={d.originals} errors={errors} />
                  </div>
                  <div>
                    <TextField name={`${p}copies`} type="number" label={t('Bản sao', 'Copies')} value={d.copies} errors={errors} />
                  </div>
                </div>
                <TextField name={`${p}templates`} label={t('Mẫu đơn, tờ khai (cách nhau bằng dấu ;)', 'Forms (separated by ;)')} value={d.templates} errors={errors} maxLength={3000} />
                <RemoveBox name={`${p}remove`} label={t('Xóa giấy tờ này', 'Remove this document')} />
              </fieldset>
            )
          })}
          <AddButton action={`add:documents:${i}`}>{t(`Thêm giấy tờ vào trường hợp ${i + 1}`, `Add a document to case ${i + 1}`)}</AddButton>
        </>
      )}
    />
  )
}

function LegalRows({ lang, s, errors }: { lang: Lang; s: EditFormState; errors: FieldErrors }) {
  const t = tt(lang)
  return (
    <RowList
      legend={t('Căn cứ pháp lý', 'Legal basis')}
      list="legalBases"
      rows={s.legalBases}
      rowLegend={(i) => t(`Văn bản ${i + 1}`, `Text ${i + 1}`)}
      removeLabel={t('Xóa văn bản này', 'Remove this text')}
      addLabel={t('Thêm căn cứ pháp lý', 'Add a legal basis')}
      errors={errors}
      render={(b, i) => (
        <>
          <TextField name={`legalBases.${i}.code`} label={t('Số hiệu', 'Number')} value={b.code} errors={errors} maxLength={100} />
          <TextArea name={`legalBases.${i}.title`} label={t('Tên văn bản', 'Title')} value={b.title} errors={errors} rows={2} maxLength={2000} />
          <TextField name={`legalBases.${i}.effectiveFrom`} type="date" label={t('Hiệu lực từ ngày', 'In force from')} value={b.effectiveFrom} errors={errors} />
        </>
      )}
    />
  )
}

function Checks({ name, legend, values, options, errors }: { name: string; legend: string; values: string[]; options: [string, string][]; errors: FieldErrors }) {
  const bad = !!errors[name]?.length
  return (
    <fieldset aria-describedby={bad ? `${fieldId(name)}-error` : undefined}>
      <legend>{legend}</legend>
      {options.map(([v, l]) => (
        <div class="check">
          <input type="checkbox" id={`${fieldId(name)}-${v}`} name={name} value={v} checked={values.includes(v)} />
          <label class="inline-label" for={`${fieldId(name)}-${v}`}>
            {l}
          </label>
        </div>
      ))}
      <ErrorText name={name} errors={errors} />
    </fieldset>
  )
}

/** Every error of the form at the top, each a link to its field. */
export function ErrorSummary({ lang, errors, message }: { lang: Lang; errors: FieldErrors; message?: string | undefined }) {
  const t = tt(lang)
  const entries = Object.entries(errors)
  if (!entries.length && !message) return null
  return (
    <div class="alert" role="alert">
      <p>
        <strong>{message ?? t('Chưa lưu: hãy sửa các lỗi dưới đây.', 'Not saved: correct the problems below.')}</strong>
      </p>
      {entries.length ? (
        <ul>
          {entries.map(([k, m]) => (
            <li>{k === 'form' ? m.join(' ') : <a href={`#${fieldId(k)}`}>{m.join(' ')}</a>}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

export interface PublicationForm {
  reason: string
  note: string
  errors: FieldErrors
  message?: string | undefined
}

function PublicationBox({ lang, csrf, proc, form }: { lang: Lang; csrf: string; proc: ProcedureDto; form: PublicationForm }) {
  const t = tt(lang)
  return (
    <section aria-labelledby="h-publication" class="card">
      <h2 id="h-publication">{t('Công bố trên cổng', 'Publication on the portal')}</h2>
      {form.message ? (
        <p class="alert" role="alert">
          {form.message}
        </p>
      ) : null}
      {proc.unpublishedAt ? (
        <>
          <p>
            <strong>{t(`Đã ngừng công bố từ ${when(proc.unpublishedAt)}.`, `Unpublished since ${when(proc.unpublishedAt)}.`)}</strong> {t('Lý do', 'Reason')}: {proc.unpublishedReason}
          </p>
          <p class="muted">
            {t(
              'Thủ tục không hiện trong tìm kiếm và trang cơ quan, không tiếp nhận hồ sơ mới; các phiên bản vẫn xem được.',
              'It is hidden from search and agency pages and takes no new dossiers; its versions stay readable.',
            )}
          </p>
          <form method="post" action={`${adminHref(proc.code)}/cong-bo`}>
            <CsrfField token={csrf} />
            <input type="hidden" name="expectedVersion" value={String(proc.latestVersion)} />
            <TextField name="note" label={t('Ghi chú (không bắt buộc)', 'Note (optional)')} value={form.note} errors={form.errors} maxLength={1000} />
            <button type="submit">{t('Công bố lại', 'Publish again')}</button>
          </form>
        </>
      ) : (
        <>
          <p>
            {proc.inProvince
              ? t('Đang công bố trên cổng dịch vụ công của tỉnh.', 'Published on the provincial portal.')
              : t('Không áp dụng tại tỉnh (theo danh mục của tỉnh); vẫn xem được trong danh mục quốc gia.', 'Not applied in the province (per its list); still listed nationally.')}
          </p>
          <form method="post" action={`${adminHref(proc.code)}/ngung-cong-bo`}>
            <CsrfField token={csrf} />
            <input type="hidden" name="expectedVersion" value={String(proc.latestVersion)} />
            <TextArea
              name="reason"
              label={t('Lý do ngừng công bố (hiển thị công khai)', 'Reason for unpublishing (shown to the public)')}
              hint={t('Ví dụ: bãi bỏ theo Quyết định số …/QĐ-UBND ngày …', 'E.g. abolished by Decision no. …')}
              value={form.reason}
              errors={form.errors}
              rows={2}
              maxLength={1000}
              required
            />
            <button type="submit">{t('Ngừng công bố', 'Unpublish')}</button>
          </form>
        </>
      )}
    </section>
  )
}

/** The edit page: publication, then the form of the fields an officer changes; one save is one version. */
export function AdminProcedurePage(p: {
  lang: Lang
  csrf: string
  proc: ProcedureDto
  form: EditFormState
  errors: FieldErrors
  message?: string | undefined
  notice?: string | undefined
  publication: PublicationForm
  agencies: AgencyOption[]
  fields: string[]
}) {
  const t = tt(p.lang)
  const { proc, form: s, errors } = p
  return (
    <section>
      <h1>{t(`Sửa thủ tục ${proc.code}`, `Edit procedure ${proc.code}`)}</h1>
      <ProcedureTabs lang={p.lang} code={proc.code} current="edit" />
      <p>
        <strong>{proc.name}</strong>
        <br />
        <span class="muted">
          {t(`Phiên bản hiện hành ${proc.latestVersion}, công bố ${when(proc.publishedAt)}.`, `Current version ${proc.latestVersion}, published ${when(proc.publishedAt)}.`)}
        </span>
      </p>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <PublicationBox lang={p.lang} csrf={p.csrf} proc={proc} form={p.publication} />
      <h2 id="h-edit">{t('Sửa nội dung (tạo phiên bản mới)', 'Edit the content (creates a new version)')}</h2>
      <ErrorSummary lang={p.lang} errors={errors} message={p.message} />
      <form method="post" action={adminHref(proc.code)} aria-labelledby="h-edit" noValidate>
        <CsrfField token={p.csrf} />
        <input type="hidden" name="expectedVersion" value={s.expectedVersion} />
        {/* The first submit button is the one Enter presses: save, never "add a row". */}
        <button type="submit" name="_action" value="save" class="default-submit" tabIndex={-1} aria-hidden="true">
          {t('Lưu', 'Save')}
        </button>
        <fieldset>
          <legend>{t('Thông tin chung', 'General')}</legend>
          <TextArea name="name" label={t('Tên thủ tục', 'Name')} value={s.name} errors={errors} rows={2} maxLength={1200} required />
          <TextField name="field" label={t('Lĩnh vực', 'Field')} value={s.field} errors={errors} maxLength={300} list="field-options" required />
          <datalist id="field-options">
            {p.fields.map((f) => (
              <option value={f} />
            ))}
          </datalist>
          <Checks name="levels" legend={t('Cấp thực hiện', 'Levels')} values={s.levels} errors={errors} options={Object.entries(LEVEL_LABELS).map(([k, l]) => [k, tr(p.lang, l.vi, l.en)])} />
          <Checks name="subjects" legend={t('Đối tượng thực hiện', 'Who applies')} values={s.subjects} errors={errors} options={Object.entries(SUBJECT_LABELS).map(([k, l]) => [k, tr(p.lang, l.vi, l.en)])} />
        </fieldset>
        <fieldset>
          <legend>{t('Dịch vụ công trực tuyến', 'Online service')}</legend>
          <Select
            name="onlineLevel"
            label={t('Mức độ trực tuyến', 'Online level')}
            value={s.onlineLevel}
            errors={errors}
            options={[['', t('— Chưa công bố —', '— Not published —')], ...Object.entries(ONLINE_LABELS).map(([k, l]): [string, string] => [k, tr(p.lang, l.vi, l.en)])]}
          />
          <TextArea
            name="partialReason"
            label={t('Lý do chỉ trực tuyến một phần', 'Why only partly online')}
            hint={t('Bắt buộc khi trực tuyến một phần (Nghị định 224/2026, Điều 14).', 'Required when partly online (Decree 224/2026, Art. 14).')}
            value={s.partialReason}
            errors={errors}
            rows={2}
            maxLength={1000}
          />
          <TextField name="partialLegalBasis" label={t('Căn cứ pháp lý của lý do', 'Legal basis of the reason')} value={s.partialLegalBasis} errors={errors} maxLength={500} />
        </fieldset>
        <AgencyRows lang={p.lang} s={s} errors={errors} options={p.agencies} />
        <ChannelRows lang={p.lang} s={s} errors={errors} />
        <fieldset>
          <legend>{t('Thời hạn, phí riêng của tỉnh (nếu có)', 'Local time limit and fee (if any)')}</legend>
          <TimeInputs lang={p.lang} prefix="local." v={s.local.time} errors={errors} optional />
          <FeeInputs lang={p.lang} prefix="local." v={s.local.fee} errors={errors} optional />
        </fieldset>
        <CaseRows lang={p.lang} s={s} errors={errors} />
        <LegalRows lang={p.lang} s={s} errors={errors} />
        <fieldset>
          <legend>{t('Khác', 'Other')}</legend>
          <TextArea name="conditions" label={t('Yêu cầu, điều kiện', 'Conditions')} value={s.conditions} errors={errors} rows={4} maxLength={20000} />
          <TextField
            name="duePublishBy"
            type="date"
            label={t('Hạn công bố (theo quyết định công bố)', 'Due for publication by')}
            hint={t('Công bố đúng hạn được tính điểm ở Bộ chỉ số 766, nhóm 1.', 'Timely publication is scored in index 766, group 1.')}
            value={s.duePublishBy}
            errors={errors}
          />
        </fieldset>
        <TextArea
          name="changeNote"
          label={t('Nội dung thay đổi (ghi vào lịch sử phiên bản)', 'What changed (recorded in the version history)')}
          hint={t('Ví dụ: Cập nhật theo Quyết định số …/QĐ-UBND', 'E.g. updated per Decision no. …')}
          value={s.changeNote}
          errors={errors}
          rows={2}
          maxLength={500}
          required
        />
        <button type="submit" name="_action" value="save">
          {t('Lưu thành phiên bản mới', 'Save as a new version')}
        </button>
      </form>
    </section>
  )
}

// ---- history and diff ------------------------------------------------------------------------

const SOURCE_LABELS: Record<string, [string, string]> = {
  seed: ['Dữ liệu mẫu', 'Demo data'],
  'national-import': ['Nhập từ CSDL quốc gia', 'National import'],
  'province-import': ['Danh mục của tỉnh', 'Province list'],
  edit: ['Sửa trên hệ thống', 'Edited here'],
}

const ACTION_LABELS: Record<AuditEntryDto['action'], [string, string]> = {
  edit: ['Sửa (phiên bản mới)', 'Edit (new version)'],
  publish: ['Công bố lại', 'Published again'],
  unpublish: ['Ngừng công bố', 'Unpublished'],
  national_import: ['Nhập CSDL quốc gia', 'National import'],
  province_import: ['Nhập danh mục của tỉnh', 'Province list import'],
  seed: ['Nạp dữ liệu mẫu', 'Demo data loaded'],
}

export interface VersionLineAdmin {
  version: number
  publishedAt: string
  duePublishBy: string | null
  publishedOnTime: boolean | null
  source: string
  changeNote: string | null
  createdBy: string | null
}

function Parts({ parts }: { parts: NonNullable<FieldChangeDto['parts']> }) {
  return (
    <>
      {parts.map((x) => (x.added ? <ins>{x.value}</ins> : x.removed ? <del>{x.value}</del> : <span>{x.value}</span>))}
    </>
  )
}

type DiffLine = NonNullable<FieldChangeDto['lines']>[number]

/** Unchanged lines more than one line away from a change fold into a count. */
function foldSame(lines: DiffLine[]): (DiffLine | { op: 'folded'; n: number })[] {
  const near = (i: number) => [i - 1, i, i + 1].some((k) => lines[k] !== undefined && lines[k].op !== 'same')
  const out: (DiffLine | { op: 'folded'; n: number })[] = []
  lines.forEach((l, i) => {
    if (l.op !== 'same' || near(i)) return void out.push(l)
    const last = out[out.length - 1]
    if (last?.op === 'folded') last.n++
    else out.push({ op: 'folded', n: 1 })
  })
  return out
}

/** One field's change: before and after, the changed words marked, or the changed lines of a list. */
function ChangeView({ lang, c }: { lang: Lang; c: FieldChangeDto }) {
  const t = tt(lang)
  const none = <span class="muted">{t('(trống)', '(empty)')}</span>
  return (
    <section class="change" aria-label={c.label}>
      <h3>{c.label}</h3>
      {c.lines ? (
        <ul class="diff-lines">
          {foldSame(c.lines).map((l) =>
            l.op === 'folded' ? (
              <li class="same">{t(`… ${l.n} dòng không đổi`, `… ${l.n} unchanged lines`)}</li>
            ) : l.op === 'same' ? (
              <li class="same">{l.text}</li>
            ) : l.op === 'added' ? (
              <li class="added">
                <span class="mark">{t('Thêm: ', 'Added: ')}</span>
                <ins>{l.text}</ins>
              </li>
            ) : l.op === 'removed' ? (
              <li class="removed">
                <span class="mark">{t('Bỏ: ', 'Removed: ')}</span>
                <del>{l.text}</del>
              </li>
            ) : (
              <li class="changed">
                <span class="mark">{t('Sửa: ', 'Changed: ')}</span>
                <Parts parts={l.parts ?? []} />
              </li>
            ),
          )}
        </ul>
      ) : c.parts ? (
        <p class="diff-text">
          <Parts parts={c.parts} />
        </p>
      ) : (
        <dl class="facts">
          <dt>{t('Trước', 'Before')}</dt>
          <dd>{c.before ?? none}</dd>
          <dt>{t('Sau', 'After')}</dt>
          <dd>{c.after ?? none}</dd>
        </dl>
      )}
    </section>
  )
}

function auditWhat(lang: Lang, a: AuditEntryDto): string {
  const t = tt(lang)
  const d = a.details
  if (a.action === 'edit') {
    const fields = Array.isArray(d['fields']) ? (d['fields'] as string[]) : []
    return t(`Phiên bản ${a.version}: `, `Version ${a.version}: `) + (fields.length ? fields.map((f) => fieldLabel(f, lang)).join(', ') : '—')
  }
  if (a.action === 'publish' || a.action === 'unpublish') return t(`Phiên bản ${a.version}`, `Version ${a.version}`)
  const n = (k: string) => (typeof d[k] === 'number' ? (d[k]) : 0)
  const file = typeof d['file'] === 'string' ? ` (${d['file']})` : ''
  return t(`mới ${n('created')}, thay đổi ${n('changed')}, không đổi ${n('unchanged')}`, `new ${n('created')}, changed ${n('changed')}, unchanged ${n('unchanged')}`) + file
}

/** The audit as a table: when, who, what, why. */
export function AuditTable({ lang, items, withCode }: { lang: Lang; items: AuditEntryDto[]; withCode?: boolean }) {
  const t = tt(lang)
  if (!items.length) return <p>{t('Chưa có thay đổi nào được ghi.', 'No change recorded yet.')}</p>
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Nhật ký thay đổi', 'Change log')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('Thời điểm', 'When')}</th>
            <th scope="col">{t('Người thực hiện', 'Who')}</th>
            <th scope="col">{t('Thao tác', 'Action')}</th>
            {withCode ? <th scope="col">{t('Thủ tục', 'Procedure')}</th> : null}
            <th scope="col">{t('Nội dung', 'What')}</th>
            <th scope="col">{t('Lý do, ghi chú', 'Reason, note')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr>
              <td>{when(a.at)}</td>
              <td>{a.actorName ?? t('Hệ thống (dòng lệnh, dữ liệu mẫu)', 'System (command line, demo data)')}</td>
              <td>{t(...ACTION_LABELS[a.action])}</td>
              {withCode ? <td>{a.code ? <a href={adminHref(a.code, 'lich-su')}>{a.code}</a> : t('Toàn danh mục', 'Whole catalogue')}</td> : null}
              <td>{auditWhat(lang, a)}</td>
              <td>{a.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** History of one procedure: its versions, a field-by-field comparison of any two, and its audit. */
export function AdminHistoryPage(p: {
  lang: Lang
  proc: ProcedureDto
  versions: VersionLineAdmin[]
  audit: AuditEntryDto[]
  from: number | undefined
  to: number | undefined
  changes: FieldChangeDto[] | undefined
  errors: FieldErrors
}) {
  const t = tt(p.lang)
  const { proc } = p
  const editorOf = new Map(p.audit.filter((a) => a.action === 'edit' && a.version !== null).map((a) => [a.version as number, a.actorName]))
  const options = p.versions.map((v): [string, string] => [String(v.version), t(`Phiên bản ${v.version} (${when(v.publishedAt)})`, `Version ${v.version} (${when(v.publishedAt)})`)])
  return (
    <section>
      <h1>{t(`Lịch sử thủ tục ${proc.code}`, `History of procedure ${proc.code}`)}</h1>
      <ProcedureTabs lang={p.lang} code={proc.code} current="history" />
      <p>
        <strong>{proc.name}</strong>
        {proc.unpublishedAt ? (
          <>
            <br />
            <span class="tag late">{t(`Đã ngừng công bố từ ${when(proc.unpublishedAt)}: ${proc.unpublishedReason ?? ''}`, `Unpublished since ${when(proc.unpublishedAt)}: ${proc.unpublishedReason ?? ''}`)}</span>
          </>
        ) : null}
      </p>
      <h2 id="h-versions">{t('Các phiên bản', 'Versions')}</h2>
      <p class="muted">{t('Công bố đúng hạn được tính ở Bộ chỉ số 766, nhóm 1 (công khai, minh bạch).', 'Timely publication counts in index 766, group 1 (transparency).')}</p>
      <div class="table-wrap" role="region" tabIndex={0} aria-labelledby="h-versions">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Phiên bản', 'Version')}</th>
              <th scope="col">{t('Công bố lúc', 'Published')}</th>
              <th scope="col">{t('Hạn công bố', 'Due by')}</th>
              <th scope="col">{t('Nguồn, người thực hiện', 'Source, by')}</th>
              <th scope="col">{t('Nội dung thay đổi', 'Change note')}</th>
            </tr>
          </thead>
          <tbody>
            {p.versions.map((v) => (
              <tr>
                <td>
                  <a href={`/thu-tuc/${proc.code}?phien-ban=${v.version}`}>{t(`Phiên bản ${v.version}`, `Version ${v.version}`)}</a>
                </td>
                <td>{when(v.publishedAt)}</td>
                <td>
                  {v.duePublishBy ? when(v.duePublishBy) : '—'}
                  {v.publishedOnTime === true ? <span class="tag"> ({t('đúng hạn', 'on time')})</span> : v.publishedOnTime === false ? <span class="tag late"> ({t('trễ hạn', 'late')})</span> : null}
                </td>
                <td>
                  {t(...(SOURCE_LABELS[v.source] ?? [v.source, v.source]))}
                  {editorOf.get(v.version) ? `: ${editorOf.get(v.version)}` : ''}
                </td>
                <td>{v.changeNote ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="h-compare">{t('So sánh hai phiên bản', 'Compare two versions')}</h2>
      {p.versions.length < 2 ? (
        <p>{t('Thủ tục mới có một phiên bản.', 'The procedure has only one version.')}</p>
      ) : (
        <form method="get" action={adminHref(proc.code, 'lich-su')} class="card" aria-labelledby="h-compare">
          <div class="pair">
            <div>
              <Select name="tu" label={t('Từ phiên bản', 'From version')} value={String(p.from ?? '')} errors={p.errors} options={options} />
            </div>
            <div>
              <Select name="den" label={t('Đến phiên bản', 'To version')} value={String(p.to ?? '')} errors={p.errors} options={options} />
            </div>
          </div>
          <button type="submit">{t('So sánh', 'Compare')}</button>
        </form>
      )}
      {p.changes ? (
        <section aria-labelledby="h-diff">
          <h2 id="h-diff">{t(`Thay đổi từ phiên bản ${p.from} đến phiên bản ${p.to}`, `Changes from version ${p.from} to version ${p.to}`)}</h2>
          {p.changes.length ? (
            <>
              <p class="muted">
                {t(`${p.changes.length} mục thay đổi. Chữ thêm được gạch dưới, chữ bỏ bị gạch ngang.`, `${p.changes.length} fields changed. Added words are underlined, removed words struck through.`)}
              </p>
              {p.changes.map((c) => (
                <ChangeView lang={p.lang} c={c} />
              ))}
            </>
          ) : (
            <p>{t('Hai phiên bản có nội dung như nhau.', 'The two versions say the same.')}</p>
          )}
        </section>
      ) : null}
      <h2 id="h-audit">{t('Nhật ký thay đổi', 'Change log')}</h2>
      <AuditTable lang={p.lang} items={p.audit} />
    </section>
  )
}

/** The audit of the whole catalogue, imports included. */
export function AdminAuditPage(p: { lang: Lang; items: AuditEntryDto[]; total: number; page: number; pageSize: number }) {
  const t = tt(p.lang)
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize))
  return (
    <section>
      <h1>{t('Nhật ký thay đổi danh mục thủ tục', 'Procedure catalogue change log')}</h1>
      <p>
        <a href="/admin/thu-tuc">{t('← Danh mục (quản trị)', '← Catalogue (admin)')}</a>
      </p>
      <p>{t(`${p.total} thay đổi, mới nhất trước.`, `${p.total} changes, newest first.`)}</p>
      <AuditTable lang={p.lang} items={p.items} withCode />
      <Pager lang={p.lang} page={p.page} pages={pages} href={(n) => `/admin/thu-tuc/nhat-ky${n > 1 ? `?trang=${n}` : ''}`} />
    </section>
  )
}
