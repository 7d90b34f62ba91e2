/**
 * Real headless Chromium for tests of what a person sees: Debian's `/usr/bin/chromium` driven by
 * playwright-core (never a downloaded browser), with the flags that keep it off the closed network,
 * a fresh profile per launch, axe-core for accessibility and screenshots saved as test artifacts.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where screenshots go: `test-artifacts/screenshots/` at the project root (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url))

export interface TestBrowser {
  readonly browser: Browser
  /** A new context: its own cookies and storage, like another device. */
  newContext(opts?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>
  close(): Promise<void>
}

export async function launchBrowser(): Promise<TestBrowser> {
  // playwright-core gives every launch() a fresh, empty profile directory of its own (it refuses
  // --user-data-dir here) and deletes it on close.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    browser,
    newContext: (opts) => browser.newContext(opts),
    async close() {
      await browser.close()
    },
  }
}

/** Saves a full-page PNG under SCREENSHOT_DIR and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-_]+/gi, '-')}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

export interface AxeViolation {
  readonly id: string
  readonly impact: 'minor' | 'moderate' | 'serious' | 'critical' | null
  readonly help: string
  readonly nodes: readonly { target: unknown[]; failureSummary?: string }[]
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * Runs axe-core (WCAG 2 A/AA rules) in the page and returns the serious and critical violations.
 * Shadow DOM is included: axe walks open shadow roots.
 */
export async function seriousA11yViolations(page: Page, selector?: string): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource })
  const result = await page.evaluate(async (context) => {
    // Runs in the page, where axe was just injected (this file is compiled without DOM types).
    const g = globalThis as unknown as {
      axe: { run(c: unknown, o: unknown): Promise<{ violations: unknown }> }
      document: unknown
    }
    const r = await g.axe.run(context ?? g.document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return r.violations as AxeViolation[]
  }, selector ?? null)
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** A readable one-line-per-violation summary for assertion messages. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    )
    .join('\n')
}
