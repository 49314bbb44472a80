import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS } from '../src/sim/demo-idp/index.js'
import { startSmsSimulator, type SmsSimulator } from '../src/sim/sms/index.js'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { expectFits, launchBrowser, phoneContext } from './support/browser.js'

// Issue 6 §5 in a real browser: the demo team member (Trần Văn Hùng, seeded in demo mode) asks
// Nguyễn Thị Mai's consent; the code reaches "her phone" (the SMS simulator's inbox page), the
// member types it, the consent is recorded; Mai sees it in her account. Every page: axe, 360 px.
const MAI = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0001')!
const HUNG = DEMO_CITIZENS.find((c) => c.sub === 'vneid-demo-0002')!
const KEY = 'e2e-sms-key-123'
let server: ServerProcess
let sim: SmsSimulator
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  sim = await startSmsSimulator({ apiKey: KEY, brandnames: ['VIDAN'] })
  server = await startServer({ env: { VIDAN_SMS_GATEWAY_URL: sim.url, VIDAN_SMS_API_KEY: KEY, VIDAN_SMS_BRANDNAME: 'VIDAN' } })
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
  await sim?.close()
})

const fits = expectFits

async function citizenLogin(identityNumber: string, next: string): Promise<Page> {
  const ctx = await phoneContext(browser)
  contexts.push(ctx)
  const page = await ctx.newPage()
  await page.goto(`${server.url}/dang-nhap/cong-dan?next=${encodeURIComponent(next)}`)
  await page.getByLabel('Số định danh cá nhân').fill(identityNumber)
  await page.getByLabel('Mật khẩu').fill(DEMO_CITIZEN_PASSWORD)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('button', { name: 'Đồng ý' }).click()
  await page.waitForURL((u) => u.pathname === next)
  return page
}

describe('assisted submission: consent by SMS code, in a real browser', () => {
  it('the member asks, reads the code from the citizen, the consent is recorded and the citizen sees it', async () => {
    const member = await citizenLogin(HUNG.identityNumber, '/ho-tro/nop-thay')
    await expect(member.locator('h1').textContent()).resolves.toBe('Nộp hồ sơ thay công dân')
    await fits(member, 'assist start page')

    // A form with errors first: each message next to its field.
    await member.getByLabel('Số định danh cá nhân của công dân (12 chữ số)').fill('12345')
    await member.getByRole('button', { name: 'Xin sự đồng ý của công dân' }).click()
    await expect(member.locator('#identityNumber-error').textContent()).resolves.toContain('12 chữ số')
    await expect(member.locator('#phone-error').textContent()).resolves.toContain('số điện thoại')
    await fits(member, 'assist start page with errors')

    await member.getByLabel('Số định danh cá nhân của công dân (12 chữ số)').fill(MAI.identityNumber)
    await member.getByLabel('Số điện thoại di động của công dân').fill(`0${MAI.phone.slice(3)}`)
    await member.getByLabel('Việc sẽ làm thay').fill('Nộp hồ sơ đăng ký khai sinh')
    await member.getByRole('button', { name: 'Xin sự đồng ý của công dân' }).click()
    await member.waitForURL(/\/ho-tro\/nop-thay\/[0-9a-f-]{36}$/)
    await expect(member.locator('#request-status').textContent()).resolves.toContain('Đã gửi mã')
    await fits(member, 'request page')

    // Mai's phone: the simulator's inbox page.
    const phone = await member.context().newPage()
    await phone.goto(`${sim.url}/sim?phone=0${MAI.phone.slice(3)}`)
    const sms = (await phone.locator('.sms-text').first().textContent()) ?? ''
    expect(sms).toContain('Tran Van Hung')
    const code = /\b(\d{6})\b/.exec(sms)?.[1]
    expect(code).toMatch(/^\d{6}$/)
    await phone.close()

    await member.getByLabel('Mã xác nhận công dân đọc cho bạn (6 chữ số)').fill(code!)
    await member.getByRole('button', { name: 'Xác nhận' }).click()
    await expect(member.getByRole('status').textContent()).resolves.toContain('Công dân đã đồng ý')
    await fits(member, 'request page, consent recorded')

    const mai = await citizenLogin(MAI.identityNumber, '/cong-dan/uy-quyen')
    const main = (await mai.locator('main').textContent()) ?? ''
    expect(main).toContain(HUNG.name)
    expect(main).toContain('Mã xác nhận qua tin nhắn SMS')
    expect(main).toContain('Đang hiệu lực')
    await fits(mai, 'citizen consents page')
    await mai.goto(`${server.url}/cong-dan/du-lieu-cua-toi`)
    await fits(mai, 'my data page')
    // Revoked by the citizen.
    await mai.goto(`${server.url}/cong-dan/uy-quyen`)
    await mai.getByRole('button', { name: `Thu hồi uỷ quyền cho ${HUNG.name}` }).click()
    await mai.waitForURL(/done=revoked$/)
    await expect(mai.locator('main').textContent()).resolves.toContain('Đã thu hồi')
    await fits(mai, 'citizen consents page after revoking')
  }, 180_000)
})
