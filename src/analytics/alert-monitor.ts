/**
 * @module AlertMonitor: run by the worker role every `intervalMs`, it compares each country's,
 * route's and channel's delivery rate and conversion rate over the recent window with the same
 * key's own baseline just before it, opens an alert on a sharp drop (with enough samples on both
 * sides), never re-alerts while that alert is open, and marks it recovered once the rate is back
 * near the baseline it dropped from. Every change is stored, then handed to the listeners
 * (webhooks, metrics, log).
 */
import type { Logger } from 'pino'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import {
  ALERT_DIMENSIONS,
  ALERT_KINDS,
  type Alert,
  type AlertDimension,
  type AlertKind,
  type AlertStore,
} from './alert.js'
import type { AlertMonitorConfig } from './analytics-config.js'
import type { AnalyticsStore, CohortQuery } from './analytics-store.js'

export interface AlertEvent {
  readonly type: 'opened' | 'recovered'
  /** The alert as stored after the change. */
  readonly alert: Alert
}

/** May return a promise; `runOnce` waits for it (a failure is logged, never thrown). */
export type AlertListener = (event: AlertEvent) => void | Promise<void>

export interface AlertMonitorDeps {
  readonly store: AnalyticsStore
  readonly alerts: AlertStore
  readonly clock: Clock
  readonly logger: Logger
  readonly config: AlertMonitorConfig
}

interface Sample {
  /** Verifications started (conversion) or messages with a final outcome (delivery). */
  readonly samples: number
  readonly rate: number
}

/** The windows of one run: the recent one ends `lagMs` ago, the baseline ends where it starts. */
export function alertWindows(
  now: number,
  c: Pick<AlertMonitorConfig, 'lagMs' | 'recentWindowMs' | 'baselineWindowMs'>,
) {
  const recentTo = now - c.lagMs
  const recentFrom = recentTo - c.recentWindowMs
  return {
    recent: { from: recentFrom, to: recentTo },
    baseline: { from: recentFrom - c.baselineWindowMs, to: recentFrom },
  }
}

/** A sharp drop: at least `dropPoints` lower, or below `dropRatio` of the baseline. */
export function isSharpDrop(
  baseline: number,
  recent: number,
  c: Pick<AlertMonitorConfig, 'dropPoints' | 'dropRatio'>,
): boolean {
  // Rounded so 0.9 - 0.65 counts as the 25 points it is, not 0.24999999999999994.
  const drop = Math.round((baseline - recent) * 1e9) / 1e9
  return drop >= c.dropPoints || recent < baseline * c.dropRatio
}

export class AlertMonitor {
  private readonly listeners = new Set<AlertListener>()
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined
  private stopped = true

  constructor(private readonly deps: AlertMonitorDeps) {}

  /** Adds a listener; the returned function removes it. */
  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Runs every `intervalMs` (first run after one interval). No-op when alerts are disabled. */
  start(): void {
    if (!this.stopped || !this.deps.config.enabled) return
    this.stopped = false
    const tick = () => {
      if (this.stopped) return
      this.running = this.runOnce()
        .catch((err: unknown) => this.deps.logger.error({ err }, 'alert check failed'))
        .finally(() => {
          this.running = undefined
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.deps.config.intervalMs)
            this.timer.unref()
          }
        })
    }
    this.timer = setTimeout(tick, this.deps.config.intervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }

  /** One check of every key. Returns the alerts it opened and recovered. */
  async runOnce(): Promise<AlertEvent[]> {
    const { clock, alerts, config } = this.deps
    const now = clock.now()
    const windows = alertWindows(now, config)
    const open = new Map((await alerts.listOpen()).map((a) => [`${a.kind}|${a.dimension}|${a.key}`, a]))
    const events: AlertEvent[] = []
    for (const dimension of ALERT_DIMENSIONS) {
      const rates = await this.rates(dimension, windows, now)
      for (const kind of ALERT_KINDS) {
        const { recent, baseline } = rates[kind]
        const keys = new Set(recent.keys())
        for (const a of open.values()) if (a.kind === kind && a.dimension === dimension) keys.add(a.key)
        for (const key of keys) {
          const current = open.get(`${kind}|${dimension}|${key}`)
          const event = current
            ? await this.maybeRecover(current, recent.get(key), now)
            : await this.maybeOpen(
                kind,
                dimension,
                key,
                recent.get(key),
                baseline.get(key),
                windows.recent,
                now,
              )
          if (event) events.push(event)
        }
      }
    }
    for (const event of events) await this.emit(event)
    return events
  }

  private async rates(
    dimension: AlertDimension,
    windows: ReturnType<typeof alertWindows>,
    now: number,
  ): Promise<Record<AlertKind, { recent: Map<string, Sample>; baseline: Map<string, Sample> }>> {
    const { store } = this.deps
    // Outcomes count up to now: messages and users of the recent window had `lagMs` to finish.
    const recentQ: CohortQuery = { ...windows.recent, asOf: now, dims: [dimension] }
    const baselineQ: CohortQuery = { ...windows.baseline, asOf: now, dims: [dimension] }
    const [rv, rm, bv, bm] = await Promise.all([
      store.verificationCounts(recentQ),
      store.messageCounts(recentQ),
      store.verificationCounts(baselineQ),
      store.messageCounts(baselineQ),
    ])
    const conversion = (rows: typeof rv) => {
      const m = new Map<string, Sample>()
      for (const r of rows) {
        const key = r.keys[0]
        if (key && r.started > 0) m.set(key, { samples: r.started, rate: r.verified / r.started })
      }
      return m
    }
    const delivery = (rows: typeof rm) => {
      const m = new Map<string, Sample>()
      for (const r of rows) {
        const key = r.keys[0]
        const settled = r.delivered + r.failed
        if (key && settled > 0) m.set(key, { samples: settled, rate: r.delivered / settled })
      }
      return m
    }
    return {
      conversion_rate_drop: { recent: conversion(rv), baseline: conversion(bv) },
      delivery_rate_drop: { recent: delivery(rm), baseline: delivery(bm) },
    }
  }

  private async maybeOpen(
    kind: AlertKind,
    dimension: AlertDimension,
    key: string,
    recent: Sample | undefined,
    baseline: Sample | undefined,
    window: { from: number; to: number },
    now: number,
  ): Promise<AlertEvent | undefined> {
    const { config, alerts, store } = this.deps
    if (!recent || !baseline) return undefined
    if (recent.samples < config.minRecentSamples || baseline.samples < config.minBaselineSamples)
      return undefined
    if (!isSharpDrop(baseline.rate, recent.rate, config)) return undefined
    const side = kind === 'delivery_rate_drop' ? 'messages' : 'verifications'
    const alert: Alert = {
      id: newId('alert'),
      kind,
      dimension,
      key,
      status: 'open',
      baselineRate: round4(baseline.rate),
      baselineSamples: baseline.samples,
      recentRate: round4(recent.rate),
      recentSamples: recent.samples,
      recoveredRate: null,
      serviceIds: await store.servicesWithTraffic(window, dimension, key, side),
      openedAt: now,
      recoveredAt: null,
    }
    // Another worker may have opened it a moment ago: then the unique open key refuses this one.
    return (await alerts.open(alert)) ? { type: 'opened', alert } : undefined
  }

  private async maybeRecover(
    alert: Alert,
    recent: Sample | undefined,
    now: number,
  ): Promise<AlertEvent | undefined> {
    const { config, alerts } = this.deps
    // No traffic, or too little, is no evidence either way: the alert stays open.
    if (!recent || recent.samples < config.minRecentSamples) return undefined
    // Against the baseline stored with the alert: the live baseline window fills up with the bad
    // period during a long outage and would make the drop look like the new normal.
    if (recent.rate < alert.baselineRate - config.recoverWithinPoints) return undefined
    const recoveredRate = round4(recent.rate)
    if (!(await alerts.recover(alert.id, now, recoveredRate))) return undefined
    return { type: 'recovered', alert: { ...alert, status: 'recovered', recoveredRate, recoveredAt: now } }
  }

  private async emit(event: AlertEvent): Promise<void> {
    const a = event.alert
    this.deps.logger.warn(
      {
        alertId: a.id,
        kind: a.kind,
        dimension: a.dimension,
        key: a.key,
        baseline: a.baselineRate,
        recent: a.recentRate,
        recovered: a.recoveredRate,
      },
      event.type === 'opened' ? 'rate drop alert opened' : 'rate drop alert recovered',
    )
    await Promise.all(
      [...this.listeners].map(async (listener) => {
        try {
          await listener(event)
        } catch (err) {
          this.deps.logger.error({ err, alertId: a.id }, 'alert listener failed')
        }
      }),
    )
  }
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
