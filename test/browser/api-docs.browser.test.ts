/**
 * The API reference at /docs in real Chromium (issue item 9): branded, offline (every request
 * stays on this origin, under the page's CSP), with the error catalog, the guides and a copyable
 * curl and TypeScript example per operation; axe at 1280 px and 360 px.
 */
import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import {
  describeViolations,
  launchBrowser,
  SCREENSHOT_DIR,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { buildTestDeps, type TestContext } from '../helpers/test-deps.js'
import { horizontalOverflow } from './verify-harness.js'

/** The viewport only: a full-page capture of the whole reference takes longer than a test may. */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), timeout: LOAD_MS })
}

/** The reference is a large single page; on a loaded 2-core machine it takes a while to render. */
const LOAD_MS = 90_000

describe('API reference (/docs)', { timeout: 240_000 }, () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let base: string
  beforeAll(async () => {
    ctx = await buildTestDeps()
    app = await buildApp(ctx.deps)
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  it('1280 px: branded, offline, with the error catalog, the guides and copyable curl and TypeScript examples', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const elsewhere: string[] = []
    const problems: string[] = []
    page.on('request', (r) => {
      const url = r.url()
      if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url)
    })
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(m.text())
    })
    const res = await page.goto(`${base}/docs`, { waitUntil: 'domcontentloaded', timeout: LOAD_MS })
    expect(res?.headers()['content-security-policy']).toContain("connect-src 'self'")
    expect(await page.title()).toBe('verigate API reference')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.getByRole('heading', { name: 'verigate API', exact: true }).waitFor({ timeout: LOAD_MS })
    const text = (await page.locator('body').textContent()) ?? ''
    // verigate's brand, not the stock Swagger UI with the Fastify logo.
    expect(await page.getByText('Swagger UI').count()).toBe(0)
    expect(await page.locator('img[src*="fastify" i], img[alt*="fastify" i]').count()).toBe(0)
    const brand = await page
      .locator('.t-doc__sidebar')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }
          ).getComputedStyle(el, '::before').content,
      )
    expect(brand).toContain('verigate')
    // The error catalog and the guides are part of the reference.
    await page.getByRole('heading', { name: 'Errors: the catalog' }).waitFor()
    expect(text).toContain('RETURN_URL_NOT_ALLOWED')
    await page.getByRole('heading', { name: 'Guide: the widget and the hosted page' }).waitFor()
    expect(text).toContain('Back to your app')
    await screenshot(page, 'api-docs-1280')

    // An operation: the curl example is shown, the TypeScript one a click away, both copyable.
    await page.goto(`${base}/docs/#tag/verifications/POST/v1/verifications`, {
      waitUntil: 'domcontentloaded',
      timeout: LOAD_MS,
    })
    const operation = page.locator('section[id$="POST/v1/verifications"]').first()
    await operation.getByText('curl -X POST "$VERIGATE_URL/v1/verifications"').waitFor({ timeout: LOAD_MS })
    await screenshot(page, 'api-docs-operation-curl-1280')
    await operation.getByRole('button', { name: 'curl', exact: true }).click()
    await page.getByRole('option', { name: 'TypeScript' }).click()
    await operation.getByText("method: 'POST'").waitFor()
    expect(await operation.textContent()).toContain('await fetch(`$' + '{base}/v1/verifications`')
    // The example's own copy button (beside the "Copy link" ones of the fields).
    const copy = await operation
      .locator('button')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { textContent: string | null }).textContent ?? ''),
      )
    expect(
      copy.some((t) => /TypeScript\s*Copy/.test(t)),
      copy.join(' | '),
    ).toBe(true)
    await screenshot(page, 'api-docs-operation-typescript-1280')

    // Nothing came from anywhere but this server: no CDN, no font service, no telemetry.
    expect(elsewhere).toEqual([])
    expect(problems, problems.join('\n')).toEqual([])
    await context.close()
  })

  for (const width of [1280, 360]) {
    it(`${width} px: no serious accessibility violations, no sideways scrolling`, async () => {
      // bypassCSP only so axe can be injected.
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true })
      const page = await context.newPage()
      await page.goto(`${base}/docs`, { waitUntil: 'domcontentloaded', timeout: LOAD_MS })
      await page.getByRole('heading', { name: 'verigate API', exact: true }).waitFor({ timeout: LOAD_MS })
      expect(await horizontalOverflow(page)).toBe(0)
      if (width === 360) await screenshot(page, 'api-docs-360')
      const violations = await seriousA11yViolations(page)
      expect(violations, describeViolations(violations)).toEqual([])
      await context.close()
    })
  }
})
