import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ComponentChildren, JSX } from 'preact'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { DomainError, fieldErrorsOf } from '../../shared/errors.js'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import type { Guards } from '../../shared/module.js'
import { Errors, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import { MAX_SCHEDULE_CSV_BYTES, type CsvProblem } from './calendar.csv.js'
import { lunarOf, lunarYearName } from './calendar.lunar.js'
import { civilOf, formatMinute, formatViDate, formatVnIso, isoDateOf, MAX_YEAR, MIN_YEAR, parseIsoDate, parseIsoInstant, parseMinute, vnDayOf, vnMinuteOf, weekdayName } from './calendar.days.js'
import { assertLimit, computeDue, DEADLINE_UNITS, MAX_AMOUNT, type DeadlineUnit, type DueResult } from './calendar.deadline.js'
import { listChanges, listClosures, listScheduleMetas, type ChangeRow, type ClosureRow, type ScheduleMeta } from './calendar.repo.js'
import type { DayOffKind } from './calendar.schedule.js'
import {
  cancelClosure,
  COMMUNE_CODE,
  daysOffOf,
  declareClosure,
  getCalendarSnapshot,
  listNotes,
  loadOfficialSchedule,
  makeupWorkdaysOf,
  previewSchedule,
  setWorkingHours,
  type CalendarActor,
  type CalendarDeps,
  type DayOffView,
  type MakeupDayView,
  type SchedulePreview,
} from './calendar.service.js'
import type { WorkingHours } from './calendar.snapshot.js'

export type { FieldErrors }

const KIND_LABEL: Record<DayOffKind | 'makeup_workday' | 'weekend', [string, string]> = {
  holiday: ['Ngày lễ, Tết', 'Public holiday'],
  weekend_in_break: ['Cuối tuần trong đợt nghỉ', 'Weekend day in a break'],
  compensatory_day_off: ['Nghỉ bù', 'Compensatory day off'],
  swapped_day_off: ['Nghỉ hoán đổi', 'Swapped day off'],
  closure: ['Tạm ngừng làm việc (thiên tai)', 'Closure (storm, flood)'],
  makeup_workday: ['Làm bù', 'Make-up working day'],
  weekend: ['Thứ Bảy, Chủ nhật', 'Weekend'],
}
const kindLabel = (lang: Lang, k: keyof typeof KIND_LABEL) => tr(lang, ...KIND_LABEL[k])

const UNIT_LABEL: Record<DeadlineUnit, [string, string]> = {
  working_days: ['ngày làm việc', 'working days'],
  calendar_days: ['ngày (theo lịch)', 'calendar days'],
  working_hours: ['giờ làm việc', 'working hours'],
  same_day: ['trả trong ngày', 'within the day'],
}

const describedBy = (id: string, errors: FieldErrors, hint?: string) => [hint, errors[id]?.length ? `${id}-error` : undefined].filter(Boolean).join(' ') || undefined

/** A labelled input with its hint and its error next to it, tied by aria-describedby. */
function Field(p: { id: string; name: string; label: string; value: string; errors: FieldErrors; errKey?: string; hintId?: string; hint?: string; input: JSX.IntrinsicElements['input'] }) {
  const key = p.errKey ?? p.name
  return (
    <>
      <label for={p.id}>{p.label}</label>
      <input {...p.input} id={p.id} name={p.name} value={p.value} aria-describedby={describedBy(key, p.errors, p.hintId)} />
      {p.hint && p.hintId ? (
        <p class="muted" id={p.hintId}>
          {p.hint}
        </p>
      ) : null}
      <Errors id={key} errors={p.errors} />
    </>
  )
}

/** A scrollable table with column headers (scope="col"), readable at 360 px. */
function Table({ caption, headers, children }: { caption?: string; headers: string[]; children: ComponentChildren }) {
  return (
    // A region that may scroll sideways on a phone must be reachable by keyboard (axe scrollable-region-focusable).
    <div class="table-wrap" role="region" tabIndex={0} aria-label={caption ?? headers.join(', ')}>
      <table>
        {caption ? <caption class="muted">{caption}</caption> : null}
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

const dateOfIso = (iso: string) => formatViDate(parseIsoDate(iso) ?? 0)
const weekdayOfIso = (iso: string, lang: Lang) => weekdayName(parseIsoDate(iso) ?? 0, lang)

function hoursText(h: WorkingHours) {
  return h.windows.map(([s, e]) => `${formatMinute(s)}–${formatMinute(e)}`).join(', ')
}

// ---- public page -------------------------------------------------------------------------------

interface CalcValues {
  receivedDate: string
  receivedTime: string
  amount: string
  unit: string
  commune: string
}

function DaysOffTable({ lang, days }: { lang: Lang; days: DayOffView[] }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  return (
    <Table caption={t(`${days.length} ngày nghỉ`, `${days.length} days off`)} headers={[t('Ngày', 'Date'), t('Thứ', 'Weekday'), t('Tên', 'Name'), t('Loại', 'Kind')]}>
      {days.map((d) => (
        <tr>
          <td>
            <time dateTime={d.date}>{dateOfIso(d.date)}</time>
          </td>
          <td>{weekdayOfIso(d.date, lang)}</td>
          <td>{d.name}</td>
          <td>
            {kindLabel(lang, d.kind)}
            {d.provisional ? <span class="muted"> ({t('tạm tính', 'provisional')})</span> : null}
          </td>
        </tr>
      ))}
    </Table>
  )
}

function DueAnswer({ lang, result }: { lang: Lang; result: DueResult }) {
  const t = (vi: string, en: string) => tr(lang, vi, en)
  const due = result.dueAt.getTime()
  const day = vnDayOf(due)
  return (
    <section id="ket-qua" class="card" aria-labelledby="h-result">
      <h3 id="h-result">{t('Kết quả', 'Result')}</h3>
      <p class="notice" role="status">
        {t('Hạn trả kết quả: ', 'Due: ')}
        <strong>
          <time dateTime={formatVnIso(due)}>
            {formatMinute(vnMinuteOf(due))} {weekdayName(day, lang)} {formatViDate(day)}
          </time>
        </strong>
      </p>
      <h4>{t('Cách tính', 'How it is counted')}</h4>
      <ol>
        {result.explanation.steps.map((s) => (
          <li>{lang === 'en' ? s.en : s.vi}</li>
        ))}
      </ol>
    </section>
  )
}

/** 'D/M[ nhuận] Can Chi' of a solar day. */
function lunarText(day: number): string {
  const l = lunarOf(day)
  return `${l.day}/${l.month}${l.leap ? ' nhuận' : ''} ${lunarYearName(l.year)}`
}

export function CalendarPage(p: {
  lang: Lang
  today: number
  todayWorking: boolean
  year: number
  provisional: boolean
  hours: WorkingHours
  daysOff: DayOffView[]
  makeup: MakeupDayView[]
  notes: { date: string; name: string; note: string }[]
  calc: CalcValues
  errors: FieldErrors
  result?: DueResult | undefined
  isAdmin: boolean
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const e = p.errors
  return (
    <article>
      <h1>{t(`Lịch làm việc năm ${p.year}`, `Working calendar ${p.year}`)}</h1>
      <p>
        {t('Hôm nay', 'Today')}: {weekdayName(p.today, p.lang)} <time dateTime={isoDateOf(p.today)}>{formatViDate(p.today)}</time>{' '}
        {t('(âm lịch', '(lunar')} {lunarText(p.today)}){p.todayWorking ? '' : ` — ${t('ngày nghỉ', 'a day off')}`}.
      </p>
      <p>
        {t(
          `Cơ quan hành chính làm việc từ thứ Hai đến thứ Sáu, ${hoursText(p.hours)}, trừ các ngày nghỉ dưới đây; ngày làm bù là ngày làm việc.`,
          `Public offices work Monday to Friday, ${hoursText(p.hours)}, except the days off below; make-up days are working days.`,
        )}
      </p>
      <form method="get" action="/lich-lam-viec" class="card">
        <Field id="year" name="year" label={t('Năm', 'Year')} value={String(p.year)} errors={e} input={{ type: 'number', inputMode: 'numeric', min: MIN_YEAR, max: MAX_YEAR, required: true }} />
        <button type="submit">{t('Xem lịch', 'Show')}</button>
      </form>
      {p.provisional ? (
        <p class="alert">
          {t(
            `Lịch nghỉ năm ${p.year} chưa được công bố. Đây là lịch tạm tính theo Bộ luật Lao động 2019 (Điều 111, 112); lịch chính thức sẽ thay thế khi được công bố.`,
            `The ${p.year} schedule has not been announced. These days are computed provisionally from the Labour Code 2019 (Art. 111, 112) and will be replaced by the announced schedule.`,
          )}
        </p>
      ) : (
        <p class="muted">{t(`Lịch nghỉ năm ${p.year} theo thông báo chính thức.`, `The announced schedule for ${p.year}.`)}</p>
      )}
      <h2>{t('Ngày nghỉ', 'Days off')}</h2>
      <DaysOffTable lang={p.lang} days={p.daysOff} />
      <h2>{t('Ngày làm bù', 'Make-up working days')}</h2>
      {p.makeup.length ? (
        <ul>
          {p.makeup.map((m) => (
            <li>
              <time dateTime={m.date}>
                {weekdayOfIso(m.date, p.lang)} {dateOfIso(m.date)}
              </time>
              : {m.name}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('Không có ngày làm bù.', 'No make-up working days.')}</p>
      )}
      {p.notes.length ? (
        <>
          <h2>{t('Ghi chú (không phải ngày nghỉ)', 'Notes (not days off)')}</h2>
          <ul>
            {p.notes.map((n) => (
              <li>
                {dateOfIso(n.date)}: {n.name}
                {n.note ? <span class="muted"> — {n.note}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <section aria-labelledby="h-calc">
        <h2 id="h-calc">{t('Nộp hồ sơ hôm nay, khi nào có kết quả?', 'Submit today: when is the result due?')}</h2>
        <p class="muted" id="calc-hint">
          {t(
            'Thời hạn tính từ khi hồ sơ được tiếp nhận hợp lệ; ngày tiếp nhận không tính; hồ sơ nhận ngoài giờ được tính từ giờ làm việc kế tiếp.',
            'The limit counts from the valid receipt; the receipt day is not counted; a dossier received outside working hours counts from the next working moment.',
          )}
        </p>
        <form method="get" action="/lich-lam-viec#ket-qua" class="card">
          <input type="hidden" name="year" value={String(p.year)} />
          <Field id="receivedDate" name="receivedDate" label={t('Ngày tiếp nhận', 'Receipt date')} value={p.calc.receivedDate} errors={e} input={{ type: 'date', required: true }} />
          <Field id="receivedTime" name="receivedTime" label={t('Giờ tiếp nhận', 'Receipt time')} value={p.calc.receivedTime} errors={e} input={{ type: 'time', required: true }} />
          <Field id="amount" name="amount" label={t('Thời hạn giải quyết', 'Processing time limit')} value={p.calc.amount} errors={e} hintId="calc-hint" input={{ type: 'number', inputMode: 'numeric', min: 0, max: MAX_AMOUNT.calendar_days, required: true }} />
          <label for="unit">{t('Đơn vị', 'Unit')}</label>
          <select id="unit" name="unit" aria-describedby={describedBy('unit', e)}>
            {DEADLINE_UNITS.map((u) => (
              <option value={u} selected={u === p.calc.unit}>
                {tr(p.lang, ...UNIT_LABEL[u])}
              </option>
            ))}
          </select>
          <Errors id="unit" errors={e} />
          <Field id="commune" name="commune" label={t('Mã xã, phường (không bắt buộc)', 'Commune code (optional)')} value={p.calc.commune} errors={e} hintId="commune-hint" hint={t('Để tính cả các ngày tạm ngừng làm việc do thiên tai của xã.', "To include the commune's declared closures.")} input={{ type: 'text', inputMode: 'numeric', pattern: '[0-9]{5}', maxLength: 5 }} />
          <button type="submit">{t('Tính ngày hẹn trả', 'Compute the due date')}</button>
        </form>
        {p.result ? <DueAnswer lang={p.lang} result={p.result} /> : null}
      </section>
      {p.isAdmin ? (
        <p>
          <a href="/admin/lich-lam-viec">{t('Quản trị lịch làm việc', 'Manage the working calendar')}</a>
        </p>
      ) : null}
    </article>
  )
}

// ---- administrator page ------------------------------------------------------------------------

const ACTION_LABEL: Record<string, [string, string]> = {
  schedule_loaded: ['Tải lịch nghỉ chính thức', 'Announced schedule loaded'],
  closure_declared: ['Công bố tạm ngừng làm việc', 'Closure declared'],
  closure_cancelled: ['Hủy tạm ngừng làm việc', 'Closure cancelled'],
  working_hours_changed: ['Đổi giờ làm việc', 'Working hours changed'],
}

function actorName(c: ChangeRow): string {
  const d = (typeof c.details === 'string' ? JSON.parse(c.details) : c.details) as { actorName?: unknown } | null
  return typeof d?.actorName === 'string' ? d.actorName : (c.actorId ?? '—')
}

export interface AdminForms {
  schedule: { values: Record<string, string>; errors: FieldErrors; problems: CsvProblem[] }
  closure: { values: Record<string, string>; errors: FieldErrors }
  hours: { values: Record<string, string>; errors: FieldErrors }
  cancel: { id: string; errors: FieldErrors }
}

export const emptyForms = (): AdminForms => ({ schedule: { values: {}, errors: {}, problems: [] }, closure: { values: {}, errors: {} }, hours: { values: {}, errors: {} }, cancel: { id: '', errors: {} } })

export function AdminCalendarPage(p: { lang: Lang; csrf: string; schedules: ScheduleMeta[]; closures: ClosureRow[]; changes: ChangeRow[]; hours: WorkingHours; forms: AdminForms; notice?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const s = p.forms.schedule
  const c = p.forms.closure
  const h = p.forms.hours
  const [morning, afternoon] = p.hours.windows
  return (
    <article>
      <h1>{t('Quản trị lịch làm việc', 'Working calendar administration')}</h1>
      {p.notice ? (
        <p class="notice" role="status">
          {p.notice}
        </p>
      ) : null}
      <p>
        <a href="/lich-lam-viec">{t('Xem lịch làm việc công khai', 'See the public working calendar')}</a>
      </p>

      <h2>{t('Lịch nghỉ đã công bố', 'Announced schedules')}</h2>
      <Table headers={[t('Năm', 'Year'), t('Lý do', 'Reason'), t('Lúc tải', 'Loaded at'), t('Phiên bản', 'Version')]}>
        {p.schedules.map((m) => (
          <tr>
            <th scope="row">
              <a href={`/lich-lam-viec?year=${m.year}`}>{m.year}</a>
            </th>
            <td>{m.reason}</td>
            <td>{formatVnDateTime(m.loadedAt)}</td>
            <td>{m.version}</td>
          </tr>
        ))}
      </Table>
      <p class="muted">{t('Các năm khác dùng lịch tạm tính theo Bộ luật Lao động.', 'Other years use the provisional schedule computed from the Labour Code.')}</p>

      <section aria-labelledby="h-load">
        <h2 id="h-load">{t('Tải lịch nghỉ chính thức của một năm', "Load a year's announced schedule")}</h2>
        {Object.keys(s.errors).length || s.problems.length ? (
          <div class="alert" role="alert">
            {t('Chưa tải được lịch, xem lỗi bên dưới.', 'The schedule was not loaded; see below.')}
          </div>
        ) : null}
        <form method="post" action="/admin/lich-lam-viec/lich-nghi" class="card">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="step" value="preview" />
          <Field id="sched-year" name="year" label={t('Năm', 'Year')} value={s.values['year'] ?? ''} errors={s.errors} input={{ type: 'number', inputMode: 'numeric', min: MIN_YEAR, max: MAX_YEAR, required: true }} />
          <label for="sched-csv">{t('Nội dung CSV (cùng định dạng holidays.csv)', 'CSV text (the holidays.csv format)')}</label>
          <p class="muted" id="csv-hint">
            {t(
              'Dòng đầu: date,name,kind,weekday,note,source. Loại (kind): holiday, weekend_in_break, compensatory_day_off, swapped_day_off, makeup_workday; các loại ghi chú proposed_holiday, statutory_unscheduled, lunar_computed_unverified không phải ngày nghỉ. Tối đa 256 KB.',
              'First line: date,name,kind,weekday,note,source. Kinds: holiday, weekend_in_break, compensatory_day_off, swapped_day_off, makeup_workday; the note kinds proposed_holiday, statutory_unscheduled, lunar_computed_unverified are not days off. At most 256 KB.',
            )}
          </p>
          <textarea id="sched-csv" name="csv" rows={10} required maxLength={MAX_SCHEDULE_CSV_BYTES} aria-describedby={describedBy('csv', { csv: s.problems.length ? ['x'] : s.errors['csv'] }, 'csv-hint')}>
            {s.values['csv'] ?? ''}
          </textarea>
          {s.problems.length ? (
            <div class="field-error" id="csv-error">
              <p>{t(`${s.problems.length} lỗi trong CSV:`, `${s.problems.length} problems in the CSV:`)}</p>
              <ul>
                {s.problems.map((x) => (
                  <li>
                    {x.line ? `${t('Dòng', 'Line')} ${x.line}: ` : ''}
                    {x.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <Errors id="csv" errors={s.errors} />
          )}
          <Field id="sched-reason" name="reason" label={t('Lý do, văn bản công bố', 'Reason, announcing document')} value={s.values['reason'] ?? ''} errors={s.errors} input={{ type: 'text', required: true, maxLength: 500 }} />
          <button type="submit">{t('Kiểm tra và xem trước', 'Check and preview')}</button>
        </form>
      </section>

      <section aria-labelledby="h-closure">
        <h2 id="h-closure">{t('Công bố tạm ngừng làm việc (bão, lũ)', 'Declare a closure (storm, flood)')}</h2>
        {Object.keys(c.errors).length ? (
          <div class="alert" role="alert">
            {t('Chưa công bố được, xem lỗi bên dưới.', 'The closure was not declared; see below.')}
          </div>
        ) : null}
        <form method="post" action="/admin/lich-lam-viec/tam-ngung" class="card">
          <CsrfField token={p.csrf} />
          <Field id="cl-from" name="from" label={t('Từ ngày', 'From')} value={c.values['from'] ?? ''} errors={c.errors} input={{ type: 'date', required: true }} />
          <Field id="cl-to" name="to" label={t('Đến ngày', 'To')} value={c.values['to'] ?? ''} errors={c.errors} input={{ type: 'date', required: true }} />
          <Field id="cl-communes" name="communes" label={t('Mã các xã, phường (để trống: toàn tỉnh)', 'Commune codes (empty: the whole province)')} value={c.values['communes'] ?? ''} errors={c.errors} hintId="cl-communes-hint" hint={t('Mã 5 chữ số, cách nhau bằng dấu phẩy, ví dụ: 32002, 31825', '5-digit codes separated by commas, e.g. 32002, 31825')} input={{ type: 'text', maxLength: 1500 }} />
          <Field id="cl-reason" name="reason" label={t('Lý do', 'Reason')} value={c.values['reason'] ?? ''} errors={c.errors} input={{ type: 'text', required: true, maxLength: 300 }} />
          <button type="submit">{t('Công bố', 'Declare')}</button>
        </form>
        {p.closures.length ? (
          <Table caption={t('Các lần tạm ngừng đã công bố', 'Declared closures')} headers={[t('Thời gian', 'Dates'), t('Phạm vi', 'Scope'), t('Lý do', 'Reason'), t('Trạng thái', 'Status')]}>
            {p.closures.map((x) => {
              const errs = p.forms.cancel.id === x.id ? p.forms.cancel.errors : {}
              const key = `cancel-${x.id}`
              return (
                <tr>
                  <td>
                    {formatViDate(x.from)} – {formatViDate(x.to)}
                  </td>
                  <td>{x.communes.length ? x.communes.join(', ') : t('Toàn tỉnh', 'Whole province')}</td>
                  <td>{x.reason}</td>
                  <td>
                    {x.cancelledAt ? (
                      `${t('Đã hủy', 'Cancelled')}: ${x.cancelReason ?? ''}`
                    ) : (
                      <form method="post" action={`/admin/lich-lam-viec/tam-ngung/${x.id}/huy`}>
                        <CsrfField token={p.csrf} />
                        <Field id={key} name="reason" label={t('Lý do hủy', 'Reason to cancel')} value="" errors={{ [key]: errs['reason'] }} errKey={key} input={{ type: 'text', required: true, maxLength: 500 }} />
                        <button type="submit" class="secondary">
                          {t('Hủy công bố', 'Cancel the closure')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              )
            })}
          </Table>
        ) : null}
      </section>

      <section aria-labelledby="h-hours">
        <h2 id="h-hours">{t('Giờ làm việc của tỉnh', "The province's working hours")}</h2>
        {Object.keys(h.errors).length ? (
          <div class="alert" role="alert">
            {t('Chưa đổi được giờ làm việc, xem lỗi bên dưới.', 'The working hours were not changed; see below.')}
          </div>
        ) : null}
        <form method="post" action="/admin/lich-lam-viec/gio-lam-viec" class="card">
          <CsrfField token={p.csrf} />
          <label for="wh-ms">{t('Sáng, bắt đầu', 'Morning, start')}</label>
          <input id="wh-ms" name="morningStart" type="time" required value={h.values['morningStart'] ?? (morning ? formatMinute(morning[0]) : '07:00')} />
          <label for="wh-me">{t('Sáng, kết thúc', 'Morning, end')}</label>
          <input id="wh-me" name="morningEnd" type="time" required value={h.values['morningEnd'] ?? (morning ? formatMinute(morning[1]) : '11:30')} />
          <label for="wh-as">{t('Chiều, bắt đầu', 'Afternoon, start')}</label>
          <input id="wh-as" name="afternoonStart" type="time" required value={h.values['afternoonStart'] ?? (afternoon ? formatMinute(afternoon[0]) : '13:30')} />
          <label for="wh-ae">{t('Chiều, kết thúc', 'Afternoon, end')}</label>
          <input id="wh-ae" name="afternoonEnd" type="time" required value={h.values['afternoonEnd'] ?? (afternoon ? formatMinute(afternoon[1]) : '17:00')} />
          <Field id="wh-cut" name="cutoff" label={t('Giờ chốt nhận hồ sơ trả trong ngày', 'Same-day cut-off')} value={h.values['cutoff'] ?? formatMinute(p.hours.sameDayCutoff)} errors={h.errors} errKey="hours" input={{ type: 'time', required: true }} />
          <Field id="wh-reason" name="reason" label={t('Lý do, văn bản', 'Reason, document')} value={h.values['reason'] ?? ''} errors={h.errors} errKey="wh-reason" input={{ type: 'text', required: true, maxLength: 500 }} />
          <button type="submit">{t('Lưu giờ làm việc', 'Save working hours')}</button>
        </form>
      </section>

      <h2>{t('Lịch sử thay đổi', 'Change history')}</h2>
      <Table headers={[t('Lúc', 'When'), t('Thay đổi', 'Change'), t('Người thực hiện', 'By'), t('Lý do', 'Reason')]}>
        {p.changes.map((x) => (
          <tr>
            <td>{formatVnDateTime(x.occurredAt)}</td>
            <td>
              {ACTION_LABEL[x.action] ? tr(p.lang, ...(ACTION_LABEL[x.action] as [string, string])) : x.action}
              {x.year ? ` ${x.year}` : ''}
              {x.dateFrom && !x.year ? ` ${dateOfIso(x.dateFrom)} – ${dateOfIso(x.dateTo ?? x.dateFrom)}` : ''}
            </td>
            <td>{actorName(x)}</td>
            <td>{x.reason}</td>
          </tr>
        ))}
      </Table>
    </article>
  )
}

export function SchedulePreviewPage(p: { lang: Lang; csrf: string; preview: SchedulePreview; csv: string; reason: string }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const pv = p.preview
  const label = (x: { name: string; kind: string } | null) => (x ? `${x.name} (${x.kind in KIND_LABEL ? kindLabel(p.lang, x.kind as keyof typeof KIND_LABEL) : x.kind})` : '—')
  return (
    <article>
      <h1>{t(`Xem trước lịch nghỉ năm ${pv.year}`, `Preview of the ${pv.year} schedule`)}</h1>
      <p>
        {pv.replacesProvisional
          ? t(`Lịch này sẽ thay thế lịch tạm tính của năm ${pv.year}.`, `This replaces the provisional ${pv.year} schedule.`)
          : t(`Lịch này sẽ thay thế lịch chính thức đang dùng của năm ${pv.year}.`, `This replaces the announced ${pv.year} schedule in use.`)}{' '}
        {t(`${pv.rows.length} dòng hợp lệ. Các hạn giải quyết đang mở sẽ được tính lại.`, `${pv.rows.length} valid rows. Open deadlines will be recomputed.`)}
      </p>
      <h2>{t(`Thay đổi (${pv.changes.length} ngày)`, `Changes (${pv.changes.length} days)`)}</h2>
      {pv.changes.length ? (
        <Table headers={[t('Ngày', 'Date'), t('Trước', 'Before'), t('Sau', 'After')]}>
          {pv.changes.map((c) => (
            <tr>
              <th scope="row">
                {weekdayOfIso(c.date, p.lang)} {dateOfIso(c.date)}
              </th>
              <td>{label(c.before)}</td>
              <td>{label(c.after)}</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p>{t('Không có ngày nào thay đổi.', 'No day changes.')}</p>
      )}
      <form method="post" action="/admin/lich-lam-viec/lich-nghi" class="card">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="step" value="confirm" />
        <input type="hidden" name="year" value={String(pv.year)} />
        <label for="confirm-csv">{t('Nội dung sẽ tải', 'Content to load')}</label>
        <textarea id="confirm-csv" name="csv" rows={8} readOnly>
          {p.csv}
        </textarea>
        <label for="confirm-reason">{t('Lý do', 'Reason')}</label>
        <input id="confirm-reason" name="reason" type="text" required maxLength={500} value={p.reason} />
        <button type="submit">{t('Xác nhận tải lịch', 'Confirm and load')}</button>
      </form>
      <p>
        <a href="/admin/lich-lam-viec">{t('Hủy, quay lại', 'Cancel')}</a>
      </p>
    </article>
  )
}

// ---- routes ------------------------------------------------------------------------------------

const Query = z.record(z.string(), z.string().max(2000))
const Form = z.record(z.string(), z.string().max(MAX_SCHEDULE_CSV_BYTES * 2))


const actorOf = (req: FastifyRequest): CalendarActor => {
  const me = req.principal as StaffPrincipal
  return { id: me.accountId, name: `${me.fullName} (${me.username})` }
}

/** The public "Lịch làm việc" page and the administrator page. */
export function registerCalendarPages(appIn: FastifyInstance, deps: CalendarDeps, guards: Guards) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const admin = guards.staff('admin')

  app.get('/lich-lam-viec', { schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const q = req.query
    const now = deps.clock.now().getTime()
    const errors: FieldErrors = {}
    const thisYear = civilOf(vnDayOf(now)).year
    let year = thisYear
    if (q['year'] !== undefined && q['year'] !== '') {
      const y = Number(q['year'])
      if (/^\d{4}$/.test(q['year']) && y >= MIN_YEAR && y <= MAX_YEAR) year = y
      else errors['year'] = [tr(req.lang, `Năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`, `The year must be ${MIN_YEAR}–${MAX_YEAR}.`)]
    }
    const calc: CalcValues = {
      receivedDate: q['receivedDate'] ?? formatVnIso(now).slice(0, 10),
      receivedTime: q['receivedTime'] ?? formatVnIso(now).slice(11, 16),
      amount: q['amount'] ?? '',
      unit: q['unit'] ?? 'working_days',
      commune: (q['commune'] ?? '').trim(),
    }
    const province = await getCalendarSnapshot(deps.db, { provinceCode: deps.provinceCode })
    let result: DueResult | undefined
    if (q['amount'] !== undefined) {
      const t = (vi: string, en: string) => tr(req.lang, vi, en)
      const at = parseIsoInstant(`${calc.receivedDate}T${calc.receivedTime}`)
      if (parseIsoDate(calc.receivedDate) === undefined) errors['receivedDate'] = [t('Ngày không hợp lệ.', 'Not a valid date.')]
      else if (at === undefined) errors['receivedTime'] = [t('Giờ không hợp lệ (HH:MM).', 'Not a valid time (HH:MM).')]
      else if (!province.covers(vnDayOf(at)) || civilOf(vnDayOf(at)).year > MAX_YEAR) errors['receivedDate'] = [t(`Ngày phải trong các năm ${MIN_YEAR}–${MAX_YEAR}.`, `The date must be within ${MIN_YEAR}–${MAX_YEAR}.`)]
      const unit = (DEADLINE_UNITS as readonly string[]).includes(calc.unit) ? (calc.unit as DeadlineUnit) : undefined
      if (!unit) errors['unit'] = [t('Đơn vị không hợp lệ.', 'Unknown unit.')]
      const amount = /^\d{1,5}$/.test(calc.amount) ? Number(calc.amount) : NaN
      if (unit) {
        try {
          assertLimit(unit === 'same_day' ? 0 : amount, unit)
        } catch {
          errors['amount'] = [t(`Nhập số nguyên từ 0 đến ${MAX_AMOUNT[unit]}.`, `Enter a whole number from 0 to ${MAX_AMOUNT[unit]}.`)]
        }
      }
      if (calc.commune && !COMMUNE_CODE.test(calc.commune)) errors['commune'] = [t('Mã xã gồm 5 chữ số.', 'A commune code has 5 digits.')]
      if (!Object.keys(errors).length && unit && at !== undefined) {
        const cal = calc.commune ? await getCalendarSnapshot(deps.db, { provinceCode: deps.provinceCode, communeCode: calc.commune }) : province
        try {
          result = computeDue(cal, { receivedAt: at, amount: unit === 'same_day' ? 0 : amount, unit })
        } catch (e) {
          if (!(e instanceof DomainError)) throw e
          errors['amount'] = [e.message]
        }
      }
    }
    const [daysOff, makeup, notes] = [daysOffOf(province, year), makeupWorkdaysOf(province, year), await listNotes(deps.db, year)]
    return reply.page(
      {
        title: tr(req.lang, `Lịch làm việc năm ${year}`, `Working calendar ${year}`),
        description: tr(req.lang, 'Ngày nghỉ lễ, ngày làm bù và tính ngày hẹn trả kết quả hồ sơ.', 'Days off, make-up working days and the due-date calculator.'),
        status: Object.keys(errors).length ? 400 : 200,
      },
      <CalendarPage
        lang={req.lang}
        today={vnDayOf(now)}
        todayWorking={province.isWorkingDay(vnDayOf(now))}
        year={year}
        provisional={province.isProvisional(year)}
        hours={province.workingHours}
        daysOff={daysOff}
        makeup={makeup}
        notes={notes}
        calc={calc}
        errors={errors}
        result={result}
        isAdmin={req.principal?.kind === 'staff' && req.principal.role === 'admin'}
      />,
    )
  })

  const renderAdmin = async (req: FastifyRequest, reply: FastifyReply, forms: AdminForms, opts: { status?: number; notice?: string } = {}) => {
    const [schedules, closures, changes, cal] = [
      await listScheduleMetas(deps.db),
      await listClosures(deps.db, deps.provinceCode, { withCancelled: true }),
      await listChanges(deps.db, deps.provinceCode),
      await getCalendarSnapshot(deps.db, { provinceCode: deps.provinceCode }),
    ]
    return reply.page(
      { title: tr(req.lang, 'Quản trị lịch làm việc', 'Working calendar administration'), status: opts.status ?? 200 },
      <AdminCalendarPage lang={req.lang} csrf={reply.csrfToken()} schedules={schedules} closures={closures} changes={changes} hours={cal.workingHours} forms={forms} notice={opts.notice} />,
    )
  }

  app.get('/admin/lich-lam-viec', { schema: { hide: true, querystring: Query }, preHandler: admin }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const q = req.query
    const notice = q['loaded']
      ? t(`Đã tải lịch nghỉ chính thức năm ${q['loaded']}. Các hạn giải quyết đang mở sẽ được tính lại.`, `The ${q['loaded']} schedule was loaded. Open deadlines will be recomputed.`)
      : q['closed']
        ? t('Đã công bố tạm ngừng làm việc.', 'The closure was declared.')
        : q['cancelled']
          ? t('Đã hủy công bố tạm ngừng làm việc.', 'The closure was cancelled.')
          : q['hours']
            ? t('Đã lưu giờ làm việc.', 'Working hours saved.')
            : undefined
    return renderAdmin(req, reply, emptyForms(), { notice })
  })

  app.post('/admin/lich-lam-viec/lich-nghi', { schema: { hide: true, body: Form }, preHandler: admin }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const values = { year: req.body['year'] ?? '', csv: req.body['csv'] ?? '', reason: (req.body['reason'] ?? '').trim() }
    const forms = emptyForms()
    forms.schedule.values = values
    const errors: FieldErrors = {}
    const year = Number(values.year)
    if (!/^\d{4}$/.test(values.year) || year < MIN_YEAR || year > MAX_YEAR) errors['year'] = [t(`Năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`, `The year must be ${MIN_YEAR}–${MAX_YEAR}.`)]
    if (!values.csv.trim()) errors['csv'] = [t('Cần dán nội dung CSV.', 'Paste the CSV text.')]
    else if (Buffer.byteLength(values.csv, 'utf8') > MAX_SCHEDULE_CSV_BYTES) errors['csv'] = [t('Nội dung quá 256 KB.', 'The text is over 256 KB.')]
    if (values.reason.length < 3) errors['reason'] = [t('Cần ghi lý do hoặc văn bản công bố.', 'Give the reason or announcing document.')]
    if (Object.keys(errors).length) {
      forms.schedule.errors = errors
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    const preview = await previewSchedule(deps.db, year, values.csv)
    if (preview.problems.length) {
      forms.schedule.problems = preview.problems
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    if (req.body['step'] !== 'confirm') {
      return reply.page(
        { title: tr(req.lang, `Xem trước lịch nghỉ năm ${year}`, `Preview of the ${year} schedule`) },
        <SchedulePreviewPage lang={req.lang} csrf={reply.csrfToken()} preview={preview} csv={values.csv} reason={values.reason} />,
      )
    }
    try {
      await loadOfficialSchedule(deps, actorOf(req), { year, csv: values.csv, reason: values.reason })
    } catch (e) {
      const f = fieldErrorsOf(e)
      if (!f) throw e
      forms.schedule.errors = f
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    return reply.redirect(`/admin/lich-lam-viec?loaded=${year}`, 303)
  })

  app.post('/admin/lich-lam-viec/tam-ngung', { schema: { hide: true, body: Form }, preHandler: admin }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const values = { from: req.body['from'] ?? '', to: req.body['to'] ?? '', communes: req.body['communes'] ?? '', reason: req.body['reason'] ?? '' }
    const forms = emptyForms()
    forms.closure.values = values
    const from = parseIsoDate(values.from)
    const to = parseIsoDate(values.to)
    const errors: FieldErrors = {}
    if (from === undefined) errors['from'] = [t('Ngày không hợp lệ.', 'Not a valid date.')]
    if (to === undefined) errors['to'] = [t('Ngày không hợp lệ.', 'Not a valid date.')]
    const communes = values.communes.split(/[\s,;]+/).filter(Boolean)
    if (Object.keys(errors).length || from === undefined || to === undefined) {
      forms.closure.errors = errors
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    try {
      await declareClosure(deps, actorOf(req), { from, to, communes, reason: values.reason })
    } catch (e) {
      const f = fieldErrorsOf(e)
      if (!f) throw e
      forms.closure.errors = f
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    return reply.redirect('/admin/lich-lam-viec?closed=1', 303)
  })

  app.post(
    '/admin/lich-lam-viec/tam-ngung/:id/huy',
    { schema: { hide: true, params: z.object({ id: z.string().uuid() }), body: Form }, preHandler: admin },
    async (req, reply) => {
      try {
        await cancelClosure(deps, actorOf(req), req.params.id, req.body['reason'] ?? '')
      } catch (e) {
        const f = fieldErrorsOf(e)
        if (!f) throw e
        const forms = emptyForms()
        forms.cancel = { id: req.params.id, errors: f }
        return renderAdmin(req, reply, forms, { status: 400 })
      }
      return reply.redirect('/admin/lich-lam-viec?cancelled=1', 303)
    },
  )

  app.post('/admin/lich-lam-viec/gio-lam-viec', { schema: { hide: true, body: Form }, preHandler: admin }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    const b = req.body
    const values = { morningStart: b['morningStart'] ?? '', morningEnd: b['morningEnd'] ?? '', afternoonStart: b['afternoonStart'] ?? '', afternoonEnd: b['afternoonEnd'] ?? '', cutoff: b['cutoff'] ?? '', reason: b['reason'] ?? '' }
    const forms = emptyForms()
    forms.hours.values = values
    const m = [values.morningStart, values.morningEnd, values.afternoonStart, values.afternoonEnd, values.cutoff].map((x) => parseMinute(x.slice(0, 5)))
    const [ms, me, as, ae, cut] = m
    const fail = (field: string, msg: string) => {
      forms.hours.errors = { [field]: [msg] }
      return renderAdmin(req, reply, forms, { status: 400 })
    }
    if (ms === undefined || me === undefined || as === undefined || ae === undefined || cut === undefined) return fail('hours', t('Giờ không hợp lệ (HH:MM).', 'Not a valid time (HH:MM).'))
    try {
      await setWorkingHours(deps, actorOf(req), { windows: [[ms, me], [as, ae]], sameDayCutoff: cut }, values.reason)
    } catch (e) {
      if (!(e instanceof DomainError) || e.kind !== 'invalid') throw e
      return fail(e.code === 'CALENDAR.REASON_REQUIRED' ? 'wh-reason' : 'hours', e.message)
    }
    return reply.redirect('/admin/lich-lam-viec?hours=1', 303)
  })
}
