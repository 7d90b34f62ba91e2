/** @module KyselyOutboxStore: claiming, leasing and settling outbox rows, on either dialect. */
import type { Kysely, Updateable } from 'kysely'
import type { ErrorInfo, OutboxMessage, OutboxStore, RequeueInfo, SentInfo } from '../delivery/outbox.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import type { StorageCapabilities } from './capabilities.js'
import { toOutbox } from './rows.js'
import type { Database, OutboxTable } from './schema.js'
import { insertEvents } from './verification-store.js'

export class KyselyOutboxStore implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StorageCapabilities,
  ) {}

  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    // `available_at` is the one clock of a row: when a queued row is due, when a lease runs out,
    // when a receipt is overdue. One indexed range (status, available_at) finds all three.
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['queued', 'sending', 'sent'])
      .where('available_at', '<=', now)
      .orderBy('available_at')
      .limit(limit)
    // On PostgreSQL SKIP LOCKED lets several workers claim side by side without double-claiming.
    const claimable = this.caps.supportsSkipLocked ? due.forUpdate().skipLocked() : due
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'sending',
        available_at: now + leaseMs,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', claimable)
      .returningAll()
      .execute()
    return rows.map(toOutbox).sort((a, b) => a.createdAt - b.createdAt)
  }

  async markSent(
    id: string,
    now: number,
    sent: SentInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          status: 'sent',
          available_at: sent.receiptDeadline,
          channel: sent.channel,
          provider_id: sent.providerId,
          provider_message_id: sent.providerMessageId,
          route_id: sent.routeId,
          sender: sent.sender,
          tried_routes: JSON.stringify(sent.triedRoutes),
          hops: sent.hops,
          delivery_outcome: 'pending',
          sent_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      await trx
        .insertInto('provider_messages')
        .values({
          provider_id: sent.providerId,
          provider_message_id: sent.providerMessageId,
          message_id: id,
          route_id: sent.routeId,
          sent_at: now,
        })
        .execute()
      await insertEvents(trx, events)
    })
  }

  async requeue(
    id: string,
    now: number,
    next: RequeueInfo,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          status: 'queued',
          available_at: next.availableAt,
          channel: next.channel,
          tried_routes: JSON.stringify(next.triedRoutes),
          hops: next.hops,
          ...(next.outcome ? { delivery_outcome: next.outcome } : {}),
          provider_message_id: null,
          provider_id: error.providerId,
          last_error_code: error.code,
          last_error_text: error.text,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      await insertEvents(trx, events)
    })
  }

  async markFailed(
    id: string,
    now: number,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.settle(
      id,
      now,
      {
        status: 'failed',
        provider_id: error.providerId,
        last_error_code: error.code,
        last_error_text: error.text,
      },
      events,
    )
  }

  async markCanceled(id: string, now: number): Promise<void> {
    await this.settle(id, now, { status: 'canceled' }, [])
  }

  async markDelivered(id: string, at: number, events: readonly NewVerificationEvent[]): Promise<void> {
    await this.settle(
      id,
      at,
      { status: 'delivered', delivery_outcome: 'delivered', delivered_at: at },
      events,
    )
  }

  private async settle(
    id: string,
    now: number,
    patch: Updateable<OutboxTable>,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    if (events.length === 0) {
      await this.db
        .updateTable('outbox')
        .set({ ...patch, updated_at: now })
        .where('id', '=', id)
        .execute()
      return
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ ...patch, updated_at: now })
        .where('id', '=', id)
        .execute()
      await insertEvents(trx, events)
    })
  }

  async findByProviderMessageId(providerId: string, providerMessageId: string) {
    const row = await this.db
      .selectFrom('provider_messages as pm')
      .innerJoin('outbox', 'outbox.id', 'pm.message_id')
      .selectAll('outbox')
      .select(['pm.route_id as pm_route_id', 'pm.sent_at as pm_sent_at'])
      .where('pm.provider_id', '=', providerId)
      .where('pm.provider_message_id', '=', providerMessageId)
      .executeTakeFirst()
    if (!row) return undefined
    const { pm_route_id, pm_sent_at, ...outbox } = row
    return { message: toOutbox(outbox), routeId: pm_route_id, sentAt: pm_sent_at }
  }

  async listForVerification(verificationId: string): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('verification_id', '=', verificationId)
      .orderBy('created_at')
      .execute()
    return rows.map(toOutbox)
  }
}
