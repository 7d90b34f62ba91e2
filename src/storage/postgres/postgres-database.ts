/** @module Opens a PostgreSQL pool for Kysely; int8 columns come back as numbers (ms timestamps fit). */
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { StorageCapabilities } from '../capabilities.js'
import type { Database } from '../schema.js'
import type { OpenedDatabase } from '../sqlite/sqlite-database.js'

export interface PostgresDatabaseConfig {
  readonly url: string
  /** @default 10 */
  readonly poolSize?: number
}

export const postgresCapabilities: StorageCapabilities = {
  dialect: 'postgres',
  supportsSkipLocked: true,
  sqlTypes: { timestamp: 'bigint', serialId: 'bigserial', real: 'double precision' },
}

// Millisecond timestamps are far below 2^53, so parsing int8 as a JS number is exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10))

/** An opened PostgreSQL database, with its pool (the rate-limit store and change feed share it). */
export interface OpenedPostgresDatabase extends OpenedDatabase {
  readonly dialect: 'postgres'
  readonly pool: pg.Pool
}

export function openPostgresDatabase(config: PostgresDatabaseConfig): OpenedPostgresDatabase {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { dialect: 'postgres', db, pool, caps: postgresCapabilities, close: () => db.destroy() }
}
