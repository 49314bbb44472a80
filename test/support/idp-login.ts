import { citizenLoginAs } from './citizen-session.js'
import type { HttpBrowser } from './http-browser.js'

// A citizen logged in through the bundled demo identity provider over real HTTP (the app must
// listen on `base`), and JSON calls with that browser's session and a CSRF token.

/** Logs a demo citizen in (provider login + consent pages) and returns their browser. */
export async function loginDemoCitizen(base: string, identityNumber: string): Promise<HttpBrowser> {
  const { b, landed } = await citizenLoginAs(base, identityNumber)
  if (!landed.url.endsWith('/cong-dan/tai-khoan')) throw new Error(`citizen login did not land on the account page: ${landed.url} ${landed.status}`)
  return b
}

/** A JSON call with the browser's cookies (and a CSRF token for unsafe methods). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers by shape, as with LightMyRequest's json()
export async function jsonCall(b: HttpBrowser, base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {}
  if (method !== 'GET') {
    const t = await b.request(`${base}/api/v1/csrf-token`)
    headers['x-csrf-token'] = (JSON.parse(t.body) as { token: string }).token
  }
  const url = `${base}${path}`
  headers['cookie'] = [...b.cookiesFor(url)].map(([k, v]) => `${k}=${v}`).join('; ')
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  const text = await res.text()
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined }
}

/** The CSRF field of a page, for a form post with `b.request(url, { form })`. */
export async function csrfOf(b: HttpBrowser, url: string): Promise<string> {
  const page = await b.request(url)
  const m = /name="_csrf" value="([^"]+)"/.exec(page.body)
  if (!m?.[1]) throw new Error(`no CSRF field on ${url} (${page.status})`)
  return m[1]
}
