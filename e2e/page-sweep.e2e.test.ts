import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { launchBrowser, overflowsHorizontally, phoneContext, seriousAxeViolations } from './support/browser.js'

// Every page a person can reach, checked with axe and for horizontal scrolling at 360 px.
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

async function check(page: Page, path: string) {
  const res = await page.goto(`${server.url}${path}`)
  expect(res?.status(), path).toBeLessThan(500)
  expect(await seriousAxeViolations(page), path).toEqual([])
  expect(await overflowsHorizontally(page), path).toBe(false)
}

const PUBLIC_PAGES = [
  '/',
  '/staff/login',
  '/api/docs',
  '/trang-khong-ton-tai',
  '/don-vi',
  '/don-vi?q=an+xuyen',
  '/don-vi/32002',
  '/don-vi/32014',
  '/lich-lam-viec',
  '/lich-lam-viec?year=2027',
  '/thu-tuc',
  '/thu-tuc?q=khai+sinh',
  '/thu-tuc/1.001193',
  '/co-quan/so-tu-phap',
  '/tra-cuu',
  '/tra-cuu?ma=000.00.00.H12-261126-0001&so=1234',
  '/thu-xin-loi',
]

describe('page sweep', () => {
  it('public pages pass axe and fit 360 px', async () => {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    for (const p of PUBLIC_PAGES) await check(page, p)
    await ctx.close()
  })

  it('counter pages pass axe and fit 360 px', async () => {
    const password = /motcua\.tinh\s+(\S+)/.exec(server.output())?.[1] ?? ''
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/staff/login`)
    await page.getByLabel('Tên đăng nhập').fill('motcua.tinh')
    await page.getByLabel('Mật khẩu').fill(password)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${server.url}/staff`)
    for (const p of ['/staff/tiep-nhan', '/staff/tiep-nhan?procedure=1.001193', '/staff/ho-so?box=intake']) await check(page, p)
    await ctx.close()
  })

  it('administrator pages pass axe and fit 360 px', async () => {
    const password = /quantri\s+(\S+)/.exec(server.output())?.[1] ?? ''
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/staff/login`)
    await page.getByLabel('Tên đăng nhập').fill('quantri')
    await page.getByLabel('Mật khẩu').fill(password)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.waitForURL(`${server.url}/staff`)
    for (const p of ['/staff', '/staff/password', '/admin/lich-lam-viec', '/staff/ho-so', '/staff/so-theo-doi', '/admin/staff']) await check(page, p)
    const firstAccount = await page.locator('table a').first().getAttribute('href')
    expect(firstAccount).toMatch(/^\/admin\/staff\//)
    await check(page, firstAccount!)
    // A form re-rendered with errors is checked too.
    await page.goto(`${server.url}/admin/staff`)
    await page.locator('#new-username').fill('x')
    await page.locator('#new-fullName').fill('Nguyễn Văn Thử')
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click()
    await expect(page.locator('.field-error').first().textContent()).resolves.toContain('Tên đăng nhập')
    expect(await seriousAxeViolations(page)).toEqual([])
    await ctx.close()
  })
})
