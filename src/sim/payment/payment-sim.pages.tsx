import type { ComponentChildren } from 'preact'
import { render } from 'preact-render-to-string'
import type { ReceiptInfo } from '../../modules/payments/index.js'
import type { SimFaults } from './payment-sim.faults.js'

export interface SimPageTxn {
  reference: string
  amountVnd: number
  info: string
  receipt: ReceiptInfo
  state: string
  token: string
}

export type SimPageInput =
  | { kind: 'pay'; txn: SimPageTxn; error?: string }
  | { kind: 'abandoned'; txn: SimPageTxn; returnUrl: string }
  | { kind: 'done'; txn: SimPageTxn; returnUrl: string }
  | { kind: 'not_found' }
  | { kind: 'admin'; faults: SimFaults; txns: SimPageTxn[] }

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f4f6f8}main{max-width:34rem;margin:0 auto;padding:1rem}
.banner{background:#7a1b1b;color:#fff;padding:.5rem 1rem;font-weight:600}h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}.amount{font-size:1.6rem;font-weight:700}button{font:inherit;display:block;width:100%;margin:.5rem 0;padding:.75rem;border:2px solid #0b4f8a;border-radius:.4rem;background:#0b4f8a;color:#fff;cursor:pointer}
button.alt{background:#fff;color:#0b4f8a}button:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}.alert{border-left:4px solid #b91c1c;background:#fff;padding:.5rem 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25rem;text-align:left;font-size:.9rem}a{color:#0b4f8a}`

const STATE_LABEL: Record<string, string> = { '1': 'Thành công', '3': 'Đang chờ xử lý', '4': 'Không thành công' }
const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đồng`

function Doc({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Nền tảng thanh toán (mô phỏng)`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <div class="banner" role="note">
          Môi trường mô phỏng Nền tảng thanh toán quốc gia — không có giao dịch tiền thật.
        </div>
        <main>{children}</main>
      </body>
    </html>
  )
}

function Details({ t }: { t: SimPageTxn }) {
  return (
    <dl>
      <dt>Số tiền</dt>
      <dd class="amount">{vnd(t.amountVnd)}</dd>
      <dt>Nội dung</dt>
      <dd>{t.receipt.NoiDungThanhToan || t.info}</dd>
      <dt>Đơn vị thụ hưởng</dt>
      <dd>{t.receipt.TenDonVi}</dd>
      <dt>Thủ tục</dt>
      <dd>{t.receipt.TenTTHC}</dd>
      <dt>Mã hồ sơ</dt>
      <dd>{t.receipt.MaHoSo}</dd>
      <dt>Mã tham chiếu</dt>
      <dd>{t.reference}</dd>
    </dl>
  )
}

/** The simulator's pages: the payer's choice (no JavaScript needed), its aftermath, and a control page. */
export function simPage(p: SimPageInput): string {
  let body
  switch (p.kind) {
    case 'pay':
      body = (
        <Doc title="Thanh toán">
          <h1>Xác nhận thanh toán phí, lệ phí</h1>
          <Details t={p.txn} />
          {p.error ? (
            <p class="alert" role="alert">
              {p.error}
            </p>
          ) : null}
          <form method="post" action={`/thanh-toan/${p.txn.token}`}>
            <fieldset>
              <legend>Chọn kết quả giao dịch mô phỏng</legend>
              <button type="submit" name="choice" value="success">
                Thanh toán thành công
              </button>
              <button type="submit" name="choice" value="failure" class="alt">
                Ngân hàng từ chối giao dịch
              </button>
              <button type="submit" name="choice" value="timeout" class="alt">
                Rời trang, để giao dịch quá thời gian chờ
              </button>
            </fieldset>
          </form>
        </Doc>
      )
      break
    case 'abandoned':
      body = (
        <Doc title="Giao dịch chưa hoàn tất">
          <h1>Giao dịch chưa hoàn tất</h1>
          <p>Bạn đã rời trang thanh toán. Giao dịch đang chờ xử lý và sẽ quá thời gian chờ nếu ngân hàng không xác nhận.</p>
          <Details t={p.txn} />
          <p>
            <a href={p.returnUrl}>Quay lại Cổng dịch vụ công</a>
          </p>
        </Doc>
      )
      break
    case 'done':
      body = (
        <Doc title="Giao dịch đã kết thúc">
          <h1>Giao dịch đã kết thúc</h1>
          <p>Trạng thái: {STATE_LABEL[p.txn.state] ?? p.txn.state}.</p>
          <p>
            <a href={p.returnUrl}>Quay lại Cổng dịch vụ công</a>
          </p>
        </Doc>
      )
      break
    case 'not_found':
      body = (
        <Doc title="Không tìm thấy giao dịch">
          <h1>Không tìm thấy giao dịch</h1>
          <p>Đường dẫn thanh toán không đúng hoặc đã hết hạn.</p>
        </Doc>
      )
      break
    case 'admin':
      body = (
        <Doc title="Điều khiển mô phỏng">
          <h1>Điều khiển mô phỏng</h1>
          <form method="post" action="/sim/faults">
            <fieldset>
              <legend>Lỗi mô phỏng</legend>
              <p>
                <label for="duplicate">Số lần gửi lặp thông báo</label> <input id="duplicate" name="duplicate" type="number" min={0} max={5} value={String(p.faults.duplicate)} />
              </p>
              <p>
                <label for="delayMs">Trễ thông báo (ms)</label> <input id="delayMs" name="delayMs" type="number" min={0} value={String(p.faults.delayMs)} />
              </p>
              {(
                [
                  ['outOfOrder', 'Gửi thông báo sai thứ tự'],
                  ['hold', 'Giữ thông báo (gửi muộn)'],
                  ['drop', 'Không gửi thông báo'],
                ] as const
              ).map(([k, label]) => (
                <p>
                  <input type="hidden" name={k} value="false" />
                  <input id={k} name={k} type="checkbox" value="true" checked={p.faults[k]} /> <label for={k}>{label}</label>
                </p>
              ))}
              <button type="submit">Lưu</button>
            </fieldset>
          </form>
          <table>
            <caption>Giao dịch</caption>
            <thead>
              <tr>
                <th scope="col">Mã tham chiếu</th>
                <th scope="col">Số tiền</th>
                <th scope="col">Trạng thái</th>
              </tr>
            </thead>
            <tbody>
              {p.txns.map((t) => (
                <tr>
                  <td>{t.reference}</td>
                  <td>{vnd(t.amountVnd)}</td>
                  <td>{STATE_LABEL[t.state] ?? t.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Doc>
      )
      break
  }
  return `<!doctype html>${render(body)}`
}
