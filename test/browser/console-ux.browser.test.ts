/**
 * The support console as support staff read it (issue items 7 and 8), in real Chromium at 1280 px
 * and 360 px: the person page's timeline in sentences with service names and the reader's local
 * time (UTC on hover), and the analytics on a known history, where every row adds up, the table
 * is not cut off, and the window and grouping live in the URL. axe on each page.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedKnownHistory, WINDOW } from '../../src/analytics/analytics-store.contract.js'
import { buildApp } from '../../src/app.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { buildTestDeps, createTestKey, createTestService, type TestContext } from '../helpers/test-deps.js'
import { signInToConsole } from './console-harness.js'
import { horizontalOverflow } from './verify-harness.js'

const PERSON = '+447700900777'

describe('support console: timeline and analytics', () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let base: string
  let adminKey: string

  beforeAll(async () => {
    // A manual clock at the end of the known history's window, so "last 24 hours" is that window.
    ctx = await buildTestDeps()
    const a = await createTestService(ctx.deps, { name: 'Acme Wallet' })
    const b = await createTestService(ctx.deps, { name: 'Beta Bank' })
    await seedKnownHistory(ctx.deps.db, { A: a.id, B: b.id })
    // The person's verification is from before the analytics window, so the known figures stand.
    ctx.clock.set(WINDOW.from - 2 * 3_600_000)
    const { verification: v } = await ctx.deps.verifier.start({ serviceId: a.id, to: PERSON, channel: 'sms' })
    const at = ctx.clock.now()
    const event = (
      type: 'handed_to_provider' | 'delivered' | 'limit_hit',
      dt: number,
      data: Record<string, unknown>,
    ) => ({
      verificationId: type === 'limit_hit' ? null : v.id,
      serviceId: a.id,
      destination: PERSON,
      type,
      at: at + dt,
      data,
    })
    await ctx.deps.stores.verifications.appendEvents([
      event('handed_to_provider', 300, {
        message_id: 'msg_1',
        route: 'simulator:sms:*',
        provider: 'simulator',
        from: 'ACME',
        latency_ms: 120,
      }),
      event('delivered', 1500, {
        message_id: 'msg_1',
        route: 'simulator:sms:*',
        provider: 'simulator',
        since_sent_ms: 1200,
      }),
      event('limit_hit', 5000, {
        limit: 'sends_per_destination',
        retry_after_ms: 466_000,
        retry_at: at + 471_000,
      }),
    ])
    ctx.clock.set(WINDOW.to)
    app = await buildApp(ctx.deps, { docsUi: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    adminKey = await createTestKey(ctx.deps, ['admin'])
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  // Tokyo, so local time and UTC differ.
  const signIn = (width: number) =>
    signInToConsole(
      browser,
      base,
      { apiKey: adminKey },
      { context: { viewport: { width, height: 900 }, timezoneId: 'Asia/Tokyo', locale: 'en-US' } },
    )
  const expectAccessible = async (page: Page, state: string) => {
    const violations = await seriousA11yViolations(page)
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([])
  }

  for (const width of [1280, 360]) {
    it(`${width} px: the timeline reads as sentences, with service names and the reader's local time`, async () => {
      const { context, page } = await signIn(width)
      await page.getByLabel('Phone number, email, verification id or entity id').fill(PERSON)
      await page.getByRole('button', { name: 'Search' }).click()
      await page.waitForURL('**/console/person?**')
      const timeline = page.locator('section[id^="ver_"] ol.timeline')
      expect(await timeline.locator('li[data-type="created"]').textContent()).toContain(
        'Verification started by Acme Wallet (SMS, GB)',
      )
      expect(await timeline.locator('li[data-type="handed_to_provider"] .what > span').textContent()).toBe(
        'Handed to simulator on simulator:sms:* from sender ACME in 120 ms',
      )
      expect(await timeline.locator('li[data-type="delivered"] .what > span').textContent()).toBe(
        'Delivered on simulator:sms:*, 1.2 s after hand-over',
      )
      expect(await page.locator('.service-name').first().textContent()).toBe('Acme Wallet')
      // No raw JSON or epoch milliseconds on screen; the raw data is one click away.
      // biome-ignore lint/performance/useDomNodeTextContent: what is on screen, without the closed raw data
      const shown = await timeline.innerText()
      expect(shown).not.toContain('{')
      expect(shown).not.toMatch(/\d{13}/)
      const closedOverflow = await horizontalOverflow(page)

      await screenshot(page, `console-person-timeline-${width}`)
      await timeline.locator('li[data-type="delivered"] details.raw summary').click()
      expect(await timeline.locator('li[data-type="delivered"] details.raw pre').textContent()).toContain(
        '"since_sent_ms": 1200',
      )
      // Local time (Tokyo), with the UTC on hover.
      const time = timeline.locator('li[data-type="created"] time')
      expect(await time.textContent()).toMatch(/GMT\+9/)
      expect(await time.getAttribute('title')).toMatch(/ UTC$/)
      // The refusal's "until" is a time, not a number of milliseconds.
      const refusal = page.locator('ol.timeline li[data-type="limit_hit"]')
      expect(await refusal.textContent()).toMatch(
        /Refused: too many codes sent to this number; wait 7 min 46 s \(until .*GMT\+9\)/,
      )
      const wide = await page.evaluate(() => {
        const d = (
          globalThis as unknown as {
            document: {
              querySelectorAll(
                s: string,
              ): ArrayLike<{ tagName: string; className: string; getBoundingClientRect(): { right: number } }>
            }
          }
        ).document
        return Array.from(d.querySelectorAll('body *'))
          .filter(
            (e) =>
              e.getBoundingClientRect().right > 361 &&
              !(e as unknown as { closest(s: string): unknown }).closest('.table-wrap'),
          )
          .slice(0, 8)
          .map(
            (e) =>
              `${e.tagName}.${e.className} ${(e as unknown as { scrollWidth: number }).scrollWidth} ${(e as unknown as { textContent: string }).textContent.slice(0, 60)}`,
          )
          .join(' | ')
      })
      expect([closedOverflow, await horizontalOverflow(page)], wide).toEqual([0, 0])
      await screenshot(page, `console-person-timeline-${width}`)
      await expectAccessible(page, 'person page')
      await context.close()
    })
  }

  for (const width of [1280, 360]) {
    it(`${width} px: analytics on the known history add up, the table fits, and the view is in the URL`, async () => {
      const { context, page } = await signIn(width)
      await page.goto(`${base}/console/analytics`)
      await page.waitForSelector('section#analytics[data-state="ready"]')
      const rows = await page.$$eval('section#analytics .analytics-table tr', (trs) =>
        (trs as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }[])
          .map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => c.textContent ?? ''))
          .filter((cells) => cells.length > 1),
      )
      const [head, ...body] = rows
      expect(head!.slice(4, 8)).toEqual(['Sent', 'Delivered', 'Failed', 'Pending'])
      expect(body.length).toBeGreaterThan(1)
      for (const r of body) expect(Number(r[4]), r[0]).toBe(Number(r[5]) + Number(r[6]) + Number(r[7]))
      const total = body.find((r) => r[0] === 'Total')!
      // 12 sends for 10 verifications: the two resends count.
      expect(total.slice(1, 10)).toEqual(['10', '7', '70.0%', '12', '8', '2', '2', '80.0%', '1.20'])
      if (width === 1280) {
        // Nothing cut off: the table fits its box at 1280 px.
        const fits = await page
          .locator('section#analytics .analytics-table-wrap')
          .first()
          .evaluate((el) => {
            const e = el as unknown as { scrollWidth: number; clientWidth: number }
            return `${e.scrollWidth} <= ${e.clientWidth}`
          })
        const [sw, cw] = fits.split(' <= ').map(Number)
        expect(sw, fits).toBeLessThanOrEqual(cw!)
      }
      expect(await horizontalOverflow(page)).toBe(0)
      await screenshot(page, `console-analytics-${width}`)
      await expectAccessible(page, 'analytics')

      // The selection goes into the URL, and the URL brings it back.
      await page.selectOption('section#analytics select[name="group_by"]', 'channel')
      await page.waitForSelector('section#analytics[data-state="ready"]')
      await page.selectOption('section#analytics select[name="window"]', '7d')
      await expect.poll(() => new URL(page.url()).searchParams.get('window')).toBe('7d')
      expect(new URL(page.url()).searchParams.get('group_by')).toBe('channel')
      await page.reload()
      await page.waitForSelector('section#analytics[data-state="ready"]')
      expect(await page.locator('section#analytics select[name="window"]').inputValue()).toBe('7d')
      expect(await page.locator('section#analytics select[name="group_by"]').inputValue()).toBe('channel')
      expect(await page.locator('section#analytics .analytics-table thead th').first().textContent()).toBe(
        'Channel',
      )
      await context.close()
    })
  }
})
