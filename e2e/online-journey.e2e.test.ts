import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CITIZEN_PASSWORD, DEMO_CITIZENS } from '../src/sim/demo-idp/index.js'
import { startPaymentSimulator, type PaymentSimulator } from '../src/sim/payment/index.js'
import { makePdf } from '../test/support/files.js'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { expectFits, launchBrowser, phoneContext } from './support/browser.js'

// Issue 6 acceptance, in a real browser at 360 px: a citizen logs in through the bundled identity
// provider, finds "đăng ký khai sinh", fills the prefilled e-form, uploads a PDF, reuses a document
// from the wallet, submits, sees the dossier in "my dossiers" and the back office sees it too;
// then pays a fee through the payment simulator and gets the receipt. Birth registration is free
// online in the catalogue ("Trực tuyến: Miễn phí"), so the fee is that of a household business
// registration (150.000 đồng online), submitted by the same citizen. Every page checked with axe.
const PARTNER = 'VIDAN-E2E-ONLINE'
const SECRET = 'e2e-secret-for-online-services'
const MAI = DEMO_CITIZENS.find((c) => c.identityNumber === '096190004512')!
let server: ServerProcess
let sim: PaymentSimulator
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  sim = await startPaymentSimulator({ partners: [{ code: PARTNER, secret: SECRET, callbackUrl: 'http://127.0.0.1:9/', returnUrl: 'http://127.0.0.1:9/' }] })
  server = await startServer({ env: { VIDAN_CLOCK_START: '2026-11-26T02:00:00Z', VIDAN_PAYMENT_GATEWAY_URL: sim.url, VIDAN_PAYMENT_PARTNER_CODE: PARTNER, VIDAN_PAYMENT_SECRET: SECRET } })
  sim.setPartner({ code: PARTNER, secret: SECRET, callbackUrl: `${server.url}/api/v1/payments/callback/national`, returnUrl: `http://localhost:${server.port}/thanh-toan/ket-qua` })
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
  await sim?.close()
})

const fits = expectFits

/** Uploads a PDF for every required document of the form that has no wallet choice. */
async function uploadRequired(page: Page, skip: number[] = []) {
  const docs = page.locator('fieldset.doc')
  for (let i = 0; i < (await docs.count()); i++) {
    const legend = ((await docs.nth(i).locator('legend').textContent()) ?? '').trim()
    if (!legend.endsWith('*') || skip.includes(i)) continue
    await page.locator(`#f-doc-${i}`).setInputFiles({ name: `giay-to-${i + 1}.pdf`, mimeType: 'application/pdf', buffer: await makePdf(`Giay to ${i + 1}`) })
  }
}

describe('online submission, my dossiers, wallet and payment in a real browser', () => {
  it('submits a birth registration with an upload and a wallet document, then pays a fee and gets the receipt', async () => {
    const ctx = await phoneContext(browser)
    contexts.push(ctx)
    const page = await ctx.newPage()
    await page.goto(`${server.url}/thu-tuc?q=khai+sinh`)
    await page.getByRole('link', { name: 'Thủ tục đăng ký khai sinh' }).first().click()
    await page.waitForURL(/\/thu-tuc\/1\.001193/)
    await page.getByRole('link', { name: 'Nộp hồ sơ trực tuyến' }).click()

    // The bundled identity provider.
    await page.waitForURL(/\/idp-demo\/interaction\//)
    await page.getByLabel('Số định danh cá nhân').fill(MAI.identityNumber)
    await page.getByLabel('Mật khẩu').fill(DEMO_CITIZEN_PASSWORD)
    await page.getByRole('button', { name: 'Đăng nhập' }).click()
    await page.getByRole('button', { name: 'Đồng ý' }).click()
    await page.waitForURL(/\/nop-ho-so\/1\.001193$/)
    // The login moved the browser to the public URL's host (localhost): the session lives there.
    const origin = new URL(page.url()).origin
    await fits(page, 'e-form')

    // Prefilled from the identity claims.
    await expect(page.locator('#f-applicant-fullName').inputValue()).resolves.toBe(MAI.name)
    await expect(page.locator('#f-applicant-idNumber').inputValue()).resolves.toBe(MAI.identityNumber)

    await page.getByLabel('Xã, phường giải quyết hồ sơ').selectOption('32002')
    await page.locator('#f-extra-childGender').selectOption('nu')
    await page.locator('#f-extra-childBirthDate').fill('2026-11-20')
    await page.locator('#f-extra-childBirthPlace').fill('Bệnh viện Sản Nhi Cà Mau')
    await page.locator('#f-extra-fatherName').fill('Đỗ Văn Khoa')
    await page.locator('#f-extra-motherName').fill(MAI.name)
    await page.locator('#f-extra-relationship').selectOption('me')
    // The child's name forgotten: the form comes back with the problem next to its field.
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
    await expect(page.locator('#f-extra-childName-error').textContent()).resolves.toContain('Cần nhập họ, chữ đệm, tên của trẻ')
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('lỗi cần sửa')
    await fits(page, 'e-form with errors')

    await page.locator('#f-extra-childName').fill('Đỗ Ngọc Anh')
    // The birth certificate uploaded; the identity paper reused from the wallet (a digitised CCCD).
    const certificate = await page.locator('fieldset.doc legend', { hasText: 'Giấy chứng sinh' }).evaluate((l) => l.parentElement?.querySelector('input[type=file]')?.id ?? '')
    await page.locator(`#${certificate}`).setInputFiles({ name: 'Giấy chứng sinh.pdf', mimeType: 'application/pdf', buffer: await makePdf('Giay chung sinh') })
    const idPaper = page.locator('fieldset.doc', { hasText: 'Hộ chiếu/Thẻ căn cước công dân' }).locator('select')
    const cccd = await idPaper.locator('option', { hasText: 'Căn cước công dân (bản số hóa)' }).getAttribute('value')
    await idPaper.selectOption(cccd ?? '')
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
    await page.waitForURL(/\/cong-dan\/ho-so\/[0-9a-f-]{36}\?da-nop=1$/)
    const dossierId = /ho-so\/([0-9a-f-]{36})/.exec(page.url())![1]!
    await expect(page.getByRole('status').textContent()).resolves.toContain('Đã nộp hồ sơ')
    const detail = (await page.locator('main').textContent()) ?? ''
    expect(detail).toContain('Mới đăng ký, chờ tiếp nhận')
    expect(detail).toContain('Tái sử dụng giấy tờ đã có')
    expect(detail).toContain('Giấy chứng sinh.pdf')
    await fits(page, 'my dossier')

    await page.goto(`${origin}/cong-dan/ho-so`)
    await expect(page.locator('main').textContent()).resolves.toContain('Thủ tục đăng ký khai sinh')
    await fits(page, 'my dossiers')
    await page.goto(`${origin}/cong-dan/kho-giay-to`)
    const wallet = (await page.locator('main').textContent()) ?? ''
    expect(wallet).toContain('Bản sao điện tử có giá trị pháp lý')
    expect(wallet).toContain('đã dùng lại 1 lần')
    await fits(page, 'wallet')

    // The back office sees the new online dossier (the competent commune's leader).
    const password = /lanhdao\.anxuyen\s+(\S+)/.exec(server.output())?.[1] ?? ''
    const staffCtx = await phoneContext(browser)
    contexts.push(staffCtx)
    const staff = await staffCtx.newPage()
    await staff.goto(`${server.url}/staff/login`)
    await staff.getByLabel('Tên đăng nhập').fill('lanhdao.anxuyen')
    await staff.getByLabel('Mật khẩu').fill(password)
    await staff.getByRole('button', { name: 'Đăng nhập' }).click()
    await staff.waitForURL(`${server.url}/staff`)
    await staff.goto(`${server.url}/staff/ho-so?box=unit`)
    await expect(staff.locator('main').textContent()).resolves.toContain(MAI.name)
    const res = await staff.goto(`${server.url}/staff/ho-so/${dossierId}`)
    expect(res?.status()).toBe(200)
    await expect(staff.locator('main').textContent()).resolves.toContain('Thủ tục đăng ký khai sinh')

    // A fee: household business registration, 150.000 đồng online, paid through the simulator.
    await page.goto(`${origin}/nop-ho-so/1.001612`)
    await page.getByLabel('Xã, phường giải quyết hồ sơ').selectOption('32002')
    await page.locator('#f-extra-businessName').fill('Hộ kinh doanh Tạp hóa Mai')
    await page.locator('#f-extra-businessAddress').fill('Số 12 đường Phan Ngọc Hiển, Phường An Xuyên')
    await page.locator('#f-extra-businessLine').fill('Bán lẻ hàng tạp hóa')
    await page.locator('#f-extra-capital').fill('100000000')
    await uploadRequired(page)
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click()
    await page.waitForURL(/\/cong-dan\/ho-so\/[0-9a-f-]{36}\?da-nop=1$/)
    await expect(page.locator('main').textContent()).resolves.toContain('150.000 đồng')
    await page.getByRole('button', { name: 'Thanh toán' }).click()
    await page.waitForURL(/\/thanh-toan\/chuyen\//)
    await page.getByRole('link', { name: 'Tiếp tục đến trang thanh toán' }).click()
    await page.waitForURL(`${sim.url}/**`)
    await page.getByRole('button', { name: 'Thanh toán thành công' }).click()
    await page.waitForURL(/\/thanh-toan\/ket-qua\?MaThamChieu=/)
    await expect(page.getByRole('status').textContent()).resolves.toContain('Thanh toán thành công')
    const receipt = await page.getByRole('link', { name: 'Tải biên lai điện tử (PDF)' }).getAttribute('href')
    const pdf = await ctx.request.get(`${origin}${receipt}`)
    expect(pdf.status()).toBe(200)
    expect(pdf.headers()['content-type']).toBe('application/pdf')

    // Back in "my dossiers": paid, with the receipt.
    await page.goto(`${origin}/cong-dan/ho-so`)
    await page.getByRole('link', { name: /Chờ cấp mã/ }).first().click()
    await expect(page.locator('main').textContent()).resolves.toContain('Đã thanh toán')
    const mine = await page.getByRole('link', { name: 'Biên lai điện tử (PDF)' }).getAttribute('href')
    expect((await ctx.request.get(`${origin}${mine!.replace(/&amp;/g, '&')}`)).headers()['content-type']).toBe('application/pdf')
    await fits(page, 'my dossier, paid')
  }, 300_000)
})
