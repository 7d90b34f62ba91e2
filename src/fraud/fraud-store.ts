/**
 * @module FraudStore: where the fraud guard keeps its bucketed counters and its marks (blocks and
 * lifts). In memory for a single instance (`memory-fraud-store.ts`), in Redis when configured so
 * every instance judges on the same figures (`redis-fraud-store.ts`).
 */

/** Buckets per window: a start is forgotten between `window - window/BUCKETS` and `window` of age. */
export const BUCKETS = 60

/**
 * One time bucket of a counter: the starts made in it, and the approvals of those starts (an
 * approval is counted in the bucket of its start, so a bucket is a cohort and its conversion is
 * exact however late the codes were entered).
 */
export interface CohortBucket {
  readonly bucket: number
  readonly starts: number
  readonly approvals: number
}

export const FRAUD_DIMENSIONS = ['prefix', 'country', 'ip', 'service'] as const
/** What a counter is kept for: a number range, a country, a client IP, a whole service. */
export type FraudDimension = (typeof FRAUD_DIMENSIONS)[number]

/** The figures a block was decided on, kept with it so every surface tells the same story. */
export interface FraudEvidence {
  /** Starts in the window (sent; refused starts are not counted). */
  readonly starts: number
  /** Codes entered for those starts. */
  readonly approvals: number
  /** Approvals a healthy range would have produced by now (baseline x matured starts). */
  readonly expected: number
  /** approvals / matured starts (0..1), or null when nothing has matured. */
  readonly conversion: number | null
  /** The conversion compared with (0..1). */
  readonly baseline: number
  /** Where the baseline came from. */
  readonly baselineFrom: 'country' | 'service' | 'default' | 'floor'
  /** Which rule decided: too few approvals for the matured starts, or a burst with none at all. */
  readonly rule: 'low_conversion' | 'unproven_burst'
}

/** A block (new starts refused) or a lift (support said the key is fine: not judged for a while). */
export interface FraudMark {
  readonly key: string
  readonly kind: 'block' | 'lift'
  readonly serviceId: string
  readonly dimension: FraudDimension
  /** The range (`+44791111`), the country (`GB`) or the IP. */
  readonly value: string
  /** When the block was decided, or the lift given. */
  readonly since: number
  /** When the mark ends by itself. */
  readonly until: number
  readonly evidence?: FraudEvidence | undefined
  /** Lifts: who lifted it and why. */
  readonly by?: string | undefined
  readonly reason?: string | undefined
}

export interface FraudStore {
  /** Adds one start or approval to `bucket` of each key. O(1) per key. */
  add(keys: readonly string[], field: 'starts' | 'approvals', bucket: number, now: number): Promise<void>
  /**
   * Takes `buckets` (a blocked range's cohorts) out of each key's counts, never below zero, so
   * its parents are judged on the traffic no block explains yet.
   */
  subtract(keys: readonly string[], buckets: readonly CohortBucket[], now: number): Promise<void>
  /** The buckets of each key from `oldestBucket` on (in `keys` order). */
  read(keys: readonly string[], oldestBucket: number, now: number): Promise<CohortBucket[][]>
  /** The live mark of each key, if any (in `keys` order). */
  marks(keys: readonly string[], now: number): Promise<(FraudMark | undefined)[]>
  /**
   * Stores a mark until `mark.until`. A block is stored only when the key has no live mark (so
   * the first instance to decide one keeps its `since`, and a lift is not overridden); a lift
   * replaces whatever is there. Returns whether it was stored.
   */
  putMark(mark: FraudMark, now: number): Promise<boolean>
  /** Every live mark, newest first, at most `limit`. */
  listMarks(now: number, limit: number): Promise<FraudMark[]>
  close(): Promise<void>
}

/** The bucket of a time, for a window of `windowMs`. */
export function bucketOf(at: number, windowMs: number): number {
  return Math.floor((at * BUCKETS) / windowMs)
}
