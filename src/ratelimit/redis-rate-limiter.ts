/** @module `RedisRateLimiter`: counters shared by every process, in Redis, through an ioredis client. */
import type { Redis } from 'ioredis'
import { type RateLimiterAbstract, type RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'
import type { DependencyProbe, DependencyStatus } from '../health/dependency.js'
import type { Logger } from '../shared/logger.js'
import { closeRedis } from '../shared/redis-client.js'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import { BoundedRateLimiterMemory, DEFAULT_MAX_KEYS_PER_RULE } from './memory-rate-limiter.js'
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
  /**
   * While Redis fails, count in this process's memory instead (rate-limiter-flexible's insurance
   * limiter), so requests keep being limited and served. The limits then hold per instance: with N
   * instances a client may get up to N times a limit until Redis is back, and counts made meanwhile
   * are not carried over to Redis. Off: a Redis failure rejects `consume`.
   * @default false
   */
  readonly insurance?: boolean
  /** With `insurance`: while Redis is failing, how often a PING asks it again. @default 1000 */
  readonly probeIntervalMs?: number
  /** With `insurance`: receives the switches to memory and back. */
  readonly logger?: Logger
}

/**
 * Counters in Redis (rate-limiter-flexible's `RateLimiterRedis`): one Lua script per consume, so
 * concurrent consumes from any number of processes are counted exactly, and Redis expires the keys.
 *
 * With `insurance`, it is also the rate limit store's {@link DependencyProbe}: `degraded` while
 * limits are counted in memory.
 */
const CLIENT_STATE_EVENTS = ['ready', 'close', 'end', 'reconnecting'] as const

export class RedisRateLimiter extends FlexibleRateLimiter implements DependencyProbe {
  readonly backend = 'redis'
  readonly #client: Redis
  /** What rate-limiter-flexible talks to: the client, reporting "not ready" while suspect. */
  readonly #storeClient: Redis
  readonly #closeClient: boolean
  readonly #rejectIfNotReady: boolean
  readonly #insurance: boolean
  readonly #probeIntervalMs: number
  readonly #logger: Logger | undefined
  // A command failed while the connection looked ready (a frozen server answers nothing but keeps
  // the socket open): every check goes straight to memory until a PING is answered.
  #suspect = false
  #probeTimer: NodeJS.Timeout | undefined
  #lastState: DependencyStatus['state'] = 'up'
  #closed = false
  readonly #onClientState = (): void => this.#noteState()

  constructor(client: Redis, config: RedisRateLimiterConfig = {}) {
    super(config.keyPrefix)
    this.#client = client
    this.#closeClient = config.closeClient ?? false
    this.#rejectIfNotReady = config.rejectIfNotReady ?? true
    this.#insurance = config.insurance ?? false
    this.#probeIntervalMs = config.probeIntervalMs ?? 1_000
    this.#logger = config.logger
    this.#storeClient = this.#insurance ? withSuspectStatus(client, () => this.#suspect) : client
    if (this.#insurance) {
      for (const event of CLIENT_STATE_EVENTS) client.on(event, this.#onClientState)
    }
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    const insuranceLimiter = this.#insurance
      ? new InsuranceLimiter({ keyPrefix, points: rule.points, duration: rule.durationSeconds }, () =>
          this.#onFallback(),
        )
      : undefined
    return new RateLimiterRedis({
      storeClient: this.#storeClient,
      // false selects the ioredis command style (node-redis v4+ would need true).
      useRedisPackage: false,
      // With insurance, "not ready" also means "go to memory at once".
      rejectIfRedisNotReady: this.#rejectIfNotReady || this.#insurance,
      insuranceLimiter,
      keyPrefix,
      points: rule.points,
      duration: rule.durationSeconds,
    })
  }

  protected override async closeStore(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#probeTimer)
    // A client shared with others outlives this limiter: it must not keep calling a closed one.
    for (const event of CLIENT_STATE_EVENTS) this.#client.off(event, this.#onClientState)
    if (this.#closeClient) await closeRedis(this.#client)
  }

  current(): DependencyStatus {
    if (this.#client.status === 'ready' && !this.#suspect) return { state: 'up' }
    const why = this.#suspect ? 'not answering' : `connection ${this.#client.status}`
    return {
      state: this.#insurance ? 'degraded' : 'down',
      detail: this.#insurance
        ? `Redis ${why}; rate limits are counted per instance in memory until it answers again`
        : `Redis ${why}; limit checks fail`,
    }
  }

  async check(): Promise<DependencyStatus> {
    if (this.#client.status === 'ready') {
      try {
        await this.#client.ping()
      } catch {
        this.#onFallback()
      }
    }
    return this.current()
  }

  // Called by the insurance limiter each time Redis failed a command.
  #onFallback(): void {
    if (this.#suspect || this.#closed || this.#client.status !== 'ready') return
    this.#suspect = true
    this.#noteState()
    this.#scheduleProbe()
  }

  #scheduleProbe(): void {
    if (this.#closed) return
    this.#probeTimer = setTimeout(() => {
      this.#client.ping().then(
        () => {
          this.#suspect = false
          this.#noteState()
        },
        () => this.#scheduleProbe(),
      )
    }, this.#probeIntervalMs)
    this.#probeTimer.unref()
  }

  // Logs each switch between Redis and memory once, not every failed command or reconnect.
  #noteState(): void {
    const state = this.current().state
    if (state === this.#lastState || this.#closed) return
    this.#lastState = state
    if (state === 'up')
      this.#logger?.warn({ dependency: 'redis' }, 'Redis answers again; rate limits are shared again')
    else
      this.#logger?.error(
        { dependency: 'redis', status: this.#client.status },
        'Redis is unreachable; rate limits are counted per instance in memory (insurance limiter) until it answers',
      )
  }
}

/**
 * The memory limiter rate-limiter-flexible falls back to when Redis fails; it tells its owner
 * each time, so a frozen Redis is noticed on the first failed command rather than on every one.
 * Its counters are the memory store's (bounded, no timer per key): an outage under load must not
 * grow the process without bound.
 */
class InsuranceLimiter extends BoundedRateLimiterMemory {
  constructor(
    opts: { keyPrefix: string; points: number; duration: number },
    private readonly onUse: () => void,
  ) {
    super(opts, DEFAULT_MAX_KEYS_PER_RULE)
  }

  override consume(...args: Parameters<RateLimiterMemory['consume']>) {
    this.onUse()
    return super.consume(...args)
  }

  override get(...args: Parameters<RateLimiterMemory['get']>) {
    this.onUse()
    return super.get(...args)
  }

  override delete(...args: Parameters<RateLimiterMemory['delete']>) {
    this.onUse()
    return super.delete(...args)
  }
}

/**
 * The client as rate-limiter-flexible sees it: the same connection, but its `status` reads "not
 * ready" while `suspect()` holds, which makes rate-limiter-flexible use the insurance limiter at
 * once (`rejectIfRedisNotReady`) instead of waiting out a command timeout per check.
 */
function withSuspectStatus(client: Redis, suspect: () => boolean): Redis {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'status' && suspect()) return 'suspect'
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * Creates a {@link RedisRateLimiter} over a connected ioredis client. The caller keeps ownership of
 * the client unless `closeClient` is set.
 */
export function createRedisRateLimiter(client: Redis, config: RedisRateLimiterConfig = {}): RedisRateLimiter {
  return new RedisRateLimiter(client, config)
}
