/**
 * @module ExpiryIndex: which ids expire in which second, so that a store of expiring entries can
 * drop what expired, or the entries closest to expiry, without a timer per entry or a scan of all
 * it holds. Shared by `ExpiringMap` (string keys) and `ExpiringCounters` (numeric fingerprints).
 */

/**
 * Most ids one write drops while sweeping expired entries (see `sweep`). Every write creates at
 * most one future expiry, so a few per write keep up with any rate; the budget only has to stop
 * the writes of one event-loop turn (32 requests, each writing several counters) from dropping a
 * whole lull's backlog together.
 */
const SWEEP_BUDGET = 256

/**
 * The store an index serves: `drop` removes the entry of `id` if it still expires within
 * `second` (an id set again since with another expiry sits in a later bucket too, and stays), and
 * says whether it did.
 */
export interface ExpiringStore<K> {
  drop(id: K, second: number): boolean
}

/**
 * Ids by the second their entry expires in. Buckets strictly below the current second hold only
 * entries that have expired, so sweeping them costs what expired, never what is held.
 */
export class ExpiryIndex<K> {
  readonly #buckets = new Map<number, K[]>()
  /** No bucket below this second holds anything. */
  #lowestSecond = Number.POSITIVE_INFINITY
  #sweptSecond = Number.NEGATIVE_INFINITY

  /**
   * @param newBucket makes a bucket holding its first id. A store of numeric ids passes its own
   *   (`(id) => [id]` written in its module): V8 shapes arrays by where their literal is written, and
   *   a literal that has also held strings would box every number in it as a heap object.
   */
  constructor(
    private readonly store: ExpiringStore<K>,
    private readonly newBucket: (id: K) => K[] = (id) => [id],
  ) {}

  /** Records that the entry of `id` expires at `expiresAt` (ms); endless entries are not indexed. */
  add(id: K, expiresAt: number): void {
    if (!Number.isFinite(expiresAt)) return
    const second = Math.floor(expiresAt / 1000)
    const bucket = this.#buckets.get(second)
    if (bucket) bucket.push(id)
    else this.#buckets.set(second, this.newBucket(id))
    if (second < this.#lowestSecond) this.#lowestSecond = second
  }

  /**
   * Drops entries that expired by `now`: at most once per second of the caller's clock, and at
   * most SWEEP_BUDGET per call. After a lull everything a burst left expires at once, and dropping
   * 100,000 entries in the first request of the next burst blocked the loop for tens of ms per
   * store; the rest goes on the following writes (a store never answers an expired entry it still
   * holds).
   */
  sweep(now: number): void {
    const second = Math.floor(now / 1000)
    if (second <= this.#sweptSecond) return
    let budget = SWEEP_BUDGET
    if (second - this.#lowestSecond > this.#buckets.size) {
      // A long lull: walk the buckets that exist rather than every second since.
      for (const [s, ids] of this.#buckets) {
        if (s >= second) continue
        budget = this.#expire(s, ids, budget)
        if (budget <= 0) return
      }
    } else {
      for (let s = this.#lowestSecond; s < second; s++) {
        const ids = this.#buckets.get(s)
        if (!ids) continue
        budget = this.#expire(s, ids, budget)
        if (budget <= 0) {
          // Every bucket below `s` is gone; `s` itself may still hold ids.
          this.#lowestSecond = s
          return
        }
      }
    }
    this.#sweptSecond = second
    // Every bucket below `second` is gone now.
    this.#lowestSecond = Math.max(this.#lowestSecond, second)
  }

  /** Drops every entry that expired by `now`, however many (for diagnostics and tests). */
  sweepAll(now: number): void {
    const second = Math.floor(now / 1000)
    this.#sweptSecond = Number.NEGATIVE_INFINITY
    while (this.#sweptSecond < second) this.sweep(now)
  }

  /** Drops up to `budget` ids of the bucket of `second`; returns the budget left. */
  #expire(second: number, ids: K[], budget: number): number {
    while (ids.length > 0 && budget > 0) {
      this.store.drop(ids.pop()!, second)
      budget--
    }
    if (ids.length === 0) this.#buckets.delete(second)
    return budget
  }

  /** Drops the live entry closest to expiry; false when there is none to drop (only endless ones). */
  evictSoonest(): boolean {
    for (;;) {
      let ids = this.#buckets.get(this.#lowestSecond)
      if (ids === undefined) {
        // `#lowestSecond` is only a lower bound: find the lowest bucket that exists.
        this.#lowestSecond = Number.POSITIVE_INFINITY
        for (const s of this.#buckets.keys()) if (s < this.#lowestSecond) this.#lowestSecond = s
        ids = this.#buckets.get(this.#lowestSecond)
        if (ids === undefined) return false
      }
      while (ids.length > 0) {
        if (this.store.drop(ids.pop()!, this.#lowestSecond)) {
          if (ids.length === 0) this.#buckets.delete(this.#lowestSecond)
          return true
        }
      }
      this.#buckets.delete(this.#lowestSecond)
    }
  }
}

/**
 * Entries per shard the shard count aims at. A JavaScript Map (or a table of our own) grows by
 * rehashing all it holds in one step: measured on the 2-core machine, ~10 ms at 65,536 entries,
 * ~21 ms at 131,072 and ~44 ms at 262,144, and the two per-number limit counters crossed those
 * sizes on the same request, the soak's longest turns after the lull (docs/performance.md). Shards
 * of a few thousand entries rehash in well under a millisecond.
 */
const ENTRIES_PER_SHARD = 4_096

/** At most this many shards: 256 x 4,096 covers a million entries. */
const MAX_SHARDS = 256

/**
 * How many shards a store of at most `maxSize` entries spreads them over: a power of two (so a
 * hash picks one with a mask), 1 for a small store.
 * @throws RangeError when `maxSize` is not a positive integer
 */
export function shardCount(maxSize: number): number {
  if (!Number.isSafeInteger(maxSize) || maxSize < 1) {
    throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`)
  }
  let shards = 1
  while (shards < MAX_SHARDS && shards * ENTRIES_PER_SHARD < maxSize) shards *= 2
  return shards
}
