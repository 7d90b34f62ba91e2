/**
 * @module `diagnose(facts)`: why a code did not reach (or was not accepted from) the person, as
 * ranked causes worded twice: plainly for the user, with providers, routes and raw codes for
 * support. Pure: the same facts always give the same diagnosis.
 */
import type { Channel } from '../channels/channel.js'
import type { OutboxMessage } from '../delivery/outbox.js'
import type { DeliveryOutcome } from '../delivery/outcome.js'
import type { VerificationEvent } from '../events/verification-event.js'
import { SAFE_LIST_EXEMPT } from '../limits/verification-limits.js'
import type { PhoneProblem } from '../phone/index.js'
import type { Verification } from '../verification/verification.js'
import {
  countryName,
  describeEvent,
  duration,
  iso,
  messageNoun,
  num,
  plural,
  rawDetail,
  str,
  waitSeconds,
} from './describe.js'
import type {
  Cause,
  CauseId,
  CounterFacts,
  Diagnosis,
  DiagnosisInput,
  DiagnosisStatus,
  Evidence,
  Likelihood,
} from './diagnosis.js'

/** Hand-over-to-receipt time assumed for a route that has no measured latency yet. */
export const DEFAULT_DELIVERY_MS = 10_000

const LIKELIHOOD_ORDER: Readonly<Record<Likelihood, number>> = { confirmed: 0, likely: 1, possible: 2 }

/**
 * Among causes of the same likelihood, the higher weight ranks first. Causes that block every
 * further attempt (a wrong number, a country that is off) come before the ones that explain a
 * delay, and the state of the verification (expired, canceled) comes last: it is what happened,
 * the other causes say why.
 */
const WEIGHT: Readonly<Record<CauseId, number>> = {
  number_mistyped: 100,
  country_not_enabled: 95,
  number_not_sms_capable: 90,
  unknown_subscriber: 88,
  opted_out: 86,
  rate_limited: 85,
  max_attempts_reached: 84,
  max_sends_reached: 83,
  carrier_filtered: 80,
  handset_unreachable: 78,
  provider_outage: 76,
  spend_cap_reached: 75,
  no_route: 74,
  wrong_code: 70,
  delivered_not_entered: 65,
  delivery_failed: 62,
  sent_by_other_channel: 60,
  delivery_delayed: 55,
  provider_outage_rerouted: 50,
  not_sent_yet: 45,
  expired: 40,
  canceled: 35,
  voip_number: 20,
}

/** A resend refused by the cooldown is a small matter: the code already sent still works. */
const COOLDOWN_WEIGHT = 62

/** Receipt outcomes and submit errors, mapped to the cause they reveal. */
const OUTCOME_CAUSE: Readonly<Partial<Record<DeliveryOutcome, CauseId>>> = {
  carrier_blocked: 'carrier_filtered',
  unreachable: 'handset_unreachable',
  unknown_subscriber: 'unknown_subscriber',
  invalid_number: 'unknown_subscriber',
  not_mobile: 'number_not_sms_capable',
  geo_blocked: 'country_not_enabled',
  opted_out: 'opted_out',
  provider_error: 'provider_outage',
  provider_throttled: 'provider_outage',
  expired: 'delivery_failed',
  unknown: 'delivery_failed',
}

type Draft = Omit<Cause, 'rank' | 'evidence'> & { evidence: Evidence[]; weight: number }

/** What a cause builder adds; id, likelihood and weight are given by the caller. */
type Wording = Omit<Draft, 'id' | 'likelihood' | 'weight' | 'evidence'> & { evidence?: Evidence[] }

class CauseSet {
  private readonly drafts = new Map<CauseId, Draft>()

  add(id: CauseId, likelihood: Likelihood, wording: Wording, weight = WEIGHT[id]): void {
    const prev = this.drafts.get(id)
    const draft: Draft = { id, likelihood, weight, ...wording, evidence: wording.evidence ?? [] }
    if (!prev) {
      this.drafts.set(id, draft)
      return
    }
    // A second source for the same cause adds its evidence; the first source's wording stays
    // (sources are added most specific first), the stronger likelihood wins.
    const seen = new Set(prev.evidence.map((e) => e.event_id ?? e.fact))
    prev.evidence.push(...draft.evidence.filter((e) => !seen.has(e.event_id ?? e.fact)))
    if (LIKELIHOOD_ORDER[likelihood] < LIKELIHOOD_ORDER[prev.likelihood]) {
      this.drafts.set(id, { ...prev, likelihood })
    }
  }

  has(id: CauseId): boolean {
    return this.drafts.has(id)
  }

  ranked(): Cause[] {
    return [...this.drafts.values()]
      .sort((a, b) => LIKELIHOOD_ORDER[a.likelihood] - LIKELIHOOD_ORDER[b.likelihood] || b.weight - a.weight)
      .map(({ weight: _weight, ...cause }, i) => ({ ...cause, rank: i + 1 }))
  }
}

interface Ctx {
  readonly input: DiagnosisInput
  readonly now: number
  readonly v: Verification | undefined
  readonly events: readonly VerificationEvent[]
  readonly messages: readonly OutboxMessage[]
  readonly channel: Channel
  readonly status: DiagnosisStatus
  /** Pending and not past its lifetime. */
  readonly live: boolean
  readonly country: string | undefined
  /** `handed_to_provider` events by provider message id. */
  readonly hops: ReadonlyMap<string, VerificationEvent>
  readonly delivered: readonly VerificationEvent[]
  readonly causes: CauseSet
}

/**
 * Ranks the causes the facts support, most likely first. An approved verification has none.
 *
 * ```ts
 * const d = diagnose({ now: Date.now(), verification, events, messages, phone: analyzePhoneNumber(verification.destination) })
 * d.causes[0]?.id // 'carrier_filtered'
 * ```
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const ctx = context(input)
  if (ctx.status !== 'approved') {
    numberCauses(ctx)
    limitCauses(ctx)
    deliveryCauses(ctx)
    checkCauses(ctx)
    stateCauses(ctx)
  }
  const causes = ctx.causes.ranked()
  return {
    verification_id: ctx.v?.id ?? null,
    status: ctx.status,
    summary_user: summaryUser(ctx, causes),
    summary_support: summarySupport(ctx, causes),
    causes,
  }
}

function context(input: DiagnosisInput): Ctx {
  const v = input.verification
  const now = input.now
  const events = [...(input.events ?? [])].sort((a, b) => a.id - b.id)
  const status: DiagnosisStatus = !v
    ? 'no_verification'
    : v.status === 'pending' && now >= v.expiresAt
      ? 'expired'
      : v.status
  const hops = new Map<string, VerificationEvent>()
  for (const e of events) {
    const id = e.type === 'handed_to_provider' ? str(e.data, 'provider_message_id') : undefined
    if (id) hops.set(id, e)
  }
  return {
    input,
    now,
    v,
    events,
    messages: [...(input.messages ?? [])].sort(
      (a, b) => a.sendNumber - b.sendNumber || a.createdAt - b.createdAt,
    ),
    channel: input.channel ?? v?.channel ?? 'sms',
    status,
    live: status === 'pending',
    country: input.phone?.country ?? v?.country ?? undefined,
    hops,
    delivered: events.filter((e) => e.type === 'delivered'),
    causes: new CauseSet(),
  }
}

// ---------------------------------------------------------------------------------------------
// Facts about events

function evidenceOf(e: VerificationEvent): Evidence {
  return { event_id: e.id, at: iso(e.at), fact: describeEvent(e), raw: e.data }
}

/** The sender ID the person sees for the message an event is about. */
function senderOf(ctx: Ctx, e: VerificationEvent | undefined): string | undefined {
  if (!e) return undefined
  const d = e.data
  const hop = ctx.hops.get(str(d, 'provider_message_id') ?? '')
  const route = str(d, 'route')
  const message = ctx.messages.find((m) => m.id === str(d, 'message_id'))
  return (
    str(d, 'from') ??
    (hop && str(hop.data, 'from')) ??
    (route ? (ctx.input.routes?.senders?.[route] ?? undefined) : undefined) ??
    message?.sender ??
    undefined
  )
}

function firstSender(ctx: Ctx, events: readonly VerificationEvent[]): string | undefined {
  for (const e of events) {
    const s = senderOf(ctx, e)
    if (s) return s
  }
  return undefined
}

/** The phone got a message after this event (a later hop, or a resend), so it is history now. */
function deliveredAfter(ctx: Ctx, e: VerificationEvent): boolean {
  return ctx.delivered.some((d) => d.id > e.id)
}

function routeHealth(ctx: Ctx, route: string | undefined) {
  return route ? ctx.input.routes?.health?.find((h) => h.route === route) : undefined
}

function where(e: VerificationEvent): string {
  const route = str(e.data, 'route') ?? 'an unknown route'
  const provider = str(e.data, 'provider')
  return provider ? `route ${route} (provider ${provider})` : `route ${route}`
}

function providerName(id: string | undefined): string {
  return id ? `provider ${id}` : 'the provider'
}

function countryPhrase(country: string | undefined): string {
  return country ? `numbers in ${countryName(country)}` : 'numbers in this country'
}

function leftText(sendsLeft: number | undefined, attemptsLeft: number | undefined): string {
  const parts: string[] = []
  if (sendsLeft !== undefined)
    parts.push(
      sendsLeft > 0
        ? `you can ask for ${plural(sendsLeft, 'more code')}`
        : 'no more codes can be sent for this sign-in',
    )
  if (attemptsLeft !== undefined) parts.push(`you have ${tries(attemptsLeft)} left to enter it`)
  if (parts.length === 0) return ''
  const text = parts.join(', and ')
  return ` After that, ${text}.`
}

function tries(n: number): string {
  return n === 1 ? '1 try' : `${n} tries`
}

function sendsLeft(ctx: Ctx): number | undefined {
  if (!ctx.v || !ctx.live) return undefined
  return ctx.input.limits?.sendsLeft ?? Math.max(0, ctx.v.maxSends - ctx.v.sendCount)
}

function attemptsLeft(ctx: Ctx): number | undefined {
  return ctx.v && ctx.live ? Math.max(0, ctx.v.maxCheckAttempts - ctx.v.checkAttempts) : undefined
}

// ---------------------------------------------------------------------------------------------
// The number itself

const MISTYPED_TITLES: Readonly<Record<Exclude<PhoneProblem, 'not_sms_capable'>, string>> = {
  empty: 'No phone number was entered',
  not_a_number: "That doesn't look like a phone number",
  missing_country_code: 'The number needs its country code',
  invalid_country_code: "The country code doesn't look right",
  too_short: 'The number is too short',
  too_long: 'The number is too long',
  trunk_prefix_after_country_code: "There's an extra 0 after the country code",
  invalid_number: "That number doesn't exist as written",
}

function numberCauses(ctx: Ctx): void {
  const phone = ctx.input.phone
  const { causes } = ctx
  if (phone?.problem && phone.problem.reason !== 'not_sms_capable') {
    const reason = phone.problem.reason
    const fix = phone.suggestion
    causes.add('number_mistyped', 'confirmed', {
      title_user: MISTYPED_TITLES[reason],
      explanation_user:
        fix && fix.message !== phone.problem.message
          ? `${phone.problem.message} ${fix.message}`
          : phone.problem.message,
      next_actions_user: fix?.formatted
        ? [`Use ${fix.formatted} instead`, 'Then ask for a new code']
        : [
            'Type the number again, starting with + and your country code (for example +44 for the United Kingdom)',
            'Then ask for a new code',
          ],
      explanation_support: `Phone analysis of "${phone.input}": ${reason}${fix?.e164 ? `; the likely intended number is ${fix.e164}` : ''}. Starts to it are refused with PHONE_NUMBER_INVALID, so nothing is sent.`,
      next_actions_support: [
        ...(fix?.e164 ? [`Confirm ${fix.e164} with the person and start the verification with it`] : []),
        'Read the number back to the person in international format',
        'If your form collects national numbers, pass default_country',
      ],
      evidence: [
        {
          fact: `phone analysis: ${reason}: ${phone.problem.message}`,
          raw: { reason, suggestion: fix ?? null },
        },
      ],
      ...(fix?.e164 ? { suggested_number: fix.e164 } : {}),
    })
  }
  const textChannel = ctx.channel === 'sms' || ctx.channel === 'whatsapp'
  if (phone?.problem?.reason === 'not_sms_capable' && (textChannel || !phone.canReceiveVoice)) {
    causes.add(
      'number_not_sms_capable',
      'confirmed',
      notSmsCapable(phone.type, phone.canReceiveVoice, {
        support: `Phone analysis: number type ${phone.type}, which cannot receive text messages${phone.canReceiveVoice ? ' but can take a voice call' : ''}. SMS starts are refused with PHONE_NUMBER_NOT_SMS_CAPABLE.`,
        evidence: [
          {
            fact: `phone analysis: type ${phone.type}, SMS ${phone.canReceiveSms ? 'yes' : 'no'}, voice ${phone.canReceiveVoice ? 'yes' : 'no'}`,
            raw: { type: phone.type },
          },
        ],
      }),
    )
  }
  if (phone?.type === 'voip' && ctx.delivered.length === 0) {
    causes.add('voip_number', 'possible', {
      title_user: 'This looks like an internet phone number',
      explanation_user: "Numbers from internet calling apps sometimes don't receive verification texts.",
      next_actions_user: [
        'Check the app that gives you this number for new messages',
        'If nothing arrives, use a mobile number from a phone network, or ask for a call',
      ],
      explanation_support:
        'Number type voip (numbering plan). Many carriers and providers filter application-to-person SMS to VoIP ranges.',
      next_actions_support: [
        "Check the provider's logs for this number",
        'Offer a voice call, or ask for a mobile number if your policy refuses VoIP',
      ],
      evidence: [{ fact: 'phone analysis: type voip', raw: { type: 'voip' } }],
    })
  }
  const geo = ctx.input.geo
  const country = ctx.country
  if (geo && country) {
    const blocked = geo.blockedCountries.includes(country)
    const notAllowed = geo.allowedCountries !== undefined && !geo.allowedCountries.includes(country)
    if (blocked || notAllowed) {
      causes.add(
        'country_not_enabled',
        'confirmed',
        countryOff(country, {
          support: `Country ${country} is ${blocked ? 'in geo.blockedCountries' : 'not in geo.allowedCountries'}; starts are refused with COUNTRY_NOT_ALLOWED before anything is sent.`,
          actions: [
            `If you serve ${countryName(country)}, ${blocked ? 'remove it from geo.blockedCountries' : 'add it to geo.allowedCountries'}`,
          ],
          evidence: [
            {
              fact: `geo permissions exclude ${country}`,
              raw: {
                country,
                allowedCountries: geo.allowedCountries ?? null,
                blockedCountries: geo.blockedCountries,
              },
            },
          ],
        }),
      )
    }
  }
  // Before any verification: would a route carry it at all?
  const routes = ctx.input.routes
  if (!ctx.v && country && routes?.channelConfigured && routes.covering?.length === 0) {
    causes.add('country_not_enabled', 'likely', noRouteForCountry(ctx.channel, country, []))
  }
}

function notSmsCapable(
  type: string,
  voice: boolean,
  source: { support: string; evidence: Evidence[]; actions?: string[] },
): Wording {
  const title =
    type === 'fixed_line'
      ? 'This looks like a landline'
      : type === 'toll_free'
        ? 'This is a freephone number'
        : "This number can't receive text messages"
  return {
    title_user: title,
    explanation_user: `This number can't receive text messages, so a texted code can't reach it.${voice ? ' We can call it and read the code out instead.' : ''}`,
    next_actions_user: voice
      ? ['Choose to get the code by phone call', 'Or use a mobile number instead']
      : ['Use a mobile number instead'],
    explanation_support: source.support,
    next_actions_support: [
      ...(source.actions ?? []),
      ...(voice
        ? ['Offer the call channel (allow "call" on the service and add it to fallback_channels)']
        : []),
      'Ask for a mobile number',
    ],
    evidence: source.evidence,
    ...(voice ? { suggested_channel: 'call' as const } : {}),
  }
}

function countryOff(
  country: string | undefined,
  source: { support: string; actions: string[]; evidence: Evidence[] },
): Wording {
  return {
    title_user: "Codes can't be sent to this country",
    explanation_user: `This app can't send codes to ${countryPhrase(country)} at the moment.`,
    next_actions_user: [
      'Use a number from another country if you have one',
      "Contact the app's support team; they may be able to turn your country on",
    ],
    explanation_support: source.support,
    next_actions_support: source.actions,
    evidence: source.evidence,
  }
}

function noRouteForCountry(channel: Channel, country: string, evidence: Evidence[]): Wording {
  return countryOff(country, {
    support: `No route in routing.routes carries ${channel} to ${country} (routes exist for other countries), so the message is given up with reason no_route.`,
    actions: [`Add a route for ${country} (countries: ["${country}"] or ["*"]) in routing.routes`],
    evidence:
      evidence.length > 0
        ? evidence
        : [{ fact: `no ${channel} route covers ${country}`, raw: { channel, country } }],
  })
}

// ---------------------------------------------------------------------------------------------
// Limits

interface ActiveLimit {
  readonly limit: string
  readonly retryAt: number
  readonly evidence: Evidence
}

function limitCauses(ctx: Ctx): void {
  const active: ActiveLimit[] = []
  const safeListed = ctx.input.limits?.safeListed === true
  for (const e of ctx.events) {
    if (e.type !== 'limit_hit') continue
    if (safeListed && (SAFE_LIST_EXEMPT as ReadonlySet<string>).has(str(e.data, 'limit') ?? '')) continue
    const retryAt = num(e.data, 'retry_at') ?? e.at + (num(e.data, 'retry_after_ms') ?? 0)
    if (retryAt > ctx.now)
      active.push({ limit: str(e.data, 'limit') ?? 'unknown', retryAt, evidence: evidenceOf(e) })
  }
  const counters = ctx.input.limits
  const peeked = (name: string, c: CounterFacts | undefined) => {
    if (!c || c.retryAfterMs <= 0) return
    active.push({
      limit: name,
      retryAt: ctx.now + c.retryAfterMs,
      evidence: {
        at: iso(ctx.now),
        fact: `counter ${name}: ${c.remaining}/${c.points} left in a ${c.windowSeconds} s window; resets in ${waitSeconds(c.retryAfterMs)} s`,
        raw: { ...c },
      },
    })
  }
  if (!safeListed) peeked('sends_per_destination', counters?.sendsPerDestination)
  peeked('checks_per_destination', counters?.checksPerDestination)

  const maxSends = active.filter((a) => a.limit === 'max_sends')
  if (maxSends.length > 0 && ctx.v && ctx.live) {
    const until = ctx.v.expiresAt
    ctx.causes.add('max_sends_reached', 'confirmed', {
      title_user: 'All the codes for this sign-in have been sent',
      explanation_user: `We've already sent this code as many times as allowed. Every message carried the same code, and it works until it expires in ${duration(until - ctx.now)}.`,
      next_actions_user: [
        'Look for any message we already sent: the code in it still works',
        `If none arrived, start again in ${duration(until - ctx.now)}, when this code expires`,
      ],
      explanation_support: `Sent ${ctx.v.sendCount}/${ctx.v.maxSends} times; further resends are refused with MAX_SENDS_REACHED until the verification expires at ${iso(until)}.`,
      next_actions_support: [
        'Find out why the sends did not arrive (see the other causes)',
        'The service setting max_sends controls this',
      ],
      evidence: maxSends.map((a) => a.evidence),
      wait_seconds: waitSeconds(until - ctx.now),
      sends_left: 0,
      attempts_left: attemptsLeft(ctx) ?? 0,
    })
  }
  if (active.some((a) => a.limit === 'max_check_attempts') && ctx.status !== 'failed') {
    maxAttempts(
      ctx,
      active.filter((a) => a.limit === 'max_check_attempts').map((a) => a.evidence),
    )
  }

  const rate = active.filter((a) => a.limit !== 'max_sends' && a.limit !== 'max_check_attempts')
  if (rate.length === 0) return
  // The longest wait is the one that decides when the person can go on.
  const decisive = rate.reduce((a, b) => (b.retryAt > a.retryAt ? b : a))
  const waitMs = decisive.retryAt - ctx.now
  const left = leftText(
    sendsLeft(ctx),
    decisive.limit === 'checks_per_destination' ? attemptsLeft(ctx) : undefined,
  )
  const wording = rateWording(decisive.limit, waitMs, ctx.live)
  const counterText = [
    counters?.sendsPerDestination &&
      `sends_per_destination ${counters.sendsPerDestination.remaining}/${counters.sendsPerDestination.points} left`,
    counters?.checksPerDestination &&
      `checks_per_destination ${counters.checksPerDestination.remaining}/${counters.checksPerDestination.points} left`,
  ]
    .filter(Boolean)
    .join(', ')
  const verificationText = ctx.v
    ? ` Verification: sends ${ctx.v.sendCount}/${ctx.v.maxSends}, checks ${ctx.v.checkAttempts}/${ctx.v.maxCheckAttempts}.`
    : ''
  ctx.causes.add(
    'rate_limited',
    'confirmed',
    {
      title_user: wording.title,
      explanation_user: `${wording.explanation}${left}`,
      next_actions_user: wording.actions,
      explanation_support: `Limit ${decisive.limit} refuses until ${iso(decisive.retryAt)} (${waitSeconds(waitMs)} s from now).${counterText ? ` Counters: ${counterText}.` : ''}${verificationText}`,
      next_actions_support: [
        `Wait ${waitSeconds(waitMs)} s; the limit resets by itself`,
        ...(decisive.limit === 'starts_per_prefix'
          ? ['Many starts to one number range look like SMS pumping: check for abuse before lifting anything']
          : decisive.limit === 'resend_cooldown'
            ? ['The cooldown grows with each resend (limits.resendCooldownSeconds)']
            : [
                `If the person is genuine, lift the ${decisive.limit} counter for this key (VerificationLimits.lift)`,
              ]),
      ],
      evidence: rate.map((a) => a.evidence),
      wait_seconds: waitSeconds(waitMs),
      ...(sendsLeft(ctx) !== undefined ? { sends_left: sendsLeft(ctx)! } : {}),
      ...(attemptsLeft(ctx) !== undefined ? { attempts_left: attemptsLeft(ctx)! } : {}),
    },
    decisive.limit === 'resend_cooldown' ? COOLDOWN_WEIGHT : WEIGHT.rate_limited,
  )
}

function rateWording(
  limit: string,
  waitMs: number,
  live: boolean,
): { title: string; explanation: string; actions: string[] } {
  const wait = duration(waitMs)
  const meanwhile = live ? ['Meanwhile, check your messages: the code we already sent still works'] : []
  switch (limit) {
    case 'resend_cooldown':
      return {
        title: 'A code was sent a moment ago',
        explanation: `You can ask for another code in ${wait}. The one we already sent still works, so check your messages first.`,
        actions: [
          'Check your messages for the code we just sent',
          `If it hasn't arrived, ask for a new code in ${wait}`,
        ],
      }
    case 'checks_per_destination':
      return {
        title: 'Too many codes were tried',
        explanation: `For your security, no more codes can be tried for this number for ${wait}.`,
        actions: [`Wait ${wait}, then enter the code from the newest message`],
      }
    case 'starts_per_ip':
      return {
        title: 'Too many sign-in attempts from your network',
        explanation: `For security, new codes can't be requested from your network for ${wait}.`,
        actions: [`Wait ${wait}, then ask for a new code`, ...meanwhile],
      }
    case 'starts_per_prefix':
      return {
        title: 'Codes to numbers like yours are paused',
        explanation: `For security, sending codes to this range of numbers is paused for ${wait}.`,
        actions: [`Wait ${wait}, then ask for a new code`],
      }
    case 'starts_per_service':
    case 'global_sends':
      return {
        title: "We're getting too many requests right now",
        explanation: `We're handling a lot of requests, so new codes are paused for ${wait}.`,
        actions: [`Wait ${wait}, then ask for a new code`, ...meanwhile],
      }
    default:
      return {
        title: 'Too many codes were requested',
        explanation: `For your security, no more codes can be sent to this number for ${wait}.`,
        actions: [`Wait ${wait}, then ask for a new code`, ...meanwhile],
      }
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery

function deliveryCauses(ctx: Ctx): void {
  const failures = new Map<CauseId, VerificationEvent[]>()
  const rerouted: VerificationEvent[] = []
  /** The cause of each message's latest failure, so its give-up is filed with it. */
  const lastCause = new Map<string, CauseId>()
  const note = (id: CauseId, e: VerificationEvent) => {
    failures.set(id, [...(failures.get(id) ?? []), e])
    const message = str(e.data, 'message_id')
    if (message) lastCause.set(message, id)
  }

  for (const e of ctx.events) {
    if (e.type === 'submit_failed' || e.type === 'delivery_failed') {
      const outcome = str(e.data, 'outcome') as DeliveryOutcome | undefined
      const id = (outcome && OUTCOME_CAUSE[outcome]) ?? 'delivery_failed'
      if (id === 'provider_outage') {
        // Routed around: a later hand-over of the same message on another route.
        const next = ctx.events.find(
          (x) =>
            x.id > e.id &&
            x.type === 'handed_to_provider' &&
            str(x.data, 'message_id') === str(e.data, 'message_id'),
        )
        if (next && str(next.data, 'route') !== str(e.data, 'route')) {
          rerouted.push(e, next)
          continue
        }
        if (next) continue // the same route took it on a retry
      }
      if (!deliveredAfter(ctx, e)) note(id, e)
    } else if (e.type === 'gave_up' && !deliveredAfter(ctx, e)) {
      const reason = str(e.data, 'reason') ?? 'unknown'
      const message = str(e.data, 'message_id')
      const tried =
        (num(e.data, 'hops') ?? 0) > 0 ||
        ctx.events.some(
          (x) =>
            x.id < e.id &&
            (x.type === 'handed_to_provider' || x.type === 'submit_failed') &&
            str(x.data, 'message_id') === message,
        )
      // After a failed receipt the dispatcher finds no untried route and gives up with `no_route`:
      // "no route left", not "no route configured". The failure before it is the cause.
      if (reason === 'no_route' && tried)
        note((message ? lastCause.get(message) : undefined) ?? 'delivery_failed', e)
      else if (reason === 'no_route') note('no_route', e)
      else if (reason === 'spend_cap') note('spend_cap_reached', e)
      else note(OUTCOME_CAUSE[reason as DeliveryOutcome] ?? 'delivery_failed', e)
    } else if (e.type === 'receipt_timeout' && !deliveredAfter(ctx, e)) {
      // Only evidence: the message moved on, or was given up (then a gave_up follows).
      const gaveUp = ctx.events.some(
        (x) => x.id > e.id && x.type === 'gave_up' && str(x.data, 'message_id') === str(e.data, 'message_id'),
      )
      if (gaveUp) note('delivery_failed', e)
    }
  }

  for (const [id, evs] of failures) addFailure(ctx, id, evs)
  if (rerouted.length > 0) addRerouted(ctx, rerouted)

  for (const e of ctx.events) {
    if (e.type !== 'channel_fallback') continue
    const to = (str(e.data, 'to_channel') ?? 'call') as Channel
    ctx.causes.add('sent_by_other_channel', 'confirmed', {
      title_user:
        to === 'call'
          ? 'We called you with the code instead'
          : `We sent your code by ${messageNoun(to)} instead`,
      explanation_user:
        to === 'call'
          ? "Our text couldn't get through, so we're calling your phone to read out the same code."
          : `Our text couldn't get through, so we sent the same code by ${messageNoun(to)}.`,
      next_actions_user:
        to === 'call'
          ? ['Answer the call from us and listen for the code', 'If you missed it, check your voicemail']
          : [`Look for our ${messageNoun(to)} with the code`],
      explanation_support: `Every ${str(e.data, 'from_channel') ?? 'sms'} route failed (last reason ${str(e.data, 'reason') ?? 'unknown'}); the service's fallback_channels moved the same code to ${to} at ${iso(e.at)}.`,
      next_actions_support: ['See the failures of the first channel for why it could not deliver'],
      evidence: [evidenceOf(e)],
      suggested_channel: to,
    })
  }

  deliveredCauses(ctx)
  pendingCauses(ctx)
}

function addFailure(ctx: Ctx, id: CauseId, evs: VerificationEvent[]): void {
  const first = evs.find((e) => e.type !== 'gave_up' && e.type !== 'receipt_timeout') ?? evs[0]!
  const sender = firstSender(ctx, evs)
  const detail = evs.map(describeEvent).join('; ')
  const evidence = evs.map(evidenceOf)
  const raw = rawDetail(first.data)
  const { causes } = ctx
  const senderPart = sender ? { sender_id: sender } : {}
  switch (id) {
    case 'carrier_filtered':
      causes.add(id, 'confirmed', {
        title_user: 'Your mobile network blocked our text',
        explanation_user: `Your mobile network stopped our ${messageNoun(ctx.channel)}, most likely as suspected spam${sender ? `. It comes from "${sender}"` : ''}.`,
        next_actions_user: [
          ...(sender
            ? [
                `Make sure messages from "${sender}" aren't blocked on your phone (blocked senders, spam filters)`,
              ]
            : ["Check that messages from unknown senders aren't blocked on your phone"]),
          'If your network offers a spam or content filter, turn it off for a moment or allow our messages',
          'Ask for a new code, or choose a phone call',
        ],
        explanation_support: `The carrier filtered the message on ${where(first)}${sender ? ` with sender "${sender}"` : ''} (${raw}). History: ${detail}.`,
        next_actions_support: [
          ...(sender
            ? [`Register sender "${sender}" with the destination carriers, or send from a registered number`]
            : []),
          `Add a second route${ctx.country ? ` for ${ctx.country}` : ''} so failover re-sends through another provider`,
          'Keep the message template free of links and URL shorteners',
        ],
        evidence,
        ...senderPart,
      })
      return
    case 'handset_unreachable':
      causes.add(id, 'confirmed', {
        title_user: "Your phone couldn't be reached",
        explanation_user:
          "The mobile network couldn't reach your phone. It may be switched off, in airplane mode, or out of signal.",
        next_actions_user: [
          'Turn your phone on, turn airplane mode off and check you have signal',
          "If you're abroad, check that roaming is on",
          'Then ask for a new code',
        ],
        explanation_support: `Absent subscriber on ${where(first)} (${raw}). History: ${detail}.`,
        next_actions_support: [
          'This is usually temporary: resend once the handset is back on the network',
          'Offer a voice call as an alternative',
        ],
        evidence,
        ...senderPart,
      })
      return
    case 'unknown_subscriber':
      causes.add(id, 'confirmed', {
        title_user: "The network says this number isn't in use",
        explanation_user: "The mobile network told us this number isn't connected to a phone right now.",
        next_actions_user: [
          'Check that the number is right',
          "If you've changed number or network recently, use the number you have now",
        ],
        explanation_support: `${where(first)} reported ${str(first.data, 'outcome') ?? str(first.data, 'reason') ?? 'unknown_subscriber'} (${raw}). This is final for the destination: no other route or channel is tried. History: ${detail}.`,
        next_actions_support: [
          'Confirm the number with the person',
          'Recently ported or deactivated numbers report this; a second provider can confirm',
        ],
        evidence,
        ...senderPart,
      })
      return
    case 'number_not_sms_capable':
      causes.add(
        id,
        'confirmed',
        notSmsCapable('fixed_line', true, {
          support: `${where(first)} refused the text as not_mobile (${raw}): the carrier says the number cannot take SMS. History: ${detail}.`,
          evidence,
        }),
      )
      return
    case 'country_not_enabled':
      causes.add(
        id,
        'confirmed',
        countryOff(ctx.country, {
          support: `${where(first)} refused the destination country: geo_blocked (${raw}). History: ${detail}.`,
          actions: [
            `Enable ${ctx.country ?? 'the country'} in the geo permissions of provider ${str(first.data, 'provider') ?? '(see route)'}`,
            `Or add a route through another provider for ${ctx.country ?? 'the country'}`,
          ],
          evidence,
        }),
      )
      return
    case 'opted_out':
      causes.add(id, 'confirmed', {
        title_user: 'Our texts to this number were stopped',
        explanation_user: `This number has opted out of messages from ${sender ? `"${sender}"` : 'our sender'} (someone replied STOP), so the network won't deliver our texts.`,
        next_actions_user: [
          sender
            ? `Text START (or UNSTOP) to "${sender}"`
            : 'Reply START (or UNSTOP) to one of our earlier messages',
          'Then ask for a new code',
          'Or choose to get the code by phone call',
        ],
        explanation_support: `${where(first)}${sender ? ` with sender "${sender}"` : ''} refused: opted_out (${raw}). The recipient opted out of this sender and the provider enforces it. History: ${detail}.`,
        next_actions_support: [
          `Ask the person to text START/UNSTOP to ${sender ? `"${sender}"` : 'the sender'}`,
          'Offer a voice call, or send from another sender where that is allowed',
        ],
        evidence,
        ...senderPart,
      })
      return
    case 'provider_outage': {
      const nextAt = nextAttemptAt(ctx, evs)
      const pending = ctx.live && nextAt !== undefined && nextAt > ctx.now
      const health = routeHealth(ctx, str(first.data, 'route'))
      causes.add(id, 'confirmed', {
        title_user: 'Our text service is having trouble',
        explanation_user: pending
          ? `Our messaging provider is having a problem, so your code hasn't gone out yet. We'll try again automatically in ${duration(nextAt - ctx.now)}.`
          : "Our messaging provider had a problem, so your code couldn't be sent.",
        next_actions_user: pending
          ? [
              "Wait a moment; we'll keep trying",
              'If nothing arrives in a few minutes, ask for a new code or a call',
            ]
          : ['Ask for a new code in a few minutes', 'Or choose a phone call'],
        explanation_support: `No route accepted the message: ${detail}.${pending ? ` Automatic retry at ${iso(nextAt)}.` : ''}${health ? ` Route ${health.route}: circuit ${health.state}, failure rate ${Math.round(health.failureRate * 100)}% over ${health.samples} samples.` : ''}`,
        next_actions_support: [
          `Check the status and credentials of ${providerName(str(first.data, 'provider'))}`,
          'Add a second provider route so failover can route around outages',
        ],
        evidence,
        ...(pending ? { wait_seconds: waitSeconds(nextAt - ctx.now) } : {}),
      })
      return
    }
    case 'no_route': {
      const channel = (str(first.data, 'channel') ?? ctx.channel) as Channel
      const routes = ctx.input.routes
      if (
        ctx.country &&
        channel === ctx.channel &&
        routes?.channelConfigured &&
        routes.covering?.length === 0
      ) {
        causes.add('country_not_enabled', 'confirmed', noRouteForCountry(channel, ctx.country, evidence))
        return
      }
      causes.add(id, 'confirmed', {
        title_user: "We couldn't send your code",
        explanation_user: `This app isn't set up to send codes by ${messageNoun(channel)} right now.`,
        next_actions_user: [
          'Try another way to get the code if the app offers one (a call or an email)',
          "Contact the app's support team",
        ],
        explanation_support: `No route serves ${channel}${ctx.country ? ` to ${ctx.country}` : ''}; the message was given up with reason no_route. ${detail}.`,
        next_actions_support: [`Configure a provider and a route for ${channel} (providers, routing.routes)`],
        evidence,
      })
      return
    }
    case 'spend_cap_reached': {
      const retry = num(first.data, 'retry_after_ms')
      const waitMs = retry !== undefined ? first.at + retry - ctx.now : undefined
      causes.add(id, 'confirmed', {
        title_user: "We've paused sending codes for now",
        explanation_user: "This app has reached its sending limit for today, so your code wasn't sent.",
        next_actions_user: [
          waitMs && waitMs > 0 ? `Try again in ${duration(waitMs)}` : 'Try again later',
          "Contact the app's support team if it's urgent",
        ],
        explanation_support: `The service's daily spend cap (routing.spendCapPerServicePerDay) was reached; the message was given up with reason spend_cap. ${detail}.`,
        next_actions_support: [
          'Raise routing.spendCapPerServicePerDay if the traffic is legitimate',
          'Check for SMS pumping (many starts to one number range)',
        ],
        evidence,
        ...(waitMs && waitMs > 0 ? { wait_seconds: waitSeconds(waitMs) } : {}),
      })
      return
    }
    default:
      causes.add('delivery_failed', 'confirmed', {
        title_user: "Your code couldn't be delivered",
        explanation_user: `We couldn't confirm that our ${messageNoun(ctx.channel)} reached your phone.`,
        next_actions_user: ['Ask for a new code', 'Or choose a phone call'],
        explanation_support: `Delivery not confirmed on ${where(first)} (${raw}). History: ${detail}.`,
        next_actions_support: [
          `Look the message up in provider ${str(first.data, 'provider') ?? '(see route)'}'s logs${str(first.data, 'provider_message_id') ? ` (id ${str(first.data, 'provider_message_id')})` : ''}`,
          'Add another route so failover can re-send',
        ],
        evidence,
        ...senderPart,
      })
  }
}

function nextAttemptAt(ctx: Ctx, evs: readonly VerificationEvent[]): number | undefined {
  for (const e of [...evs].reverse()) {
    const at = num(e.data, 'next_attempt_at')
    if (at !== undefined) return at
  }
  const last = evs.at(-1)
  const message = last && ctx.messages.find((m) => m.id === str(last.data, 'message_id'))
  return message?.status === 'queued' ? message.availableAt : undefined
}

function addRerouted(ctx: Ctx, evs: VerificationEvent[]): void {
  const failed = evs.filter((e) => e.type === 'submit_failed')
  const handed = evs.filter((e) => e.type === 'handed_to_provider')
  const first = failed[0]!
  const to = handed.at(-1)!
  const delivered = ctx.delivered.length > 0
  const latest = ctx.messages.at(-1)
  const onItsWay =
    !delivered &&
    ctx.live &&
    latest !== undefined &&
    latest.status !== 'failed' &&
    latest.status !== 'canceled'
  ctx.causes.add('provider_outage_rerouted', 'confirmed', {
    title_user: 'We sent your code another way',
    explanation_user: `Our first messaging provider had a problem, so we sent your code through another one.${delivered ? ' It has been delivered.' : onItsWay ? ' It should arrive shortly.' : ''}`,
    next_actions_user: delivered
      ? ['Check your messages for the code']
      : onItsWay
        ? ['Wait a little: the code is on its way']
        : ['Ask for a new code, or choose a phone call'],
    explanation_support: `Submit on ${where(first)} failed: ${str(first.data, 'outcome') ?? 'provider_error'} (${rawDetail(first.data)}); failover handed the message to ${where(to)} at ${iso(to.at)}.`,
    next_actions_support: [
      'Nothing to do for this verification',
      `If failures on ${str(first.data, 'route') ?? 'that route'} continue, check ${providerName(str(first.data, 'provider'))} (its circuit opens by itself)`,
    ],
    evidence: evs.map(evidenceOf),
  })
}

function deliveredCauses(ctx: Ctx): void {
  const last = ctx.delivered.at(-1)
  if (!last) return
  const firstDelivered = ctx.delivered[0]!
  // Something was entered after the code arrived: the wrong-code cause explains it.
  if (ctx.events.some((e) => e.type === 'check_failed' && e.id > firstDelivered.id)) return
  if (ctx.status === 'canceled') return
  const hop = ctx.hops.get(str(last.data, 'provider_message_id') ?? '')
  const channel = (hop && (str(hop.data, 'channel') as Channel | undefined)) ?? ctx.channel
  const sender = senderOf(ctx, last)
  const ago = duration(ctx.now - last.at)
  const call = channel === 'call'
  ctx.causes.add('delivered_not_entered', 'confirmed', {
    title_user: call ? 'We called you with the code' : 'Your code was delivered',
    explanation_user: call
      ? `Our call reached your phone ${ago} ago${sender ? ` from ${sender}` : ''}, but the code hasn't been entered yet.`
      : `The mobile network confirmed our ${messageNoun(channel)} reached your phone ${ago} ago${sender ? `, from "${sender}"` : ''}, but the code hasn't been entered yet.`,
    next_actions_user: call
      ? ['Check your missed calls and voicemail for our call', 'Ask for a new code if you missed it']
      : [
          sender ? `Look for a message from "${sender}"` : 'Look through your newest messages for the code',
          'Check your spam or blocked messages (iPhone: Unknown Senders or Junk; Android: Spam & blocked)',
          'If this number is also used on another device (a tablet, a watch, a second SIM), check there too',
          'Enter the code from the newest message',
        ],
    explanation_support: `Delivered receipt at ${iso(last.at)} on ${where(last)}${sender ? `, sender "${sender}"` : ''} (${rawDetail(last.data)}); no code has been checked since.`,
    next_actions_support: [
      `The code reached the handset: ask the person to look in spam/blocked folders and on other devices${sender ? ` for "${sender}"` : ''}`,
      'If the sender name looks unfamiliar to people, consider a brand name as sender ID',
    ],
    evidence: ctx.delivered.map(evidenceOf),
    ...(sender ? { sender_id: sender } : {}),
  })
}

function pendingCauses(ctx: Ctx): void {
  const latest = ctx.messages.at(-1)
  if (!latest || ctx.delivered.length > 0) return
  if (!ctx.live) {
    // The verification ended with its message still unconfirmed.
    if (latest.status === 'sent' && !ctx.causes.has('delivery_failed')) {
      const handed = [...ctx.hops.values()].filter((e) => str(e.data, 'message_id') === latest.id)
      ctx.causes.add('delivery_failed', 'likely', {
        title_user: 'Your code may not have arrived',
        explanation_user: `We never got confirmation that our ${messageNoun(latest.channel)} reached your phone.`,
        next_actions_user: ['Ask for a new code', 'Or choose a phone call'],
        explanation_support: `Message ${latest.id} was handed to ${latest.routeId ?? 'a route'} (provider ${latest.providerId ?? '?'}, id ${latest.providerMessageId ?? '?'}) at ${latest.sentAt ? iso(latest.sentAt) : '?'} and no receipt came before the verification ended.`,
        next_actions_support: [
          `Look the message up in the logs of ${providerName(latest.providerId ?? undefined)}`,
        ],
        evidence: handed.map(evidenceOf),
      })
    }
    return
  }
  if (latest.status === 'sent' && latest.sentAt !== null) {
    const health = routeHealth(ctx, latest.routeId ?? undefined)
    const typical = health?.receiptLatencyP50Ms ?? ctx.input.routes?.defaultDeliveryMs ?? DEFAULT_DELIVERY_MS
    const measured = health?.receiptLatencyP50Ms != null
    const waited = ctx.now - latest.sentAt
    const deadline = latest.availableAt
    const waitMs = waited < typical ? typical - waited : Math.max(0, deadline - ctx.now)
    const handed = [...ctx.hops.values()].filter((e) => str(e.data, 'message_id') === latest.id)
    const pendingReceipts = ctx.events.filter(
      (e) => e.type === 'delivery_pending' && str(e.data, 'message_id') === latest.id,
    )
    const sender = latest.sender ?? firstSender(ctx, handed)
    const nextResendAt = ctx.input.limits?.nextResendAt
    const resend =
      nextResendAt === null
        ? 'If it never arrives, no more codes can be sent for this sign-in; start again once it expires'
        : nextResendAt !== undefined && nextResendAt > ctx.now
          ? `If it still hasn't arrived, you can ask for a new code in ${duration(nextResendAt - ctx.now)}`
          : "If it still hasn't arrived, ask for a new code"
    ctx.causes.add('delivery_delayed', 'likely', {
      title_user: 'Your code is on its way',
      explanation_user: `We handed your code to the mobile network ${duration(waited)} ago. Codes usually arrive within ${duration(typical)}.${waitMs > 0 ? ` Please wait about ${duration(waitMs)} more.` : ''}`,
      next_actions_user: [
        ...(waitMs > 0 ? [`Wait about ${duration(waitMs)}`] : []),
        'Keep your phone on, with signal',
        ...(sender ? [`Look for a message from "${sender}"`] : []),
        resend,
      ],
      explanation_support: `Message ${latest.id} handed to ${latest.routeId ?? '?'} (provider ${latest.providerId ?? '?'}, id ${latest.providerMessageId ?? '?'}) at ${iso(latest.sentAt)}, ${Math.round(waited / 1000)} s ago; no final receipt yet${pendingReceipts.length > 0 ? ` (${pendingReceipts.length} pending receipt(s))` : ''}. Receipt latency p50 on this route: ${measured ? `${typical} ms` : `not measured (default ${typical} ms)`}${health ? `; circuit ${health.state}` : ''}. Receipt timeout${ctx.input.routes ? ` (${ctx.input.routes.receiptTimeoutMs} ms)` : ''} at ${iso(deadline)} moves it to the next route.`,
      next_actions_support: [
        `Wait for the receipt; at ${iso(deadline)} failover re-sends on the next route if there is one`,
        `Look up ${latest.providerMessageId ?? 'the message'} in provider ${latest.providerId ?? '?'}'s logs if it stays pending`,
      ],
      evidence: [...handed, ...pendingReceipts].map(evidenceOf),
      wait_seconds: waitSeconds(waitMs),
      ...(sender ? { sender_id: sender } : {}),
    })
    return
  }
  if ((latest.status === 'queued' || latest.status === 'sending') && !ctx.causes.has('provider_outage')) {
    const requested = ctx.events.filter(
      (e) => e.type === 'send_requested' && str(e.data, 'message_id') === latest.id,
    )
    ctx.causes.add('not_sent_yet', 'likely', {
      title_user: 'Your code is being sent',
      explanation_user: "We're sending your code now. It should arrive within a minute.",
      next_actions_user: ['Wait a moment', 'Keep your phone on, with signal'],
      explanation_support: `Message ${latest.id} is ${latest.status} since ${iso(latest.createdAt)} (${latest.attempts} claim(s)), not handed to a provider yet${latest.availableAt > ctx.now ? `; due at ${iso(latest.availableAt)}` : ''}.`,
      next_actions_support: [
        'Check that a worker (role worker or both) is running and draining the outbox',
        'Check the outbox backlog and provider latency',
      ],
      evidence: requested.map(evidenceOf),
      ...(latest.availableAt > ctx.now ? { wait_seconds: waitSeconds(latest.availableAt - ctx.now) } : {}),
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Checks and the verification's state

function maxAttempts(ctx: Ctx, evidence: Evidence[]): void {
  const v = ctx.v
  ctx.causes.add('max_attempts_reached', 'confirmed', {
    title_user: 'Too many wrong codes were entered',
    explanation_user: 'For your security, this code stopped working after too many wrong tries.',
    next_actions_user: ['Ask for a new code', 'Enter the code from the newest message, carefully'],
    explanation_support: `Check attempts ${v ? `${v.checkAttempts}/${v.maxCheckAttempts}` : 'exhausted'}; the verification ${ctx.status === 'failed' ? `failed${v?.finishedAt ? ` at ${iso(v.finishedAt)}` : ''}` : 'refuses checks'} (MAX_CHECK_ATTEMPTS_REACHED).`,
    next_actions_support: [
      'Start a new verification',
      'Many fast wrong codes can mean guessing: compare the client IP of the created event',
    ],
    evidence,
    attempts_left: 0,
  })
}

function checkCauses(ctx: Ctx): void {
  const failed = ctx.events.filter((e) => e.type === 'check_failed')
  if (ctx.status === 'failed') {
    const maxed = ctx.events.filter((e) => e.type === 'max_attempts_reached')
    maxAttempts(ctx, [...failed, ...maxed].map(evidenceOf))
    return
  }
  if (failed.length === 0 || ctx.status === 'canceled') return
  const left = attemptsLeft(ctx)
  const last = failed.at(-1)!
  ctx.causes.add('wrong_code', 'confirmed', {
    title_user: "The code entered didn't match",
    explanation_user: `The code that was entered doesn't match the one we sent.${left !== undefined ? ` You have ${tries(left)} left.` : ''}`,
    next_actions_user: [
      'Enter the code from the newest message we sent (every message for this sign-in has the same code)',
      'Check for swapped digits',
      'If you started more than one sign-in, only the latest code works',
    ],
    explanation_support: `${plural(failed.length, 'failed check')}, the last at ${iso(last.at)}${ctx.v ? `; check_attempts ${ctx.v.checkAttempts}/${ctx.v.maxCheckAttempts}` : ''}.`,
    next_actions_support: [
      'Codes of earlier verifications stop working: make sure the person enters the latest one',
      'Many wrong codes in a short time can mean guessing',
    ],
    evidence: failed.map(evidenceOf),
    ...(left !== undefined ? { attempts_left: left } : {}),
  })
}

function stateCauses(ctx: Ctx): void {
  const v = ctx.v
  if (!v) return
  if (ctx.status === 'expired') {
    const e = ctx.events.find((x) => x.type === 'expired')
    const minutes = Math.max(1, Math.round((v.expiresAt - v.createdAt) / 60_000))
    ctx.causes.add('expired', 'confirmed', {
      title_user: 'The code has expired',
      explanation_user: `Codes only work for ${plural(minutes, 'minute')}, and this one expired ${duration(ctx.now - v.expiresAt)} ago.`,
      next_actions_user: ['Ask for a new code', 'Enter it soon after it arrives'],
      explanation_support: `Created ${iso(v.createdAt)}, expired at ${iso(v.expiresAt)} (lifetime ${Math.round((v.expiresAt - v.createdAt) / 1000)} s)${e ? '' : '; the sweeper has not recorded it yet'}.`,
      next_actions_support: [
        'Start a new verification; see the other causes for why the code was not used in time',
      ],
      evidence: e
        ? [evidenceOf(e)]
        : [
            {
              at: iso(v.expiresAt),
              fact: `expires_at ${iso(v.expiresAt)} has passed`,
              raw: { expires_at: v.expiresAt },
            },
          ],
    })
  }
  if (ctx.status === 'canceled') {
    const e = ctx.events.find((x) => x.type === 'canceled')
    ctx.causes.add('canceled', 'confirmed', {
      title_user: 'This code request was canceled',
      explanation_user: 'The app canceled this code request, so its code no longer works.',
      next_actions_user: ['Start again to get a new code'],
      explanation_support: `Canceled through the API (POST /v1/verifications/${v.id}/cancel)${v.finishedAt ? ` at ${iso(v.finishedAt)}` : ''}.`,
      next_actions_support: ['Start a new verification if the person still needs one'],
      evidence: e ? [evidenceOf(e)] : [],
    })
  }
}

// ---------------------------------------------------------------------------------------------
// Summaries

function summaryUser(ctx: Ctx, causes: readonly Cause[]): string {
  const top = causes[0]
  if (top) {
    const action = top.next_actions_user[0]
    return action
      ? `${top.title_user}. ${action.endsWith('.') ? action : `${action}.`}`
      : `${top.title_user}.`
  }
  if (ctx.status === 'approved') return 'Your code was accepted. There is nothing more to do.'
  if (!ctx.v) return 'This number looks right and can receive codes.'
  return "We couldn't find a problem. If the code hasn't arrived, ask for a new one."
}

function summarySupport(ctx: Ctx, causes: readonly Cause[]): string {
  const v = ctx.v
  const top = causes[0]
  const phone = ctx.input.phone
  const head = v
    ? `${v.id}: ${v.channel} to ${v.destination}${v.country ? ` (${v.country})` : ''}, ${ctx.status}; sends ${v.sendCount}/${v.maxSends}, checks ${v.checkAttempts}/${v.maxCheckAttempts}; created ${iso(v.createdAt)}, expires ${iso(v.expiresAt)}.`
    : `Number "${phone?.input ?? '?'}"${phone?.e164 ? ` = ${phone.e164}` : ''}${phone ? ` (type ${phone.type}${phone.country ? `, ${phone.country}` : ''})` : ''}; no verification.`
  const messages = ctx.messages.map(
    (m) =>
      `${m.id} #${m.sendNumber} ${m.status}${m.routeId ? ` on ${m.routeId}` : ''}${m.deliveryOutcome ? ` (${m.deliveryOutcome})` : ''}, ${plural(m.hops, 'hop')}`,
  )
  const tail = top
    ? ` Top cause: ${top.id} (${top.likelihood}): ${top.explanation_support}${
        causes.length > 1
          ? ` Also: ${causes
              .slice(1)
              .map((c) => `${c.id} (${c.likelihood})`)
              .join(', ')}.`
          : ''
      }`
    : ' No problem found.'
  return `${head}${messages.length > 0 ? ` Messages: ${messages.join('; ')}.` : ''}${tail}`
}
