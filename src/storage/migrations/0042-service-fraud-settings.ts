/**
 * @module A service's own fraud-guard settings (mode, per-country daily caps) as JSON; null: the
 * server's configuration decides (docs/fraud.md).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('fraud_settings', 'text').execute()
}
