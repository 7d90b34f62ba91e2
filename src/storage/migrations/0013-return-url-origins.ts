/**
 * @module Per-service allowed origins for the hosted page's `return_url` (a JSON array of
 * origins, or null: the page never sends the person back anywhere).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('return_url_origins', 'text').execute()
}
