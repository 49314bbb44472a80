import { describe, expect, it } from 'vitest'
import { renderMessage, TEMPLATES, type MessageContext } from './notify.templates.js'
import { SMS_MAX_LENGTH } from './sms.protocol.js'

const ctx: MessageContext = {
  code: '000.00.32.H12-261126-0007',
  procedureName: 'Đăng ký khai sinh',
  applicantName: 'Nguyễn Thị Mai',
  agencyName: 'UBND phường An Xuyên',
  appointmentAt: new Date('2026-12-01T10:00:00Z'),
  missing: ['Giấy chứng sinh'],
  reason: 'Thiếu giấy chứng sinh',
  decision: 'approved',
  trackingUrl: 'https://dichvucong.camau.gov.vn/tra-cuu?ma=000.00.32.H12-261126-0007',
}

describe('message templates (issue 7 §3)', () => {
  it.each(TEMPLATES)('%s names the dossier code in every channel and links to tracking', (key) => {
    const m = renderMessage(key, ctx)
    for (const text of [m.subject, m.text, m.sms]) expect(text).toContain(ctx.code)
    expect(m.text).toContain(ctx.trackingUrl)
    expect(m.text.startsWith('Kính gửi Nguyễn Thị Mai,')).toBe(true)
  })

  it('SMS are unaccented and within the gateway limit (brandname gateways)', () => {
    for (const key of TEMPLATES) {
      const sms = renderMessage(key, ctx).sms
      expect(sms).toMatch(/^[\x20-\x7e]+$/)
      expect(sms.length).toBeLessThanOrEqual(SMS_MAX_LENGTH)
    }
  })

  it('gives the appointment in Vietnam time (received, apology) and lists what is missing (supplement)', () => {
    expect(renderMessage('received', ctx).text).toContain('Ngày hẹn trả kết quả: 17:00 01/12/2026')
    expect(renderMessage('apology', ctx).text).toContain('Ngày hẹn trả kết quả mới: 17:00 01/12/2026')
    expect(renderMessage('supplement', { ...ctx, missing: ['A', 'B'] }).text).toContain('- A\n- B')
    expect(renderMessage('received', { ...ctx, appointmentAt: null }).text).not.toContain('Ngày hẹn')
  })

  it('says a rejection comes with its reasons', () => {
    expect(renderMessage('result_ready', { ...ctx, decision: 'rejected' }).text).toContain('không chấp thuận')
    expect(renderMessage('result_ready', ctx).text).not.toContain('không chấp thuận')
  })

})
