/**
 * @module mountFactors(root, ctx): the authenticator factors inside the hosted page and the
 * widget. `mode: 'use'` offers the factors the user has as other ways to verify (the
 * "Didn't get the code?" panel); `mode: 'enrol'` lists the user's methods and sets up new ones.
 * Everything is rendered into `root` (with its own scoped styles), replacing what was there.
 */
import type { FactorContext } from '../factor-context.js'
import { enrolHome } from './enrol.js'
import { type FactorStrings, loadedFactorStrings, loadFactorStrings } from './strings.js'
import { createUi } from './ui.js'
import { useHome } from './use.js'

export type { FactorContext }

/** The latest mount per root: a language that arrives late must not replace a newer mount. */
const mounts = new WeakMap<HTMLElement, object>()

/**
 * Renders at once when the language is at hand (English, or loaded before); otherwise right after
 * its strings arrive (`widget-factors-<lang>.js`, a few hundred bytes gzipped).
 */
export function mountFactors(root: HTMLElement, ctx: FactorContext): void {
  const mount = {}
  mounts.set(root, mount)
  const start = (t: FactorStrings) => {
    if (mounts.get(root) !== mount) return
    const ui = createUi(root, ctx, t)
    if (ctx.mode === 'enrol') void enrolHome(ui)
    else useHome(ui)
  }
  const ready = loadedFactorStrings(ctx.locale)
  if (ready) start(ready)
  else {
    root.replaceChildren()
    void loadFactorStrings(ctx.locale).then(start)
  }
}
