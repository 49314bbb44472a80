import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPaymentSimulator, type PaymentSimulator } from '../src/sim/payment/index.js'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { launchBrowser, overflowsHorizontally, phoneContext, seriousAxeViolations } from './support/browser.js'

// Issue 6 §4 in a real browser: a fee paid online through the payment platform simulator (its
// own HTTP server), without JavaScript on the payer's side, every page checked with axe at 360 px.
const PARTNER = 'VIDAN-E2E'
const SECRET = 'e2e-secret-for-the-payment-simulator'
let server: ServerProcess
let sim: PaymentSimulator
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  sim = await startPaymentSimulator({ partners: [{ code: PARTNER, secret: SECRET, callbackUrl: 'http://127.0.0.1:9/', returnUrl: 'http://127.0.0.1:9/' }] })
  server = await startServer({ env: { VIDAN_CLOCK_START: '2026-11-26T02:00:00Z', VIDAN_PAYMENT_GATEWAY_URL: sim.url, VIDAN_PAYMENT_PARTNER_CODE: PARTNER, VIDAN_PAYMENT_SECRET: SECRET } })
  sim.setPartner({ code: PARTNER, secret: SECRET, callbackUrl: `${server.url}/api/v1/payments/callback/national`, returnUrl: `${server.url}/thanh-toan/ket-qua` })
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
  await sim?.close()
})

async function loginAs(username: string): Promise<Page> {
  const password = new RegExp(`${username.replace('.', '\\.')}\\s+(\\S+)`).exec(server.output())?.[1] ?? ''
  const ctx = await phoneContext(browser)
  contexts.push(ctx)
  const page = await ctx.newPage()
  await page.goto(`${server.url}/staff/login`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL(`${server.url}/staff`)
  return page
}

/** axe and the 360-px width on a page, in a context with JavaScript (axe needs it). */
async function checkUrl(url: string, from?: Page) {
  const page = from ?? (await (await phoneContext(browser)).newPage())
  if (!from) contexts.push(page.context())
  await page.goto(url)
  expect(await seriousAxeViolations(page), url).toEqual([])
  expect(await overflowsHorizontally(page), url).toBe(false)
}

async function api(page: Page, url: string, data: unknown) {
  const token = ((await (await page.request.get(`${server.url}/api/v1/csrf-token`)).json()) as { token: string }).token
  const r = await page.request.post(`${server.url}${url}`, { data, headers: { 'x-csrf-token': token } })
  expect(r.status(), await r.text()).toBeLessThan(300)
  return (await r.json()) as { id: string; code: string; version: number }
}

describe('a fee paid online through the payment platform, in a real browser', () => {
  it('is paid without JavaScript, the receipt downloads, the dossier resumes, and the day reconciles', async () => {
    const counter = await loginAs('motcua.anxuyen')
    const leader = await loginAs('lanhdao.anxuyen')
    const officer = await loginAs('chuyenvien.anxuyen')
    const d = await api(counter, '/api/v1/dossiers/intake', {
      procedureCode: '2.001019',
      communeCode: '32002',
      applicant: { fullName: 'Nguyễn Thị Hoa', idNumber: '096190001234', phone: '0912345678' },
      decision: 'accept',
      limit: { amount: 3, unit: 'working_days' },
    })
    const assigned = await api(leader, `/api/v1/dossiers/${d.id}/actions`, { action: 'assign', expectedVersion: d.version })
    await api(officer, `/api/v1/dossiers/${d.id}/actions`, { action: 'request_payment', expectedVersion: assigned.version, reason: 'Nộp lệ phí chứng thực' })
    await checkUrl(`${server.url}/staff/thanh-toan/ho-so/${d.id}`, counter)
    await expect(counter.locator('main').textContent()).resolves.toContain('50.000 đồng')

    // The payer, on a phone without JavaScript.
    const payerCtx = await phoneContext(browser, { javaScriptEnabled: false })
    contexts.push(payerCtx)
    const payer = await payerCtx.newPage()
    await payer.goto(`${server.url}/thanh-toan`)
    await payer.getByLabel('Mã hồ sơ (trên giấy tiếp nhận)').fill(d.code)
    await payer.getByLabel('4 số cuối điện thoại hoặc số định danh của người nộp').fill('5678')
    await payer.getByRole('button', { name: 'Xem khoản phải nộp' }).click()
    await checkUrl(payer.url())
    await payer.getByRole('button', { name: /^Thanh toán 50\.000 đồng/ }).click()
    await payer.waitForURL(/\/thanh-toan\/chuyen\//)
    await checkUrl(payer.url())
    await payer.getByRole('link', { name: 'Tiếp tục đến trang thanh toán' }).click()
    await payer.waitForURL(`${sim.url}/**`)
    await checkUrl(payer.url())
    await payer.getByRole('button', { name: 'Thanh toán thành công' }).click()
    await payer.waitForURL(/\/thanh-toan\/ket-qua\?MaThamChieu=/)
    await expect(payer.getByRole('status').textContent()).resolves.toContain('Thanh toán thành công')
    await checkUrl(payer.url())

    const href = await payer.getByRole('link', { name: 'Tải biên lai điện tử (PDF)' }).getAttribute('href')
    const pdf = await payerCtx.request.get(`${server.url}${href}`)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-pdf-')), 'receipt.pdf')
    fs.writeFileSync(file, await pdf.body())
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain(d.code)
    expect(text).toContain('Năm mươi nghìn đồng')

    // The back office sees it paid and the dossier back in processing.
    await counter.goto(`${server.url}/staff/thanh-toan/ho-so/${d.id}`)
    await expect(counter.locator('main').textContent()).resolves.toContain('Đã nộp')
    await checkUrl(`${server.url}/staff/thanh-toan?trang-thai=paid`, counter)
    await counter.goto(`${server.url}/staff/ho-so/${d.id}`)
    await expect(counter.locator('dl.facts').textContent()).resolves.toContain('Đang xử lý')

    // The administrator reconciles the day with the platform's statement.
    const admin = await loginAs('quantri')
    await checkUrl(`${server.url}/admin/thanh-toan/doi-soat`, admin)
    await admin.getByLabel('Ngày giao dịch').fill('2026-11-26')
    await admin.getByRole('button', { name: 'Đối soát' }).click()
    await expect(admin.locator('#report').locator('..').textContent()).resolves.toContain('Khớp hoàn toàn')
    expect(await seriousAxeViolations(admin)).toEqual([])
  }, 240_000)
})
