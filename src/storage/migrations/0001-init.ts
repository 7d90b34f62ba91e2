/** @module First schema: keys, services, verifications, their events and the outbox. */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.dialect === 'postgres' ? 'bigint' : 'integer'

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .addColumn('last_used_at', ts)
    .execute()

  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code_length', 'integer', (c) => c.notNull())
    .addColumn('code_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('max_check_attempts', 'integer', (c) => c.notNull())
    .addColumn('max_sends', 'integer', (c) => c.notNull())
    .addColumn('brand_name', 'text')
    .addColumn('message_template', 'text')
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('webotp_domain', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code_hmac', 'text', (c) => c.notNull())
    .addColumn('code_ciphertext', 'text')
    .addColumn('code_length', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('check_attempts', 'integer', (c) => c.notNull())
    .addColumn('max_check_attempts', 'integer', (c) => c.notNull())
    .addColumn('send_count', 'integer', (c) => c.notNull())
    .addColumn('max_sends', 'integer', (c) => c.notNull())
    .addColumn('last_sent_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('client_ip', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('idempotency_fingerprint', 'text')
    .addColumn('pending_key', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute()
  await db.schema
    .createIndex('verifications_pending_key')
    .unique()
    .on('verifications')
    .column('pending_key')
    .execute()
  await db.schema
    .createIndex('verifications_idempotency')
    .unique()
    .on('verifications')
    .columns(['service_id', 'idempotency_key'])
    .execute()
  await db.schema
    .createIndex('verifications_destination')
    .on('verifications')
    .columns(['destination', 'created_at'])
    .execute()
  await db.schema
    .createIndex('verifications_pending_expiry')
    .on('verifications')
    .columns(['status', 'expires_at'])
    .execute()

  const events = db.schema
    .createTable('verification_events')
    .addColumn('id', caps.dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      caps.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
  await events
    .addColumn('verification_id', 'text')
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('events_verification')
    .on('verification_events')
    .columns(['verification_id', 'id'])
    .execute()
  await db.schema
    .createIndex('events_destination')
    .on('verification_events')
    .columns(['destination', 'at'])
    .execute()

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('verification_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('send_number', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('available_at', ts, (c) => c.notNull())
    .addColumn('lease_until', ts)
    .addColumn('provider_id', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('delivery_outcome', 'text')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_text', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .addColumn('delivered_at', ts)
    .execute()
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'available_at']).execute()
  await db.schema
    .createIndex('outbox_provider_message')
    .on('outbox')
    .columns(['provider_id', 'provider_message_id'])
    .execute()
  await db.schema.createIndex('outbox_verification').on('outbox').columns(['verification_id']).execute()
}
