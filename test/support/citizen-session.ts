import { expect } from 'vitest'
import { DEMO_CITIZEN_PASSWORD } from '../../src/sim/demo-idp/index.js'
import { HttpBrowser, type HttpPage } from './http-browser.js'

// Citizen login in integration tests: the real authorization-code flow with PKCE against the
// bundled demo identity provider, over HTTP (the app must listen on `base`).

const isCallback = (u: URL) => u.pathname === '/dang-nhap/cong-dan/callback'

/** The absolute action of the form whose action ends in `ending` on `page`. */
export const formAction = (page: HttpPage, ending: string): string => {
  const m = new RegExp(`action="([^"]*${ending})"`).exec(page.body)
  if (!m?.[1]) throw new Error(`no form ending in ${ending} on ${page.url} (${page.status}): ${page.body.slice(0, 500)}`)
  return new URL(m[1].replace(/&amp;/g, '&'), page.url).href
}

/** Starts a login and goes through the demo provider's pages (the password is always asked); stops at the redirect back to Vì Dân. */
export async function throughProvider(b: HttpBrowser, base: string, identityNumber: string, decision: 'allow' | 'deny' = 'allow'): Promise<HttpPage> {
  const login = await b.follow(`${base}/dang-nhap/cong-dan`)
  expect(login.status).toBe(200)
  expect(login.body).toContain('Đăng nhập tài khoản định danh điện tử')
  const consent = await b.follow(await b.request(formAction(login, '/login'), { form: { identityNumber, password: DEMO_CITIZEN_PASSWORD } }), isCallback)
  // Consent given earlier in the same provider session is remembered there.
  if (consent.status === 303 && isCallback(new URL(consent.location!))) return consent
  expect(consent.status).toBe(200)
  expect(consent.body).toContain('Chia sẻ thông tin định danh')
  const back = await b.follow(await b.request(formAction(consent, '/consent'), { form: { decision } }), isCallback)
  expect(back.status).toBe(303)
  expect(new URL(back.location!).pathname).toBe('/dang-nhap/cong-dan/callback')
  return back
}

/** A browser logged in as a demo citizen, and the page it landed on. */
export async function citizenLoginAs(base: string, identityNumber: string): Promise<{ b: HttpBrowser; landed: HttpPage }> {
  const b = new HttpBrowser()
  const back = await throughProvider(b, base, identityNumber)
  const landed = await b.follow(back)
  return { b, landed }
}
