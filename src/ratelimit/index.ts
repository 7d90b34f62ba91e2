/** @module `createRateLimiter`: picks and builds the rate limiter store once, at boot. */
import type BetterSqlite3 from 'better-sqlite3'
import { alwaysUp, type DependencyProbe } from '../health/dependency.js'
import { DependencyStartupError } from '../health/startup-error.js'
import { connectRedis, createRedisClient, type RedisClientSettings } from '../shared/redis-client.js'
import { createMemoryRateLimiter, type MemoryRateLimiterConfig } from './memory-rate-limiter.js'
import { createNoopRateLimiter, NoopRateLimiter } from './noop-rate-limiter.js'
import {
  createPostgresRateLimiter,
  type PostgresQueryable,
  PostgresRateLimiter,
  type PostgresRateLimiterConfig,
} from './postgres-rate-limiter.js'
import type { RateLimiter } from './rate-limiter.js'
import {
  createRedisRateLimiter,
  RedisRateLimiter,
  type RedisRateLimiterConfig,
} from './redis-rate-limiter.js'
import {
  createSqliteRateLimiter,
  SqliteRateLimiter,
  type SqliteRateLimiterConfig,
} from './sqlite-rate-limiter.js'

export {
  createMemoryRateLimiter,
  MemoryRateLimiter,
  type MemoryRateLimiterConfig,
} from './memory-rate-limiter.js'
export { createNoopRateLimiter, NoopRateLimiter } from './noop-rate-limiter.js'
export {
  createPostgresRateLimiter,
  type PostgresQueryable,
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
      /** Timeouts of the connection (`config.redis`). */
      readonly client?: RedisClientSettings
      /**
       * Receives connection errors, which ioredis emits on every failed reconnect (the same outage
       * also makes `consume` reject, or fall back to memory with `insurance`). Unset: dropped.
       */
      readonly onError?: (err: Error) => void
    } & Omit<RedisRateLimiterConfig, 'closeClient'>)
  /** Uses the caller's pool (usually the application's database); `close()` leaves it open. */
  | ({ readonly kind: 'postgres'; readonly pool: PostgresQueryable } & PostgresRateLimiterConfig)
  /** Uses the caller's database handle; `close()` leaves it open. */
  | ({ readonly kind: 'sqlite'; readonly db: BetterSqlite3.Database } & SqliteRateLimiterConfig)
  | { readonly kind: 'noop' }

/**
 * Builds the configured limiter, connecting and creating tables first, so a bad URL or missing
 * permission fails at startup rather than on the first request.
 * @throws DependencyStartupError naming REDIS_URL when Redis cannot be reached
 * @throws the store's error when it cannot be prepared
 */
export async function createRateLimiter(config: RateLimiterConfig): Promise<RateLimiter> {
  switch (config.kind) {
    case 'memory':
      return createMemoryRateLimiter(config)
    case 'redis': {
      const { kind: _kind, url, onError, client: settings, ...rest } = config
      const client = createRedisClient(url, settings)
      try {
        await connectRedis(client)
      } catch (err) {
        throw new DependencyStartupError('Redis', url, 'REDIS_URL (redisUrl)', err)
      }
      // Without a listener, ioredis prints every failed reconnect; the limiter logs the outage once.
      client.on('error', onError ?? (() => {}))
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

/**
 * The rate limit store as a dependency: Redis reports itself (degraded while counting in memory);
 * a PostgreSQL or SQLite store is the database; memory and noop are always up.
 */
export function rateLimitStoreProbe(limiter: RateLimiter, database: DependencyProbe): DependencyProbe {
  if (limiter instanceof RedisRateLimiter) return limiter
  if (limiter instanceof PostgresRateLimiter || limiter instanceof SqliteRateLimiter) return database
  return alwaysUp(limiter instanceof NoopRateLimiter ? 'none' : 'memory')
}
