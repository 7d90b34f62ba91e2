/**
 * The verification page's browser tests share this: a real server on a local port (in-process, real
 * clock, simulator on with a short delivery delay, dispatcher running), one Chromium per file, and
 * the steps every walk-through takes (open the demo, read a code off the simulated phone).
 */
import type { FastifyInstance } from 'fastify'
import type { Locator, Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import type { Deps } from '../../src/deps.js'
import { buildTestDeps, eventually, type TestContext } from '../helpers/test-deps.js'

export interface VerifyServer {
  readonly url: string
  readonly deps: Deps
  readonly ctx: TestContext
  readonly app: FastifyInstance
  close(): Promise<void>
}

export async function startVerifyServer(config: Record<string, unknown> = {}): Promise<VerifyServer> {
  const ctx = await buildTestDeps({
    realClock: true,
    config: {
      simulator: { deliveryDelayMs: 150, longDelayMs: 60_000 },
      dispatcher: { pollIntervalMs: 50, backoffBaseMs: 20, backoffMaxMs: 100, maxAttempts: 3 },
      ...config,
    },
  })
  ctx.deps.dispatcher.start()
  const app = await buildApp(ctx.deps, { docsUi: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return {
    url,
    deps: ctx.deps,
    ctx,
    app,
    async close() {
      await app.close()
      await ctx.close()
    },
  }
}

/** The widget's parts (Playwright's CSS selectors pierce its open shadow root). */
export function widget(page: Page) {
  const root = page.locator('verigate-verify')
  return {
    root,
    country: root.locator('#vg-country'),
    phone: root.locator('#vg-phone'),
    phoneMessage: root.locator('#vg-phone-msg'),
    send: root.locator('form button[type=submit]'),
    code: root.locator('#vg-code'),
    codeMessage: root.locator('#vg-code-msg'),
    timeline: root.locator('ol.timeline'),
    /** A timeline step; the timeline sits behind "Didn't get it?", so wait for it `attached`. */
    step: (step: string): Locator => root.locator(`ol.timeline li[data-step="${step}"]`),
    /** The one-line live status under the code field (the newest step). */
    status: root.locator('p.status-line'),
    /** "Didn't get it?": the timeline, the full number, other channels, help, other device. */
    more: root.locator('details.more'),
    /** Opens "Didn't get it?" the way a person does, unless it is open already. */
    async openMore(): Promise<void> {
      const more = root.locator('details.more')
      if (!(await more.evaluate((el) => (el as unknown as { open: boolean }).open)))
        await more.locator('summary').first().click()
    },
    resend: root.locator('button.resend'),
    help: root.locator('button.help'),
    heading: root.locator('h2'),
  }
}

/** Opens /demo, sets a scenario for `number` and waits for the widget's phone entry. */
export async function openDemo(
  page: Page,
  server: VerifyServer,
  opts: { number: string; scenario?: string },
): Promise<void> {
  await page.goto(`${server.url}/demo`)
  const w = widget(page)
  await w.phone.waitFor()
  await page.locator('#demo-number').fill(opts.number)
  await page.locator('#demo-number').dispatchEvent('change')
  if (opts.scenario) await page.locator(`#sc-${opts.scenario}`).check()
  await page.locator('#scenario-status').filter({ hasText: opts.number }).waitFor()
}

/** The newest code the simulated phone `to` received (SMS text or a call's spoken digits). */
export async function codeFor(deps: Deps, to: string, channel?: string): Promise<string> {
  return eventually(() => {
    const latest = deps.simulator?.inbox
      .list({ to, limit: 10 })
      .find((m) => !channel || m.channel === channel)
    if (!latest) return undefined
    const digits =
      latest.body.match(/\b\d{4,10}\b/)?.[0] ?? latest.body.match(/(?:\d ){3,9}\d/)?.[0]?.replaceAll(' ', '')
    return digits
  }, 10_000)
}

// In-page checks. Test files compile without DOM types: the code that runs in the page reaches the
// DOM through small structural types of its own.

interface InPageDocument {
  querySelector(selector: string): unknown
  addEventListener(type: string, listener: (e: { detail: unknown }) => void, opts: { once: boolean }): void
  documentElement: { scrollWidth: number; clientWidth: number }
}

/** Whether the element has the keyboard focus (inside the widget's shadow root). */
export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const node = el as unknown as { getRootNode(): { activeElement: unknown } }
    return node.getRootNode().activeElement === node
  })
}

/** The widget's current verification id (`element.state`). */
export function widgetVerificationId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document
    const el = doc.querySelector('verigate-verify') as { state: { verification?: { id: string } } }
    return el.state.verification?.id
  })
}

/** Resolves with the detail of the next `verigate:approved` event on the page. */
export function nextApproval(page: Page): Promise<unknown> {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const doc = (globalThis as unknown as { document: InPageDocument }).document
        doc.addEventListener('verigate:approved', (e) => resolve(e.detail), { once: true })
      }),
  )
}

/** Pastes `text` into the element the way a clipboard paste arrives. */
export async function paste(target: Locator, text: string): Promise<void> {
  await target.evaluate((el, pasted) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { setData(type: string, value: string): void }
      ClipboardEvent: new (type: string, init: Record<string, unknown>) => unknown
    }
    const data = new g.DataTransfer()
    data.setData('text/plain', pasted)
    ;(el as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(
      new g.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  }, text)
}

/** Pixels the page is wider than the viewport (0: no horizontal scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: InPageDocument }).document.documentElement
    return root.scrollWidth - root.clientWidth
  })
}

/** The loaded image's natural width (0 until it has loaded). */
export function naturalWidth(img: Locator): Promise<number> {
  return img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)
}

/**
 * The horizontal extent of each substring inside `target`'s text (Range boxes, in page pixels),
 * in the order given: to check that parts of a number read left to right on screen.
 */
export function substringBoxes(
  target: Locator,
  parts: readonly string[],
): Promise<{ left: number; right: number }[]> {
  return target.evaluate((el, wanted) => {
    type TextNode = { nodeType: number; textContent: string | null }
    type Walkable = { childNodes: ArrayLike<Walkable & TextNode> }
    const texts: TextNode[] = []
    const walk = (n: Walkable & TextNode) => {
      if (n.nodeType === 3) texts.push(n)
      else for (let i = 0; i < n.childNodes.length; i++) walk(n.childNodes[i]!)
    }
    walk(el as unknown as Walkable & TextNode)
    const doc = (
      globalThis as unknown as {
        document: {
          createRange(): {
            setStart(n: unknown, o: number): void
            setEnd(n: unknown, o: number): void
            getBoundingClientRect(): { left: number; right: number }
          }
        }
      }
    ).document
    return wanted.map((part) => {
      const node = texts.find((t) => (t.textContent ?? '').includes(part))
      if (!node) throw new Error(`"${part}" is not in the element's text`)
      const start = (node.textContent ?? '').indexOf(part)
      const range = doc.createRange()
      range.setStart(node, start)
      range.setEnd(node, start + part.length)
      const box = range.getBoundingClientRect()
      return { left: box.left, right: box.right }
    })
  }, parts)
}

/** Whether the element is drawn (not inside a closed <details>, not hidden). */
export function isShown(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const e = el as unknown as { checkVisibility(): boolean }
    return e.checkVisibility()
  })
}
