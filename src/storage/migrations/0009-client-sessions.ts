/**
 * @module Client sessions: what one short-lived browser token (`vct_...`) may do, and the outcome
 * the app's server reads back. Only a hash of the token's secret is stored.
 */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp
  await db.schema
    .createTable('client_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('verification_id', 'text')
    .addColumn('owns_verification', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locale', 'text')
    .addColumn('default_country', 'text')
    .addColumn('prefill_to', 'text')
    .addColumn('prefill_channel', 'text')
    .addColumn('allow_enrolment', 'integer', (c) => c.notNull())
    .addColumn('result_factor', 'text')
    .addColumn('result_at', ts)
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('client_sessions_service')
    .on('client_sessions')
    .columns(['service_id', 'created_at'])
    .execute()
}
