import type { ComponentChildren, VNode } from 'preact'
import { render } from 'preact-render-to-string'
import { ROLE_LABELS, type Principal } from '../auth.js'
import { tr, type Lang } from '../i18n.js'

export interface LayoutProps {
  title: string
  description?: string
  lang: Lang
  path: string
  principal: Principal | undefined
  csrfToken: string
  children: ComponentChildren
}

/** The hidden CSRF field every form post carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />
}

function langSwitch(lang: Lang, path: string) {
  const to: Lang = lang === 'vi' ? 'en' : 'vi'
  return (
    <a class="lang" href={`/lang?to=${to}&back=${encodeURIComponent(path)}`} lang={to} hreflang={to}>
      {to === 'en' ? 'English' : 'Tiếng Việt'}
    </a>
  )
}

/** The site frame: skip link, header with navigation and language switch, main, footer. */
export function Layout(p: LayoutProps) {
  const t = (vi: string, en: string) => tr(p.lang, vi, en)
  return (
    <html lang={p.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${p.title} · Vì Dân`}</title>
        {p.description ? <meta name="description" content={p.description} /> : null}
        <link rel="stylesheet" href="/assets/site.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('Bỏ qua, đến nội dung chính', 'Skip to main content')}
        </a>
        <header class="site">
          <div class="wrap bar">
            <a class="brand" href="/">
              <span class="brand-name">Vì Dân</span>
              <span class="brand-sub">{t('Cổng dịch vụ công tỉnh Cà Mau', 'Cà Mau public service portal')}</span>
            </a>
            <nav aria-label={t('Điều hướng chính', 'Main navigation')}>
              <ul>
                <li>
                  <a href="/" aria-current={p.path === '/' ? 'page' : undefined}>
                    {t('Trang chủ', 'Home')}
                  </a>
                </li>
                <li>
                  <a href="/tra-cuu" aria-current={p.path === '/tra-cuu' ? 'page' : undefined}>
                    {t('Tra cứu hồ sơ', 'Track a dossier')}
                  </a>
                </li>
                {p.principal?.kind === 'staff' ? (
                  <li>
                    <a href="/staff" aria-current={p.path === '/staff' ? 'page' : undefined}>
                      {t('Làm việc', 'Workspace')}
                    </a>
                  </li>
                ) : p.principal?.kind === 'citizen' ? (
                  <li>
                    <a href="/cong-dan/tai-khoan" aria-current={p.path === '/cong-dan/tai-khoan' ? 'page' : undefined}>
                      {t('Tài khoản của tôi', 'My account')}
                    </a>
                  </li>
                ) : (
                  <>
                    <li>
                      <a href="/dang-nhap/cong-dan">{t('Đăng nhập công dân', 'Citizen login')}</a>
                    </li>
                    <li>
                      <a href="/staff/login" aria-current={p.path === '/staff/login' ? 'page' : undefined}>
                        {t('Cán bộ đăng nhập', 'Staff login')}
                      </a>
                    </li>
                  </>
                )}
                <li>{langSwitch(p.lang, p.path)}</li>
              </ul>
            </nav>
          </div>
          {p.principal ? (
            <div class="wrap who">
              <span>
                {p.principal.kind === 'staff'
                  ? `${p.principal.fullName} · ${ROLE_LABELS[p.principal.role][p.lang]} · ${p.principal.agencyName}`
                  : `${p.principal.fullName} · ${t('Công dân', 'Citizen')} · ${t('định danh mức', 'identity level')} ${p.principal.assuranceLevel}`}
              </span>
              <form method="post" action={p.principal.kind === 'staff' ? '/staff/logout' : '/cong-dan/dang-xuat'} class="inline">
                <CsrfField token={p.csrfToken} />
                <button type="submit" class="link">
                  {t('Đăng xuất', 'Log out')}
                </button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {p.children}
        </main>
        <footer class="site">
          <div class="wrap">
            <p>
              {t(
                'Vì Dân — hệ thống thông tin giải quyết thủ tục hành chính tỉnh Cà Mau.',
                'Vì Dân — the administrative procedure system of Cà Mau province.',
              )}{' '}
              <a href="/api/docs">{t('API mở', 'Open API')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  )
}

/** Renders a full HTML document; preact escapes every string child and attribute. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any element renders
export function renderDocument(vnode: VNode<any>): string {
  return `<!doctype html>${render(vnode)}`
}
