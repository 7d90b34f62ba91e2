/** @module `MemoryRateLimiter`: per-process counters, for a single instance and for tests. */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { ExpiringCounters } from '../shared/expiring-counters.js'
import { FlexibleRateLimiter } from './flexible-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

export interface MemoryRateLimiterConfig {
  /** Namespace of all keys; the rule name is appended. @default 'vg:rl' */
  readonly keyPrefix?: string
  /**
   * Most counters held per rule. Beyond it the counters closest to the end of their window are
   * forgotten first (a key seen again then starts a fresh window). @default 500_000
   */
  readonly maxKeysPerRule?: number
}

/**
 * Outside the JavaScript heap, 24 bytes a slot: a table grows to twice the slots at half full, so
 * a rule holds at most 4 slots per counter of its peak, 48 MB for 500,000 counters, and gives them
 * back as they expire.
 */
export const DEFAULT_MAX_KEYS_PER_RULE = 500_000

/**
 * The storage rate-limiter-flexible's `RateLimiterMemory` calls (`incrby`, `set`, `get`, `delete`),
 * with the same answers, kept in {@link ExpiringCounters} instead of a Map with a `setTimeout` per key:
 * a counter costs a few typed-array slots rather than a timer and heap objects, and their number
 * is capped.
 */
class ExpiringMemoryStorage {
  readonly counters: ExpiringCounters

  constructor(maxKeys: number) {
    this.counters = new ExpiringCounters(maxKeys)
  }

  incrby(key: string, value: number, durationSec: number): RateLimiterRes {
    const now = Date.now()
    const entry = this.counters.get(key, now)
    if (entry === undefined) return this.set(key, value, durationSec)
    const consumed = entry.value + value
    this.counters.set(key, consumed, entry.expiresAt, now)
    return new RateLimiterRes(
      0,
      Number.isFinite(entry.expiresAt) ? entry.expiresAt - now : -1,
      consumed,
      false,
    )
  }

  set(key: string, value: number, durationSec: number): RateLimiterRes {
    const now = Date.now()
    const durationMs = durationSec * 1000
    this.counters.set(key, value, durationMs > 0 ? now + durationMs : Number.POSITIVE_INFINITY, now)
    return new RateLimiterRes(0, durationMs > 0 ? durationMs : -1, value, true)
  }

  get(key: string): RateLimiterRes | null {
    const now = Date.now()
    const entry = this.counters.get(key, now)
    if (entry === undefined) return null
    return new RateLimiterRes(
      0,
      Number.isFinite(entry.expiresAt) ? entry.expiresAt - now : -1,
      entry.value,
      false,
    )
  }

  delete(key: string): boolean {
    return this.counters.delete(key)
  }
}

/**
 * rate-limiter-flexible's `RateLimiterMemory` (its consume, block and penalty logic unchanged) over
 * {@link ExpiringMemoryStorage}. The library's own storage sets an unref'd timer per key, several
 * hundred bytes each, and is unbounded: with a new number per verification it held ~3 KB per
 * verification for the length of the longest window.
 */
export class BoundedRateLimiterMemory extends RateLimiterMemory {
  readonly storage: ExpiringMemoryStorage

  constructor(opts: { keyPrefix: string; points: number; duration: number }, maxKeys: number) {
    super(opts)
    this.storage = new ExpiringMemoryStorage(maxKeys)
    // The one seam the library offers for its storage; the limiter contract tests pin its use.
    ;(this as unknown as { _memoryStorage: ExpiringMemoryStorage })._memoryStorage = this.storage
  }
}

/**
 * Counters in this process's memory. Limits are per process: with N API processes a client gets N
 * times the limit, so use Redis or PostgreSQL there. Expired windows are dropped as time moves on
 * (no timer per key, nothing keeps the process alive), and at most `maxKeysPerRule` counters are
 * held per rule.
 */
export class MemoryRateLimiter extends FlexibleRateLimiter {
  readonly #maxKeys: number
  readonly #limiters: BoundedRateLimiterMemory[] = []

  constructor(config: MemoryRateLimiterConfig = {}) {
    super(config.keyPrefix)
    this.#maxKeys = config.maxKeysPerRule ?? DEFAULT_MAX_KEYS_PER_RULE
  }

  protected override createLimiter(rule: LimitRule, keyPrefix: string): RateLimiterAbstract {
    const limiter = new BoundedRateLimiterMemory(
      { keyPrefix, points: rule.points, duration: rule.durationSeconds },
      this.#maxKeys,
    )
    this.#limiters.push(limiter)
    return limiter
  }

  /**
   * Counters held across all rules (after dropping those that expired by now), and how many were
   * forgotten early because a rule was full. For tests and diagnostics.
   */
  footprint(): { readonly keys: number; readonly evicted: number } {
    let keys = 0
    let evicted = 0
    const now = Date.now()
    for (const l of this.#limiters) {
      l.storage.counters.sweep(now)
      keys += l.storage.counters.size
      evicted += l.storage.counters.evicted
    }
    return { keys, evicted }
  }
}

/** Creates a {@link MemoryRateLimiter}. */
export function createMemoryRateLimiter(config: MemoryRateLimiterConfig = {}): MemoryRateLimiter {
  return new MemoryRateLimiter(config)
}
