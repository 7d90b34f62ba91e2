/** @module A tiny element builder for the widget's shadow DOM (no framework). */

type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>
type Child = Node | string | null | undefined | false

/**
 * `h('button', { type: 'button', onclick: fn }, 'Send')`. `on*` keys attach listeners; `true` sets an
 * empty attribute; `false`, `null` and `undefined` leave it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c)
  return el
}
