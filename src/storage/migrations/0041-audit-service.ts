/**
 * @module The service an audit entry concerns (a verification's, a fraud block's, the service an
 * admin API call acted on), so the console can show a member limited to services their services'
 * entries only. Null for installation-wide entries (sign-ins, staff, the safe list, subject
 * requests); older entries stay null and are shown to unrestricted members only.
 */
import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('service_id', 'text').execute()
  await db.schema.createIndex('audit_log_service_id').on('audit_log').columns(['service_id', 'id']).execute()
}
