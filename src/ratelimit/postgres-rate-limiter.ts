/** @module `PostgresRateLimiter`: counters shared by every process, in a PostgreSQL table. */
import { type RateLimiterAbstract, RateLimiterPostgres } from 'rate-limiter-flexible'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

export interface PostgresRateLimiterConfig {
  /** Namespace of all keys; the rule name is appended. @default 'vg:rl' */
  readonly keyPrefix?: string
  /** Table holding every rule's counters, created if missing. @default 'rate_limits' */
  readonly tableName?: string
  /** Schema of the table; the connection's search path when unset. */
  readonly schemaName?: string
  /**
   * How often rows whose window ended over an hour ago are deleted; 0 turns the sweep off (for
   * example when a cron job does it). The timer is unref'd and stopped by `close()`.
   * @default 300_000
   */
  readonly clearExpiredIntervalMs?: number
}

/**
 * What the limiter needs of a pool: pg's `Pool`, or the application's guarded pool (which fails at
 * once with 503 while PostgreSQL is unreachable). rate-limiter-flexible passes named statements.
 */
export interface PostgresQueryable {
  query(query: { text: string; values?: unknown[]; name?: string }): Promise<unknown>
}

// Not in rate-limiter-flexible's typings, but public (no underscore) and never rejects on PostgreSQL.
interface ExpiredRowCleaner {
  clearExpired(expireBefore: number): Promise<void>
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const SWEEP_GRACE_MS = 3_600_000

/**
 * Counters in one PostgreSQL table (rate-limiter-flexible's `RateLimiterPostgres`): each consume is
 * one `INSERT … ON CONFLICT DO UPDATE … RETURNING`, so concurrent consumes are counted exactly.
 * The `key` column is `varchar(255)`: keep `keyPrefix:rule.name:key` under that.
 * Build it with {@link createPostgresRateLimiter}, which creates the table first.
 */
export class PostgresRateLimiter extends FlexibleRateLimiter {
  readonly #pool: PostgresQueryable
  readonly #tableName: string
  readonly #schemaName: string | undefined
  readonly #sweepTimer: NodeJS.Timeout | undefined

  /** @param cleaner an instance on the same table, used for the expired-row sweep */
  constructor(pool: PostgresQueryable, config: PostgresRateLimiterConfig, cleaner: RateLimiterAbstract) {
    super(config.keyPrefix)
    this.#pool = pool
    this.#tableName = config.tableName ?? 'rate_limits'
    this.#schemaName = config.schemaName
    const intervalMs = config.clearExpiredIntervalMs ?? 300_000
    if (intervalMs > 0) {
      const sweeper = cleaner as unknown as ExpiredRowCleaner
      this.#sweepTimer = setInterval(() => void sweeper.clearExpired(Date.now() - SWEEP_GRACE_MS), intervalMs)
      this.#sweepTimer.unref()
    }
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    return new RateLimiterPostgres({
      storeClient: this.#pool,
      storeType: 'pool',
      tableName: this.#tableName,
      schemaName: this.#schemaName,
      // The factory created the table; otherwise every rule would start its own CREATE TABLE and
      // reject consumes until it finished.
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
    // The pool belongs to the caller (it is usually the application's database pool).
    return Promise.resolve()
  }
}

/**
 * Creates the counters table if missing (awaited, so the first consume cannot race it) and returns
 * a {@link PostgresRateLimiter}. The pool stays the caller's to end.
 * @throws the pg error when the table cannot be created (database unreachable, no permission)
 */
export async function createPostgresRateLimiter(
  pool: PostgresQueryable,
  config: PostgresRateLimiterConfig = {},
): Promise<PostgresRateLimiter> {
  const tableName = config.tableName ?? 'rate_limits'
  // rate-limiter-flexible splices these into SQL, quoted but not escaped.
  if (!IDENTIFIER.test(tableName)) throw new RangeError(`Invalid rate limit table name "${tableName}"`)
  if (config.schemaName !== undefined && !IDENTIFIER.test(config.schemaName)) {
    throw new RangeError(`Invalid rate limit schema name "${config.schemaName}"`)
  }
  const cleaner = await new Promise<RateLimiterAbstract>((resolve, reject) => {
    const limiter: RateLimiterAbstract = new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: 'pool',
        tableName,
        schemaName: config.schemaName,
        clearExpiredByTimeout: false,
        points: 1,
        duration: 1,
      },
      (err) => (err ? reject(err) : resolve(limiter)),
    )
  })
  return new PostgresRateLimiter(pool, { ...config, tableName }, cleaner)
}
