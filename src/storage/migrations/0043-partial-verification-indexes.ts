/**
 * @module The pending-key and idempotency-key indexes of `verifications` hold only rows that have
 * a key. Both were full: every finished verification kept a NULL pending key in its index, and
 * every start without an Idempotency-Key (most of them) wrote a NULL entry to the other, so each
 * start paid a page in each and the pending-key index grew with all history instead of with the
 * verifications still pending. The lookups (`pending_key = ?`, `service_id = ? and
 * idempotency_key = ?`) imply the key is not null, so SQLite and PostgreSQL still use the indexes;
 * uniqueness is the same (NULLs never collided). Names are kept: a unique violation is still
 * told apart by its index name.
 */
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('verifications_pending_key').execute()
  await db.schema
    .createIndex('verifications_pending_key')
    .unique()
    .on('verifications')
    .column('pending_key')
    .where(sql.ref('pending_key'), 'is not', null)
    .execute()
  await db.schema.dropIndex('verifications_idempotency').execute()
  await db.schema
    .createIndex('verifications_idempotency')
    .unique()
    .on('verifications')
    .columns(['service_id', 'idempotency_key'])
    .where(sql.ref('idempotency_key'), 'is not', null)
    .execute()
}
