/** @module The durable outbox: one row per send of a verification's code. */

import type { Channel } from '../channels/channel.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { DeliveryOutcome } from './outcome.js'

/**
 * `queued` (due at `availableAt`) -> `sending` (leased until `availableAt`) -> `sent` (awaiting a
 * receipt until `availableAt`) -> `delivered`; a failed submit or receipt re-queues on the next
 * route; `failed` when no route or channel is left; `canceled` when the verification ended first.
 */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'canceled'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

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
  readonly triedRoutes: readonly string[]
  readonly hops: number
  /** No receipt by then: the message is claimed again and moved to the next route. */
  readonly receiptDeadline: number
}

export interface RequeueInfo {
  readonly availableAt: number
  readonly channel: Channel
  readonly triedRoutes: readonly string[]
  readonly hops: number
  /** The failed receipt's outcome, kept so a later give-up names the real reason. */
  readonly outcome?: DeliveryOutcome | undefined
}

export interface OutboxStore {
  /**
   * Claims due messages: queued ones whose time has come, sending ones whose lease ran out (their
   * worker died) and sent ones whose receipt is overdue. Each gets a lease (`availableAt`) and one
   * more attempt counted. A claimed row with a `providerMessageId` is a receipt timeout.
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
  /** The verification ended before this message went out. */
  markCanceled(id: string, now: number): Promise<void>
  markDelivered(id: string, at: number, events: readonly NewVerificationEvent[]): Promise<void>
  /** The message a provider's id belongs to, whichever hop it was. */
  findByProviderMessageId(
    providerId: string,
    providerMessageId: string,
  ): Promise<{ message: OutboxMessage; routeId: string; sentAt: number } | undefined>
  listForVerification(verificationId: string): Promise<OutboxMessage[]>
}
