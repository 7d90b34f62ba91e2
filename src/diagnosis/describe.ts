/** @module Formatting for diagnoses: durations in plain words, country names, one-line event facts. */
import type { Channel } from '../channels/channel.js'
import type { VerificationEvent } from '../events/verification-event.js'

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}

/** Seconds to wait, rounded up so waiting that long is always enough. */
export function waitSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000))
}

/**
 * A duration for people: exact seconds under 90 s ("45 seconds"), whole minutes (rounded up) under
 * 90 minutes, then hours. Waits are rounded up so "try again in 5 minutes" is never too early.
 */
export function duration(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 90) return plural(s, 'second')
  const m = Math.ceil(s / 60)
  if (m < 90) return plural(m, 'minute')
  return plural(Math.ceil(m / 60), 'hour')
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

let regionNames: Intl.DisplayNames | undefined

/** `GB` -> `the United Kingdom`-style English name, or the code itself when unknown. */
export function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' })
    return regionNames.of(code) ?? code
  } catch {
    return code
  }
}

/** How a message on this channel is named for the person receiving it. */
export function messageNoun(channel: Channel): string {
  switch (channel) {
    case 'sms':
      return 'text message'
    case 'call':
      return 'phone call'
    case 'whatsapp':
      return 'WhatsApp message'
    case 'email':
      return 'email'
  }
}

/** A string field of event data, when present. */
export function str(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = data[key]
  if (typeof v === 'string' && v !== '') return v
  if (typeof v === 'number') return String(v)
  return undefined
}

/** A numeric field of event data, when present. */
export function num(data: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const v = data[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** `045 / UNDELIV "Message filtered"`-style raw provider detail. */
export function rawDetail(data: Readonly<Record<string, unknown>>): string {
  const parts = [str(data, 'raw_status'), str(data, 'raw_code')].filter((x) => x !== undefined)
  const http = num(data, 'http_status')
  if (http !== undefined && !parts.includes(String(http))) parts.push(`HTTP ${http}`)
  const text = str(data, 'raw_text')
  const codes = parts.length > 0 ? `raw ${parts.join('/')}` : 'no raw code'
  return text ? `${codes}: "${text}"` : codes
}

function on(data: Readonly<Record<string, unknown>>): string {
  const route = str(data, 'route') ?? 'an unknown route'
  const provider = str(data, 'provider')
  const from = str(data, 'from')
  const detail = [provider && `provider ${provider}`, from && `sender ${from}`].filter(Boolean).join(', ')
  return detail ? `${route} (${detail})` : route
}

/** One line per event, in support's terms: routes, providers, raw codes. */
export function describeEvent(e: VerificationEvent): string {
  const d = e.data
  switch (e.type) {
    case 'created':
      return `verification created for ${str(d, 'channel') ?? 'sms'}${str(d, 'country') ? ` (${str(d, 'country')})` : ''}`
    case 'send_requested':
      return `send #${num(d, 'send_number') ?? 1} requested (message ${str(d, 'message_id') ?? '?'})`
    case 'handed_to_provider':
      return `handed to ${on(d)} as ${str(d, 'provider_message_id') ?? '?'} (hop ${num(d, 'hop') ?? '?'}, ${str(d, 'channel') ?? 'sms'})`
    case 'submit_failed':
      return `submit to ${on(d)} failed: ${str(d, 'outcome') ?? 'unknown'} (${rawDetail(d)})`
    case 'delivery_pending':
      return `receipt from ${on(d)}: still pending (${rawDetail(d)})`
    case 'delivered':
      return `delivered receipt from ${on(d)} (${rawDetail(d)})${num(d, 'since_sent_ms') !== undefined ? `, ${num(d, 'since_sent_ms')} ms after hand-over` : ''}`
    case 'delivery_failed':
      return `failed receipt from ${on(d)}: ${str(d, 'outcome') ?? 'unknown'} (${rawDetail(d)})`
    case 'receipt_timeout':
      return `no receipt from ${on(d)} within ${num(d, 'waited_ms') ?? '?'} ms`
    case 'channel_fallback':
      return `channel fallback ${str(d, 'from_channel') ?? '?'} -> ${str(d, 'to_channel') ?? '?'} (${str(d, 'reason') ?? '?'})`
    case 'gave_up':
      return `message ${str(d, 'message_id') ?? '?'} given up: ${str(d, 'reason') ?? '?'}${num(d, 'hops') !== undefined ? ` after ${plural(num(d, 'hops')!, 'hop')}` : ''}`
    case 'check_failed':
      return `wrong code entered (attempt ${num(d, 'attempt') ?? '?'}, ${num(d, 'attempts_left') ?? '?'} left)`
    case 'approved':
      return `code accepted (attempt ${num(d, 'attempt') ?? '?'})`
    case 'expired':
      return 'verification expired'
    case 'canceled':
      return 'verification canceled through the API'
    case 'max_attempts_reached':
      return `maximum check attempts reached (${num(d, 'attempts') ?? '?'})`
    case 'limit_hit': {
      const at = num(d, 'retry_at')
      return `limit ${str(d, 'limit') ?? '?'} hit${at !== undefined ? `; allowed again at ${iso(at)}` : ''}`
    }
  }
}
