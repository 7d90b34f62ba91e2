/**
 * @module Opens a PostgreSQL pool for Kysely, with every timeout set and an error listener on the
 * pool and on each of its connections, so a restart or `pg_terminate_backend` ends connections,
 * never the process. int8 columns come back as numbers (ms timestamps fit).
 */
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { pino } from 'pino'
import type { Logger } from '../../shared/logger.js'
import type { StorageCapabilities } from '../capabilities.js'
import type { Database } from '../schema.js'
import { type OpenedDatabase, queryLog } from '../sqlite/sqlite-database.js'
import { type GuardedPostgresPool, PostgresAvailability } from './postgres-availability.js'
import { type PostgresConfig, PostgresConfigSchema } from './postgres-config.js'

export interface PostgresDatabaseConfig {
  readonly url: string
  /** `config.postgres`; unset fields take the schema's defaults. */
  readonly settings?: Partial<PostgresConfig>
  /** Receives connection errors and outages. @default a silent logger */
  readonly logger?: Logger
  /** Called with the SQL of every statement run through Kysely (see `OpenDatabaseOptions`). */
  readonly onQuery?: ((sqlText: string) => void) | undefined
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
  /** pg's own pool, for what needs a connection of its own (the change feed's LISTEN). */
  readonly pool: pg.Pool
  /** The pool with fail-fast and 503 translation, for everything on the request path. */
  readonly guardedPool: GuardedPostgresPool
  /** Whether PostgreSQL answers: `/readyz`, the metrics, and the fail-fast while it does not. */
  readonly availability: PostgresAvailability
}

export function openPostgresDatabase(config: PostgresDatabaseConfig): OpenedPostgresDatabase {
  const s = { ...PostgresConfigSchema.parse({}), ...config.settings }
  const logger = config.logger ?? pino({ enabled: false })
  const clientConfig: pg.ClientConfig = {
    connectionString: config.url,
    connectionTimeoutMillis: s.connectTimeoutMs,
    statement_timeout: s.statementTimeoutMs,
    query_timeout: s.queryTimeoutMs,
    idle_in_transaction_session_timeout: s.idleInTransactionTimeoutMs,
    // Finds a peer that vanished without closing (a dead host, a dropped NAT entry).
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  }
  const pool = new pg.Pool({ ...clientConfig, max: s.poolSize, idleTimeoutMillis: s.idleTimeoutMs })
  // An idle connection that dies (restart, pg_terminate_backend, idle timeout) is reported here and
  // dropped by the pool; without a listener, the error would end the process.
  pool.on('error', (err) =>
    logger.warn({ dependency: 'postgres', err: err.message }, 'idle PostgreSQL connection lost'),
  )
  // A connection that dies while checked out but between queries emits on itself; the pool's
  // listener is detached while it is checked out.
  pool.on('connect', (client) => {
    client.on('error', (err) =>
      logger.warn({ dependency: 'postgres', err: err.message }, 'PostgreSQL connection lost'),
    )
  })
  const availability = new PostgresAvailability({
    pool,
    newClient: () => new pg.Client(clientConfig),
    logger,
    probeIntervalMs: s.probeIntervalMs,
    namedStatements: s.namedStatements,
  })
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: availability.pool }),
    ...queryLog(config.onQuery),
  })
  return {
    dialect: 'postgres',
    db,
    pool,
    guardedPool: availability.pool,
    availability,
    caps: postgresCapabilities,
    close: async () => {
      availability.close()
      await db.destroy()
    },
  }
}
