/** @module `NoopRateLimiter`: allows everything, for tests and deployments that limit at the edge. */
import type { LimitDecision, LimitRule, RateLimiter } from './rate-limiter.js'

/**
 * Allows every call and stores nothing (unkey's `NoopRateLimiter`). `remaining` reports the full
 * rule, so callers that surface it (rate limit headers) still show something sensible.
 */
export class NoopRateLimiter implements RateLimiter {
  consume(rule: LimitRule, _key: string, _cost?: number): Promise<LimitDecision> {
    return Promise.resolve({ allowed: true, remaining: rule.points, retryAfterMs: 0, resetAt: Date.now() })
  }

  peek(rule: LimitRule, key: string): Promise<LimitDecision> {
    return this.consume(rule, key)
  }

  refund(_rule: LimitRule, _key: string, _points?: number): Promise<void> {
    return Promise.resolve()
  }

  reset(_rule: LimitRule, _key: string): Promise<void> {
    return Promise.resolve()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}

/** Creates a {@link NoopRateLimiter}. */
export function createNoopRateLimiter(): NoopRateLimiter {
  return new NoopRateLimiter()
}
