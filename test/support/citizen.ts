import crypto from 'node:crypto'
import { Browser, type TestApp } from './test-app.js'

export interface CitizenFixture {
  id: string
  identityNumber: string
  fullName: string
  browser: Browser
}

let serial = 0

/**
 * A citizen with a session, as if logged in through the identity provider (the login flow itself
 * is tested in identity's citizen-login tests over real HTTP): the row and session written
 * directly, the signed session cookie set in a Browser.
 */
export async function citizenFixture(t: TestApp, opts: { identityNumber?: string; fullName?: string; level?: 1 | 2 } = {}): Promise<CitizenFixture> {
  // 096 (Cà Mau), 1 = female born 1900–1999, year 90, then six digits unique to this run.
  const identityNumber = opts.identityNumber ?? `096190${String(process.pid % 1000).padStart(3, '0')}${String(++serial).padStart(3, '0')}`
  const fullName = opts.fullName ?? `Công dân thử ${serial}`
  const now = t.clock.now()
  const id = crypto.randomUUID()
  await t.db
    .insertInto('citizens')
    .values({ id, identityNumber, fullName, birthDate: '1990-03-14', gender: 'female', phone: '+84918204512', address: 'Khóm 3, Phường An Xuyên, tỉnh Cà Mau', businessTaxCode: null, businessName: null, lastAssuranceLevel: opts.level ?? 2, lastLoginAt: now, createdAt: now, updatedAt: now })
    .execute()
  const token = `c.${crypto.randomBytes(32).toString('base64url')}`
  await t.db
    .insertInto('citizenSessions')
    .values({ id: crypto.randomUUID(), tokenHash: crypto.createHash('sha256').update(token).digest('hex'), citizenId: id, assuranceLevel: opts.level ?? 2, idpIssuer: 'test', idpSubject: `test-${id}`, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 30 * 86_400_000), revokedAt: null, revokedReason: null })
    .execute()
  const browser = new Browser(t.app)
  browser.cookies.set('vidan_sid', encodeURIComponent(t.app.signCookie(token)))
  return { id, identityNumber, fullName, browser }
}
