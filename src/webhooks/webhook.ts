/**
 * @module Outbound webhooks to the app: the event vocabulary, the endpoint and delivery records,
 * and the store they live in (implemented in `src/storage/webhook-store.ts`).
 */

export const WEBHOOK_EVENT_TYPES = [
  'verification.started',
  'verification.delivered',
  'verification.failed',
  'verification.approved',
  'verification.expired',
  // Rate-drop alerts (docs/analytics.md): opt-in, never in an endpoint's default events.
  'alert.delivery_rate_drop',
  'alert.conversion_rate_drop',
  'alert.recovered',
  // A range, country or client IP the fraud guard started refusing (docs/fraud.md): opt-in too.
  'alert.fraud_suspected',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/** What an endpoint gets when `events` is not given: the verification events. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter((t) =>
  t.startsWith('verification.'),
)

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value)
}

/** One service's webhook endpoint. */
export interface WebhookEndpoint {
  readonly serviceId: string
  readonly url: string
  /** The signing secret, sealed with the keyring (never stored in clear). */
  readonly sealedSecret: string
  /** Event types sent to the endpoint. */
  readonly events: readonly WebhookEventType[]
  readonly createdAt: number
  readonly updatedAt: number
}

export const WEBHOOK_DELIVERY_STATUSES = ['queued', 'sending', 'delivered', 'failed', 'canceled'] as const
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number]

/** The JSON body POSTed to the endpoint (see docs/webhooks.md). */
export interface WebhookPayload {
  readonly id: string
  readonly type: WebhookEventType
  /** ISO 8601 time of the underlying fact. */
  readonly created_at: string
  readonly data: {
    readonly verification_id: string
    readonly service_id: string
    readonly to_masked: string
    readonly channel: string
    readonly status: string
    readonly reason?: string
  }
}

export interface NewWebhookDelivery {
  /** The event id (`evt_...`), the same on every attempt so receivers can deduplicate. */
  readonly id: string
  readonly serviceId: string
  readonly type: WebhookEventType
  /** The exact body to send and sign. */
  readonly payload: string
  readonly createdAt: number
}

export interface WebhookDelivery extends NewWebhookDelivery {
  readonly status: WebhookDeliveryStatus
  /** Attempts started so far (incremented when a worker claims the row). */
  readonly attempts: number
  /** When the row is next due (queued), or when its lease runs out (sending). */
  readonly availableAt: number
  readonly lastStatusCode: number | null
  readonly lastError: string | null
  readonly finishedAt: number | null
  readonly updatedAt: number
}

/** One POST to the endpoint and what came back. */
export interface WebhookAttempt {
  readonly deliveryId: string
  readonly attempt: number
  readonly at: number
  /** HTTP status, or null when no answer came (network error, timeout). */
  readonly statusCode: number | null
  readonly error: string | null
  readonly durationMs: number
  /** When the next attempt is due; null when this attempt settled the delivery. */
  readonly nextAttemptAt: number | null
}

export interface WebhookStore {
  getEndpoint(serviceId: string): Promise<WebhookEndpoint | undefined>
  /** Creates or replaces the service's endpoint. */
  putEndpoint(endpoint: WebhookEndpoint): Promise<void>
  /** Removes the endpoint; pending deliveries are canceled when next claimed. False when none existed. */
  deleteEndpoint(serviceId: string): Promise<boolean>
  /** Queues a delivery; a second enqueue of the same event id is ignored. */
  enqueue(delivery: NewWebhookDelivery): Promise<void>
  /**
   * Claims due rows (queued and due, or leased and the lease ran out), leasing them for `leaseMs`
   * and counting the attempt. Several workers never claim one row (SKIP LOCKED on PostgreSQL).
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>
  /** Records an attempt and moves the delivery on, in one transaction. */
  recordAttempt(
    attempt: WebhookAttempt,
    next: { readonly status: 'queued' | 'delivered' | 'failed' | 'canceled'; readonly availableAt: number },
  ): Promise<void>
  get(id: string): Promise<WebhookDelivery | undefined>
  /** Newest first. */
  listDeliveries(serviceId: string, limit: number): Promise<WebhookDelivery[]>
  /** Oldest first. */
  listAttempts(deliveryId: string): Promise<WebhookAttempt[]>
  /** Due rows now (for gauges and tests). */
  countDue(now: number): Promise<number>
}
