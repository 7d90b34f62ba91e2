/** @module `SqliteRateLimiter`: counters in a table of the embedded SQLite database (better-sqlite3). */
import type BetterSqlite3 from 'better-sqlite3'
import { type RateLimiterAbstract, RateLimiterSQLite } from 'rate-limiter-flexible'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

export interface SqliteRateLimiterConfig {
  /** Namespace of all keys; the rule name is appended. @default 'vg:rl' */
  readonly keyPrefix?: string
  /** Table holding every rule's counters, created if missing. @default 'rate_limits' */
  readonly tableName?: string
  /**
   * How often rows whose window ended over an hour ago are deleted; 0 turns the sweep off. The
   * timer is unref'd and stopped by `close()`.
   * @default 300_000
   */
  readonly clearExpiredIntervalMs?: number
}

// Not in rate-limiter-flexible's typings, but public (no underscore).
interface ExpiredRowCleaner {
  clearExpired(expireBefore: number): Promise<void>
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const SWEEP_GRACE_MS = 3_600_000

/**
 * Counters in one SQLite table (rate-limiter-flexible's `RateLimiterSQLite` in better-sqlite3
 * mode). better-sqlite3 runs each upsert synchronously in a transaction, so consumes are exact
 * within a process, and across processes sharing the file through SQLite's write lock. Unlike the
 * memory limiter, counters survive a restart. Build it with {@link createSqliteRateLimiter}.
 */
export class SqliteRateLimiter extends FlexibleRateLimiter {
  readonly #db: BetterSqlite3.Database
  readonly #tableName: string
  readonly #sweepTimer: NodeJS.Timeout | undefined

  /** @param cleaner an instance on the same table, used for the expired-row sweep */
  constructor(db: BetterSqlite3.Database, config: SqliteRateLimiterConfig, cleaner: RateLimiterAbstract) {
    super(config.keyPrefix)
    this.#db = db
    this.#tableName = config.tableName ?? 'rate_limits'
    const intervalMs = config.clearExpiredIntervalMs ?? 300_000
    if (intervalMs > 0) {
      const sweeper = cleaner as unknown as ExpiredRowCleaner
      this.#sweepTimer = setInterval(() => {
        // Not worth failing over: a missed sweep only leaves dead rows until the next one.
        sweeper.clearExpired(Date.now() - SWEEP_GRACE_MS).catch(() => {})
      }, intervalMs)
      this.#sweepTimer.unref()
    }
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    return new RateLimiterSQLite({
      storeClient: this.#db,
      storeType: 'better-sqlite3',
      tableName: this.#tableName,
      // The factory created the table, so no rule's first consume can find it missing.
      tableCreated: true,
      // One sweep per table is enough, and rate-limiter-flexible's own timer cannot be stopped.
      clearExpiredByTimeout: false,
      keyPrefix,
      points: rule.points,
      duration: rule.durationSeconds,
    })
  }

  protected override closeStore(): Promise<void> {
    clearInterval(this.#sweepTimer)
    // The database handle belongs to the caller (it is usually the application's database).
    return Promise.resolve()
  }
}

/**
 * Creates the counters table if missing and returns a {@link SqliteRateLimiter}. The database stays
 * the caller's to close.
 * @throws the better-sqlite3 error when the table cannot be created (read-only file, closed handle)
 */
export async function createSqliteRateLimiter(
  db: BetterSqlite3.Database,
  config: SqliteRateLimiterConfig = {},
): Promise<SqliteRateLimiter> {
  const tableName = config.tableName ?? 'rate_limits'
  // rate-limiter-flexible splices the name into SQL unquoted.
  if (!IDENTIFIER.test(tableName)) throw new RangeError(`Invalid rate limit table name "${tableName}"`)
  const cleaner = await new Promise<RateLimiterAbstract>((resolve, reject) => {
    const limiter: RateLimiterAbstract = new RateLimiterSQLite(
      {
        storeClient: db,
        storeType: 'better-sqlite3',
        tableName,
        clearExpiredByTimeout: false,
        points: 1,
        duration: 1,
      },
      (err) => (err ? reject(err) : resolve(limiter)),
    )
  })
  return new SqliteRateLimiter(db, { ...config, tableName }, cleaner)
}
