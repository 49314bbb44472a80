import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Debian's Chromium through playwright-core, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

/** A phone-sized context (360 px wide), as the non-negotiables ask. */
export async function phoneContext(browser: Browser, opts: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', javaScriptEnabled: opts.javaScriptEnabled ?? true })
}

export interface AxeProblem {
  id: string
  impact: string | null | undefined
  help: string
  targets: string[]
}

/** Serious and critical axe violations on the current page (WCAG 2.1 A/AA rules). */
export async function seriousAxeViolations(page: Page): Promise<AxeProblem[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze()
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
}

/** True when the page is wider than the viewport (horizontal scrolling at 360 px). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)
}

/** What a page load transferred, by kind, as the browser received it (bodies still compressed). */
export interface Transfer {
  /** Encoded body bytes of HTML, CSS and JavaScript: what the page budget counts. */
  counted: number
  /** Encoded body bytes of images and fonts, reported apart (the budget excludes images). */
  excluded: number
  /** Content-Encoding seen per counted response ("identity" when none). */
  encodings: string[]
}

const COUNTED_TYPES = new Set(['document', 'stylesheet', 'script', 'fetch', 'xhr'])

/**
 * Loads `url` in `page` and measures what came over the wire: Chromium's own accounting of each
 * response's encoded body size (`request.sizes()`), so compression is measured, not assumed.
 */
export async function measureTransfer(page: Page, url: string): Promise<{ status: number | undefined; transfer: Transfer }> {
  const t: Transfer = { counted: 0, excluded: 0, encodings: [] }
  const pending: Promise<void>[] = []
  page.on('requestfinished', (req) => {
    pending.push(
      (async () => {
        const res = await req.response()
        if (!res) return
        const sizes = await req.sizes()
        if (COUNTED_TYPES.has(req.resourceType())) {
          t.counted += sizes.responseBodySize
          t.encodings.push((await res.headerValue('content-encoding')) ?? 'identity')
        } else {
          t.excluded += sizes.responseBodySize
        }
      })(),
    )
  })
  const res = await page.goto(url, { waitUntil: 'load' })
  await page.waitForLoadState('networkidle')
  await Promise.all(pending)
  return { status: res?.status(), transfer: t }
}

/** The page passes axe (no serious or critical violations) and fits 360 px without horizontal scrolling. */
export async function expectFits(page: Page, what: string): Promise<void> {
  expect(await seriousAxeViolations(page), what).toEqual([])
  expect(await overflowsHorizontally(page), what).toBe(false)
}
