/**
 * @module ExpiringCounters: numbers under string keys that expire, held in typed arrays: no string,
 * object or Map entry per key on the JavaScript heap.
 *
 * The in-memory rate limiter holds two counters per phone number for ten minutes (sends and checks
 * per destination). As Map entries with their key strings and records they were ~250 bytes of heap
 * objects each, the largest part of the live heap after a burst (~45 MB after 90,000 flows), and
 * each full GC had to mark them all: after a lull, the second burst's one full collection marked
 * both bursts' counters, in turns of the event loop of 40-66 ms (docs/performance.md). Here a key
 * is a 53-bit fingerprint in a Float64Array, so the collector has nothing per counter to mark, copy
 * or promote.
 */
import { randomInt } from 'node:crypto'
import { ExpiryIndex, shardCount } from './expiry-index.js'

const TWO_32 = 2 ** 32

/** Slots of a new shard; a shard grows at half full and shrinks below an eighth. */
const MIN_SLOTS = 16

/**
 * One open-addressing table (linear probing, deletion by backward shift, so no tombstones). Slot
 * `i` is free when `fingerprints[i]` is 0.
 */
class Shard {
  fingerprints: Float64Array
  values: Float64Array
  expiries: Float64Array
  mask: number
  count = 0

  constructor(slots: number) {
    this.fingerprints = new Float64Array(slots)
    this.values = new Float64Array(slots)
    this.expiries = new Float64Array(slots)
    this.mask = slots - 1
  }

  /** The slot a fingerprint probes first: its low 32 bits (the high ones chose the shard). */
  home(fingerprint: number): number {
    return (fingerprint % TWO_32) & this.mask
  }

  /** The slot holding `fingerprint`, or -1. */
  find(fingerprint: number): number {
    const fps = this.fingerprints
    for (let i = this.home(fingerprint); ; i = (i + 1) & this.mask) {
      const f = fps[i]!
      if (f === fingerprint) return i
      if (f === 0) return -1
    }
  }

  /** Adds a fingerprint that is not held. */
  insert(fingerprint: number, value: number, expiresAt: number): void {
    if ((this.count + 1) * 2 > this.fingerprints.length) this.#resize(this.fingerprints.length * 2)
    this.#place(fingerprint, value, expiresAt)
    this.count++
  }

  /** Empties slot `i`, moving back the entries whose probe ran through it. */
  removeAt(slot: number): void {
    const { fingerprints: fps, values, expiries, mask } = this
    let hole = slot
    for (let j = (hole + 1) & mask; fps[j] !== 0; j = (j + 1) & mask) {
      const home = this.home(fps[j]!)
      // The entry at j stays if its home lies cyclically in (hole, j]; otherwise it moves to the hole.
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j
      if (stays) continue
      fps[hole] = fps[j]!
      values[hole] = values[j]!
      expiries[hole] = expiries[j]!
      hole = j
    }
    fps[hole] = 0
    this.count--
    // Give back the memory of a burst once it has expired.
    if (this.fingerprints.length > MIN_SLOTS && this.count * 8 < this.fingerprints.length)
      this.#resize(this.fingerprints.length / 2)
  }

  #place(fingerprint: number, value: number, expiresAt: number): void {
    let i = this.home(fingerprint)
    while (this.fingerprints[i] !== 0) i = (i + 1) & this.mask
    this.fingerprints[i] = fingerprint
    this.values[i] = value
    this.expiries[i] = expiresAt
  }

  #resize(slots: number): void {
    const { fingerprints: fps, values, expiries } = this
    this.fingerprints = new Float64Array(slots)
    this.values = new Float64Array(slots)
    this.expiries = new Float64Array(slots)
    this.mask = slots - 1
    for (let i = 0; i < fps.length; i++) if (fps[i] !== 0) this.#place(fps[i]!, values[i]!, expiries[i]!)
  }
}

/**
 * Counters that expire, at most `maxSize` of them; the same contract as `ExpiringMap<number>`
 * (`get`, `set`, `delete`, expired entries dropped as time moves on, the soonest to expire evicted
 * when full).
 *
 * Keys are told apart by a 53-bit fingerprint from a hash seeded per process: two keys share a
 * counter only if their fingerprints collide (for a full table of 500,000 counters, the chance that
 * any two do is about 1 in 70,000), and keys made to collide would need the seed (the limiter's
 * keys are HMACs besides).
 */
export class ExpiringCounters {
  readonly #shards: Array<Shard | undefined>
  readonly #shardMask: number
  readonly #seed1 = randomInt(2 ** 31)
  readonly #seed2 = randomInt(2 ** 31)
  #size = 0
  #evicted = 0
  readonly #expiries = new ExpiryIndex<number>(
    {
      drop: (fingerprint, second) => {
        const shard = this.#shardOf(fingerprint)
        const slot = shard ? shard.find(fingerprint) : -1
        if (slot < 0 || Math.floor(shard!.expiries[slot]! / 1000) !== second) return false
        this.#removeAt(shard!, slot)
        return true
      },
    },
    // Its own literal, so the buckets hold the fingerprints unboxed (see ExpiryIndex).
    (fingerprint) => [fingerprint],
  )

  /** @param maxSize most counters held; at least 1. */
  constructor(readonly maxSize: number) {
    const shards = shardCount(maxSize)
    this.#shards = new Array<Shard | undefined>(shards).fill(undefined)
    this.#shardMask = shards - 1
  }

  /** A 53-bit fingerprint of `key`, never 0: 21 bits of one seeded hash and 32 of another. */
  #fingerprint(key: string): number {
    let h1 = this.#seed1
    let h2 = this.#seed2
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193)
      h2 = Math.imul(h2 ^ c, 0x5bd1e995)
      h2 ^= h2 >>> 15
    }
    h1 ^= h1 >>> 16
    h1 = Math.imul(h1, 0x85ebca6b)
    h1 ^= h1 >>> 13
    h2 ^= h2 >>> 16
    h2 = Math.imul(h2, 0xc2b2ae35)
    h2 ^= h2 >>> 16
    const fingerprint = (h1 & 0x1fffff) * TWO_32 + (h2 >>> 0)
    return fingerprint === 0 ? 1 : fingerprint
  }

  /** The shard of a fingerprint: from its high bits (its low ones place it in the shard). */
  #shardIndex(fingerprint: number): number {
    return Math.floor(fingerprint / TWO_32) & this.#shardMask
  }

  #shardOf(fingerprint: number): Shard | undefined {
    return this.#shards[this.#shardIndex(fingerprint)]
  }

  #removeAt(shard: Shard, slot: number): void {
    shard.removeAt(slot)
    this.#size--
  }

  /** The live counter of `key` at `now`, or undefined. */
  get(key: string, now: number): { readonly value: number; readonly expiresAt: number } | undefined {
    const fingerprint = this.#fingerprint(key)
    const shard = this.#shardOf(fingerprint)
    if (shard === undefined) return undefined
    const slot = shard.find(fingerprint)
    if (slot < 0) return undefined
    const expiresAt = shard.expiries[slot]!
    if (expiresAt > now) return { value: shard.values[slot]!, expiresAt }
    this.#removeAt(shard, slot)
    return undefined
  }

  /** Stores `value` until `expiresAt` (ms; Infinity: until deleted or evicted). */
  set(key: string, value: number, expiresAt: number, now: number): void {
    this.#expiries.sweep(now)
    const fingerprint = this.#fingerprint(key)
    const index = this.#shardIndex(fingerprint)
    let shard = this.#shards[index]
    const slot = shard ? shard.find(fingerprint) : -1
    if (slot >= 0) {
      const sameExpiry = shard!.expiries[slot] === expiresAt
      shard!.values[slot] = value
      shard!.expiries[slot] = expiresAt
      if (!sameExpiry) this.#expiries.add(fingerprint, expiresAt)
      return
    }
    while (this.#size >= this.maxSize && this.#expiries.evictSoonest()) this.#evicted++
    if (shard === undefined) {
      shard = new Shard(MIN_SLOTS)
      this.#shards[index] = shard
    }
    shard.insert(fingerprint, value, expiresAt)
    this.#size++
    this.#expiries.add(fingerprint, expiresAt)
  }

  /** Forgets `key`; true when it was held. */
  delete(key: string): boolean {
    const fingerprint = this.#fingerprint(key)
    const shard = this.#shardOf(fingerprint)
    const slot = shard ? shard.find(fingerprint) : -1
    if (slot < 0) return false
    this.#removeAt(shard!, slot)
    return true
  }

  /** Counters held, including expired ones not yet swept. */
  get size(): number {
    return this.#size
  }

  /** Bytes of the tables, outside the JavaScript heap (for tests and diagnostics). */
  get footprintBytes(): number {
    let bytes = 0
    for (const shard of this.#shards) if (shard !== undefined) bytes += shard.fingerprints.byteLength * 3
    return bytes
  }

  /** Counters dropped early because the table was full, since construction. */
  get evicted(): number {
    return this.#evicted
  }

  /** Drops every counter that expired by `now`, however many (for diagnostics and tests). */
  sweep(now: number): void {
    this.#expiries.sweepAll(now)
  }
}
