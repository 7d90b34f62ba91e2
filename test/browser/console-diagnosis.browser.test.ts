/**
 * The person page's diagnosis as support staff read it (issue 14, point 6), in real Chromium at
 * 1280 px and 360 px: a rate-limited and a carrier-blocked person each get one plain headline,
 * relative times (local time and UTC on hover), the wait as a duration and the fixes as buttons;
 * no record id, limit name, provider code or counter shows until "Technical detail" is opened.
 * The buttons do what they say. Screenshots of each state; axe on each.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import {
  buildTestDeps,
  createTestKey,
  createTestService,
  eventually,
  type TestContext,
} from '../helpers/test-deps.js'
import { signInToConsole } from './console-harness.js'
import { horizontalOverflow } from './verify-harness.js'

const PASSWORD = 'correct horse battery staple'
/** The simulator's carrier-blocked number. */
const BLOCKED = '+447700900003'
const LIMITED = '+447700900124'

/** The diagnosis's text with every "Technical detail" left out: what a person reads at a glance. */
function glanceText(section: Locator): Promise<string> {
  return section.evaluate((el) => {
    const copy = (el as unknown as { cloneNode(deep: boolean): unknown }).cloneNode(true) as {
      querySelectorAll(s: string): ArrayLike<{ remove(): void }>
      textContent: string | null
    }
    for (const d of Array.from(copy.querySelectorAll('details'))) d.remove()
    return (copy.textContent ?? '').replace(/\s+/g, ' ')
  })
}

describe('support console: the diagnosis in plain words', () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let base: string
  let key: string
  let serviceId: string
  const ids: Record<'blocked' | 'limited', string> = { blocked: '', limited: '' }

  async function api(method: 'POST' | 'GET', path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    ctx = await buildTestDeps({
      realClock: true,
      config: {
        simulator: { deliveryDelayMs: 0 },
        routing: {
          routes: [
            { provider: 'simulator', senderIds: { GB: 'ACMEUK' } },
            { provider: 'simulator', channel: 'call' },
          ],
        },
        limits: { sendsPerDestination: { points: 2, durationSeconds: 600 }, resendCooldownSeconds: [0] },
        fraud: { mode: 'off' },
      },
    })
    ctx.deps.dispatcher.start()
    app = await buildApp(ctx.deps, { docsUi: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    key = await createTestKey(ctx.deps, ['admin'])
    serviceId = (await createTestService(ctx.deps, { name: 'Acme Wallet' })).id
    await ctx.deps.support.staff.add({ email: 'support@example.com', role: 'support', password: PASSWORD })

    const blocked = await api('POST', '/v1/verifications', { service_id: serviceId, to: BLOCKED })
    expect(blocked.status).toBe(201)
    ids.blocked = String(blocked.json.id)
    await eventually(async () =>
      (await ctx.deps.stores.verifications.listEvents(ids.blocked)).some((e) => e.type === 'gave_up'),
    )

    // Two sends per number per 10 minutes: the second resend is refused, the verification still pending.
    const limited = await api('POST', '/v1/verifications', { service_id: serviceId, to: LIMITED })
    expect(limited.status).toBe(201)
    ids.limited = String(limited.json.id)
    expect((await api('POST', `/v1/verifications/${ids.limited}/resend`)).status).toBe(200)
    expect((await api('POST', `/v1/verifications/${ids.limited}/resend`)).status).toBe(429)

    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  async function personPage(width: number, number: string): Promise<{ context: BrowserContext; page: Page }> {
    // Tokyo, so the local time on hover differs from the UTC.
    const { context, page } = await signInToConsole(
      browser,
      base,
      { email: 'support@example.com', password: PASSWORD },
      {
        context: { viewport: { width, height: 900 }, timezoneId: 'Asia/Tokyo', locale: 'en-GB' },
        timeoutMs: 5000,
      },
    )
    await page.getByLabel('Phone number, email, verification id or entity id').fill(number)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL('**/console/person?**')
    return { context, page }
  }

  async function expectPlain(section: Locator, verificationId: string): Promise<void> {
    const text = await glanceText(section)
    expect(text).not.toContain(verificationId)
    expect(text).not.toContain('ver_')
    // No internal names (limit, cause, outcome, setting) and no provider codes or raw timestamps.
    expect(text, text).not.toMatch(/\b[a-z]+_[a-z_]+\b/)
    expect(text).not.toMatch(/\b[A-Z][a-z]+[A-Z]\w*\.[a-z]\w*/) // Class.method
    expect(text).not.toMatch(/UNDELIV|\b045\b|\d{4}-\d\d-\d\dT|\d{13}/)
    expect(text).not.toMatch(/[{}]/)
  }

  async function expectAccessible(page: Page, state: string): Promise<void> {
    const violations = await seriousA11yViolations(page)
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([])
  }

  for (const width of [1280, 360]) {
    it(`${width} px: a rate-limited person: "Too many codes sent to this number", the wait, a Lift button`, async () => {
      const { context, page } = await personPage(width, LIMITED)
      const diagnosis = page.locator('#diagnosis')
      const cause = diagnosis.locator('li[data-cause="rate_limited"]')
      expect(await cause.locator('h3').textContent()).toMatch(
        /^Too many codes sent to this number\s*Confirmed$/,
      )
      expect(await cause.locator('.wait').textContent()).toMatch(
        /^The limit lifts in (9|10) mins?( \d+ secs?)?; this verification can send no more codes$/,
      )
      await expect(cause.getByRole('button', { name: 'Lift the limit' }).isVisible()).resolves.toBe(true)
      await expect(cause.getByLabel('Reason (kept in the audit log)').isVisible()).resolves.toBe(true)
      await expectPlain(diagnosis, ids.limited)
      // "started 5 seconds ago": relative, with the Tokyo time and the UTC on hover.
      const started = diagnosis.locator('.state time').first()
      expect(await started.textContent()).toMatch(/^(\d+ seconds? ago|now)$/)
      expect(await started.getAttribute('title')).toMatch(/GMT\+9 \(.* UTC\)$/)
      // "in 9 minutes" never breaks between the number and the unit on a phone.
      const split = await diagnosis
        .locator('.state time')
        .evaluateAll(
          (els) =>
            els.filter(
              (e) => (e as unknown as { getClientRects(): ArrayLike<unknown> }).getClientRects().length > 1,
            ).length,
        )
      expect(split).toBe(0)
      expect(await horizontalOverflow(page)).toBe(0)
      await screenshot(page, `console-diagnosis-rate-limited-${width}`)
      await expectAccessible(page, 'rate-limited')

      // The names and counters are one click away.
      await cause.locator('details.tech > summary').click()
      const detail = await cause.locator('details.tech').textContent()
      expect(detail).toContain('sends_per_destination')
      expect(detail).toContain('rate_limited')
      await screenshot(page, `console-diagnosis-rate-limited-detail-${width}`)
      expect(await horizontalOverflow(page)).toBe(0)
      await expectAccessible(page, 'rate-limited, detail open')
      await context.close()
    })

    it(`${width} px: a carrier-blocked person: "The carrier blocked the SMS", the sender, a Resend by call button`, async () => {
      const { context, page } = await personPage(width, BLOCKED)
      const diagnosis = page.locator('#diagnosis')
      const cause = diagnosis.locator('li[data-cause="carrier_filtered"]')
      expect(await cause.locator('h3').textContent()).toMatch(/^The carrier blocked the SMS\s*Confirmed$/)
      expect(await cause.locator('.sender-id').textContent()).toBe('ACMEUK')
      await expect(cause.getByRole('button', { name: 'Resend by call' }).isVisible()).resolves.toBe(true)
      await expectPlain(diagnosis, ids.blocked)
      expect(await horizontalOverflow(page)).toBe(0)
      await screenshot(page, `console-diagnosis-carrier-blocked-${width}`)
      await expectAccessible(page, 'carrier-blocked')
      await cause.locator('details.tech > summary').click()
      const detail = await cause.locator('details.tech').textContent()
      expect(detail).toContain('carrier_filtered')
      expect(detail).toContain('045')
      await screenshot(page, `console-diagnosis-carrier-blocked-detail-${width}`)
      await expectAccessible(page, 'carrier-blocked, detail open')
      await context.close()
    })
  }

  it('the buttons do what they say: Resend by call sends a call; Lift the limit lets a resend through', async () => {
    const { context, page } = await personPage(1280, BLOCKED)
    const blocked = page.locator('#diagnosis li[data-cause="carrier_filtered"]')
    await blocked.getByLabel('Reason (kept in the audit log)').fill('Ticket 12: SMS blocked by the carrier')
    await blocked.getByRole('button', { name: 'Resend by call' }).click()
    await page.waitForURL('**done=resent**')
    const messages = await ctx.deps.stores.outbox.listForVerification(ids.blocked)
    expect(messages.map((m) => m.channel)).toEqual(['sms', 'call'])
    await context.close()

    const second = await personPage(1280, LIMITED)
    const limited = second.page.locator('#diagnosis li[data-cause="rate_limited"]')
    await limited.getByLabel('Reason (kept in the audit log)').fill('Ticket 13: locked out after retries')
    await limited.getByRole('button', { name: 'Lift the limit' }).click()
    await second.page.waitForURL('**done=limits_lifted**')
    expect(await second.page.locator('#diagnosis li[data-cause="rate_limited"]').count()).toBe(0)
    expect((await api('POST', `/v1/verifications/${ids.limited}/resend`)).status).toBe(200)
    await second.context.close()
  })
})
