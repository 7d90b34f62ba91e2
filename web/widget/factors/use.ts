/**
 * @module The "Didn't get the code?" side: the factors the user has (authenticator app, passkey,
 * recovery code) as ways to finish the verification. Each success tells the widget through
 * `ctx.onApproved`; the server has already recorded the result on the session.
 */
import type { FactorContext } from '../factor-context.js'
import { button, field, h, messageRegion, type Ui } from './ui.js'
import { getPasskey, passkeysSupported } from './webauthn.js'

type Factor = Parameters<FactorContext['onApproved']>[0]['factor']

export function useHome(ui: Ui): void {
  const { t, ctx } = ui
  const options = [
    ctx.available.totp && button(t.optTotp, () => useTotp(ui)),
    ctx.available.passkey && passkeysSupported() && button(t.optPasskey, () => usePasskey(ui)),
    ctx.available.recovery_codes && button(t.optRecovery, () => useRecoveryCode(ui)),
  ]
  ui.show(t.useTitle, [
    options.some(Boolean) ? h('div', { class: 'vgf-opts' }, ...options) : h('p', {}, t.none),
    button(t.back, ctx.onBack, true),
  ])
}

function approved(ui: Ui, factor: Factor, text = ui.t.verified): void {
  ui.show(ui.t.verified, [])
  ui.announce(text)
  ui.ctx.onApproved({ factor })
}

const backToList = (ui: Ui) => button(ui.t.back, () => useHome(ui), true)

function useTotp(ui: Ui): void {
  const { t } = ui
  const { form, input } = field(ui, {
    label: t.code,
    submit: t.verify,
    digits: true,
    async send(code) {
      await ui.api('/factors/totp/check', { code })
      approved(ui, 'totp')
    },
  })
  ui.show(t.totpTitle, [h('p', {}, t.totpHint), form, backToList(ui)], input)
}

function useRecoveryCode(ui: Ui): void {
  const { t } = ui
  const { form, input } = field(ui, {
    label: t.rcTitle,
    submit: t.verify,
    input: {
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
      maxlength: 64,
      class: 'vgf-mono',
    },
    check: (v) => (v ? undefined : t.eRc),
    async send(code) {
      const r = await ui.api<{ remaining: number }>('/recovery-codes/use', { code })
      approved(ui, 'recovery_code', t.rcLeft.replace('{n}', String(r.remaining)))
    },
  })
  ui.show(t.rcTitle, [h('p', {}, t.rcHint), form, backToList(ui)], input)
}

/** Starts at once: the click that opened this screen is the user gesture browsers want. */
function usePasskey(ui: Ui): void {
  const { t } = ui
  const msg = messageRegion()
  const retry = button(t.retry, () => void run())
  const run = async () => {
    retry.hidden = true
    msg.textContent = t.pkWait
    msg.className = 'vgf-msg'
    try {
      const options = await ui.api<Record<string, unknown>>('/passkeys/authentication/options', {})
      const response = await getPasskey(options)
      await ui.api('/passkeys/authentication', { response })
      approved(ui, 'passkey')
    } catch (err) {
      msg.className = 'vgf-msg vgf-err'
      msg.textContent = ui.describe(err).text
      retry.hidden = false
      retry.focus()
    }
  }
  ui.show(t.pkTitle, [msg, h('div', { class: 'vgf-row' }, retry, backToList(ui))])
  void run()
}
