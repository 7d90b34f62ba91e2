/**
 * @module The person page's timeline: each recorded event as one sentence for support staff, with
 * its time (the staff member's local time once console.js runs, UTC on hover and without script),
 * services by name, and the raw event data one click away for whoever needs the provider's codes.
 */
import type { VerificationEvent } from '../../../events/verification-event.js'
import { escapeHtml } from '../../web-assets.js'

/** Escapes a value for HTML (console-layout's `h`, kept here so the layout can import this file's CSS). */
const h = (value: string | number | null | undefined): string =>
  escapeHtml(value === null || value === undefined ? '' : String(value))

type Data = Readonly<Record<string, unknown>>

const str = (d: Data, key: string): string | undefined => {
  const v = d[key]
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
}
const num = (d: Data, key: string): number | undefined => {
  const v = d[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

/** `4.2 s`, `2 min 5 s`, `850 ms`: a duration for a person. */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}

const UTC = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

/**
 * A `<time>` that console.js rewrites into the reader's own zone; the UTC form stays as its text
 * without script and as its title on hover.
 */
export function timeHtml(ms: number): string {
  const at = new Date(ms)
  const utc = `${UTC.format(at)} UTC`
  return `<time datetime="${h(at.toISOString())}" title="${h(utc)}" data-local>${h(utc)}</time>`
}

const CHANNEL_WORDS: Record<string, string> = {
  sms: 'SMS',
  call: 'voice call',
  whatsapp: 'WhatsApp',
  email: 'email',
}
const channel = (d: Data, key = 'channel') => {
  const c = str(d, key)
  return c ? (CHANNEL_WORDS[c] ?? c) : 'message'
}

/** A delivery outcome or give-up reason in words; the code itself stays in the raw data. */
const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  delivered: 'delivered',
  pending: 'still on its way',
  invalid_number: 'the number is invalid',
  not_mobile: 'not a mobile number',
  carrier_blocked: 'the carrier blocked it',
  unreachable: 'the phone was off or out of coverage',
  unknown_subscriber: 'the number is not in service',
  geo_blocked: 'the provider does not send to this country',
  opted_out: 'the person opted out of this sender',
  no_account: 'the number has no account on that app',
  provider_throttled: 'the provider was too busy',
  provider_error: 'the provider failed',
  expired: 'it expired before delivery',
  unknown: 'for an unknown reason',
  no_route: 'no route left to try',
  spend_cap: "the service's daily spending limit was reached",
}
const outcome = (d: Data, key: string) => {
  const v = str(d, key)
  return v ? (OUTCOME_WORDS[v] ?? v.replaceAll('_', ' ')) : 'for an unknown reason'
}

/** What a limit refused, in words (the limit's name is in the raw data). */
const LIMIT_WORDS: Readonly<Record<string, string>> = {
  sends_per_destination: 'too many codes sent to this number',
  checks_per_destination: 'too many codes tried for this number',
  resend_cooldown: 'a new code asked for too soon',
  starts_per_ip: "too many attempts from the person's network",
  starts_per_prefix: 'too many attempts to numbers like this one',
  starts_per_service: 'the service started too many verifications',
  global_sends: 'the server reached its sending budget',
  max_sends: 'every resend used up',
  max_check_attempts: 'too many wrong codes',
  fraud_guard: 'the fraud guard held it back',
}

const via = (d: Data) => {
  const route = str(d, 'route')
  const from = str(d, 'from')
  return `${route ? ` on <code>${h(route)}</code>` : ''}${from ? ` from sender <strong>${h(from)}</strong>` : ''}`
}

/** What happened, as HTML (every value escaped), in support's words. */
function sentence(e: VerificationEvent, serviceName: (id: string) => string): string {
  const d = e.data
  switch (e.type) {
    case 'created':
      return `Verification started by <strong>${h(serviceName(e.serviceId))}</strong> (${h(channel(d))}${str(d, 'country') ? `, ${h(str(d, 'country'))}` : ''})`
    case 'send_requested':
      return d.resend === true
        ? `Resend #${h(num(d, 'send_number') ?? '?')} asked for (${h(channel(d))})`
        : `Code queued for ${h(channel(d))}`
    case 'handed_to_provider':
      return `Handed to ${h(str(d, 'provider') ?? 'the provider')}${via(d)}${num(d, 'latency_ms') !== undefined ? ` in ${h(humanDuration(num(d, 'latency_ms')!))}` : ''}`
    case 'submit_failed': {
      const next = num(d, 'next_attempt_at')
      return `${h(str(d, 'provider') ?? 'The provider')} refused it: ${h(outcome(d, 'outcome'))}${next !== undefined ? `; next try at ${timeHtml(next)}` : ''}`
    }
    case 'delivery_pending':
      return `Receipt: still on its way${via(d)}`
    case 'delivered':
      return `Delivered${via(d)}${num(d, 'since_sent_ms') !== undefined ? `, ${h(humanDuration(num(d, 'since_sent_ms')!))} after hand-over` : ''}`
    case 'delivery_failed':
      return `Not delivered, ${h(outcome(d, 'outcome'))}${via(d)}`
    case 'receipt_timeout':
      return `No receipt${via(d)} within ${h(humanDuration(num(d, 'waited_ms') ?? 0))}`
    case 'channel_fallback':
      return `Switched from ${h(channel(d, 'from_channel'))} to ${h(channel(d, 'to_channel'))} (${h(str(d, 'reason') ? outcome(d, 'reason') : 'no reason given')})`
    case 'gave_up':
      return `Given up, ${h(outcome(d, 'reason'))}${num(d, 'hops') !== undefined ? ` after ${h(num(d, 'hops'))} route${num(d, 'hops') === 1 ? '' : 's'}` : ''}`
    case 'check_failed':
      return `Wrong code entered (${h(num(d, 'attempts_left') ?? '?')} tries left)`
    case 'approved':
      return 'Right code entered: verified'
    case 'expired':
      return 'The code expired'
    case 'canceled':
      return 'Canceled'
    case 'max_attempts_reached':
      return `Too many wrong codes (${h(num(d, 'attempts') ?? '?')})`
    case 'limit_hit': {
      const limit = str(d, 'limit')
      const wait = num(d, 'retry_after_ms')
      const at = num(d, 'retry_at')
      const what = limit ? (LIMIT_WORDS[limit] ?? limit.replaceAll('_', ' ')) : 'a limit'
      return `Refused: ${h(what)}${wait !== undefined ? `; wait ${h(humanDuration(wait))}` : ''}${at !== undefined ? ` (until ${timeHtml(at)})` : ''}`
    }
    default:
      return h(String(e.type))
  }
}

const TONE: Partial<Record<VerificationEvent['type'], string>> = {
  delivered: 'ok',
  approved: 'ok',
  submit_failed: 'bad',
  delivery_failed: 'bad',
  gave_up: 'bad',
  receipt_timeout: 'bad',
  max_attempts_reached: 'bad',
  limit_hit: 'bad',
  check_failed: 'warn',
}

/**
 * The events, oldest first, as a timeline list. `redact` hides the destination in raw data
 * unless it was revealed.
 */
export function timelineHtml(
  events: readonly VerificationEvent[],
  opts: { redact: (t: string) => string; serviceName: (id: string) => string; label: string },
): string {
  if (events.length === 0) return ''
  const items = events
    .map(
      (e) => `<li class="ev ${TONE[e.type] ?? ''}" data-type="${h(e.type)}">${timeHtml(e.at)}
<div class="what"><span>${sentence(e, opts.serviceName)}</span>
<details class="raw" data-event="${h(e.type)}"><summary>Raw data</summary><pre>${h(opts.redact(JSON.stringify(e.data, null, 1)))}</pre></details></div></li>`,
    )
    .join('')
  return `<h3 class="timeline-title">${h(opts.label)}</h3><ol class="timeline">${items}</ol>`
}

export const TIMELINE_CSS = `
ol.timeline{list-style:none;margin:8px 0 16px;padding:0;border-left:2px solid #c4cad3}
ol.timeline>li{position:relative;display:grid;grid-template-columns:minmax(9.5em,max-content) 1fr;gap:2px 14px;padding:6px 0 6px 16px}
ol.timeline>li::before{content:"";position:absolute;left:-6px;top:12px;width:10px;height:10px;border-radius:50%;background:#8a939e}
ol.timeline>li.ok::before{background:#1f7a3f}ol.timeline>li.bad::before{background:#b42318}ol.timeline>li.warn::before{background:#b45309}
ol.timeline time{color:#4f5862;font-variant-numeric:tabular-nums;white-space:nowrap}
ol.timeline .what{min-width:0;overflow-wrap:anywhere}
ol.timeline details.raw{margin-top:2px;font-size:13px}
ol.timeline details.raw pre{background:#f4f5f7;border-radius:4px;padding:6px 8px;margin-top:4px}
@media (max-width:640px){ol.timeline>li{grid-template-columns:1fr}}
`
