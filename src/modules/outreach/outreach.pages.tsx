import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, FormAlert, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import type { ConsentListItem, ConsentRequestRow, ConsentState } from './consent.service.js'
import type { MemberView, Membership, TeamView } from './outreach.service.js'
import type { ConsentMethod, ConsentScope, RequestStatus } from './outreach.tables.js'

const when = (d: Date | null | undefined) => (d ? formatVnDateTime(d) : '—')

const METHOD: Record<ConsentMethod, [string, string]> = {
  sms_otp: ['Mã xác nhận qua tin nhắn SMS', 'Code sent by SMS'],
  in_session: ['Xác nhận trong tài khoản của công dân', "Approved in the citizen's own account"],
}
const SCOPE: Record<ConsentScope, [string, string]> = {
  one_dossier: ['Một hồ sơ', 'One dossier'],
  until_expiry: ['Nhiều hồ sơ đến khi hết hạn', 'Several dossiers until it expires'],
}
const STATE: Record<ConsentState, [string, string]> = {
  active: ['Đang hiệu lực', 'In force'],
  revoked: ['Đã thu hồi', 'Revoked'],
  expired: ['Đã hết hạn', 'Expired'],
  used: ['Đã dùng', 'Used'],
}
const REQUEST: Record<RequestStatus, [string, string]> = {
  sending: ['Đang gửi mã', 'Sending the code'],
  code_sent: ['Đã gửi mã, chờ nhập mã', 'Code sent, waiting for it'],
  send_failed: ['Gửi mã không thành công', 'Code could not be sent'],
  awaiting_citizen: ['Chờ công dân xác nhận trong tài khoản', 'Waiting for the citizen to approve'],
  approved: ['Công dân đã đồng ý', 'Approved by the citizen'],
  declined: ['Công dân từ chối', 'Declined by the citizen'],
  locked: ['Bị khoá do nhập sai mã nhiều lần', 'Locked after too many wrong codes'],
  expired: ['Hết hạn', 'Expired'],
  cancelled: ['Đã huỷ', 'Cancelled'],
}
const l = (lang: Lang, pair: [string, string]) => tr(lang, pair[0], pair[1])

function Field(p: { id: string; label: string; errors: FieldErrors; value?: string | undefined; type?: string; hint?: string; inputMode?: 'numeric' | 'tel'; autocomplete?: string; maxLength?: number }) {
  return (
    <p>
      <label for={p.id}>{p.label}</label>
      {p.hint ? (
        <span class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </span>
      ) : null}
      <input
        id={p.id}
        name={p.id}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        inputMode={p.inputMode}
        autocomplete={p.autocomplete ?? 'off'}
        maxLength={p.maxLength}
        aria-invalid={p.errors[p.id]?.length ? 'true' : undefined}
        aria-describedby={[p.hint ? `${p.id}-hint` : '', describedBy(p.id, p.errors) ?? ''].filter(Boolean).join(' ') || undefined}
      />
      <Errors id={p.id} errors={p.errors} />
    </p>
  )
}

/** "Nộp hồ sơ thay": the member asks a citizen's consent, and sees their recent requests and consents. */
export function AssistStartPage(p: {
  lang: Lang
  csrf: string
  membership: Membership
  errors: FieldErrors
  values: Record<string, string>
  message?: string | undefined
  overview: { requests: { id: string; citizenIdentityNumber: string; purpose: string; method: ConsentMethod; status: RequestStatus; createdAt: Date }[]; consents: ConsentListItem[] }
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const v = p.values
  const method = v['method'] === 'in_session' ? 'in_session' : 'sms_otp'
  return (
    <section>
      <h1>{t('Nộp hồ sơ thay công dân', 'Submit for a citizen')}</h1>
      <p>
        {t('Thành viên', 'Member of')} <strong>{p.membership.teamName}</strong>. {t('Bạn chỉ được nộp hồ sơ thay khi công dân đồng ý; sự đồng ý được ghi lại và công dân xem được.', 'You may submit for a citizen only with their consent; it is recorded and they can see it.')}
      </p>
      <form method="post" action="/ho-tro/nop-thay" class="card" novalidate>
        <CsrfField token={p.csrf} />
        <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
        <Field id="identityNumber" label={t('Số định danh cá nhân của công dân (12 chữ số)', "Citizen's personal identity number (12 digits)")} errors={p.errors} value={v['identityNumber']} inputMode="numeric" maxLength={20} />
        <Field id="phone" label={t('Số điện thoại di động của công dân', "Citizen's mobile phone")} hint={t('Mã xác nhận gửi tới số này (hoặc tới số công dân đã đăng ký với hệ thống định danh, nếu có).', 'The code goes to this number (or to the number registered with the identity system, when known).')} errors={p.errors} value={v['phone']} type="tel" inputMode="tel" maxLength={20} />
        <Field id="purpose" label={t('Việc sẽ làm thay', 'What you will do for them')} hint={t('Ví dụ: Nộp hồ sơ đăng ký khai sinh', 'E.g. submit a birth registration')} errors={p.errors} value={v['purpose']} maxLength={200} />
        <fieldset>
          <legend>{t('Phạm vi', 'Scope')}</legend>
          {(['one_dossier', 'until_expiry'] as const).map((s) => (
            <label class="check" for={`scope-${s}`}>
              <input type="radio" id={`scope-${s}`} name="scope" value={s} checked={(v['scope'] ?? 'one_dossier') === s} /> {l(p.lang, SCOPE[s])}
            </label>
          ))}
        </fieldset>
        <Field id="validDays" label={t('Hiệu lực (số ngày, 1–30)', 'Valid for (days, 1–30)')} errors={p.errors} value={v['validDays'] ?? '7'} inputMode="numeric" maxLength={2} />
        <fieldset>
          <legend>{t('Cách công dân xác nhận', 'How the citizen confirms')}</legend>
          {(['sms_otp', 'in_session'] as const).map((m) => (
            <label class="check" for={`method-${m}`}>
              <input type="radio" id={`method-${m}`} name="method" value={m} checked={method === m} /> {l(p.lang, METHOD[m])}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('Xin sự đồng ý của công dân', "Ask for the citizen's consent")}</button>
      </form>
      <h2>{t('Yêu cầu gần đây', 'Recent requests')}</h2>
      {p.overview.requests.length ? (
        <ul>
          {p.overview.requests.map((r) => (
            <li>
              <a href={`/ho-tro/nop-thay/${r.id}`}>
                <code>{r.citizenIdentityNumber}</code> · {r.purpose}
              </a>{' '}
              · {l(p.lang, REQUEST[r.status])} · {when(r.createdAt)}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('Chưa có yêu cầu nào.', 'No requests yet.')}</p>
      )}
      <h2>{t('Uỷ quyền bạn đang giữ', 'Consents you hold')}</h2>
      <ConsentTable lang={p.lang} consents={p.overview.consents} who="citizen" />
    </section>
  )
}

/** One request, as the member follows it: enter the code, resend it, or wait for the citizen. */
export function AssistRequestPage(p: { lang: Lang; csrf: string; request: ConsentRequestRow & { citizenIdentityNumberMasked: string; phoneMasked: string | null }; errors: FieldErrors; message?: string | undefined; consentExpiresAt?: Date | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const r = p.request
  return (
    <section>
      <h1>{t('Yêu cầu uỷ quyền', 'Consent request')}</h1>
      <dl class="facts">
        <dt>{t('Công dân', 'Citizen')}</dt>
        <dd>
          <code>{r.citizenIdentityNumberMasked}</code>
        </dd>
        <dt>{t('Việc làm thay', 'Purpose')}</dt>
        <dd>{r.purpose}</dd>
        <dt>{t('Cách xác nhận', 'Method')}</dt>
        <dd>{l(p.lang, METHOD[r.method])}</dd>
        <dt>{t('Trạng thái', 'Status')}</dt>
        <dd id="request-status">{l(p.lang, REQUEST[r.status])}</dd>
        {r.phoneMasked ? (
          <>
            <dt>{t('Mã gửi tới', 'Code sent to')}</dt>
            <dd>
              <code>{r.phoneMasked}</code> {r.phoneSource === 'identity_provider' ? t('(số đã đăng ký với hệ thống định danh)', '(the number registered with the identity system)') : null}
            </dd>
          </>
        ) : null}
      </dl>
      <FormAlert errors={{}} lang={p.lang} message={p.message} />
      {r.status === 'approved' ? (
        <p class="notice" role="status">
          {t('Công dân đã đồng ý. Uỷ quyền được ghi nhận', 'The citizen agreed. Consent recorded')} ({t('mã', 'id')} <code>{r.consentId}</code>
          {p.consentExpiresAt ? `, ${t('hiệu lực đến', 'valid until')} ${when(p.consentExpiresAt)}` : ''}).
        </p>
      ) : null}
      {r.status === 'code_sent' ? (
        <form method="post" action={`/ho-tro/nop-thay/${r.id}/xac-nhan`} class="card" novalidate>
          <CsrfField token={p.csrf} />
          <Field id="code" label={t('Mã xác nhận công dân đọc cho bạn (6 chữ số)', 'The code the citizen reads to you (6 digits)')} errors={p.errors} inputMode="numeric" autocomplete="one-time-code" maxLength={6} />
          <button type="submit">{t('Xác nhận', 'Confirm')}</button>
        </form>
      ) : null}
      {r.status === 'code_sent' || r.status === 'send_failed' ? (
        <form method="post" action={`/ho-tro/nop-thay/${r.id}/gui-lai`}>
          <CsrfField token={p.csrf} />
          <button type="submit" class="secondary">
            {t('Gửi lại mã', 'Send the code again')}
          </button>
        </form>
      ) : null}
      {r.status === 'awaiting_citizen' ? (
        <p class="notice">
          {t('Công dân đăng nhập bằng tài khoản định danh điện tử của mình, mở trang "Uỷ quyền" (/cong-dan/uy-quyen) và bấm "Đồng ý". Tải lại trang này để xem kết quả.', 'The citizen logs in with their own electronic identity, opens "Consents" (/cong-dan/uy-quyen) and approves. Reload this page to see the result.')}
        </p>
      ) : null}
      <p>
        <a href="/ho-tro/nop-thay">{t('Về trang nộp hồ sơ thay', 'Back to submitting for a citizen')}</a>
      </p>
    </section>
  )
}

function ConsentTable(p: { lang: Lang; consents: ConsentListItem[]; who: 'member' | 'citizen'; csrf?: string }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  if (!p.consents.length) return <p class="muted">{t('Chưa có uỷ quyền nào.', 'No consents yet.')}</p>
  return (
    <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Uỷ quyền', 'Consents')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{p.who === 'member' ? t('Người được uỷ quyền', 'Member') : t('Công dân', 'Citizen')}</th>
            <th scope="col">{t('Việc, phạm vi', 'Purpose, scope')}</th>
            <th scope="col">{t('Cách, thời gian', 'Method, time')}</th>
            <th scope="col">{t('Dùng cho hồ sơ', 'Used for')}</th>
            <th scope="col">{t('Trạng thái', 'State')}</th>
          </tr>
        </thead>
        <tbody>
          {p.consents.map((c) => (
            <tr>
              <td>{p.who === 'member' ? `${c.memberName} (${c.teamName})` : <code>{c.citizenIdentityNumber}</code>}</td>
              <td>
                {c.purpose}
                <br />
                <span class="muted">{l(p.lang, SCOPE[c.scope])}</span>
              </td>
              <td>
                {l(p.lang, METHOD[c.method])}
                <br />
                <span class="muted">
                  {when(c.grantedAt)} → {when(c.expiresAt)}
                </span>
              </td>
              <td>{c.uses.length ? c.uses.map((u) => <div>{u.dossierCode ?? u.dossierId.slice(0, 8)} · {when(u.usedAt)}</div>) : '—'}</td>
              <td>
                {l(p.lang, STATE[c.state])}
                {p.who === 'citizen' && c.state === 'active' ? (
                  // The member's way to the e-form for this citizen (issue 6 §5).
                  <form method="get" action="/nop-ho-so">
                    <input type="hidden" name="uy-quyen" value={c.id} />
                    <label for={`proc-${c.id}`}>{t('Mã thủ tục cần nộp (ví dụ 1.001193)', 'Procedure code (e.g. 1.001193)')}</label>
                    <input id={`proc-${c.id}`} name="thu-tuc" required maxLength={40} inputMode="decimal" />
                    <button type="submit" class="secondary">
                      {t('Nộp hồ sơ thay', 'Submit for them')}
                    </button>
                  </form>
                ) : null}
                {p.who === 'member' && c.state === 'active' && p.csrf ? (
                  <form method="post" action={`/cong-dan/uy-quyen/${c.id}/thu-hoi`}>
                    <CsrfField token={p.csrf} />
                    <button type="submit" class="secondary" aria-label={`${t('Thu hồi uỷ quyền cho', 'Revoke the consent to')} ${c.memberName}`}>
                      {t('Thu hồi', 'Revoke')}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** "Uỷ quyền" in the citizen's account: requests to approve, consents given (who, when, how, used for what), revoke. */
export function CitizenConsentsPage(p: {
  lang: Lang
  csrf: string
  message?: string | undefined
  done?: string | undefined
  pending: { id: string; memberName: string; teamName: string; purpose: string; scope: ConsentScope; validDays: number; createdAt: Date }[]
  consents: ConsentListItem[]
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section>
      <h1>{t('Uỷ quyền nộp hồ sơ thay', 'Consents to submit for me')}</h1>
      <p>
        {t('Thành viên tổ công nghệ số cộng đồng chỉ được nộp hồ sơ thay bạn khi bạn đồng ý. Bạn có thể thu hồi sự đồng ý bất cứ lúc nào.', 'A community digital team member may submit for you only with your consent. You can withdraw it at any time.')}{' '}
        <a href="/cong-dan/tai-khoan">{t('Tài khoản của tôi', 'My account')}</a> · <a href="/cong-dan/du-lieu-cua-toi">{t('Dữ liệu của tôi', 'My data')}</a>
      </p>
      <FormAlert errors={{}} lang={p.lang} message={p.message} />
      {p.done ? (
        <p class="notice" role="status">
          {p.done === 'approved' ? t('Bạn đã đồng ý uỷ quyền.', 'You gave your consent.') : p.done === 'declined' ? t('Bạn đã từ chối yêu cầu.', 'You declined the request.') : t('Uỷ quyền đã được thu hồi.', 'The consent was revoked.')}
        </p>
      ) : null}
      <h2>{t('Yêu cầu chờ bạn xác nhận', 'Requests waiting for you')}</h2>
      {p.pending.length ? (
        p.pending.map((r) => (
          <div class="card">
            <p>
              <strong>{r.memberName}</strong> ({r.teamName}) {t('xin được', 'asks to')}: {r.purpose}. {l(p.lang, SCOPE[r.scope])}, {r.validDays} {t('ngày', 'days')}. <span class="muted">{when(r.createdAt)}</span>
            </p>
            <form method="post" action={`/cong-dan/uy-quyen/yeu-cau/${r.id}`} class="inline">
              <CsrfField token={p.csrf} />
              <button type="submit" name="decision" value="approve">
                {t('Đồng ý', 'Approve')}
              </button>{' '}
              <button type="submit" name="decision" value="decline" class="secondary">
                {t('Từ chối', 'Decline')}
              </button>
            </form>
          </div>
        ))
      ) : (
        <p class="muted">{t('Không có yêu cầu nào đang chờ.', 'Nothing is waiting.')}</p>
      )}
      <h2>{t('Các uỷ quyền bạn đã cấp', 'Consents you gave')}</h2>
      <ConsentTable lang={p.lang} consents={p.consents} who="member" csrf={p.csrf} />
    </section>
  )
}

/** Administrators: the teams per commune, and a form to create one. */
export function AdminTeamsPage(p: { lang: Lang; csrf: string; teams: TeamView[]; communes: { code: string; name: string }[]; errors: FieldErrors; values: Record<string, string>; message?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section>
      <h1>{t('Tổ công nghệ số cộng đồng', 'Community digital teams')}</h1>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Danh sách tổ', 'Teams')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Xã, phường', 'Commune')}</th>
              <th scope="col">{t('Tổ', 'Team')}</th>
              <th scope="col">{t('Thành viên', 'Members')}</th>
            </tr>
          </thead>
          <tbody>
            {p.teams.map((x) => (
              <tr>
                <td>{x.communeName}</td>
                <td>
                  <a href={`/admin/to-cong-nghe-so/${x.id}`}>{x.name}</a>
                </td>
                <td class="num">{x.activeMembers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('Thêm tổ', 'Add a team')}</h2>
      <form method="post" action="/admin/to-cong-nghe-so" class="card" novalidate>
        <CsrfField token={p.csrf} />
        <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
        <p>
          <label for="communeCode">{t('Xã, phường', 'Commune')}</label>
          <select id="communeCode" name="communeCode" aria-describedby={describedBy('communeCode', p.errors)}>
            {p.communes.map((c) => (
              <option value={c.code} selected={p.values['communeCode'] === c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <Errors id="communeCode" errors={p.errors} />
        </p>
        <Field id="name" label={t('Tên tổ', 'Team name')} errors={p.errors} value={p.values['name']} maxLength={200} />
        <button type="submit">{t('Thêm tổ', 'Add the team')}</button>
      </form>
    </section>
  )
}

/** Administrators: one team's members (identity numbers masked), add and remove. */
export function AdminTeamPage(p: { lang: Lang; csrf: string; team: TeamView; members: (MemberView & { identityNumberMasked: string })[]; errors: FieldErrors; values: Record<string, string>; message?: string | undefined; done?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section>
      <h1>{p.team.name}</h1>
      <p>
        {p.team.communeName} · <a href="/admin/to-cong-nghe-so">{t('Tất cả các tổ', 'All teams')}</a>
      </p>
      {p.done ? (
        <p class="notice" role="status">
          {p.done === 'added' ? t('Đã thêm thành viên.', 'Member added.') : t('Đã cho thành viên rời tổ.', 'Member removed.')}
        </p>
      ) : null}
      <h2>{t('Thành viên', 'Members')}</h2>
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Thành viên', 'Members')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Họ và tên', 'Name')}</th>
              <th scope="col">{t('Số định danh', 'Identity number')}</th>
              <th scope="col">{t('Từ', 'Since')}</th>
              <th scope="col">{t('Thao tác', 'Action')}</th>
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <tr>
                <td>{m.fullName}</td>
                <td>
                  <code>{m.identityNumberMasked}</code>
                </td>
                <td>
                  {when(m.addedAt)}
                  {m.removedAt ? ` → ${when(m.removedAt)}` : ''}
                </td>
                <td>
                  {m.removedAt ? (
                    t('Đã rời tổ', 'Left')
                  ) : (
                    <form method="post" action={`/admin/to-cong-nghe-so/${p.team.id}/thanh-vien/${m.id}/xoa`}>
                      <CsrfField token={p.csrf} />
                      <button type="submit" class="secondary" aria-label={`${t('Cho rời tổ', 'Remove')}: ${m.fullName}`}>
                        {t('Cho rời tổ', 'Remove')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('Thêm thành viên', 'Add a member')}</h2>
      <form method="post" action={`/admin/to-cong-nghe-so/${p.team.id}/thanh-vien`} class="card" novalidate>
        <CsrfField token={p.csrf} />
        <FormAlert errors={p.errors} lang={p.lang} message={p.message} />
        <Field id="identityNumber" label={t('Số định danh cá nhân (12 chữ số)', 'Personal identity number (12 digits)')} hint={t('Thành viên đăng nhập bằng tài khoản định danh điện tử của mình.', 'Members log in with their own electronic identity.')} errors={p.errors} value={p.values['identityNumber']} inputMode="numeric" maxLength={20} />
        <Field id="fullName" label={t('Họ và tên', 'Full name')} errors={p.errors} value={p.values['fullName']} maxLength={120} />
        <button type="submit">{t('Thêm thành viên', 'Add the member')}</button>
      </form>
    </section>
  )
}
