/**
 * The hosted page is no dead end (issue item 3), in real Chromium at 360 px and 1280 px: back to
 * the app on an allowed `return_url` with a result the app's server can verify, a refused origin,
 * "close this tab" without one, a language switch that keeps the link's parameters, `ui_locales`
 * on the token, the focus on the first field, and an invalid link that says what to do next.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { returnUrlSecret, verifyReturnResult } from '../../src/client/return-url.js'
import type { Service } from '../../src/services/service.js'
import {
  describeViolations,
  launchBrowser,
  screenshot,
  seriousA11yViolations,
  type TestBrowser,
} from '../helpers/browser.js'
import { createTestKey, createTestService } from '../helpers/test-deps.js'
import { codeFor, hasFocus, startVerifyServer, type VerifyServer, widget } from './verify-harness.js'

describe('hosted page: back to the app', () => {
  let server: VerifyServer
  let browser: TestBrowser
  let service: Service
  let appServer: Server
  let appOrigin: string
  const landed: URL[] = []

  beforeAll(async () => {
    server = await startVerifyServer()
    browser = await launchBrowser()
    // The app the person comes back to: records where it was sent.
    appServer = createServer((req, res) => {
      if (req.url !== '/favicon.ico') landed.push(new URL(req.url ?? '/', appOrigin))
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end('<!doctype html><html lang="en"><title>Acme</title><h1>Welcome back to Acme</h1></html>')
    })
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve))
    appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`
    service = await createTestService(server.deps, {
      name: 'Acme',
      brandName: 'Acme Wallet',
      channels: ['sms', 'call', 'email'],
      returnUrlOrigins: [appOrigin],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await new Promise((resolve) => appServer?.close(resolve))
  })

  const link = async (query: Record<string, string>) => {
    const { token, session } = await server.deps.clientSessions.mint({
      serviceId: service.id,
      defaultCountry: 'GB',
    })
    return {
      url: `${server.url}/verify/${token}?${new URLSearchParams(query).toString()}`,
      sessionId: session.id,
    }
  }
  const expectAccessible = async (page: Page, state: string) => {
    const violations = await seriousA11yViolations(page)
    expect(violations, `${state}:\n${describeViolations(violations)}`).toEqual([])
  }
  const verify = async (page: Page, national: string) => {
    const w = widget(page)
    await w.phone.fill(national)
    await w.send.click()
    await w.code.waitFor()
    await w.code.fill(await codeFor(server.deps, `+44${national.replace(/\D/g, '').slice(1)}`))
  }

  it('1280 px: an allowed return_url, the focus on the number at load, back to the app with a verifiable result', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    const page = await context.newPage()
    const returnUrl = `${appOrigin}/signup/phone?step=2`
    const { url, sessionId } = await link({ return_url: returnUrl, state: 'st-8f3c' })
    await page.goto(url)
    const w = widget(page)
    await w.phone.waitFor()
    await expect.poll(() => hasFocus(w.phone)).toBe(true)
    const back = page.locator('#vg-back')
    expect(await back.textContent()).toBe('Back to Acme Wallet')
    expect(await page.locator('.foot').textContent()).toBe('Secured by verigate')
    await screenshot(page, 'verify-return-allowed-1280')
    await expectAccessible(page, 'page with a way back')

    await verify(page, '07700 900501')
    await page.locator('#vg-next').filter({ hasText: 'Verified. Taking you back to Acme Wallet…' }).waitFor()
    await screenshot(page, 'verify-return-returning-1280')
    await page.waitForURL(`${appOrigin}/**`)
    await page.getByRole('heading', { name: 'Welcome back to Acme' }).waitFor()
    const arrived = landed.at(-1)!
    expect(arrived.pathname).toBe('/signup/phone')
    expect(arrived.searchParams.get('step')).toBe('2')
    // What the app's server does: check the signature with the service's return secret.
    const result = verifyReturnResult(returnUrlSecret(server.deps.keyring, service.id), arrived.searchParams)
    expect(result).toMatchObject({ sessionId, status: 'approved', state: 'st-8f3c' })
    // ...and the source of truth agrees.
    expect((await server.deps.clientSessions.get(sessionId)).resultFactor).toBe('sms')
    await context.close()
  })

  it('360 px: a return_url on another origin is refused, and once verified the page says to close the tab', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
    const page = await context.newPage()
    const before = landed.length
    const { url } = await link({ return_url: 'https://evil.example.net/collect', state: 'x' })
    await page.goto(url)
    const notice = page.locator('.notice[data-error-code="RETURN_URL_NOT_ALLOWED"]')
    expect(await notice.textContent()).toContain('an address Acme Wallet has not allowed')
    expect(await page.locator('#vg-back').count()).toBe(0)
    await screenshot(page, 'verify-return-refused-360')
    await expectAccessible(page, 'refused return_url')
    await verify(page, '07700 900502')
    await page
      .locator('#vg-next')
      .filter({ hasText: 'You can close this tab now and go back to Acme Wallet.' })
      .waitFor()
    await page.waitForTimeout(2000)
    expect(new URL(page.url()).origin).toBe(server.url)
    expect(landed.length).toBe(before)
    await screenshot(page, 'verify-return-close-tab-360')
    await expectAccessible(page, 'verified, close the tab')
    await context.close()
  })

  it('360 px: the language switch reloads the page in Spanish and keeps the way back', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
    const page = await context.newPage()
    const { url } = await link({ return_url: `${appOrigin}/done`, state: 'st-es' })
    await page.goto(url)
    await widget(page).phone.waitFor()
    await page.getByLabel('Language').selectOption('es')
    await page.waitForURL(/lang=es/)
    expect(await page.getAttribute('html', 'lang')).toBe('es')
    await widget(page).heading.filter({ hasText: 'Verifica tu número de teléfono' }).waitFor()
    expect(await page.locator('.foot').textContent()).toBe('Protegido por verigate')
    expect(await page.locator('#vg-back').textContent()).toBe('Volver a Acme Wallet')
    const href = new URL((await page.locator('#vg-back').getAttribute('href'))!, server.url)
    expect(href.searchParams.get('return_url')).toBe(`${appOrigin}/done`)
    expect(href.searchParams.get('state')).toBe('st-es')
    await screenshot(page, 'verify-return-spanish-360')
    await expectAccessible(page, 'Spanish page')
    await context.close()
  })

  it('ui_locales on the token: the first language verigate speaks', async () => {
    const key = await createTestKey(server.deps, ['verify'])
    const res = await fetch(`${server.url}/v1/client-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service_id: service.id, ui_locales: 'nl-BE pt-BR en' }),
    })
    const { resume_url } = (await res.json()) as { resume_url: string }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(resume_url)
    expect(await page.getAttribute('html', 'lang')).toBe('pt')
    await widget(page).heading.filter({ hasText: 'Verifique seu número de telefone' }).waitFor()
    expect(await page.locator('.foot').textContent()).toBe('Protegido por verigate')
    await context.close()
  })

  it('1280 px: a link that is not valid says what to do next', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(`${server.url}/verify/vct_not-a-real-token`)
    const alert = widget(page).root.locator('[role="alert"]')
    await alert.waitFor()
    expect(await alert.textContent()).toBe(
      'This verification link is not valid. Check that you opened the whole link, or go back to the app and start again.',
    )
    await screenshot(page, 'verify-link-invalid-1280')
    await expectAccessible(page, 'invalid link')
    await context.close()
  })

  it('360 px: an expired link says so and what to do next', async () => {
    const { url, sessionId } = await link({})
    // The link's lifetime is over (the shortest one the API mints is a minute; the row says when).
    await server.deps.db
      .updateTable('client_sessions')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', sessionId)
      .execute()
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(url)
    const alert = widget(page).root.locator('[role="alert"]')
    await alert.waitFor()
    expect(await alert.textContent()).toBe(
      'This verification link has expired. Go back to the app and start again.',
    )
    expect(await widget(page).phone.count()).toBe(0)
    await screenshot(page, 'verify-link-expired-360')
    await expectAccessible(page, 'expired link')
    await context.close()
  })
})
