/**
 * The widget embedded in another site: a page on a different origin loads widget.js from verigate
 * with one script tag, the element finds its API at the script's origin (CORS open, no cookies),
 * loads its French strings from beside widget.js, and reports success to the host page.
 */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, screenshot, type TestBrowser } from '../helpers/browser.js'
import { createTestService } from '../helpers/test-deps.js'
import { codeFor, nextApproval, startVerifyServer, type VerifyServer, widget } from './verify-harness.js'

describe('widget embedded in another site', () => {
  let server: VerifyServer
  let browser: TestBrowser
  let site: Server
  let siteUrl: string
  let token = ''

  beforeAll(async () => {
    server = await startVerifyServer()
    browser = await launchBrowser()
    const service = await createTestService(server.deps, { name: 'Boutique', channels: ['sms', 'call'] })
    site = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boutique</title>
<script type="module" src="${server.url}/assets/widget.js"></script>
<style>verigate-verify{--vg-accent:#6d28d9;--vg-radius:4px}</style></head>
<body><main><h1>Boutique: confirmez votre numéro</h1>
<verigate-verify token="${token}" locale="fr"></verigate-verify>
<p id="done" hidden>Merci !</p></main>
<script type="module">document.addEventListener('verigate:approved', () => { document.getElementById('done').hidden = false })</script>
</body></html>`)
    })
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r))
    const address = site.address()
    // "localhost" here and 127.0.0.1 for verigate: two different origins.
    siteUrl = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/`
    token = (await server.deps.clientSessions.mint({ serviceId: service.id, defaultCountry: 'FR' })).token
  })
  afterAll(async () => {
    await browser?.close()
    site?.close()
    await server?.close()
  })

  it('verifies across origins in French, themed by the host page', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(siteUrl)
    const w = widget(page)
    await w.heading.filter({ hasText: 'Vérifiez votre numéro de téléphone' }).waitFor()
    expect(await w.country.inputValue()).toBe('FR')
    expect(await w.country.locator('option[value="DE"]').textContent()).toContain('Allemagne')
    const accent = await w.send.evaluate((el) => {
      const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
      return g.getComputedStyle(el).backgroundColor
    })
    expect(accent).toBe('rgb(109, 40, 217)')
    await w.phone.fill('+44 7700 900301')
    await w.send.click()
    await w.code.waitFor()
    await w.step('delivered').waitFor({ state: 'attached' })
    expect(await w.step('delivered').textContent()).toContain('Distribué (SMS)')
    await screenshot(page, 'verify-embed-french')
    const approved = nextApproval(page)
    await w.code.fill(await codeFor(server.deps, '+447700900301'))
    expect(await approved).toMatchObject({ factor: 'sms' })
    await page.locator('#done').waitFor()
    expect(await context.cookies()).toEqual([])
    await context.close()
  })
})
