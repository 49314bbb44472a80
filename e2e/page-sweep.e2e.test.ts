import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS } from '../src/sim/demo-idp/index.js'
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

/** A phone-sized page logged in as a demo account (its password is printed by the demo server). */
async function staffPage(username: string) {
  const password = new RegExp(`${username.replace('.', '\\.')}\\s+(\\S+)`).exec(server.output())?.[1] ?? ''
  const ctx = await phoneContext(browser)
  const page = await ctx.newPage()
  await page.goto(`${server.url}/staff/login`)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL(`${server.url}/staff`)
  return { ctx, page }
}

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
    const { ctx, page } = await staffPage('motcua.tinh')
    for (const p of ['/staff/tiep-nhan', '/staff/tiep-nhan?procedure=1.001193', '/staff/ho-so?box=intake']) await check(page, p)
    await ctx.close()
  })

  it('administrator pages pass axe and fit 360 px', async () => {
    const { ctx, page } = await staffPage('quantri')
    for (const p of ['/staff', '/staff/password', '/admin/lich-lam-viec', '/staff/ho-so', '/staff/so-theo-doi', '/admin/webhooks', '/admin/outbox', '/admin/staff']) await check(page, p)
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

  // Community digital teams (issue 6 §5): the administrator's list and a team's members.
  it('community digital team administration passes axe and fits 360 px', async () => {
    const { ctx, page } = await staffPage('quantri')
    await check(page, '/admin/to-cong-nghe-so')
    const team = await page.locator('table a').first().getAttribute('href')
    expect(team).toMatch(/^\/admin\/to-cong-nghe-so\//)
    await check(page, team!)
    await ctx.close()
  })

  // A citizen's pages (issue 6 §5–6), as the demo team member Trần Văn Hùng.
  it('citizen consent, assisted-submission and my-data pages pass axe and fit 360 px', async () => {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/dang-nhap/cong-dan`)
    await page.getByLabel('Số định danh cá nhân').fill('096085001237')
    await page.getByLabel('Mật khẩu').fill('VNeID-demo-2026')
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('button', { name: 'Đồng ý' }).click()
    await page.waitForURL(/\/cong-dan\/tai-khoan$/)
    for (const p of ['/cong-dan/tai-khoan', '/cong-dan/uy-quyen', '/cong-dan/du-lieu-cua-toi', '/ho-tro/nop-thay', '/cong-dan/thong-bao']) await check(page, p)
    await ctx.close()
  })

  // Catalogue administration (issue 4 §5): list, change log, edit form, history; many pages, a longer budget.
  it('catalogue administration pages pass axe and fit 360 px', async () => {
    const { ctx, page } = await staffPage('quantri')
    for (const p of ['/admin/thu-tuc', '/admin/thu-tuc?q=khai+sinh', '/admin/thu-tuc?trang-thai=all', '/admin/thu-tuc/nhat-ky', '/admin/thu-tuc/1.000894', '/admin/thu-tuc/1.000894/lich-su', '/admin/thu-tuc/1.013236/quy-trinh']) await check(page, p)
    // The form re-rendered with its errors next to the fields.
    await page.goto(`${server.url}/admin/thu-tuc/1.000894`)
    await page.locator('#f-cases-0-documents-0-name').fill('')
    await page.getByRole('button', { name: 'Lưu thành phiên bản mới' }).click()
    await expect(page.locator('#f-changeNote-error').textContent()).resolves.toContain('nội dung thay đổi')
    await expect(page.locator('#f-cases-0-documents-0-name-error').textContent()).resolves.toContain('tên giấy tờ')
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(await overflowsHorizontally(page)).toBe(false)
    // A real save from the browser: version 2, then its history with a diff.
    await page.goto(`${server.url}/admin/thu-tuc/1.000894`)
    await page.locator('#f-cases-0-documents-0-copies').fill('2')
    await page.locator('#f-changeNote').fill('Thử trong trình duyệt: thêm bản sao')
    await page.getByRole('button', { name: 'Lưu thành phiên bản mới' }).click()
    await page.waitForURL(/da-luu=2$/)
    await check(page, '/admin/thu-tuc/1.000894/lich-su')
    await expect(page.locator('#h-diff').textContent()).resolves.toContain('phiên bản 1 đến phiên bản 2')
    // Unpublished: the public page says so, and passes too.
    await page.goto(`${server.url}/admin/thu-tuc/2.000815`)
    await page.locator('#f-reason').fill('Thử ngừng công bố trong trình duyệt')
    await page.getByRole('button', { name: 'Ngừng công bố' }).click()
    await page.waitForURL(/cong-bo=ngung$/)
    expect(await seriousAxeViolations(page)).toEqual([])
    await check(page, '/thu-tuc/2.000815')
    await expect(page.locator('main').textContent()).resolves.toContain('không còn áp dụng')
    await check(page, '/thu-tuc/2.000815?phien-ban=1')
    await ctx.close()
  }, 300_000)

  // Online services (issue 6 §2–3): the e-forms, "my dossiers", the wallet, a form with its errors.
  it('citizen pages pass axe and fit 360 px', async () => {
    const mai = DEMO_CITIZENS.find((c) => c.identityNumber === '096190004512')!
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/cong-dan/ho-so`)
    await page.getByLabel('Số định danh cá nhân').fill(mai.identityNumber)
    await page.getByLabel('Mật khẩu').fill(DEMO_CITIZEN_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('button', { name: 'Đồng ý' }).click()
    await page.waitForURL(/\/cong-dan\/ho-so$/)
    // The login moved the browser to the public URL's host (localhost): the session lives there.
    const origin = new URL(page.url()).origin
    for (const p of ['/cong-dan/ho-so', '/cong-dan/kho-giay-to', '/nop-ho-so/1.001193', '/nop-ho-so/1.000894', '/nop-ho-so/1.001612', '/cong-dan/tai-khoan']) {
      const res = await page.goto(`${origin}${p}`)
      expect(res?.status(), p).toBe(200)
      expect(new URL(page.url()).pathname, p).toBe(p)
      expect(await seriousAxeViolations(page), p).toEqual([])
      expect(await overflowsHorizontally(page), p).toBe(false)
    }
    await page.goto(`${origin}/nop-ho-so/1.000894`)
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
    await expect(page.locator('.field-error').first().textContent()).resolves.toContain('Cần')
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(await overflowsHorizontally(page)).toBe(false)
    // A draft, then the list that offers it back.
    await page.getByRole('button', { name: 'Lưu nháp' }).click()
    await page.waitForURL(/da-luu=1$/)
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.goto(`${origin}/cong-dan/ho-so`)
    await expect(page.locator('main').textContent()).resolves.toContain('Tiếp tục nộp')
    expect(await seriousAxeViolations(page)).toEqual([])
    await ctx.close()
  }, 120_000)
})
