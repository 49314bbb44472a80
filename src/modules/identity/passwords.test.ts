import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblems, verifyPassword } from './passwords.js'

describe('passwords', () => {
  it('hashes with argon2id and verifies, NFC-insensitively', async () => {
    const h = await hashPassword('Mật khẩu dài 2026')
    expect(h.startsWith('$argon2id$')).toBe(true)
    expect(await verifyPassword(h, 'Mật khẩu dài 2026'.normalize('NFD'))).toBe(true)
    expect(await verifyPassword(h, 'Mat khau dai 2026')).toBe(false)
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false)
  })

  it.each([
    ['short', 'user', 1],
    ['aaaaaaaaaaaa', 'user', 1],
    ['my-user-name-pass', 'user-name', 1],
    ['Mat-khau-du-dai', 'user', 0],
  ])('judges %s for %s', (pw, user, problems) => {
    expect(passwordProblems(pw, user)).toHaveLength(problems)
  })
})
