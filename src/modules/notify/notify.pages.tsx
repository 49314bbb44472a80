import { formatVnDateTime, tr, type Lang } from '../../shared/i18n.js'
import { describedBy, Errors, FormAlert, type FieldErrors } from '../../shared/ui/fields.js'
import { CsrfField } from '../../shared/ui/layout.js'
import type { InAppMessage, Preferences } from './notify.service.js'

/** "Thông báo của tôi": the in-app messages about the citizen's dossiers, and which other channels they want. */
export function MessagesPage(p: { lang: Lang; csrf: string; messages: InAppMessage[]; prefs: Omit<Preferences, 'email'> & { email: string | null }; errors: FieldErrors; message?: string | undefined; saved: boolean }) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  const e = p.errors
  return (
    <section>
      <h1>{t('Thông báo của tôi', 'My messages')}</h1>
      {p.messages.length ? (
        <ol class="messages">
          {p.messages.map((m) => (
            <li class={m.readAt ? 'read' : 'unread'}>
              <h2 class="h3">
                {m.subject}
                {m.readAt ? null : <span class="badge"> {t('Mới', 'New')}</span>}
              </h2>
              <p class="muted">
                <time datetime={m.createdAt.toISOString()}>{formatVnDateTime(m.createdAt)}</time>
                {m.dossierCode ? (
                  <>
                    {' · '}
                    {t('Hồ sơ', 'Dossier')} <code>{m.dossierCode}</code>
                  </>
                ) : null}
              </p>
              <p class="pre-line">{m.body}</p>
              {m.readAt ? null : (
                <form method="post" action={`/cong-dan/thong-bao/${m.id}/da-doc`}>
                  <CsrfField token={p.csrf} />
                  <button type="submit" class="secondary">
                    {t('Đánh dấu đã đọc', 'Mark as read')}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p>{t('Chưa có thông báo nào về hồ sơ của bạn.', 'No messages about your dossiers yet.')}</p>
      )}

      <h2>{t('Nhận thông báo qua', 'Also send messages by')}</h2>
      {p.saved ? (
        <p class="notice" role="status">
          {t('Đã lưu cài đặt.', 'Settings saved.')}
        </p>
      ) : null}
      <FormAlert errors={e} lang={p.lang} message={p.message} />
      <form method="post" action="/cong-dan/thong-bao/cai-dat">
        <CsrfField token={p.csrf} />
        <input type="hidden" name="version" value={String(p.prefs.version)} />
        <fieldset>
          <legend>{t('Kênh nhận thông báo (thông báo trên trang này luôn được gửi)', 'Channels (messages on this page are always kept)')}</legend>
          <div class="check">
            <input type="checkbox" id="smsEnabled" name="smsEnabled" checked={p.prefs.smsEnabled} />
            <label for="smsEnabled" class="inline-label">
              {t('Tin nhắn SMS đến số điện thoại định danh', 'SMS to the phone of your identity account')}
            </label>
          </div>
          <div class="check">
            <input type="checkbox" id="emailEnabled" name="emailEnabled" checked={p.prefs.emailEnabled} />
            <label for="emailEnabled" class="inline-label">
              {t('Thư điện tử', 'E-mail')}
            </label>
          </div>
          <label for="email">{t('Địa chỉ thư điện tử (để trống: dùng địa chỉ ghi trên hồ sơ)', 'E-mail address (empty: the one on the dossier)')}</label>
          <input id="email" name="email" type="email" maxLength={254} autocomplete="email" value={p.prefs.email ?? ''} aria-invalid={e['email'] ? 'true' : undefined} aria-describedby={describedBy('email', e)} />
          <Errors id="email" errors={e} />
          <button type="submit">{t('Lưu cài đặt', 'Save')}</button>
        </fieldset>
      </form>
    </section>
  )
}
