/**
 * @module FraudWebhooks: a new fraud-guard block becomes a signed `alert.fraud_suspected` webhook
 * to the service it concerns, queued on the durable webhook outbox like every other webhook.
 * Opt-in (not in an endpoint's default events), as the other alerts.
 */
import type { FraudMark } from '../fraud/fraud-store.js'
import type { Clock } from '../shared/clock.js'
import { derivedId } from '../shared/ids.js'
import type { WebhookStore } from './webhook.js'

export interface FraudWebhookPayload {
  readonly id: string
  readonly type: 'alert.fraud_suspected'
  readonly created_at: string
  readonly data: {
    readonly service_id: string
    /** `prefix` (a number range), `country` or `ip`. */
    readonly dimension: FraudMark['dimension']
    /** The range (`+44791111`), country (`GB`) or client IP refused. */
    readonly key: string
    readonly rule: string | null
    readonly starts: number | null
    readonly approvals: number | null
    readonly conversion: number | null
    readonly expected_conversion: number | null
    readonly blocked_since: string
    readonly lifts_at: string
  }
}

export class FraudWebhooks {
  constructor(
    private readonly deps: {
      readonly store: WebhookStore
      readonly clock: Clock
      readonly notify: () => void
    },
  ) {}

  /** Queues the webhook for a new block when the service's endpoint subscribes. Returns whether it did. */
  async onBlock(mark: FraudMark): Promise<boolean> {
    const type = 'alert.fraud_suspected' as const
    const endpoint = await this.deps.store.getEndpoint(mark.serviceId)
    if (!endpoint?.events.includes(type)) return false
    const id = derivedId('event', `${type}|${mark.key}|${mark.since}`)
    const e = mark.evidence
    const payload: FraudWebhookPayload = {
      id,
      type,
      created_at: new Date(mark.since).toISOString(),
      data: {
        service_id: mark.serviceId,
        dimension: mark.dimension,
        key: mark.value,
        rule: e?.rule ?? null,
        starts: e?.starts ?? null,
        approvals: e?.approvals ?? null,
        conversion: e?.conversion ?? null,
        expected_conversion: e?.baseline ?? null,
        blocked_since: new Date(mark.since).toISOString(),
        lifts_at: new Date(mark.until).toISOString(),
      },
    }
    await this.deps.store.enqueue({
      id,
      serviceId: mark.serviceId,
      type,
      payload: JSON.stringify(payload),
      createdAt: this.deps.clock.now(),
    })
    this.deps.notify()
    return true
  }
}
