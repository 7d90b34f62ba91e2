/** @module KyselyVerificationStore: verifications, their events and first outbox rows, on either dialect. */
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { NewOutboxMessage } from '../delivery/outbox.js'
import type { NewVerificationEvent, VerificationEvent } from '../events/verification-event.js'
import type {
  CheckOutcome,
  CreateVerificationResult,
  RecordedCheck,
  VerificationStore,
} from '../verification/store.js'
import type { Verification, VerificationStatus } from '../verification/verification.js'
import {
  type CompiledQueryRunner,
  PreparedInserts,
  PreparedQuery,
  type PreparedRunner,
  preparedRunner,
} from './prepared-query.js'
import { fromEvent, fromNewOutbox, fromVerification, pendingKey, toEvent, toVerification } from './rows.js'
import type { Database, VerificationTable } from './schema.js'

/** Unique-constraint violations: SQLite `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL `23505`. */
function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; constraint?: string }
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
    return e.message ?? ''
  if (e?.code === '23505') return e.constraint ?? e.message ?? ''
  return undefined
}

export async function insertEvents(
  db: Kysely<Database> | Transaction<Database>,
  events: readonly NewVerificationEvent[],
) {
  if (events.length > 0) await db.insertInto('verification_events').values(events.map(fromEvent)).execute()
}

/**
 * The statements of a start and a check, compiled once per database (see `PreparedQuery`): the
 * builders below run on every request, and only their parameters change.
 */
function hotQueries(db: Kysely<Database>) {
  type Row = Selectable<VerificationTable>
  return {
    insertVerification: new PreparedInserts<ReturnType<typeof fromVerification>>((rows) =>
      db.insertInto('verifications').values(rows as never),
    ),
    insertOutbox: new PreparedInserts<ReturnType<typeof fromNewOutbox>>((rows) =>
      db.insertInto('outbox').values(rows as never),
    ),
    insertEvents: new PreparedInserts<ReturnType<typeof fromEvent>>((rows) =>
      db.insertInto('verification_events').values(rows as never),
    ),
    get: new PreparedQuery<{ id: string }, Row>((p) =>
      db.selectFrom('verifications').selectAll().where('id', '=', p('id')),
    ),
    findPending: new PreparedQuery<{ pendingKey: string }, Row>((p) =>
      db.selectFrom('verifications').selectAll().where('pending_key', '=', p('pendingKey')),
    ),
    countCheckAttempt: new PreparedQuery<{ id: string; now: number }, Row>((p) =>
      db
        .updateTable('verifications')
        .set((eb) => ({ check_attempts: eb('check_attempts', '+', 1), updated_at: p('now') }))
        .where('id', '=', p('id'))
        .where('status', '=', 'pending')
        .whereRef('check_attempts', '<', 'max_check_attempts')
        .returningAll(),
    ),
    finish: new PreparedQuery<{ id: string; status: string; now: number }, never>((p) =>
      db
        .updateTable('verifications')
        .set({
          status: p('status') as VerificationStatus,
          pending_key: null,
          code_ciphertext: null,
          finished_at: p('now'),
          updated_at: p('now'),
        })
        .where('id', '=', p('id'))
        .where('status', '=', 'pending'),
    ),
  }
}

export class KyselyVerificationStore implements VerificationStore {
  readonly #q: ReturnType<typeof hotQueries>
  /** Runs the hot queries (on SQLite, on the driver itself: `preparedRunner`). */
  readonly #run: PreparedRunner

  constructor(private readonly db: Kysely<Database>) {
    this.#q = hotQueries(db)
    this.#run = preparedRunner(db)
  }

  #insertEvents(runner: CompiledQueryRunner, events: readonly NewVerificationEvent[]): Promise<void> {
    return this.#q.insertEvents.insert(runner, events.map(fromEvent))
  }

  async create(
    verification: Verification,
    message: NewOutboxMessage,
    events: readonly NewVerificationEvent[],
  ): Promise<CreateVerificationResult> {
    try {
      await this.#run.transaction(async (trx) => {
        await this.#q.insertVerification.insert(trx, [fromVerification(verification)])
        await this.#q.insertOutbox.insert(trx, [fromNewOutbox(message)])
        await this.#insertEvents(trx, events)
      })
      return { ok: true }
    } catch (err) {
      const which = uniqueViolation(err)
      if (which === undefined) throw err
      return { ok: false, conflict: which.includes('idempotency') ? 'idempotency' : 'pending' }
    }
  }

  async get(id: string): Promise<Verification | undefined> {
    const row = await this.#q.get.first(this.#run, { id })
    return row && toVerification(row)
  }

  async findPending(serviceId: string, destination: string): Promise<Verification | undefined> {
    const row = await this.#q.findPending.first(this.#run, { pendingKey: pendingKey(serviceId, destination) })
    return row && toVerification(row)
  }

  async findByIdempotencyKey(serviceId: string, key: string): Promise<Verification | undefined> {
    const row = await this.db
      .selectFrom('verifications')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst()
    return row && toVerification(row)
  }

  async recordResend(
    id: string,
    expectedSendCount: number,
    now: number,
    message: NewOutboxMessage,
    events: readonly NewVerificationEvent[],
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('verifications')
        .set((eb) => ({ send_count: eb('send_count', '+', 1), last_sent_at: now, updated_at: now }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('send_count', '=', expectedSendCount)
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) !== 1) return false
      await trx.insertInto('outbox').values(fromNewOutbox(message)).execute()
      await insertEvents(trx, events)
      return true
    })
  }

  async countCheckAttempt(
    id: string,
    now: number,
    judge: (counted: Verification) => CheckOutcome,
  ): Promise<RecordedCheck | undefined> {
    // The count is its own statement, before any comparison; the rest joins its transaction, so
    // a check is one write (it was two, each waiting for its own COMMIT).
    return this.#run.transaction(async (trx) => {
      const row = await this.#q.countCheckAttempt.first(trx, { id, now })
      if (!row) return undefined
      const counted = toVerification(row)
      const outcome = judge(counted)
      // The count found it pending and holds it (the transaction; on PostgreSQL the row lock), so
      // the finish changes it; if it ever did not, the check must not be answered as made.
      if (outcome.finish && (await this.#q.finish.changes(trx, { id, status: outcome.finish, now })) !== 1)
        throw new Error(`verification ${id} left pending within its own check`)
      if (outcome.events.length > 0) await this.#insertEvents(trx, outcome.events)
      return { counted, outcome }
    })
  }

  async finish(
    id: string,
    status: Exclude<VerificationStatus, 'pending'>,
    now: number,
    events: readonly NewVerificationEvent[],
  ): Promise<boolean> {
    return this.#run.transaction(async (trx) => {
      // `status = 'pending'` makes this a compare-and-set: of two racing callers, one changes the row.
      if ((await this.#q.finish.changes(trx, { id, status, now })) !== 1) return false
      await this.#insertEvents(trx, events)
      return true
    })
  }

  async appendEvents(events: readonly NewVerificationEvent[]): Promise<void> {
    await this.#insertEvents(this.#run, events)
  }

  async listEvents(verificationId: string): Promise<VerificationEvent[]> {
    const rows = await this.db
      .selectFrom('verification_events')
      .selectAll()
      .where('verification_id', '=', verificationId)
      .orderBy('id')
      .execute()
    return rows.map(toEvent)
  }

  async listByDestination(
    destination: string,
    limit: number,
    serviceIds?: readonly string[],
  ): Promise<Verification[]> {
    if (serviceIds?.length === 0) return []
    let query = this.db.selectFrom('verifications').selectAll().where('destination', '=', destination)
    if (serviceIds !== undefined) query = query.where('service_id', 'in', serviceIds)
    // Served by the (destination, created_at) index; the id breaks ties between same-millisecond starts.
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
    return rows.map(toVerification)
  }

  async listExpired(now: number, limit: number): Promise<Verification[]> {
    const rows = await this.db
      .selectFrom('verifications')
      .selectAll()
      .where('status', '=', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute()
    return rows.map(toVerification)
  }
}
