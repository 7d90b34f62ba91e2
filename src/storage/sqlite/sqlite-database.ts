/**
 * @module Opens the embedded SQLite database: WAL, `synchronous=NORMAL`, a busy timeout, a
 * prepared-statement cache (better-sqlite3 statements are reusable, so caching them by SQL text
 * removes the parse cost from the hot path), group commit, and WAL checkpoints off the main thread.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, type LogEvent } from 'kysely'
import type { StorageCapabilities } from '../capabilities.js'
import { kyselyRunner, registerDirectRunner } from '../prepared-query.js'
import type { Database } from '../schema.js'
import { openFileSyncHandle } from './file-sync-handle.js'
import { type SqliteCheckpointer, startSqliteCheckpointer } from './sqlite-checkpointer.js'
import { SqliteGroupCommitDialect } from './sqlite-group-commit-dialect.js'
import { SqliteReadWorkerDialect } from './sqlite-read-worker.js'

export interface SqliteDatabaseConfig {
  /** File path, or `:memory:`. */
  readonly path: string
  /**
   * How long after opening a file the WAL checkpoint worker starts. Until it is up, SQLite's own
   * automatic checkpoints stay on, so short-lived openers (CLI commands, tests) never pay for a
   * thread they would not use.
   * @default 1000
   */
  readonly checkpointWorkerDelayMs?: number
  /** Called with the SQL of every statement run through Kysely (see `OpenDatabaseOptions`). */
  readonly onQuery?: ((sqlText: string) => void) | undefined
}

/** What every opened database offers, whatever its dialect. */
export interface OpenedDatabase {
  readonly db: Kysely<Database>
  readonly caps: StorageCapabilities
  close(): Promise<void>
}

/** An opened SQLite database, with the raw handle (the SQLite rate-limit store shares it). */
export interface OpenedSqliteDatabase extends OpenedDatabase {
  readonly dialect: 'sqlite'
  readonly raw: BetterSqlite3.Database
  /**
   * For long reads only (analytics): a file database answers them from a worker thread with its
   * own read-only connection, so a scan of an hour of verifications does not hold the event loop
   * (see `SqliteReadWorkerDialect`); an in-memory one from `db`.
   */
  readonly longReads: Kysely<Database>
}

export const sqliteCapabilities: StorageCapabilities = {
  dialect: 'sqlite',
  supportsSkipLocked: false,
  sqlTypes: { timestamp: 'integer', serialId: 'integer', real: 'real' },
}

// SQLite's own default, restored if the checkpoint worker dies.
const DEFAULT_WAL_AUTOCHECKPOINT = 1000
// The checkpointer restarts the log at 16384 frames (~66 MiB with 4 KiB pages); a WAL that grew
// past twice that (a reader of another process held it) is cut back when the log restarts. Below
// it, nothing is truncated: an ftruncate in the writer's thread took ~100 ms on a small VM.
const JOURNAL_SIZE_LIMIT_BYTES = 128 * 1024 * 1024

function createStatementCache(raw: BetterSqlite3.Database): (sqlText: string) => BetterSqlite3.Statement {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return (sqlText) => {
    let stmt = cache.get(sqlText)
    if (!stmt) {
      stmt = raw.prepare(sqlText)
      // Bounded: dynamic SQL (IN lists of varying length) must not grow the cache forever.
      if (cache.size > 500) cache.clear()
      cache.set(sqlText, stmt)
    }
    return stmt
  }
}

/** Kysely's `log` option reporting each executed statement's SQL, when asked for. */
export function queryLog(onQuery: ((sqlText: string) => void) | undefined) {
  if (!onQuery) return {}
  return {
    log: (event: LogEvent) => {
      if (event.level === 'query') onQuery(event.query.sql)
    },
  }
}

/**
 * A file database in WAL mode gets a checkpoint worker, and `wal_autocheckpoint = 0` once the worker is up: an
 * automatic checkpoint runs inside the COMMIT that crosses the threshold, which was half the cost
 * of all commits. If the worker dies, automatic checkpoints come back. When the worker restarts
 * the log it holds the connection (as a Kysely connection lease) so no write is in flight; requests
 * wait for that asynchronously instead of blocking the thread in SQLite's busy handler.
 */
function startCheckpoints(
  raw: BetterSqlite3.Database,
  db: Kysely<Database>,
  path: string,
  delayMs: number,
  syncFd: number | undefined,
): SqliteCheckpointer {
  let checkpointer: SqliteCheckpointer | undefined
  const setAutocheckpoint = (pages: number) => {
    if (raw.open) raw.pragma(`wal_autocheckpoint = ${pages}`)
  }
  const timer = setTimeout(() => {
    checkpointer = startSqliteCheckpointer({
      path,
      syncFd,
      pauseWrites: (during) => pauseWrites(db, during),
      onReady: () => setAutocheckpoint(0),
      onFailure: () => setAutocheckpoint(DEFAULT_WAL_AUTOCHECKPOINT),
    })
  }, delayMs)
  timer.unref()
  return {
    async stop() {
      clearTimeout(timer)
      await checkpointer?.stop()
    },
  }
}

/**
 * Runs `during` while this connection writes nothing and holds no write transaction, and resolves
 * when it has (the checkpointer's RESTART runs in it). Holding the connection stops new writes,
 * but the batch already open still holds SQLite's write lock until its COMMIT at the end of this
 * turn; a RESTART sent before then found the database busy and slept in SQLite's busy handler (1,
 * 2, 5, 10 ms...), which is how long the pause lasted (16 ms median under load). One setImmediate
 * lets that COMMIT run first.
 */
export function pauseWrites(db: Kysely<Database>, during: () => Promise<void>): Promise<void> {
  return db.connection().execute(async () => {
    await new Promise<void>((resolve) => setImmediate(resolve))
    await during()
  })
}

/**
 * Opens (creating if needed) the database at `config.path`. Writes go through group commit (see
 * `SqliteGroupCommitDriver`): a write or transaction resolves once its batch is committed.
 * `close()` stops the checkpoint worker, commits what is pending and closes the connection.
 */
export function openSqliteDatabase(config: SqliteDatabaseConfig): OpenedSqliteDatabase {
  if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true })
  const raw = new BetterSqlite3(config.path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('foreign_keys = ON')
  raw.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`)
  // Temporary b-trees (ORDER BY without an index, IN lists) stay in memory. With the default,
  // each one allocated and trimmed heap (two brk calls): the outbox claim went from ~60 to ~10 µs.
  raw.pragma('temp_store = MEMORY')
  const dialect = new SqliteGroupCommitDialect({ database: raw, prepare: createStatementCache(raw) })
  const db = new Kysely<Database>({ dialect, ...queryLog(config.onQuery) })
  // The stores' precompiled hot queries run on the driver itself (see `directRunner`).
  registerDirectRunner(db, dialect.driver.directRunner(kyselyRunner(db), config.onQuery))
  const fileBacked =
    config.path !== ':memory:' && config.path !== '' && raw.pragma('journal_mode', { simple: true }) === 'wal'
  const syncHandle = fileBacked ? openFileSyncHandle(config.path) : undefined
  const checkpointer = fileBacked
    ? startCheckpoints(raw, db, config.path, config.checkpointWorkerDelayMs ?? 1000, syncHandle?.fd)
    : undefined
  const longReads = fileBacked
    ? new Kysely<Database>({
        dialect: new SqliteReadWorkerDialect({ path: config.path, fallback: (q) => db.executeQuery(q) }),
      })
    : db
  return {
    dialect: 'sqlite',
    db,
    raw,
    longReads,
    caps: sqliteCapabilities,
    async close() {
      // The workers go first, so the main connection is the last one and its close checkpoints
      // and removes the WAL; destroy() commits the pending batch before closing.
      if (longReads !== db) await longReads.destroy()
      await checkpointer?.stop()
      await db.destroy()
      // Only now: closing a descriptor of the file drops the process's locks on it (see the module).
      syncHandle?.release()
    },
  }
}
