/**
 * @module KyselyPersonalDataStore: finds and pseudonymises phone numbers and email addresses in
 * every table that holds them (verifications, their events and outbox messages, client sessions'
 * prefills, account-recovery contacts, webhook payloads, the audit log's targets and reasons).
 * Plain SQL both dialects run (`replace()` exists in SQLite and PostgreSQL). Only the destination
 * columns change: country, channel, status, times, routes and providers stay, so analytics counts
 * and rates over the same rows are unchanged.
 */
import { type Kysely, sql } from 'kysely'
import type { PersonalDataStore, PseudonymisedCounts, SubjectRows } from '../privacy/personal-data-store.js'
import { PSEUDONYM_PREFIX } from '../privacy/pseudonym.js'
import type { Database } from './schema.js'

/** Support actions whose audit target is a number or email (staff actions name `stf_` ids). */
const PERSON_AUDIT_ACTIONS = [
  'number.reveal',
  'limit.lift',
  'safe_list.add',
  'safe_list.remove',
  'recovery.request',
] as const

/** Columns an export never carries: they are about codes and requests, not the person. */
const NOT_EXPORTED = new Set(['code_hmac', 'code_ciphertext', 'idempotency_fingerprint', 'secret_hash'])

const notPseudonym = `${PSEUDONYM_PREFIX}%`

export class KyselyPersonalDataStore implements PersonalDataStore {
  /**
   * @param reads where the search for due rows runs: on a SQLite file, the read worker
   *   (`OpenedSqliteDatabase.longReads`), so a sweep over a large table never holds the event loop
   *   (one such scan took 25-37 ms of it in the soak); elsewhere `db`.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly reads: Kysely<Database> = db,
  ) {}

  async dueDestinations(cutoff: number, limit: number): Promise<string[]> {
    // Every place a number or address can sit past its time, asked in turn until `limit` are found.
    const sources: Array<() => Promise<readonly { d: string | null }[]>> = [
      () =>
        this.reads
          .selectFrom('verifications')
          .select('destination as d')
          // No DISTINCT (the Set below drops repeats): with it SQLite walks the whole destination
          // index in order. Finished before the cutoff means created before it too, and
          // `created_at` has an index: a young database answers from an empty range, not a scan.
          .where('created_at', '<', cutoff)
          .where('finished_at', '<', cutoff)
          .where('destination', 'not like', notPseudonym)
          .limit(limit)
          .execute(),
      // Refused starts have events but no verification.
      () =>
        this.reads
          .selectFrom('verification_events')
          .select('destination as d')
          .distinct()
          .where('verification_id', 'is', null)
          .where('at', '<', cutoff)
          .where('destination', 'not like', notPseudonym)
          .limit(limit)
          .execute(),
      () =>
        this.reads
          .selectFrom('client_sessions')
          .select('prefill_to as d')
          .distinct()
          .where('prefill_to', 'is not', null)
          .where('expires_at', '<', cutoff)
          .limit(limit)
          .execute(),
      () =>
        this.reads
          .selectFrom('audit_log')
          .select('target as d')
          .distinct()
          .where('at', '<', cutoff)
          .where('action', 'in', PERSON_AUDIT_ACTIONS)
          .where((eb) => eb.or([eb('target', 'like', '+%'), eb('target', 'like', '%@%')]))
          .limit(limit)
          .execute(),
      async () => {
        const cases = await this.reads
          .selectFrom('account_recovery_cases')
          .select('contacts')
          .where('finished_at', '<', cutoff)
          .where('contacts', 'not like', '{"phones":[],"emails":[]}')
          .limit(limit)
          .execute()
        return cases.flatMap((c) => {
          const contacts = JSON.parse(c.contacts) as { phones?: string[]; emails?: string[] }
          return [...(contacts.phones ?? []), ...(contacts.emails ?? [])]
            .filter((d) => !d.startsWith(PSEUDONYM_PREFIX))
            .map((d) => ({ d }))
        })
      },
    ]
    const found = new Set<string>()
    for (const source of sources) {
      if (found.size >= limit) break
      for (const r of await source()) if (r.d && found.size < limit) found.add(r.d)
    }
    return [...found]
  }

  async pseudonymise(
    destination: string,
    pseudonym: string,
    opts: { before?: number },
  ): Promise<PseudonymisedCounts> {
    const { before } = opts
    // Provider error texts and free-text reasons may carry the number without its `+`.
    const bare = destination.startsWith('+') ? destination.slice(1) : destination
    const scrub = (column: string) =>
      sql<string>`replace(replace(${sql.ref(column)}, ${destination}, ${pseudonym}), ${bare}, ${pseudonym})`
    const contains = (column: string) => sql<boolean>`${sql.ref(column)} like ${`%${bare}%`}`
    const n = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows)

    return this.db.transaction().execute(async (trx) => {
      const counts: Record<string, number> = {}
      let v = trx
        .updateTable('verifications')
        .set({
          destination: pseudonym,
          client_ip: null,
          idempotency_key: null,
          idempotency_fingerprint: null,
        })
        .where('destination', '=', destination)
        .where('status', '!=', 'pending')
        .where('finished_at', 'is not', null)
      if (before !== undefined) v = v.where('finished_at', '<', before)
      counts.verifications = n(await v.executeTakeFirstOrThrow())

      const ofPseudonymised = trx
        .selectFrom('verifications')
        .select('id')
        .where('destination', '=', pseudonym)
      counts.outbox = n(
        await trx
          .updateTable('outbox')
          .set({ destination: pseudonym, last_error_text: scrub('last_error_text') })
          .where('destination', '=', destination)
          .where('verification_id', 'in', ofPseudonymised)
          .executeTakeFirstOrThrow(),
      )
      counts.verification_events = n(
        await trx
          .updateTable('verification_events')
          .set({ destination: pseudonym, data: scrub('data') })
          .where('destination', '=', destination)
          .where((eb) =>
            eb.or([
              eb('verification_id', 'in', ofPseudonymised),
              before === undefined
                ? eb('verification_id', 'is', null)
                : eb.and([eb('verification_id', 'is', null), eb('at', '<', before)]),
            ]),
          )
          .executeTakeFirstOrThrow(),
      )
      let cs = trx
        .updateTable('client_sessions')
        .set({ prefill_to: null })
        .where('prefill_to', '=', destination)
      if (before !== undefined) cs = cs.where('expires_at', '<', before)
      counts.client_sessions = n(await cs.executeTakeFirstOrThrow())

      let rc = trx
        .updateTable('account_recovery_cases')
        .set({ contacts: scrub('contacts'), reason: scrub('reason') })
        .where(contains('contacts'))
      if (before !== undefined) rc = rc.where('finished_at', '<', before)
      counts.account_recovery_cases = n(await rc.executeTakeFirstOrThrow())

      let audit = trx
        .updateTable('audit_log')
        .set({ target: scrub('target'), reason: scrub('reason'), details: scrub('details') })
        .where((eb) => eb.or([eb('target', '=', destination), contains('reason'), contains('details')]))
      if (before !== undefined) audit = audit.where('at', '<', before)
      counts.audit_log = n(await audit.executeTakeFirstOrThrow())

      let hooks = trx
        .updateTable('webhook_deliveries')
        .set({ payload: scrub('payload') })
        .where(contains('payload'))
      if (before !== undefined) hooks = hooks.where('created_at', '<', before)
      counts.webhook_deliveries = n(await hooks.executeTakeFirstOrThrow())
      return counts
    })
  }

  async rowsOf(destination: string, pseudonyms: readonly string[]): Promise<SubjectRows> {
    const all = [destination, ...pseudonyms]
    const bare = destination.startsWith('+') ? destination.slice(1) : destination
    const clean = (rows: readonly object[]) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !NOT_EXPORTED.has(k))))
    const db = this.db
    return {
      verifications: clean(
        await db.selectFrom('verifications').selectAll().where('destination', 'in', all).execute(),
      ),
      verification_events: clean(
        await db
          .selectFrom('verification_events')
          .selectAll()
          .where('destination', 'in', all)
          .orderBy('id')
          .execute(),
      ),
      outbox: clean(await db.selectFrom('outbox').selectAll().where('destination', 'in', all).execute()),
      client_sessions: clean(
        await db.selectFrom('client_sessions').selectAll().where('prefill_to', '=', destination).execute(),
      ),
      account_recovery_cases: clean(
        await db
          .selectFrom('account_recovery_cases')
          .selectAll()
          .where((eb) => eb.or(all.map((d) => eb('contacts', 'like', `%${d === destination ? bare : d}%`))))
          .execute(),
      ),
      safe_list: clean(
        await db.selectFrom('safe_list').selectAll().where('destination', '=', destination).execute(),
      ),
      audit_log: clean(
        await db.selectFrom('audit_log').selectAll().where('target', 'in', all).orderBy('id').execute(),
      ),
    }
  }

  async removeFromSafeList(destination: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('safe_list')
      .where('destination', '=', destination)
      .executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }
}
