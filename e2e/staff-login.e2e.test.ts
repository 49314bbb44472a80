import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { launchBrowser, overflowsHorizontally, phoneContext, seriousAxeViolations } from './support/browser.js'

// The real thing: `vidan serve` on a fresh embedded data folder, as `npm start` runs it.
let server: ServerProcess
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('portal and staff login in a real browser', () => {
  it('serves the portal home in Vietnamese, accessible, at 360 px, without JavaScript', async () => {
    const ctx = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await ctx.newPage()
    const res = await page.goto(server.url)
    expect(res?.status()).toBe(200)
    expect(await page.getAttribute('html', 'lang')).toBe('vi')
    await expect(page.locator('h1').textContent()).resolves.toContain('Dịch vụ công tỉnh Cà Mau')
    expect(await overflowsHorizontally(page)).toBe(false)
    await ctx.close()
    const ctxJs = await phoneContext(browser)
    const pageJs = await ctxJs.newPage()
    await pageJs.goto(server.url)
    expect(await seriousAxeViolations(pageJs)).toEqual([])
    await ctxJs.close()
  })

  it('lets a demo officer log in and out (demo credentials printed at start)', async () => {
    expect(server.output()).toContain('motcua.tinh')
    const password = /motcua\.tinh\s+(\S+)/.exec(server.output())?.[1]
    expect(password).toBeTruthy()
    const ctx = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await ctx.newPage()
    await page.goto(`${server.url}/staff`)
    expect(new URL(page.url()).pathname).toBe('/staff/login')
    await page.getByLabel('Tên đăng nhập').fill('motcua.tinh')
    await page.getByLabel('Mật khẩu').fill(password!)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${server.url}/staff`)
    await expect(page.locator('main').textContent()).resolves.toContain('Trung tâm Phục vụ hành chính công tỉnh Cà Mau')
    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    await page.waitForURL(`${server.url}/`)
    await page.goto(`${server.url}/staff`)
    expect(new URL(page.url()).pathname).toBe('/staff/login')
    await ctx.close()

    // axe runs scripts, so the accessibility checks use a JavaScript-enabled page.
    const ctxJs = await phoneContext(browser)
    const js = await ctxJs.newPage()
    await js.goto(`${server.url}/staff/login`)
    expect(await seriousAxeViolations(js)).toEqual([])
    await js.getByLabel('Tên đăng nhập').fill('motcua.tinh')
    await js.getByLabel('Mật khẩu').fill(password!)
    await js.getByRole('button', { name: 'Đăng nhập' }).click()
    await js.waitForURL(`${server.url}/staff`)
    expect(await seriousAxeViolations(js)).toEqual([])
    expect(await overflowsHorizontally(js)).toBe(false)
    await ctxJs.close()
  })

  it('shows a clear Vietnamese message for a wrong password', async () => {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/staff/login`)
    await page.getByLabel('Tên đăng nhập').fill('motcua.tinh')
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('không đúng')
    expect(await seriousAxeViolations(page)).toEqual([])
    await ctx.close()
  })

  it('switches to English and back', async () => {
    const ctx = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await ctx.newPage()
    await page.goto(server.url)
    await page.getByRole('link', { name: 'English' }).click()
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await expect(page.locator('h1').textContent()).resolves.toContain('Public services of Cà Mau province')
    await page.getByRole('link', { name: 'Tiếng Việt' }).click()
    expect(await page.getAttribute('html', 'lang')).toBe('vi')
    await ctx.close()
  })
})
