/** @module Authenticator-app (TOTP) factors and single-use recovery codes. */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp

  await db.schema
    .createTable('totp_factors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('digits', 'integer', (c) => c.notNull())
    .addColumn('period_seconds', 'integer', (c) => c.notNull())
    .addColumn('skew', 'integer', (c) => c.notNull())
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    // A time step (unix seconds / period), kept as wide as the timestamps so that no period can
    // overflow it (at 30 s, 32 bits last only until the year 4011).
    .addColumn('last_used_step', ts)
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('lock_count', 'integer', (c) => c.notNull())
    .addColumn('locked_until', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('totp_factors_entity')
    .on('totp_factors')
    .columns(['service_id', 'entity_id', 'created_at'])
    .execute()

  // The key (service, entity, slot) allows exactly one set per entity: two racing regenerations
  // cannot leave twenty live codes, the second one conflicts and retries over the first.
  await db.schema
    .createTable('recovery_codes')
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('code_hmac', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addPrimaryKeyConstraint('recovery_codes_pk', ['service_id', 'entity_id', 'slot'])
    .execute()
}
