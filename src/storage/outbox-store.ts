/** @module KyselyOutboxStore: claiming, leasing and settling outbox rows and their hand-overs, on either dialect. */
import type { Kysely, Transaction, Updateable } from 'kysely'
import type {
  DeliveryPlan,
  ErrorInfo,
  Hop,
  HopKey,
  HopState,
  OutboxMessage,
  OutboxStore,
  RequeueInfo,
  SentInfo,
} from '../delivery/outbox.js'
import type { DeliveryOutcome } from '../delivery/outcome.js'
import type { DeliveryReport } from '../delivery/providers/provider.js'
import type { NewVerificationEvent } from '../events/verification-event.js'
import { extend } from '../shared/extend.js'
import type { StorageCapabilities } from './capabilities.js'
import {
  type CompiledQueryRunner,
  PreparedInserts,
  type PreparedRunner,
  prepare,
  preparedRunner,
} from './prepared-query.js'
import { fromEvent, toHop, toOutbox } from './rows.js'
import type { Database, OutboxTable } from './schema.js'
import { insertEvents } from './verification-store.js'

const OPEN_HOP_STATES = ['submitted', 'unconfirmed']

/**
 * The statements every message runs (hand-over, receipt), compiled once per database (see
 * `PreparedQuery`); only their parameters change from one message to the next.
 */
function hotQueries(db: Kysely<Database>) {
  return {
    insertEvents: new PreparedInserts<ReturnType<typeof fromEvent>>((rows) =>
      db.insertInto('verification_events').values(rows as never),
    ),
    markSent: prepare<{
      id: string
      availableAt: number
      channel: string
      providerId: string
      providerMessageId: string
      routeId: string
      sender: string | null
      triedRoutes: string
      hops: number
      plan: string
      now: number
    }>()((p) =>
      db
        .updateTable('outbox')
        .set({
          status: 'sent',
          available_at: p('availableAt'),
          channel: p('channel'),
          provider_id: p('providerId'),
          provider_message_id: p('providerMessageId'),
          route_id: p('routeId'),
          sender: p('sender'),
          tried_routes: p('triedRoutes'),
          hops: p('hops'),
          plan: p('plan'),
          delivery_outcome: 'pending',
          sent_at: p('now'),
          updated_at: p('now'),
        })
        .where('id', '=', p('id')),
    ),
    insertHop: prepare<{
      providerId: string
      providerMessageId: string
      messageId: string
      routeId: string
      channel: string
      country: string | null
      now: number
    }>()((p) =>
      db
        .insertInto('provider_messages')
        .values({
          provider_id: p('providerId'),
          provider_message_id: p('providerMessageId'),
          message_id: p('messageId'),
          route_id: p('routeId'),
          channel: p('channel'),
          country: p('country'),
          state: 'submitted',
          sent_at: p('now'),
        })
        // The same hand-over recorded twice is one hop: a send repeated after its lease ran out,
        // that the provider deduplicated by its attempt key and answered with the same id.
        .onConflict((oc) => oc.columns(['provider_id', 'provider_message_id']).doNothing()),
    ),
    settleDelivered: prepare<{ providerId: string; providerMessageId: string; at: number }>()((p) =>
      db
        .updateTable('provider_messages')
        .set({ state: 'delivered', outcome: null, settled_at: p('at') })
        .where('provider_id', '=', p('providerId'))
        .where('provider_message_id', '=', p('providerMessageId'))
        .where('state', 'in', [...OPEN_HOP_STATES, 'failed', 'expired']),
    ),
    markDelivered: prepare<{ id: string; at: number }>()((p) =>
      db
        .updateTable('outbox')
        .set({
          status: 'delivered',
          delivery_outcome: 'delivered',
          delivered_at: p('at'),
          updated_at: p('at'),
        })
        .where('id', '=', p('id'))
        .where('status', '!=', 'delivered'),
    ),
    findByProviderMessageId: prepare<{ providerId: string; providerMessageId: string }>()((p) =>
      db
        .selectFrom('provider_messages as pm')
        .innerJoin('outbox', 'outbox.id', 'pm.message_id')
        .selectAll('outbox')
        .select([
          'pm.provider_id as pm_provider_id',
          'pm.provider_message_id as pm_provider_message_id',
          'pm.message_id as pm_message_id',
          'pm.route_id as pm_route_id',
          'pm.sent_at as pm_sent_at',
          'pm.channel as pm_channel',
          'pm.country as pm_country',
          'pm.state as pm_state',
          'pm.outcome as pm_outcome',
          'pm.settled_at as pm_settled_at',
        ])
        .where('pm.provider_id', '=', p('providerId'))
        .where('pm.provider_message_id', '=', p('providerMessageId')),
    ),
  }
}

export class KyselyOutboxStore implements OutboxStore {
  readonly #q: ReturnType<typeof hotQueries>
  /** Runs the hot queries (on SQLite, on the driver itself: `preparedRunner`). */
  readonly #run: PreparedRunner

  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StorageCapabilities,
  ) {
    this.#q = hotQueries(db)
    this.#run = preparedRunner(db)
  }

  #insertEvents(runner: CompiledQueryRunner, events: readonly NewVerificationEvent[]): Promise<void> {
    return this.#q.insertEvents.insert(runner, events.map(fromEvent))
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessage[]> {
    // `available_at` is the one clock of a row: when a queued row is due, when a lease runs out,
    // when a receipt is overdue, when a waiting row's code ends. One indexed range finds them all.
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', 'in', ['queued', 'sending', 'sent', 'unconfirmed'])
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
    await this.#run.transaction(async (trx) => {
      await this.#q.markSent.run(trx, {
        id,
        availableAt: sent.receiptDeadline,
        channel: sent.channel,
        providerId: sent.providerId,
        providerMessageId: sent.providerMessageId,
        routeId: sent.routeId,
        sender: sent.sender,
        triedRoutes: JSON.stringify(sent.triedRoutes),
        hops: sent.hops,
        plan: JSON.stringify(sent.plan),
        now,
      })
      await this.#q.insertHop.run(trx, {
        providerId: sent.providerId,
        providerMessageId: sent.providerMessageId,
        messageId: id,
        routeId: sent.routeId,
        channel: sent.channel,
        country: sent.country,
        now,
      })
      await this.#insertEvents(trx, events)
    })
  }

  async requeue(
    id: string,
    now: number,
    next: RequeueInfo,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.update(
      id,
      now,
      {
        status: 'queued',
        available_at: next.availableAt,
        channel: next.channel,
        tried_routes: JSON.stringify(next.triedRoutes),
        hops: next.hops,
        plan: JSON.stringify(next.plan),
        ...(next.outcome ? { delivery_outcome: next.outcome } : {}),
        provider_message_id: null,
        provider_id: error.providerId,
        last_error_code: error.code,
        last_error_text: error.text,
      },
      events,
    )
  }

  async markFailed(
    id: string,
    now: number,
    error: ErrorInfo,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.update(
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

  async markWaiting(
    id: string,
    now: number,
    until: number,
    plan: DeliveryPlan,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.update(
      id,
      now,
      {
        status: 'unconfirmed',
        available_at: until,
        plan: JSON.stringify(extend(plan, { waiting: true })),
        provider_message_id: null,
      },
      events,
    )
  }

  async markCanceled(id: string, now: number): Promise<void> {
    await this.update(id, now, { status: 'canceled' }, [])
  }

  async markExpired(id: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set({ status: 'expired', updated_at: now })
        .where('id', '=', id)
        .where('status', 'not in', ['delivered', 'failed', 'canceled'])
        .execute()
      await trx
        .updateTable('provider_messages')
        .set({ state: 'expired', settled_at: now })
        .where('message_id', '=', id)
        .where('state', 'in', ['submitted', 'unconfirmed'])
        .execute()
    })
  }

  async markDelivered(
    id: string,
    at: number,
    hop: HopKey,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    await this.#run.transaction(async (trx) => {
      // As settleHop(hop, 'delivered'), precompiled: every delivered message runs it.
      await this.#q.settleDelivered.run(trx, extend(hop, { at }))
      // The first delivery decides the send's state; a later one (a second channel's) is a fact only.
      await this.#q.markDelivered.run(trx, { id, at })
      await this.#insertEvents(trx, events)
    })
  }

  async settleHop(hop: HopKey, state: HopState, outcome: DeliveryOutcome | null, at: number): Promise<void> {
    await settleHop(this.db, hop, state, outcome, at)
  }

  async holdReceipt(report: DeliveryReport, now: number, keepMs: number): Promise<void> {
    await this.db
      .deleteFrom('held_receipts')
      .where('received_at', '<', now - keepMs)
      .execute()
    await this.db
      .insertInto('held_receipts')
      .values({
        provider_id: report.providerId,
        provider_message_id: report.providerMessageId,
        report: JSON.stringify(report),
        received_at: now,
      })
      .execute()
  }

  async takeMatchedHeldReceipts(limit: number): Promise<DeliveryReport[]> {
    const matched = this.db
      .selectFrom('held_receipts as h')
      .select('h.id')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('provider_messages as pm')
            .select('pm.message_id')
            .whereRef('pm.provider_id', '=', 'h.provider_id')
            .whereRef('pm.provider_message_id', '=', 'h.provider_message_id'),
        ),
      )
      .orderBy('h.id')
      .limit(limit)
    // DELETE ... RETURNING: a row goes to the one statement that deleted it.
    const rows = await this.db
      .deleteFrom('held_receipts')
      .where('id', 'in', matched)
      .returning(['id', 'report'])
      .execute()
    return rows.sort((a, b) => a.id - b.id).map((r) => JSON.parse(r.report) as DeliveryReport)
  }

  async findByProviderMessageId(providerId: string, providerMessageId: string) {
    const row = await this.#q.findByProviderMessageId.first(this.#run, { providerId, providerMessageId })
    if (!row) return undefined
    const {
      pm_provider_id,
      pm_provider_message_id,
      pm_message_id,
      pm_route_id,
      pm_sent_at,
      pm_channel,
      pm_country,
      pm_state,
      pm_outcome,
      pm_settled_at,
      ...outbox
    } = row
    const hop = toHop(
      {
        provider_id: pm_provider_id,
        provider_message_id: pm_provider_message_id,
        message_id: pm_message_id,
        route_id: pm_route_id,
        sent_at: pm_sent_at,
        channel: pm_channel,
        country: pm_country,
        state: pm_state,
        outcome: pm_outcome,
        settled_at: pm_settled_at,
      },
      outbox.channel,
    )
    return { message: toOutbox(outbox), hop }
  }

  async listHops(messageId: string): Promise<Hop[]> {
    const message = await this.db
      .selectFrom('outbox')
      .select('channel')
      .where('id', '=', messageId)
      .executeTakeFirst()
    const rows = await this.db
      .selectFrom('provider_messages')
      .selectAll()
      .where('message_id', '=', messageId)
      .orderBy('sent_at')
      .execute()
    return rows.map((r) => toHop(r, message?.channel ?? 'sms'))
  }

  async listForVerification(verificationId: string): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .selectAll()
      .where('verification_id', '=', verificationId)
      // Sends made within one millisecond keep their order by their number.
      .orderBy('created_at')
      .orderBy('send_number')
      .execute()
    return rows.map(toOutbox)
  }

  private async update(
    id: string,
    now: number,
    patch: Updateable<OutboxTable>,
    events: readonly NewVerificationEvent[],
  ): Promise<void> {
    if (events.length === 0) {
      await this.db
        .updateTable('outbox')
        .set(extend(patch, { updated_at: now }))
        .where('id', '=', id)
        .execute()
      return
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('outbox')
        .set(extend(patch, { updated_at: now }))
        .where('id', '=', id)
        .execute()
      await insertEvents(trx, events)
    })
  }
}

/** Settles one hand-over; a settled hop (delivered, failed, expired) only ever moves to delivered. */
async function settleHop(
  db: Kysely<Database> | Transaction<Database>,
  hop: HopKey,
  state: HopState,
  outcome: DeliveryOutcome | null,
  at: number,
): Promise<void> {
  const open = OPEN_HOP_STATES
  await db
    .updateTable('provider_messages')
    .set({ state, outcome, ...(state === 'unconfirmed' ? {} : { settled_at: at }) })
    .where('provider_id', '=', hop.providerId)
    .where('provider_message_id', '=', hop.providerMessageId)
    .where('state', 'in', state === 'delivered' ? [...open, 'failed', 'expired'] : open)
    .execute()
}
