/**
 * @module registerAnalyticsMetrics(): the analytics figures as Prometheus gauges on the app's
 * registry, computed at scrape time over the last hour (a few grouped counts, cached for
 * `cacheMs` so frequent or parallel scrapes cost one query set), plus the alert gauges and counter.
 *
 * - `verigate_conversion_rate{country,channel}`: verified / started, verifications of the last hour.
 * - `verigate_delivery_rate{country,route}`: delivered / (delivered + failed), messages of the last hour.
 * - `verigate_alerts_open{kind}`: open rate-drop alerts.
 * - `verigate_alerts_total{kind,transition}`: alerts opened and recovered by this process.
 *
 * A group without a denominator (no verification, no final outcome) has no series, rather than 0.
 */
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Clock } from '../shared/clock.js'
import { ALERT_KINDS, type AlertKind, type AlertStore } from './alert.js'
import type { AlertMonitor } from './alert-monitor.js'
import type { AnalyticsStore } from './analytics-store.js'
import { HOUR_MS, UNKNOWN_KEY } from './figures.js'

export interface AnalyticsMetricsSources {
  readonly store: AnalyticsStore
  readonly alerts: AlertStore
  readonly monitor: AlertMonitor
  readonly clock: Clock
  /** How long one computation serves scrapes. @default 30000 */
  readonly cacheMs?: number
}

/** Same rule as the other metrics: short strings of a safe alphabet, anything else is `other`. */
function label(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return UNKNOWN_KEY
  return /^[A-Za-z0-9_.:*-]{1,64}$/.test(value) && !/\d{6,}/.test(value) ? value : 'other'
}

interface Snapshot {
  readonly conversion: { labels: { country: string; channel: string }; value: number }[]
  readonly delivery: { labels: { country: string; route: string }; value: number }[]
  readonly open: Record<AlertKind, number>
}

export function registerAnalyticsMetrics(registry: Registry, sources: AnalyticsMetricsSources): void {
  const cacheMs = sources.cacheMs ?? 30_000
  let cached: { at: number; value: Promise<Snapshot> } | undefined

  const compute = async (): Promise<Snapshot> => {
    const now = sources.clock.now()
    const window = { from: now - HOUR_MS, to: now, asOf: now }
    const [verifications, messages, open] = await Promise.all([
      sources.store.verificationCounts({ ...window, dims: ['country', 'channel'] }),
      sources.store.messageCounts({ ...window, dims: ['country', 'route'] }),
      sources.alerts.countOpen(),
    ])
    return {
      conversion: verifications
        .filter((r) => r.started > 0)
        .map((r) => ({
          labels: { country: label(r.keys[0]), channel: label(r.keys[1]) },
          value: r.verified / r.started,
        })),
      delivery: messages
        .filter((r) => r.delivered + r.failed > 0)
        .map((r) => ({
          labels: { country: label(r.keys[0]), route: label(r.keys[1]) },
          value: r.delivered / (r.delivered + r.failed),
        })),
      open,
    }
  }
  /** Undefined when the database could not answer: the gauges are then left out, and the rest of the scrape still works. */
  const snapshot = (): Promise<Snapshot | undefined> => {
    const now = sources.clock.now()
    if (!cached || now - cached.at >= cacheMs || now < cached.at) {
      const value = compute()
      cached = { at: now, value }
      // A failed computation is not kept: the next scrape tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined
      })
    }
    return cached.value.catch(() => undefined)
  }

  const registers = [registry]
  new Gauge({
    name: 'verigate_conversion_rate',
    help: 'Verified / started over verifications of the last hour, by destination country and channel.',
    labelNames: ['country', 'channel'] as const,
    registers,
    async collect() {
      const s = await snapshot()
      this.reset()
      for (const c of s?.conversion ?? []) this.set(c.labels, c.value)
    },
  })
  new Gauge({
    name: 'verigate_delivery_rate',
    help: 'Delivered / (delivered + given up) over messages of the last hour, by destination country and route.',
    labelNames: ['country', 'route'] as const,
    registers,
    async collect() {
      const s = await snapshot()
      this.reset()
      for (const d of s?.delivery ?? []) this.set(d.labels, d.value)
    },
  })
  new Gauge({
    name: 'verigate_alerts_open',
    help: 'Rate-drop alerts currently open, by kind.',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      const s = await snapshot()
      this.reset()
      if (s) for (const kind of ALERT_KINDS) this.set({ kind }, s.open[kind])
    },
  })
  const transitions = new Counter({
    name: 'verigate_alerts_total',
    help: 'Rate-drop alerts opened and recovered by this process, by kind and transition.',
    labelNames: ['kind', 'transition'] as const,
    registers,
  })
  for (const kind of ALERT_KINDS) {
    transitions.inc({ kind, transition: 'opened' }, 0)
    transitions.inc({ kind, transition: 'recovered' }, 0)
  }
  sources.monitor.subscribe((e) => {
    transitions.inc({ kind: e.alert.kind, transition: e.type })
    // The open count changed: the next scrape must not show the old one.
    cached = undefined
  })
}
