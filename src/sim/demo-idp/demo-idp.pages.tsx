import type { ComponentChildren } from 'preact'
import { renderDocument } from '../../shared/ui/layout.js'
import type { DemoCitizen } from './demo-citizens.js'

// The demo provider's own pages: a separate site in look and words, so nobody mistakes it for
// Vì Dân or for the real VNeID. Server-rendered, no JavaScript, one small stylesheet.

export const IDP_CSS = `*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#13202b;background:#f2f5f8}
header{background:#0d3b66;color:#fff;padding:.75rem 1rem}header p{margin:0}.name{font-weight:700;font-size:1.2rem}
.demo{background:#fff4d6;color:#4d3800;border-bottom:2px solid #b88600;padding:.5rem 1rem;font-size:.9rem;margin:0}
main{max-width:30rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 1rem}
.box{background:#fff;border:1px solid #c7d0d9;border-radius:6px;padding:1rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input{width:100%;font:inherit;padding:.55rem .6rem;border:1px solid #5f6b77;border-radius:4px}
button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:4px;border:1px solid #0d3b66;background:#0d3b66;color:#fff;cursor:pointer;margin:.75rem .5rem 0 0}
button.secondary{background:#fff;color:#0d3b66}a{color:#0b4f9c}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.alert{border-left:4px solid #a4161a;background:#fdf0f0;padding:.75rem 1rem;margin:0 0 1rem}
.muted{color:#46525e;font-size:.9rem}code{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
ul{padding-left:1.2rem}li{margin:.25rem 0}footer{max-width:30rem;margin:0 auto;padding:0 1rem 2rem;color:#46525e;font-size:.85rem}`

export function renderIdpPage(title: string, cssHref: string, body: ComponentChildren): string {
  return renderDocument(
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · VNeID mô phỏng`}</title>
        <link rel="stylesheet" href={cssHref} />
      </head>
      <body>
        <header>
          <p class="name">VNeID mô phỏng</p>
          <p>Hệ thống định danh và xác thực điện tử</p>
        </header>
        <p class="demo">Môi trường thử nghiệm của Vì Dân: đây không phải VNeID thật, chỉ dùng các tài khoản thử nghiệm bên dưới.</p>
        <main>{body}</main>
        <footer>
          <p>Nhà cung cấp định danh mô phỏng theo chuẩn OpenID Connect, chạy cùng Vì Dân ở chế độ demo.</p>
        </footer>
      </body>
    </html>,
  )
}

export function LoginForm(p: { action: string; clientName: string; identityNumber?: string; error?: string; accounts: readonly DemoCitizen[]; password: string }) {
  return (
    <>
      <h1>Đăng nhập tài khoản định danh điện tử</h1>
      <p>
        <strong>{p.clientName}</strong> đề nghị bạn đăng nhập để xác minh danh tính.
      </p>
      {p.error ? (
        <p class="alert" role="alert">
          {p.error}
        </p>
      ) : null}
      <form class="box" method="post" action={p.action}>
        <label for="identityNumber">Số định danh cá nhân</label>
        <input id="identityNumber" name="identityNumber" type="text" inputMode="numeric" autocomplete="username" required maxLength={20} value={p.identityNumber ?? ''} />
        <label for="password">Mật khẩu</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxLength={200} />
        <button type="submit">Đăng nhập</button>
      </form>
      <section class="box" aria-labelledby="demo-accounts">
        <h2 id="demo-accounts">Tài khoản thử nghiệm</h2>
        <p>
          Mật khẩu chung: <code>{p.password}</code>
        </p>
        <ul>
          {p.accounts.map((a) => (
            <li key={a.sub}>
              <code>{a.identityNumber}</code> · {a.name} · mức {a.level}
              {a.business ? ` · đại diện ${a.business.name}` : ''}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

const SCOPE_LABELS: Record<string, string> = {
  profile: 'Họ và tên, ngày sinh, giới tính',
  phone: 'Số điện thoại',
  address: 'Địa chỉ',
  vneid: 'Số định danh cá nhân, mức định danh điện tử, doanh nghiệp bạn đại diện (nếu có)',
}

export function ConsentForm(p: { action: string; clientName: string; who: string; scopes: string[] }) {
  const shown = p.scopes.filter((s) => SCOPE_LABELS[s])
  return (
    <>
      <h1>Chia sẻ thông tin định danh</h1>
      <p>
        Bạn đang đăng nhập là <strong>{p.who}</strong>.
      </p>
      <div class="box">
        <p>
          <strong>{p.clientName}</strong> đề nghị được nhận các thông tin sau của bạn:
        </p>
        <ul>
          {shown.map((s) => (
            <li key={s}>{SCOPE_LABELS[s]}</li>
          ))}
        </ul>
        <form method="post" action={p.action}>
          <button type="submit" name="decision" value="allow">
            Đồng ý
          </button>
          <button type="submit" name="decision" value="deny" class="secondary">
            Từ chối
          </button>
        </form>
      </div>
    </>
  )
}

export function IdpMessage(p: { heading: string; message: string }) {
  return (
    <>
      <h1>{p.heading}</h1>
      <p class="alert" role="alert">
        {p.message}
      </p>
      <p>Hãy quay lại trang dịch vụ bạn đang dùng và bắt đầu đăng nhập lại.</p>
    </>
  )
}
