import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toSmsText } from '../notify/index.js'
import { generateOtp, hashOtp, otpMatches, otpMessage } from './otp.js'

describe('consent codes', () => {
  it('are 6 digits, zero-padded', () => {
    for (let i = 0; i < 200; i++) expect(generateOtp()).toMatch(/^\d{6}$/)
  })
  it('match only the same code, request and secret (HMAC, constant-time compare)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 999_999 }), (a, b) => {
        const ca = String(a).padStart(6, '0')
        const cb = String(b).padStart(6, '0')
        const h = hashOtp('secret', 'req-1', ca)
        expect(otpMatches('secret', 'req-1', cb, h)).toBe(a === b)
        expect(otpMatches('other', 'req-1', ca, h)).toBe(false)
        expect(otpMatches('secret', 'req-2', ca, h)).toBe(false)
      }),
      { numRuns: 200 },
    )
  })
  it('the message names the member and purpose, carries the code and fits two SMS segments', () => {
    const m = toSmsText(otpMessage('042137', 'Nguyễn Thị Phương Thảo Hoàng Long Dài Tên', 'Nộp hồ sơ đăng ký khai sinh cho con của bà Mai ở khóm 3 phường An Xuyên'))
    expect(m).toContain('042137')
    expect(m).toContain('Nguyen Thi Phuong')
    expect(m.length).toBeLessThanOrEqual(306)
  })
})
