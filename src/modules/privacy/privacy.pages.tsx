import { tr, type Lang } from '../../shared/i18n.js'
import type { PersonalDataExport } from './privacy.service.js'

/** "Dữ liệu của tôi": what is held, in counts, and the download. */
export function MyDataPage(p: { lang: Lang; data: PersonalDataExport }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const d = p.data
  const rows: [string, string, number][] = [
    ['Lần đăng nhập (phiên)', 'Logins (sessions)', d.identity.sessions.length],
    ['Uỷ quyền bạn đã cấp', 'Consents you gave', d.outreach.consentsGiven.length],
    ['Yêu cầu uỷ quyền gửi tới bạn', 'Consent requests about you', d.outreach.consentRequestsAboutMe.length],
    ['Hồ sơ bạn là người nộp hoặc chủ hồ sơ', 'Dossiers you applied for or own', d.dossiers.length],
    ['Khoản phí, lệ phí của các hồ sơ đó', 'Fees of those dossiers', d.payments.length],
    ['Giấy tờ, tệp của bạn', 'Your documents and files', d.documents.length],
  ]
  return (
    <section>
      <h1>{t('Dữ liệu của tôi', 'My data')}</h1>
      <p>
        {t(
          'Bạn có quyền biết và nhận bản sao mọi dữ liệu cá nhân Vì Dân đang lưu về mình. Tệp tải về (JSON) gồm thông tin định danh như đã lưu (số định danh đầy đủ), các lần đăng nhập, uỷ quyền, hồ sơ, thanh toán và danh sách giấy tờ của bạn. Hãy giữ tệp này cẩn thận.',
          'You may know and get a copy of all personal data Vì Dân holds about you. The download (JSON) holds your identity data as stored (full identity number), logins, consents, dossiers, payments and the list of your documents. Keep it safe.',
        )}
      </p>
      <dl class="facts">
        {rows.map(([vi, en, n]) => (
          <>
            <dt>{t(vi, en)}</dt>
            <dd>{n}</dd>
          </>
        ))}
      </dl>
      <p>
        <a class="button" href="/api/v1/citizen/me/export" download="du-lieu-cua-toi.json">
          {t('Tải về toàn bộ dữ liệu (JSON)', 'Download all my data (JSON)')}
        </a>
      </p>
      <p>
        <a href="/cong-dan/tai-khoan">{t('Tài khoản của tôi', 'My account')}</a> · <a href="/cong-dan/uy-quyen">{t('Uỷ quyền nộp hồ sơ thay', 'Consents to submit for me')}</a>
      </p>
    </section>
  )
}
