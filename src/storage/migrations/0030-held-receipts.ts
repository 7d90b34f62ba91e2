/**
 * @module Held receipts: a delivery receipt that names a hand-over not recorded yet (its worker died
 * between the provider's answer and the write, or has not written it yet) is kept here until the
 * hand-over is recorded (a retry of the send that the provider deduplicated), instead of being dropped.
 */
import type { Kysely } from 'kysely'
import { type StorageCapabilities, serialPrimaryKey } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('held_receipts')
    .addColumn('id', caps.sqlTypes.serialId, serialPrimaryKey(caps))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    /** The normalised report (JSON). */
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('held_receipts_hop')
    .on('held_receipts')
    .columns(['provider_id', 'provider_message_id'])
    .execute()
  await db.schema.createIndex('held_receipts_received').on('held_receipts').column('received_at').execute()
}
