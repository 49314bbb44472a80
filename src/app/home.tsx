import type { FastifyInstance } from 'fastify'
import { tr } from '../shared/i18n.js'

/** The portal home page (the catalogue search joins it when the catalogue lands). */
export function registerHome(app: FastifyInstance) {
  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const t = (vi: string, en: string) => tr(req.lang, vi, en)
    return reply.page(
      {
        title: t('Cổng dịch vụ công', 'Public service portal'),
        description: t('Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến và theo dõi hồ sơ tại tỉnh Cà Mau.', 'Find procedures, submit and track dossiers in Cà Mau province.'),
      },
      <>
        <h1>{t('Dịch vụ công tỉnh Cà Mau', 'Public services of Cà Mau province')}</h1>
        <p>
          {t(
            'Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến hoặc tại bộ phận một cửa của tỉnh và 64 xã, phường; theo dõi hồ sơ và đánh giá sự phục vụ.',
            'Find administrative procedures, submit a dossier online or at the one-stop counters of the province and its 64 communes, track it and rate the service.',
          )}
        </p>
        <div class="grid">
          <section class="card" aria-labelledby="h-find">
            <h2 id="h-find">{t('Tìm thủ tục', 'Find a procedure')}</h2>
            <form method="get" action="/thu-tuc" role="search">
              <label for="q">{t('Tên thủ tục hoặc từ khóa', 'Procedure name or keyword')}</label>
              <input id="q" name="q" type="search" maxLength={200} placeholder={t('ví dụ: đăng ký khai sinh', 'e.g. birth registration')} />
              <button type="submit">{t('Tìm kiếm', 'Search')}</button>
            </form>
          </section>
          <section class="card" aria-labelledby="h-calendar">
            <h2 id="h-calendar">{t('Lịch làm việc', 'Working calendar')}</h2>
            <p>{t('Ngày nghỉ lễ, ngày làm bù và tính ngày hẹn trả kết quả.', 'Days off, make-up working days and the due-date calculator.')}</p>
            <p>
              <a href="/lich-lam-viec">{t('Xem lịch làm việc', 'See the working calendar')}</a>
            </p>
          </section>
          <section class="card" aria-labelledby="h-units">
            <h2 id="h-units">{t('Đơn vị hành chính', 'Administrative units')}</h2>
            <p>{t('64 xã, phường của tỉnh Cà Mau từ 01/7/2025 và đơn vị cũ trước sắp xếp.', "Cà Mau's 64 communes since 1 July 2025 and the former units.")}</p>
            <p>
              <a href="/don-vi">{t('Xem danh sách đơn vị', 'See the units')}</a>
            </p>
          </section>
        </div>
      </>,
    )
  })
}
