import fs from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../test/support/test-app.js'

// The catalogue's public pages in real Chromium at 360 px: axe (no serious or critical
// violations), no horizontal scroll, usable with JavaScript off, and the bytes transferred.
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const PAGES = [
  '/thu-tuc',
  '/thu-tuc?q=khai+sinh',
  `/thu-tuc?q=giay+phep+xay+dung&level=commune`,
  '/thu-tuc/1.001193',
  '/thu-tuc/1.000894',
  '/thu-tuc/1.013225',
  '/thu-tuc/2.000635',
  '/co-quan/ubnd-xa-32002',
  '/co-quan/so-tu-phap',
]

let t: TestApp
let browser: Browser
let base = ''

beforeAll(async () => {
  t = await createTestApp()
  base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
})
afterAll(async () => {
  await browser?.close()
  await t?.close()
})

describe.skipIf(!fs.existsSync(CHROMIUM))('catalogue pages in Chromium', () => {
  it.each(PAGES)('%s: axe clean, fits 360 px, light', async (path) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false })
    const page = await context.newPage()
    let bytes = 0
    page.on('response', async (r) => {
      const b = await r.body().catch(() => Buffer.alloc(0))
      bytes += b.length
    })
    const res = await page.goto(base + path, { waitUntil: 'load' })
    expect(res?.status()).toBe(200)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()

    // axe needs script in the page; a second context with JavaScript on runs it.
    const ctx2 = await browser.newContext({ viewport: { width: 360, height: 740 } })
    const p2 = await ctx2.newPage()
    await p2.goto(base + path)
    const result = await new AxeBuilder({ page: p2 }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
    if (result.violations.length) console.log(path, result.violations.map((v) => `${v.impact ?? 'unknown'}:${v.id}`).join(' '))
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => String(n.target)).join(', ')}`)).toEqual([])
    await ctx2.close()
    console.log(`${path}: ${bytes} bytes uncompressed (HTML + CSS + icon)`)
  })
})
