import argon2 from 'argon2'

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1): strong, yet a login costs tens of ms on 2 cores.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export const MIN_PASSWORD_LENGTH = 10

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password.normalize('NFC'), OPTIONS)
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password.normalize('NFC'))
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined
/** Spends the same time as a real check, so an unknown username is not revealed by timing. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('vidan-timing-equaliser')
  await verifyPassword(await dummyHash, password)
}

/** Problems with a proposed password, in Vietnamese; empty when acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const out: string[] = []
  if (password.length < MIN_PASSWORD_LENGTH) out.push(`Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`)
  if (password.length > 200) out.push('Mật khẩu quá dài (tối đa 200 ký tự).')
  if (username && password.toLowerCase().includes(username.toLowerCase())) out.push('Mật khẩu không được chứa tên đăng nhập.')
  if (/^(.)\1*$/.test(password)) out.push('Mật khẩu không được là một ký tự lặp lại.')
  return out
}
