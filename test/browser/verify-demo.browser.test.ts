/**
 * The demo end to end in real Chromium: CoinHarbor's sign-up with the widget beside the simulated
 * phone. Happy path with autofill and paste, a mistyped number fixed by the suggestion, a carrier
 * block recovered by a voice call, and the resend countdown with a refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.js'
import {
  codeFor,
  hasFocus,
  nextApproval,
  openDemo,
  paste,
  startVerifyServer,
  type VerifyServer,
  widget,
} from './verify-harness.js'

/**
 * The phone's half of WebOTP for desktop Chromium, which has no SMS receiver: it answers
 * navigator.credentials.get({ otp }) with the code of the newest SMS to `number` (as Android
 * Chrome does once the person taps "Allow"), and records the requests. The rest is the widget's.
 */
const WEB_OTP_PHONE = (number: string) => `
window.OTPCredential = class {};
window.__otpRequests = [];
const original = navigator.credentials.get.bind(navigator.credentials);
navigator.credentials.get = async (options) => {
  if (!options || !options.otp) return original(options);
  window.__otpRequests.push(options.otp);
  for (;;) {
    if (options.signal && options.signal.aborted) throw new DOMException('aborted', 'AbortError');
    const res = await fetch('/v1/simulator/messages?to=${encodeURIComponent(number)}&limit=1');
    const body = await res.json();
    const sms = body.data[0];
    const code = sms && sms.body.match(/\\b\\d{6}\\b/);
    if (code) return { code: code[0], id: '', type: 'otp' };
    await new Promise((r) => setTimeout(r, 100));
  }
};`

describe('demo: sign up to CoinHarbor', () => {
  let server: VerifyServer
  let browser: TestBrowser
  beforeAll(async () => {
    // A short first resend cooldown, so the countdown runs out within the test.
    server = await startVerifyServer({ limits: { resendCooldownSeconds: [3, 60] } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('happy path: type the number, send, the code arrives in the inbox, fill it, approved', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900101', scenario: 'delivered' })
    const w = widget(page)
    await w.country.selectOption('GB')
    await w.phone.fill('07700 900101')
    await screenshot(page, 'verify-demo-phone-entry')
    await w.send.click()
    await expect.poll(() => hasFocus(w.code)).toBe(true)
    await w.step('delivered').waitFor({ state: 'attached' })
    const message = page.locator('#inbox li').filter({ hasText: '+447700900101' }).first()
    await message.waitFor()
    const inboxText = await message.textContent()
    expect(inboxText).toContain('CoinHarbor')
    const code = inboxText?.match(/\b\d{6}\b/)?.[0]
    expect(code).toBe(await codeFor(server.deps, '+447700900101'))
    await screenshot(page, 'verify-demo-code-entry')
    const approved = nextApproval(page)
    await w.code.pressSequentially(code!)
    expect(await approved).toMatchObject({ factor: 'sms' })
    await page.locator('#welcome').waitFor()
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await screenshot(page, 'verify-demo-approved')
    await context.close()
  })

  it('restart after a scenario switch (issue 12, observation 7): the pending code is canceled and Send sends anew under the new scenario, never the old timeline', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900111', scenario: 'delivered' })
    const w = widget(page)
    await w.phone.fill('+447700900111')
    await w.send.click()
    await w.step('delivered').waitFor({ state: 'attached' })
    expect(server.deps.simulator!.inbox.list({ to: '+447700900111' })).toHaveLength(1)
    // Another scenario, then "Restart the sign-up".
    await page.locator('#sc-carrier_block').check()
    await page.locator('#scenario-status').filter({ hasText: '+447700900111' }).waitFor()
    await page.locator('#restart').click()
    await page.locator('#scenario-status').filter({ hasText: 'The earlier code was canceled' }).waitFor()
    await w.phone.fill('+447700900111')
    await w.send.click()
    // A new verification: its own timeline (no old "Delivered"), and the carrier block at work.
    await expect
      .poll(
        async () =>
          (await server.deps.verifier.findPending((await firstService(server)).id, '+447700900111'))
            ?.sendCount,
      )
      .toBe(1)
    await w.step('handed_to_carrier').waitFor({ state: 'attached' })
    expect(await w.step('delivered').count()).toBe(0)
    const all = await server.deps.stores.verifications.listByDestination('+447700900111', 10)
    expect(all.map((v) => v.status)).toEqual(['pending', 'canceled'])
    await screenshot(page, 'verify-demo-restart-canceled')
    await context.close()
  })

  it('autofill (WebOTP): the code the SMS carries fills itself and is submitted, no typing', async () => {
    const context = await browser.newContext()
    await context.addInitScript({ content: WEB_OTP_PHONE('+447700900109') })
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900109', scenario: 'delivered' })
    const w = widget(page)
    await w.country.selectOption('GB')
    await w.phone.fill('07700 900109')
    const approved = nextApproval(page)
    await w.send.click()
    expect(await approved).toMatchObject({ factor: 'sms' })
    expect(await page.evaluate('window.__otpRequests')).toEqual([{ transport: ['sms'] }])
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await screenshot(page, 'verify-demo-webotp-approved')
    await context.close()
  })

  it('paste: the whole code pasted at once is submitted', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900102', scenario: 'delivered' })
    const w = widget(page)
    await w.phone.fill('+447700900102')
    await w.send.click()
    await w.code.waitFor()
    const code = await codeFor(server.deps, '+447700900102')
    // A wrong code first: the message says so and counts the tries left.
    await w.code.fill('000000')
    await w.codeMessage.filter({ hasText: 'Tries left: 4' }).waitFor()
    await paste(w.code, `Your code: ${code}`)
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('a mistyped number: the problem in words and a "Did you mean" that fixes it', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900103', scenario: 'delivered' })
    const w = widget(page)
    await w.phone.fill('+44 07700 900103')
    const suggestion = w.phoneMessage.locator('button.suggestion')
    await suggestion.waitFor()
    expect(await suggestion.textContent()).toBe('Did you mean +44 7700 900103?')
    expect(await w.phoneMessage.textContent()).toContain('Leave out the 0 after the country code.')
    expect(await w.phone.getAttribute('aria-invalid')).toBe('true')
    await screenshot(page, 'verify-demo-suggestion')
    await suggestion.click()
    expect(await w.phone.inputValue()).toBe('+44 7700 900103')
    await expect.poll(() => w.phone.getAttribute('aria-invalid')).toBe(null)
    await w.send.click()
    await w.code.waitFor()
    expect(await w.root.locator('.sent-to').textContent()).toContain('***0103')
    expect(await w.root.locator('.sent-to-full').textContent()).toContain('+44 7700 900103')
    await context.close()
  })

  it('carrier block: the SMS fails with the reason, the same code comes by a voice call, approved', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900104', scenario: 'carrier_block' })
    const w = widget(page)
    await w.phone.fill('07700 900104')
    await w.send.click()
    // The SMS was handed over, then the same code goes out as a voice call and arrives.
    await w.step('channel_switched').waitFor({ state: 'attached' })
    expect(await w.step('channel_switched').textContent()).toContain('Sending the same code by voice call')
    await w.root
      .locator('ol.timeline li[data-step="delivered"]')
      .filter({ hasText: 'voice call' })
      .waitFor({ state: 'attached' })
    expect(await w.root.locator('.sent-to').textContent()).toContain('by voice call')
    await screenshot(page, 'verify-demo-carrier-block')
    // "Didn't get the code?" says why in the person's words.
    await w.openMore()
    await w.help.click()
    await w.root.locator('section.cause h3').first().waitFor()
    const causes = await w.root.locator('section.cause').allTextContents()
    expect(causes.join(' ')).toMatch(/couldn.t get through, so we.re calling your phone/)
    // Told once: the call that reached the phone is not a second "We called you with the code".
    const titles = await w.root.locator('section.cause h3').allTextContents()
    expect(titles.filter((t) => t.startsWith('We called you'))).toEqual([
      'We called you with the code instead',
    ])
    await screenshot(page, 'verify-demo-carrier-block-help')
    await w.root.locator('button.back').click()
    const call = page.locator('#inbox li[data-channel="call"]').first()
    await call.waitFor()
    const code = await codeFor(server.deps, '+447700900104', 'call')
    expect(server.deps.simulator!.inbox.list({ to: '+447700900104' }).map((m) => m.channel)).toEqual(['call'])
    await w.code.fill(code)
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('resend: an honest countdown, a refused switch says when, then a new code once allowed', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await openDemo(page, server, { number: '+447700900105', scenario: 'delivered' })
    const w = widget(page)
    await w.phone.fill('07700 900105')
    await w.send.click()
    await w.code.waitFor()
    // Disabled, with the minutes and seconds left in its label.
    expect(await w.resend.isDisabled()).toBe(true)
    expect(await w.resend.textContent()).toMatch(/^Resend in 0:0[1-3]$/)
    expect(await w.root.locator('.sends-left').textContent()).toBe('New codes left: 4')
    // Switching channel during the cooldown is refused, and the widget says how long to wait.
    await w.openMore()
    await w.root.locator('button[data-channel="call"]').click()
    await w.root
      .locator('.send-msg')
      .filter({ hasText: /A code was just sent\. You can ask for a new one in [1-3] sec\./ })
      .waitFor()
    expect(await w.code.getAttribute('aria-invalid')).toBe(null)
    // "3 sec" stays together: the unit never wraps onto a line of its own.
    const waitLines = await w.root
      .locator('.send-msg span.wait')
      .evaluate((el) => (el as unknown as { getClientRects(): ArrayLike<unknown> }).getClientRects().length)
    expect(waitLines).toBe(1)
    await screenshot(page, 'verify-demo-resend-countdown')
    // The countdown runs out: the button is enabled and sends a new code.
    await expect.poll(() => w.resend.isEnabled(), { timeout: 6000 }).toBe(true)
    expect(await w.resend.textContent()).toBe('Send a new code')
    await w.resend.click()
    await w.root.locator('.sends-left').filter({ hasText: 'New codes left: 3' }).waitFor()
    expect(await w.resend.textContent()).toMatch(/^Resend in (1:00|0:59|0:58)$/)
    await expect.poll(() => server.deps.simulator!.inbox.list({ to: '+447700900105' }).length).toBe(2)
    const code = await codeFor(server.deps, '+447700900105')
    await w.code.fill(code)
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })

  it('fixed line: a warning before any SMS, and "Call me instead" gets the code through', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/demo`)
    const w = widget(page)
    await w.phone.waitFor()
    // The scenario switch puts the demo's landline into the form.
    await page.locator('#sc-fixed_line').check()
    // Prefilled, checked and formatted at once: the warning comes before anyone presses Send.
    await expect.poll(() => w.phone.inputValue()).toBe('+44 20 7946 0001')
    const warning = w.phoneMessage.locator('.box')
    await warning.waitFor()
    expect(await warning.textContent()).toContain('This looks like a landline')
    expect(await w.send.isHidden()).toBe(true)
    await screenshot(page, 'verify-demo-fixed-line')
    expect(server.deps.simulator!.inbox.list({ to: '+442079460001' })).toHaveLength(0)
    await w.root.locator('.box button.primary').click()
    await w.code.waitFor()
    expect(await w.root.locator('.sent-to').textContent()).toContain('by voice call')
    await w.code.fill(await codeFor(server.deps, '+442079460001', 'call'))
    await w.heading.filter({ hasText: 'Verified' }).waitFor()
    await context.close()
  })
})

/** The demo's service (the only one this server has). */
async function firstService(server: VerifyServer) {
  const [service] = await server.deps.services.list({ limit: 1 })
  if (!service) throw new Error('no demo service yet')
  return service
}
