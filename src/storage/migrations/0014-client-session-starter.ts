/**
 * @module Client sessions by the verification they started: a session may join a pending
 * verification only when another session of the same entity started it, so that starter is looked
 * up by verification id.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('client_sessions_verification')
    .on('client_sessions')
    .column('verification_id')
    .execute()
}
