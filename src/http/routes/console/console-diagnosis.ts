/**
 * @module The diagnosis on the person page, written for a support person on the phone with the
 * customer: one short headline per cause ("Too many codes sent to this number"), times relative
 * to now ("4 minutes ago", the exact local time and UTC on hover), waits as durations in the
 * reader's language, and the fixes as buttons that post to the console's own actions. Record ids,
 * limit and setting names, provider codes and counters are all kept, one click away under
 * "Technical detail", for whoever escalates.
 */
import type { Channel } from '../../../channels/channel.js'
import type { Cause, Diagnosis, DiagnosisStatus } from '../../../diagnosis/index.js'
import { supportDuration } from '../../../diagnosis/support-words/index.js'
import { h, reasonField } from './console-layout.js'

/** The verification a diagnosis is about, as far as its action buttons need it. */
export interface DiagnosedVerification {
  readonly id: string
  readonly status: string
  readonly channel: Channel
  readonly createdAt: number
  readonly expiresAt: number
  readonly sendCount: number
  readonly maxSends: number
  readonly checkAttempts: number
  readonly maxCheckAttempts: number
}

/** What the buttons may do for this reader; absent: the reader may only read (a viewer). */
export interface DiagnosisActions {
  /** The form fields every console action needs (CSRF token). */
  readonly csrf: string
  /** The person's reference (`ref`) for the person-wide actions. */
  readonly ref: string
  /** Lift limits and the safe list act on every service: only for staff who reach them all. */
  readonly everyService: boolean
  /** Whether the number is on the safe list already. */
  readonly safeListed: boolean
  /** The channels other than the verification's that have a route to the person's country. */
  readonly otherChannels: readonly Channel[]
}

export interface DiagnosisView {
  readonly now: number
  /** The reader's language for durations and relative times (`Accept-Language`); words stay English. */
  readonly locale: string
  readonly redact: (text: string) => string
  readonly headingId: string
  readonly title: string
  readonly verification?: DiagnosedVerification | undefined
  readonly actions?: DiagnosisActions | undefined
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

/** The first language of an `Accept-Language` header that `Intl` knows; `en` otherwise. */
export function staffLocale(acceptLanguage: string | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim()
    if (!tag || tag === '*') continue
    try {
      const [known] = Intl.NumberFormat.supportedLocalesOf([tag])
      if (known) return known
    } catch {
      // A malformed tag: try the next one.
    }
  }
  return 'en'
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>()

/** "4 minutes ago", "in 5 minutes", "now": `at` relative to `now`, in `locale`. */
export function relativeTime(at: number, now: number, locale: string): string {
  let f = relativeFormats.get(locale)
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' })
    relativeFormats.set(locale, f)
  }
  const seconds = (at - now) / 1000
  const abs = Math.abs(seconds)
  // Rounded toward now, so "in 4 minutes" is never later than the real time.
  const round = (n: number) => (n < 0 ? Math.ceil(n) : Math.floor(n))
  if (abs < 60) return f.format(round(seconds), 'second')
  if (abs < 3_600) return f.format(round(seconds / 60), 'minute')
  if (abs < 86_400) return f.format(round(seconds / 3_600), 'hour')
  return f.format(round(seconds / 86_400), 'day')
}

/**
 * A `<time>` that reads relative to now; its title holds the UTC time, and console.js puts the
 * reader's local time in front of it (`data-relative`).
 */
export function relativeTimeHtml(at: number, now: number, locale: string): string {
  const date = new Date(at)
  return `<time datetime="${h(date.toISOString())}" title="${h(`${UTC.format(date)} UTC`)}" data-relative>${h(relativeTime(at, now, locale))}</time>`
}

const STATUS_WORDS: Readonly<Record<DiagnosisStatus, string>> = {
  pending: 'Waiting for the code',
  approved: 'Verified',
  canceled: 'Canceled',
  expired: 'Expired',
  failed: 'Failed',
  no_verification: 'No verification yet',
}

const LIKELIHOOD_WORDS: Readonly<Record<Cause['likelihood'], string>> = {
  confirmed: 'Confirmed',
  likely: 'Likely',
  possible: 'Possible',
}

const CHANNEL_WORDS: Readonly<Record<Channel, string>> = {
  sms: 'SMS',
  call: 'call',
  whatsapp: 'WhatsApp',
  email: 'email',
  telegram: 'Telegram',
}

/** The limits "Lift limits" clears (VerificationLimits' per-destination counters and the range). */
const LIFTABLE = new Set(['sends_per_destination', 'checks_per_destination', 'starts_per_prefix'])
/** Causes another channel may get around: the message cannot reach the person on this one. */
const OTHER_CHANNEL = new Set<Cause['id']>([
  'carrier_filtered',
  'opted_out',
  'number_not_sms_capable',
  'handset_unreachable',
  'delivery_failed',
  'provider_outage',
  'voip_number',
])
/** Causes a plain resend on the same channel may fix. */
const SAME_CHANNEL = new Set<Cause['id']>([
  'handset_unreachable',
  'delivery_failed',
  'provider_outage',
  'delivery_delayed',
  'delivered_not_entered',
])

interface Button {
  readonly label: string
  readonly action: string
  readonly name?: string
  readonly value?: string
  readonly danger?: boolean
}

/** Causes that refuse every send for now: a resend button would only be refused. */
const REFUSES_SENDS = new Set<Cause['id']>(['rate_limited', 'max_sends_reached'])

/**
 * The console actions that fix this cause, as buttons (each one an existing console POST). `all`
 * is every cause of the diagnosis: while one of them refuses sends, no resend is offered (lift
 * the limit first, and the resend buttons come back).
 */
export function causeButtons(c: Cause, view: DiagnosisView, all: readonly Cause[] = [c]): Button[] {
  const a = view.actions
  if (!a) return []
  const buttons: Button[] = []
  if (c.id === 'rate_limited' && a.everyService) {
    if (c.limit !== undefined && LIFTABLE.has(c.limit))
      buttons.push({ label: 'Lift the limit', action: '/console/person/lift-limits' })
    if (c.limit === 'fraud_guard' && !a.safeListed)
      buttons.push({
        label: 'Put the number on the safe list',
        action: '/console/person/safe-list',
        name: 'op',
        value: 'add',
      })
  }
  const v = view.verification
  const refused = all.some((x) => REFUSES_SENDS.has(x.id))
  if (v && v.status === 'pending' && view.now < v.expiresAt && v.channel !== 'email' && !refused) {
    const resend = `/console/verifications/${encodeURIComponent(v.id)}/resend`
    if (SAME_CHANNEL.has(c.id))
      buttons.push({
        label: `Resend by ${CHANNEL_WORDS[v.channel]}`,
        action: resend,
        name: 'channel',
        value: v.channel,
      })
    if (OTHER_CHANNEL.has(c.id))
      for (const other of a.otherChannels)
        buttons.push({
          label: `Resend by ${CHANNEL_WORDS[other]}`,
          action: resend,
          name: 'channel',
          value: other,
        })
  }
  return buttons
}

function buttonsHtml(c: Cause, view: DiagnosisView, index: number, all: readonly Cause[]): string {
  const buttons = causeButtons(c, view, all)
  const a = view.actions
  if (!a || buttons.length === 0) return ''
  // One form per cause, one reason for whichever button is pressed; each button posts to its own action.
  const first = buttons[0]!
  return `<form method="post" action="${h(first.action)}" class="cause-actions"><input type="hidden" name="csrf" value="${h(a.csrf)}"><input type="hidden" name="ref" value="${h(a.ref)}">
${reasonField(`${view.headingId}-${index}`)}<div class="buttons">${buttons
    .map(
      (b) =>
        `<button type="submit" formaction="${h(b.action)}"${b.name ? ` name="${h(b.name)}" value="${h(b.value)}"` : ''}${b.danger ? ' class="danger"' : ''}>${h(b.label)}</button>`,
    )
    .join('')}</div></form>`
}

/** The wait of a cause in words, `wait` (HTML) in bold. */
function waitWords(c: Cause, wait: string): string {
  const strong = `<strong>${wait}</strong>`
  if (c.id === 'max_sends_reached') return `No more codes; the verification ends in ${strong}`
  if (c.id !== 'rate_limited') return `Expected within ${strong}`
  if (c.limit === 'checks_per_destination') return `New tries are allowed in ${strong}`
  // No live verification (ended, or none): the wait is the number's.
  if (c.sends_left === undefined) return `This number can get a new code in ${strong}`
  // The limit outlasts the verification: the wait is for a new verification, not this one.
  if (c.sends_left === 0) return `The limit lifts in ${strong}; this verification can send no more codes`
  return `A new code can go out in ${strong}, then up to ${c.sends_left === 1 ? '1 more code' : `${c.sends_left} more codes`}`
}

/** The plain facts of a cause a support person acts on: how long to wait, what the person sees. */
function causeFactsHtml(c: Cause, view: DiagnosisView): string {
  const lines: string[] = []
  if (c.wait_seconds) {
    const wait = supportDuration(c.wait_seconds * 1000, view.locale)
    lines.push(`<p class="wait">${waitWords(c, h(wait))}</p>`)
  }
  if (c.sender_id)
    lines.push(`<p>The message comes from <strong class="sender-id" dir="ltr">${h(c.sender_id)}</strong></p>`)
  if (c.suggested_number)
    lines.push(`<p>Did they mean <strong dir="ltr">${h(view.redact(c.suggested_number))}</strong>?</p>`)
  lines.push(`<p class="muted">The person is told: “${h(c.title_user)}”</p>`)
  return lines.join('')
}

/** Everything behind the headline, for whoever escalates: names, codes, counters and raw data. */
function causeDetailHtml(c: Cause, view: DiagnosisView): string {
  const { redact } = view
  const evidence = c.evidence
    .map((e) => {
      const at = e.at ? Date.parse(e.at) : Number.NaN
      return `<li>${Number.isNaN(at) ? '' : `${relativeTimeHtml(at, view.now, view.locale)}: `}${h(redact(e.fact))}${
        e.raw ? `<pre>${h(redact(JSON.stringify(e.raw, null, 1)))}</pre>` : ''
      }</li>`
    })
    .join('')
  return `<details class="tech"><summary>Technical detail</summary>
<p>Cause <code>${h(c.id)}</code>${c.limit ? `, limit <code>${h(c.limit)}</code>` : ''} (${h(c.likelihood)})</p>
<p>${h(redact(c.explanation_support))}</p>
${c.next_actions_support.length ? `<p>Next steps</p><ul>${c.next_actions_support.map((x) => `<li>${h(redact(x))}</li>`).join('')}</ul>` : ''}
${evidence ? `<p>Evidence</p><ul class="evidence">${evidence}</ul>` : ''}
</details>`
}

function causeHtml(c: Cause, view: DiagnosisView, index: number, all: readonly Cause[]): string {
  return `<li data-cause="${h(c.id)}"><h3 class="headline">${h(c.title_support)} <span class="badge ${h(c.likelihood)}">${h(LIKELIHOOD_WORDS[c.likelihood])}</span></h3>
${causeFactsHtml(c, view)}
${buttonsHtml(c, view, index, all)}
${causeDetailHtml(c, view)}</li>`
}

/** The verification's state in words: started when, ends when, codes sent and tries used. */
function stateHtml(d: Diagnosis, view: DiagnosisView): string {
  const v = view.verification
  const parts: string[] = []
  if (v) {
    parts.push(`started ${relativeTimeHtml(v.createdAt, view.now, view.locale)}`)
    if (d.status === 'pending') parts.push(`ends ${relativeTimeHtml(v.expiresAt, view.now, view.locale)}`)
    else if (d.status === 'expired')
      parts.push(`ended ${relativeTimeHtml(v.expiresAt, view.now, view.locale)}`)
    parts.push(`${h(v.sendCount)} of ${h(v.maxSends)} codes sent`)
    parts.push(`${h(v.checkAttempts)} of ${h(v.maxCheckAttempts)} tries used`)
  }
  return `<p class="state"><span class="badge ${h(d.status)}">${h(STATUS_WORDS[d.status])}</span>${
    parts.length ? ` <span>${parts.join(' · ')}</span>` : ''
  }</p>`
}

export function diagnosisHtml(d: Diagnosis, view: DiagnosisView): string {
  const { redact } = view
  return `<section class="card diagnosis" aria-labelledby="${h(view.headingId)}" id="${view.headingId === 'verdict' ? 'diagnosis' : `diagnosis-${h(view.headingId)}`}"><h2 id="${h(view.headingId)}">${h(view.title)}</h2>
${stateHtml(d, view)}
${d.causes.length ? `<ol class="causes">${d.causes.map((c, i) => causeHtml(c, view, i, d.causes)).join('')}</ol>` : '<p class="muted">Nothing is wrong: no cause to report.</p>'}
<details class="tech"><summary>Technical summary</summary>${d.verification_id ? `<p>Verification <code>${h(d.verification_id)}</code>, status <code>${h(d.status)}</code></p>` : ''}<p>${h(redact(d.summary_support))}</p></details>
</section>`
}
