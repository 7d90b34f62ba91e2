/**
 * @module Enrolment (tokens minted with `allow_enrolment`): the user's sign-in methods, and setting
 * up an authenticator app (QR code, grouped secret, otpauth link, confirmed by the first code),
 * a passkey (named) and recovery codes (shown once, copied or downloaded, confirmed as saved).
 */
import { button, field, h, messageRegion, type Ui } from './ui.js'
import { createPasskey, passkeysSupported } from './webauthn.js'

/** `GET /v1/client/factors`. */
interface FactorList {
  totp: { id: string; friendly_name: string; status: string }[]
  passkeys: { id: string; name: string; created_at: string }[]
  recovery_codes: { remaining: number }
}

interface TotpEnrolment {
  factor_id: string
  secret: string
  uri: string
  qr_svg?: string
  qr_png?: string
}

/** The list of methods and what can be added; `notice` is announced (the result of the last step). */
export async function enrolHome(ui: Ui, notice?: string): Promise<void> {
  const { t, ctx } = ui
  const msg = messageRegion()
  const list = h('ul', { class: 'vgf-list' })
  const actions = h('div', { class: 'vgf-opts' })
  ui.show(t.manage, [list, actions, msg, button(t.back, ctx.onBack, true)])
  if (notice) ui.announce(notice)
  let factors: FactorList
  try {
    factors = await ui.api<FactorList>('/factors')
  } catch (err) {
    msg.className = 'vgf-msg vgf-err'
    msg.textContent = ui.describe(err).text
    actions.append(button(t.retry, () => void enrolHome(ui)))
    return
  }
  const date = new Intl.DateTimeFormat(ctx.locale || 'en', { dateStyle: 'medium' })
  const remaining = factors.recovery_codes.remaining
  const items = [
    ...factors.totp
      .filter((f) => f.status === 'verified')
      // The server's default name is "Authenticator app": no need to say it twice.
      .map((f) => [t.totpTitle, /^authenticator app$/i.test(f.friendly_name) ? '' : f.friendly_name]),
    ...factors.passkeys.map((p) => [t.pkTitle, `${p.name} · ${date.format(new Date(p.created_at))}`]),
    ...(remaining > 0 ? [[t.rcCount.replace('{n}', String(remaining))]] : []),
  ]
  list.append(
    ...items.map(([what, detail]) =>
      h('li', {}, what ?? '', detail && ' ', detail && h('small', {}, detail)),
    ),
  )
  if (items.length === 0) list.append(h('li', {}, t.none))
  const guard = (step: () => Promise<void>) => () =>
    void step().catch((err: unknown) => {
      msg.className = 'vgf-msg vgf-err'
      msg.textContent = ui.describe(err).text
    })
  actions.append(
    button(
      t.addTotp,
      guard(() => enrolTotp(ui)),
    ),
    passkeysSupported() ? button(t.addPk, () => enrolPasskey(ui)) : h('p', {}, t.pkNo),
    button(t.addRc, () => enrolRecoveryCodes(ui, remaining)),
  )
}

const backToList = (ui: Ui) => button(ui.t.back, () => void enrolHome(ui), true)

async function copy(ui: Ui, text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    ui.announce(ui.t.copied)
  } catch {
    ui.announce(ui.t.eGeneric, 'err')
  }
}

async function enrolTotp(ui: Ui): Promise<void> {
  const { t } = ui
  const e = await ui.api<TotpEnrolment>('/factors/totp', {})
  const qr = e.qr_png ?? (e.qr_svg ? `data:image/svg+xml,${encodeURIComponent(e.qr_svg)}` : undefined)
  const { form } = field(ui, {
    label: t.code,
    submit: t.confirm,
    digits: true,
    async send(code) {
      await ui.api(`/factors/totp/${encodeURIComponent(e.factor_id)}/verify`, { code })
      await enrolHome(ui, t.totpAdded)
    },
  })
  ui.show(t.addTotp, [
    h('p', {}, t.scan),
    qr && h('img', { src: qr, alt: t.qrAlt, width: 176, height: 176 }),
    h('p', {}, t.key),
    h(
      'div',
      { class: 'vgf-row' },
      // Groups of four are easier to type; authenticator apps ignore the spaces.
      h('code', { class: 'vgf-mono', 'data-secret': e.secret }, e.secret.replace(/(.{4})(?=.)/g, '$1 ')),
      button(t.copy, () => void copy(ui, e.secret), true),
    ),
    h('p', {}, h('a', { href: e.uri }, t.openApp)),
    h('p', {}, t.confirmHint),
    form,
    backToList(ui),
  ])
}

function enrolPasskey(ui: Ui): void {
  const { t } = ui
  const { form, input } = field(ui, {
    label: t.pkName,
    submit: t.pkCreate,
    input: { maxlength: 64, autocomplete: 'off' },
    async send(value) {
      const name = value ? { name: value } : {}
      const options = await ui.api<Record<string, unknown>>('/passkeys/registration/options', name)
      const response = await createPasskey(options)
      await ui.api('/passkeys/registration', { response, ...name })
      await enrolHome(ui, t.pkAdded)
    },
  })
  ui.show(t.addPk, [form, backToList(ui)], input)
}

function enrolRecoveryCodes(ui: Ui, remaining: number): void {
  const { t } = ui
  const msg = messageRegion()
  const create = async () => {
    let codes: string[]
    try {
      codes = (await ui.api<{ codes: string[] }>('/recovery-codes', {})).codes
    } catch (err) {
      msg.className = 'vgf-msg vgf-err'
      msg.textContent = ui.describe(err).text
      return
    }
    const text = `${codes.join('\n')}\n`
    const done = h(
      'button',
      { type: 'button', disabled: true, onclick: () => void enrolHome(ui, t.rcDone) },
      t.done,
    )
    const saved = h('input', { type: 'checkbox', onchange: () => (done.disabled = !saved.checked) })
    const download = () => {
      const a = h('a', {
        href: URL.createObjectURL(new Blob([text], { type: 'text/plain' })),
        download: 'recovery-codes.txt',
      })
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
    }
    ui.show(t.addRc, [
      h('p', { class: 'vgf-warn' }, t.rcSave),
      h('ol', { class: 'vgf-codes vgf-mono' }, ...codes.map((c) => h('li', {}, c))),
      h(
        'div',
        { class: 'vgf-row' },
        button(t.copy, () => void copy(ui, text), true),
        button(t.download, download, true),
      ),
      h('label', { class: 'vgf-check' }, saved, t.rcSaved),
      done,
    ])
  }
  ui.show(t.addRc, [
    h('p', {}, t.rcIntro),
    remaining > 0 && h('p', { class: 'vgf-warn' }, t.rcWarn),
    msg,
    h(
      'div',
      { class: 'vgf-row' },
      button(t.rcCreate, () => void create()),
      backToList(ui),
    ),
  ])
}
