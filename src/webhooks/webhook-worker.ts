/**
 * @module WebhookWorker: claims due webhook deliveries, signs and POSTs them, and retries failures
 * with exponential backoff and jitter up to `maxAttempts`. Rows are durable and leased like the
 * outbox, so a worker that dies mid-POST only delays a delivery (at-least-once).
 */

import type { Logger } from 'pino'
import type { Clock } from '../shared/clock.js'
import type { FetchFn } from '../shared/http-client.js'
import { PollLoop } from '../shared/poll-loop.js'
import { withTimeoutSignal } from '../shared/timeout-signal.js'
import { signWebhook } from './signature.js'
import type { WebhookDelivery, WebhookStore } from './webhook.js'
import type { Webhooks } from './webhooks.js'
import type { WebhooksConfig } from './webhooks-config.js'

export type WebhookWorkerConfig = WebhooksConfig

export interface WebhookWorkerDeps {
  readonly store: WebhookStore
  readonly webhooks: Webhooks
  readonly clock: Clock
  readonly logger: Logger
  readonly fetch: FetchFn
  readonly config: WebhookWorkerConfig
}

/** Delay before attempt `attempts + 1`: base * 2^(attempts-1), capped, with "equal jitter". */
export function webhookBackoffMs(
  attempts: number,
  base: number,
  max: number,
  random: () => number = Math.random,
): number {
  const backoff = Math.min(max, base * 2 ** Math.max(0, attempts - 1))
  return Math.round(backoff / 2 + random() * (backoff / 2))
}

export class WebhookWorker {
  private readonly loop: PollLoop

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.loop = new PollLoop({
      intervalMs: deps.config.pollIntervalMs,
      drain: () => this.drain(),
      onError: (err, failures) => {
        if (failures === 1)
          deps.logger.error({ err }, 'webhook drain failed; retrying with backoff until it works')
        else deps.logger.debug({ err, failures }, 'webhook drain failed again')
      },
      onRecovered: (failures) => deps.logger.warn({ failures }, 'webhook drain works again'),
    })
  }

  start(): void {
    this.loop.start()
  }

  /** Asks for a drain soon; kicks during a drain make one more drain. No-op while stopped. */
  kick(): void {
    this.loop.kick()
  }

  async stop(): Promise<void> {
    await this.loop.stop()
  }

  /** Claims and sends every due delivery until none is left. Returns how many were attempted. */
  async drain(): Promise<number> {
    const { store, clock, config } = this.deps
    let total = 0
    for (;;) {
      const batch = await store.claimDue(clock.now(), config.leaseMs, config.batchSize)
      total += batch.length
      await Promise.all(
        batch.map((d) =>
          this.deliver(d).catch((err: unknown) =>
            this.deps.logger.error({ err, deliveryId: d.id }, 'webhook delivery failed'),
          ),
        ),
      )
      if (batch.length < config.batchSize) return total
    }
  }

  private async deliver(d: WebhookDelivery): Promise<void> {
    const { store, webhooks, clock, config } = this.deps
    const startedAt = clock.now()
    const endpoint = await webhooks.get(d.serviceId)
    if (!endpoint) {
      await store.recordAttempt(
        {
          deliveryId: d.id,
          attempt: d.attempts,
          at: startedAt,
          statusCode: null,
          error: 'endpoint removed',
          durationMs: 0,
          nextAttemptAt: null,
        },
        { status: 'canceled', availableAt: startedAt },
      )
      return
    }
    let statusCode: number | null = null
    let error: string | null = null
    const t0 = performance.now()
    try {
      const res = await withTimeoutSignal(config.timeoutMs, ({ signal }) =>
        this.deps.fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'verigate-webhooks/1',
            'verigate-event-id': d.id,
            'verigate-event-type': d.type,
            'verigate-signature': signWebhook(
              webhooks.openSecret(endpoint),
              d.payload,
              Math.floor(startedAt / 1000),
            ),
          },
          body: d.payload,
          redirect: 'manual',
          signal,
        }),
      )
      statusCode = res.status
      await res.body?.cancel().catch(() => undefined)
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`
    } catch (err) {
      error =
        (err as Error)?.name === 'TimeoutError'
          ? `no answer within ${config.timeoutMs} ms`
          : String((err as Error)?.message ?? err)
    }
    const durationMs = Math.round(performance.now() - t0)
    const now = clock.now()
    const attempt = { deliveryId: d.id, attempt: d.attempts, at: startedAt, statusCode, error, durationMs }
    if (error === null) {
      await store.recordAttempt(
        { ...attempt, nextAttemptAt: null },
        { status: 'delivered', availableAt: now },
      )
      return
    }
    if (d.attempts >= config.maxAttempts) {
      this.deps.logger.warn(
        { deliveryId: d.id, serviceId: d.serviceId, attempts: d.attempts, error },
        'webhook given up',
      )
      await store.recordAttempt({ ...attempt, nextAttemptAt: null }, { status: 'failed', availableAt: now })
      return
    }
    const nextAt = now + webhookBackoffMs(d.attempts, config.backoffBaseMs, config.backoffMaxMs)
    await store.recordAttempt(
      { ...attempt, nextAttemptAt: nextAt },
      { status: 'queued', availableAt: nextAt },
    )
  }
}
