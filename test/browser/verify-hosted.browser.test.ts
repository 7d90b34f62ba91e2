/**
 * The hosted verification page (`/verify/<token>`) in real Chromium: resume on another browser with
 * no shared cookies, an expired code and starting again, accessibility (axe, WCAG A/AA) of every
 * main state, a 360 px wide phone, and a right-to-left language.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Service } from '../../src/services/service.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { createTestService } from '../helpers/test-deps.js'
import {
  codeFor,
  hasFocus,
  horizontalOverflow,
  naturalWidth,
  startVerifyServer,
  type VerifyServer,
  widget,
  widgetVerificationId,
} from './verify-harness.js'

describe('hosted verification page', () => {
  let server: VerifyServer
  let browser: TestBrowser
  let service: Service
  let shortLived: Service
  beforeAll(async () => {
    server = await startVerifyServer()
    browser = await launchBrowser()
    service = await createTestService(server.deps, {
      name: 'Acme Wallet',
      channels: ['sms', 'call', 'whatsapp', 'email'],
      fallbackChannels: ['call'],
    })
    shortLived = await createTestService(server.deps, {
      name: 'Quick Codes',
      codeTtlSeconds: 3,
      channels: ['sms', 'call'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  /** A client token, as the app's server would mint it with its API key. */
  const mint = async (opts: { service?: Service; locale?: string; entityId?: string } = {}) => {
    const { token } = await server.deps.clientSessions.mint({
      serviceId: (opts.service ?? service).id,
      defaultCountry: 'GB',
      locale: opts.locale,
      entityId: opts.entityId,
    })
    return `${server.url}/verify/${token}`
  }

  const sendCode = async (page: Page, national: string) => {
    const w = widget(page)
    await w.phone.fill(national)
    await w.send.click()
    await w.code.waitFor()
    await w.step('delivered').waitFor({ state: 'attached' })
  }

  const expectNoSeriousViolations = async (page: Page, state: string) => {
    const violations = await seriousA11yViolations(page)
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([])
  }

  it('resume: the link opened in another browser (no shared cookies) continues the same verification', async () => {
    const first = await browser.newContext()
    const pageA = await first.newPage()
    await pageA.goto(await mint())
    await sendCode(pageA, '07700 900201')
    const a = widget(pageA)
    await a.openMore()
    await a.root.locator('details.resume > summary').click()
    const link = a.root.locator('a.resume-link')
    const resumeUrl = (await link.getAttribute('href'))!
    expect(resumeUrl).toMatch(/\/verify\/vct_/)
    const qr = a.root.locator('img.qr')
    await expect.poll(() => naturalWidth(qr)).toBeGreaterThan(0)
    await screenshot(pageA, 'verify-hosted-resume-first-browser')
    const verificationA = await widgetVerificationId(pageA)

    const second = await browser.newContext()
    expect(await second.cookies()).toEqual([])
    const pageB = await second.newPage()
    await pageB.goto(resumeUrl)
    const b = widget(pageB)
    await b.code.waitFor()
    // The lead line masks the number; the full one is behind "Didn't get it?".
    expect(await b.root.locator('.sent-to').textContent()).toContain('***0201')
    expect(await b.root.locator('.sent-to-full').textContent()).toContain('+44 7700 900201')
    await b.step('delivered').waitFor({ state: 'attached' })
    const verificationB = await widgetVerificationId(pageB)
    expect(verificationB).toBe(verificationA)
    await b.code.fill(await codeFor(server.deps, '+447700900201'))
    await b.heading.filter({ hasText: 'Verified' }).waitFor()
    await screenshot(pageB, 'verify-hosted-resume-second-browser')
    // The first browser learns it over the live stream.
    await a.heading.filter({ hasText: 'Verified' }).waitFor()
    await first.close()
    await second.close()
  })

  it('expired code: says so and starts again with a new code', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint({ service: shortLived }))
    await sendCode(page, '07700 900202')
    const w = widget(page)
    const expired = w.root.locator('[data-state="expired"]')
    await expired.waitFor({ timeout: 8000 })
    expect(await expired.textContent()).toBe('This code has expired.')
    await screenshot(page, 'verify-hosted-expired')
    await w.root.locator('button', { hasText: 'Start again' }).click()
    expect(await w.phone.inputValue()).toBe('07700 900202')
    await w.send.click()
    await w.code.waitFor()
    await expect.poll(() => server.deps.simulator!.inbox.list({ to: '+447700900202' }).length).toBe(2)
    await w.code.fill(await codeFor(server.deps, '+447700900202'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('too many wrong codes: each one counts down, then the widget offers to start again', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint())
    await sendCode(page, '07700 900207')
    const w = widget(page)
    const right = await codeFor(server.deps, '+447700900207')
    const wrong = ['111111', '222222', '333333', '444444', '555555', '666666'].filter((c) => c !== right)
    for (const [i, code] of wrong.slice(0, 4).entries()) {
      await w.code.fill(code)
      await w.codeMessage.filter({ hasText: `Tries left: ${4 - i}.` }).waitFor()
    }
    await w.code.fill(wrong[4]!)
    const ended = w.root.locator('[data-state="failed"]')
    await ended.waitFor()
    expect(await ended.textContent()).toBe('Too many wrong codes. Start again to get a new code.')
    expect(await hasFocus(w.root.locator('button', { hasText: 'Start again' }))).toBe(true)
    await context.close()
  })

  it('email: "Use email instead", the code arrives by email and approves', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint())
    const w = widget(page)
    await w.root.locator('button', { hasText: 'Use email instead' }).click()
    const email = w.root.locator('#vg-email')
    await email.fill('not-an-address')
    await w.send.click()
    await w.phoneMessage.filter({ hasText: 'Enter a valid email address.' }).waitFor()
    await email.fill('ada@example.com')
    await w.send.click()
    await w.code.waitFor()
    expect(await w.root.locator('.sent-to').textContent()).toContain('by email')
    await w.code.fill(await codeFor(server.deps, 'ada@example.com'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('without the live stream (blocked by a proxy), the status still updates by polling', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    let streamTries = 0
    await page.route('**/v1/client/verification/stream**', (route) => {
      streamTries += 1
      return route.abort()
    })
    await page.goto(await mint())
    await sendCode(page, '07700 900206')
    expect(streamTries).toBeGreaterThan(0)
    const w = widget(page)
    await w.code.fill(await codeFor(server.deps, '+447700900206'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('axe: no serious or critical violations on the page and in each main state of the widget', async () => {
    // axe is injected as an inline script, which the page's CSP (rightly) refuses.
    const context = await browser.newContext({ bypassCSP: true })
    const page = await context.newPage()
    await page.goto(await mint())
    const w = widget(page)
    await w.phone.waitFor()
    await expectNoSeriousViolations(page, 'phone entry')
    await w.phone.fill('+44 07700 900203')
    await w.phoneMessage.locator('button.suggestion').waitFor()
    await expectNoSeriousViolations(page, 'phone entry with a problem')
    await w.phoneMessage.locator('button.suggestion').click()
    await w.send.click()
    await w.code.waitFor()
    await w.step('delivered').waitFor({ state: 'attached' })
    await expectNoSeriousViolations(page, 'code entry with status')
    await w.openMore()
    await w.root.locator('details.resume > summary').click()
    await expectNoSeriousViolations(page, 'code entry with "Didn\'t get it?" open')
    await w.code.fill('000000')
    await w.codeMessage.filter({ hasText: 'Tries left' }).waitFor()
    await expectNoSeriousViolations(page, 'code entry with a wrong code')
    await w.openMore()
    await w.help.click()
    await w.root.locator('section.cause').first().waitFor()
    await expectNoSeriousViolations(page, 'help panel')
    await screenshot(page, 'verify-hosted-help')
    await w.root.locator('button.back').click()
    await w.code.fill(await codeFor(server.deps, '+447700900203'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await expectNoSeriousViolations(page, 'approved')
    await context.close()
  })

  it('axe: the demo page has no serious or critical violations', async () => {
    const context = await browser.newContext({ bypassCSP: true })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    await widget(page).phone.waitFor()
    await expectNoSeriousViolations(page, 'demo')
    await context.close()
  })

  it('keyboard only: the number has the focus at load, type, Enter sends and focus lands on the code field', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint())
    const w = widget(page)
    await w.phone.waitFor()
    await expect.poll(() => hasFocus(w.phone)).toBe(true)
    // The country picker is one Shift+Tab away, and Tab comes back to the number.
    await page.keyboard.press('Shift+Tab')
    expect(await hasFocus(w.country)).toBe(true)
    await page.keyboard.press('Tab')
    expect(await hasFocus(w.phone)).toBe(true)
    await page.keyboard.type('07700 900204')
    await page.keyboard.press('Enter')
    await w.code.waitFor()
    await expect.poll(() => hasFocus(w.code)).toBe(true)
    await page.keyboard.type(await codeFor(server.deps, '+447700900204'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('as you type: the digits so far are grouped the way the country writes them', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint())
    const w = widget(page)
    await w.country.selectOption('GB')
    await w.phone.click()
    await page.keyboard.type('0770090')
    await expect.poll(() => w.phone.inputValue()).toBe('07700 90')
    await page.keyboard.type('0205')
    await expect.poll(() => w.phone.inputValue()).toBe('07700 900205')
    await w.country.selectOption('US')
    await w.phone.fill('')
    await page.keyboard.type('2015550')
    await expect.poll(() => w.phone.inputValue()).toBe('(201) 555-0')
    await context.close()
  })

  it('360 px wide: no horizontal scrolling on the hosted page and the demo', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    const overflow = () => horizontalOverflow(page)
    await page.goto(await mint())
    const w = widget(page)
    await w.phone.waitFor()
    expect(await overflow()).toBe(0)
    await screenshot(page, 'verify-hosted-360-phone')
    await sendCode(page, '07700 900205')
    await w.openMore()
    await w.root.locator('details.resume > summary').click()
    expect(await overflow()).toBe(0)
    await screenshot(page, 'verify-hosted-360-code')
    await page.goto(`${server.url}/demo`)
    await w.phone.waitFor()
    expect(await overflow()).toBe(0)
    await screenshot(page, 'verify-demo-360')
    await context.close()
  })

  it('Arabic: right-to-left, translated, with country names in Arabic', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(await mint({ locale: 'ar' }))
    expect(await page.getAttribute('html', 'lang')).toBe('ar')
    const w = widget(page)
    await w.heading.filter({ hasText: 'تحقق من رقم هاتفك' }).waitFor()
    expect(await w.root.locator('.vg').getAttribute('dir')).toBe('rtl')
    expect(await w.country.locator('option[value="GB"]').textContent()).toContain('المملكة المتحدة')
    await screenshot(page, 'verify-hosted-arabic')
    await context.close()
  })

  it('an unknown token: the page explains the link is not valid', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/verify/vct_not-a-real-token`)
    await widget(page)
      .root.locator('[role="alert"]', { hasText: 'This verification link is not valid.' })
      .waitFor()
    await context.close()
  })
})
