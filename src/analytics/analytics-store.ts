/**
 * @module AnalyticsStore: the counted facts analytics needs, read from the verifications and
 * outbox tables (implemented with Kysely in `kysely-analytics-store.ts`, for SQLite and PostgreSQL).
 *
 * A window is a cohort: verifications created and messages queued in `[from, to)`. Outcomes
 * (approved, handed over, delivered, given up) count when they happened before `asOf`, which is
 * `to` for reports (a past window's report does not change later) and "now" for alerts.
 */
import type { Dimension } from './figures.js'

export interface CohortQuery {
  readonly from: number
  readonly to: number
  /** Outcomes at or after this time are not counted yet. */
  readonly asOf: number
  readonly serviceId?: string | undefined
  /**
   * Only these services' traffic (a console member limited to services); an empty list counts
   * nothing. Applies with `serviceId` when both are given.
   */
  readonly serviceIds?: readonly string[] | undefined
  /** Group by these, in order; `keys` of each row follow the same order. Empty: one total row. */
  readonly dims: readonly Dimension[]
}

export interface VerificationCountRow {
  /** One value per dimension; null when unknown (no country, no route reached). */
  readonly keys: readonly (string | null)[]
  readonly started: number
  readonly verified: number
}

export interface MessageCountRow {
  readonly keys: readonly (string | null)[]
  /** Messages queued in the window, whatever became of them. */
  readonly sent: number
  /** Of those, handed to a provider before `asOf`. */
  readonly handedOver: number
  readonly delivered: number
  readonly failed: number
}

export interface DurationRow {
  readonly keys: readonly (string | null)[]
  readonly ms: number
}

export interface SeriesRow {
  /** Bucket start, ms since the epoch. */
  readonly at: number
  readonly started: number
  readonly verified: number
  readonly sent: number
  readonly delivered: number
}

export interface AnalyticsStore {
  /**
   * Runs `read` against one snapshot of the database, so a report's counts, durations and series
   * agree with each other even while receipts are being written (PostgreSQL: a repeatable-read,
   * read-only transaction; SQLite: one read transaction).
   */
  consistentRead<T>(read: (store: AnalyticsStore) => Promise<T>): Promise<T>
  /** Verifications started and verified per group. */
  verificationCounts(q: CohortQuery): Promise<VerificationCountRow[]>
  /** Messages sent, delivered and failed per group. */
  messageCounts(q: CohortQuery): Promise<MessageCountRow[]>
  /** Created -> approved durations, newest verifications first, at most `limit`. */
  verifyDurations(q: CohortQuery, limit: number): Promise<DurationRow[]>
  /** Queued -> delivered durations, newest messages first, at most `limit`. */
  deliveryDurations(q: CohortQuery, limit: number): Promise<DurationRow[]>
  /** Counts per bucket of `bucketMs` (aligned to the epoch, so to UTC hours and days); empty buckets are absent. */
  series(q: Omit<CohortQuery, 'dims'>, bucketMs: number): Promise<SeriesRow[]>
  /**
   * Services with verifications (`side: 'verifications'`) or messages (`side: 'messages'`) in the
   * window whose `dim` is `key`.
   */
  servicesWithTraffic(
    q: Omit<CohortQuery, 'dims' | 'asOf'>,
    dim: Dimension,
    key: string,
    side: 'verifications' | 'messages',
  ): Promise<string[]>
}
