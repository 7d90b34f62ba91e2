/**
 * @module Tables of the Twilio-compatible facade: TOTP defaults per service, Service Rate Limits
 * with their buckets, and TOTP challenges. Services and verifications need no table: their sids are
 * a reversible encoding of their ids (see `src/twilio-compat/sids.ts`).
 */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp

  await db.schema
    .createTable('twilio_service_settings')
    .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
    .addColumn('totp_issuer', 'text')
    .addColumn('totp_time_step', 'integer')
    .addColumn('totp_code_length', 'integer')
    .addColumn('totp_skew', 'integer')
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('twilio_rate_limits')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('unique_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('twilio_rate_limits_name')
    .unique()
    .on('twilio_rate_limits')
    .columns(['service_id', 'unique_name'])
    .execute()

  await db.schema
    .createTable('twilio_rate_limit_buckets')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('rate_limit_sid', 'text', (c) =>
      c.notNull().references('twilio_rate_limits.sid').onDelete('cascade'),
    )
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('max', 'integer', (c) => c.notNull())
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  // Twilio refuses two buckets with one interval in a rate limit (60211).
  await db.schema
    .createIndex('twilio_buckets_interval')
    .unique()
    .on('twilio_rate_limit_buckets')
    .columns(['rate_limit_sid', 'interval_seconds'])
    .execute()
  await db.schema
    .createIndex('twilio_buckets_service')
    .on('twilio_rate_limit_buckets')
    .column('service_id')
    .execute()

  await db.schema
    .createTable('twilio_challenges')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('factor_id', 'text', (c) => c.notNull())
    .addColumn('factor_sid', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('hidden_details', 'text')
    .addColumn('metadata', 'text')
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('responded_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('twilio_challenges_entity')
    .on('twilio_challenges')
    .columns(['service_id', 'identity', 'sid'])
    .execute()
}
