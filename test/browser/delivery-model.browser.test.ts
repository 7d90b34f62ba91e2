/**
 * The delivery model (test/helpers/delivery-model.ts) as the person sees it, in real Chromium: for
 * every simulator scenario x {one route, two routes, SMS -> call}, the hosted page's widget says
 * only what happened. "Delivered" names the channel that delivered; a failure's heading says the
 * code could not be delivered, with the other ways before the code box; a provider that is down
 * reads "we keep trying"; a call that was never placed is never announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CarrierSimulator } from '../../src/simulator/carrier-simulator.js'
import type { SimulatorScenario } from '../../src/simulator/scenarios.js'
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.js'
import { MODEL, NUMBERS, SETUPS, type Setup } from '../helpers/delivery-model.js'
import { startVerifyServer, type VerifyServer, widget } from './verify-harness.js'

const CHANNEL_WORDS: Record<string, string> = { sms: 'SMS', call: 'voice call' }

describe.each(Object.keys(SETUPS) as Setup[])('the page tells the delivery model: %s', (setup) => {
  let server: VerifyServer
  let browser: TestBrowser
  let serviceId: string
  beforeAll(async () => {
    server = await startVerifyServer({
      ...SETUPS[setup],
      simulator: { deliveryDelayMs: 30, longDelayMs: 1_500 },
      dispatcher: { pollIntervalMs: 20, backoffBaseMs: 100, backoffMaxMs: 400 },
      routing: { ...(SETUPS[setup].routing as object), receiptTimeoutMs: 500, health: { minSamples: 1000 } },
    })
    browser = await launchBrowser()
    serviceId = (await server.deps.services.create({ name: 'Model' })).id
    for (const provider of server.deps.router.providers()) {
      if (provider.type !== 'simulator') continue
      for (const [scenario, number] of Object.entries(NUMBERS))
        (provider as CarrierSimulator).setScenario(number, scenario as SimulatorScenario)
    }
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it.each(Object.keys(NUMBERS) as SimulatorScenario[])('%s', async (scenario) => {
    const expected = MODEL[scenario][setup]
    const [state, channel] = expected.page
    const { token } = await server.deps.clientSessions.mint({ serviceId })
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/verify/${token}`)
    const w = widget(page)
    await w.phone.fill(NUMBERS[scenario])
    await w.send.click()
    const heading = w.root.locator('h2')
    if (state === 'delivered') {
      await w.status.filter({ hasText: `Delivered (${CHANNEL_WORDS[channel]})` }).waitFor({ timeout: 8_000 })
      await expect.poll(() => heading.textContent()).toBe('Enter the code')
    } else if (state === 'failed') {
      await heading.filter({ hasText: 'We couldn’t deliver your code' }).waitFor({ timeout: 8_000 })
      expect(await w.root.locator('p.sent-to').textContent()).toContain('We couldn’t deliver a code')
      // Whatever other ways exist come before the code box.
      const rescue = w.root.locator('div.rescue')
      const inRescue = await rescue.locator('button').count()
      const elsewhere = await w.root.locator('details.more div.other button').count()
      expect(elsewhere).toBe(0)
      if (inRescue > 0) {
        const order = await w.root.evaluate((el) => {
          const root = (el as unknown as { shadowRoot: { querySelector(s: string): unknown } }).shadowRoot
          const r = root.querySelector('div.rescue') as { compareDocumentPosition(o: unknown): number }
          return r.compareDocumentPosition(root.querySelector('form #vg-code'))
        })
        // DOCUMENT_POSITION_FOLLOWING: the code box comes after the other ways.
        expect(order & 4).toBe(4)
      }
    } else if (state === 'retrying') {
      await w.status.filter({ hasText: 'isn’t answering. We keep trying' }).waitFor({ timeout: 8_000 })
    }
    // The widget's own text lives in its shadow root (the host's textContent is empty).
    const text = await w.root.evaluate(
      (el) =>
        (el as unknown as { shadowRoot: { textContent: string | null } | null }).shadowRoot?.textContent ??
        '',
    )
    expect(text.length).toBeGreaterThan(0)
    // Never a channel that did not deliver, nor a call that was never placed.
    if (state === 'delivered' && channel === 'sms') expect(text).not.toContain('Delivered (voice call)')
    // A late SMS says how late it came, not just "delivered" (issue 12: "delivered by SMS, 43 s late").
    if (scenario === 'delivered_late') expect(text).toMatch(/Delivered \(SMS\), .+ after it was sent/)
    if (scenario === 'provider_outage') expect(text).not.toMatch(/by voice call|Delivered/)
    if (state !== 'failed') expect(text).not.toContain('couldn’t deliver')
    await screenshot(page, `delivery-model-${setup.replaceAll(/[^a-z]+/g, '-')}-${scenario}`)
    await context.close()
  })
})
