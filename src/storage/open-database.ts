/** @module Picks the dialect from the database URL and applies migrations. */
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { alwaysUp, type DependencyProbe } from '../health/dependency.js'
import { DependencyStartupError } from '../health/startup-error.js'
import type { Logger } from '../shared/logger.js'
import { migrate } from './migrate.js'
import type { PostgresConfig } from './postgres/postgres-config.js'
import { type OpenedPostgresDatabase, openPostgresDatabase } from './postgres/postgres-database.js'
import {
  type OpenedDatabase,
  type OpenedSqliteDatabase,
  openSqliteDatabase,
} from './sqlite/sqlite-database.js'

export type { OpenedDatabase, OpenedPostgresDatabase, OpenedSqliteDatabase }

/** An opened database of either dialect; `dialect` tells which handle (raw SQLite or a pg pool) it has. */
export type OpenedAnyDatabase = OpenedSqliteDatabase | OpenedPostgresDatabase

export interface OpenDatabaseOptions {
  /** Pool size and timeouts for PostgreSQL (`config.postgres`). */
  readonly postgres?: Partial<PostgresConfig>
  /** Receives connection errors and outages. */
  readonly logger?: Logger
  /**
   * Called with the SQL of every statement run through Kysely (tests count queries per flow with
   * it; unset in production, where Kysely's logging would cost a timer per query).
   */
  readonly onQuery?: (sqlText: string) => void
}

export function resolveDatabaseUrl(databaseUrl: string | undefined, dataDir: string): string {
  return databaseUrl ?? `sqlite:${join(dataDir, 'verigate.db')}`
}

export function openDatabase(url: string, opts: OpenDatabaseOptions = {}): OpenedAnyDatabase {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return openPostgresDatabase({ url, settings: opts.postgres, logger: opts.logger, onQuery: opts.onQuery })
  if (url.startsWith('sqlite:'))
    return openSqliteDatabase({ path: url.slice('sqlite:'.length) || ':memory:', onQuery: opts.onQuery })
  throw new Error(
    `Unsupported database URL "${url.replace(/\/\/[^@]*@/, '//***@')}": use sqlite:<path> or postgres://...`,
  )
}

/**
 * Opens the database and applies pending migrations.
 * @throws DependencyStartupError naming DATABASE_URL when PostgreSQL cannot be reached or refuses
 *   the connection (wrong host, password or database name)
 */
export async function openAndMigrate(
  url: string,
  opts: OpenDatabaseOptions = {},
): Promise<OpenedAnyDatabase & { readonly applied: string[] }> {
  const opened = openDatabase(url, opts)
  try {
    await sql`select 1`.execute(opened.db)
  } catch (err) {
    await opened.close().catch(() => {})
    if (opened.dialect === 'postgres')
      throw new DependencyStartupError('PostgreSQL', url, 'DATABASE_URL (databaseUrl)', err)
    throw err
  }
  const applied = await migrate(opened.db as unknown as Kysely<unknown>, opened.caps)
  return { ...opened, applied }
}

/** The database as a dependency of `/readyz`: PostgreSQL's availability, or SQLite in the process. */
export function databaseProbe(opened: OpenedAnyDatabase): DependencyProbe {
  return opened.dialect === 'postgres' ? opened.availability : alwaysUp('sqlite')
}
