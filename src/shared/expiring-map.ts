/**
 * @module ExpiringMap: entries that expire at a time of their own, forgotten without a timer per
 * entry or a scan of all entries, and never more than a fixed number of them.
 */
import { ExpiryIndex, shardCount } from './expiry-index.js'

/** Characters of the key's end that choose its shard (see `#shardIndex`). */
const SHARD_KEY_CHARS = 8

/** One entry: its value (updated in place while its expiry stays) and when it expires. */
interface Entry<V> {
  value: V
  readonly expiresAt: number
}

/**
 * A map whose entries expire. Expired entries are dropped as time moves on (checked on every
 * write, at most once per second of the caller's clock; see `ExpiryIndex`), so the cost is
 * proportional to what expires, never to what is held; a read of an expired entry also drops it.
 * When full, a write first drops the entries closest to expiry (the least harm: they were about to
 * be forgotten anyway).
 *
 * This replaces a `setTimeout` per entry (each timer costs several hundred bytes and a timer-list
 * node) and loops over every entry per request (O(n) per call, O(n^2) over a burst).
 */
export class ExpiringMap<V> {
  /**
   * The entries, spread over Maps by a hash of the key, so that no single Map holds more than a
   * few thousand (see `shardCount`). A shard is created on its first write.
   */
  readonly #shards: Array<Map<string, Entry<V>> | undefined>
  readonly #shardMask: number
  #size = 0
  #evicted = 0
  readonly #expiries = new ExpiryIndex<string>({
    drop: (key, second) => {
      const entry = this.#lookup(key)
      if (entry === undefined || Math.floor(entry.expiresAt / 1000) !== second) return false
      return this.#remove(key)
    },
  })

  /** @param maxSize most entries held; at least 1. */
  constructor(readonly maxSize: number) {
    const shards = shardCount(maxSize)
    this.#shards = new Array<Map<string, Entry<V>> | undefined>(shards).fill(undefined)
    this.#shardMask = shards - 1
  }

  /**
   * The shard of `key`: a hash of its last SHARD_KEY_CHARS characters, where the keys this map
   * holds differ (an HMAC's end, a number's last digits, a counter's id), so the whole key need not
   * be read on every call.
   */
  #shardIndex(key: string): number {
    if (this.#shardMask === 0) return 0
    let h = 0x811c9dc5
    for (let i = Math.max(0, key.length - SHARD_KEY_CHARS); i < key.length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
    }
    return (h ^ (h >>> 16)) & this.#shardMask
  }

  #lookup(key: string): Entry<V> | undefined {
    return this.#shards[this.#shardIndex(key)]?.get(key)
  }

  /** Removes `key`; true when it was held. */
  #remove(key: string): boolean {
    const shard = this.#shards[this.#shardIndex(key)]
    if (shard === undefined || !shard.delete(key)) return false
    this.#size--
    return true
  }

  /** The live entry of `key` at `now`, or undefined. */
  get(key: string, now: number): { readonly value: V; readonly expiresAt: number } | undefined {
    const entry = this.#lookup(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt > now) return entry
    this.#remove(key)
    return undefined
  }

  /** Stores `value` until `expiresAt` (ms; Infinity: until deleted or evicted). */
  set(key: string, value: V, expiresAt: number, now: number): void {
    this.#expiries.sweep(now)
    const index = this.#shardIndex(key)
    let shard = this.#shards[index]
    const existing = shard?.get(key)
    if (existing !== undefined && existing.expiresAt === expiresAt) {
      existing.value = value
      return
    }
    if (existing === undefined) {
      while (this.#size >= this.maxSize && this.#expiries.evictSoonest()) this.#evicted++
    }
    if (shard === undefined) {
      shard = new Map()
      this.#shards[index] = shard
    }
    const before = shard.size
    shard.set(key, { value, expiresAt })
    this.#size += shard.size - before
    this.#expiries.add(key, expiresAt)
  }

  delete(key: string): boolean {
    return this.#remove(key)
  }

  /** Entries held, including expired ones not yet swept. */
  get size(): number {
    return this.#size
  }

  /** The most entries any one internal Map holds (for tests: see `shardCount`). */
  get largestShard(): number {
    let largest = 0
    for (const shard of this.#shards) if (shard !== undefined && shard.size > largest) largest = shard.size
    return largest
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
    this.#expiries.sweepAll(now)
  }
}
