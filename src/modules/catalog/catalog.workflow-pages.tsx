import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { CsrfField } from '../../shared/ui/layout.js'
import { fieldId, type FieldErrors, type FormBody } from './catalog.admin-form.js'
import { AddButton, adminHref, ErrorSummary, ErrorText, ProcedureTabs, RemoveBox, Select, TextArea, TextField, type AgencyOption } from './catalog.admin-pages.js'
import { RULE_LABELS } from './catalog.labels.js'
import type { ProcedureDto } from './catalog.schemas.js'
import { COMPETENT, limitText, unitLabel, WorkflowEdit, type WorkflowTemplate } from './catalog.workflow.js'

// The workflow template editor (/admin/thu-tuc/{code}/quy-trinh): one fieldset per step, no
// JavaScript; adding a row re-renders without saving; every error at its field.

export interface StepFields {
  name: string
  kind: string
  agency: string
  role: string
  budget: string
  parallel: boolean
}

export interface WorkflowFormState {
  expectedVersion: string
  steps: StepFields[]
  changeNote: string
}

const MAX_ROWS = 20

const one = (b: FormBody, k: string): string => {
  const v = b[k]
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '')
}

/** The form as the template shows it. */
export function workflowFormOf(t: WorkflowTemplate, expectedVersion: number): WorkflowFormState {
  return {
    expectedVersion: String(expectedVersion),
    steps: t.steps.map((s) => ({ name: s.name, kind: s.kind, agency: s.agency, role: s.role, budget: String(s.budget), parallel: s.parallel })),
    changeNote: '',
  }
}

/** The form as posted: rows marked "remove" are dropped, an added row appended when asked. */
export function workflowFormFromBody(b: FormBody): { state: WorkflowFormState; add: boolean } {
  const steps: StepFields[] = []
  for (let i = 0; i < MAX_ROWS; i++) {
    const p = `steps.${i}.`
    if (!(`${p}name` in b) && !(`${p}budget` in b)) continue
    if (one(b, `${p}remove`)) continue
    steps.push({ name: one(b, `${p}name`), kind: one(b, `${p}kind`), agency: one(b, `${p}agency`), role: one(b, `${p}role`), budget: one(b, `${p}budget`).trim(), parallel: one(b, `${p}parallel`) === '1' })
  }
  const add = one(b, '_action') === 'add:steps'
  if (add && steps.length < MAX_ROWS) steps.push({ name: '', kind: 'handle', agency: COMPETENT, role: 'processing_officer', budget: '0', parallel: false })
  return { state: { expectedVersion: one(b, 'expectedVersion'), steps, changeNote: one(b, 'changeNote') }, add }
}

/** The edit the form asks for, or every problem of its fields at once. */
export function workflowEditFromForm(s: WorkflowFormState): { edit?: WorkflowEdit; errors: FieldErrors } {
  const parsed = WorkflowEdit.safeParse({
    expectedVersion: Number(s.expectedVersion),
    changeNote: s.changeNote,
    steps: s.steps.map((r) => ({ ...r, budget: /^\d{1,5}$/.test(r.budget) ? Number(r.budget) : Number.NaN })),
  })
  if (parsed.success) return { edit: parsed.data, errors: {} }
  const errors: FieldErrors = {}
  for (const i of parsed.error.issues) {
    const key = i.path.length ? i.path.join('.') : 'form'
    ;(errors[key === 'expectedVersion' ? 'form' : key] ??= []).push(i.message)
  }
  return { errors }
}

const KIND_OPTIONS = (lang: Lang): [string, string][] => [
  ['handle', tr(lang, 'Xử lý, thẩm định', 'Handle, appraise')],
  ['consult', tr(lang, 'Lấy ý kiến phối hợp', 'Consult')],
  ['approve', tr(lang, 'Lãnh đạo phê duyệt', 'Leader approves')],
]
const ROLE_OPTIONS = (lang: Lang): [string, string][] => [
  ['processing_officer', tr(lang, 'Chuyên viên xử lý', 'Processing officer')],
  ['agency_leader', tr(lang, 'Lãnh đạo cơ quan', 'Agency leader')],
]

/** The performer's name as the administrator reads it. */
export function performerName(lang: Lang, ref: string, agencies: AgencyOption[]): string {
  if (ref === COMPETENT) return tr(lang, 'Cơ quan có thẩm quyền giải quyết', 'The competent agency')
  const rule = RULE_LABELS[ref]
  if (rule) return tr(lang, rule.vi, rule.en)
  return agencies.find((a) => a.ref === ref)?.name ?? ref
}

function AgencySelect({ lang, name, value, errors, agencies }: { lang: Lang; name: string; value: string; errors: FieldErrors; agencies: AgencyOption[] }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  const known = value === COMPETENT || value in RULE_LABELS || agencies.some((a) => a.ref === value)
  return (
    <Select name={name} label={t('Cơ quan thực hiện', 'Performed by')} value={value} errors={errors} options={[[COMPETENT, t('Cơ quan có thẩm quyền giải quyết', 'The competent agency')]]}>
      {value && !known ? (
        <option value={value} selected>
          {value} ({t('chưa có trong danh mục tổ chức', 'not in the organisation list')})
        </option>
      ) : null}
      <optgroup label={t('Của xã, phường nơi có yêu cầu', "Of the applicant's commune")}>
        {Object.entries(RULE_LABELS).map(([r, l]) => (
          <option value={r} selected={r === value}>
            {tr(lang, l.vi, l.en)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('Cơ quan khác (liên thông)', 'Other agencies (joint handling)')}>
        {agencies.map((a) => (
          <option value={a.ref} selected={a.ref === value}>
            {a.name}
          </option>
        ))}
      </optgroup>
    </Select>
  )
}

export function AdminWorkflowPage(p: {
  lang: Lang
  csrf: string
  proc: ProcedureDto
  template: WorkflowTemplate
  form: WorkflowFormState
  errors: FieldErrors
  message?: string | undefined
  notice?: string | undefined
  agencies: AgencyOption[]
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const { proc, template, form: s, errors } = p
  const limit = template.limit
  return (
    <section>
      <h1>{t(`Quy trình giải quyết thủ tục ${proc.code}`, `Workflow of procedure ${proc.code}`)}</h1>
      <ProcedureTabs lang={p.lang} code={proc.code} current="workflow" />
      <p>
        <strong>{proc.name}</strong>
        <br />
        <span class="muted">
          {t(`Phiên bản hiện hành ${proc.latestVersion}, công bố ${formatVnDateTime(new Date(proc.publishedAt))}.`, `Current version ${proc.latestVersion}, published ${formatVnDateTime(new Date(proc.publishedAt))}.`)}
        </span>
      </p>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <p>
        {limit
          ? t(`Thời hạn giải quyết: ${limitText(limit)}. Tổng thời gian các bước tuần tự phải bằng thời hạn này; bước lấy ý kiến song song có hạn riêng, tính từ đầu bước xử lý đi kèm.`, `Time limit: ${limit.amount} (${limit.unit}). The sequential steps must add up to it; a parallel consultation has its own deadline from the start of its handling step.`)
          : t('Thời hạn giải quyết của thủ tục chưa đọc được: sửa thời hạn ở trang "Sửa, công bố" trước.', 'The time limit cannot be read: correct it on the edit page first.')}
      </p>
      <p class="muted">
        {template.source === 'default'
          ? t('Thủ tục chưa có quy trình riêng: hồ sơ theo quy trình mặc định (chuyên viên xử lý, lãnh đạo phê duyệt) như dưới đây.', 'No workflow set: dossiers follow the default (officer handles, leader approves) shown below.')
          : t(`Quy trình được đặt ở phiên bản ${template.templateVersion}. Hồ sơ đã tiếp nhận giữ quy trình tại thời điểm tiếp nhận.`, `Set at version ${template.templateVersion}. Dossiers already received keep the workflow they were received with.`)}
      </p>
      <h2 id="h-workflow">{t('Sửa quy trình (tạo phiên bản mới)', 'Edit the workflow (creates a new version)')}</h2>
      <ErrorSummary lang={p.lang} errors={errors} message={p.message} />
      <form method="post" action={adminHref(proc.code, 'quy-trinh')} aria-labelledby="h-workflow" noValidate>
        <CsrfField token={p.csrf} />
        <input type="hidden" name="expectedVersion" value={s.expectedVersion} />
        <button type="submit" name="_action" value="save" class="default-submit" tabIndex={-1} aria-hidden="true">
          {t('Lưu', 'Save')}
        </button>
        <fieldset>
          <legend>{t('Các bước, theo thứ tự', 'Steps, in order')}</legend>
          <ErrorText name="steps" errors={errors} />
          {s.steps.map((r, i) => (
            <fieldset class="row">
              <legend>{t(`Bước ${i + 1}`, `Step ${i + 1}`)}</legend>
              <TextField name={`steps.${i}.name`} label={t('Tên bước', 'Step name')} value={r.name} errors={errors} maxLength={200} required />
              <Select name={`steps.${i}.kind`} label={t('Loại bước', 'Kind')} value={r.kind} errors={errors} options={KIND_OPTIONS(p.lang)} />
              <AgencySelect lang={p.lang} name={`steps.${i}.agency`} value={r.agency} errors={errors} agencies={p.agencies} />
              <Select name={`steps.${i}.role`} label={t('Người thực hiện', 'Performer role')} value={r.role} errors={errors} options={ROLE_OPTIONS(p.lang)} />
              <TextField
                name={`steps.${i}.budget`}
                type="number"
                label={t(`Thời gian (${limit ? unitLabel(limit.unit) : 'đơn vị của thời hạn'})`, `Time budget (${limit?.unit ?? 'unit of the limit'})`)}
                value={r.budget}
                errors={errors}
                required
              />
              <div class="check">
                <input type="checkbox" id={fieldId(`steps.${i}.parallel`)} name={`steps.${i}.parallel`} value="1" checked={r.parallel} aria-describedby={errors[`steps.${i}.parallel`]?.length ? `${fieldId(`steps.${i}.parallel`)}-error` : undefined} />
                <label class="inline-label" for={fieldId(`steps.${i}.parallel`)}>
                  {t('Lấy ý kiến song song với bước xử lý trước đó (không cộng vào tổng thời gian)', 'Consultation in parallel with the handling step before (not added to the total)')}
                </label>
              </div>
              <ErrorText name={`steps.${i}.parallel`} errors={errors} />
              <RemoveBox name={`steps.${i}.remove`} label={t('Xóa bước này', 'Remove this step')} />
            </fieldset>
          ))}
          <AddButton action="add:steps">{t('Thêm bước', 'Add a step')}</AddButton>
        </fieldset>
        <TextArea name="changeNote" label={t('Lý do thay đổi (ghi vào lịch sử phiên bản)', 'Why (recorded in the version history)')} value={s.changeNote} errors={errors} rows={2} maxLength={500} required />
        <button type="submit" name="_action" value="save">
          {t('Lưu quy trình thành phiên bản mới', 'Save the workflow as a new version')}
        </button>
      </form>
    </section>
  )
}
