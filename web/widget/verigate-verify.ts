/**
 * @module `<verigate-verify token="vct_..." api="https://verigate.example">`: the end user's side of
 * a verification. Phone entry with inline checks, code entry with live delivery status, resend and
 * channel switch, "Didn't get the code?" with the diagnosis, resume on another device, and the
 * authenticator factors. State lives on the server: any browser holding the token continues it.
 */
import { ApiError } from '../shared/api.js'
import { ClientApi } from './client-api.js'
import { countries, DIAL_CODES, regionOf } from './countries.js'
import { h } from './dom.js'
import type { FactorContext } from './factor-context.js'
import { mountFactors } from './factors/index.js'
import { clockWait, ltr, maskedDestination, tickWaits, waitTimer, wordsWait } from './format.js'
import {
  hasLocale,
  isRtl,
  loadLocale,
  nodeTranslator,
  pickLocale,
  type StringKey,
  type Translate,
  type TranslateNodes,
  translator,
} from './i18n.js'
import { EN } from './i18n-en.js'
import { STYLES } from './styles.js'
import { Timeline } from './timeline.js'
import type { Channel, ClientSession, ClientVerification, PhoneAnalysis } from './types.js'
import { VerificationWatch } from './verification-watch.js'
import { listenForWebOtp } from './web-otp.js'

/** Where the widget's script was loaded from: its origin is the default API base. */
const SCRIPT_URL = (() => {
  try {
    return new URL(import.meta.url).href
  } catch {
    return `${location.origin}/assets/widget.js`
  }
})()
const SCRIPT_ORIGIN = new URL(SCRIPT_URL).origin

type View = 'loading' | 'fatal' | 'phone' | 'code' | 'help' | 'factors' | 'approved' | 'ended'
type ApprovedFactor = Channel | 'totp' | 'passkey' | 'recovery_code'

const SEND_KEY: Record<Channel, StringKey> = {
  sms: 'sendSms',
  call: 'sendCall',
  whatsapp: 'sendWhatsapp',
  email: 'sendEmail',
  telegram: 'sendTelegram',
}
const PHONE_CHANNELS: readonly Channel[] = ['sms', 'call', 'whatsapp', 'telegram']
/** Messaging apps offered beside the main Send button when the service allows them. */
const APP_CHANNELS: readonly Channel[] = ['telegram', 'whatsapp']

export class VerigateVerify extends HTMLElement {
  static readonly observedAttributes = ['token', 'api', 'locale', 'mode']

  private readonly shadow: ShadowRoot
  private readonly frame: HTMLDivElement
  private api: ClientApi | undefined
  private session: ClientSession | undefined
  private verification: ClientVerification | undefined
  private view: View = 'loading'
  private locale = 'en'
  private t: Translate = translator('en')
  private tn: TranslateNodes = nodeTranslator('en')
  /** Whether each number can take SMS (from the phone analysis): a landline is offered a call only. */
  private readonly smsCapable = new Map<string, boolean>()
  /** "Didn't get it?" stays open across re-renders once the person opened it. */
  private moreOpen = false
  /** Undo functions of the current view (timers, streams, WebOTP). */
  private cleanups: (() => void)[] = []
  private watch: VerificationWatch | undefined
  /** Number typed on the phone view, kept when going back to it. */
  private typed = { number: '', country: '', email: '', useEmail: false }
  private started = false
  private generation = 0

  constructor() {
    super()
    this.shadow = this.attachShadow({ mode: 'open' })
    this.frame = h('div', { class: 'vg', part: 'container' })
    this.shadow.append(h('style', {}, STYLES), this.frame)
  }

  connectedCallback(): void {
    if (!this.started) {
      this.started = true
      void this.load()
    }
  }

  disconnectedCallback(): void {
    this.clearView()
    this.watch?.close()
    this.started = false
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.started || old === value) return
    if (name === 'locale') void this.setLocale().then(() => this.rerender())
    else if (name === 'token' || name === 'api' || name === 'mode') void this.load()
  }

  /** The current state, for scripts and tests: `{ view, verification }`. */
  get state(): { view: View; verification: ClientVerification | undefined } {
    return { view: this.view, verification: this.verification }
  }

  // ---- loading and state ------------------------------------------------------------------

  private async setLocale(): Promise<void> {
    const wanted = pickLocale(
      this.getAttribute('locale'),
      this.session?.locale,
      ...(navigator.languages ?? [navigator.language]),
    )
    if (!hasLocale(wanted)) await loadLocale(wanted, SCRIPT_URL)
    this.locale = hasLocale(wanted) ? wanted : 'en'
    this.t = translator(this.locale)
    this.tn = nodeTranslator(this.locale)
    this.frame.lang = this.locale
    this.frame.dir = isRtl(this.locale) ? 'rtl' : 'ltr'
  }

  private async load(): Promise<void> {
    // A newer load (the token changed meanwhile) makes this one's answers stale.
    const generation = ++this.generation
    this.watch?.close()
    this.watch = undefined
    this.session = undefined
    this.verification = undefined
    this.typed = { number: '', country: '', email: '', useEmail: false }
    const token = this.getAttribute('token') ?? ''
    const base = (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/+$/, '')
    const api = new ClientApi(base, token)
    this.api = api
    this.show('loading')
    await this.setLocale()
    let session: ClientSession
    try {
      session = await api.session()
    } catch (err) {
      if (generation === this.generation) this.fatal(err)
      return
    }
    if (generation !== this.generation) return
    this.session = session
    await this.setLocale()
    if (generation !== this.generation) return
    const s = session
    this.verification = s.verification ?? undefined
    this.typed.number = s.prefill?.to ?? s.verification?.to ?? ''
    this.typed.useEmail = (s.prefill?.channel ?? s.verification?.channel) === 'email'
    if (this.typed.useEmail) {
      this.typed.email = this.typed.number
      this.typed.number = ''
    }
    if (this.getAttribute('mode') === 'enrol') this.show('factors')
    else if (s.result?.approved) this.approved((s.result.factor as ApprovedFactor) ?? 'sms', false)
    else if (this.verification) this.onVerification(this.verification, true)
    else this.show('phone')
  }

  private fatal(err: unknown): void {
    const code = err instanceof ApiError ? err.code : ''
    const message =
      code === 'CLIENT_TOKEN_EXPIRED'
        ? this.t('linkExpired')
        : code === 'CLIENT_TOKEN_INVALID'
          ? this.t('linkInvalid')
          : this.errorText(err)
    this.show('fatal', message)
  }

  /** Every new state of the verification (start, check, resend, the live stream) lands here. */
  private onVerification(v: ClientVerification, entering = false): void {
    // A late answer about a verification this session has since replaced.
    if (!entering && this.verification && v.id !== this.verification.id) return
    this.verification = v
    this.emit('verigate:status', {
      view: this.view,
      status: v.status,
      delivery: v.delivery?.state ?? null,
      verification_id: v.id,
      to: v.to,
    })
    if (v.status === 'approved') {
      this.approved(v.channel, true)
      return
    }
    if (v.status !== 'pending') {
      this.watch?.close()
      if (this.view !== 'phone') this.show('ended', v.status)
      return
    }
    this.ensureWatch(v)
    if (entering || (this.view !== 'code' && this.view !== 'help' && this.view !== 'factors'))
      this.show('code')
    else this.updateCode?.()
  }

  private ensureWatch(v: ClientVerification): void {
    if (!this.api || this.watch?.id === v.id) return
    this.watch?.close()
    this.watch = new VerificationWatch(this.api, v.id, (next) => this.onVerification(next))
  }

  private approved(factor: ApprovedFactor, announce: boolean): void {
    this.watch?.close()
    const already = this.view === 'approved'
    this.show('approved')
    if (announce && !already) {
      this.emit('verigate:approved', {
        session_id: this.session?.session_id ?? null,
        verification_id: this.verification?.id ?? null,
        factor,
      })
    }
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }))
  }

  // ---- views ------------------------------------------------------------------------------

  private updateCode: (() => void) | undefined
  private lastArg: string | undefined

  private clearView(): void {
    for (const undo of this.cleanups.splice(0)) undo()
    this.updateCode = undefined
  }

  private rerender(): void {
    this.show(this.view, this.lastArg, false)
  }

  private show(view: View, arg?: string, moveFocus = true): void {
    this.clearView()
    const previous = this.view
    this.view = view
    this.lastArg = arg
    this.frame.replaceChildren()
    const focusTarget = this.build(view, arg)
    if (previous !== view) this.emit('verigate:status', { view, status: this.verification?.status ?? null })
    // Not on first render (a page that embeds the widget keeps its own initial focus) unless the
    // page asks for it with `autofocus`, as the hosted page does.
    if (moveFocus && focusTarget && (previous !== 'loading' || this.hasAttribute('autofocus')))
      focusTarget.focus()
  }

  /** Builds a view into the frame; returns the element that should take focus. */
  private build(view: View, arg?: string): HTMLElement | undefined {
    const t = this.t
    switch (view) {
      case 'loading':
        this.frame.append(h('p', { class: 'muted', role: 'status' }, t('loading')))
        return undefined
      case 'fatal': {
        const heading = h('h2', { tabindex: -1 }, t('title'))
        this.frame.append(heading, h('p', { class: 'error', role: 'alert' }, arg ?? ''))
        return heading
      }
      case 'phone':
        return this.buildPhone()
      case 'code':
        return this.buildCode()
      case 'help':
        return this.buildHelp()
      case 'factors':
        return this.buildFactors()
      case 'approved': {
        const heading = h('h2', { tabindex: -1 }, t('approved'))
        this.frame.append(
          h(
            'div',
            { class: 'done', role: 'status' },
            h('div', { class: 'mark', 'aria-hidden': 'true' }, '✓'),
            heading,
            h('p', {}, t('approvedText')),
          ),
        )
        return heading
      }
      case 'ended': {
        this.watch?.close()
        this.watch = undefined
        const key: StringKey = arg === 'failed' ? 'tooMany' : arg === 'canceled' ? 'canceled' : 'expired'
        const heading = h('h2', { tabindex: -1 }, t('enterCode'))
        const again = h(
          'button',
          { type: 'button', class: 'primary', onclick: () => this.startAgain() },
          t('startAgain'),
        )
        this.frame.append(
          heading,
          h('p', { class: 'error', role: 'alert', 'data-state': arg ?? 'expired' }, t(key)),
          again,
        )
        return again
      }
    }
  }

  private startAgain(): void {
    this.moreOpen = false
    this.watch?.close()
    this.watch = undefined
    this.show('phone')
  }

  // ---- phone entry ------------------------------------------------------------------------

  private buildPhone(): HTMLElement {
    const t = this.t
    const api = this.api!
    const session = this.session!
    const channels = session.service.channels
    const emailAllowed = channels.includes('email')
    const phoneAllowed = channels.some((c) => c !== 'email')
    const useEmail = emailAllowed && (this.typed.useEmail || !phoneAllowed)
    const preferred: Channel =
      session.prefill?.channel && session.prefill.channel !== 'email'
        ? session.prefill.channel
        : (channels.find((c) => c !== 'email') ?? 'sms')
    const heading = h('h2', { tabindex: -1 }, t(useEmail ? 'titleEmail' : 'title'))
    const msg = h('div', { class: 'msg', id: 'vg-phone-msg', 'aria-live': 'polite' })
    const submit = h(
      'button',
      { type: 'submit', class: 'primary' },
      t(useEmail ? 'sendEmail' : SEND_KEY[preferred]),
    )
    /** The channel this submit asks for: the preferred one, or an app chosen below Send. */
    let chosen: Channel = preferred
    const form = h('form', { novalidate: true })
    this.frame.append(heading, h('p', { class: 'muted' }, t('intro')), form)

    const toggle = (email: boolean) => {
      this.typed.useEmail = email
      this.show('phone')
    }
    /** The analysis the message shows now (the phone form's). */
    let shown: { a: PhoneAnalysis | undefined; quiet: boolean } | undefined
    const setError = (text: Node | string, input: HTMLInputElement, extra?: Node) => {
      shown = undefined
      submit.hidden = false
      msg.replaceChildren(h('p', { class: 'error' }, text), extra ?? '')
      input.setAttribute('aria-invalid', 'true')
    }
    /**
     * A refused start holds Send for the same destination until the wait runs out (it counts down
     * in the message); another number or address is not held. `value` reads the field now.
     */
    let held: { until: number; value: string } | undefined
    let value = () => ''
    /** The form's own "Use email / phone instead" row, hidden while a refusal offers the same. */
    let switchRow: HTMLElement | undefined
    const isHeld = () => held !== undefined && held.until > Date.now() && held.value === value()
    const syncSubmit = (busy = false) => {
      submit.disabled = busy || isHeld()
    }
    const interval = setInterval(() => {
      if (held && tickWaits(msg, this.locale).length) msg.replaceChildren()
      if (held && !isHeld()) {
        held = undefined
        syncSubmit()
      }
      if (switchRow) switchRow.hidden = msg.querySelector('button.use-email') !== null
    }, 1000)
    this.cleanups.push(() => clearInterval(interval))
    /** Other ways that do not need this destination: email (for a number) and the person's factors. */
    const otherWays = (err: unknown): Node | undefined => {
      const limit = err instanceof ApiError ? String(err.body.limit ?? '') : ''
      const buttons: HTMLElement[] = []
      if (!useEmail && emailAllowed && /destination|resend|sends/.test(limit))
        buttons.push(
          h('button', { type: 'button', class: 'use-email', onclick: () => toggle(true) }, t('useEmail')),
        )
      const f = this.session?.entity?.factors
      if (f && (f.totp || f.passkey || f.recovery_codes))
        buttons.push(
          h(
            'button',
            { type: 'button', class: 'use-factor', onclick: () => this.show('factors') },
            t('useFactor'),
          ),
        )
      return buttons.length ? h('div', { class: 'row' }, ...buttons) : undefined
    }
    const starting = async (to: string, channel: Channel, input: HTMLInputElement) => {
      syncSubmit(true)
      try {
        const v = await api.start(to, channel, this.locale)
        this.verification = v
        this.onVerification(v, true)
      } catch (err) {
        const retry = err instanceof ApiError ? err.body.retry_after : undefined
        if (typeof retry === 'number' && retry > 0)
          held = { until: Date.now() + retry * 1000, value: value() }
        syncSubmit()
        setError(this.errorNode(err), input, otherWays(err))
        if (switchRow) switchRow.hidden = msg.querySelector('button.use-email') !== null
        input.focus()
      }
    }

    if (useEmail) {
      const input = h('input', {
        id: 'vg-email',
        dir: 'ltr',
        type: 'email',
        autocomplete: 'email',
        required: true,
        value: this.typed.email,
        'aria-describedby': 'vg-phone-msg',
        oninput: () => {
          this.typed.email = input.value
          input.removeAttribute('aria-invalid')
          if (!isHeld()) msg.replaceChildren()
          syncSubmit()
        },
      })
      value = () => input.value.trim()
      form.append(h('label', { for: 'vg-email' }, t('email')), input, msg, submit)
      if (phoneAllowed)
        form.append(
          h(
            'div',
            { class: 'row' },
            h('button', { type: 'button', class: 'link', onclick: () => toggle(false) }, t('usePhone')),
          ),
        )
      form.addEventListener('submit', (e) => {
        e.preventDefault()
        if (isHeld()) return
        const value = input.value.trim()
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
          setError(t('badEmail'), input)
          input.focus()
          return
        }
        void starting(value, 'email', input)
      })
      return input
    }

    // Country picker: flag, localised name and dialling code; default from the session, else the browser.
    const list = countries(this.locale)
    const initial =
      this.typed.country || session.default_country?.toUpperCase() || regionOf(navigator.language) || 'US'
    const select = h('select', { id: 'vg-country', autocomplete: 'tel-country-code' })
    // The dialling code is isolated left-to-right so "+44" stays "+44" in Arabic.
    for (const c of list)
      select.append(
        h(
          'option',
          { value: c.iso, selected: c.iso === initial },
          `${c.flag} ${c.name} (\u2066+${c.dial}\u2069)`,
        ),
      )
    const input = h('input', {
      id: 'vg-phone',
      dir: 'ltr',
      type: 'tel',
      inputmode: 'tel',
      autocomplete: 'tel',
      required: true,
      value: this.typed.number,
      'aria-describedby': 'vg-phone-msg',
    })
    form.append(
      h('label', { for: 'vg-country' }, t('country')),
      select,
      h('label', { for: 'vg-phone' }, t('phone')),
      input,
      msg,
      submit,
    )
    // "Get the code in Telegram" / "on WhatsApp": the same number, the code in the app instead.
    const apps = APP_CHANNELS.filter((c) => c !== preferred && channels.includes(c))
    if (apps.length > 0)
      form.append(
        h(
          'div',
          { class: 'row apps' },
          ...apps.map((c) =>
            h(
              'button',
              {
                type: 'button',
                class: 'app-channel',
                'data-channel': c,
                onclick: () => {
                  chosen = c
                  form.requestSubmit()
                },
              },
              t(SEND_KEY[c]),
            ),
          ),
        ),
      )
    if (emailAllowed) {
      switchRow = h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'link', onclick: () => toggle(true) }, t('useEmail')),
      )
      form.append(switchRow)
    }

    let analysis: { key: string; result: PhoneAnalysis } | undefined
    let pending: Promise<PhoneAnalysis | undefined> | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let smsAnyway = false
    this.cleanups.push(() => clearTimeout(timer))
    const keyOf = () => `${select.value}|${input.value.trim()}`

    const analyse = (): Promise<PhoneAnalysis | undefined> => {
      const key = keyOf()
      if (analysis?.key === key) return Promise.resolve(analysis.result)
      const number = input.value.trim()
      if (!number) return Promise.resolve(undefined)
      pending = api.analyse(number, select.value).then(
        (result) => {
          analysis = { key, result }
          if (result.e164) this.smsCapable.set(result.e164, result.can_receive_sms)
          return result
        },
        () => undefined,
      )
      return pending
    }

    /** Shows what the analysis found; `final` (on submit or blur) also reports "too short". */
    const present = (a: PhoneAnalysis | undefined, final: boolean) => {
      // "Too short" waits until the person is done typing (blur or submit).
      const quiet =
        !final &&
        (a?.problem?.reason === 'too_short' || a?.problem?.reason === 'empty') &&
        !a?.suggestion?.e164
      // The same answer again (blur after typing) must not rebuild the message: a click on its
      // button would land on a removed element.
      if (shown && shown.a === a && shown.quiet === quiet && a) return
      render(a, quiet)
      shown = { a, quiet }
    }
    const render = (a: PhoneAnalysis | undefined, quiet: boolean) => {
      // The refusal and its countdown stay until the wait is over or the number changes.
      if (isHeld()) return
      submit.hidden = false
      input.removeAttribute('aria-invalid')
      msg.replaceChildren()
      if (!a) return
      if (
        a.country &&
        a.country !== select.value &&
        DIAL_CODES.has(a.country) &&
        input.value.trim().startsWith('+')
      )
        select.value = a.country
      const fixedLine = a.valid && !a.can_receive_sms && a.can_receive_voice
      if (fixedLine && preferred !== 'call' && !smsAnyway) {
        const call = h(
          'button',
          { type: 'button', class: 'primary', onclick: () => void starting(a.e164!, 'call', input) },
          t('callInstead'),
        )
        const anyway = h(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              smsAnyway = true
              void starting(a.e164!, preferred, input)
            },
          },
          t('sendAnyway'),
        )
        msg.replaceChildren(
          h(
            'div',
            { class: 'box', role: 'group', 'aria-labelledby': 'vg-fixed-line' },
            h('p', { id: 'vg-fixed-line' }, t('fixedLine')),
            call,
            h('div', { class: 'row' }, anyway),
          ),
        )
        // The warning's own buttons replace Send: no SMS leaves without a deliberate choice.
        submit.hidden = true
        return
      }
      if (a.valid || !a.problem) return
      const reason = a.problem.reason
      if (quiet) return
      // The server's English sentence is the most specific; with a fix to offer, the short
      // localised one is enough (the button says "Did you mean ...?"). Other languages use theirs.
      const own = (EN as Record<string, string>)[`p_${reason}`] ? t(`p_${reason}` as StringKey) : undefined
      const text = (this.locale === 'en' && !a.suggestion?.e164) || !own ? a.problem.message : own
      const fix = a.suggestion?.e164
        ? h(
            'button',
            {
              type: 'button',
              class: 'suggestion',
              onclick: () => {
                input.value = a.suggestion?.formatted ?? a.suggestion!.e164!
                this.typed.number = input.value
                void analyse().then((r) => present(r, false))
                input.focus()
              },
            },
            this.tn('didYouMean', { n: ltr(a.suggestion.formatted ?? a.suggestion.e164) }),
          )
        : undefined
      setError(text, input, fix)
    }

    /**
     * Formats the number the way the server writes it: a complete one in full, a partial one as
     * typed so far (grouped by its country's plan). While typing only with the caret at the end,
     * and at once for a prefilled number (`force`).
     */
    const format = (a: PhoneAnalysis | undefined, force = false) => {
      if (!a || keyOf() !== analysis?.key) return
      if (!force && this.shadow.activeElement !== input) return
      if (!force && input.selectionStart !== input.value.length) return
      const intl = input.value.trim().startsWith('+') || a.country !== select.value
      const formatted =
        a.valid && a.e164 ? (intl ? a.international_format : a.national_format) : a.as_you_type
      if (formatted && formatted !== input.value) {
        input.value = formatted
        this.typed.number = formatted
        analysis = { key: keyOf(), result: a }
      }
    }

    value = () => input.value.trim()
    input.addEventListener('input', () => {
      this.typed.number = input.value
      syncSubmit()
      smsAnyway = false
      clearTimeout(timer)
      timer = setTimeout(() => {
        void analyse().then((a) => {
          format(a)
          present(a, false)
        })
      }, 350)
    })
    input.addEventListener('blur', () => {
      if (input.value.trim()) void analyse().then((a) => present(a, true))
    })
    select.addEventListener('change', () => {
      this.typed.country = select.value
      if (input.value.trim()) void analyse().then((a) => present(a, false))
    })
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      clearTimeout(timer)
      if (isHeld()) return
      if (!input.value.trim()) {
        setError(t('p_empty'), input)
        input.focus()
        return
      }
      syncSubmit(true)
      void analyse().then((a) => {
        syncSubmit()
        if (!a) {
          setError(t('network'), input)
          return
        }
        const fixedLine = a.valid && !a.can_receive_sms && a.can_receive_voice
        if (!a.e164 || (!a.valid && !fixedLine)) {
          present(a, true)
          input.focus()
          return
        }
        const channel = chosen
        chosen = preferred
        // A landline takes no text; Telegram is the app's account, not the line, so it is not warned about.
        if (fixedLine && (channel === 'sms' || channel === 'whatsapp') && !smsAnyway) {
          present(a, true)
          msg.querySelector<HTMLButtonElement>('button.primary')?.focus()
          return
        }
        void starting(a.e164, channel, input)
      })
    })
    // A prefilled number is checked (and a landline warned about) before anyone presses Send.
    if (input.value.trim()) {
      void analyse().then((a) => {
        format(a, true)
        present(a, false)
      })
    }
    return input
  }

  // ---- code entry -------------------------------------------------------------------------

  /**
   * The code view leads with the code field and one line: where the code went and when a new one
   * can be asked for. The delivery timeline, the full number, other channels, the diagnosis and
   * the other device sit behind "Didn't get it?", opened by itself when delivery fails.
   */
  private buildCode(): HTMLElement {
    const t = this.t
    const tn = this.tn
    const api = this.api!
    const session = this.session!
    let v = this.verification!
    const heading = h('h2', { tabindex: -1 }, t('enterCode'))
    const sentText = h('span', { class: 'sent-to-text' })
    const resend = h('button', { type: 'button', class: 'link resend' })
    const sep = h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · ')
    // The separator and the countdown wrap together, never leaving a dangling "·".
    const sentTo = h('p', { class: 'sent-to' }, sentText, h('span', { class: 'when' }, sep, resend))
    const input = h('input', {
      id: 'vg-code',
      dir: 'ltr',
      class: 'code',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      pattern: '[0-9]*',
      maxlength: v.code_length,
      'aria-describedby': 'vg-code-msg',
      spellcheck: 'false',
    })
    const label = h('label', { for: 'vg-code' })
    const msg = h('div', { class: 'msg', id: 'vg-code-msg', role: 'alert' })
    const verify = h('button', { type: 'submit', class: 'primary' }, t('verify'))
    const codeBox = h('div', { class: 'code-box' }, input)
    const form = h('form', { novalidate: true }, label, codeBox, msg, verify)
    const status = h('p', { class: 'status-line muted', role: 'status' })
    const sendMsg = h('div', { class: 'msg send-msg', role: 'alert' })
    const timeline = new Timeline(t, tn, this.locale)
    const sentFull = h('p', { class: 'sent-to-full' })
    const change = h(
      'button',
      { type: 'button', class: 'link change', onclick: () => this.startAgain() },
      t('changeNumber'),
    )
    const sendsLeft = h('p', { class: 'muted sends-left' })
    const other = h('div', { class: 'row other' })
    const otherTitle = h('h3', {}, t('otherWays'))
    const why = h(
      'button',
      {
        type: 'button',
        class: 'help',
        onclick: () => {
          this.moreOpen = true
          this.show('help')
        },
      },
      t('helpTitle'),
    )
    const resume = h(
      'details',
      { class: 'resume' },
      h('summary', {}, t('resumeTitle')),
      h('p', { class: 'muted' }, t('resumeHint')),
      h(
        'a',
        { href: session.resume_url, class: 'resume-link', target: '_blank', rel: 'noopener' },
        session.resume_url,
      ),
      h('img', { class: 'qr', src: api.url('resume.svg'), alt: t('qrAlt'), width: 160, height: 160 }),
    )
    const whyRow = h('div', { class: 'row' }, why)
    const more = h(
      'details',
      { class: 'more' },
      h('summary', {}, t('help')),
      h(
        'div',
        { class: 'more-body' },
        h('h3', { id: 'vg-status-title' }, t('statusTitle')),
        h('div', { 'aria-labelledby': 'vg-status-title', role: 'region' }, timeline.element),
        sentFull,
        h('div', { class: 'row' }, change),
        sendsLeft,
        otherTitle,
        other,
        whyRow,
        resume,
      ),
    )
    // When nothing could deliver the code, the other ways come first, before the code box.
    const rescue = h('div', { class: 'rescue' })
    more.open = this.moreOpen
    more.addEventListener('toggle', () => (this.moreOpen = more.open))
    this.frame.append(heading, sentTo, rescue, form, status, sendMsg, more)

    let otherKey = ''
    let askedExpiry = 0
    let lastTried = ''
    let retryUntil = 0
    let busy = false
    let openedForFailure = ''
    const showSendError = (text: Node | string) =>
      sendMsg.replaceChildren(text ? h('p', { class: 'error' }, text) : '')
    const showError = (text: Node | string) => {
      msg.replaceChildren(h('p', { class: 'error' }, text))
      input.setAttribute('aria-invalid', 'true')
    }
    const tick = () => {
      const now = Date.now()
      const next = Math.max(v.next_resend_at ? Date.parse(v.next_resend_at) : 0, retryUntil)
      const noSends = v.sends_left <= 0 || (v.next_resend_at === null && retryUntil <= now)
      const wait = Math.ceil((next - now) / 1000)
      resend.disabled = busy || noSends || wait > 0
      resend.hidden = noSends
      sep.hidden = noSends
      resend.textContent = wait > 0 ? t('resendIn', { time: clockWait(wait, this.locale) }) : t('resend')
      resend.dataset.wait = String(Math.max(0, wait))
      sendsLeft.textContent = noSends ? t('noSends') : t('sendsLeft', { n: v.sends_left })
      // A refusal's wait counts down in its sentence, and the sentence goes once it has run out.
      if (tickWaits(sendMsg, this.locale, now).length) showSendError('')
      // Past the expiry by this browser's clock: ask the server, whose clock decides.
      if (Date.parse(v.expires_at) <= now && now - askedExpiry > 2000) {
        askedExpiry = now
        api.verification().then(
          (fresh) => this.onVerification(fresh),
          () => {},
        )
      }
    }
    const refresh = () => {
      v = this.verification!
      const full = v.to_display ?? v.to
      const channel = t(`ch_${v.delivery?.channel ?? v.channel}` as StringKey)
      // Only what happened: a code that could not be delivered is not called sent.
      const failed = v.delivery?.state === 'failed'
      heading.textContent = t(failed ? 'notDelivered' : 'enterCode')
      sentText.replaceChildren(
        tn(failed ? 'codeNotDelivered' : 'codeSentTo', { to: ltr(maskedDestination(v.to)), channel }),
      )
      sentFull.replaceChildren(tn(failed ? 'codeNotDelivered' : 'sentTo', { to: ltr(full), channel }))
      if (failed && other.parentElement !== rescue) rescue.append(otherTitle, other)
      else if (!failed && other.parentElement === rescue) whyRow.before(otherTitle, other)
      label.textContent = t('codeLabel', { n: v.code_length })
      input.maxLength = v.code_length
      // Segmented look: one box per digit, drawn behind one input (still one field to a screen reader).
      codeBox.style.setProperty('--cells', String(v.code_length))
      codeBox.dataset.long = String(v.code_length > 7)
      const entries = v.timeline ?? []
      timeline.update(entries)
      const latest = entries.at(-1)
      if (latest) {
        status.dataset.step = latest.step
        status.replaceChildren(
          h('time', { datetime: latest.at }, timeline.time(latest)),
          ' ',
          timeline.describe(latest),
        )
        // A failure the person must act on: show what else can be done without a click.
        const failure = `${latest.step}|${latest.at}`
        if (latest.step === 'failed' && openedForFailure !== failure) {
          openedForFailure = failure
          more.open = true
        }
      }
      // Rebuilt only when the current channel changes, so focus on a button survives updates.
      const channelKey = `${v.channel}|${v.delivery?.channel ?? ''}|${this.smsCapable.get(v.to) ?? ''}`
      if (channelKey !== otherKey) {
        otherKey = channelKey
        other.replaceChildren(
          ...this.otherChannels(v, showSendError, (until) => {
            retryUntil = until
            tick()
          }),
        )
        otherTitle.hidden = other.children.length === 0
      }
      tick()
    }
    this.updateCode = refresh
    const interval = setInterval(tick, 1000)
    this.cleanups.push(() => clearInterval(interval))
    // A landline cannot take SMS or WhatsApp: learn what the number can receive, then offer only that.
    if (v.channel !== 'email' && !this.smsCapable.has(v.to)) {
      const to = v.to
      api.analyse(to).then(
        (a) => {
          this.smsCapable.set(to, a.can_receive_sms)
          if (this.updateCode === refresh) refresh()
        },
        () => {},
      )
    }

    const submitCode = async (code: string) => {
      if (busy || code === lastTried) return
      lastTried = code
      busy = true
      verify.disabled = true
      try {
        const next = await api.check(code)
        this.onVerification(next)
      } catch (err) {
        const e = err instanceof ApiError ? err : undefined
        if (e?.code === 'VERIFICATION_EXPIRED') this.show('ended', 'expired')
        else if (e?.code === 'MAX_CHECK_ATTEMPTS_REACHED') this.show('ended', 'failed')
        else {
          showError(
            e?.code === 'CODE_INCORRECT'
              ? t('wrongCode', { n: Number(e.body.attempts_left ?? 0) })
              : this.errorNode(err),
          )
          input.select()
        }
      } finally {
        busy = false
        verify.disabled = false
      }
    }
    const digits = (s: string) => s.replace(/\D/g, '')
    input.addEventListener('input', () => {
      const d = digits(input.value).slice(0, v.code_length)
      if (d !== input.value) input.value = d
      if (d !== lastTried) {
        msg.replaceChildren()
        input.removeAttribute('aria-invalid')
      }
      if (d.length === v.code_length) void submitCode(d)
    })
    input.addEventListener('paste', (e) => {
      const text = e.clipboardData?.getData('text') ?? ''
      const d = digits(text)
      if (!d) return
      e.preventDefault()
      input.value = d.slice(0, v.code_length)
      input.dispatchEvent(new Event('input'))
    })
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const d = digits(input.value)
      if (d.length !== v.code_length) {
        showError(t('codeLabel', { n: v.code_length }))
        input.focus()
        return
      }
      lastTried = ''
      void submitCode(d)
    })
    resend.addEventListener('click', async () => {
      busy = true
      tick()
      try {
        this.onVerification(await api.resend())
        showSendError('')
        input.focus()
      } catch (err) {
        this.refused(err, showSendError, (until) => (retryUntil = until))
      } finally {
        busy = false
        tick()
      }
    })
    this.cleanups.push(
      listenForWebOtp((code) => {
        input.value = code
        input.dispatchEvent(new Event('input'))
      }),
    )
    refresh()
    return input
  }

  /** A refused send: the message with a live wait, and the countdown held until then. */
  private refused(
    err: unknown,
    showError: (text: Node | string) => void,
    holdUntil: (until: number) => void,
  ): void {
    const retryAfter = err instanceof ApiError ? err.body.retry_after : undefined
    if (typeof retryAfter === 'number') holdUntil(Date.now() + retryAfter * 1000)
    showError(this.errorNode(err))
  }

  /** Buttons for the service's other channels; email asks for an address first. */
  private otherChannels(
    v: ClientVerification,
    showError: (text: Node | string) => void,
    holdUntil: (until: number) => void,
  ): HTMLElement[] {
    const t = this.t
    const api = this.api!
    const current = v.delivery?.channel ?? v.channel
    const textable = this.smsCapable.get(v.to) !== false
    const channels = this.session!.service.channels.filter(
      (c) =>
        c !== current &&
        (c === 'email' ||
          (v.channel !== 'email' &&
            PHONE_CHANNELS.includes(c) &&
            (c === 'call' || c === 'telegram' || textable))),
    )
    return channels.map((c) => {
      const button = h('button', { type: 'button', 'data-channel': c }, t(SEND_KEY[c]))
      button.addEventListener('click', async () => {
        if (c === 'email') {
          this.typed.useEmail = true
          this.startAgain()
          return
        }
        button.disabled = true
        try {
          this.onVerification(await api.resend(c))
          showError('')
          this.shadow.querySelector<HTMLInputElement>('#vg-code')?.focus()
        } catch (err) {
          this.refused(err, showError, holdUntil)
        } finally {
          button.disabled = false
        }
      })
      return button
    })
  }

  // ---- help ---------------------------------------------------------------------------------

  private buildHelp(): HTMLElement {
    const t = this.t
    const api = this.api!
    const heading = h('h2', { tabindex: -1 }, t('helpTitle'))
    const body = h(
      'div',
      { class: 'causes', 'aria-live': 'polite', 'aria-busy': 'true' },
      h('p', { class: 'muted' }, t('loading')),
    )
    const back = h('button', { type: 'button', class: 'back', onclick: () => this.show('code') }, t('back'))
    this.frame.append(heading, body)
    const factors = this.session?.entity?.factors
    if (factors && (factors.totp || factors.passkey || factors.recovery_codes)) {
      this.frame.append(
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', class: 'use-factor', onclick: () => this.show('factors') },
            t('useFactor'),
          ),
        ),
      )
    }
    this.frame.append(h('div', { class: 'row' }, back))
    let alive = true
    this.cleanups.push(() => (alive = false))
    api.diagnosis(this.locale).then(
      (d) => {
        if (!alive) return
        body.removeAttribute('aria-busy')
        const v = this.verification
        // "Allow messages from X" is for a message list: never for a call, and said once.
        let senderTold = v?.channel === 'call' || v?.delivery?.channel === 'call'
        body.replaceChildren(
          ...(d.summary ? [h('p', { class: 'summary' }, d.summary)] : []),
          ...d.causes.map((c) => {
            const suggested =
              c.suggested_number ??
              (typeof c.suggestion === 'string' ? c.suggestion : (c.suggestion?.number ?? c.suggestion?.e164))
            const channel =
              c.suggested_channel ?? (typeof c.suggestion === 'object' ? c.suggestion?.channel : undefined)
            const section = h('section', { class: 'cause', 'data-cause': c.id })
            section.append(h('h3', {}, c.title), h('p', {}, c.explanation))
            if (c.next_actions.length)
              section.append(h('ul', {}, ...c.next_actions.map((a) => h('li', {}, a))))
            if (c.wait_seconds)
              section.append(
                h('p', { class: 'muted' }, t('waitAbout', { time: wordsWait(c.wait_seconds, this.locale) })),
              )
            const said = [c.title, c.explanation, ...c.next_actions].join(' ')
            if (c.sender_id && !senderTold && !said.includes(c.sender_id)) {
              senderTold = true
              section.append(h('p', { class: 'muted' }, this.tn('allowSender', { sender: ltr(c.sender_id) })))
            }
            if (suggested) {
              section.append(
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => {
                      this.typed.number = suggested
                      this.typed.useEmail = false
                      this.startAgain()
                    },
                  },
                  this.tn('useNumber', { n: ltr(suggested) }),
                ),
              )
            }
            if (
              channel &&
              v &&
              channel !== (v.delivery?.channel ?? v.channel) &&
              channel !== 'email' &&
              this.session?.service.channels.includes(channel)
            ) {
              const button = h('button', { type: 'button', 'data-channel': channel }, t(SEND_KEY[channel]))
              button.addEventListener('click', async () => {
                button.disabled = true
                try {
                  this.onVerification(await api.resend(channel))
                  this.show('code')
                } catch (err) {
                  button.disabled = false
                  section.append(h('p', { class: 'error', role: 'alert' }, this.errorText(err)))
                }
              })
              section.append(button)
            }
            return section
          }),
        )
      },
      (err) => {
        if (!alive) return
        body.removeAttribute('aria-busy')
        body.replaceChildren(h('p', { class: 'error' }, this.errorText(err)))
      },
    )
    return heading
  }

  // ---- factors ------------------------------------------------------------------------------

  private buildFactors(): HTMLElement | undefined {
    const enrol = this.getAttribute('mode') === 'enrol'
    const root = h('div', { class: 'factors' })
    this.frame.append(root)
    const available = this.session?.entity?.factors ?? { totp: false, passkey: false, recovery_codes: false }
    const ctx: FactorContext = {
      apiBase: this.api!.base,
      token: this.api!.token,
      locale: this.locale,
      mode: enrol ? 'enrol' : 'use',
      available: { ...available },
      onApproved: (detail) => this.approved(detail.factor, true),
      onBack: () => (this.verification ? this.show('code') : this.show('phone')),
    }
    mountFactors(root, ctx)
    return root.querySelector<HTMLElement>('h2,h3,button,input') ?? undefined
  }

  // ---- errors -------------------------------------------------------------------------------

  /** The person's words for a failed call: localised for known codes, else the server's message. */
  private errorText(err: unknown): string {
    return this.errorNode(err).textContent ?? ''
  }

  /** Like errorText, with a wait that counts down (`tickWaits`) where the refusal has one. */
  private errorNode(err: unknown): DocumentFragment {
    const t = this.tn
    const text = (s: string) => {
      const out = document.createDocumentFragment()
      out.append(s)
      return out
    }
    if (!(err instanceof ApiError)) return t('network')
    const retry = err.body.retry_after
    switch (err.code) {
      case 'network_error':
        return t('network')
      case 'RATE_LIMITED': {
        if (typeof retry !== 'number') return text(err.message)
        const time = waitTimer(Date.now() + retry * 1000, this.locale)
        return err.body.limit === 'resend_cooldown' ? t('cooldown', { time }) : t('retryIn', { time })
      }
      case 'MAX_SENDS_REACHED':
        return t('noSends')
      case 'VERIFICATION_EXPIRED':
        return t('expired')
      case 'MAX_CHECK_ATTEMPTS_REACHED':
        return t('tooMany')
      case 'CLIENT_TOKEN_EXPIRED':
        return t('linkExpired')
      case 'CLIENT_TOKEN_INVALID':
        return t('linkInvalid')
      default:
        return text(err.message)
    }
  }
}
