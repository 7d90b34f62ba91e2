/** @module `RedisRateLimiter`: counters shared by every process, in Redis, through an ioredis client. */
import type { Redis } from 'ioredis'
import { type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

export interface RedisRateLimiterConfig {
  /** Namespace of all keys; the rule name is appended. @default 'vg:rl' */
  readonly keyPrefix?: string
  /**
   * Quit the client in `close()`. Leave false when the client is shared with other code.
   * @default false
   */
  readonly closeClient?: boolean
  /**
   * Reject at once while the client is not connected, instead of letting ioredis queue the command
   * until it reconnects: a request waiting on its rate limit check is worse than a fast error the
   * caller can act on. Needs a client that is already connected.
   * @default true
   */
  readonly rejectIfNotReady?: boolean
}

/**
 * Counters in Redis (rate-limiter-flexible's `RateLimiterRedis`): one Lua script per consume, so
 * concurrent consumes from any number of processes are counted exactly, and Redis expires the keys.
 */
export class RedisRateLimiter extends FlexibleRateLimiter {
  readonly #client: Redis
  readonly #closeClient: boolean
  readonly #rejectIfNotReady: boolean

  constructor(client: Redis, config: RedisRateLimiterConfig = {}) {
    super(config.keyPrefix)
    this.#client = client
    this.#closeClient = config.closeClient ?? false
    this.#rejectIfNotReady = config.rejectIfNotReady ?? true
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.#client,
      // false selects the ioredis command style (node-redis v4+ would need true).
      useRedisPackage: false,
      rejectIfRedisNotReady: this.#rejectIfNotReady,
      keyPrefix,
      points: rule.points,
      duration: rule.durationSeconds,
    })
  }

  protected override async closeStore(): Promise<void> {
    if (this.#closeClient && this.#client.status !== 'end') await this.#client.quit()
  }
}

/**
 * Creates a {@link RedisRateLimiter} over a connected ioredis client. The caller keeps ownership of
 * the client unless `closeClient` is set.
 */
export function createRedisRateLimiter(client: Redis, config: RedisRateLimiterConfig = {}): RedisRateLimiter {
  return new RedisRateLimiter(client, config)
}
