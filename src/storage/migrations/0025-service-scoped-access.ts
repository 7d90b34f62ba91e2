/**
 * @module Service-scoped access: API keys and console staff accounts may be limited to some
 * services (`service_ids`, a JSON array; NULL keeps today's meaning, every service).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('service_ids', 'text').execute()
  await db.schema.alterTable('staff').addColumn('service_ids', 'text').execute()
}
