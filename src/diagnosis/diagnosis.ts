/**
 * @module The diagnosis vocabulary: stable cause ids, the `Diagnosis` answer ("Didn't get the
 * code?" with the cause, in the user's words and in support's), and the facts it is computed from.
 */
import type { Channel } from '../channels/channel.js'
import type { OutboxMessage } from '../delivery/outbox.js'
import type { RouteHealthSnapshot } from '../delivery/routing/route-health.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { PhoneAnalysis } from '../phone/index.js'
import type { Verification, VerificationStatus } from '../verification/verification.js'

/**
 * Every cause a diagnosis can name. Stable: clients switch on them and docs/diagnosis.md lists
 * them all (a test keeps the two in sync). Add new ids; never rename one.
 */
export const CAUSE_IDS = [
  'number_mistyped',
  'number_not_sms_capable',
  'voip_number',
  'country_not_enabled',
  'rate_limited',
  'max_sends_reached',
  'max_attempts_reached',
  'opted_out',
  'unknown_subscriber',
  'carrier_filtered',
  'handset_unreachable',
  'provider_outage',
  'provider_outage_rerouted',
  'no_route',
  'spend_cap_reached',
  'delivery_failed',
  'sent_by_other_channel',
  'delivered_not_entered',
  'wrong_code',
  'delivery_delayed',
  'not_sent_yet',
  'expired',
  'canceled',
] as const
export type CauseId = (typeof CAUSE_IDS)[number]

export function isCauseId(value: string): value is CauseId {
  return (CAUSE_IDS as readonly string[]).includes(value)
}

/** `confirmed`: a recorded fact says so. `likely`: the facts point to it. `possible`: worth checking. */
export const LIKELIHOODS = ['confirmed', 'likely', 'possible'] as const
export type Likelihood = (typeof LIKELIHOODS)[number]

/** One fact a cause rests on, pointing at the event it was read from when there is one. */
export interface Evidence {
  /** Id of the verification event the fact comes from. */
  readonly event_id?: number
  /** ISO time of the fact. */
  readonly at?: string
  /** The fact in one line, in support's terms (routes, providers, raw codes). */
  readonly fact: string
  /** The raw data behind the fact (event data, limit counters...). */
  readonly raw?: object
}

export interface Cause {
  readonly id: CauseId
  readonly likelihood: Likelihood
  /** 1 for the most likely cause. */
  readonly rank: number
  /** Short, plain words for the person waiting for the code. */
  readonly title_user: string
  /** The cause as a short headline for support staff ("Too many codes sent to this number"). */
  readonly title_support: string
  readonly explanation_user: string
  /** What the person can do, most useful first. */
  readonly next_actions_user: readonly string[]
  /** The same cause for support staff: providers, routes, raw codes. */
  readonly explanation_support: string
  readonly next_actions_support: readonly string[]
  readonly evidence: readonly Evidence[]
  /**
   * The limit that refuses (`rate_limited` only): a limit name of docs/limits.md such as
   * `sends_per_destination`, `resend_cooldown` or `fraud_guard`; the one with the longest wait.
   */
  readonly limit?: string
  /** Seconds to wait before acting (a limit, an expected delivery, an automatic retry). */
  readonly wait_seconds?: number
  /** The sender name or number the message comes from (to look for, allow or unblock). */
  readonly sender_id?: string
  /** A corrected number, when the number was mistyped. */
  readonly suggested_number?: string
  /** Another channel that can reach this number (a landline takes a call). */
  readonly suggested_channel?: Channel
  /** New codes this verification can still send. */
  readonly sends_left?: number
  /** Codes that can still be tried on this verification. */
  readonly attempts_left?: number
}

/** `no_verification`: a number diagnosed before (or without) any verification. */
export type DiagnosisStatus = VerificationStatus | 'no_verification'

export interface Diagnosis {
  readonly verification_id: string | null
  /** The verification's status as of now (`expired` once past its lifetime, even before the sweep). */
  readonly status: DiagnosisStatus
  /** One or two plain sentences for the person waiting for the code. */
  readonly summary_user: string
  /** The state and the top cause with its evidence, for support. */
  readonly summary_support: string
  /** Most likely first. Empty when nothing is wrong (an approved verification). */
  readonly causes: readonly Cause[]
}

/** A rate-limit counter read without consuming (`RateLimiter.peek`). */
export interface CounterFacts {
  readonly remaining: number
  readonly points: number
  readonly windowSeconds: number
  /** 0 while points remain; otherwise milliseconds until the window resets. */
  readonly retryAfterMs: number
}

export interface LimitFacts {
  /** Codes that may still be sent to the destination in the current window. */
  readonly sendsPerDestination?: CounterFacts | undefined
  /** Codes that may still be tried for the destination in the current window. */
  readonly checksPerDestination?: CounterFacts | undefined
  /**
   * When the next send will be accepted (every limit counted: `NextSend.at`); null when no other
   * send is possible in the verification's life.
   */
  readonly nextResendAt?: number | null | undefined
  /**
   * New codes the verification may still send (`NextSend.sendsLeft`). Absent: read off the verification's own counters
   * (`maxSends - sendCount`). The diagnosis reads both from here and never recomputes a cooldown.
   */
  readonly sendsLeft?: number | undefined
  /**
   * Support has put the destination on the safe list: the per-number send limit and the
   * SMS-pumping guard no longer refuse it, so their hits are history, not causes.
   */
  readonly safeListed?: boolean | undefined
  /**
   * A live fraud-guard block on the number's range or country for the service (docs/fraud.md):
   * how long it lasts, and what it says (range, conversion, since when, how to lift).
   */
  readonly fraudBlock?:
    | { readonly retryAfterMs: number; readonly fact: string; readonly raw: object }
    | undefined
}

export interface RouteFacts {
  /** No receipt by then after hand-over: the message moves to the next route. */
  readonly receiptTimeoutMs: number
  /** Typical hand-over-to-receipt time when a route has no latency measured yet. @default 10_000 */
  readonly defaultDeliveryMs?: number | undefined
  /** Health of the routes the messages used (receipt latency p50, circuit state). */
  readonly health?: readonly RouteHealthSnapshot[] | undefined
  /** Sender ID or number each route uses for the destination's country, by route id. */
  readonly senders?: Readonly<Record<string, string | null>> | undefined
  /** Route ids that carry the channel to the destination's country now; undefined when unknown. */
  readonly covering?: readonly string[] | undefined
  /** Whether any route serves the channel at all (for some country); undefined when unknown. */
  readonly channelConfigured?: boolean | undefined
}

/** Account-level geo permissions (`config.geo`). */
export interface GeoFacts {
  readonly allowedCountries?: readonly string[] | undefined
  readonly blockedCountries: readonly string[]
}

/** Everything `diagnose` reads. All of it is optional except the clock, so partial facts still give an answer. */
export interface DiagnosisInput {
  /** Milliseconds since the epoch. */
  readonly now: number
  /** Absent when a number is diagnosed without a verification. */
  readonly verification?: Verification | undefined
  /** The verification's events, oldest first. */
  readonly events?: readonly VerificationEvent[] | undefined
  /** The verification's outbox messages (one per send). */
  readonly messages?: readonly OutboxMessage[] | undefined
  /** The number as typed (number diagnosis) or the destination (verification diagnosis). */
  readonly phone?: PhoneAnalysis | undefined
  /** The channel the code goes (or would go) on. @default the verification's, else `sms` */
  readonly channel?: Channel | undefined
  readonly limits?: LimitFacts | undefined
  readonly routes?: RouteFacts | undefined
  readonly geo?: GeoFacts | undefined
}
