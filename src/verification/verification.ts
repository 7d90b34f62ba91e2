/** @module The verification entity, its statuses and its event vocabulary. */
import type { Channel } from '../delivery/channel.js'

export const VERIFICATION_STATUSES = ['pending', 'approved', 'canceled', 'expired', 'failed'] as const
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number]

export interface Verification {
  readonly id: string
  readonly serviceId: string
  readonly channel: Channel
  /** E.164 number, or an email address for the email channel. */
  readonly destination: string
  /** ISO country of the number, when known. */
  readonly country: string | null
  readonly status: VerificationStatus
  readonly codeHmac: string
  /** Present only while pending. */
  readonly codeCiphertext: string | null
  /** Digits in the code, fixed at creation (the service setting may change later). */
  readonly codeLength: number
  readonly locale: string
  readonly checkAttempts: number
  readonly maxCheckAttempts: number
  readonly sendCount: number
  readonly maxSends: number
  readonly lastSentAt: number
  readonly expiresAt: number
  readonly clientIp: string | null
  readonly idempotencyKey: string | null
  readonly idempotencyFingerprint: string | null
  readonly createdAt: number
  readonly updatedAt: number
  readonly finishedAt: number | null
}

/**
 * Every fact recorded about a verification. Diagnosis and support screens read these, so each
 * carries what happened with the raw provider codes, not an interpretation.
 */
export const EVENT_TYPES = [
  'created',
  'send_requested',
  'handed_to_provider',
  'submit_failed',
  'delivery_pending',
  'delivered',
  'delivery_failed',
  /** No receipt within the routing timeout; the message moves to the next route. */
  'receipt_timeout',
  /** Every route of a channel failed; the same code goes out on the next channel. */
  'channel_fallback',
  /** No route or channel is left (or a cap was hit): this send is given up. */
  'gave_up',
  'check_failed',
  'approved',
  'expired',
  'canceled',
  'max_attempts_reached',
  'limit_hit',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface NewVerificationEvent {
  readonly verificationId: string | null
  readonly serviceId: string
  readonly destination: string
  readonly type: EventType
  readonly at: number
  readonly data: Readonly<Record<string, unknown>>
}

export interface VerificationEvent extends NewVerificationEvent {
  readonly id: number
}

/** A verification counts as expired from `expiresAt` on, even before the sweeper records it. */
export function isLive(v: Verification, now: number): boolean {
  return v.status === 'pending' && now < v.expiresAt
}
