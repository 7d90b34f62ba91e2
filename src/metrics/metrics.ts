/**
 * @module createMetrics(): the Prometheus registry of one app (never prom-client's global one, so
 * several apps in one process do not clash), fed from the EventBus and from the HTTP hook. Labels
 * are closed sets (channel, country, provider, route id, outcome, limit name, route pattern): a
 * phone number, email address or verification id never becomes a label value.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { RouteHealthSnapshot } from '../delivery/routing/route-health.js'
import type { EventBus } from '../events/event-bus.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import { registerEventLoopDelay } from './event-loop-delay.js'
import { registerRuntimeMetrics } from './runtime-metrics.js'

export interface MetricsSources {
  readonly bus: EventBus
  /** Route circuit states, read on scrape. */
  readonly routeHealth: () => readonly RouteHealthSnapshot[]
  /** Known route ids, so a route that never failed still shows `0`. */
  readonly routeIds: () => readonly string[]
  /** Count of outbox rows due now, read on scrape (one indexed count query). */
  readonly countDueOutbox: () => Promise<number>
  /** Channel and country of a verification; approvals carry only its id. */
  readonly lookupVerification: (
    id: string,
  ) => Promise<{ channel: string; country: string | null } | undefined>
}

export interface Metrics {
  readonly registry: Registry
  /** Records one HTTP request. `route` must be the route pattern, never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void
  /** Stops listening to the bus and stops the event-loop monitor. */
  close(): void
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const DELIVERY_BUCKETS = [0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120, 300]

/** Label values from event data: only short strings of a safe alphabet pass, anything else is `other`. */
function label(value: unknown, fallback = 'unknown'): string {
  if (value === null || value === undefined || value === '') return fallback
  const s = String(value)
  return /^[A-Za-z0-9_.:*-]{1,64}$/.test(s) && !/\d{6,}/.test(s) ? s : 'other'
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry()
  const registers = [registry]

  const httpRequests = new Counter({
    name: 'verigate_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })
  const httpDuration = new Histogram({
    name: 'verigate_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const started = new Counter({
    name: 'verigate_verifications_started_total',
    help: 'Verifications created, by channel and destination country.',
    labelNames: ['channel', 'country'] as const,
    registers,
  })
  const approved = new Counter({
    name: 'verigate_verifications_approved_total',
    help: 'Verifications approved with a correct code, by channel and destination country.',
    labelNames: ['channel', 'country'] as const,
    registers,
  })
  const sent = new Counter({
    name: 'verigate_messages_sent_total',
    help: 'Messages handed to a provider, by provider, route and channel.',
    labelNames: ['provider', 'route', 'channel'] as const,
    registers,
  })
  const delivered = new Counter({
    name: 'verigate_messages_delivered_total',
    help: 'Delivery receipts saying delivered, by provider and route.',
    labelNames: ['provider', 'route'] as const,
    registers,
  })
  const failed = new Counter({
    name: 'verigate_messages_failed_total',
    help: 'Submit failures, failed receipts and receipt timeouts, by provider, route and outcome.',
    labelNames: ['provider', 'route', 'outcome'] as const,
    registers,
  })
  const deliverySeconds = new Histogram({
    name: 'verigate_delivery_seconds',
    help: 'Time from hand-over to the provider to the delivered receipt.',
    buckets: DELIVERY_BUCKETS,
    registers,
  })
  const limitHits = new Counter({
    name: 'verigate_limit_hits_total',
    help: 'Requests refused by a limit, by limit name.',
    labelNames: ['limit'] as const,
    registers,
  })
  new Gauge({
    name: 'verigate_outbox_due',
    help: 'Outbox messages due for sending (or overdue for a receipt) at scrape time; NaN while the database does not answer.',
    registers,
    async collect() {
      // A database outage must not fail the whole scrape: the dependency gauges matter most then.
      this.set(await sources.countDueOutbox().catch(() => Number.NaN))
    },
  })
  new Gauge({
    name: 'verigate_route_circuit_open',
    help: '1 while a route circuit breaker is open (the route is skipped), else 0.',
    labelNames: ['route'] as const,
    registers,
    collect() {
      this.reset()
      for (const id of sources.routeIds()) this.set({ route: label(id) }, 0)
      for (const s of sources.routeHealth()) this.set({ route: label(s.route) }, s.state === 'open' ? 1 : 0)
    },
  })

  const onEvent = (e: NewVerificationEvent) => {
    const d = e.data
    switch (e.type) {
      case 'created':
        started.inc({ channel: label(d.channel), country: label(d.country) })
        return
      case 'approved':
        if (!e.verificationId) return
        if (e.subject) {
          approved.inc({ channel: label(e.subject.channel), country: label(e.subject.country) })
          return
        }
        sources
          .lookupVerification(e.verificationId)
          .then((v) => approved.inc({ channel: label(v?.channel), country: label(v?.country) }))
          .catch(() => approved.inc({ channel: 'unknown', country: 'unknown' }))
        return
      case 'handed_to_provider':
        sent.inc({ provider: label(d.provider), route: label(d.route), channel: label(d.channel) })
        return
      case 'delivered':
        delivered.inc({ provider: label(d.provider), route: label(d.route) })
        if (typeof d.since_sent_ms === 'number' && d.since_sent_ms >= 0)
          deliverySeconds.observe(d.since_sent_ms / 1000)
        return
      case 'submit_failed':
      case 'delivery_failed':
        failed.inc({ provider: label(d.provider), route: label(d.route), outcome: label(d.outcome) })
        return
      case 'receipt_timeout':
        failed.inc({ provider: label(d.provider), route: label(d.route), outcome: 'receipt_timeout' })
        return
      case 'limit_hit':
        limitHits.inc({ limit: label(d.limit) })
        return
      default:
        return
    }
  }
  const unsubscribe = sources.bus.subscribe(onEvent)
  const stopEventLoopDelay = registerEventLoopDelay(registry)
  const stopRuntimeMetrics = registerRuntimeMetrics(registry)

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const m = label(method)
      // Two literals, not `{ ...labels, status }`: that copy reached the old generation on every
      // request (src/shared/extend.ts), about 100 bytes a request in a /livez loop.
      httpRequests.inc({ method: m, route, status: String(status) })
      httpDuration.observe({ method: m, route }, seconds)
    },
    close() {
      unsubscribe()
      stopEventLoopDelay()
      stopRuntimeMetrics()
    },
  }
}
