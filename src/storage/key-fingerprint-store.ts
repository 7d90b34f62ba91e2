/** @module KyselyKeyFingerprintStore: the keys a database's values are sealed with (fingerprints only). */
import { type Kysely, sql } from 'kysely'
import type { KeyFingerprintStore, KeyRecordUpdate, RecordedKey } from '../secrets/key-agreement.js'
import type { StorageCapabilities } from './capabilities.js'
import type { Database } from './schema.js'

/** Serialises key agreement between processes starting together on one PostgreSQL database. */
const KEY_AGREEMENT_LOCK = 7235402

export class KyselyKeyFingerprintStore implements KeyFingerprintStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StorageCapabilities,
  ) {}

  async list(): Promise<RecordedKey[]> {
    return this.read(this.db)
  }

  async agree(decide: (recorded: readonly RecordedKey[]) => KeyRecordUpdate): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (this.caps.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(${KEY_AGREEMENT_LOCK})`.execute(trx)
      } else {
        // Take SQLite's write lock before reading: two deferred transactions that both read and then
        // write would deadlock, and one would fail with "database is locked" instead of a clear refusal.
        await sql`update key_fingerprints set last_current_at = last_current_at where 0 = 1`.execute(trx)
      }
      const update = decide(await this.read(trx))
      for (const key of update.keys) {
        await trx
          .insertInto('key_fingerprints')
          .values({
            key_id: key.keyId,
            check_value: key.checkValue,
            first_seen_at: update.at,
            last_current_at: null,
          })
          .onConflict((oc) => oc.column('key_id').doNothing())
          .execute()
      }
      await trx
        .updateTable('key_fingerprints')
        .set({ last_current_at: update.at })
        .where('key_id', '=', update.currentKeyId)
        .execute()
    })
  }

  private async read(db: Kysely<Database>): Promise<RecordedKey[]> {
    const rows = await db.selectFrom('key_fingerprints').selectAll().execute()
    return rows.map((r) => ({
      keyId: r.key_id,
      checkValue: r.check_value,
      firstSeenAt: Number(r.first_seen_at),
      lastCurrentAt: r.last_current_at === null ? null : Number(r.last_current_at),
    }))
  }
}
