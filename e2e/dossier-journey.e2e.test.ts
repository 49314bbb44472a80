import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makePdf, makePng } from '../test/support/files.js'
import { startServer, type ServerProcess } from '../test/support/server-process.js'
import { launchBrowser, overflowsHorizontally, phoneContext, seriousAxeViolations } from './support/browser.js'

// Issue 5 acceptance: a browser journey with an injected clock (Thursday 26/11/2026 09:00 in Vietnam).
let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer({ env: { VIDAN_CLOCK_START: '2026-11-26T02:00:00Z' } })
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const c of contexts) await c.close()
  await browser?.close()
  await server?.stop()
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

async function checkPage(page: Page) {
  expect(await seriousAxeViolations(page), page.url()).toEqual([])
  expect(await overflowsHorizontally(page), page.url()).toBe(false)
}

async function doAction(page: Page, dossierUrl: string, button: string, fill?: (form: ReturnType<Page["locator"]>) => Promise<unknown>) {
  await page.goto(dossierUrl)
  const form = page.locator('form.action', { has: page.getByRole('heading', { name: button, exact: true }) })
  if (fill) await fill(form)
  await form.getByRole('button', { name: button, exact: true }).click()
  await page.waitForURL(/\?done=/)
  await expect(page.getByRole('status').textContent()).resolves.toContain('Đã thực hiện')
}

describe('birth registration, counter to result, in a real browser', () => {
  // A long journey (eight pages checked with axe, uploads): more than the suite's default minute on a busy machine.
  it('is received at a commune centre, handled, approved, returned, and tracked in public', { timeout: 180_000 }, async () => {
    // Counter officer at the commune centre of phường An Xuyên.
    const counter = await loginAs('motcua.anxuyen')
    await counter.goto(`${server.url}/staff/tiep-nhan`)
    await checkPage(counter)
    await counter.getByLabel('Thủ tục hành chính').selectOption('1.001193')
    await counter.getByRole('button', { name: 'Chọn thủ tục' }).click()
    await counter.getByLabel('Xã, phường có thẩm quyền').selectOption('32002')
    if (await counter.locator('#limitDays').count()) await counter.locator('#limitDays').fill('3')
    await counter.getByLabel('Họ và tên').fill('Nguyễn Thị Hoa')
    await counter.getByLabel('Số định danh cá nhân (12 số)').fill('096190001234')
    await counter.getByLabel('Số điện thoại').fill('0912345678')
    for (const box of await counter.locator('fieldset input[type=checkbox]').all()) await box.check()
    // The papers scanned at the counter go with the intake (a multipart form, no script needed).
    await counter.getByLabel('Tệp bản quét (có thể chọn nhiều tệp)').setInputFiles([
      { name: 'Tờ khai.pdf', mimeType: 'application/pdf', buffer: await makePdf('To khai') },
      { name: 'giấy chứng sinh.png', mimeType: 'image/png', buffer: makePng(8) },
    ])
    await checkPage(counter)
    await counter.getByRole('button', { name: 'Ghi nhận' }).click()
    await counter.waitForURL(/\/staff\/ho-so\/[0-9a-f-]+\?done=receive/)
    const dossierUrl = counter.url().split('?')[0]!
    const files = (await counter.getByRole('region', { name: 'Tệp đính kèm' }).textContent()) ?? ''
    for (const name of ['Tờ khai.pdf', 'giấy chứng sinh.png', 'Bản quét giấy tờ', 'Huỳnh Thị Xuyên']) expect(files).toContain(name)
    const code = /Hồ sơ (\S+-\d{6}-\d{4,})/.exec((await counter.locator('h1').textContent()) ?? '')?.[1]
    expect(code).toMatch(/-261126-\d{4}$/)
    await checkPage(counter)

    // The receipt (form 01) is a real PDF that shows the code and the appointment.
    const pdf = await counter.request.get(`${dossierUrl}/mau/receipt`)
    expect(pdf.status()).toBe(200)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vidan-pdf-')), 'receipt.pdf')
    fs.writeFileSync(file, await pdf.body())
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain(code!)
    expect(text).toContain('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ')
    // 3 working days after Thu 26/11 (not counted): Tue 1/12/2026 at 17:00.
    expect(text).toMatch(/17 giờ 00 phút, ngày 01\/12\/2026/)

    // The leader of the competent commune assigns it.
    const leader = await loginAs('lanhdao.anxuyen')
    await leader.goto(`${server.url}/staff/ho-so?box=unit`)
    await checkPage(leader)
    await leader.getByRole('link', { name: code! }).click()
    await checkPage(leader)
    await doAction(leader, dossierUrl, 'Phân công xử lý', (f) => f.getByLabel('Chuyên viên').selectOption({ label: 'Đặng Văn An' }))

    // The processing officer handles it and submits it.
    const officer = await loginAs('chuyenvien.anxuyen')
    await officer.goto(`${server.url}/staff/ho-so?box=mine`)
    await expect(officer.getByRole('link', { name: code! }).count()).resolves.toBe(1)
    // The result document is uploaded from the dossier page.
    await officer.goto(dossierUrl)
    await officer.getByLabel('Kết quả giải quyết').check()
    await officer.getByLabel('Chọn tệp').setInputFiles({ name: 'Trích lục khai sinh.pdf', mimeType: 'application/pdf', buffer: await makePdf('Trich luc') })
    await officer.getByRole('button', { name: 'Tải lên' }).click()
    await officer.waitForURL(/\?done=attach_file/)
    await expect(officer.getByRole('region', { name: 'Tệp đính kèm' }).textContent()).resolves.toContain('Trích lục khai sinh.pdf')
    await checkPage(officer)
    await doAction(officer, dossierUrl, 'Trình lãnh đạo', (f) => f.getByLabel('Ghi chú').fill('Hồ sơ hợp lệ'))
    await checkPage(officer)

    // The leader approves; the counter returns the result.
    await doAction(leader, dossierUrl, 'Phê duyệt kết quả')
    await doAction(counter, dossierUrl, 'Trả kết quả')
    await expect(counter.locator('dl.facts').textContent()).resolves.toContain('Đã trả kết quả')

    // The public tracking page shows every step with who and when, without JavaScript.
    const pub = await phoneContext(browser, { javaScriptEnabled: false })
    contexts.push(pub)
    const p = await pub.newPage()
    await p.goto(`${server.url}/tra-cuu`)
    await p.getByLabel('Mã hồ sơ (trên giấy tiếp nhận)').fill(code!)
    await p.getByLabel('4 số cuối điện thoại hoặc số định danh của người nộp').fill('5678')
    await p.getByRole('button', { name: 'Tra cứu' }).click()
    const timeline = (await p.locator('ol.timeline').textContent()) ?? ''
    for (const who of ['Huỳnh Thị Xuyên', 'Lý Thị Hòa', 'Đặng Văn An']) expect(timeline).toContain(who)
    for (const what of ['Tiếp nhận hồ sơ', 'Đính kèm 2 tệp bản quét giấy tờ', 'Đính kèm 1 tệp kết quả giải quyết', 'Phân công xử lý', 'Trình lãnh đạo phê duyệt', 'Phê duyệt kết quả', 'Trả kết quả']) expect(timeline).toContain(what)
    expect(timeline).toContain('26/11/2026')
    await expect(p.locator('main').textContent()).resolves.toContain('Đã trả kết quả')
    const js = await (await phoneContext(browser)).newPage()
    await js.goto(p.url())
    await checkPage(js)
    await js.context().close()
  })
})
