/**
 * @module createAnalytics(): wires the analytics report, the alert monitor (started by the worker
 * role), its webhooks and its Prometheus gauges, so `createDeps` adds one call.
 */
import type { Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Clock } from '../shared/clock.js'
import type { Database } from '../storage/schema.js'
import type { WebhookStore } from '../webhooks/webhook.js'
import { AlertMonitor } from './alert-monitor.js'
import { AlertWebhooks } from './alert-webhooks.js'
import { Analytics } from './analytics.js'
import type { AnalyticsConfig } from './analytics-config.js'
import { registerAnalyticsMetrics } from './analytics-metrics.js'
import { KyselyAlertStore } from './kysely-alert-store.js'
import { KyselyAnalyticsStore } from './kysely-analytics-store.js'

export interface AnalyticsWiring {
  readonly db: Kysely<Database>
  /** Where the analytics store reads; `db` when undefined. Alerts are written through `db`. */
  readonly longReads?: Kysely<Database> | undefined
  readonly clock: Clock
  readonly logger: Logger
  readonly config: AnalyticsConfig
  readonly webhookStore: WebhookStore
  /** Wakes the webhook worker after alert webhooks are queued. */
  readonly notifyWebhooks: () => void
  readonly registry: Registry
}

export function createAnalytics(w: AnalyticsWiring): { analytics: Analytics; alertMonitor: AlertMonitor } {
  // Long grouped reads: on a SQLite file they run off the event loop (OpenedSqliteDatabase.longReads).
  const store = new KyselyAnalyticsStore(w.longReads ?? w.db)
  const alerts = new KyselyAlertStore(w.db)
  const analytics = new Analytics({
    store,
    alerts,
    clock: w.clock,
    sampleLimit: w.config.percentileSampleLimit,
  })
  const alertMonitor = new AlertMonitor({
    store,
    alerts,
    clock: w.clock,
    logger: w.logger,
    config: w.config.alerts,
  })
  const webhooks = new AlertWebhooks({ store: w.webhookStore, clock: w.clock, notify: w.notifyWebhooks })
  alertMonitor.subscribe(async (e) => {
    await webhooks.onAlert(e)
  })
  registerAnalyticsMetrics(w.registry, {
    store,
    alerts,
    monitor: alertMonitor,
    clock: w.clock,
    cacheMs: w.config.metricsCacheMs,
  })
  return { analytics, alertMonitor }
}

export type { Alert, AlertJson } from './alert.js'
export type { AlertEvent, AlertListener } from './alert-monitor.js'
export { AlertMonitor } from './alert-monitor.js'
export { Analytics } from './analytics.js'
export type { AnalyticsReport, Figures, GroupBy, ReportQuery, SeriesPoint } from './figures.js'
