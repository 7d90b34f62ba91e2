/**
 * @module Opens the embedded SQLite database: WAL, `synchronous=NORMAL`, a busy timeout, and a
 * prepared-statement cache (Kysely's driver prepares every query; better-sqlite3 statements are
 * reusable, so caching them by SQL text removes the parse cost from the hot path).
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'
import type { Database } from '../schema.js'

export interface SqliteDatabaseConfig {
  /** File path, or `:memory:`. */
  readonly path: string
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>
  readonly caps: StorageCapabilities
  close(): Promise<void>
}

export const sqliteCapabilities: StorageCapabilities = { dialect: 'sqlite', supportsSkipLocked: false }

function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText)
      if (!stmt) {
        stmt = raw.prepare(sqlText)
        // Bounded: dynamic SQL (IN lists of varying length) must not grow the cache forever.
        if (cache.size > 500) cache.clear()
        cache.set(sqlText, stmt)
      }
      return stmt as unknown as ReturnType<SqliteDatabase['prepare']>
    },
  }
}

export function openSqliteDatabase(config: SqliteDatabaseConfig): OpenedDatabase & { raw: BetterSqlite3.Database } {
  if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true })
  const raw = new BetterSqlite3(config.path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('foreign_keys = ON')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) })
  return {
    db,
    raw,
    caps: sqliteCapabilities,
    close: () => db.destroy(),
  }
}
