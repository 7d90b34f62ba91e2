/**
 * @module What the Twilio facade keeps itself (things verigate has no concept of): TOTP defaults per
 * service, Service Rate Limits and their buckets, and TOTP challenges. Implemented in
 * `src/storage/twilio-compat-store.ts`.
 */

/** Twilio service settings verigate's services have no field for; null means verigate's default. */
export interface TwilioServiceSettings {
  readonly serviceId: string
  readonly totpIssuer: string | null
  readonly totpTimeStep: number | null
  readonly totpCodeLength: number | null
  readonly totpSkew: number | null
  /** `Psd2Enabled`: starts and checks need `Amount` and `Payee`, and the code is bound to them. */
  readonly psd2Enabled: boolean
  /** `CustomCodeEnabled`: starts may carry the app's own `CustomCode`. */
  readonly customCodeEnabled: boolean
  /**
   * verigate extension `VerigateResendCooldown`: a start on a pending verification waits for
   * verigate's resend cooldown as on the native API, instead of re-sending at once as Twilio does.
   */
  readonly resendCooldown: boolean
  readonly updatedAt: number
}

export interface RateLimit {
  /** `RK…` */
  readonly sid: string
  readonly serviceId: string
  readonly uniqueName: string
  readonly description: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

export interface RateLimitBucket {
  /** `BL…` */
  readonly sid: string
  readonly rateLimitSid: string
  readonly serviceId: string
  /** Verification starts allowed per interval and key value. */
  readonly max: number
  readonly intervalSeconds: number
  readonly createdAt: number
  readonly updatedAt: number
}

export interface ChallengeDetails {
  readonly message: string | null
  readonly fields: ReadonlyArray<{ readonly label: string; readonly value: string }>
}

export const STORED_CHALLENGE_STATUSES = ['pending', 'approved'] as const
export type StoredChallengeStatus = (typeof STORED_CHALLENGE_STATUSES)[number]

export interface Challenge {
  /** `YC…` */
  readonly sid: string
  readonly serviceId: string
  readonly identity: string
  readonly factorId: string
  readonly factorSid: string
  /** `expired` is not stored: a pending challenge past `expiresAt` is expired. */
  readonly status: StoredChallengeStatus
  readonly details: ChallengeDetails | null
  readonly hiddenDetails: Record<string, unknown> | null
  readonly metadata: Record<string, unknown> | null
  readonly expiresAt: number
  readonly respondedAt: number | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** Outcome of an insert guarded by a unique name (rate limit name, bucket interval). */
export type InsertOutcome = 'ok' | 'duplicate'

export interface TwilioCompatStore {
  getSettings(serviceId: string): Promise<TwilioServiceSettings | undefined>
  /** Insert or replace. */
  putSettings(settings: TwilioServiceSettings): Promise<void>

  /** `duplicate` when the service already has a rate limit with this unique name. */
  insertRateLimit(rateLimit: RateLimit): Promise<InsertOutcome>
  getRateLimit(serviceId: string, sid: string): Promise<RateLimit | undefined>
  /** Oldest first. */
  listRateLimits(serviceId: string): Promise<RateLimit[]>
  updateRateLimit(rateLimit: RateLimit): Promise<boolean>
  /** Deletes the rate limit and its buckets; true when it existed. */
  deleteRateLimit(serviceId: string, sid: string): Promise<boolean>

  /** `duplicate` when the rate limit already has a bucket with this interval. */
  insertBucket(bucket: RateLimitBucket): Promise<InsertOutcome>
  getBucket(rateLimitSid: string, sid: string): Promise<RateLimitBucket | undefined>
  /** Oldest first. */
  listBuckets(rateLimitSid: string): Promise<RateLimitBucket[]>
  /** `duplicate` when another bucket of the rate limit has the new interval. */
  updateBucket(bucket: RateLimitBucket): Promise<InsertOutcome>
  deleteBucket(rateLimitSid: string, sid: string): Promise<boolean>

  insertChallenge(challenge: Challenge): Promise<void>
  getChallenge(serviceId: string, identity: string, sid: string): Promise<Challenge | undefined>
  /** Ordered by sid; `status: 'expired'` means pending past its expiry at `now`. */
  listChallenges(
    serviceId: string,
    identity: string,
    opts: {
      readonly now: number
      readonly limit: number
      readonly after?: string | undefined
      readonly factorSid?: string | undefined
      readonly status?: 'pending' | 'approved' | 'expired' | undefined
    },
  ): Promise<Challenge[]>
  /** Moves a pending, unexpired challenge to approved; true only for the caller that did it. */
  approveChallenge(sid: string, now: number): Promise<boolean>
}
