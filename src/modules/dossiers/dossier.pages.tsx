import { ROLE_LABELS, type StaffRole } from '../../shared/auth.js'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, FormAlert, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import { ALLOWED_TYPES, KIND_LABELS } from '../documents/index.js'
import type { DossierDto } from './dossier.dto.js'
import { STATUS_LABELS, type DossierAction } from './dossier.machine.js'
import type { Inbox } from './dossier.queries.js'
import type { TrackingDto } from './dossier.tracking.js'
import type { PlanStepView, PlanView } from './dossier.workflow.js'

export type { FieldErrors }

const when = (iso: string | null | undefined) => (iso ? formatVnDateTime(new Date(iso)) : '—')

// ---- public: tracking and apologies ---------------------------------------------------------------

/**
 * The two fields that find a dossier in public (tracking, fees): its code and the last four
 * digits of the applicant's phone or identity number, named `ma` and `so`.
 */
export function DossierLookupFields(p: { lang: Lang; code: string; verifier: string; errors: FieldErrors }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <>
      <label for="ma">{t('Mã hồ sơ (trên giấy tiếp nhận)', 'Dossier code (on the receipt)')}</label>
      <input id="ma" name="ma" type="text" required maxLength={60} value={p.code} autocomplete="off" aria-describedby={describedBy('ma', p.errors)} />
      <Errors id="ma" errors={p.errors} />
      <label for="so">{t('4 số cuối điện thoại hoặc số định danh của người nộp', 'Last 4 digits of the applicant phone or identity number')}</label>
      <input id="so" name="so" type="text" inputMode="numeric" pattern="[0-9]{4}" required maxLength={4} value={p.verifier} autocomplete="off" aria-describedby={describedBy('so', p.errors)} />
      <Errors id="so" errors={p.errors} />
    </>
  )
}

/** The same answer for an unknown code and a wrong verifier (no enumeration). */
export function DossierNotFound({ lang }: { lang: Lang }) {
  return (
    <p class="alert" role="alert">
      {tr(lang, 'Không tìm thấy hồ sơ với mã và 4 số đã nhập. Vui lòng kiểm tra lại.', 'No dossier matches that code and those four digits.')}
    </p>
  )
}

export function TrackingPage(p: { lang: Lang; code: string; verifier: string; result?: TrackingDto | undefined; notFound: boolean; errors: FieldErrors }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <>
      <h1>{t('Tra cứu hồ sơ', 'Track a dossier')}</h1>
      <form method="get" action="/tra-cuu" class="card">
        <DossierLookupFields lang={p.lang} code={p.code} verifier={p.verifier} errors={p.errors} />
        <button type="submit">{t('Tra cứu', 'Look up')}</button>
      </form>
      {p.notFound ? <DossierNotFound lang={p.lang} /> : null}
      {p.result ? <TrackingResult lang={p.lang} r={p.result} /> : null}
    </>
  )
}

function TrackingResult({ lang, r }: { lang: Lang; r: TrackingDto }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <section aria-labelledby="kq">
      <h2 id="kq">
        {t('Hồ sơ', 'Dossier')} {r.code}
      </h2>
      <dl class="facts">
        <dt>{t('Thủ tục', 'Procedure')}</dt>
        <dd>{r.procedureName}</dd>
        <dt>{t('Trạng thái', 'Status')}</dt>
        <dd>
          <strong>{r.statusLabel}</strong>
        </dd>
        <dt>{t('Ngày tiếp nhận', 'Received')}</dt>
        <dd>{when(r.receivedAt)}</dd>
        <dt>{t('Ngày hẹn trả kết quả', 'Appointment')}</dt>
        <dd>
          {when(r.appointmentAt)}
          {r.rescheduled ? ` (${t('đã hẹn lại', 'rescheduled')})` : ''}
        </dd>
        {r.returnedAt ? (
          <>
            <dt>{t('Đã trả kết quả', 'Returned')}</dt>
            <dd>{when(r.returnedAt)}</dd>
          </>
        ) : null}
      </dl>
      {r.apologies.map((a) => (
        <div class="notice">
          <strong>{t('Thư xin lỗi', 'Apology')}:</strong> {a.reason}. {t('Hẹn cũ', 'Old appointment')}: {when(a.oldAppointment)}; {t('hẹn mới', 'new')}: {when(a.newAppointment)}.
        </div>
      ))}
      <h3>{t('Quá trình giải quyết', 'Progress')}</h3>
      <ol class="timeline">
        {r.timeline.map((e) => (
          <li>
            <span class="muted">{when(e.at)}</span> — {e.content}
            <br />
            {e.officer} ({e.title}
            {e.agency ? `, ${e.agency}` : ''}){e.stepDueAt ? ` · ${t('hạn bước', 'step due')}: ${when(e.stepDueAt)}` : ''}
          </li>
        ))}
      </ol>
    </section>
  )
}

export function ApologiesPage(p: { lang: Lang; agency: string | undefined; agencies: { id: string; name: string }[]; items: { agencyName: string; dossierCodeMasked: string; procedureName: string; reason: string; oldAppointment: string; newAppointment: string; approvedAt: string }[] }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <>
      <h1>{t('Thư xin lỗi của cơ quan giải quyết', 'Public apologies of the agencies')}</h1>
      <p>{t('Khi hồ sơ có nguy cơ trễ hạn, cơ quan giải quyết gửi văn bản xin lỗi người dân và hẹn lại ngày trả kết quả (một lần). Hồ sơ trễ hạn vẫn được tính là trễ hạn.', 'When a dossier is going to be late, the agency apologises and sets a new date (once). A late dossier still counts as late.')}</p>
      <form method="get" action="/thu-xin-loi" class="card">
        <label for="agency">{t('Cơ quan', 'Agency')}</label>
        <select id="agency" name="agency">
          <option value="">{t('Tất cả cơ quan', 'All agencies')}</option>
          {p.agencies.map((a) => (
            <option value={a.id} selected={a.id === p.agency}>
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit">{t('Xem', 'Show')}</button>
      </form>
      {p.items.length === 0 ? (
        <p>{t('Chưa có thư xin lỗi nào.', 'No apologies yet.')}</p>
      ) : (
        <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Danh sách thư xin lỗi', 'Apologies')}>
          <table>
            <caption class="muted">{t(`${p.items.length} thư xin lỗi`, `${p.items.length} apologies`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Cơ quan', 'Agency')}</th>
                <th scope="col">{t('Mã hồ sơ', 'Dossier')}</th>
                <th scope="col">{t('Thủ tục', 'Procedure')}</th>
                <th scope="col">{t('Lý do', 'Reason')}</th>
                <th scope="col">{t('Hẹn cũ', 'Old date')}</th>
                <th scope="col">{t('Hẹn mới', 'New date')}</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((a) => (
                <tr>
                  <td>{a.agencyName}</td>
                  <td>
                    <code>{a.dossierCodeMasked}</code>
                  </td>
                  <td>{a.procedureName}</td>
                  <td>{a.reason}</td>
                  <td>{when(a.oldAppointment)}</td>
                  <td>{when(a.newAppointment)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

// ---- back office --------------------------------------------------------------------------------

const BOX_LABEL: Record<Inbox, { vi: string; en: string }> = {
  mine: { vi: 'Của tôi', en: 'Mine' },
  unit: { vi: 'Của đơn vị', en: 'My unit' },
  due_soon: { vi: 'Sắp đến hạn', en: 'Due soon' },
  late: { vi: 'Quá hạn', en: 'Late' },
  awaiting_supplement: { vi: 'Chờ bổ sung', en: 'Awaiting supplement' },
  intake: { vi: 'Chờ tiếp nhận', en: 'Awaiting receipt' },
  all_open: { vi: 'Tất cả đang mở', en: 'All open' },
}

export interface InboxItem {
  id: string
  code: string | null
  statusLabel: string
  procedureName: string
  applicantName: string
  applicantIdMasked: string | null
  appointmentAt: string | null
  dueAt: string | null
  atRisk: boolean
  late: boolean
}

export function InboxPage(p: { lang: Lang; box: Inbox; q: string; items: InboxItem[]; total: number; canIntake: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <>
      <h1>{t('Hồ sơ', 'Dossiers')}</h1>
      {p.canIntake ? (
        <p>
          <a class="button" href="/staff/tiep-nhan">
            {t('Tiếp nhận hồ sơ mới', 'Receive a new dossier')}
          </a>
        </p>
      ) : null}
      <nav aria-label={t('Hộp hồ sơ', 'Inboxes')}>
        <ul class="tabs">
          {(Object.keys(BOX_LABEL) as Inbox[]).map((b) => (
            <li>
              <a href={`/staff/ho-so?box=${b}`} aria-current={b === p.box ? 'page' : undefined}>
                {BOX_LABEL[b][p.lang]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/staff/ho-so" role="search" class="card">
        <input type="hidden" name="box" value={p.box} />
        <label for="q">{t('Tìm theo mã hồ sơ, tên người nộp hoặc số định danh', 'Search by code, applicant name or identity number')}</label>
        <input id="q" name="q" type="search" maxLength={100} value={p.q} />
        <button type="submit">{t('Tìm', 'Search')}</button>
      </form>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Danh sách hồ sơ', 'Dossiers')}>
        <table>
          <caption class="muted">{t(`${p.total} hồ sơ`, `${p.total} dossiers`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Mã hồ sơ', 'Code')}</th>
              <th scope="col">{t('Thủ tục', 'Procedure')}</th>
              <th scope="col">{t('Người nộp', 'Applicant')}</th>
              <th scope="col">{t('Trạng thái', 'Status')}</th>
              <th scope="col">{t('Hạn', 'Due')}</th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((d) => (
              <tr>
                <td>
                  <a href={`/staff/ho-so/${d.id}`}>{d.code ?? t('(chưa có mã)', '(no code yet)')}</a>
                </td>
                <td>{d.procedureName}</td>
                <td>
                  {d.applicantName}
                  {d.applicantIdMasked ? <div class="muted">{d.applicantIdMasked}</div> : null}
                </td>
                <td>
                  {d.statusLabel}
                  {d.late ? <strong class="tag late"> {t('Quá hạn', 'Late')}</strong> : d.atRisk ? <strong class="tag risk"> {t('Sắp đến hạn', 'At risk')}</strong> : null}
                </td>
                <td>{when(d.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

const ACTION_LABEL: Partial<Record<DossierAction, { vi: string; en: string }>> = {
  receive: { vi: 'Tiếp nhận (cấp mã, hẹn trả)', en: 'Receive (code, appointment)' },
  refuse: { vi: 'Từ chối tiếp nhận (Mẫu 03)', en: 'Refuse (form 03)' },
  request_supplement_intake: { vi: 'Hướng dẫn bổ sung (Mẫu 02)', en: 'Ask for a supplement (form 02)' },
  supplement_intake: { vi: 'Đã nhận bổ sung', en: 'Supplement received' },
  assign: { vi: 'Phân công xử lý', en: 'Assign' },
  reassign: { vi: 'Phân công lại', en: 'Reassign' },
  transfer: { vi: 'Chuyển cơ quan khác', en: 'Transfer to another agency' },
  consult: { vi: 'Lấy ý kiến phối hợp', en: 'Consult another agency' },
  answer_consultation: { vi: 'Ghi nhận ý kiến phối hợp', en: 'Record the consultation answer' },
  submit_for_approval: { vi: 'Trình lãnh đạo', en: 'Submit for approval' },
  request_supplement: { vi: 'Yêu cầu bổ sung (Mẫu 02)', en: 'Request a supplement (form 02)' },
  receive_supplement: { vi: 'Nhận hồ sơ bổ sung', en: 'Supplement received' },
  request_payment: { vi: 'Yêu cầu nộp phí, lệ phí', en: 'Request payment' },
  confirm_payment: { vi: 'Xác nhận đã nộp', en: 'Payment received' },
  approve: { vi: 'Phê duyệt kết quả', en: 'Approve' },
  reject: { vi: 'Từ chối giải quyết (Mẫu 03)', en: 'Reject (form 03)' },
  return_result: { vi: 'Trả kết quả', en: 'Return the result' },
  withdraw: { vi: 'Công dân rút hồ sơ', en: 'Withdrawn by the applicant' },
  stop: { vi: 'Dừng giải quyết (Mẫu 05)', en: 'Stop (form 05)' },
  draft_apology: { vi: 'Dự thảo thư xin lỗi (Mẫu 04)', en: 'Draft an apology (form 04)' },
  approve_apology: { vi: 'Phê duyệt thư xin lỗi', en: 'Approve the apology' },
  return_apology: { vi: 'Trả lại dự thảo thư xin lỗi', en: 'Return the apology draft' },
  attach_file: { vi: 'Đính kèm tệp', en: 'Attach files' },
}

const NEEDS_REASON: DossierAction[] = ['refuse', 'request_supplement_intake', 'reassign', 'transfer', 'request_supplement', 'request_payment', 'reject', 'stop', 'draft_apology', 'return_apology']

export interface DossierPageData {
  d: DossierDto
  events: { seq: number; actorName: string; actorRole: string; content: string; reason: string | null; occurredAt: string; stepDueAt: string | null }[]
  steps: { seq: number; name: string; agencyId: string; givenBy: string | null; receivedBy: string | null; startedAt: string; dueAt: string | null; completedAt: string | null; outcome: string | null; note: string | null }[]
  agencies: Map<string, string>
  people: Map<string, string>
  officers: { id: string; fullName: string }[]
  allAgencies: { id: string; name: string }[]
  explanation: { vi: string; en: string }[]
  /** The workflow plan copied at receipt, with what became of each step; null before receipt. */
  plan?: PlanView | null
  forms: { id: string; label: string }[]
  /** The dossier's files; undefined when this officer may not see them. */
  files?: DossierFileItem[] | undefined
  upload?: UploadOptions | undefined
}

const PLAN_STATE: Record<PlanStepView['state'], { vi: string; en: string }> = {
  done: { vi: 'Đã xong', en: 'Done' },
  current: { vi: 'Đang thực hiện', en: 'Current' },
  pending: { vi: 'Chưa đến', en: 'Not yet' },
}

/** The planned steps (issue 5 §3), which one is current, and each step's planned due time. */
function PlanTable({ lang, plan, agency }: { lang: Lang; plan: PlanView; agency: (id: string) => string }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <>
      <h2 id="h-plan">{t('Quy trình giải quyết', 'Workflow')}</h2>
      <p class="muted">
        {plan.source === 'template'
          ? t(`Theo quy trình của thủ tục (phiên bản ${plan.templateVersion ?? plan.procedureVersion}), sao chép khi tiếp nhận.`, `The procedure's workflow (version ${plan.templateVersion ?? plan.procedureVersion}), copied at receipt.`)
          : t('Quy trình mặc định: chuyên viên xử lý, lãnh đạo phê duyệt.', 'Default workflow: an officer handles, the leader approves.')}
        {plan.note ? ` ${plan.note}` : ''}
      </p>
      <div class="table-wrap" role="region" tabIndex={0} aria-labelledby="h-plan">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('Bước', 'Step')}</th>
              <th scope="col">{t('Cơ quan thực hiện', 'Agency')}</th>
              <th scope="col">{t('Thời gian', 'Budget')}</th>
              <th scope="col">{t('Hạn theo kế hoạch', 'Planned due')}</th>
              <th scope="col">{t('Tình trạng', 'State')}</th>
            </tr>
          </thead>
          <tbody>
            {plan.steps.map((s) => (
              <tr aria-current={s.state === 'current' ? 'step' : undefined}>
                <td>{s.index + 1}</td>
                <td>
                  {s.name}
                  {s.parallel ? ` (${t('song song', 'parallel')})` : ''}
                </td>
                <td>{agency(s.agencyId)}</td>
                <td>{s.budget}</td>
                <td>{formatVnDateTime(new Date(s.dueAt))}</td>
                <td>{s.state === 'current' ? <strong>{PLAN_STATE.current[lang]}</strong> : PLAN_STATE[s.state][lang]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export interface DossierFileItem {
  id: string
  name: string
  kind: string
  mediaType: string
  sizeBytes: number
  legalCopy: boolean
  attachedAt: string
  attachedBy: { name: string }
}

export interface UploadOptions {
  /** Kinds this officer may attach now. */
  kinds: readonly ('scan' | 'result')[]
  accept: string
  maxFileBytes: number
  maxFiles: number
}

const FILE_KIND_LABEL: Record<string, { vi: string; en: string } | undefined> = KIND_LABELS
const TYPE_LABEL: Record<string, { label: string } | undefined> = ALLOWED_TYPES

function formatSize(bytes: number, lang: Lang): string {
  const n = (x: number) => x.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })
  if (bytes < 1024) return `${bytes} B`
  return bytes < 1024 * 1024 ? `${n(bytes / 1024)} KB` : `${n(bytes / (1024 * 1024))} MB`
}

/** The limits under a file input, said once. */
function UploadHint({ lang, o, id }: { lang: Lang; o: Pick<UploadOptions, 'maxFileBytes' | 'maxFiles'>; id: string }) {
  return (
    <p class="muted" id={id}>
      {tr(lang, `PDF, JPEG hoặc PNG; tối đa ${formatSize(o.maxFileBytes, lang)} mỗi tệp, ${o.maxFiles} tệp mỗi hồ sơ.`, `PDF, JPEG or PNG; at most ${formatSize(o.maxFileBytes, lang)} per file, ${o.maxFiles} files per dossier.`)}
    </p>
  )
}

/** The dossier's files with download links, and the upload form for the kinds this officer may attach now. */
function DossierFiles({ lang, csrf, d, files, upload, errors }: { lang: Lang; csrf: string; d: DossierDto; files: DossierFileItem[]; upload: UploadOptions | undefined; errors: FieldErrors }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <>
      {files.length === 0 ? (
        <p>{t('Hồ sơ chưa có tệp đính kèm.', 'No files attached yet.')}</p>
      ) : (
        <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Tệp đính kèm', 'Attached files')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('Tệp', 'File')}</th>
                <th scope="col">{t('Loại', 'Kind')}</th>
                <th scope="col">{t('Dung lượng', 'Size')}</th>
                <th scope="col">{t('Định dạng', 'Type')}</th>
                <th scope="col">{t('Người đính kèm', 'Attached by')}</th>
                <th scope="col">{t('Thời gian', 'When')}</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr>
                  <td>
                    <a href={`/staff/ho-so/${d.id}/tep/${f.id}`}>{f.name}</a>
                  </td>
                  <td>
                    {FILE_KIND_LABEL[f.kind]?.[lang] ?? f.kind}
                    {f.legalCopy ? <div class="muted">{t('Bản điện tử có giá trị pháp lý', 'Legally valid electronic copy')}</div> : null}
                  </td>
                  <td>{formatSize(f.sizeBytes, lang)}</td>
                  <td>{TYPE_LABEL[f.mediaType]?.label ?? f.mediaType}</td>
                  <td>{f.attachedBy.name}</td>
                  <td>{when(f.attachedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {upload?.kinds.length ? (
        <form method="post" action={`/staff/ho-so/${d.id}/tep`} enctype="multipart/form-data" class="card">
          <CsrfField token={csrf} />
          <input type="hidden" name="expectedVersion" value={String(d.version)} />
          <h3>{t('Tải tệp lên', 'Upload files')}</h3>
          {upload.kinds.length === 1 ? (
            <>
              <input type="hidden" name="kind" value={upload.kinds[0]} />
              <p>{FILE_KIND_LABEL[upload.kinds[0]!]?.[lang]}</p>
            </>
          ) : (
            <fieldset>
              <legend>{t('Loại tệp', 'Kind of file')}</legend>
              {upload.kinds.map((k, i) => (
                <div class="check">
                  <input id={`file-kind-${k}`} name="kind" type="radio" value={k} checked={i === 0} />
                  <label for={`file-kind-${k}`} class="inline-label">
                    {FILE_KIND_LABEL[k]?.[lang]}
                  </label>
                </div>
              ))}
            </fieldset>
          )}
          {upload.kinds.includes('result') ? (
            <div class="check">
              <input id="file-legal-copy" name="legalCopy" type="checkbox" value="true" />
              <label for="file-legal-copy" class="inline-label">
                {t('Kết quả điện tử có giá trị pháp lý (đã ký số)', 'Electronic result with legal value (digitally signed)')}
              </label>
            </div>
          ) : null}
          <label for="dossier-files">{t('Chọn tệp', 'Choose files')}</label>
          <input id="dossier-files" name="file" type="file" multiple required accept={upload.accept} aria-describedby={errors['files']?.length ? 'files-error dossier-files-hint' : 'dossier-files-hint'} />
          <UploadHint lang={lang} o={upload} id="dossier-files-hint" />
          <Errors id="files" errors={errors} />
          <button type="submit">{t('Tải lên', 'Upload')}</button>
        </form>
      ) : null}
    </>
  )
}

function roleTitle(role: string, lang: Lang) {
  if (role === 'system') return tr(lang, 'Hệ thống', 'System')
  if (role === 'applicant') return tr(lang, 'Người nộp', 'Applicant')
  return ROLE_LABELS[role as StaffRole]?.[lang] ?? role
}

const OUTCOME: Record<string, { vi: string; en: string }> = { early: { vi: 'Trước hạn', en: 'Early' }, on_time: { vi: 'Đúng hạn', en: 'On time' }, late: { vi: 'Quá hạn', en: 'Late' } }

export function DossierPage(p: { lang: Lang; csrf: string; data: DossierPageData; errors: FieldErrors; message?: string | undefined; done?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const { d } = p.data
  const name = (id: string | null) => (id ? (p.data.people.get(id) ?? id) : '—')
  const agency = (id: string) => p.data.agencies.get(id) ?? id
  return (
    <>
      <h1>
        {t('Hồ sơ', 'Dossier')} {d.code ?? t('(chưa cấp mã)', '(no code yet)')}
      </h1>
      {p.done ? (
        <p class="notice" role="status">
          {t('Đã thực hiện', 'Done')}: {ACTION_LABEL[p.done as DossierAction]?.[p.lang] ?? p.done}
        </p>
      ) : null}
      <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
      {d.late ? <p class="alert">{t('Hồ sơ đã quá hạn giải quyết.', 'This dossier is late.')}</p> : d.atRisk ? <p class="alert">{t('Cảnh báo: hồ sơ sắp đến hạn giải quyết.', 'Warning: this dossier is nearly due.')}</p> : null}
      <dl class="facts">
        <dt>{t('Thủ tục', 'Procedure')}</dt>
        <dd>
          {d.procedure.name} <span class="muted">({d.procedure.code}, {t('phiên bản', 'version')} {d.procedure.version})</span>
        </dd>
        <dt>{t('Trạng thái', 'Status')}</dt>
        <dd>
          <strong>{STATUS_LABELS[d.status][p.lang]}</strong>
        </dd>
        <dt>{t('Người nộp', 'Applicant')}</dt>
        <dd>
          {d.applicant.fullName}
          {d.applicant.idNumber ? ` · ${d.applicant.idNumber}` : ''}
          {d.applicant.phone ? ` · ${d.applicant.phone}` : ''}
        </dd>
        <dt>{t('Nơi tiếp nhận', 'Received at')}</dt>
        <dd>{agency(d.receivingAgencyId)}</dd>
        <dt>{t('Cơ quan giải quyết', 'Competent agency')}</dt>
        <dd>{agency(d.competentAgencyId)}</dd>
        <dt>{t('Đang xử lý tại', 'Now at')}</dt>
        <dd>
          {agency(d.currentAgencyId)}
          {d.currentAssigneeId ? ` · ${name(d.currentAssigneeId)}` : ''}
        </dd>
        <dt>{t('Tiếp nhận lúc', 'Received')}</dt>
        <dd>{when(d.receivedAt)}</dd>
        <dt>{t('Hạn giải quyết', 'Legal due time')}</dt>
        <dd>{when(d.dueAt)}</dd>
        <dt>{t('Hẹn trả kết quả', 'Appointment')}</dt>
        <dd>
          {when(d.appointmentAt)}
          {d.rescheduleCount ? ` (${t('đã hẹn lại', 'rescheduled')} ${d.rescheduleCount})` : ''}
        </dd>
      </dl>
      {p.data.explanation.length ? (
        <details>
          <summary>{t('Vì sao là ngày hẹn này?', 'Why this due time?')}</summary>
          <ul>
            {p.data.explanation.map((s) => (
              <li>{s[p.lang]}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {p.data.forms.length ? (
        <p>
          {p.data.forms.map((f) => (
            <>
              <a href={`/staff/ho-so/${d.id}/mau/${f.id}`}>{f.label}</a>{' '}
            </>
          ))}
        </p>
      ) : null}

      <h2>{t('Tệp đính kèm', 'Attached files')}</h2>
      {p.data.files ? (
        <DossierFiles lang={p.lang} csrf={p.csrf} d={d} files={p.data.files} upload={p.data.upload} errors={p.errors} />
      ) : (
        <p>{t('Chỉ cán bộ của cơ quan tiếp nhận, giải quyết hồ sơ được xem tệp đính kèm.', 'Only officers of the agencies handling this dossier may see its files.')}</p>
      )}

      <h2>{t('Thao tác', 'Actions')}</h2>
      {d.allowedActions.length === 0 ? <p>{t('Bạn không có thao tác nào với hồ sơ này lúc này.', 'There is nothing you can do to this dossier now.')}</p> : null}
      {d.allowedActions.map((a) => (
        <form method="post" action={`/staff/ho-so/${d.id}/thao-tac`} class="card action">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="action" value={a} />
          <input type="hidden" name="expectedVersion" value={String(d.version)} />
          <h3>{ACTION_LABEL[a]?.[p.lang] ?? a}</h3>
          {a === 'assign' || a === 'reassign' ? (
            <>
              <label for={`${a}-assignee`}>{t('Chuyên viên', 'Officer')}</label>
              <select id={`${a}-assignee`} name="assigneeId">
                <option value="">{t('Tự động (ít việc nhất)', 'Automatic (least loaded)')}</option>
                {p.data.officers.map((o) => (
                  <option value={o.id}>{o.fullName}</option>
                ))}
              </select>
            </>
          ) : null}
          {a === 'transfer' || a === 'consult' ? (
            <>
              <label for={`${a}-agency`}>{t('Cơ quan', 'Agency')}</label>
              <select id={`${a}-agency`} name="agencyId">
                <option value="">{t('Theo quy trình: bước tiếp theo', 'As planned: the next step')}</option>
                {p.data.allAgencies.map((x) => (
                  <option value={x.id}>{x.name}</option>
                ))}
              </select>
            </>
          ) : null}
          {a === 'request_supplement' || a === 'request_supplement_intake' ? (
            <>
              <label for={`${a}-missing`}>{t('Giấy tờ cần bổ sung (mỗi dòng một loại, liệt kê đủ một lần)', 'Documents to supplement (one per line, all at once)')}</label>
              <textarea id={`${a}-missing`} name="missing" rows={3} maxLength={5000} required={a === 'request_supplement_intake'}></textarea>
            </>
          ) : null}
          {a === 'return_result' && d.returnMethod === 'post' ? (
            <>
              <label for={`${a}-tracking`}>{t('Số hiệu bưu gửi', 'Postal tracking number')}</label>
              <input id={`${a}-tracking`} name="trackingNumber" type="text" maxLength={40} required aria-describedby={describedBy('trackingNumber', p.errors)} />
              <Errors id="trackingNumber" errors={p.errors} />
            </>
          ) : null}
          {a === 'draft_apology' ? (
            <>
              <label for={`${a}-date`}>{t('Ngày hẹn mới', 'New appointment')}</label>
              <input id={`${a}-date`} name="proposedAppointment" type="datetime-local" required aria-describedby={describedBy('proposedAppointment', p.errors)} />
              <Errors id="proposedAppointment" errors={p.errors} />
            </>
          ) : null}
          {NEEDS_REASON.includes(a) ? (
            <>
              <label for={`${a}-reason`}>{t('Lý do (bắt buộc)', 'Reason (required)')}</label>
              <textarea id={`${a}-reason`} name="reason" rows={2} maxLength={2000} required></textarea>
            </>
          ) : (
            <>
              <label for={`${a}-note`}>{t('Ghi chú', 'Note')}</label>
              <input id={`${a}-note`} name="note" type="text" maxLength={2000} />
            </>
          )}
          <button type="submit">{ACTION_LABEL[a]?.[p.lang] ?? a}</button>
        </form>
      ))}

      {p.data.plan ? <PlanTable lang={p.lang} plan={p.data.plan} agency={agency} /> : null}

      <h2>{t('Phiếu kiểm soát quá trình (giao, nhận hồ sơ)', 'Process-control sheet (hand-overs)')}</h2>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Phiếu kiểm soát quá trình', 'Process-control sheet')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Bước', 'Step')}</th>
              <th scope="col">{t('Cơ quan', 'Agency')}</th>
              <th scope="col">{t('Người giao / nhận', 'Given by / to')}</th>
              <th scope="col">{t('Bắt đầu', 'Started')}</th>
              <th scope="col">{t('Hạn', 'Due')}</th>
              <th scope="col">{t('Kết quả', 'Result')}</th>
            </tr>
          </thead>
          <tbody>
            {p.data.steps.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>{agency(s.agencyId)}</td>
                <td>
                  {name(s.givenBy)} → {name(s.receivedBy)}
                </td>
                <td>{when(s.startedAt)}</td>
                <td>{when(s.dueAt)}</td>
                <td>{s.completedAt ? `${OUTCOME[s.outcome ?? 'on_time']?.[p.lang] ?? s.outcome} (${when(s.completedAt)})` : t('Đang xử lý', 'In progress')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('Nhật ký hồ sơ', 'Timeline')}</h2>
      <ol class="timeline">
        {p.data.events.map((e) => (
          <li>
            <span class="muted">{when(e.occurredAt)}</span> — {e.content}
            {e.reason ? ` — ${t('Lý do', 'Reason')}: ${e.reason}` : ''}
            <br />
            {e.actorName} ({roleTitle(e.actorRole, p.lang)}){e.stepDueAt ? ` · ${t('hạn', 'due')}: ${when(e.stepDueAt)}` : ''}
          </li>
        ))}
      </ol>

      <h2>{t('Thành phần hồ sơ', 'Documents')}</h2>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Thành phần hồ sơ', 'Documents')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Giấy tờ', 'Document')}</th>
              <th scope="col">{t('Bản chính', 'Originals')}</th>
              <th scope="col">{t('Bản sao', 'Copies')}</th>
              <th scope="col">{t('Đã nhận', 'Received')}</th>
            </tr>
          </thead>
          <tbody>
            {d.documents.map((x) => (
              <tr>
                <td>{x.name}</td>
                <td>{x.originals}</td>
                <td>{x.certifiedCopies + x.photocopies}</td>
                <td>{x.received ? t('Có', 'Yes') : t('Chưa', 'No')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

export interface IntakeFormData {
  procedures: { code: string; name: string }[]
  communes: { code: string; name: string }[]
  upload: Pick<UploadOptions, 'accept' | 'maxFileBytes' | 'maxFiles'>
  chosen?: { code: string; name: string; limitText: string; limitKnown: boolean; commune: boolean; documents: { name: string; originals: number; copies: number }[] } | undefined
}

export function IntakePage(p: { lang: Lang; csrf: string; data: IntakeFormData; values: Record<string, string>; errors: FieldErrors; message?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const v = (k: string) => p.values[k] ?? ''
  const c = p.data.chosen
  return (
    <>
      <h1>{t('Tiếp nhận hồ sơ', 'Receive a dossier')}</h1>
      <form method="get" action="/staff/tiep-nhan" class="card">
        <label for="procedure">{t('Thủ tục hành chính', 'Procedure')}</label>
        <select id="procedure" name="procedure" required>
          {p.data.procedures.map((x) => (
            <option value={x.code} selected={x.code === c?.code}>
              {x.code} — {x.name}
            </option>
          ))}
        </select>
        <button type="submit" class="secondary">
          {t('Chọn thủ tục', 'Choose')}
        </button>
      </form>
      {c ? (
        <form method="post" action="/staff/tiep-nhan" enctype="multipart/form-data" class="card">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="procedureCode" value={c.code} />
          <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
          <h2>{c.name}</h2>
          <p class="muted">
            {t('Thời hạn công bố', 'Published time limit')}: {c.limitText || '—'}
          </p>
          {c.commune ? (
            <>
              <label for="communeCode">{t('Xã, phường có thẩm quyền', 'Competent commune')}</label>
              <select id="communeCode" name="communeCode" required aria-describedby={describedBy('communeCode', p.errors)}>
                {p.data.communes.map((x) => (
                  <option value={x.code} selected={x.code === v('communeCode')}>
                    {x.name}
                  </option>
                ))}
              </select>
              <Errors id="communeCode" errors={p.errors} />
            </>
          ) : null}
          {!c.limitKnown ? (
            <>
              <label for="limitDays">{t('Thời hạn giải quyết (ngày làm việc) — bắt buộc vì thời hạn công bố không rõ', 'Time limit (working days) — required because the published one is unclear')}</label>
              <input id="limitDays" name="limitDays" type="number" min={0} max={1000} required value={v('limitDays')} aria-describedby={describedBy('limit', p.errors)} />
              <Errors id="limit" errors={p.errors} />
            </>
          ) : null}
          <fieldset>
            <legend>{t('Người nộp hồ sơ', 'Applicant')}</legend>
            <label for="fullName">{t('Họ và tên', 'Full name')}</label>
            <input id="fullName" name="fullName" type="text" required maxLength={120} value={v('fullName')} aria-describedby={describedBy('applicant.fullName', p.errors)} />
            <Errors id="applicant.fullName" errors={p.errors} />
            <label for="idNumber">{t('Số định danh cá nhân (12 số)', 'Personal identity number (12 digits)')}</label>
            <input id="idNumber" name="idNumber" type="text" inputMode="numeric" maxLength={12} value={v('idNumber')} aria-describedby={describedBy('applicant.idNumber', p.errors)} />
            <Errors id="applicant.idNumber" errors={p.errors} />
            <label for="phone">{t('Số điện thoại', 'Phone')}</label>
            <input id="phone" name="phone" type="tel" maxLength={20} value={v('phone')} aria-describedby={describedBy('applicant.phone', p.errors)} />
            <Errors id="applicant.phone" errors={p.errors} />
            <label for="address">{t('Địa chỉ', 'Address')}</label>
            <input id="address" name="address" type="text" maxLength={300} value={v('address')} />
          </fieldset>
          <fieldset>
            <legend>{t('Giấy tờ đã nhận', 'Documents received')}</legend>
            {c.documents.length === 0 ? <p class="muted">{t('Danh mục không có giấy tờ cụ thể.', 'No specific documents listed.')}</p> : null}
            {c.documents.map((doc, i) => (
              <div class="check">
                <input id={`doc-${i}`} name={`doc${i}`} type="checkbox" value="1" checked={v(`doc${i}`) === '1'} />
                <label for={`doc-${i}`} class="inline-label">
                  {doc.name} <span class="muted">({doc.originals} {t('bản chính', 'originals')}, {doc.copies} {t('bản sao', 'copies')})</span>
                </label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('Kết quả kiểm tra hồ sơ', 'Outcome of the check')}</legend>
            {(
              [
                ['accept', t('Hồ sơ đầy đủ: tiếp nhận, cấp mã và giấy hẹn (Mẫu 01)', 'Complete: receive, code and appointment (form 01)')],
                ['supplement', t('Thiếu: hướng dẫn bổ sung một lần (Mẫu 02)', 'Incomplete: ask for a supplement once (form 02)')],
                ['refuse', t('Từ chối tiếp nhận (Mẫu 03)', 'Refuse (form 03)')],
              ] as const
            ).map(([val, label]) => (
              <div class="check">
                <input id={`decision-${val}`} name="decision" type="radio" value={val} checked={(v('decision') || 'accept') === val} />
                <label for={`decision-${val}`} class="inline-label">
                  {label}
                </label>
              </div>
            ))}
            <label for="missing">{t('Giấy tờ còn thiếu (mỗi dòng một loại)', 'Missing documents (one per line)')}</label>
            <textarea id="missing" name="missing" rows={3} maxLength={5000} aria-describedby={describedBy('missing', p.errors)}>
              {v('missing')}
            </textarea>
            <Errors id="missing" errors={p.errors} />
            <label for="reason">{t('Lý do (khi bổ sung hoặc từ chối)', 'Reason (supplement or refusal)')}</label>
            <textarea id="reason" name="reason" rows={2} maxLength={2000} aria-describedby={describedBy('reason', p.errors)}>
              {v('reason')}
            </textarea>
            <Errors id="reason" errors={p.errors} />
          </fieldset>
          <fieldset>
            <legend>{t('Bản quét giấy tờ', 'Scanned papers')}</legend>
            <label for="scans">{t('Tệp bản quét (có thể chọn nhiều tệp)', 'Scan files (several may be chosen)')}</label>
            <input id="scans" name="file" type="file" multiple accept={p.data.upload.accept} aria-describedby={p.errors['files']?.length ? 'files-error scans-hint' : 'scans-hint'} />
            <UploadHint lang={p.lang} o={p.data.upload} id="scans-hint" />
            <Errors id="files" errors={p.errors} />
            {Object.keys(p.errors).length ? <p class="muted">{t('Trình duyệt không giữ tệp đã chọn khi biểu mẫu báo lỗi: hãy chọn lại tệp trước khi gửi.', 'The browser does not keep chosen files when the form reports a problem: choose them again before sending.')}</p> : null}
          </fieldset>
          <button type="submit">{t('Ghi nhận', 'Record')}</button>
        </form>
      ) : null}
    </>
  )
}

export function RegisterPage(p: { lang: Lang; year: number; agencyName: string; rows: { code: string | null; procedureName: string; applicantName: string; receivedAt: string | null; appointmentAt: string | null; returnedAt: string | null; statusLabel: string }[] }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <>
      <h1>
        {t('Sổ theo dõi hồ sơ', 'Dossier register')} {p.year} — {p.agencyName}
      </h1>
      <p>
        <a href={`/staff/so-theo-doi.csv?year=${p.year}`}>{t('Tải CSV', 'Download CSV')}</a> ·{' '}
        <a href={`/staff/so-theo-doi.pdf?year=${p.year}`}>{t('In sổ (Mẫu 07, PDF)', 'Print (form 07, PDF)')}</a>
      </p>
      <form method="get" action="/staff/so-theo-doi" class="card">
        <label for="year">{t('Năm', 'Year')}</label>
        <input id="year" name="year" type="number" min={2020} max={2100} value={String(p.year)} />
        <button type="submit" class="secondary">
          {t('Xem', 'Show')}
        </button>
      </form>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Sổ theo dõi hồ sơ', 'Register')}>
        <table>
          <thead>
            <tr>
              <th scope="col">STT</th>
              <th scope="col">{t('Mã hồ sơ', 'Code')}</th>
              <th scope="col">{t('Thủ tục', 'Procedure')}</th>
              <th scope="col">{t('Người nộp', 'Applicant')}</th>
              <th scope="col">{t('Nhận', 'Received')}</th>
              <th scope="col">{t('Hẹn trả', 'Appointment')}</th>
              <th scope="col">{t('Đã trả', 'Returned')}</th>
              <th scope="col">{t('Trạng thái', 'Status')}</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r, i) => (
              <tr>
                <td>{i + 1}</td>
                <td>{r.code}</td>
                <td>{r.procedureName}</td>
                <td>{r.applicantName}</td>
                <td>{when(r.receivedAt)}</td>
                <td>{when(r.appointmentAt)}</td>
                <td>{when(r.returnedAt)}</td>
                <td>{r.statusLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
