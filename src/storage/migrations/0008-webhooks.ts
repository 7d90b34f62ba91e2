/**
 * @module Outbound webhooks: one endpoint per service, a durable delivery outbox claimed like the
 * message outbox, and one row per POST attempt.
 */
import type { Kysely } from 'kysely'
import { type StorageCapabilities, serialPrimaryKey } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', ts, (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute()
  // The claim's one range: (status, available_at), as for the message outbox.
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'available_at'])
    .execute()
  await db.schema
    .createIndex('webhook_deliveries_service')
    .on('webhook_deliveries')
    .columns(['service_id', 'created_at'])
    .execute()
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', caps.sqlTypes.serialId, serialPrimaryKey(caps))
    .addColumn('delivery_id', 'text', (c) =>
      c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', ts)
    .execute()
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'attempt'])
    .execute()
}
