/**
 * @module What account recovery needs from storage: recovery cases and their append-only event
 * log. Implemented in `src/storage/account-recovery-store.ts`; the shared behaviour is pinned by
 * `account-recovery-store.contract.ts`.
 */

/**
 * `pending_approval` → `cooling_off` (approved; takes effect at `effectiveAt`) → `completed`.
 * `pending_approval` and `cooling_off` may end in `canceled` instead.
 */
export const RECOVERY_CASE_STATUSES = ['pending_approval', 'cooling_off', 'canceled', 'completed'] as const
export type RecoveryCaseStatus = (typeof RECOVERY_CASE_STATUSES)[number]

export function isRecoveryCaseStatus(value: string): value is RecoveryCaseStatus {
  return (RECOVERY_CASE_STATUSES as readonly string[]).includes(value)
}

export const RECOVERY_EVENT_TYPES = [
  'requested',
  'approved',
  'notice_sent',
  'notice_failed',
  'canceled',
  'completed',
  'factors_removed',
] as const
export type RecoveryEventType = (typeof RECOVERY_EVENT_TYPES)[number]

export function isRecoveryEventType(value: string): value is RecoveryEventType {
  return (RECOVERY_EVENT_TYPES as readonly string[]).includes(value)
}

/** Where the user can still be reached, as support recorded it with the request. */
export interface RecoveryContacts {
  /** E.164 numbers; each gets an SMS notice. */
  readonly phones: readonly string[]
  readonly emails: readonly string[]
}

/** A support-approved reset of every sign-in method of one entity. */
export interface RecoveryCase {
  /** `rec_...` */
  readonly id: string
  readonly serviceId: string
  /** The app's own user id. */
  readonly entityId: string
  readonly status: RecoveryCaseStatus
  /** Why the reset was asked for (free text from support). */
  readonly reason: string
  /** Who asked (a support agent's id or name, as the app passes it). */
  readonly requestedBy: string
  readonly contacts: RecoveryContacts
  /** Who approved; null until approved. */
  readonly approvedBy: string | null
  /** When the reset may be completed (approval + cooling-off); null until approved. */
  readonly effectiveAt: number | null
  readonly createdAt: number
  readonly updatedAt: number
  /** When the case was canceled or completed; null while open. */
  readonly finishedAt: number | null
}

/** One line of the append-only log: who did what, when and why. */
export interface RecoveryEvent {
  /** Increasing in insertion order. */
  readonly id: number
  readonly caseId: string
  readonly type: RecoveryEventType
  /** Who did it (`system` for notices and removals done on someone's behalf). */
  readonly actor: string
  /** Why, when the step asks for a reason. */
  readonly reason: string | null
  readonly at: number
  /** Facts of the event (notice channel and destination, counts of removed factors, ...). */
  readonly data: Readonly<Record<string, unknown>>
}

export type NewRecoveryEvent = Omit<RecoveryEvent, 'id'>

/** The fields a transition may change. */
export interface RecoveryCasePatch {
  readonly status: RecoveryCaseStatus
  readonly updatedAt: number
  readonly approvedBy?: string
  readonly effectiveAt?: number
  readonly finishedAt?: number
}

export interface AccountRecoveryStore {
  /** Stores a new case and its first event in one transaction. */
  insert(recoveryCase: RecoveryCase, event: NewRecoveryEvent): Promise<void>
  get(caseId: string): Promise<RecoveryCase | undefined>
  /** The entity's cases, oldest first. */
  list(serviceId: string, entityId: string): Promise<RecoveryCase[]>
  /**
   * Moves a case on as a compare-and-set: applies `patch` only while the status is one of `from`,
   * and appends `event` in the same transaction. Returns the case after the change, or undefined
   * when the status had already moved (a racing approve, cancel or complete won) or the case is gone.
   */
  transition(
    caseId: string,
    from: readonly RecoveryCaseStatus[],
    patch: RecoveryCasePatch,
    event: NewRecoveryEvent,
  ): Promise<RecoveryCase | undefined>
  /** Appends one event. Events are never updated or deleted. */
  appendEvent(event: NewRecoveryEvent): Promise<void>
  /** The case's events in the order they were appended. */
  events(caseId: string): Promise<RecoveryEvent[]>
}
