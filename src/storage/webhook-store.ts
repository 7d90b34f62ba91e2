/** @module KyselyWebhookStore: webhook endpoints, the delivery outbox (claimed like the message outbox) and attempts. */
import type { Kysely, Selectable } from 'kysely'
import {
  isWebhookEventType,
  type NewWebhookDelivery,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookStore,
} from '../webhooks/webhook.js'
import type { StorageCapabilities } from './capabilities.js'
import { type PreparedRunner, prepare, preparedRunner } from './prepared-query.js'
import type { Database, WebhookAttemptTable, WebhookDeliveryTable, WebhookEndpointTable } from './schema.js'

function toEndpoint(r: Selectable<WebhookEndpointTable>): WebhookEndpoint {
  const events = (JSON.parse(r.events) as string[]).filter(isWebhookEventType)
  return {
    serviceId: r.service_id,
    url: r.url,
    sealedSecret: r.secret_sealed,
    events,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
}

function toDelivery(r: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: r.id,
    serviceId: r.service_id,
    type: r.type as WebhookEventType,
    payload: r.payload,
    status: r.status as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    availableAt: Number(r.available_at),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  }
}

function toAttempt(r: Selectable<WebhookAttemptTable>): WebhookAttempt {
  return {
    deliveryId: r.delivery_id,
    attempt: Number(r.attempt),
    at: Number(r.at),
    statusCode: r.status_code === null ? null : Number(r.status_code),
    error: r.error,
    durationMs: Number(r.duration_ms),
    nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
  }
}

/** Every start and approval of a service with an endpoint queues one: compiled once (`PreparedQuery`). */
function enqueueQuery(db: Kysely<Database>) {
  return prepare<{ id: string; serviceId: string; type: string; payload: string; at: number }>()((p) =>
    db
      .insertInto('webhook_deliveries')
      .values({
        id: p('id'),
        service_id: p('serviceId'),
        type: p('type'),
        payload: p('payload'),
        status: 'queued',
        attempts: 0,
        available_at: p('at'),
        last_status_code: null,
        last_error: null,
        created_at: p('at'),
        updated_at: p('at'),
        finished_at: null,
      })
      .onConflict((oc) => oc.column('id').doNothing()),
  )
}

export class KyselyWebhookStore implements WebhookStore {
  readonly #enqueue: ReturnType<typeof enqueueQuery>
  /** Runs the enqueue, once per event and endpoint (on SQLite, on the driver itself: `preparedRunner`). */
  readonly #run: PreparedRunner

  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StorageCapabilities,
  ) {
    this.#enqueue = enqueueQuery(db)
    this.#run = preparedRunner(db)
  }

  async getEndpoint(serviceId: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('service_id', '=', serviceId)
      .executeTakeFirst()
    return row ? toEndpoint(row) : undefined
  }

  async putEndpoint(e: WebhookEndpoint): Promise<void> {
    const values = {
      service_id: e.serviceId,
      url: e.url,
      secret_sealed: e.sealedSecret,
      events: JSON.stringify(e.events),
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    }
    await this.db
      .insertInto('webhook_endpoints')
      .values(values)
      .onConflict((oc) =>
        oc.column('service_id').doUpdateSet({
          url: values.url,
          secret_sealed: values.secret_sealed,
          events: values.events,
          updated_at: values.updated_at,
        }),
      )
      .execute()
  }

  async deleteEndpoint(serviceId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('webhook_endpoints')
      .where('service_id', '=', serviceId)
      .executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }

  async enqueue(d: NewWebhookDelivery): Promise<void> {
    await this.#enqueue.run(this.#run, {
      id: d.id,
      serviceId: d.serviceId,
      type: d.type,
      payload: d.payload,
      at: d.createdAt,
    })
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]> {
    const due = this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', 'in', ['queued', 'sending'])
      .where('available_at', '<=', now)
      .orderBy('available_at')
      .limit(limit)
    const claimable = this.caps.supportsSkipLocked ? due.forUpdate().skipLocked() : due
    const rows = await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: 'sending',
        available_at: now + leaseMs,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', claimable)
      .returningAll()
      .execute()
    return rows.map(toDelivery).sort((a, b) => a.createdAt - b.createdAt)
  }

  async recordAttempt(
    a: WebhookAttempt,
    next: { readonly status: 'queued' | 'delivered' | 'failed' | 'canceled'; readonly availableAt: number },
  ): Promise<void> {
    const now = a.at + a.durationMs
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: a.deliveryId,
          attempt: a.attempt,
          at: a.at,
          status_code: a.statusCode,
          error: a.error,
          duration_ms: a.durationMs,
          next_attempt_at: a.nextAttemptAt,
        })
        .execute()
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status: next.status,
          available_at: next.availableAt,
          last_status_code: a.statusCode,
          last_error: a.error,
          updated_at: now,
          finished_at: next.status === 'queued' ? null : now,
        })
        .where('id', '=', a.deliveryId)
        .execute()
    })
  }

  async get(id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toDelivery(row) : undefined
  }

  async listDeliveries(serviceId: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('service_id', '=', serviceId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute()
    return rows.map(toDelivery)
  }

  async listAttempts(deliveryId: string): Promise<WebhookAttempt[]> {
    const rows = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('id')
      .execute()
    return rows.map(toAttempt)
  }

  async countDue(now: number): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('status', 'in', ['queued', 'sending'])
      .where('available_at', '<=', now)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  }
}
