/**
 * @module Android SMS Retriever app hash per service: the 11-character hash the SMS carries on its
 * own line so the app can read the code.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').addColumn('android_app_hash', 'text').execute()
}
