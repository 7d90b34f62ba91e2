/**
 * @module The small toolkit the factor screens are built from: `h()` for elements, `createUi()` for
 * what every screen shares (the API client with the session's token, the view that screens replace,
 * the live region that announces results, error wording) and `field()` for a one-input form with
 * its error message, busy state and lockout countdown.
 */
import { ApiError, requestJson } from '../../shared/api.js'
import type { FactorContext } from '../factor-context.js'
import { FACTOR_STRINGS_EN, type FactorStrings } from './strings.js'
import { STYLES } from './styles.js'

type Child = Node | string | false | null | undefined
type Props = Record<string, string | number | boolean | EventListener | undefined>

/** `h('button', { type: 'button', onclick }, 'Copy')`: `on*` props are listeners, the rest attributes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c) el.append(c)
  return el
}

export const button = (label: string, onclick: () => void, secondary = false): HTMLButtonElement =>
  h('button', { type: 'button', class: secondary ? 'vgf-2' : undefined, onclick }, label)

/** A message region: announced when its text changes (it exists before the text is set). */
export const messageRegion = (): HTMLParagraphElement => h('p', { class: 'vgf-msg', 'aria-live': 'polite' })

export interface Ui {
  readonly t: FactorStrings
  readonly ctx: FactorContext
  /** Calls `/v1/client<path>` with the session's token; throws ApiError with the server's envelope. */
  api<T>(path: string, json?: unknown): Promise<T>
  /** Replaces the screen: a heading and content; focus moves to `focus`, else to the heading. */
  show(title: string, content: Child[], focus?: HTMLElement): void
  /** Says a result in the widget-wide live region (survives screen changes). */
  announce(text: string, kind?: 'ok' | 'err'): void
  /** The user's words for a failure, and how long to wait when the server said so. */
  describe(err: unknown): { text: string; wait?: number }
}

let seq = 0

export function createUi(root: HTMLElement, ctx: FactorContext, t: FactorStrings): Ui {
  const base = `${ctx.apiBase.replace(/\/+$/, '').replace(/\/v1\/client$/, '')}/v1/client`
  const view = h('div')
  const live = h('p', { class: 'vgf-live', role: 'status' })
  // English fallback text must not be marked as the language that was asked for.
  const lang = t === FACTOR_STRINGS_EN ? 'en' : ctx.locale
  // The live region stays put across screens (moved or recreated ones are not announced reliably),
  // on top, where a result reads as a banner over the screen it led to.
  const wrap = h('div', { class: 'vgf', lang, dir: /^ar\b/i.test(lang) ? 'rtl' : undefined }, live, view)
  root.replaceChildren(h('style', {}, STYLES), wrap)

  return {
    t,
    ctx,
    api: (path, json) =>
      requestJson(base + path, {
        method: json === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${ctx.token}` },
        json,
      }),
    show(title, content, focus) {
      const heading = h('h2', { tabindex: -1 }, title)
      live.textContent = ''
      view.replaceChildren(heading, ...content.filter((c): c is Node | string => !!c))
      ;(focus ?? heading).focus()
    },
    announce(text, kind = 'ok') {
      live.className = `vgf-live vgf-${kind}`
      live.textContent = text
    },
    describe(err) {
      if (err instanceof ApiError) {
        const wait = typeof err.body.retry_after === 'number' ? err.body.retry_after : undefined
        if (wait !== undefined && err.status === 429)
          return { text: t.eLocked.replace('{when}', inTime(lang, wait)), wait }
        const byCode: Record<string, string> = {
          FACTOR_CODE_INCORRECT: t.eWrong,
          FACTOR_CODE_REUSED: t.eReused,
          CODE_MALFORMED: t.eFormat,
          RECOVERY_CODE_INCORRECT: t.eRc,
          CLIENT_TOKEN_EXPIRED: t.eExpired,
          CLIENT_TOKEN_INVALID: t.eExpired,
          PASSKEY_ALREADY_REGISTERED: t.ePkExists,
        }
        const text = byCode[err.code] ?? (err.code.startsWith('PASSKEY_') ? t.ePk : undefined)
        // Server messages are written for a person, in English: better than a vague line for `en`.
        return { text: text ?? (t === FACTOR_STRINGS_EN && err.status > 0 ? err.message : t.eGeneric) }
      }
      if (err instanceof DOMException) {
        if (err.name === 'NotAllowedError' || err.name === 'AbortError') return { text: t.ePkCancel }
        if (err.name === 'InvalidStateError') return { text: t.ePkExists }
        return { text: t.ePk }
      }
      return { text: t.eGeneric }
    },
  }
}

/** "in 30 seconds" / "dans 2 minutes" in the page's language. */
function inTime(locale: string, seconds: number): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
  return seconds < 90
    ? rtf.format(Math.ceil(seconds), 'second')
    : rtf.format(Math.ceil(seconds / 60), 'minute')
}

export interface FieldOptions {
  label: string
  submit: string
  /** Six digits (one-time code keyboard and autofill) rather than free text. */
  digits?: boolean
  /** Extra input attributes. */
  input?: Props
  /** Returns an error text when the value cannot be sent. */
  check?(value: string): string | undefined
  /** Sends the value; throws to show the error. */
  send(value: string): Promise<void>
}

/** A labelled one-input form with its own error region; returns the form and its input. */
export function field(ui: Ui, opts: FieldOptions): { form: HTMLFormElement; input: HTMLInputElement } {
  const id = `vgf-${++seq}`
  const msg = messageRegion()
  msg.id = `${id}-msg`
  const input = h('input', {
    id,
    name: id,
    type: 'text',
    'aria-describedby': msg.id,
    ...(opts.digits
      ? {
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          maxlength: 6,
          pattern: '[0-9]*',
          class: 'vgf-code',
        }
      : {}),
    ...opts.input,
  })
  const submit = h('button', { type: 'submit' }, opts.submit)
  let busy = false
  const fail = (text: string) => {
    msg.className = 'vgf-msg vgf-err'
    msg.textContent = text
    input.setAttribute('aria-invalid', 'true')
    input.focus()
    input.select()
  }
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: async (e: Event) => {
        e.preventDefault()
        if (busy) return
        const value = opts.digits ? input.value.replace(/\D/g, '') : input.value.trim()
        const bad = opts.check?.(value) ?? (opts.digits && value.length !== 6 ? ui.t.eFormat : undefined)
        if (bad) return fail(bad)
        busy = true
        submit.disabled = true
        msg.textContent = ''
        input.removeAttribute('aria-invalid')
        try {
          await opts.send(value)
          submit.disabled = false
        } catch (err) {
          const { text, wait } = ui.describe(err)
          fail(text)
          // Locked: the button comes back when the server will listen again.
          if (wait) return void setTimeout(() => (submit.disabled = false), wait * 1000)
          submit.disabled = false
        } finally {
          busy = false
        }
      },
    },
    h('label', { for: id }, opts.label),
    h('div', { class: 'vgf-row' }, input, submit),
    msg,
  )
  return { form, input }
}
