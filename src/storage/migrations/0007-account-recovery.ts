/** @module Account recovery: support-approved reset cases and their append-only event log. */
import type { Kysely } from 'kysely'
import { type StorageCapabilities, serialPrimaryKey } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.sqlTypes.timestamp

  await db.schema
    .createTable('account_recovery_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('effective_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('finished_at', ts)
    .execute()
  await db.schema
    .createIndex('account_recovery_cases_entity')
    .on('account_recovery_cases')
    .columns(['service_id', 'entity_id', 'created_at'])
    .execute()

  // No foreign key to the case and no cascade: the log outlives anything else, as an audit trail should.
  const events = db.schema
    .createTable('account_recovery_events')
    .addColumn('id', caps.sqlTypes.serialId, serialPrimaryKey(caps))
  await events
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('account_recovery_events_case')
    .on('account_recovery_events')
    .columns(['case_id', 'id'])
    .execute()
}
