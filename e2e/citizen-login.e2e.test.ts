import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS } from '../src/sim/demo-idp/index.js'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { expectFits, launchBrowser, phoneContext } from './support/browser.js'

// A citizen logs in through the bundled demo identity provider of `vidan serve` (no
// configuration, as after `npm start`), lands on "Tài khoản của tôi" and logs out.
let server: ServerProcess
let browser: Browser
const MAI = DEMO_CITIZENS.find((c) => c.level === 2 && !c.business)!

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const fits = expectFits

describe('citizen login in a real browser', () => {
  it('logs in through the demo provider, shows my account, logs out; every page accessible at 360 px', async () => {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(server.url)
    await page.getByRole('link', { name: 'Đăng nhập công dân' }).click()

    await page.waitForURL(/\/idp-demo\/interaction\//)
    await expect(page.locator('h1').textContent()).resolves.toContain('Đăng nhập tài khoản định danh điện tử')
    await fits(page, 'provider login page')
    await page.getByLabel('Số định danh cá nhân').fill(MAI.identityNumber)
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await expect(page.getByRole('alert').textContent()).resolves.toContain('không đúng')
    await fits(page, 'provider login page with an error')
    await page.getByLabel('Mật khẩu').fill(DEMO_CITIZEN_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()

    await expect(page.locator('h1').textContent()).resolves.toContain('Chia sẻ thông tin định danh')
    await fits(page, 'provider consent page')
    await page.getByRole('button', { name: 'Đồng ý' }).click()

    await page.waitForURL(/\/cong-dan\/tai-khoan$/)
    await expect(page.locator('h1').textContent()).resolves.toBe('Tài khoản của tôi')
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain(MAI.name)
    expect(main).toContain('096*****4512')
    expect(main).not.toContain(MAI.identityNumber)
    expect(main).toContain('Định danh điện tử mức 2')
    await fits(page, 'my account')

    await page.getByRole('button', { name: 'Đăng xuất' }).click()
    await page.waitForURL(/\/$/)
    await expect(page.getByRole('link', { name: 'Đăng nhập công dân' }).count()).resolves.toBe(1)
    const origin = new URL(page.url()).origin
    await page.goto(`${origin}/cong-dan/tai-khoan`)
    // Logged out: the account page sends the visitor back to the provider's login.
    await page.waitForURL(/\/idp-demo\/interaction\//)
    await ctx.close()
    // oidc-provider's "Unsupported runtime" line on Node 20 is kept out of the server's output.
    expect(server.output()).not.toContain('oidc-provider')
  })

  it('works without JavaScript', async () => {
    const ctx = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await ctx.newPage()
    await page.goto(`${server.url}/dang-nhap/cong-dan`)
    await page.getByLabel('Số định danh cá nhân').fill(MAI.identityNumber)
    await page.getByLabel('Mật khẩu').fill(DEMO_CITIZEN_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('button', { name: 'Đồng ý' }).click()
    await page.waitForURL(/\/cong-dan\/tai-khoan$/)
    await expect(page.locator('main').textContent()).resolves.toContain(MAI.name)
    await ctx.close()
  })
})
