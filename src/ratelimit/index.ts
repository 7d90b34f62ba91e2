/** @module `createRateLimiter`: picks and builds the rate limiter store once, at boot. */
import type BetterSqlite3 from 'better-sqlite3'
import { Redis } from 'ioredis'
import type { Pool } from 'pg'
import { createMemoryRateLimiter, type MemoryRateLimiterConfig } from './memory-rate-limiter.js'
import { createNoopRateLimiter } from './noop-rate-limiter.js'
import { createPostgresRateLimiter, type PostgresRateLimiterConfig } from './postgres-rate-limiter.js'
import type { RateLimiter } from './rate-limiter.js'
import { createRedisRateLimiter, type RedisRateLimiterConfig } from './redis-rate-limiter.js'
import { createSqliteRateLimiter, type SqliteRateLimiterConfig } from './sqlite-rate-limiter.js'

export {
  createMemoryRateLimiter,
  MemoryRateLimiter,
  type MemoryRateLimiterConfig,
} from './memory-rate-limiter.js'
export { createNoopRateLimiter, NoopRateLimiter } from './noop-rate-limiter.js'
export {
  createPostgresRateLimiter,
  PostgresRateLimiter,
  type PostgresRateLimiterConfig,
} from './postgres-rate-limiter.js'
export type { LimitDecision, LimitRule, RateLimiter } from './rate-limiter.js'
export {
  createRedisRateLimiter,
  RedisRateLimiter,
  type RedisRateLimiterConfig,
} from './redis-rate-limiter.js'
export {
  createSqliteRateLimiter,
  SqliteRateLimiter,
  type SqliteRateLimiterConfig,
} from './sqlite-rate-limiter.js'

/** Which store holds the counters, with that store's options. */
export type RateLimiterConfig =
  | ({ readonly kind: 'memory' } & MemoryRateLimiterConfig)
  /** The limiter opens its own connection to `url` and quits it in `close()`. */
  | ({
      readonly kind: 'redis'
      readonly url: string
      /**
       * Receives connection errors, which ioredis emits on every failed reconnect (the same outage
       * also makes `consume` reject). Unset: ioredis prints them to the console.
       */
      readonly onError?: (err: Error) => void
    } & Omit<RedisRateLimiterConfig, 'closeClient'>)
  /** Uses the caller's pool (usually the application's database); `close()` leaves it open. */
  | ({ readonly kind: 'postgres'; readonly pool: Pool } & PostgresRateLimiterConfig)
  /** Uses the caller's database handle; `close()` leaves it open. */
  | ({ readonly kind: 'sqlite'; readonly db: BetterSqlite3.Database } & SqliteRateLimiterConfig)
  | { readonly kind: 'noop' }

/**
 * Builds the configured limiter, connecting and creating tables first, so a bad URL or missing
 * permission fails at startup rather than on the first request.
 * @throws the store's error when it cannot be reached or prepared
 */
export async function createRateLimiter(config: RateLimiterConfig): Promise<RateLimiter> {
  switch (config.kind) {
    case 'memory':
      return createMemoryRateLimiter(config)
    case 'redis': {
      const { kind: _kind, url, onError, ...rest } = config
      // One retry per command: a request should not wait through a long reconnect for its limit check.
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
      // A failed connect both rejects and emits 'error'; the rejection is what reports it.
      const reportedByRejection = () => {}
      client.on('error', reportedByRejection)
      try {
        await client.connect()
      } catch (err) {
        client.disconnect()
        throw err
      } finally {
        client.off('error', reportedByRejection)
      }
      if (onError) client.on('error', onError)
      return createRedisRateLimiter(client, { ...rest, closeClient: true })
    }
    case 'postgres':
      return createPostgresRateLimiter(config.pool, config)
    case 'sqlite':
      return createSqliteRateLimiter(config.db, config)
    case 'noop':
      return createNoopRateLimiter()
    default: {
      const unknown: never = config
      throw new Error(`Unknown rate limiter kind "${(unknown as { kind: string }).kind}"`)
    }
  }
}
