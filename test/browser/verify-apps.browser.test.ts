/**
 * The widget offers the code in Telegram and on WhatsApp beside Send, in real Chromium (issue 16):
 * "Get the code in Telegram" sends the code to the number's Telegram (the simulator's Telegram knows
 * every test mobile but +447700900008), and a number without Telegram gets it by SMS at once.
 * English, German and Arabic at 360 px and 1280 px; axe in each state; screenshots go to
 * test-artifacts/screenshots/.
 */
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
import { codeFor, startVerifyServer, type VerifyServer, widget } from './verify-harness.js'

describe('widget: the code in Telegram or on WhatsApp', () => {
  let server: VerifyServer
  let browser: TestBrowser
  let service: Service
  beforeAll(async () => {
    server = await startVerifyServer()
    browser = await launchBrowser()
    service = await createTestService(server.deps, {
      name: 'Acme Wallet',
      channels: ['sms', 'call', 'whatsapp', 'telegram'],
      // Telegram first when chosen, then SMS and a call (the default of a service made through the API).
      fallbackChannels: ['sms', 'call'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const open = async (width: number, locale?: string) => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, bypassCSP: true })
    const page = await context.newPage()
    const { token } = await server.deps.clientSessions.mint({
      serviceId: service.id,
      defaultCountry: 'GB',
      locale,
    })
    await page.goto(`${server.url}/verify/${token}`)
    await widget(page).phone.waitFor()
    return { context, page }
  }
  const apps = (page: Awaited<ReturnType<typeof open>>['page']) =>
    widget(page).root.locator('button.app-channel')

  const LABELS = {
    en: ['Get the code in Telegram', 'Send code on WhatsApp'],
    de: ['Code in Telegram erhalten', 'Code per WhatsApp senden'],
    ar: ['احصل على الرمز في تيليجرام', 'إرسال الرمز عبر واتساب'],
  } as const

  for (const width of [360, 1280]) {
    for (const locale of ['en', 'de', 'ar'] as const) {
      it(`${width} px, ${locale}: Telegram and WhatsApp are offered beside Send`, async () => {
        const { context, page } = await open(width, locale)
        const buttons = apps(page)
        expect(await buttons.count()).toBe(2)
        expect(await buttons.nth(0).getAttribute('data-channel')).toBe('telegram')
        expect(await buttons.nth(1).getAttribute('data-channel')).toBe('whatsapp')
        const texts = await buttons.allTextContents()
        if (locale !== 'ar') expect(texts).toEqual(LABELS[locale])
        else expect(texts[0]).toBe(LABELS.ar[0])
        const violations = await seriousA11yViolations(page)
        expect(violations, describeViolations(violations)).toEqual([])
        await screenshot(page, `verify-apps-phone-${locale}-${width}`)
        await context.close()
      })
    }
  }

  it('"Get the code in Telegram": the code arrives in Telegram and is accepted', {
    timeout: 60_000,
  }, async () => {
    const { context, page } = await open(360)
    const w = widget(page)
    await w.phone.fill('07700 900601')
    await apps(page).filter({ hasText: 'Get the code in Telegram' }).click()
    await w.code.waitFor()
    const code = await codeFor(server.deps, '+447700900601', 'telegram')
    expect(server.deps.simulator!.inbox.list({ to: '+447700900601' }).map((m) => m.channel)).toEqual([
      'telegram',
    ])
    await w.status.filter({ hasText: 'Telegram' }).waitFor({ timeout: 10_000 })
    await screenshot(page, 'verify-apps-telegram-code-360')
    // A complete code submits itself.
    await w.code.fill(code)
    await w.heading.filter({ hasText: /verified/i }).waitFor({ timeout: 10_000 })
    await context.close()
  })

  it('a number without Telegram gets the code by SMS at once', { timeout: 60_000 }, async () => {
    const { context, page } = await open(1280)
    const w = widget(page)
    await w.phone.fill('07700 900008')
    await apps(page).filter({ hasText: 'Get the code in Telegram' }).click()
    await w.code.waitFor()
    const code = await codeFor(server.deps, '+447700900008', 'sms')
    expect(server.deps.simulator!.inbox.list({ to: '+447700900008' }).map((m) => m.channel)).toEqual(['sms'])
    await w.status.filter({ hasText: 'SMS' }).waitFor({ timeout: 10_000 })
    await screenshot(page, 'verify-apps-no-telegram-sms-1280')
    // A complete code submits itself.
    await w.code.fill(code)
    await w.heading.filter({ hasText: /verified/i }).waitFor({ timeout: 10_000 })
    await context.close()
  })
})
