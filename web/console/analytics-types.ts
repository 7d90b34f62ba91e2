/**
 * @module The analytics report as the console reads it: the JSON of GET /v1/analytics/summary and
 * of the console's own endpoint (src/analytics/figures.ts is the source; docs/analytics.md).
 */

export const WINDOWS = ['1h', '24h', '7d', '30d'] as const
export type AnalyticsWindow = (typeof WINDOWS)[number]

export const GROUP_BYS = ['country', 'provider', 'route', 'channel', 'none'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface Percentiles {
  readonly p50: number | null
  readonly p90: number | null
}

export interface Figures {
  readonly started: number
  readonly verified: number
  readonly conversion_rate: number | null
  readonly messages_sent: number
  readonly messages_delivered: number
  readonly messages_failed: number
  readonly delivery_rate: number | null
  readonly sends_per_verification: number | null
  readonly time_to_delivery_ms: Percentiles
  readonly time_to_verify_ms: Percentiles
}

export interface SeriesPoint {
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
  readonly groups: ReadonlyArray<{ readonly key: string } & Figures>
  readonly series: readonly SeriesPoint[]
}

export function isWindow(value: string | undefined): value is AnalyticsWindow {
  return (WINDOWS as readonly string[]).includes(value ?? '')
}

export function isGroupBy(value: string | undefined): value is GroupBy {
  return (GROUP_BYS as readonly string[]).includes(value ?? '')
}
