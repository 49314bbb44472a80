import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmsSimulator, type SmsSimulator } from '../../sim/sms/index.js'
import { httpSmsSender, normalizeVnMobile, toSmsText } from './index.js'

describe('Vietnamese mobile numbers', () => {
  it.each([
    ['0918 204 512', '84918204512'],
    ['+84918204512', '84918204512'],
    ['84-387-006-418', '84387006418'],
    ['(091) 820.4512', '84918204512'],
    ['0701234567', '84701234567'],
  ])('%s → %s', (raw, want) => expect(normalizeVnMobile(raw)).toBe(want))
  it.each(['', '0123456789', '02923812345', '091820451', '09182045123', '+1 415 555 0100', '09l8204512', '8491820451'])('refuses %j', (raw) => expect(normalizeVnMobile(raw)).toBeUndefined())
  it('folds Vietnamese text to plain ASCII', () => expect(toSmsText('Mã đồng ý: 123456. Đừng chia sẻ – cảm ơn')).toBe('Ma dong y: 123456. Dung chia se  cam on'))
})

describe('the brandname gateway adapter against the simulator', () => {
  let sim: SmsSimulator
  beforeAll(async () => {
    sim = await startSmsSimulator({ apiKey: 'right-key-123', brandnames: ['VIDAN'] })
  })
  afterAll(async () => sim?.close())
  const sender = (over: Partial<{ apiKey: string; brandname: string; timeoutMs: number }> = {}) => httpSmsSender({ baseUrl: sim.url, apiKey: 'right-key-123', brandname: 'VIDAN', timeoutMs: 2000, ...over })

  it('sends, answers the message id, is idempotent by request id, reports delivery', async () => {
    const a = await sender().send('0918204512', 'Mã của bạn: 654321', { requestId: 'r-1', type: 'otp' })
    const b = await sender().send('+84918204512', 'Mã của bạn: 654321', { requestId: 'r-1', type: 'otp' })
    expect(b.messageId).toBe(a.messageId)
    expect(sim.inbox('0918204512')).toHaveLength(1)
    expect(sim.inbox('0918204512')[0]).toMatchObject({ phone: '84918204512', text: 'Ma cua ban: 654321', brandname: 'VIDAN', type: 'otp' })
    expect(sim.lastCode('0918204512')).toBe('654321')
    expect(await sender().status(a.messageId)).toEqual({ messageId: a.messageId, status: 'delivered' })
    const page = await (await fetch(`${sim.url}/sim?phone=0918204512`)).text()
    expect(page).toContain('Ma cua ban: 654321')
  })

  it('turns refusals into coded errors: bad key and unknown brandname (configuration), invalid number, 5xx and no answer (unavailable)', async () => {
    await expect(sender({ apiKey: 'wrong-key-123' }).send('0918204512', 'x')).rejects.toMatchObject({ code: 'SMS.GATEWAY_REFUSED', details: { providerCode: '01' } })
    await expect(sender({ brandname: 'OTHER' }).send('0918204512', 'x')).rejects.toMatchObject({ code: 'SMS.GATEWAY_REFUSED', details: { providerCode: '02' } })
    await expect(sender().send('0123', 'x')).rejects.toMatchObject({ code: 'SMS.INVALID_NUMBER', kind: 'invalid' })
    await expect(sender().send('0918204512', 'x'.repeat(400))).rejects.toMatchObject({ code: 'SMS.INVALID_TEXT' })
    sim.faults.mode = 'error'
    await expect(sender().send('0918204512', 'x')).rejects.toMatchObject({ code: 'SMS.GATEWAY_UNAVAILABLE', kind: 'unavailable' })
    sim.faults.mode = 'timeout'
    sim.faults.holdMs = 1500
    await expect(sender({ timeoutMs: 300 }).send('0918204512', 'x')).rejects.toMatchObject({ code: 'SMS.GATEWAY_UNAVAILABLE' })
    sim.faults.mode = 'none'
    await expect(httpSmsSender({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k', brandname: 'VIDAN', timeoutMs: 500 }).send('0918204512', 'x')).rejects.toMatchObject({ code: 'SMS.GATEWAY_UNAVAILABLE' })
  })

  it('never puts the number or the text in an error', async () => {
    sim.faults.mode = 'error'
    const e = await sender()
      .send('0918204512', 'Ma 111222')
      .catch((x: unknown) => x)
    sim.faults.mode = 'none'
    expect(JSON.stringify({ m: (e as Error).message, d: (e as { details: unknown }).details })).not.toMatch(/918204512|111222/)
  })
})
