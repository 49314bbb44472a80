import type { AssuranceLevel } from '../../shared/auth.js'
import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { maskIdentityNumber, maskPhone } from './citizen-claims.js'
import type { CitizenView } from './citizen.service.js'

export function levelLabel(lang: Lang, level: AssuranceLevel): string {
  return level === 2 ? tr(lang, 'Định danh điện tử mức 2', 'Electronic identity level 2') : tr(lang, 'Định danh điện tử mức 1', 'Electronic identity level 1')
}

/** "Tài khoản của tôi": who is logged in (identity number masked) and at which level. */
export function CitizenAccountPage(p: { lang: Lang; citizen: CitizenView; sessionLevel: AssuranceLevel }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const c = p.citizen
  return (
    <section>
      <h1>{t('Tài khoản của tôi', 'My account')}</h1>
      <dl class="facts">
        <dt>{t('Họ và tên', 'Full name')}</dt>
        <dd>{c.fullName}</dd>
        <dt>{t('Số định danh cá nhân', 'Personal identity number')}</dt>
        <dd>
          <code>{maskIdentityNumber(c.identityNumber)}</code>
        </dd>
        {c.phone ? (
          <>
            <dt>{t('Số điện thoại', 'Phone')}</dt>
            <dd>
              <code>{maskPhone(c.phone)}</code>
            </dd>
          </>
        ) : null}
        {c.businessName ? (
          <>
            <dt>{t('Đại diện doanh nghiệp', 'Representative of')}</dt>
            <dd>
              {c.businessName} {c.businessTaxCode ? <span class="muted">({t('MST', 'tax code')} {c.businessTaxCode})</span> : null}
            </dd>
          </>
        ) : null}
        <dt>{t('Mức định danh của lần đăng nhập này', 'Level of this login')}</dt>
        <dd>{levelLabel(p.lang, p.sessionLevel)}</dd>
        <dt>{t('Đăng nhập lúc', 'Logged in at')}</dt>
        <dd>{formatVnDateTime(c.lastLoginAt)}</dd>
      </dl>
      {p.sessionLevel === 2 ? (
        <p class="notice">{t('Tài khoản đã được xác thực mức 2: bạn dùng được mọi dịch vụ công trực tuyến.', 'Your account is verified at level 2: every online public service is open to you.')}</p>
      ) : (
        <p class="alert">
          {t(
            'Tài khoản mới ở mức 1: một số dịch vụ công trực tuyến cần tài khoản mức 2. Bạn có thể đề nghị nâng mức tại công an cấp xã hoặc cơ quan quản lý căn cước.',
            'Your account is at level 1: some online services need level 2. You can ask for level 2 at the commune police or an identification office.',
          )}
        </p>
      )}
      <ul>
        <li>
          <a href="/cong-dan/uy-quyen">{t('Uỷ quyền nộp hồ sơ thay', 'Consents to submit for me')}</a>
        </li>
        <li>
          <a href="/cong-dan/du-lieu-cua-toi">{t('Dữ liệu của tôi (tải về)', 'My data (download)')}</a>
        </li>
        <li>
          <a href="/ho-tro/nop-thay">{t('Nộp hồ sơ thay (thành viên tổ công nghệ số cộng đồng)', 'Submit for a citizen (community digital team members)')}</a>
        </li>
      </ul>
      <p class="muted">
        {t(
          'Thông tin trên do hệ thống định danh điện tử cung cấp và được cập nhật mỗi lần bạn đăng nhập.',
          'This information comes from the electronic identity system and is refreshed at each login.',
        )}
      </p>
    </section>
  )
}

/** A login that could not be completed: what happened, in plain words, and a way to try again. */
export function CitizenLoginFailedPage(p: { lang: Lang; message: string; retry: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <section class="card">
      <h1>{t('Chưa đăng nhập được', 'Login not completed')}</h1>
      <p class="alert" role="alert">
        {p.message}
      </p>
      <ul>
        {p.retry ? (
          <li>
            <a href="/dang-nhap/cong-dan">{t('Đăng nhập lại bằng tài khoản định danh điện tử', 'Log in again with your electronic identity')}</a>
          </li>
        ) : null}
        <li>
          <a href="/">{t('Về trang chủ', 'Back to the home page')}</a>
        </li>
      </ul>
    </section>
  )
}
