/**
 * The console's analytics charts in real Chromium: a test-only page (registered on the app inside
 * this test) carries `section#analytics[data-endpoint]` under the real page CSP, the endpoint
 * answers from the known history, and the bundle (dist/web/console.js, built by `npm run build`;
 * built here when missing) draws three canvases and a table with the hand-worked figures.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedKnownHistory, WINDOW } from '../../src/analytics/analytics-store.contract.js'
import { isGroupBy } from '../../src/analytics/figures.js'
import { resolveWindow } from '../../src/analytics/window.js'
import { sendPage } from '../../src/http/web-assets.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { buildTestApp, createTestService } from '../helpers/test-deps.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Reads a canvas's pixels: true when something other than transparent/white was drawn. */
async function canvasHasInk(page: Page, index: number): Promise<boolean> {
  return page.evaluate((i) => {
    const d = globalThis as unknown as {
      document: {
        querySelectorAll(s: string): ArrayLike<{
          width: number
          height: number
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
          }
        }>
      }
    }
    const canvas = d.document.querySelectorAll('section#analytics canvas')[i]
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
    let ink = 0
    for (let p = 0; p < data.length; p += 4)
      if ((data[p + 3] ?? 0) > 0 && ((data[p] ?? 255) < 200 || (data[p + 2] ?? 255) < 200)) ink++
    return ink > 200
  }, index)
}

async function rowCells(page: Page, table: string, key: string): Promise<string[]> {
  // Runs in the page (this file is compiled without DOM types).
  type Cell = { textContent: string | null }
  type Row = Cell & { querySelector(s: string): Cell | null; querySelectorAll(s: string): ArrayLike<Cell> }
  return page.$$eval(
    `section#analytics ${table} tr`,
    (rows, k) => {
      const row = (rows as unknown as Row[]).find((r) => r.querySelector('th')?.textContent === k)
      return row ? Array.from(row.querySelectorAll('td')).map((c) => c.textContent ?? '') : []
    },
    key,
  )
}

describe('analytics charts in the browser', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let browser: TestBrowser
  let base: string
  const requested: string[] = []

  beforeAll(async () => {
    if (!existsSync(`${ROOT}dist/web/console.js`))
      execFileSync('node', ['scripts/build-web.mjs'], { cwd: ROOT, stdio: 'ignore' })
    t = await buildTestApp()
    const a = (await createTestService(t.deps, { name: 'A' })).id
    const b = (await createTestService(t.deps, { name: 'B' })).id
    await seedKnownHistory(t.deps.db, { A: a, B: b })
    t.clock.set(WINDOW.to)
    // Test-only routes: the page shell every verigate page uses (with its CSP), and the JSON.
    t.app.get('/test/analytics', { schema: { hide: true } }, async (_request, reply) =>
      sendPage(reply, {
        title: 'Analytics test',
        scripts: ['console.js'],
        body: '<main><h1>Delivery analytics</h1><section id="analytics" data-endpoint="/test/analytics.json" data-window="24h" data-group-by="country"></section></main>',
      }),
    )
    t.app.get<{ Querystring: { window?: string; group_by?: string } }>(
      '/test/analytics.json',
      { schema: { hide: true } },
      async (request) => {
        requested.push(request.url)
        const { from, to } = resolveWindow({ window: request.query.window }, t.deps.clock.now())
        const groupBy =
          request.query.group_by && isGroupBy(request.query.group_by) ? request.query.group_by : 'none'
        return t.deps.analytics.report({ from, to, groupBy })
      },
    )
    base = await t.app.listen({ host: '127.0.0.1', port: 0 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('draws the three charts and the table of known figures, under the CSP, accessibly', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
    page.on('console', (msg) => {
      // The browser's own favicon request is not the page's doing.
      if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico'))
        problems.push(`console: ${msg.text()} (${msg.location().url})`)
    })
    await page.goto(`${base}/test/analytics`)
    await page.waitForSelector('section#analytics[data-state="ready"]', { timeout: 10_000 })
    expect(requested.at(-1)).toBe('/test/analytics.json?window=24h&group_by=country')

    expect(await page.locator('section#analytics canvas').count()).toBe(3)
    for (const i of [0, 1, 2]) expect(await canvasHasInk(page, i), `canvas ${i}`).toBe(true)
    expect(await page.locator('section#analytics canvas[role="img"][aria-label]').count()).toBe(3)

    // GB: 6 started, 5 verified, 6 sent = 5 delivered + 1 failed + 0 pending; p50/p90 3 s/5 s and 30 s/50 s
    expect(await rowCells(page, '.analytics-table', 'GB')).toEqual([
      '6',
      '5',
      '83.3%',
      '6',
      '5',
      '1',
      '0',
      '83.3%',
      '1.00',
      '3.0\u00a0s / 5.0\u00a0s',
      '30.0\u00a0s / 50.0\u00a0s',
    ])
    // US: a resend and a message never handed over both count as sends: 6 = 3 + 1 + 2
    expect(await rowCells(page, '.analytics-table', 'US')).toEqual([
      '4',
      '2',
      '50.0%',
      '6',
      '3',
      '1',
      '2',
      '75.0%',
      '1.50',
      '8.0\u00a0s / 10.0\u00a0s',
      '60.0\u00a0s / 2.0\u00a0min',
    ])
    expect(await rowCells(page, '.analytics-table', 'Total')).toEqual([
      '10',
      '7',
      '70.0%',
      '12',
      '8',
      '2',
      '2',
      '80.0%',
      '1.20',
      '4.0\u00a0s / 10.0\u00a0s',
      '40.0\u00a0s / 2.0\u00a0min',
    ])
    // Every row on the page adds up: Sent = Delivered + Failed + Pending.
    for (const key of ['GB', 'US', 'Total']) {
      const [, , , sent, delivered, failed, pending] = (await rowCells(page, '.analytics-table', key)).map(
        Number,
      )
      expect(sent, key).toBe(delivered! + failed! + pending!)
    }
    expect(await page.locator('section#analytics .analytics-series-table tbody tr').count()).toBe(24)

    // Nothing was refused by the CSP (a refusal is logged as a console error) and nothing threw.
    expect(problems, problems.join('\n')).toEqual([])
    await screenshot(page, 'analytics-charts-country')
  })

  it('has no serious accessibility violations (axe, injected with the CSP bypassed)', async () => {
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    ).newPage()
    await page.goto(`${base}/test/analytics`)
    await page.waitForSelector('section#analytics[data-state="ready"]')
    const violations = await seriousA11yViolations(page, 'section#analytics')
    expect(violations, describeViolations(violations)).toEqual([])
  })

  it('the group-by and window selectors refetch and redraw', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${base}/test/analytics`)
    await page.waitForSelector('section#analytics[data-state="ready"]')
    await page.selectOption('section#analytics select[name="group_by"]', 'route')
    await page.waitForFunction(() => {
      const d = globalThis as unknown as {
        document: { querySelector(s: string): { textContent: string | null } | null }
      }
      return d.document.querySelector('section#analytics .analytics-table thead th')?.textContent === 'Route'
    })
    await page.waitForSelector('section#analytics[data-state="ready"]')
    expect(requested.at(-1)).toBe('/test/analytics.json?window=24h&group_by=route')
    expect((await rowCells(page, '.analytics-table', 'vonage:sms:*')).slice(0, 8)).toEqual([
      '3',
      '2',
      '66.7%',
      '4',
      '2',
      '0',
      '2',
      '100.0%',
    ])
    expect(await canvasHasInk(page, 0)).toBe(true)
    await screenshot(page, 'analytics-charts-route')

    await page.selectOption('section#analytics select[name="window"]', '7d')
    await page.waitForFunction(() => {
      const d = globalThis as unknown as {
        document: { querySelector(s: string): { textContent: string | null } | null }
      }
      return (
        d.document.querySelector('section#analytics .analytics-series-table caption')?.textContent ===
        'Per day (UTC)'
      )
    })
    expect(requested.at(-1)).toBe('/test/analytics.json?window=7d&group_by=route')
    expect(await page.locator('section#analytics .analytics-series-table tbody tr').count()).toBe(7)
  })

  it('shows the server message when the endpoint refuses', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.route('**/test/analytics.json*', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'CONSOLE_SESSION_INVALID',
            message: 'Your console session has ended. Sign in again.',
          },
        }),
      }),
    )
    await page.goto(`${base}/test/analytics`)
    await page.waitForSelector('section#analytics[data-state="error"]')
    expect(await page.textContent('section#analytics [role="status"]')).toBe(
      'Your console session has ended. Sign in again.',
    )
  })
})
