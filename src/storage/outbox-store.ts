/** @module KyselyOutboxStore: claiming, leasing and settling outbox rows, on either dialect. */
import { type Kysely, sql } from 'kysely'
import type { OutboxMessage, OutboxStore } from '../delivery/outbox.js'
import type { DeliveryOutcome } from '../delivery/outcome.js'
import type { NewVerificationEvent } from '../verification/verification.js'
import type { StorageCapabilities } from './capabilities.js'
import { toOutbox } from './rows.js'
import type { Database } from './schema.js'
import { insertEvents } from './verification-store.js'

type ErrorInfo = { providerId: string | null; code: string | null; text: string | null }

export class KyselyOutboxStore implements OutboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StorageCapabilities,
  ) {}

  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('available_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('available_at')
      .limit(limit)
    // One statement claims and returns the rows; on PostgreSQL SKIP LOCKED lets several workers
    // claim side by side without waiting on or double-claiming each other's rows.
    const claimable = this.caps.supportsSkipLocked ? due.forUpdate().skipLocked() : due
    const rows = await this.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', lease_until: now + leaseMs, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', claimable)
      .returningAll()
      .execute()
    return rows.map(toOutbox).sort((a, b) => a.availableAt - b.availableAt)
  }

  async markSent(
    id: string,
    now: number,
    result: { providerId: string; providerMessageId: string },
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          status: 'sent',
          lease_until: null,
          provider_id: result.providerId,
          provider_message_id: result.providerMessageId,
          // A receipt can beat the submit answer; keep an outcome that is already there.
          delivery_outcome: sql`coalesce(delivery_outcome, 'pending')`,
          sent_at: now,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute()
      await insertEvents(trx, events)
    })
  }

  async markRetry(
    id: string,
    now: number,
    availableAt: number,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          status: 'queued',
          lease_until: null,
          available_at: availableAt,
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

  async markFailed(id: string, now: number, error: ErrorInfo, events: readonly NewVerificationEvent[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          status: 'failed',
          lease_until: null,
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

  async markCanceled(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ status: 'canceled', lease_until: null, updated_at: now })
      .where('id', '=', id)
      .execute()
  }

  async findByProviderMessageId(providerId: string, providerMessageId: string): Promise<OutboxMessage | undefined> {
    const row = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst()
    return row && toOutbox(row)
  }

  async recordDelivery(
    id: string,
    outcome: DeliveryOutcome,
    at: number,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({
          delivery_outcome: outcome,
          delivered_at: outcome === 'delivered' ? at : null,
          updated_at: at,
        })
        .where('id', '=', id)
        .execute()
      await insertEvents(trx, events)
    })
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
