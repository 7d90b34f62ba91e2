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

/**
 * @param memo how many keys' pseudonyms to remember in this process's memory (never in the
 *   store): one flow asks for the same keys several times (the number at the start, at the next
 *   send's countdown, at the check; the service and the global counter at every start), and each
 *   HMAC showed at ~3 % of the server's CPU under load. Forgotten all at once when full.
 */
export function pseudonymousKeys(
  inner: RateLimiter,
  hash: (key: string) => string,
  memo = 8_192,
): PseudonymousKeysLimiter {
  const known = new Map<string, string>()
  const pseudonym = (key: string): string => {
    let value = known.get(key)
    if (value === undefined) {
      value = hash(key)
      if (known.size >= memo) known.clear()
      known.set(key, value)
    }
    return value
  }
  return {
    store: inner,
    consume: (rule: LimitRule, key: string, cost?: number): Promise<LimitDecision> =>
      inner.consume(rule, pseudonym(key), cost),
    peek: (rule: LimitRule, key: string) => inner.peek(rule, pseudonym(key)),
    refund: (rule: LimitRule, key: string, points?: number) => inner.refund(rule, pseudonym(key), points),
    reset: (rule: LimitRule, key: string) => inner.reset(rule, pseudonym(key)),
    close: () => inner.close(),
  }
}
