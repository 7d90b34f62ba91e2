/**
 * What a person trips over on the verification page, checked in real Chromium at 360 px and
 * 1280 px (issue: the page, the widget and the console, finished as a product):
 * 1. a refused Send counts down in minutes and seconds, in the person's language, and stays
 *    disabled, with the other ways to get a code beside it; the resend countdown moves each second;
 * 2. Arabic keeps phone numbers in left-to-right order, and each inbox message gets its own direction;
 * 4. the code view leads with one code field and one line, the rest behind "Didn't get it?";
 * 5. a landline's code view offers no SMS or WhatsApp, call help never asks to allow a sender,
 *    times have one format, the SMS comes from the service's brand, the demo shows a "New SMS"
 *    banner on a phone, and the simulator page does not scroll sideways nor wrap a message's time.
 * axe runs in every state; screenshots of each go to test-artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core'
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
  horizontalOverflow,
  isShown,
  startVerifyServer,
  substringBoxes,
  type VerifyServer,
  widget,
} from './verify-harness.js'

const WIDTHS = [360, 1280] as const

/** The part of a DOM Range this file uses in the page (it is compiled without DOM types). */
interface InPageRange {
  selectNodeContents(node: unknown): void
  getClientRects(): ArrayLike<unknown>
}

describe('verification page: the details a person trips over', () => {
  let server: VerifyServer
  /** Default per-number limits, so a resend is possible once the 30 s cooldown is over. */
  let plain: VerifyServer
  let browser: TestBrowser
  let service: Service
  let plainService: Service
  beforeAll(async () => {
    plain = await startVerifyServer({ limits: { resendCooldownSeconds: [30] } })
    plainService = await createTestService(plain.deps, {
      name: 'Acme Wallet',
      channels: ['sms', 'call', 'whatsapp', 'email'],
    })
    // One SMS per number per 10 minutes: the second start to a number is refused for ~10 min.
    server = await startVerifyServer({
      limits: { sendsPerDestination: { points: 1, durationSeconds: 600 }, resendCooldownSeconds: [30] },
    })
    browser = await launchBrowser()
    service = await createTestService(server.deps, {
      name: 'Acme Wallet',
      channels: ['sms', 'call', 'whatsapp', 'email'],
      fallbackChannels: ['call'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await plain?.close()
  })

  const open = async (width: number, opts: { locale?: string; on?: 'plain' } = {}) => {
    const target = opts.on === 'plain' ? plain : server
    // bypassCSP only so axe can be injected; the page's own scripts are unaffected.
    const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true })
    const page = await context.newPage()
    const { token } = await target.deps.clientSessions.mint({
      serviceId: opts.on === 'plain' ? plainService.id : service.id,
      defaultCountry: 'GB',
      locale: opts.locale,
    })
    await page.goto(`${target.url}/verify/${token}`)
    await widget(page).phone.waitFor()
    return { context, page }
  }
  const expectAccessible = async (page: Page, state: string) => {
    const violations = await seriousA11yViolations(page)
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([])
  }
  const close = (context: BrowserContext) => context.close()

  for (const width of WIDTHS) {
    it(`${width} px: a refused Send counts down in minutes and seconds, stays disabled and offers email`, async () => {
      const number = `07700 9004${width === 360 ? '11' : '12'}`
      const e164 = `+44${number.replace(/\D/g, '').slice(1)}`
      // Someone already had the one SMS this number may get in 10 minutes.
      const first = await server.deps.verifier.start({ serviceId: service.id, to: e164, channel: 'sms' })
      await server.deps.verifier.cancel(first.verification.id)

      const { context, page } = await open(width)
      const w = widget(page)
      await w.phone.fill(number)
      await w.send.click()
      const message = w.phoneMessage.locator('p.error')
      await message.filter({ hasText: 'Too many requests. Try again in' }).waitFor()
      const before = await message.textContent()
      expect(before).toMatch(/^Too many requests\. Try again in (10 min|9 min, \d{1,2} sec)\.$/)
      expect(await w.send.isDisabled()).toBe(true)
      // The wait is a live timer: its text changes every second, and Send stays disabled.
      await expect.poll(() => message.textContent(), { timeout: 3000 }).not.toBe(before)
      expect(await w.send.isDisabled()).toBe(true)
      expect(await w.root.locator('span.wait[role="timer"]').count()).toBe(1)
      // The way around the wait is right there.
      expect(await w.phoneMessage.locator('button.use-email').textContent()).toBe('Use email instead')
      // ...once: the form's own "Use email instead" link steps aside while the refusal offers it.
      const useEmail = w.root.getByRole('button', { name: 'Use email instead' })
      const visible = async () => {
        const shown: boolean[] = []
        for (const b of await useEmail.all()) shown.push(await b.isVisible())
        return shown.filter(Boolean).length
      }
      expect(await visible()).toBe(1)
      // "... in 9 min, 58 sec." is one sentence: nothing of it wraps alone on a narrow phone.
      const lines = await message.evaluate((el) => {
        const e = el as unknown as {
          getClientRects(): ArrayLike<unknown>
          getBoundingClientRect(): { height: number }
        }
        return e.getBoundingClientRect().height
      })
      expect(lines).toBeLessThan(width === 360 ? 70 : 40)
      await screenshot(page, `verify-refused-countdown-${width}`)
      await expectAccessible(page, 'refused with a countdown')
      // Another number is not held.
      await w.phone.fill('07700 900499')
      await expect.poll(() => w.send.isDisabled()).toBe(false)
      await close(context)
    })
  }

  it('the wait speaks the person’s language (Spanish), through Intl', async () => {
    const e164 = '+447700900413'
    const first = await server.deps.verifier.start({ serviceId: service.id, to: e164, channel: 'sms' })
    await server.deps.verifier.cancel(first.verification.id)
    const { context, page } = await open(1280, { locale: 'es' })
    const w = widget(page)
    await w.phone.fill('07700 900413')
    await w.send.click()
    const message = w.phoneMessage.locator('p.error')
    await message.filter({ hasText: 'Demasiadas solicitudes' }).waitFor()
    expect(await message.textContent()).toMatch(
      /^Demasiadas solicitudes\. Inténtalo de nuevo en (10 min|9 min y \d{1,2} s)\.$/,
    )
    await close(context)
  })

  for (const width of WIDTHS) {
    it(`${width} px: the code view leads with one code field and one line; the rest is behind "Didn't get it?"`, async () => {
      const { context, page } = await open(width, { on: 'plain' })
      const w = widget(page)
      const n = width === 360 ? '21' : '22'
      await w.phone.fill(`07700 9004${n}`)
      await w.send.click()
      await w.code.waitFor()
      await w.step('delivered').waitFor({ state: 'attached' })
      // One input for the code (screen readers hear one field), filled by autofill and paste.
      expect(await w.root.locator('form input').count()).toBe(1)
      expect(await w.code.getAttribute('autocomplete')).toBe('one-time-code')
      expect(await w.code.getAttribute('inputmode')).toBe('numeric')
      // The segmented look is drawn behind that one input, one box per digit.
      const box = w.root.locator('.code-box')
      expect(
        await box.evaluate((el) =>
          (el as unknown as { style: { getPropertyValue(p: string): string } }).style.getPropertyValue(
            '--cells',
          ),
        ),
      ).toBe('6')
      // The lead line: masked number, channel and the countdown.
      expect(await w.root.locator('.sent-to').textContent()).toMatch(
        new RegExp(`^Code sent to \\*\\*\\*04${n} by SMS · Resend in 0:(29|30|28)$`),
      )
      // The countdown moves every second.
      const first = await w.resend.textContent()
      await expect.poll(() => w.resend.textContent(), { timeout: 3000 }).not.toBe(first)
      expect(await w.resend.isDisabled()).toBe(true)
      // What is on screen: the code field, Verify, the countdown and "Didn't get it?"; no timeline.
      const controls = await w.root
        .locator('button, input, select, summary, a')
        .evaluateAll(
          (els) =>
            els.filter((e) => (e as unknown as { checkVisibility(): boolean }).checkVisibility()).length,
        )
      expect(controls).toBe(4)
      expect(await isShown(w.timeline)).toBe(false)
      expect(await w.status.textContent()).toMatch(/Delivered \(SMS\)/)
      await screenshot(page, `verify-code-view-${width}`)
      await expectAccessible(page, 'code view')
      await w.openMore()
      expect(await isShown(w.timeline)).toBe(true)
      expect(await w.root.locator('.sent-to-full').textContent()).toContain(`+44 7700 9004${n}`)
      await screenshot(page, `verify-code-view-more-${width}`)
      await expectAccessible(page, 'code view, "Didn\'t get it?" open')
      expect(await horizontalOverflow(page)).toBe(0)
      await w.code.fill(await codeFor(plain.deps, `+4477009004${n}`))
      await w.heading.filter({ hasText: 'Verified' }).waitFor()
      await close(context)
    })
  }

  for (const width of WIDTHS) {
    it(`${width} px, Arabic: "+966" stays left of the rest of the number, in the suggestion and the sent-to lines`, async () => {
      const { context, page } = await open(width, { locale: 'ar' })
      const w = widget(page)
      const last = width === 360 ? '4567' : '4568'
      await w.phone.fill(`+966 050 123 ${last}`)
      const suggestion = w.phoneMessage.locator('button.suggestion')
      await suggestion.waitFor()
      const [code, rest] = await substringBoxes(suggestion, ['+966', last])
      expect(code!.right).toBeLessThanOrEqual(rest!.left)
      await screenshot(page, `verify-arabic-suggestion-${width}`)
      await expectAccessible(page, 'Arabic suggestion')
      await suggestion.click()
      await w.send.click()
      await w.code.waitFor()
      const [stars, digits] = await substringBoxes(w.root.locator('.sent-to bdi'), ['***', last])
      expect(stars!.right).toBeLessThanOrEqual(digits!.left)
      await w.openMore()
      const [plus, tail] = await substringBoxes(w.root.locator('.sent-to-full'), ['+966', last])
      expect(plus!.right).toBeLessThanOrEqual(tail!.left)
      // The page itself reads right to left.
      expect(await w.root.locator('.vg').getAttribute('dir')).toBe('rtl')
      await screenshot(page, `verify-arabic-code-${width}`)
      await expectAccessible(page, 'Arabic code view')
      await close(context)
    })
  }

  it('a landline: the code view offers a call only, and the help never asks to allow a sender', async () => {
    const { context, page } = await open(1280)
    const w = widget(page)
    await w.phone.fill('020 7946 0001')
    await w.phoneMessage.locator('.box').waitFor()
    await w.root.locator('.box button.primary').click()
    await w.code.waitFor()
    expect(await w.root.locator('.sent-to').textContent()).toContain('by voice call')
    await w.openMore()
    await expect.poll(() => w.root.locator('.other button').allTextContents()).toEqual(['Email me a code'])
    expect(await w.root.locator('button[data-channel="sms"], button[data-channel="whatsapp"]').count()).toBe(
      0,
    )
    await screenshot(page, 'verify-landline-code-view')
    await w.help.click()
    await w.root.locator('section.cause').first().waitFor()
    expect(await w.root.locator('.causes').textContent()).not.toContain('Allow messages from')
    await screenshot(page, 'verify-landline-help')
    await expectAccessible(page, 'landline help')
    await close(context)
  })

  it('times have one format: the timeline and the demo inbox write them the same way', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const w = widget(page)
    await w.phone.waitFor()
    await w.phone.fill('07700 900123')
    await w.send.click()
    await w.code.waitFor()
    await w.step('delivered').waitFor({ state: 'attached' })
    await page.locator('#inbox li time').first().waitFor()
    const format = /^\d{1,2}:\d{2}:\d{2}\s?(AM|PM)$/
    expect(await w.root.locator('ol.timeline time').first().textContent()).toMatch(format)
    expect(await page.locator('#inbox li time').first().textContent()).toMatch(format)
    expect(await w.status.locator('time').textContent()).toMatch(format)
    // The SMS comes from the service's brand where the route allows a sender name.
    const sms = page.locator('#inbox li').filter({ hasText: 'SMS to +447700900123' }).first()
    expect(await sms.locator('.from').textContent()).toBe('CoinHarbor')
    await close(context)
  })

  it('the demo inbox gives each message its own direction: Arabic right to left, English left to right', async () => {
    await server.deps.verifier.start({
      serviceId: service.id,
      to: '+966501234777',
      channel: 'sms',
      locale: 'ar',
    })
    await server.deps.verifier.start({
      serviceId: service.id,
      to: '+447700900777',
      channel: 'sms',
      locale: 'en',
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const body = (to: string) =>
      page
        .locator('#inbox li')
        .filter({ hasText: `SMS to ${to}` })
        .first()
        .locator('.body')
    await body('+966501234777').waitFor()
    await body('+447700900777').waitFor()
    const direction = (to: string) =>
      body(to).evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { direction: string } }).getComputedStyle(
            el,
          ).direction,
      )
    expect(await direction('+966501234777')).toBe('rtl')
    expect(await direction('+447700900777')).toBe('ltr')
    await close(context)
  })

  it('360 px demo: a "New SMS" banner with the code shows at the top while the inbox is out of view', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const w = widget(page)
    await w.phone.waitFor()
    await page.locator('#demo-number').fill('+447700900431')
    await page.locator('#demo-number').dispatchEvent('change')
    await page.locator('#scenario-status').filter({ hasText: '+447700900431' }).waitFor()
    await w.phone.fill('07700 900431')
    await w.send.click()
    await w.code.waitFor()
    const banner = page.locator('#sms-banner')
    await banner.waitFor()
    const code = await codeFor(server.deps, '+447700900431')
    expect(await banner.locator('#sms-banner-text').textContent()).toBe(`New SMS: ${code}`)
    // It sits in the viewport, above the code field, on a phone.
    const box = await banner.boundingBox()
    expect(box!.y).toBeLessThan(60)
    expect(await horizontalOverflow(page)).toBe(0)
    await screenshot(page, 'verify-demo-360-new-sms-banner')
    await expectAccessible(page, 'demo with the banner')
    await page.locator('#sms-banner-close').click()
    expect(await banner.isHidden()).toBe(true)
    await close(context)
  })

  it('360 px simulator page: no sideways scrolling, and no test number is cut off', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(`${server.url}/simulator`)
    await page.locator('td.num code').first().waitFor()
    expect(await horizontalOverflow(page)).toBe(0)
    const cut = await page.locator('td.num code').evaluateAll(
      (els) =>
        els.filter((e) => {
          const r = (
            e as unknown as { getBoundingClientRect(): { left: number; right: number } }
          ).getBoundingClientRect()
          return r.left < 0 || r.right > 360
        }).length,
    )
    expect(cut).toBe(0)
    // A message's time stays on one line beside who sent it ("9:17:32 PM", not "PM" alone below).
    await server.deps.verifier.start({ serviceId: service.id, to: '+447700900778', channel: 'sms' })
    await page.locator('.msg .meta time').first().waitFor()
    // Its text's line boxes: one, not "9:17:32" and then "PM" below it.
    const wrapped = await page.locator('.msg .meta time').evaluateAll((els) => {
      const doc = (globalThis as unknown as { document: { createRange(): InPageRange } }).document
      return els.filter((e) => {
        const range = doc.createRange()
        range.selectNodeContents(e)
        return range.getClientRects().length > 1
      }).length
    })
    expect(wrapped).toBe(0)
    await screenshot(page, 'simulator-360')
    await expectAccessible(page, 'simulator page')
    await close(context)
  })
})
