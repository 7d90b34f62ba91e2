/**
 * @module Webhooks: per-service endpoint settings (secret generated here and shown once), and the
 * bridge from stored verification events to durable webhook deliveries.
 */
import { AppError } from '../errors/app-error.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Clock } from '../shared/clock.js'
import { derivedId } from '../shared/ids.js'
import { maskPhone } from '../shared/mask.js'
import { nonPublicAddressOf } from '../shared/private-network-guard.js'
import type { VerificationStore } from '../verification/store.js'
import { generateWebhookSecret } from './signature.js'
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookPayload,
  type WebhookStore,
} from './webhook.js'

export interface WebhooksDeps {
  readonly store: WebhookStore
  readonly verifications: VerificationStore
  readonly keyring: Keyring
  readonly clock: Clock
  /** Called after a delivery is queued, so the worker can send it at once. */
  readonly notify: () => void
  /**
   * False (production's default): an endpoint whose host is or resolves to a non-public address is
   * refused when configured, not only when a delivery tries to connect.
   */
  readonly allowPrivateNetworks: boolean
}

/** Which stored event becomes which webhook. */
function webhookTypeOf(e: NewVerificationEvent): WebhookEventType | undefined {
  switch (e.type) {
    case 'created':
      return 'verification.started'
    case 'delivered':
      return 'verification.delivered'
    // A failed receipt with no route or channel left always ends in `gave_up` in the same write,
    // so `gave_up` alone covers both cases without sending two `failed` webhooks.
    case 'gave_up':
      return 'verification.failed'
    case 'approved':
      return 'verification.approved'
    case 'expired':
      return 'verification.expired'
    default:
      return undefined
  }
}

/**
 * Event ids are derived from the fact (type, verification, message), so a duplicate receipt or a
 * second publish of the same fact queues nothing new, and receivers can deduplicate on `id`.
 */
function eventId(type: WebhookEventType, e: NewVerificationEvent): string {
  return derivedId('event', `${type}|${e.verificationId}|${String(e.data.message_id ?? '')}`)
}

/**
 * How long an endpoint read for an event is reused. Changes made through this process invalidate at
 * once; other processes (several `api` instances, the `worker`) see a change within this time.
 */
export const ENDPOINT_CACHE_TTL_MS = 5_000

export class Webhooks {
  /**
   * Endpoints by service, for events: every start and check publishes events, and reading the
   * endpoint for each was one query per event. A short TTL rather than cross-process invalidation:
   * the change feed carries verification ids, and a lost invalidation (a Redis reconnect) would
   * leave a stale endpoint for good, where the TTL bounds it to a few seconds, as for services.
   */
  private readonly endpoints = new Map<string, { endpoint: WebhookEndpoint | undefined; until: number }>()

  constructor(private readonly deps: WebhooksDeps) {}

  private async endpointOf(serviceId: string): Promise<WebhookEndpoint | undefined> {
    const now = this.deps.clock.now()
    const hit = this.endpoints.get(serviceId)
    if (hit && hit.until > now) return hit.endpoint
    const endpoint = await this.deps.store.getEndpoint(serviceId)
    if (this.endpoints.size > 10_000) this.endpoints.clear()
    this.endpoints.set(serviceId, { endpoint, until: now + ENDPOINT_CACHE_TTL_MS })
    return endpoint
  }

  private aad(serviceId: string): string {
    return `webhook:${serviceId}`
  }

  async get(serviceId: string): Promise<WebhookEndpoint | undefined> {
    return this.deps.store.getEndpoint(serviceId)
  }

  /**
   * Creates the endpoint (with a new secret, returned once) or updates its URL and events (the
   * secret is kept and not returned). `url` is an absolute http(s) URL.
   * @throws AppError WEBHOOK_URL_NOT_PUBLIC when private networks are not allowed and the host is,
   * or resolves to, a non-public address
   */
  async configure(
    serviceId: string,
    url: string,
    events: readonly WebhookEventType[] = DEFAULT_WEBHOOK_EVENT_TYPES,
  ): Promise<{ endpoint: WebhookEndpoint; secret: string | undefined }> {
    if (!this.deps.allowPrivateNetworks) await this.assertPublic(new URL(url))
    const now = this.deps.clock.now()
    const current = await this.deps.store.getEndpoint(serviceId)
    const secret = current ? undefined : generateWebhookSecret()
    const endpoint: WebhookEndpoint = {
      serviceId,
      url,
      events: [...new Set(events)],
      sealedSecret: secret ? this.deps.keyring.encrypt(secret, this.aad(serviceId)) : current!.sealedSecret,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    }
    await this.deps.store.putEndpoint(endpoint)
    this.endpoints.delete(serviceId)
    return { endpoint, secret }
  }

  private async assertPublic(url: URL): Promise<void> {
    const address = await nonPublicAddressOf(url)
    if (address === undefined) return
    const literal = address === url.hostname.replace(/^\[|\]$/g, '')
    throw new AppError('WEBHOOK_URL_NOT_PUBLIC', {
      message:
        `The webhook URL's host ${url.hostname} ${literal ? 'is' : `resolves to ${address},`} a loopback, private or ` +
        'link-local address, and webhooks are sent only to public addresses here. Use a public URL, or, if the ' +
        'receiver is on your own network, set webhooks.allowPrivateNetworks (VERIGATE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true).',
      details: { field: 'url', address },
    })
  }

  /** Replaces the secret; the new one is returned once. Undefined when the service has no endpoint. */
  async rotateSecret(serviceId: string): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
    const current = await this.deps.store.getEndpoint(serviceId)
    if (!current) return undefined
    const secret = generateWebhookSecret()
    const endpoint = {
      ...current,
      sealedSecret: this.deps.keyring.encrypt(secret, this.aad(serviceId)),
      updatedAt: this.deps.clock.now(),
    }
    await this.deps.store.putEndpoint(endpoint)
    this.endpoints.delete(serviceId)
    return { endpoint, secret }
  }

  async remove(serviceId: string): Promise<boolean> {
    const removed = await this.deps.store.deleteEndpoint(serviceId)
    this.endpoints.delete(serviceId)
    return removed
  }

  /** The newest deliveries of a service's webhooks, newest first. */
  deliveries(serviceId: string, limit: number): Promise<WebhookDelivery[]> {
    return this.deps.store.listDeliveries(serviceId, limit)
  }

  /** The endpoint's secret in clear, for signing. */
  openSecret(endpoint: WebhookEndpoint): string {
    return this.deps.keyring.decrypt(endpoint.sealedSecret, this.aad(endpoint.serviceId))
  }

  /**
   * Queues a webhook for a stored event when the service has an endpoint that wants it. Events
   * are published after their own commit, so a crash between the two loses at most this webhook.
   */
  async onEvent(e: NewVerificationEvent): Promise<boolean> {
    const type = webhookTypeOf(e)
    if (!type || !e.verificationId) return false
    const endpoint = await this.endpointOf(e.serviceId)
    if (!endpoint?.events.includes(type)) return false
    // The writer's own view of the verification when it handed one over (starts, approvals); a read otherwise.
    const v = e.subject ?? (await this.deps.verifications.get(e.verificationId))
    if (!v) return false
    const id = eventId(type, e)
    const reason =
      type === 'verification.failed' && typeof e.data.reason === 'string' ? e.data.reason : undefined
    const payload: WebhookPayload = {
      id,
      type,
      created_at: new Date(e.at).toISOString(),
      data: {
        verification_id: e.verificationId,
        service_id: e.serviceId,
        to_masked: maskPhone(e.destination),
        channel: v.channel,
        status: v.status,
        ...(reason ? { reason } : {}),
        // The carrier lookup's risk flag (a recent SIM swap), so the app can ask for more than a code.
        ...(v.risk
          ? {
              risk: {
                sim_swap: {
                  swapped_within_days: v.risk.simSwap.withinDays,
                  last_swap_at:
                    v.risk.simSwap.lastSwapAt === null
                      ? null
                      : new Date(v.risk.simSwap.lastSwapAt).toISOString(),
                },
                carrier: v.risk.carrier,
              },
            }
          : {}),
      },
    }
    await this.deps.store.enqueue({
      id,
      serviceId: e.serviceId,
      type,
      payload: JSON.stringify(payload),
      createdAt: this.deps.clock.now(),
    })
    this.deps.notify()
    return true
  }
}
