/**
 * @module Analytics: rate-drop alerts (one open per kind, dimension and key, enforced by a unique
 * `open_key` that is cleared on recovery), and the creation-time indexes the analytics windows
 * read verifications and messages by.
 */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp
  // SQLite's REAL is already 8 bytes; PostgreSQL's `real` is 4, so ask for a double there.
  const ratio = caps.sqlTypes.real
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('open_key', 'text')
    .addColumn('baseline_rate', ratio, (c) => c.notNull())
    .addColumn('baseline_samples', 'integer', (c) => c.notNull())
    .addColumn('recent_rate', ratio, (c) => c.notNull())
    .addColumn('recent_samples', 'integer', (c) => c.notNull())
    .addColumn('recovered_rate', ratio)
    .addColumn('service_ids', 'text', (c) => c.notNull())
    .addColumn('opened_at', ts, (c) => c.notNull())
    .addColumn('recovered_at', ts)
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute()
  await db.schema.createIndex('alerts_open_key').unique().on('alerts').column('open_key').execute()
  await db.schema.createIndex('alerts_opened').on('alerts').column('opened_at').execute()
  await db.schema.createIndex('verifications_created').on('verifications').column('created_at').execute()
  await db.schema.createIndex('outbox_created').on('outbox').column('created_at').execute()
}
