import { describe, expect, it } from 'vitest'
import { parseIdentityNumber } from './identity-number.js'

const today = new Date('2026-11-26T00:00:00Z')

describe('identity number (DOMAIN A10, B §3.4)', () => {
  it('reads province, gender, century and birth year', () => {
    expect(parseIdentityNumber('096085001234', { today })).toEqual({ ok: true, info: { provinceCode: '096', provinceName: expect.any(String), gender: 'male', birthYear: 1985 } })
    expect(parseIdentityNumber('095301001234', { today })).toMatchObject({ ok: true, info: { gender: 'female', birthYear: 2001 } })
  })

  it.each([
    ['12345678901', 'đúng 12 chữ số'],
    ['0960850012a4', 'đúng 12 chữ số'],
    ['099085001234', 'Mã tỉnh'],
    ['096399001234', 'tương lai'],
  ])('rejects %s by structure', (n, msg) => {
    const r = parseIdentityNumber(n, { today })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.problem).toContain(msg)
  })

  it('never applies a checksum: any six final digits pass', () => {
    for (const tail of ['000000', '999999', '123457']) expect(parseIdentityNumber(`001090${tail}`, { today }).ok).toBe(true)
  })
})
