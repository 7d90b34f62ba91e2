/**
 * @module What the factor domain needs from storage: TOTP factors with their replay and lockout
 * state, and recovery-code sets. Implemented in `src/storage/factor-store.ts` and
 * `src/storage/recovery-code-store.ts`; the shared behaviour is pinned by `store.contract.ts`.
 */
import type { TotpFactor } from './factors.js'

/** HMAC algorithms a stored factor may name. Only SHA1 is issued: it is what every authenticator app supports. */
export const TOTP_ALGORITHMS = ['SHA1'] as const
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number]

/** A factor as stored: the public view plus the encrypted secret and the state that guards it. */
export interface TotpFactorRecord extends TotpFactor {
  readonly algorithm: TotpAlgorithm
  /** `keyring.encrypt(base32Secret, factorId)`; never the secret itself. */
  readonly secretCiphertext: string
  /** Newest time step a code was accepted for, or null before the first success. */
  readonly lastUsedStep: number | null
  /** Tries since the last success or lock. Counted before each comparison. */
  readonly failedAttempts: number
  /** Locks since the last success; drives the doubling lock period. */
  readonly lockCount: number
  /** While in the future, every try is refused without being counted. */
  readonly lockedUntil: number | null
}

export interface TotpFactorStore {
  insert(factor: TotpFactorRecord): Promise<void>
  /** Scoped to service and entity: a factor id of another entity is not found. */
  get(serviceId: string, entityId: string, factorId: string): Promise<TotpFactorRecord | undefined>
  /** Oldest first. */
  list(serviceId: string, entityId: string): Promise<TotpFactorRecord[]>
  /** True when a row was deleted. */
  delete(serviceId: string, entityId: string, factorId: string): Promise<boolean>
  /**
   * Counts one try before the code is compared, in its own statement: increments `failedAttempts`
   * only while it is below `maxAttempts` and the factor is not locked at `now`. Returns the row after
   * the increment, or undefined when no try could be counted (locked, tries used up while the
   * deciding try is still in flight, or gone). Parallel guesses can never use more tries than allowed.
   */
  countAttempt(factorId: string, now: number, maxAttempts: number): Promise<TotpFactorRecord | undefined>
  /**
   * Locks the factor until `lockedUntil`, adds one to `lockCount` and starts a fresh round of tries.
   * Applies only while `failedAttempts >= maxAttempts` and no lock is running, so of the tries of one
   * round exactly one locks. Returns true when it locked.
   */
  lock(factorId: string, now: number, lockedUntil: number, maxAttempts: number): Promise<boolean>
  /**
   * Accepts a code for time step `step`: a compare-and-set on `lastUsedStep < step` (or null) that
   * also resets the tries, the lock count and any lock, and marks the factor verified when
   * `markVerified`. Returns the row after the change, or undefined when the step (or a later one)
   * was already used, which is what makes each code single-use even for two racing callers.
   */
  acceptStep(
    factorId: string,
    step: number,
    now: number,
    markVerified: boolean,
  ): Promise<TotpFactorRecord | undefined>
}

/** One code of the current recovery set of an entity. */
export interface RecoveryCodeRecord {
  readonly serviceId: string
  readonly entityId: string
  /** 0-based position in the set. */
  readonly slot: number
  /** `keyring.sign(...)` of the code bound to service and entity. */
  readonly codeHmac: string
  readonly createdAt: number
  readonly usedAt: number | null
}

export interface RecoveryCodeStore {
  /**
   * Replaces the entity's set in one transaction: the previous codes (used or not) are gone when it
   * returns. Two racing replacements leave exactly one complete set.
   */
  replaceSet(serviceId: string, entityId: string, codes: readonly RecoveryCodeRecord[]): Promise<void>
  /** The current set, by slot. */
  list(serviceId: string, entityId: string): Promise<RecoveryCodeRecord[]>
  /**
   * Marks one code used: `UPDATE ... WHERE used_at IS NULL AND code_hmac = ?`. True only for the one
   * caller that changed the row; the `code_hmac` guard makes a slot refilled by a regeneration in the
   * meantime not match.
   */
  markUsed(serviceId: string, entityId: string, slot: number, codeHmac: string, now: number): Promise<boolean>
}
