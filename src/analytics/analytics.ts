/**
 * @module Analytics: conversion, delivery rate, time to delivery and to verify, and sends per
 * verification over a window, per country, provider, route or channel, plus a time series; and
 * the recent rate-drop alerts. Definitions are in docs/analytics.md.
 */
import type { Clock } from '../shared/clock.js'
import { type AlertJson, type AlertStore, alertJson } from './alert.js'
import type { AnalyticsStore, CohortQuery } from './analytics-store.js'
import {
  type AnalyticsReport,
  bucketSizeMs,
  type Counts,
  emptyCounts,
  type Figures,
  type ReportQuery,
  type SeriesPoint,
  toFigures,
  UNKNOWN_KEY,
} from './figures.js'

export interface AnalyticsDeps {
  readonly store: AnalyticsStore
  readonly alerts: AlertStore
  readonly clock: Clock
  /**
   * Duration rows read per report for the percentiles (newest first). Beyond it, p50/p90 describe
   * the newest `sampleLimit` messages (and verifications) of the window. @default 50000
   */
  readonly sampleLimit?: number
}

export class Analytics {
  private readonly sampleLimit: number

  constructor(private readonly deps: AnalyticsDeps) {
    this.sampleLimit = deps.sampleLimit ?? 50_000
  }

  /**
   * The figures of `[from, to)`, broken down by `groupBy`. Outcomes after `to` are not counted, so
   * a past window's report does not change as time goes on.
   *
   * ```ts
   * const now = Date.now()
   * const r = await deps.analytics.report({ from: now - 86_400_000, to: now, groupBy: 'country' })
   * r.totals.conversion_rate // e.g. 0.7
   * ```
   */
  async report(q: ReportQuery): Promise<AnalyticsReport> {
    const dims = q.groupBy === 'none' ? [] : [q.groupBy]
    const cohort: CohortQuery = {
      from: q.from,
      to: q.to,
      asOf: q.to,
      serviceId: q.serviceId,
      serviceIds: q.serviceIds,
      dims,
    }
    // One snapshot: a receipt landing between two of these reads would make them disagree.
    const [verifications, messages, verifyMs, deliveryMs, series] = await this.deps.store.consistentRead(
      (store) =>
        Promise.all([
          store.verificationCounts(cohort),
          store.messageCounts(cohort),
          store.verifyDurations(cohort, this.sampleLimit),
          store.deliveryDurations(cohort, this.sampleLimit),
          this.series(store, q),
        ]),
    )
    const totals = emptyCounts()
    const groups = new Map<string, Counts>()
    const group = (keys: readonly (string | null)[]) => {
      const key = keys[0] ?? UNKNOWN_KEY
      let c = groups.get(key)
      if (!c) {
        c = emptyCounts()
        groups.set(key, c)
      }
      return c
    }
    for (const r of verifications) {
      totals.started += r.started
      totals.verified += r.verified
      if (dims.length > 0) {
        const c = group(r.keys)
        c.started += r.started
        c.verified += r.verified
      }
    }
    for (const r of messages) {
      totals.sent += r.sent
      totals.handedOver += r.handedOver
      totals.delivered += r.delivered
      totals.failed += r.failed
      if (dims.length > 0) {
        const c = group(r.keys)
        c.sent += r.sent
        c.handedOver += r.handedOver
        c.delivered += r.delivered
        c.failed += r.failed
      }
    }
    for (const r of verifyMs) {
      totals.verifyMs.push(r.ms)
      if (dims.length > 0) group(r.keys).verifyMs.push(r.ms)
    }
    for (const r of deliveryMs) {
      totals.deliveryMs.push(r.ms)
      if (dims.length > 0) group(r.keys).deliveryMs.push(r.ms)
    }
    const ordered = [...groups.entries()]
      .map(([key, c]) => ({ key, ...toFigures(c) }))
      .sort(
        (a, b) => b.started - a.started || b.messages_sent - a.messages_sent || a.key.localeCompare(b.key),
      )
    return {
      window: { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() },
      group_by: q.groupBy,
      totals: toFigures(totals),
      groups: ordered as ReadonlyArray<{ key: string } & Figures>,
      series,
    }
  }

  /** Every bucket from the one holding `from` to the one holding `to - 1`, zeros included. */
  private async series(store: AnalyticsStore, q: ReportQuery): Promise<SeriesPoint[]> {
    const size = bucketSizeMs(q.from, q.to)
    const rows = await store.series(
      { from: q.from, to: q.to, asOf: q.to, serviceId: q.serviceId, serviceIds: q.serviceIds },
      size,
    )
    const byAt = new Map(rows.map((r) => [r.at, r]))
    const points: SeriesPoint[] = []
    for (let at = Math.floor(q.from / size) * size; at < q.to; at += size) {
      const r = byAt.get(at)
      points.push({
        at: new Date(at).toISOString(),
        started: r?.started ?? 0,
        verified: r?.verified ?? 0,
        sent: r?.sent ?? 0,
        delivered: r?.delivered ?? 0,
      })
    }
    return points
  }

  /** The newest alerts, open and recovered, newest first. */
  async recentAlerts(limit = 50): Promise<AlertJson[]> {
    const alerts = await this.deps.alerts.recent(Math.max(1, Math.min(500, Math.trunc(limit))))
    return alerts.map(alertJson)
  }
}
