/**
 * @module The analytics report as the console reads it: the JSON of GET /v1/analytics/summary and
 * of the console's own endpoint (the types and lists come from src/analytics/figures.ts, shared with the server; docs/analytics.md).
 */

import {
  ANALYTICS_WINDOWS,
  type AnalyticsWindow,
  GROUP_BYS,
  type GroupBy,
} from '../../src/analytics/figures.js'

export type {
  AnalyticsReport,
  AnalyticsWindow,
  Figures,
  GroupBy,
  Percentiles,
  SeriesPoint,
} from '../../src/analytics/figures.js'
export { GROUP_BYS }
export const WINDOWS = ANALYTICS_WINDOWS

export function isWindow(value: string | undefined): value is AnalyticsWindow {
  return (WINDOWS as readonly string[]).includes(value ?? '')
}

export function isGroupBy(value: string | undefined): value is GroupBy {
  return (GROUP_BYS as readonly string[]).includes(value ?? '')
}
