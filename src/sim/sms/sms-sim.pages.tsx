import { h } from 'preact'
import { render } from 'preact-render-to-string'
import type { SmsSimFaults, SmsSimMessage } from './sms-sim.types.js'

const CSS = 'body{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}code{font-size:1.1em}label{display:block;margin-top:.5rem}input,select,button{font-size:1rem;padding:.3rem;max-width:100%}.wrap{overflow-x:auto}'

const time = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC'

/** The simulator's one page: the inbox (optionally one phone's) and the fault switches. */
export function smsSimPage(p: { messages: SmsSimMessage[]; phone: string; faults: SmsSimFaults }): string {
  const body = h('main', null, [
    h('h1', null, 'Tổng đài SMS mô phỏng'),
    h('p', null, 'Hộp thư của các điện thoại (chỉ có trong môi trường thử nghiệm). Mỗi tin nhắn được tổng đài chấp nhận hiện ở đây.'),
    h('form', { method: 'get', action: '/sim' }, [
      h('label', { for: 'phone' }, 'Số điện thoại'),
      h('input', { id: 'phone', name: 'phone', type: 'tel', value: p.phone, autocomplete: 'off' }),
      ' ',
      h('button', { type: 'submit' }, 'Xem hộp thư'),
    ]),
    h('h2', null, `Tin nhắn (${p.messages.length})`),
    p.messages.length
      ? h('div', { class: 'wrap', role: 'region', tabIndex: 0, 'aria-label': 'Tin nhắn' }, [
          h('table', null, [
            h('thead', null, h('tr', null, [h('th', { scope: 'col' }, 'Thời gian'), h('th', { scope: 'col' }, 'Số điện thoại'), h('th', { scope: 'col' }, 'Brandname'), h('th', { scope: 'col' }, 'Nội dung')])),
            h(
              'tbody',
              null,
              p.messages.map((m) => h('tr', { 'data-message-id': m.id }, [h('td', null, time(m.at)), h('td', null, m.phone), h('td', null, m.brandname), h('td', null, h('code', { class: 'sms-text' }, m.text))])),
            ),
          ]),
        ])
      : h('p', null, 'Chưa có tin nhắn nào.'),
    h('h2', null, 'Sự cố giả lập'),
    h('form', { method: 'post', action: '/sim/faults' }, [
      h('label', { for: 'mode' }, 'Chế độ'),
      h('select', { id: 'mode', name: 'mode' }, [
        h('option', { value: 'none', selected: p.faults.mode === 'none' }, 'Bình thường'),
        h('option', { value: 'error', selected: p.faults.mode === 'error' }, 'Lỗi hệ thống (HTTP 500)'),
        h('option', { value: 'timeout', selected: p.faults.mode === 'timeout' }, 'Không phản hồi (quá thời gian chờ)'),
      ]),
      ' ',
      h('button', { type: 'submit' }, 'Áp dụng'),
    ]),
    h('form', { method: 'post', action: '/sim/clear' }, [h('button', { type: 'submit' }, 'Xoá hộp thư')]),
  ])
  return '<!doctype html>' + render(h('html', { lang: 'vi' }, [h('head', null, [h('meta', { charSet: 'utf-8' }), h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }), h('title', null, 'Tổng đài SMS mô phỏng'), h('style', null, CSS)]), h('body', null, body)]))
}
