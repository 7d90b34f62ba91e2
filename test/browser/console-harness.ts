/**
 * Signing in to the support console in Chromium, shared by the console's browser tests: a new
 * context (bypassCSP only so axe can be injected), the login page, the key or the staff password.
 */
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { TestBrowser } from '../helpers/browser.js'

export type ConsoleCredentials =
  | { readonly apiKey: string }
  | { readonly email: string; readonly password: string }

/**
 * Opens `entry` (the console redirects there to its login page), signs in and waits for the search
 * page. `context` is merged over a 1200x900 viewport with bypassCSP; `timeoutMs` sets the
 * context's default timeout when given.
 */
export async function signInToConsole(
  browser: TestBrowser,
  base: string,
  credentials: ConsoleCredentials,
  opts: { context?: BrowserContextOptions; timeoutMs?: number; entry?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    bypassCSP: true,
    ...opts.context,
  })
  if (opts.timeoutMs !== undefined) context.setDefaultTimeout(opts.timeoutMs)
  const page = await context.newPage()
  await page.goto(`${base}${opts.entry ?? '/console/login'}`)
  expect(new URL(page.url()).pathname).toBe('/console/login')
  if ('apiKey' in credentials) {
    await page.getByLabel('API key', { exact: true }).fill(credentials.apiKey)
    await page.getByRole('button', { name: 'Sign in with the key' }).click()
  } else {
    await page.getByLabel('Email', { exact: true }).fill(credentials.email)
    await page.getByLabel('Password', { exact: true }).fill(credentials.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }
  await page.waitForURL('**/console/search')
  return { context, page }
}
