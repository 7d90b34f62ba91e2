/**
 * @module Key fingerprints: which keys this database's values are sealed with (id and a check value
 * derived from the secret, never the secret), and which one processes seal new values with, so a
 * process holding other keys refuses to start instead of failing silently (src/secrets/key-agreement.ts).
 */
import type { Kysely } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'

export async function up(db: Kysely<unknown>, caps: StorageCapabilities): Promise<void> {
  const ts = caps.dialect === 'postgres' ? 'bigint' : 'integer'
  await db.schema
    .createTable('key_fingerprints')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('check_value', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', ts, (c) => c.notNull())
    .addColumn('last_current_at', ts)
    .execute()
}
