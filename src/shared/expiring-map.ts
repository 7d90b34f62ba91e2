/**
 * @module ExpiringMap: entries that expire at a time of their own, forgotten without a timer per
 * entry or a scan of all entries, and never more than a fixed number of them.
 */

/** Most keys one write drops while sweeping expired entries (see `#sweep`). */
const SWEEP_BUDGET = 2_000

/**
 * A map whose entries expire. Expired entries are dropped as time moves on (checked on every
 * write, at most once per second of the caller's clock) from buckets keyed by the second they
 * expire in, so the cost is proportional to what expires, never to what is held; a read of an
 * expired entry also drops it. When full, a write first drops the entries closest to expiry (the
 * least harm: they were about to be forgotten anyway).
 *
 * This replaces a `setTimeout` per entry (each timer costs several hundred bytes and a timer-list
 * node) and loops over every entry per request (O(n) per call, O(n^2) over a burst).
 */
export class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>()
  /** Keys by the second they expire in; a key re-set with another expiry may sit in an old bucket too. */
  readonly #buckets = new Map<number, string[]>()
  /** No bucket below this second holds anything. */
  #lowestSecond = Number.POSITIVE_INFINITY
  #sweptSecond = Number.NEGATIVE_INFINITY
  #evicted = 0

  /** @param maxSize most entries held; at least 1. */
  constructor(readonly maxSize: number) {
    if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`)
    }
  }

  /** The live entry of `key` at `now`, or undefined. */
  get(key: string, now: number): { readonly value: V; readonly expiresAt: number } | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt > now) return entry
    this.#entries.delete(key)
    return undefined
  }

  /** Stores `value` until `expiresAt` (ms; Infinity: until deleted or evicted). */
  set(key: string, value: V, expiresAt: number, now: number): void {
    this.#sweep(now)
    const existing = this.#entries.get(key)
    if (existing !== undefined && existing.expiresAt === expiresAt) {
      existing.value = value
      return
    }
    if (existing === undefined) {
      while (this.#entries.size >= this.maxSize && this.#evictSoonest()) {
        // evicted one
      }
    }
    this.#entries.set(key, { value, expiresAt })
    if (Number.isFinite(expiresAt)) {
      const second = Math.floor(expiresAt / 1000)
      const bucket = this.#buckets.get(second)
      if (bucket) bucket.push(key)
      else this.#buckets.set(second, [key])
      if (second < this.#lowestSecond) this.#lowestSecond = second
    }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key)
  }

  /** Entries held, including expired ones not yet swept. */
  get size(): number {
    return this.#entries.size
  }

  /** Entries dropped early because the map was full, since construction. */
  get evicted(): number {
    return this.#evicted
  }

  /**
   * Drops every entry that expired by `now`, however many (for diagnostics and tests; `set` does
   * the same a bounded slice at a time).
   */
  sweep(now: number): void {
    const second = Math.floor(now / 1000)
    this.#sweptSecond = Number.NEGATIVE_INFINITY
    while (this.#sweptSecond < second) this.#sweep(now)
  }

  #sweep(now: number): void {
    const second = Math.floor(now / 1000)
    if (second <= this.#sweptSecond) return
    // Buckets strictly below the current second hold only entries that have expired by now. At
    // most SWEEP_BUDGET keys are dropped per call: after a lull, everything a burst left expires
    // at once, and dropping 100,000 keys in the first request of the next burst blocked the loop
    // for tens of ms per map. The rest goes on the following writes (an expired entry that is
    // still held is never returned by `get`).
    let budget = SWEEP_BUDGET
    if (second - this.#lowestSecond > this.#buckets.size) {
      // A long lull: walk the buckets that exist rather than every second since.
      for (const [s, keys] of this.#buckets) {
        if (s >= second) continue
        budget = this.#expire(s, keys, now, budget)
        if (budget <= 0) return
      }
    } else {
      for (let s = this.#lowestSecond; s < second; s++) {
        const keys = this.#buckets.get(s)
        if (!keys) continue
        budget = this.#expire(s, keys, now, budget)
        if (budget <= 0) {
          // Every bucket below `s` is gone; `s` itself may still hold keys.
          this.#lowestSecond = s
          return
        }
      }
    }
    this.#sweptSecond = second
    // Every bucket below `second` is gone now.
    this.#lowestSecond = Math.max(this.#lowestSecond, second)
  }

  /** Drops up to `budget` keys of the bucket of `second`; returns the budget left. */
  #expire(second: number, keys: string[], now: number, budget: number): number {
    while (keys.length > 0 && budget > 0) {
      const key = keys.pop()!
      budget--
      const entry = this.#entries.get(key)
      // Only if it still expires here: a key set again since then belongs to a later bucket.
      if (entry !== undefined && entry.expiresAt <= now && Math.floor(entry.expiresAt / 1000) === second)
        this.#entries.delete(key)
    }
    if (keys.length === 0) this.#buckets.delete(second)
    return budget
  }

  /** Drops the live entry closest to expiry; false when there is none to drop (only endless ones). */
  #evictSoonest(): boolean {
    for (;;) {
      let keys = this.#buckets.get(this.#lowestSecond)
      if (keys === undefined) {
        // `#lowestSecond` is only a lower bound: find the lowest bucket that exists.
        this.#lowestSecond = Number.POSITIVE_INFINITY
        for (const s of this.#buckets.keys()) if (s < this.#lowestSecond) this.#lowestSecond = s
        keys = this.#buckets.get(this.#lowestSecond)
        if (keys === undefined) return false
      }
      while (keys.length > 0) {
        const key = keys.pop()!
        const entry = this.#entries.get(key)
        if (entry !== undefined && Math.floor(entry.expiresAt / 1000) === this.#lowestSecond) {
          this.#entries.delete(key)
          this.#evicted++
          if (keys.length === 0) this.#buckets.delete(this.#lowestSecond)
          return true
        }
      }
      this.#buckets.delete(this.#lowestSecond)
    }
  }
}
