/**
 * @module The analytics vocabulary: dimensions, the figures of a group, the report shape (the JSON
 * that `GET /v1/analytics/summary`, the console and the chart bundle share) and the pure arithmetic
 * (rates, nearest-rank percentiles) that turns counted rows into figures. See docs/analytics.md.
 * Free of server imports: the console's chart bundle (web/console) imports its types from here.
 */

/** What a report can be broken down by. `none`: totals and series only. */
export const GROUP_BYS = ['country', 'provider', 'route', 'channel', 'none'] as const
export type GroupBy = (typeof GROUP_BYS)[number]
export type Dimension = Exclude<GroupBy, 'none'>

export function isGroupBy(value: string): value is GroupBy {
  return (GROUP_BYS as readonly string[]).includes(value)
}

/** The named report windows (any other span is given as from/to). */
export const ANALYTICS_WINDOWS = ['1h', '24h', '7d', '30d'] as const
export type AnalyticsWindow = (typeof ANALYTICS_WINDOWS)[number]

/** Group key for rows where the dimension is not known (no country, no route reached yet). */
export const UNKNOWN_KEY = 'unknown'

export interface Percentiles {
  readonly p50: number | null
  readonly p90: number | null
}

/** The figures of one group, or of the whole window. Rates are 0..1 with 4 decimals; null when the denominator is 0. */
export interface Figures {
  /** Verifications created in the window. */
  readonly started: number
  /** Of those, approved before the end of the window. */
  readonly verified: number
  /** verified / started. */
  readonly conversion_rate: number | null
  /**
   * Messages queued in the window: every send a verification asked for (first sends and resends;
   * a message re-routed or moved to another channel counts once). Always
   * `messages_delivered + messages_failed + messages_pending`.
   */
  readonly messages_sent: number
  /** Of those, handed to a provider before the end of the window. */
  readonly messages_handed_over: number
  /** Messages queued in the window and delivered (receipt) before its end. */
  readonly messages_delivered: number
  /** Messages queued in the window and given up (no route or channel left) before its end. */
  readonly messages_failed: number
  /**
   * The rest: no final outcome before the end of the window (still on the way or awaiting a
   * receipt, canceled with their verification, or on a route that sends no receipts).
   */
  readonly messages_pending: number
  /** delivered / (delivered + failed): messages still in flight or canceled are left out. */
  readonly delivery_rate: number | null
  /** messages_sent / started: resends push it above 1. */
  readonly sends_per_verification: number | null
  /** Message queued -> delivered receipt. */
  readonly time_to_delivery_ms: Percentiles
  /** Verification created -> approved. */
  readonly time_to_verify_ms: Percentiles
}

export interface SeriesPoint {
  /** Bucket start (UTC hour or UTC day), ISO 8601. */
  readonly at: string
  readonly started: number
  readonly verified: number
  readonly sent: number
  readonly delivered: number
}

export interface AnalyticsReport {
  readonly window: { readonly from: string; readonly to: string }
  readonly group_by: GroupBy
  readonly totals: Figures
  /** One entry per key seen in the window, most verifications started first. Empty for `none`. */
  readonly groups: ReadonlyArray<{ readonly key: string } & Figures>
  /** Hourly buckets for windows of 48 h or less, daily beyond. */
  readonly series: readonly SeriesPoint[]
}

export interface ReportQuery {
  /** Window start, ms since the epoch (inclusive). */
  readonly from: number
  /** Window end, ms since the epoch (exclusive). */
  readonly to: number
  readonly groupBy: GroupBy
  /** Only this service's traffic. @default every service */
  readonly serviceId?: string | undefined
  /** Only these services' traffic (a console member limited to services). @default every service */
  readonly serviceIds?: readonly string[] | undefined
}

/** Counted facts of one group, before they become rates. */
export interface Counts {
  started: number
  verified: number
  sent: number
  handedOver: number
  delivered: number
  failed: number
  deliveryMs: number[]
  verifyMs: number[]
}

export function emptyCounts(): Counts {
  return {
    started: 0,
    verified: 0,
    sent: 0,
    handedOver: 0,
    delivered: 0,
    failed: 0,
    deliveryMs: [],
    verifyMs: [],
  }
}

/** `n / d` rounded to 4 decimals; null when `d` is 0 (no data is not a rate of 0). */
export function rate(n: number, d: number): number | null {
  return d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null
}

/**
 * Nearest-rank percentile: the smallest value with at least `p`% of the values at or below it
 * (`sorted[ceil(p/100 * n) - 1]`). Always an observed value, so it is easy to check by hand.
 * `sorted` must be ascending.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(sorted.length, rank) - 1] ?? null
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90) }
}

export function toFigures(c: Counts): Figures {
  return {
    started: c.started,
    verified: c.verified,
    conversion_rate: rate(c.verified, c.started),
    messages_sent: c.sent,
    messages_handed_over: c.handedOver,
    messages_delivered: c.delivered,
    messages_failed: c.failed,
    messages_pending: Math.max(0, c.sent - c.delivered - c.failed),
    delivery_rate: rate(c.delivered, c.delivered + c.failed),
    sends_per_verification: rate(c.sent, c.started),
    time_to_delivery_ms: percentiles(c.deliveryMs),
    time_to_verify_ms: percentiles(c.verifyMs),
  }
}

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

/** Hourly buckets up to 48 h, daily beyond (at most ~400 points for the longest window allowed). */
export function bucketSizeMs(from: number, to: number): number {
  return to - from <= 48 * HOUR_MS ? HOUR_MS : DAY_MS
}
