/**
 * The console's Services pages in real Chromium at 1280 px and 360 px: an admin finds a service,
 * sees its fraud guard's effective settings, changes the mode and the daily caps through the form,
 * and reads the result; nothing overflows, and axe finds nothing serious.
 */
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

describe('support console: services and their fraud guard settings', () => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: TestBrowser
  let base: string
  let adminKey: string
  let serviceId: string

  beforeAll(async () => {
    ctx = await buildTestDeps({ config: { fraud: { countryDailyCaps: { FR: 1000 } } } })
    serviceId = (await createTestService(ctx.deps, { name: 'Acme Wallet' })).id
    await createTestService(ctx.deps, { name: 'Beta Bank' })
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

  for (const width of [1280, 360]) {
    it(`${width} px: an admin changes a service's mode and caps through the form`, async () => {
      await ctx.deps.services.update(serviceId, { fraud: null })
      const { context, page } = await signInToConsole(
        browser,
        base,
        { apiKey: adminKey },
        { context: { viewport: { width, height: 900 } } },
      )
      await page.getByRole('link', { name: 'Services' }).click()
      await page.waitForURL('**/console/services')
      expect(await horizontalOverflow(page)).toBe(0)
      const listed = await seriousA11yViolations(page)
      expect(listed, describeViolations(listed)).toEqual([])
      await page.getByRole('link', { name: 'Acme Wallet' }).click()
      await page.waitForURL(`**/console/services/${serviceId}`)
      expect(await page.locator('.fraud-caps').textContent()).toContain('FR=1000')
      const mode = width === 1280 ? 'shadow' : 'enforce'
      await page.getByLabel('Mode').selectOption(mode)
      await page.getByLabel('Daily caps per country').fill('GB=5000, de=200')
      await page.getByLabel('Reason (kept in the audit log)').fill(`Ticket ${width}`)
      await page.getByRole('button', { name: 'Save' }).click()
      await page.waitForURL('**done=fraud_saved**')
      expect(await page.getByRole('status').textContent()).toContain('saved')
      expect(await page.locator('.fraud-mode').textContent()).toContain(`${mode} (this service's own)`)
      expect(await page.locator('.fraud-caps').textContent()).toContain('GB=5000, DE=200')
      expect(await horizontalOverflow(page)).toBe(0)
      await screenshot(page, `console-service-fraud-${width}`)
      const violations = await seriousA11yViolations(page)
      expect(violations, describeViolations(violations)).toEqual([])
      expect((await ctx.deps.services.load(serviceId)).fraud?.mode).toBe(mode)
      await context.close()
    })
  }
})
