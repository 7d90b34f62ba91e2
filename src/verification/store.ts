/** @module What the verification domain needs from storage. Implemented in `src/storage/`. */
import type { NewOutboxMessage } from '../delivery/outbox.js'
import type { NewVerificationEvent, VerificationEvent } from '../events/verification-event.js'
import type { Verification, VerificationStatus } from './verification.js'

export type CreateVerificationResult =
  | { readonly ok: true }
  /** Another pending verification holds the destination (see `pending_key`). */
  | { readonly ok: false; readonly conflict: 'pending' }
  /** The Idempotency-Key was used before for this service. */
  | { readonly ok: false; readonly conflict: 'idempotency' }

/** What a check makes of its counted attempt. */
export interface CheckOutcome {
  /** The final status the check moves the verification to (approved, or failed on the last attempt). */
  readonly finish?: 'approved' | 'failed'
  readonly events: readonly NewVerificationEvent[]
}

export interface RecordedCheck {
  /** The verification after the attempt was counted. */
  readonly counted: Verification
  /** What the judge decided, all of it recorded. */
  readonly outcome: CheckOutcome
}

export interface VerificationStore {
  /**
   * Writes the verification, its first outbox message and its events in one transaction, so an
   * accepted verification always has a message to send, even if the process dies right after.
   */
  create(
    verification: Verification,
    message: NewOutboxMessage,
    events: readonly NewVerificationEvent[],
  ): Promise<CreateVerificationResult>
  get(id: string): Promise<Verification | undefined>
  findPending(serviceId: string, destination: string): Promise<Verification | undefined>
  findByIdempotencyKey(serviceId: string, key: string): Promise<Verification | undefined>
  /**
   * Records one more send of the same code. Succeeds only if the verification is still pending and
   * its send count is still `expectedSendCount` (two racing resends cannot both pass the cooldown).
   */
  recordResend(
    id: string,
    expectedSendCount: number,
    now: number,
    message: NewOutboxMessage,
    events: readonly NewVerificationEvent[],
  ): Promise<boolean>
  /**
   * One check in one transaction. Counts the attempt before the code is compared, in its own
   * statement: increments `check_attempts` only while pending and below the maximum, so a flood of
   * parallel guesses never uses more attempts than allowed. Then `judge` compares the code against
   * the counted row, and its outcome (a final status and events, or events alone) is recorded.
   * Undefined when no attempt could be counted (not pending, or no attempts left).
   */
  countCheckAttempt(
    id: string,
    now: number,
    judge: (counted: Verification) => CheckOutcome,
  ): Promise<RecordedCheck | undefined>
  /**
   * Moves a pending verification to a final status and clears its code ciphertext. Returns true
   * only for the one caller that made the change, which is what makes a code single-use.
   */
  finish(
    id: string,
    status: Exclude<VerificationStatus, 'pending'>,
    now: number,
    events: readonly NewVerificationEvent[],
  ): Promise<boolean>
  appendEvents(events: readonly NewVerificationEvent[]): Promise<void>
  listEvents(verificationId: string): Promise<VerificationEvent[]>
  /**
   * The newest `limit` verifications of a destination, newest first, optionally of some services
   * only (narrowed before the limit, so another service's traffic never pushes theirs out). For
   * support and diagnosis ("what happened to this number?"), not the request path.
   */
  listByDestination(
    destination: string,
    limit: number,
    serviceIds?: readonly string[],
  ): Promise<Verification[]>
  /** Pending verifications whose lifetime has passed, oldest first. */
  listExpired(now: number, limit: number): Promise<Verification[]>
}
