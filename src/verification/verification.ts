/** @module The verification entity, its statuses and its event vocabulary. */
import type { Channel } from '../channels/channel.js'
import type { VerificationRisk } from '../lookup/line-checks.js'

export const VERIFICATION_STATUSES = ['pending', 'approved', 'canceled', 'expired', 'failed'] as const
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number]

/**
 * A payment the code authorises (PSD2 dynamic linking): the code is bound to it, so a check for
 * another amount or payee fails, and the message shows it. Free text as the app wrote it.
 */
export interface Transaction {
  readonly amount: string
  readonly payee: string
}

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
  /** The payment the code is bound to, if any (see `Transaction`). */
  readonly transaction?: Transaction | null | undefined
  /** The risk the carrier lookup found (a recent SIM swap); null or absent: none found. */
  readonly risk?: VerificationRisk | null
}

/** A verification counts as expired from `expiresAt` on, even before the sweeper records it. */
export function isLive(v: Verification, now: number): boolean {
  return v.status === 'pending' && now < v.expiresAt
}
