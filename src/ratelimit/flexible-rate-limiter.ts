/**
 * @module `FlexibleRateLimiter`: the shared base that maps rate-limiter-flexible's promise style to
 * `LimitDecision`. Each store (memory, Redis, PostgreSQL, SQLite) only says how to build one
 * rate-limiter-flexible instance per rule.
 */
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible'
import type { LimitDecision, LimitRule, RateLimiter } from './rate-limiter.js'

/** Prefix of every key, before the rule name: `vg:rl:<rule.name>:<key>`. */
export const DEFAULT_KEY_PREFIX = 'vg:rl'

interface Slot {
  readonly limiter: RateLimiterAbstract
  readonly points: number
  readonly durationSeconds: number
}

/**
 * Base of the store-backed limiters. Keeps one rate-limiter-flexible instance per rule name, created
 * on first use, because rate-limiter-flexible fixes `points` and `duration` per instance.
 */
export abstract class FlexibleRateLimiter implements RateLimiter {
  readonly #slots = new Map<string, Slot>()
  readonly #keyPrefix: string
  #closed = false

  /** @param keyPrefix namespace of all keys; the rule name is appended. @default 'vg:rl' */
  protected constructor(keyPrefix: string = DEFAULT_KEY_PREFIX) {
    this.#keyPrefix = keyPrefix
  }

  /**
   * Builds the rate-limiter-flexible instance for `rule`, with `keyPrefix` already including the
   * rule name. Called once per rule name; `rule` has been validated.
   */
  protected abstract createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract

  /** Releases store resources; called once, by the first `close()`. */
  protected closeStore(): Promise<void> {
    return Promise.resolve()
  }

  // Not `async`: on the hot path this returns rate-limiter-flexible's promise chained once, rather
  // than wrapping it in another promise.
  consume(rule: LimitRule, key: string, cost = 1): Promise<LimitDecision> {
    if (!Number.isSafeInteger(cost) || cost < 1) {
      return Promise.reject(new RangeError(`Rate limit cost must be a positive integer, got ${cost}`))
    }
    const slot = this.#slots.get(rule.name)
    let limiter: RateLimiterAbstract
    if (slot !== undefined && slot.points === rule.points && slot.durationSeconds === rule.durationSeconds) {
      limiter = slot.limiter
    } else {
      try {
        limiter = this.#addSlot(rule, slot)
      } catch (err) {
        return Promise.reject(err)
      }
    }
    return limiter.consume(key, cost).then(allowedDecision, refusedDecision)
  }

  async peek(rule: LimitRule, key: string): Promise<LimitDecision> {
    const res = await this.#limiterFor(rule).get(key)
    const now = Date.now()
    // rate-limiter-flexible's memory store can return a record whose window has just ended but
    // whose cleanup timer has not fired yet; every rule has a duration, so <= 0 means "expired".
    if (res === null || res.msBeforeNext <= 0) {
      return { allowed: true, remaining: rule.points, retryAfterMs: 0, resetAt: now }
    }
    const allowed = res.consumedPoints < rule.points
    return {
      allowed,
      remaining: Math.max(rule.points - res.consumedPoints, 0),
      retryAfterMs: allowed ? 0 : res.msBeforeNext,
      resetAt: now + res.msBeforeNext,
    }
  }

  async refund(rule: LimitRule, key: string, points = 1): Promise<void> {
    if (!Number.isSafeInteger(points) || points < 1) {
      throw new RangeError(`Rate limit refund must be a positive integer, got ${points}`)
    }
    const limiter = this.#limiterFor(rule)
    const res = await limiter.get(key)
    // Only what was consumed in the open window comes back: never below zero, never into a new window.
    if (res === null || res.msBeforeNext <= 0 || res.consumedPoints <= 0) return
    await limiter.reward(key, Math.min(points, res.consumedPoints))
  }

  async reset(rule: LimitRule, key: string): Promise<void> {
    await this.#limiterFor(rule).delete(key)
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#slots.clear()
    await this.closeStore()
  }

  #limiterFor(rule: LimitRule): RateLimiterAbstract {
    const slot = this.#slots.get(rule.name)
    if (slot !== undefined && slot.points === rule.points && slot.durationSeconds === rule.durationSeconds) {
      return slot.limiter
    }
    return this.#addSlot(rule, slot)
  }

  /** The slow path: first use of a rule, a conflicting rule, or use after close. */
  #addSlot(rule: LimitRule, existing: Slot | undefined): RateLimiterAbstract {
    if (this.#closed) throw new Error('RateLimiter is closed')
    if (existing !== undefined) {
      throw new Error(
        `Rate limit rule "${rule.name}" is already in use with ${existing.points} points per ` +
          `${existing.durationSeconds}s, not ${rule.points} per ${rule.durationSeconds}s; give each rule its own name`,
      )
    }
    validateRule(rule)
    const limiter = this.createLimiter(rule, `${this.#keyPrefix}:${rule.name}`)
    this.#slots.set(rule.name, { limiter, points: rule.points, durationSeconds: rule.durationSeconds })
    return limiter
  }
}

function validateRule(rule: LimitRule): void {
  if (typeof rule.name !== 'string' || rule.name.length === 0) {
    throw new RangeError('Rate limit rule name must be a non-empty string')
  }
  if (!Number.isSafeInteger(rule.points) || rule.points < 1) {
    throw new RangeError(
      `Rate limit rule "${rule.name}": points must be a positive integer, got ${rule.points}`,
    )
  }
  // Whole seconds: the Redis store floors the window to seconds, and 0 would mean "never expires".
  if (!Number.isSafeInteger(rule.durationSeconds) || rule.durationSeconds < 1) {
    throw new RangeError(
      `Rate limit rule "${rule.name}": durationSeconds must be a positive integer, got ${rule.durationSeconds}`,
    )
  }
}

// Module-level callbacks so a consume allocates no closures, only the decision object.
function allowedDecision(res: RateLimiterRes): LimitDecision {
  const ms = res.msBeforeNext
  return {
    allowed: true,
    remaining: res.remainingPoints,
    retryAfterMs: 0,
    resetAt: Date.now() + Math.max(ms, 0),
  }
}

// rate-limiter-flexible rejects with a RateLimiterRes for a refusal and with an Error when the store
// fails; only the first is a decision.
function refusedDecision(reason: unknown): LimitDecision {
  if (!(reason instanceof RateLimiterRes)) throw reason
  // A window ending this very millisecond reports 0; the contract promises retryAfterMs > 0.
  const ms = Math.max(reason.msBeforeNext, 1)
  return { allowed: false, remaining: 0, retryAfterMs: ms, resetAt: Date.now() + ms }
}
