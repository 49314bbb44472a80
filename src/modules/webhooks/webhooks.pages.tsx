import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, FormAlert, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import type { SubscriptionSummary } from './webhooks.service.js'

export interface SubscriptionForm {
  name: string
  url: string
  agencyId: string
  procedureCode: string
  topics: string[]
}

const when = (d: Date | null) => (d ? formatVnDateTime(d) : '—')

/** Administration of webhook subscriptions: the list, and a form to add one. */
export function WebhooksPage(p: { lang: Lang; csrf: string; subs: SubscriptionSummary[]; topics: readonly string[]; form: SubscriptionForm; errors: FieldErrors; message?: string | undefined; created?: { id: string; secret: string } | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const e = p.errors
  return (
    <section>
      <h1>{t('Đăng ký nhận sự kiện (webhook)', 'Webhook subscriptions')}</h1>
      <p>
        {t('Hệ thống của cơ quan, tổ chức nhận sự kiện hồ sơ qua HTTPS, có chữ ký HMAC-SHA256. Cách kiểm tra chữ ký: ', 'Integrators receive dossier events over HTTPS, signed with HMAC-SHA256. How to verify: ')}
        <code>docs/WEBHOOKS.md</code>.
      </p>
      {p.created ? (
        <div class="notice" role="status">
          <p>{t('Đã tạo đăng ký. Khóa ký chỉ hiển thị lần này; hãy lưu lại ngay:', 'Subscription created. The signing secret is shown this once; store it now:')}</p>
          <p>
            <code class="secret">{p.created.secret}</code>
          </p>
        </div>
      ) : null}
      {p.subs.length ? (
        <div class="table-wrap">
          <table>
            <caption>{t('Các đăng ký', 'Subscriptions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Tên', 'Name')}</th>
                <th scope="col">{t('Phạm vi', 'Scope')}</th>
                <th scope="col">{t('Chờ gửi / thất bại', 'Pending / dead')}</th>
                <th scope="col">{t('Trạng thái', 'State')}</th>
              </tr>
            </thead>
            <tbody>
              {p.subs.map((s) => (
                <tr>
                  <td>
                    <a href={`/admin/webhooks/${s.id}`}>{s.name}</a>
                  </td>
                  <td>
                    {s.agencyId ?? t('mọi cơ quan', 'every agency')}; {s.procedureCode ?? t('mọi thủ tục', 'every procedure')}; {s.topics.length} {t('loại sự kiện', 'event types')}
                  </td>
                  <td>
                    {s.pending ?? 0} / {s.dead ?? 0}
                  </td>
                  <td>{s.active ? t('Đang hoạt động', 'Active') : `${t('Đã dừng', 'Stopped')} ${when(s.deactivatedAt)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('Chưa có đăng ký nào.', 'No subscriptions yet.')}</p>
      )}

      <h2>{t('Thêm đăng ký', 'Add a subscription')}</h2>
      <FormAlert errors={e} lang={p.lang} message={p.message} />
      <form method="post" action="/admin/webhooks">
        <CsrfField token={p.csrf} />
        <label for="name">{t('Tên hệ thống nhận', 'Receiving system')}</label>
        <input id="name" name="name" required maxLength={200} value={p.form.name} aria-invalid={e['name'] ? 'true' : undefined} aria-describedby={describedBy('name', e)} />
        <Errors id="name" errors={e} />
        <label for="url">{t('Địa chỉ nhận (https)', 'Endpoint URL (https)')}</label>
        <input id="url" name="url" type="url" required maxLength={2000} value={p.form.url} aria-invalid={e['url'] ? 'true' : undefined} aria-describedby={describedBy('url', e)} />
        <Errors id="url" errors={e} />
        <label for="agencyId">{t('Chỉ hồ sơ của cơ quan (mã, để trống: mọi cơ quan)', 'Only dossiers of agency (id; empty: all)')}</label>
        <input id="agencyId" name="agencyId" maxLength={100} value={p.form.agencyId} aria-invalid={e['agencyId'] ? 'true' : undefined} aria-describedby={describedBy('agencyId', e)} />
        <Errors id="agencyId" errors={e} />
        <label for="procedureCode">{t('Chỉ thủ tục (mã, để trống: mọi thủ tục)', 'Only procedure (code; empty: all)')}</label>
        <input id="procedureCode" name="procedureCode" maxLength={40} value={p.form.procedureCode} aria-invalid={e['procedureCode'] ? 'true' : undefined} aria-describedby={describedBy('procedureCode', e)} />
        <Errors id="procedureCode" errors={e} />
        <fieldset aria-describedby={describedBy('topics', e)}>
          <legend>{t('Loại sự kiện', 'Event types')}</legend>
          {p.topics.map((topic) => (
            <div class="check">
              <input type="checkbox" id={`topic-${topic}`} name="topics" value={topic} checked={p.form.topics.includes(topic)} />
              <label for={`topic-${topic}`} class="inline-label">
                <code>{topic}</code>
              </label>
            </div>
          ))}
          <Errors id="topics" errors={e} />
        </fieldset>
        <button type="submit">{t('Tạo đăng ký', 'Create')}</button>
      </form>
    </section>
  )
}

export interface DeliveryRow {
  id: string
  eventId: number
  topic: string
  status: string
  attempts: number
  nextAttemptAt: Date | null
  lastStatusCode: number | null
  lastError: string | null
  createdAt: Date
  deliveredAt: Date | null
}

/** One subscription: its settings, stop button, and the delivery log with replay of dead deliveries. */
export function WebhookPage(p: { lang: Lang; csrf: string; sub: { id: string; name: string; url: string; active: boolean; version: number; topics: string[] }; deliveries: DeliveryRow[]; message?: string | undefined }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const s = p.sub
  return (
    <section>
      <p>
        <a href="/admin/webhooks">{t('← Các đăng ký', '← Subscriptions')}</a>
      </p>
      <h1>{s.name}</h1>
      {p.message ? (
        <p class="alert" role="alert">
          {p.message}
        </p>
      ) : null}
      <dl class="facts">
        <dt>{t('Địa chỉ nhận', 'Endpoint')}</dt>
        <dd>
          <code>{s.url}</code>
        </dd>
        <dt>{t('Loại sự kiện', 'Event types')}</dt>
        <dd>{s.topics.join(', ')}</dd>
        <dt>{t('Trạng thái', 'State')}</dt>
        <dd>{s.active ? t('Đang hoạt động', 'Active') : t('Đã dừng', 'Stopped')}</dd>
      </dl>
      {s.active ? (
        <form method="post" action={`/admin/webhooks/${s.id}/dung`}>
          <CsrfField token={p.csrf} />
          <input type="hidden" name="expectedVersion" value={String(s.version)} />
          <button type="submit" class="secondary">
            {t('Dừng đăng ký', 'Stop this subscription')}
          </button>
        </form>
      ) : null}
      <h2>{t('Nhật ký gửi', 'Delivery log')}</h2>
      {p.deliveries.length ? (
        <div class="table-wrap">
          <table>
            <caption>{t('100 lần gửi gần nhất', 'Latest 100 deliveries')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('Sự kiện', 'Event')}</th>
                <th scope="col">{t('Kết quả', 'Outcome')}</th>
                <th scope="col">{t('Số lần thử', 'Attempts')}</th>
                <th scope="col">{t('Thời điểm', 'Time')}</th>
              </tr>
            </thead>
            <tbody>
              {p.deliveries.map((d) => (
                <tr>
                  <td>
                    <code>evt_{d.eventId}</code> {d.topic}
                  </td>
                  <td>
                    {d.status === 'delivered' ? t('Đã nhận', 'Delivered') : d.status === 'dead' ? t('Thất bại', 'Dead') : t('Chờ gửi lại', 'Pending')}
                    {d.lastError ? ` (${d.lastError})` : d.lastStatusCode ? ` (HTTP ${d.lastStatusCode})` : ''}
                    {d.status === 'dead' ? (
                      <form method="post" action={`/admin/webhooks/${s.id}/gui-lai/${d.id}`}>
                        <CsrfField token={p.csrf} />
                        <button type="submit" class="secondary">
                          {t('Gửi lại', 'Replay')}
                        </button>
                      </form>
                    ) : null}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{when(d.deliveredAt ?? d.nextAttemptAt ?? d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('Chưa gửi sự kiện nào.', 'Nothing sent yet.')}</p>
      )}
    </section>
  )
}
