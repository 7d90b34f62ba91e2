/** @module `MemoryRateLimiter`: per-process counters, for a single instance and for tests. */
import { type RateLimiterAbstract, RateLimiterMemory } from 'rate-limiter-flexible'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

export interface MemoryRateLimiterConfig {
  /** Namespace of all keys; the rule name is appended. @default 'vg:rl' */
  readonly keyPrefix?: string
}

/**
 * Counters in this process's memory (rate-limiter-flexible's `RateLimiterMemory`). Limits are per
 * process: with N API processes a client gets N times the limit, so use Redis or PostgreSQL there.
 * Expired windows are dropped by unref'd timers, so an idle limiter holds no memory and never keeps
 * the process alive.
 */
export class MemoryRateLimiter extends FlexibleRateLimiter {
  constructor(config: MemoryRateLimiterConfig = {}) {
    super(config.keyPrefix)
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    return new RateLimiterMemory({ keyPrefix, points: rule.points, duration: rule.durationSeconds })
  }
}

/** Creates a {@link MemoryRateLimiter}. */
export function createMemoryRateLimiter(config: MemoryRateLimiterConfig = {}): MemoryRateLimiter {
  return new MemoryRateLimiter(config)
}
