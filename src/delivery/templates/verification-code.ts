/**
 * @module Renders the code message for a channel: localised wording or the service's template, and
 * for SMS the autofill lines (Android SMS Retriever app hash, WebOTP `@domain #code`).
 */
import type { Channel } from '../../channels/channel.js'
import { CODE_WORDING, resolveLocale } from './locales.js'

/** An Android SMS Retriever app hash: 11 characters of the base64 alphabet (e.g. `FA+9qCX9VSu`). */
export const ANDROID_APP_HASH_PATTERN = /^[A-Za-z0-9+/]{11}$/

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
  /**
   * The Android app's 11-character SMS Retriever hash, put on its own line so the app can read the
   * code without the SMS permission. SMS only. The Retriever ignores messages over 140 bytes, that is
   * over one segment: keep templates short when setting it.
   */
  readonly androidAppHash?: string | null | undefined
  /**
   * The payment the code authorises (PSD2 dynamic linking): named on its own line, `payee: amount`,
   * before any autofill lines, so the person sees what they approve.
   */
  readonly transaction?: { readonly amount: string; readonly payee: string } | null | undefined
}

export interface RenderedMessage {
  readonly body: string
  readonly subject?: string
  readonly locale: string
}

/**
 * Typographic look-alikes of GSM-7 characters. One of them (a curly quote pasted into a template or
 * brand, a non-breaking space) would switch the whole SMS to UCS-2 and cut its room from 160 to 70
 * characters; the plain character reads the same.
 */
const LOOK_ALIKES: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2018\u2019\u201A\u201B\u2032]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033]/g, '"'],
  [/[\u2010\u2011\u2012\u2013\u2014\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/[\u00A0\u2002\u2003\u2007\u2009\u202F]/g, ' '],
  [/[\u200B\u2060\uFEFF]/g, ''],
]

/** Replaces typographic look-alikes with their GSM-7 counterparts (see `LOOK_ALIKES`). */
function normalizeLookAlikes(text: string): string {
  let out = text
  for (const [pattern, plain] of LOOK_ALIKES) out = out.replace(pattern, plain)
  return out
}

function fill(text: string, model: CodeMessageModel, code: string): string {
  return text
    .replaceAll('{brand}', model.brand)
    .replaceAll('{code}', code)
    .replaceAll('{minutes}', String(model.minutes))
}

/** A message body, with the payment the code authorises on its own line when there is one. */
function body(text: string, model: CodeMessageModel, code: string): string {
  const t = model.transaction
  return t ? `${fill(text, model, code)}\n${t.payee}: ${t.amount}` : fill(text, model, code)
}

/** The SMS autofill lines that follow the text, after a blank line; empty when none is configured. */
function autofillLines(model: CodeMessageModel): string[] {
  const lines: string[] = []
  // The Retriever guide says the message "ends with" the hash, the WebOTP spec says `@domain #code`
  // must be the last line: with both set the two conflict. As providers.md §7.3 recommends, the
  // WebOTP line stays last and the hash goes on its own line just before it (the Retriever finds the
  // hash on its own line). A service that needs the hash strictly last should not set webotp_domain.
  // No `<#>` prefix: only older Retriever docs asked for it.
  if (model.androidAppHash) lines.push(model.androidAppHash)
  if (model.webotpDomain) lines.push(`@${model.webotpDomain} #${model.code}`)
  return lines
}

export function renderCodeMessage(model: CodeMessageModel): RenderedMessage {
  const locale = resolveLocale(model.locale)
  const wording = CODE_WORDING[locale]
  switch (model.channel) {
    case 'call':
      // Spaced digits make text-to-speech read "1 2 3" rather than "one hundred twenty-three".
      return { body: body(wording.voice, model, model.code.split('').join(' ')), locale }
    case 'email':
      return {
        body: body(wording.sms, model, model.code),
        subject: fill(wording.emailSubject, model, model.code),
        locale,
      }
    case 'whatsapp':
    case 'telegram':
      return { body: body(model.template ?? wording.sms, model, model.code), locale }
    case 'sms': {
      const text = normalizeLookAlikes(body(model.template ?? wording.sms, model, model.code))
      const lines = autofillLines(model)
      return { body: lines.length > 0 ? `${text}\n\n${lines.join('\n')}` : text, locale }
    }
  }
}
