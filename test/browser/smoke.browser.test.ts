/** The browser harness itself: Debian Chromium starts headless, renders a page, runs axe. */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, seriousA11yViolations, type TestBrowser } from '../helpers/browser.js'

describe('browser harness', () => {
  let browser: TestBrowser
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Hello</h1><img src="x.png"></main></html>',
      )
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  it('renders a page and finds a serious accessibility violation (an image without alt text)', async () => {
    const page = await (await browser.newContext()).newPage()
    await page.goto(url)
    expect(await page.textContent('h1')).toBe('Hello')
    const violations = await seriousA11yViolations(page)
    expect(violations.map((v) => v.id)).toContain('image-alt')
  })
})
