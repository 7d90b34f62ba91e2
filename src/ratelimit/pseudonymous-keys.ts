/**
 * @module A `RateLimiter` that keys its counters by an HMAC of the key instead of the key: limits
 * are counted per number, per number range and per client IP, and the store (a database table,
 * Redis) would otherwise hold those in clear until the window ends (docs/privacy.md). Equal keys
 * still meet the same counter; after a key rotation counters start afresh, which only ever lets a
 * window's allowance start again.
 */
import type { LimitDecision, LimitRule, RateLimiter } from './rate-limiter.js'

/** The wrapper, which still shows the store it counts in (readiness probes, memory tests). */
export interface PseudonymousKeysLimiter extends RateLimiter {
  readonly store: RateLimiter
}

export function pseudonymousKeys(inner: RateLimiter, hash: (key: string) => string): PseudonymousKeysLimiter {
  return {
    store: inner,
    consume: (rule: LimitRule, key: string, cost?: number): Promise<LimitDecision> =>
      inner.consume(rule, hash(key), cost),
    peek: (rule: LimitRule, key: string) => inner.peek(rule, hash(key)),
    refund: (rule: LimitRule, key: string, points?: number) => inner.refund(rule, hash(key), points),
    reset: (rule: LimitRule, key: string) => inner.reset(rule, hash(key)),
    close: () => inner.close(),
  }
}
