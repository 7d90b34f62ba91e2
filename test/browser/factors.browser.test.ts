/**
 * The factor screens (web/widget/factors) in headless Chromium, inside the real widget against the
 * real server: an authenticator app enrolled by reading the secret off the page and computing codes
 * with otpauth, a passkey registered and used through the DevTools Protocol's virtual
 * authenticator, recovery codes generated and used, replays refused, and axe on every screen.
 *
 * "Use" runs on the hosted page (`/verify/<token>`: "Didn't get the code?" -> "Use your
 * authenticator app, ..."). The hosted page has no enrolment mode, so enrolment runs on a
 * test-only page (registered on this test's app, never in src) holding `<verigate-verify
 * mode="enrol">`, as an app's signed-in settings page would. Run `npm run build` first (dist/web).
 */
import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { Secret, TOTP } from 'otpauth'
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { escapeHtml, sendPage } from '../../src/http/web-assets.js'
import { KyselyPasskeyStore } from '../../src/storage/passkey-store.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { buildTestDeps, createTestKey, createTestService, type TestContext } from '../helpers/test-deps.js'

/** `n` six-digit codes that are none of the codes within two steps of now. */
function wrongCodes(totp: TOTP, n: number): string[] {
  const now = Date.now()
  const near = new Set([-2, -1, 0, 1, 2].map((k) => totp.generate({ timestamp: now + k * 30_000 })))
  const out: string[] = []
  for (let c = 100_000; out.length < n; c += 1) if (!near.has(String(c))) out.push(String(c))
  return out
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise((r) => server.close(r))
  return typeof address === 'object' && address ? address.port : 0
}

describe('factor screens in the browser', () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let context: BrowserContext
  let origin: string
  let serviceId: string
  let adminKey: string

  beforeAll(async () => {
    // WebAuthn wants a secure context and an rpId that is the page's host: http://localhost is
    // both, so the server's origin list needs the port before it starts.
    const port = await freePort()
    origin = `http://localhost:${port}`
    ctx = await buildTestDeps({
      realClock: true,
      config: { webauthn: { rpId: 'localhost', origins: [origin] } },
    })
    app = await buildApp(ctx.deps, { docsUi: false })
    app.get<{ Querystring: { token: string } }>('/settings/security', (request, reply) =>
      sendPage(reply, {
        title: 'Security settings',
        css: 'body{background:#f3f4f6;font-family:system-ui,sans-serif}main{max-width:30rem;margin:2rem auto}',
        scripts: ['widget.js'],
        body: `<main><verigate-verify token="${escapeHtml(request.query.token)}" mode="enrol"></verigate-verify></main>`,
      }),
    )
    await app.listen({ port, host: '127.0.0.1' })
    serviceId = (await createTestService(ctx.deps, { name: 'Acme', brandName: 'Acme' })).id
    adminKey = await createTestKey(ctx.deps, ['admin'])
    browser = await launchBrowser()
    // axe is injected as an inline script, which the pages' CSP (rightly) refuses.
    context = await browser.newContext({ bypassCSP: true })
    // The widget's approval event, where the test can wait for it.
    await context.addInitScript(
      "document.addEventListener('verigate:approved', (e) => { document.documentElement.dataset.approved = e.detail.factor })",
    )
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  async function mintToken(entityId: string, opts: { enrol?: boolean; locale?: string } = {}) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: { authorization: `Bearer ${adminKey}` },
      payload: {
        service_id: serviceId,
        entity_id: entityId,
        allow_enrolment: opts.enrol ?? false,
        ...(opts.locale ? { locale: opts.locale } : {}),
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { session_id: string; token: string }
  }

  async function sessionResult(sessionId: string) {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/client-sessions/${sessionId}`,
      headers: { authorization: `Bearer ${adminKey}` },
    })
    expect(res.statusCode, res.body).toBe(200)
    return (res.json() as { result: { approved: boolean; factor: string } | null }).result
  }

  /** The signed-in settings page with the widget in enrolment mode. */
  async function openEnrol(page: Page, entityId: string) {
    const minted = await mintToken(entityId, { enrol: true })
    await page.goto(`${origin}/settings/security?token=${minted.token}`)
    await page.getByRole('heading', { name: 'Sign-in methods' }).waitFor()
    return minted
  }

  /**
   * Each user has a number of their own: a session joins a pending verification to the same number
   * only when another session of the same user started it (docs/client-api.md).
   */
  const numbers = new Map<string, string>()
  const numberOf = (entityId: string) => {
    if (!numbers.has(entityId)) numbers.set(entityId, `+447700900${123 + numbers.size}`)
    return numbers.get(entityId)!
  }

  /** The hosted page after an SMS that did not arrive: "Didn't get the code?" -> the factors. */
  async function openUse(page: Page, entityId: string, locale?: string) {
    const minted = await mintToken(entityId, { locale })
    const started = await app.inject({
      method: 'POST',
      url: '/v1/client/verification',
      headers: { authorization: `Bearer ${minted.token}` },
      payload: { to: numberOf(entityId), channel: 'sms' },
    })
    expect(started.statusCode, started.body).toBe(201)
    await page.goto(`${origin}/verify/${minted.token}`)
    await page.locator('verigate-verify details.more > summary').click()
    await page.locator('verigate-verify button.help').click()
    await page.locator('verigate-verify button.use-factor').click()
    await page.locator('.vgf h2').waitFor()
    return minted
  }

  async function expectAccessible(page: Page, name: string) {
    await screenshot(page, name)
    const violations = await seriousA11yViolations(page)
    expect(violations, describeViolations(violations)).toEqual([])
  }

  /** At 360 px (a small phone) the screen fits without scrolling sideways. */
  async function expectFitsPhone(page: Page, name: string) {
    const size = page.viewportSize()
    await page.setViewportSize({ width: 360, height: 740 })
    await screenshot(page, name)
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360)
    if (size) await page.setViewportSize(size)
  }

  const status = (page: Page) => page.locator('.vgf-live')
  const fieldError = (page: Page) => page.locator('.vgf-msg.vgf-err')
  const approved = (page: Page, factor: string) => page.locator(`html[data-approved="${factor}"]`).waitFor()

  it('enrols an authenticator app from the secret on the page, then verifies with a fresh code and refuses a replay', async () => {
    const page = await context.newPage()
    await openEnrol(page, 'user-totp')
    await expect.poll(() => page.locator('.vgf-list').textContent()).toContain('No methods set up yet.')
    await expectAccessible(page, 'factors-enrol-home')

    await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor()
    const shown = (await page.locator('code.vgf-mono').textContent()) ?? ''
    expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/)
    expect(await page.getByRole('link', { name: 'Open in authenticator app' }).getAttribute('href')).toMatch(
      /^otpauth:\/\/totp\//,
    )
    await expectAccessible(page, 'factors-enrol-totp')
    await expectFitsPhone(page, 'factors-enrol-totp-360')

    const totp = new TOTP({
      secret: Secret.fromBase32(shown.replace(/\s/g, '')),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    })
    // Enrol with the current step and sign in with the next (both inside the ±1 step skew), so a
    // step boundary between computing and checking cannot make either code stale.
    const now = Date.now()
    const enrolCode = totp.generate({ timestamp: now })
    const nextCode = totp.generate({ timestamp: now + 30_000 })
    await page.getByLabel('6-digit code').fill(enrolCode)
    await page.getByRole('button', { name: 'Confirm' }).click()
    await expect.poll(() => status(page).textContent()).toBe('Authenticator app added.')
    await expect.poll(() => page.locator('.vgf-list').textContent()).toContain('Authenticator app')
    await screenshot(page, 'factors-enrol-home-with-app')

    // Use: "Didn't get the code?" -> authenticator app.
    const use = await openUse(page, 'user-totp')
    expect(await page.locator('.vgf-opts button').allTextContents()).toEqual([
      'Enter a code from your authenticator app',
    ])
    await expectAccessible(page, 'factors-use-home')
    await page.getByRole('button', { name: 'Enter a code from your authenticator app' }).click()
    const input = page.getByLabel('6-digit code')
    expect(await input.getAttribute('autocomplete')).toBe('one-time-code')
    expect(await input.getAttribute('inputmode')).toBe('numeric')
    const [wrong] = wrongCodes(totp, 1)
    await input.fill(wrong!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect
      .poll(() => fieldError(page).textContent())
      .toBe('That code is not right. Check it and try again.')
    expect(await input.getAttribute('aria-invalid')).toBe('true')
    await expectAccessible(page, 'factors-use-totp-wrong')

    await input.fill(nextCode)
    await page.getByRole('button', { name: 'Verify' }).click()
    await approved(page, 'totp')
    await page.getByRole('heading', { name: 'Verified' }).waitFor()
    await screenshot(page, 'factors-use-totp-approved')
    expect(await sessionResult(use.session_id)).toMatchObject({ approved: true, factor: 'totp' })

    // The same code again, in a new session: refused as a replay.
    const again = await openUse(page, 'user-totp')
    await page.getByRole('button', { name: 'Enter a code from your authenticator app' }).click()
    await page.getByLabel('6-digit code').fill(nextCode)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect
      .poll(() => fieldError(page).textContent())
      .toBe('That code was already used. Wait for the next one.')
    expect(await page.locator('html[data-approved]').count()).toBe(0)
    expect(await sessionResult(again.session_id)).toBeNull()
    await page.close()
  })

  it('says how long to wait when the authenticator app is locked after wrong codes', async () => {
    const page = await context.newPage()
    const { deps } = ctx
    const enrolled = await deps.factors.enrol({ serviceId, entityId: 'user-locked', friendlyName: 'Phone' })
    const totp = new TOTP({
      secret: Secret.fromBase32(enrolled.secret),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    })
    await deps.factors.verify(serviceId, 'user-locked', enrolled.factor.id, totp.generate())
    await openUse(page, 'user-locked')
    await page.getByRole('button', { name: 'Enter a code from your authenticator app' }).click()
    const verify = page.getByRole('button', { name: 'Verify' })
    for (const code of wrongCodes(totp, 5)) {
      await page.getByLabel('6-digit code').fill(code)
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/client/factors/totp/check')),
        verify.click(),
      ])
    }
    await expect
      .poll(() => fieldError(page).textContent())
      .toMatch(/^Too many tries\. Try again in \d+ seconds\.$/)
    expect(await verify.isDisabled()).toBe(true)
    await screenshot(page, 'factors-use-totp-locked')
    await page.close()
  })

  it('registers a passkey through a virtual authenticator and signs in with it; the counter moves forward', async () => {
    const page = await context.newPage()
    const cdp: CDPSession = await page.context().newCDPSession(page)
    await cdp.send('WebAuthn.enable')
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    })

    await openEnrol(page, 'user-pk')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByLabel('Name for this passkey').fill('Test laptop')
    await expectAccessible(page, 'factors-enrol-passkey')
    await page.getByRole('button', { name: 'Create passkey' }).click()
    await expect.poll(() => status(page).textContent()).toBe('Passkey added.')
    await expect.poll(() => page.locator('.vgf-list').textContent()).toContain('Test laptop')

    const store = new KyselyPasskeyStore(ctx.deps.db)
    const [registered] = await store.list(serviceId, 'user-pk')
    expect(registered?.friendlyName).toBe('Test laptop')
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials.map((c) => Buffer.from(c.credentialId, 'base64').toString('base64url'))).toEqual([
      registered!.id,
    ])

    const use = await openUse(page, 'user-pk')
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await approved(page, 'passkey')
    expect(await sessionResult(use.session_id)).toMatchObject({ approved: true, factor: 'passkey' })
    const used = await store.get(serviceId, registered!.id)
    expect(used!.counter).toBeGreaterThan(registered!.counter)
    expect(used!.lastUsedAt).not.toBeNull()

    // When the user does not verify (fingerprint refused), the failure is explained and a retry offered.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false })
    await openUse(page, 'user-pk')
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await expect
      .poll(() => fieldError(page).textContent())
      .toBe('The passkey request was canceled or timed out.')
    await expectAccessible(page, 'factors-use-passkey-refused')
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true })
    await page.getByRole('button', { name: 'Try again' }).click()
    await approved(page, 'passkey')
    expect((await store.get(serviceId, registered!.id))!.counter).toBeGreaterThan(used!.counter)
    await page.close()
  })

  it('generates recovery codes shown once, signs in with one and refuses it the second time', async () => {
    const page = await context.newPage()
    await openEnrol(page, 'user-rc')
    await page.getByRole('button', { name: 'Create recovery codes' }).click()
    expect(await page.locator('.vgf-warn').count()).toBe(0)
    await page.getByRole('button', { name: 'Create codes' }).click()
    const codes = page.locator('ol.vgf-codes li')
    await expect.poll(() => codes.count()).toBe(10)
    const list = await codes.allTextContents()
    const done = page.getByRole('button', { name: 'Done' })
    expect(await done.isDisabled()).toBe(true)
    await expectAccessible(page, 'factors-enrol-recovery-codes')
    await expectFitsPhone(page, 'factors-enrol-recovery-codes-360')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('recovery-codes.txt')
    await page.getByLabel('I have saved these codes').check()
    await done.click()
    await expect.poll(() => status(page).textContent()).toBe('Recovery codes saved.')
    await expect.poll(() => page.locator('.vgf-list').textContent()).toContain('Recovery codes: 10 left')
    expect(await page.locator('ol.vgf-codes').count()).toBe(0)
    // Creating again warns that the current set stops working.
    await page.getByRole('button', { name: 'Create recovery codes' }).click()
    expect(await page.locator('.vgf-warn').textContent()).toBe(
      'Creating new codes revokes your current ones.',
    )

    const use = await openUse(page, 'user-rc')
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await page.getByLabel('Recovery code').fill(list[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await approved(page, 'recovery_code')
    expect(await sessionResult(use.session_id)).toMatchObject({ approved: true, factor: 'recovery_code' })

    await openUse(page, 'user-rc')
    await page.getByRole('button', { name: 'Use a recovery code' }).click()
    await page.getByLabel('Recovery code').fill(list[0]!)
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect
      .poll(() => fieldError(page).textContent())
      .toBe('That recovery code is not valid or was already used.')
    await expectAccessible(page, 'factors-use-recovery-refused')
    await page.close()
  })

  it('speaks the session language, right to left for Arabic, and Back returns to the code entry', async () => {
    const page = await context.newPage()
    await openUse(page, 'user-rc', 'ar')
    expect(await page.locator('.vgf').getAttribute('dir')).toBe('rtl')
    expect(await page.locator('.vgf h2').textContent()).toBe('طرق أخرى للتحقق')
    expect(await page.locator('.vgf-opts button').allTextContents()).toEqual(['استخدم رمز استرداد'])
    await expectAccessible(page, 'factors-use-home-ar')
    await page.getByRole('button', { name: 'رجوع' }).click()
    await expect.poll(() => page.locator('.vgf').count()).toBe(0)
    await page.locator('verigate-verify button.help').waitFor()
    await page.close()
  })
})
