/**
 * The support console in real headless Chromium: each role signs in (and an admin with an API
 * key), finds people by a national-format number, reads the diagnosis of a carrier-blocked
 * verification, lifts a limit and sees the audit entry; a viewer has no action controls and a
 * forged action POST gets 403. Screenshots go to test-artifacts/screenshots/; axe runs on the
 * login, person and audit pages.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
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

const PASSWORD = 'correct horse battery staple'
const BLOCKED = '+447700900003'
const LIMITED = '+447700900123'

describe('support console in the browser', () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let base: string
  let adminKey: string
  let serviceId: string
  let blockedId: string

  async function api(
    method: 'POST' | 'GET',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  const signIn = (credentials: { email: string } | { apiKey: string }) =>
    signInToConsole(
      browser,
      base,
      'apiKey' in credentials ? credentials : { email: credentials.email, password: PASSWORD },
      { timeoutMs: 5000, entry: '/console' },
    )

  async function search(page: Page, query: string): Promise<void> {
    await page.getByLabel('Phone number, email, verification id or entity id').fill(query)
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL('**/console/person?**')
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
        limits: { sendsPerDestination: { points: 1, durationSeconds: 600 }, resendCooldownSeconds: [0] },
      },
    })
    ctx.deps.dispatcher.start()
    app = await buildApp(ctx.deps, { docsUi: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    adminKey = await createTestKey(ctx.deps, ['admin'])
    serviceId = (await createTestService(ctx.deps)).id
    const support = ctx.deps.support
    await support.staff.add({ email: 'viewer@example.com', role: 'viewer', password: PASSWORD })
    await support.staff.add({ email: 'support@example.com', role: 'support', password: PASSWORD })
    await support.staff.add({ email: 'admin@example.com', role: 'admin', password: PASSWORD })

    // A carrier-blocked verification, its failed receipt recorded (the simulator answers at once).
    const blocked = await api('POST', '/v1/verifications', { service_id: serviceId, to: BLOCKED })
    expect(blocked.status).toBe(201)
    blockedId = String(blocked.json.id)
    await eventually(async () =>
      (await ctx.deps.stores.verifications.listEvents(blockedId)).some((e) => e.type === 'gave_up'),
    )

    // A limit hit: one send per number per 10 minutes, so the second start is refused.
    const first = await api('POST', '/v1/verifications', { service_id: serviceId, to: LIMITED })
    expect(first.status).toBe(201)
    expect((await api('POST', `/v1/verifications/${String(first.json.id)}/cancel`)).status).toBe(200)
    const refused = await api('POST', '/v1/verifications', { service_id: serviceId, to: LIMITED })
    expect(refused.status).toBe(429)

    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  it('viewer: signs in, finds a carrier-blocked number by its national format, reads the diagnosis; no action controls and a forged action POST is 403', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true })
    const loginPage = await context.newPage()
    await loginPage.goto(`${base}/console/login`)
    expect(await seriousA11yViolations(loginPage), 'login page').toEqual([])
    await screenshot(loginPage, 'console-login')
    await context.close()

    const { context: viewerContext, page } = await signIn({ email: 'viewer@example.com' })
    await search(page, '07700 900003')
    // Masked by default.
    await expect(page.locator('h1').textContent()).resolves.toContain('+44******0003')
    expect(await page.content()).not.toContain('7700900003')
    const verdict = page.locator('#diagnosis')
    await expect(verdict.locator('[data-cause="carrier_filtered"]').count()).resolves.toBe(1)
    await expect(verdict.locator('.sender-id').first().textContent()).resolves.toBe('ACMEUK')
    // The raw receipt and the route's sender are in the timeline.
    const body = await page.textContent('main')
    expect(body).toContain('UNDELIV')
    expect(body).toContain('045')
    await expect(page.locator('td.sender').first().textContent()).resolves.toBe('ACMEUK')
    // No action controls at all.
    expect(await page.locator('main form[method="post"]').count()).toBe(0)
    expect(await page.getByRole('button', { name: /lift|reveal|resend|cancel|safe list/i }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Staff' }).count()).toBe(0)
    expect(await seriousA11yViolations(page), describeViolations(await seriousA11yViolations(page))).toEqual(
      [],
    )
    await screenshot(page, 'console-person-viewer')

    // The endpoint itself refuses a viewer, even with a valid session, CSRF token and Origin.
    const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value')
    const ref = new URL(page.url()).searchParams.get('ref') ?? ''
    const forged = await viewerContext.request.post(`${base}/console/person/lift-limits`, {
      form: { csrf: csrf ?? '', ref, reason: 'viewer tries' },
      headers: { origin: base },
      maxRedirects: 0,
    })
    expect(forged.status()).toBe(403)
    expect((await forged.json()).error.code).toBe('CONSOLE_ROLE_FORBIDDEN')
    const reveal = await viewerContext.request.post(`${base}/console/person/reveal`, {
      form: { csrf: csrf ?? '', ref, reason: 'viewer tries' },
      headers: { origin: base },
      maxRedirects: 0,
    })
    expect(reveal.status()).toBe(403)
    await viewerContext.close()
  })

  it('support: sees the limit hit, lifts it with a reason, a new send is accepted, and the audit log shows who, what and why', async () => {
    const { context, page } = await signIn({ email: 'support@example.com' })
    await search(page, '07700-900-123')
    const refusals = page.locator('section[aria-labelledby="refusals-title"]')
    await expect(refusals.textContent()).resolves.toContain('sends_per_destination')
    await screenshot(page, 'console-person-limit-hit')

    await page.locator('#reason-lift').fill('Ticket 4711: customer locked out after retries')
    await page.getByRole('button', { name: 'Lift limits' }).click()
    await page.waitForURL('**done=limits_lifted**')
    await expect(page.getByRole('status').textContent()).resolves.toContain(
      'limits on this number were lifted',
    )

    const again = await api('POST', '/v1/verifications', { service_id: serviceId, to: LIMITED })
    expect(again.status).toBe(201)

    await page.getByRole('link', { name: 'Audit log' }).click()
    await page.waitForURL('**/console/audit')
    const row = page.locator('tr[data-action="limit.lift"]').first()
    await expect(row.locator('.actor').textContent()).resolves.toContain('support@example.com')
    await expect(row.locator('.reason').textContent()).resolves.toBe(
      'Ticket 4711: customer locked out after retries',
    )
    await expect(row.textContent()).resolves.toContain('+44******0123')
    // In words, with its details as lines and lists (not JSON).
    await expect(row.textContent()).resolves.toContain('Lifted a limit')
    await expect(row.locator('pre').textContent()).resolves.toContain('limits: sends_per_destination, ')
    expect(await seriousA11yViolations(page), describeViolations(await seriousA11yViolations(page))).toEqual(
      [],
    )
    await screenshot(page, 'console-audit')

    // Filters narrow the log.
    await page.getByLabel('Action').selectOption('limit.lift')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL('**action=limit.lift**')
    expect(await page.locator('tbody tr').count()).toBe(1)
    await context.close()
  })

  it('admin: manages staff, reveals a number with a reason (audited), and resends on another channel', async () => {
    const { context, page } = await signIn({ email: 'admin@example.com' })
    await page.getByRole('link', { name: 'Staff' }).click()
    await page.waitForURL('**/console/staff')
    await expect(page.locator('main').textContent()).resolves.toContain('viewer@example.com')
    await screenshot(page, 'console-staff')

    await page.getByRole('link', { name: 'Search' }).click()
    await search(page, '07700 900123')
    await page.locator('#reason-reveal').fill('Caller verified by security questions')
    await page.getByRole('button', { name: 'Reveal the number' }).click()
    await expect(page.locator('h1').textContent()).resolves.toContain(LIMITED)
    await screenshot(page, 'console-person-admin-revealed')

    const audit = await ctx.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'number.reveal')
      .execute()
    expect(audit.map((a) => [a.actor, a.target, a.reason])).toEqual([
      ['admin@example.com', LIMITED, 'Caller verified by security questions'],
    ])

    // One send per number is allowed, so a resend is refused until the number is safe-listed.
    await page.locator('#reason-safe').fill('Known customer; limit too tight for them')
    await page.getByRole('button', { name: 'Add to the safe list' }).click()
    await page.waitForURL('**done=safe_listed**')
    await expect(page.locator('.badge.safe').count()).resolves.toBe(1)
    const pending = page.locator('section[id^="ver_"]').first()
    const verificationId = await pending.getAttribute('id')
    await pending.getByLabel('Channel').selectOption('call')
    await page.locator(`#reason-resend-${verificationId}`).fill('SMS not arriving; trying a voice call')
    await pending.getByRole('button', { name: 'Resend the code' }).click()
    await page.waitForURL('**done=resent**')
    await expect(page.getByRole('status').textContent()).resolves.toContain('sent again')
    const messages = await ctx.deps.stores.outbox.listForVerification(String(verificationId))
    expect(messages.map((m) => m.channel)).toEqual(['sms', 'call'])
    await screenshot(page, 'console-person-admin-resent')
    await context.close()
  })

  it('admin with an API key: signs in, is named by the key in the audit log, and sees the analytics page', async () => {
    const { context, page } = await signIn({ apiKey: adminKey })
    const keyId = `key_${adminKey.slice(4, 28)}`
    await expect(page.locator('header .who').textContent()).resolves.toContain(`api-key ${keyId}`)
    await page.getByRole('link', { name: 'Analytics' }).click()
    await page.waitForURL('**/console/analytics')
    await expect(page.locator('#analytics').getAttribute('data-endpoint')).resolves.toBe(
      '/console/analytics.json',
    )
    await screenshot(page, 'console-analytics')
    const logins = await ctx.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'console.login')
      .execute()
    expect(logins.map((l) => l.actor)).toContain(`api-key ${keyId}`)
    await context.close()
  })
})
