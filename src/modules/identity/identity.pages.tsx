import { ROLE_LABELS, STAFF_ROLES, type StaffPrincipal, type StaffRole } from '../../shared/auth.js'
import { tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import type { StaffAccountView } from './identity.service.js'

export type { FieldErrors }

export function LoginPage(p: { lang: Lang; csrf: string; next: string; username?: string; error?: string }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section class="card" style="max-width:28rem">
      <h1>{t('Cán bộ đăng nhập', 'Staff login')}</h1>
      {p.error ? (
        <div class="alert" role="alert">
          {p.error}
        </div>
      ) : null}
      <form method="post" action="/staff/login">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="next" value={p.next} />
        <label for="username">{t('Tên đăng nhập', 'Username')}</label>
        <input id="username" name="username" type="text" autocomplete="username" required maxLength={100} value={p.username ?? ''} />
        <label for="password">{t('Mật khẩu', 'Password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxLength={200} />
        <button type="submit">{t('Đăng nhập', 'Log in')}</button>
      </form>
    </section>
  )
}

export function StaffHomePage(p: { lang: Lang; principal: StaffPrincipal }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const me = p.principal
  return (
    <section>
      <h1>{t('Không gian làm việc', 'Workspace')}</h1>
      <dl class="facts">
        <dt>{t('Cán bộ', 'Officer')}</dt>
        <dd>{me.fullName}</dd>
        <dt>{t('Vai trò', 'Role')}</dt>
        <dd>{ROLE_LABELS[me.role][p.lang]}</dd>
        <dt>{t('Cơ quan', 'Agency')}</dt>
        <dd>
          {me.agencyName} <span class="muted">({me.agencyCode})</span>
        </dd>
      </dl>
      <h2>{t('Việc có thể làm', 'What you can do')}</h2>
      <ul>
        <li>
          <a href="/staff/ho-so">{t('Hồ sơ của đơn vị và của tôi', 'Dossiers of my unit and mine')}</a>
        </li>
        {me.role === 'counter_officer' ? (
          <li>
            <a href="/staff/tiep-nhan">{t('Tiếp nhận hồ sơ', 'Receive a dossier')}</a>
          </li>
        ) : null}
        <li>
          <a href="/staff/so-theo-doi">{t('Sổ theo dõi hồ sơ', 'Dossier register')}</a>
        </li>
        <li>
          <a href="/staff/password">{t('Đổi mật khẩu', 'Change password')}</a>
        </li>
        {me.role === 'admin' ? (
          <>
            <li>
              <a href="/admin/staff">{t('Quản lý tài khoản cán bộ', 'Manage staff accounts')}</a>
            </li>
            <li>
              <a href="/admin/thu-tuc">{t('Quản trị danh mục thủ tục hành chính', 'Administer the procedure catalogue')}</a>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  )
}

export function PasswordPage(p: { lang: Lang; csrf: string; errors: FieldErrors; forced: boolean; done?: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section class="card" style="max-width:32rem">
      <h1>{t('Đổi mật khẩu', 'Change password')}</h1>
      {p.forced ? <p class="notice">{t('Bạn cần đổi mật khẩu trước khi làm việc.', 'You must change your password before you continue.')}</p> : null}
      {p.done ? (
        <p class="notice" role="status">
          {t('Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đóng.', 'Password changed. Your other sessions were ended.')}
        </p>
      ) : null}
      {Object.keys(p.errors).length ? (
        <div class="alert" role="alert">
          {t('Không đổi được mật khẩu, xem lỗi bên dưới.', 'The password was not changed; see below.')}
        </div>
      ) : null}
      <form method="post" action="/staff/password">
        <CsrfField token={p.csrf} />
        <label for="currentPassword">{t('Mật khẩu hiện tại', 'Current password')}</label>
        <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required aria-describedby={describedBy('currentPassword', p.errors)} />
        <Errors id="currentPassword" errors={p.errors} />
        <label for="newPassword">{t('Mật khẩu mới (ít nhất 10 ký tự)', 'New password (at least 10 characters)')}</label>
        <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required minLength={10} aria-describedby={describedBy('newPassword', p.errors)} />
        <Errors id="newPassword" errors={p.errors} />
        <button type="submit">{t('Đổi mật khẩu', 'Change password')}</button>
      </form>
    </section>
  )
}

export interface AgencyOption {
  id: string
  name: string
  code: string
}

function RoleSelect({ lang, value, id }: { lang: Lang; value?: StaffRole | undefined; id: string }) {
  return (
    <select id={id} name="role" required>
      {STAFF_ROLES.map((r) => (
        <option value={r} selected={r === value}>
          {ROLE_LABELS[r][lang]}
        </option>
      ))}
    </select>
  )
}

function AgencySelect({ agencies, value, id }: { agencies: AgencyOption[]; value?: string | undefined; id: string }) {
  return (
    <select id={id} name="agencyId" required>
      {agencies.map((a) => (
        <option value={a.id} selected={a.id === value}>
          {a.name} ({a.code})
        </option>
      ))}
    </select>
  )
}

export function AdminStaffPage(p: {
  lang: Lang
  csrf: string
  accounts: StaffAccountView[]
  agencies: AgencyOption[]
  errors: FieldErrors
  values: Partial<Record<string, string>>
  created?: { username: string; initialPassword: string }
}) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const agencyName = new Map(p.agencies.map((a) => [a.id, a.name]))
  return (
    <section>
      <h1>{t('Tài khoản cán bộ', 'Staff accounts')}</h1>
      {p.created ? (
        <div class="notice" role="status">
          {t('Đã tạo tài khoản', 'Account created')} <strong>{p.created.username}</strong>.{' '}
          {t('Mật khẩu dùng một lần (phải đổi khi đăng nhập lần đầu):', 'One-time password (must be changed at first login):')}{' '}
          <code>{p.created.initialPassword}</code>
        </div>
      ) : null}
      <div class="table-wrap" role="region" tabIndex={0} aria-label={t('Danh sách tài khoản', 'Accounts')}>
        <table>
          <caption class="muted">{t(`${p.accounts.length} tài khoản`, `${p.accounts.length} accounts`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('Tên đăng nhập', 'Username')}</th>
              <th scope="col">{t('Họ tên', 'Name')}</th>
              <th scope="col">{t('Vai trò', 'Role')}</th>
              <th scope="col">{t('Cơ quan', 'Agency')}</th>
              <th scope="col">{t('Trạng thái', 'Status')}</th>
            </tr>
          </thead>
          <tbody>
            {p.accounts.map((a) => (
              <tr>
                <td>
                  <a href={`/admin/staff/${a.id}`}>{a.username}</a>
                </td>
                <td>{a.fullName}</td>
                <td>{ROLE_LABELS[a.role][p.lang]}</td>
                <td>{agencyName.get(a.agencyId) ?? a.agencyId}</td>
                <td>{a.disabled ? t('Ngừng', 'Disabled') : a.locked ? t('Tạm khóa', 'Locked') : t('Hoạt động', 'Active')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('Tạo tài khoản', 'Create an account')}</h2>
      {Object.keys(p.errors).length ? (
        <div class="alert" role="alert">
          {t('Chưa tạo được tài khoản, xem lỗi bên dưới.', 'The account was not created; see below.')}
        </div>
      ) : null}
      <form method="post" action="/admin/staff" class="card">
        <CsrfField token={p.csrf} />
        <label for="new-username">{t('Tên đăng nhập', 'Username')}</label>
        <input id="new-username" name="username" type="text" required maxLength={60} value={p.values['username'] ?? ''} aria-describedby={describedBy('username', p.errors)} />
        <Errors id="username" errors={p.errors} />
        <label for="new-fullName">{t('Họ và tên', 'Full name')}</label>
        <input id="new-fullName" name="fullName" type="text" required maxLength={120} value={p.values['fullName'] ?? ''} aria-describedby={describedBy('fullName', p.errors)} />
        <Errors id="fullName" errors={p.errors} />
        <label for="new-role">{t('Vai trò', 'Role')}</label>
        <RoleSelect lang={p.lang} id="new-role" value={p.values['role'] as StaffRole | undefined} />
        <label for="new-agency">{t('Cơ quan', 'Agency')}</label>
        <AgencySelect agencies={p.agencies} id="new-agency" value={p.values['agencyId']} />
        <Errors id="agencyId" errors={p.errors} />
        <button type="submit">{t('Tạo tài khoản', 'Create account')}</button>
      </form>
    </section>
  )
}

export function AdminStaffDetailPage(p: { lang: Lang; csrf: string; account: StaffAccountView; agencies: AgencyOption[]; errors: FieldErrors; moved?: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const a = p.account
  const agency = p.agencies.find((x) => x.id === a.agencyId)
  return (
    <section>
      <h1>
        {t('Tài khoản', 'Account')} {a.username}
      </h1>
      {p.moved ? (
        <p class="notice" role="status">
          {t('Đã chuyển cán bộ. Quyền ở cơ quan cũ đã bị thu hồi và các phiên đăng nhập đã đóng.', 'Officer moved. Permissions at the old agency were revoked and sessions ended.')}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t('Họ tên', 'Name')}</dt>
        <dd>{a.fullName}</dd>
        <dt>{t('Vai trò', 'Role')}</dt>
        <dd>{ROLE_LABELS[a.role][p.lang]}</dd>
        <dt>{t('Cơ quan', 'Agency')}</dt>
        <dd>{agency ? `${agency.name} (${agency.code})` : a.agencyId}</dd>
      </dl>
      <h2>{t('Chuyển công tác', 'Move to another agency')}</h2>
      {Object.keys(p.errors).length ? (
        <div class="alert" role="alert">
          {Object.values(p.errors).flat().join(' ')}
        </div>
      ) : null}
      <form method="post" action={`/admin/staff/${a.id}/move`} class="card">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="expectedVersion" value={String(a.version)} />
        <label for="move-agency">{t('Cơ quan mới', 'New agency')}</label>
        <AgencySelect agencies={p.agencies} id="move-agency" value={a.agencyId} />
        <label for="move-role">{t('Vai trò mới', 'New role')}</label>
        <RoleSelect lang={p.lang} id="move-role" value={a.role} />
        <label for="move-reason">{t('Lý do (quyết định điều động)', 'Reason (transfer decision)')}</label>
        <input id="move-reason" name="reason" type="text" required maxLength={300} />
        <button type="submit">{t('Chuyển công tác', 'Move')}</button>
      </form>
    </section>
  )
}
