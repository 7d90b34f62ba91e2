/**
 * @module AlertWebhooks: turns an opened or recovered alert into signed webhooks
 * (`alert.delivery_rate_drop`, `alert.conversion_rate_drop`, `alert.recovered`), queued on the
 * durable webhook outbox, so they are signed, retried and logged like every other webhook.
 *
 * Who is told: each service whose own traffic on the alert's key was in the recent window (stored
 * on the alert), when its endpoint subscribes to that alert type. Alert types are opt-in (not in
 * an endpoint's default events), so existing receivers never see a body shape they do not expect.
 */
import type { Clock } from '../shared/clock.js'
import { derivedId } from '../shared/ids.js'
import type { WebhookEventType, WebhookStore } from '../webhooks/webhook.js'
import { type Alert, alertMetric } from './alert.js'
import type { AlertEvent } from './alert-monitor.js'

export interface AlertWebhookPayload {
  readonly id: string
  readonly type: WebhookEventType
  readonly created_at: string
  readonly data: {
    readonly alert_id: string
    readonly kind: Alert['kind']
    readonly metric: 'delivery_rate' | 'conversion_rate'
    readonly dimension: Alert['dimension']
    readonly key: string
    readonly status: Alert['status']
    readonly baseline_rate: number
    readonly baseline_samples: number
    readonly recent_rate: number
    readonly recent_samples: number
    readonly recovered_rate: number | null
    readonly opened_at: string
    readonly recovered_at: string | null
    /** The receiving service (never the list of other services). */
    readonly service_id: string
  }
}

export interface AlertWebhooksDeps {
  readonly store: WebhookStore
  readonly clock: Clock
  /** Called after deliveries are queued, so the worker sends them at once. */
  readonly notify: () => void
}

/** One id per alert change and service: the same on every retry, so receivers can deduplicate. */
function eventId(type: WebhookEventType, alertId: string, serviceId: string): string {
  return derivedId('event', `${type}|${alertId}|${serviceId}`)
}

export function alertWebhookType(event: AlertEvent): WebhookEventType {
  if (event.type === 'recovered') return 'alert.recovered'
  return event.alert.kind === 'delivery_rate_drop' ? 'alert.delivery_rate_drop' : 'alert.conversion_rate_drop'
}

export class AlertWebhooks {
  constructor(private readonly deps: AlertWebhooksDeps) {}

  /** Queues the webhooks for one alert change. Returns how many were queued. */
  async onAlert(event: AlertEvent): Promise<number> {
    const type = alertWebhookType(event)
    const a = event.alert
    const at = event.type === 'recovered' ? (a.recoveredAt ?? a.openedAt) : a.openedAt
    let queued = 0
    for (const serviceId of a.serviceIds) {
      const endpoint = await this.deps.store.getEndpoint(serviceId)
      if (!endpoint?.events.includes(type)) continue
      const id = eventId(type, a.id, serviceId)
      const payload: AlertWebhookPayload = {
        id,
        type,
        created_at: new Date(at).toISOString(),
        data: {
          alert_id: a.id,
          kind: a.kind,
          metric: alertMetric(a.kind),
          dimension: a.dimension,
          key: a.key,
          status: a.status,
          baseline_rate: a.baselineRate,
          baseline_samples: a.baselineSamples,
          recent_rate: a.recentRate,
          recent_samples: a.recentSamples,
          recovered_rate: a.recoveredRate,
          opened_at: new Date(a.openedAt).toISOString(),
          recovered_at: a.recoveredAt === null ? null : new Date(a.recoveredAt).toISOString(),
          service_id: serviceId,
        },
      }
      await this.deps.store.enqueue({
        id,
        serviceId,
        type,
        payload: JSON.stringify(payload),
        createdAt: this.deps.clock.now(),
      })
      queued += 1
    }
    if (queued > 0) this.deps.notify()
    return queued
  }
}
