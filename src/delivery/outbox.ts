/** @module The durable outbox: one row per send of a verification's code. */

import type { Channel } from '../channels/channel.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { DeliveryOutcome } from './outcome.js'
import type { DeliveryReport } from './providers/provider.js'

/**
 * One send of a verification's code, as it moves through routes and channels (docs/delivery.md):
 *
 * - `queued`: due at `availableAt` (first try, the next route or channel, or a retry after backoff).
 * - `sending`: claimed by a worker, leased until `availableAt` (a dead worker's lease runs out).
 * - `sent`: submitted, that is handed to a provider, awaiting its receipt until `availableAt`.
 * - `unconfirmed`: every way was tried and at least one hand-over is still open (no receipt yet, which
 *   is not a failure): it waits for a late receipt until the code's end (`availableAt`).
 * - `delivered`: a receipt said delivered, on any of its hand-overs (also a late one).
 * - `failed`: nothing can deliver it any more (every route and channel is final for this
 *   destination, or a cap was hit): given up, with the outcome that decided it.
 * - `expired`: the code ended while hand-overs were still unconfirmed, or while providers were down.
 * - `canceled`: the verification ended before it left.
 */
export const OUTBOX_STATUSES = [
  'queued',
  'sending',
  'sent',
  'unconfirmed',
  'delivered',
  'failed',
  'expired',
  'canceled',
] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

/** Statuses after which nothing more happens to a send. */
export const FINAL_OUTBOX_STATUSES: ReadonlySet<OutboxStatus> = new Set([
  'delivered',
  'failed',
  'expired',
  'canceled',
])

/**
 * One hand-over of a send to a provider (a hop), with its own state: `submitted` until its receipt,
 * then `delivered` or `failed`; `unconfirmed` when its receipt is overdue (still open: a late
 * receipt settles it); `expired` when the code ended first.
 */
export const HOP_STATES = ['submitted', 'unconfirmed', 'delivered', 'failed', 'expired'] as const
export type HopState = (typeof HOP_STATES)[number]

export interface Hop {
  readonly providerId: string
  readonly providerMessageId: string
  readonly messageId: string
  readonly routeId: string
  readonly channel: Channel
  /** ISO country of the destination, when known. */
  readonly country: string | null
  readonly sentAt: number
  readonly state: HopState
  /** The failure outcome of a `failed` hop. */
  readonly outcome: DeliveryOutcome | null
  /** When the hop reached `delivered`, `failed` or `expired`. */
  readonly settledAt: number | null
}

/**
 * The dispatcher's memory of a send between claims: what is ruled out for this destination, and
 * the retry in progress.
 */
export interface DeliveryPlan {
  /** Channels a destination-level outcome ruled out (a landline for SMS, a handset that is off...). */
  readonly ruledOut?: readonly Channel[]
  /** A throttled route to try again first, and how many times it was retried. */
  readonly retryRoute?: string | null
  readonly retries?: number
  /** Rounds through every route and channel, each after a backoff, while providers are down. */
  readonly rounds?: number
  /** Hand-overs so far (the `maxHops` cap counts these: paid messages, not refused submits). */
  readonly handovers?: number
  /** Set while the send is `unconfirmed`: waiting for a receipt until its code's end. */
  readonly waiting?: boolean
  /** A failed receipt's verdict on a hand-over, and that hand-over's channel, for the next claim to act on. */
  readonly verdict?: DeliveryOutcome | null
  readonly verdictChannel?: Channel | null
}

export interface NewOutboxMessage {
  readonly id: string
  readonly verificationId: string
  readonly serviceId: string
  readonly channel: Channel
  readonly destination: string
  readonly sendNumber: number
  readonly createdAt: number
  /**
   * Routes not to use for this message, as if already tried (a support resend "on route X" marks
   * the channel's other routes). @default []
   */
  readonly avoidRoutes?: readonly string[]
  /**
   * Written already claimed by this process until then (`FreshSends.leaseFor`): status `sending`,
   * one attempt, due again only when the lease runs out. @default queued
   */
  readonly claimedUntil?: number | undefined
}

export interface OutboxMessage extends NewOutboxMessage {
  readonly status: OutboxStatus
  readonly attempts: number
  readonly availableAt: number
  readonly leaseUntil: number | null
  readonly providerId: string | null
  readonly providerMessageId: string | null
  readonly deliveryOutcome: DeliveryOutcome | null
  readonly lastErrorCode: string | null
  readonly lastErrorText: string | null
  readonly sentAt: number | null
  readonly deliveredAt: number | null
  readonly routeId: string | null
  readonly sender: string | null
  /** Route ids already tried for this message, oldest first. */
  readonly triedRoutes: readonly string[]
  readonly hops: number
  readonly plan: DeliveryPlan
}

/** Names one hand-over. */
export interface HopKey {
  readonly providerId: string
  readonly providerMessageId: string
}

export interface ErrorInfo {
  readonly providerId: string | null
  readonly code: string | null
  readonly text: string | null
}

export interface SentInfo {
  readonly providerId: string
  readonly providerMessageId: string
  readonly routeId: string
  readonly sender: string | null
  readonly channel: Channel
  readonly country: string | null
  readonly triedRoutes: readonly string[]
  readonly hops: number
  readonly plan: DeliveryPlan
  /** No receipt by then: the message is claimed again and moved to the next route. */
  readonly receiptDeadline: number
}

export interface RequeueInfo {
  readonly availableAt: number
  readonly channel: Channel
  readonly triedRoutes: readonly string[]
  readonly hops: number
  readonly plan: DeliveryPlan
  /** The failed receipt's outcome, kept so a later give-up names the real reason. */
  readonly outcome?: DeliveryOutcome | undefined
}

export interface OutboxStore {
  /**
   * Claims due messages: queued ones whose time has come, sending ones whose lease ran out (their
   * worker died), sent ones whose receipt is overdue and waiting ones whose code has ended. Each
   * gets a lease (`availableAt`) and one more attempt counted. A claimed row with a
   * `providerMessageId` is a receipt timeout; one whose plan says `waiting` reached its code's end.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>
  /** Handed over: records the hop (also in `provider_messages`) and waits for the receipt. */
  markSent(id: string, now: number, sent: SentInfo, events: readonly NewVerificationEvent[]): Promise<void>
  /** Back to `queued` (next route, next channel, or a later retry), remembering the error. */
  requeue(
    id: string,
    now: number,
    next: RequeueInfo,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  markFailed(
    id: string,
    now: number,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  /**
   * Nothing more to try, but a hand-over is still open: waits for its receipt until `until` (the
   * code's end), with no give-up. The plan is stored with `waiting: true`.
   */
  markWaiting(
    id: string,
    now: number,
    until: number,
    plan: DeliveryPlan,
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  /** The verification ended before this message went out. */
  markCanceled(id: string, now: number): Promise<void>
  /** The code ended first: the send and its open hand-overs are `expired`. */
  markExpired(id: string, now: number): Promise<void>
  /** A receipt said delivered (for the hand-over `hop`): the send is delivered, whichever hop it was. */
  markDelivered(id: string, at: number, hop: HopKey, events: readonly NewVerificationEvent[]): Promise<void>
  /** Sets the state of one hand-over (a receipt's verdict, or its timeout). */
  settleHop(hop: HopKey, state: HopState, outcome: DeliveryOutcome | null, at: number): Promise<void>
  /** The message and the hand-over a provider's id belongs to, whichever hop it was. */
  findByProviderMessageId(
    providerId: string,
    providerMessageId: string,
  ): Promise<{ message: OutboxMessage; hop: Hop } | undefined>
  /**
   * Keeps a receipt whose hand-over is not recorded yet (its worker died between the provider's
   * answer and `markSent`, or is still writing it), until `takeHeldReceipts` finds it. Receipts
   * held longer than `keepMs` are forgotten on the way.
   */
  holdReceipt(report: DeliveryReport, now: number, keepMs: number): Promise<void>
  /**
   * Removes and returns (oldest first, at most `limit`) the held receipts whose hand-over is now
   * recorded. Each is returned to one caller only, so two workers sweeping at once do not both
   * apply it.
   */
  takeMatchedHeldReceipts(limit: number): Promise<DeliveryReport[]>
  /** The hand-overs of a message, oldest first. */
  listHops(messageId: string): Promise<Hop[]>
  listForVerification(verificationId: string): Promise<OutboxMessage[]>
}

/**
 * A new message written claimed under `m.claimedUntil` (see `FreshSends`), as the claim of the
 * stored row would return it: no hop, no route tried but those to avoid, an empty plan.
 */
export function claimedFreshMessage(m: NewOutboxMessage & { readonly claimedUntil: number }): OutboxMessage {
  // Every field written out, not `{ ...m, status, ... }`: on Node 20 a spread followed by properties
  // the spread object lacks can take a slow path whose copy outlives the young generation. Here it
  // did in some runs and not others (about 4 KB a verification when it did; docs/performance.md,
  // "Ninth machine"), and this is made for every verification started.
  return {
    id: m.id,
    verificationId: m.verificationId,
    serviceId: m.serviceId,
    channel: m.channel,
    destination: m.destination,
    sendNumber: m.sendNumber,
    createdAt: m.createdAt,
    ...(m.avoidRoutes === undefined ? {} : { avoidRoutes: m.avoidRoutes }),
    claimedUntil: m.claimedUntil,
    status: 'sending',
    attempts: 1,
    availableAt: m.claimedUntil,
    leaseUntil: null,
    providerId: null,
    providerMessageId: null,
    deliveryOutcome: null,
    lastErrorCode: null,
    lastErrorText: null,
    sentAt: null,
    deliveredAt: null,
    routeId: null,
    sender: null,
    triedRoutes: [...(m.avoidRoutes ?? [])],
    hops: 0,
    plan: {},
  }
}
