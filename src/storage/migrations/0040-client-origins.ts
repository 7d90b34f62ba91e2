/**
 * @module Per-service allowed origins for the client API (`/v1/client/*`, the widget's calls): a
 * JSON array of origins, or null: any origin may call it (the client token is the credential).
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('client_origins', 'text').execute()
}
