/** @module Renders the code message for a channel, with the WebOTP `@domain #code` line when configured. */
import type { Channel } from '../channel.js'
import { CODE_WORDING, resolveLocale } from './locales.js'

export interface CodeMessageModel {
  readonly code: string
  readonly brand: string
  readonly minutes: number
  readonly locale: string
  readonly channel: Channel
  /** A service's own template (`{code}`, `{brand}`, `{minutes}`); used for sms and whatsapp. */
  readonly template?: string | null | undefined
  /** Adds `@domain #code` as the last SMS line so browsers can autofill it (WebOTP). */
  readonly webotpDomain?: string | null | undefined
}

export interface RenderedMessage {
  readonly body: string
  readonly subject?: string
  readonly locale: string
}

function fill(text: string, model: CodeMessageModel, code: string): string {
  return text.replaceAll('{brand}', model.brand).replaceAll('{code}', code).replaceAll('{minutes}', String(model.minutes))
}

export function renderCodeMessage(model: CodeMessageModel): RenderedMessage {
  const locale = resolveLocale(model.locale)
  const wording = CODE_WORDING[locale]
  switch (model.channel) {
    case 'call':
      // Spaced digits make text-to-speech read "1 2 3" rather than "one hundred twenty-three".
      return { body: fill(wording.voice, model, model.code.split('').join(' ')), locale }
    case 'email':
      return { body: fill(wording.sms, model, model.code), subject: fill(wording.emailSubject, model, model.code), locale }
    case 'sms':
    case 'whatsapp': {
      let body = fill(model.template ?? wording.sms, model, model.code)
      if (model.channel === 'sms' && model.webotpDomain) body += `\n\n@${model.webotpDomain} #${model.code}`
      return { body, locale }
    }
  }
}
