/** @module The durable outbox: one row per send of a verification's code. */
import type { NewVerificationEvent } from '../verification/verification.js'
import type { Channel } from './channel.js'
import type { DeliveryOutcome } from './outcome.js'

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'canceled'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export interface NewOutboxMessage {
  readonly id: string
  readonly verificationId: string
  readonly serviceId: string
  readonly channel: Channel
  readonly destination: string
  readonly sendNumber: number
  readonly createdAt: number
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
}

export interface OutboxStore {
  /**
   * Claims due messages: queued ones whose time has come, and sending ones whose lease ran out
   * (their worker died). Each claimed row gets a new lease and one more attempt counted.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]>
  markSent(
    id: string,
    now: number,
    result: { providerId: string; providerMessageId: string },
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  /** Back to `queued` until `availableAt`, remembering the error. */
  markRetry(
    id: string,
    now: number,
    availableAt: number,
    error: { providerId: string | null; code: string | null; text: string | null },
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  markFailed(
    id: string,
    now: number,
    error: { providerId: string | null; code: string | null; text: string | null },
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  /** The verification ended before this message went out. */
  markCanceled(id: string, now: number): Promise<void>
  findByProviderMessageId(providerId: string, providerMessageId: string): Promise<OutboxMessage | undefined>
  /** Stores a receipt's outcome; `delivered_at` is set when the outcome is `delivered`. */
  recordDelivery(
    id: string,
    outcome: DeliveryOutcome,
    at: number,
    events: readonly NewVerificationEvent[],
  ): Promise<void>
  listForVerification(verificationId: string): Promise<OutboxMessage[]>
}
