/**
 * @module MemoryFraudStore: the fraud guard's counters and marks in this process, for a single
 * instance. Each key is a fixed ring of BUCKETS cohorts (O(1) per sample, fixed memory per key),
 * and keys live in an ExpiringMap: dropped a window after their last start, never more than
 * `maxKeys` of them.
 */
import { ExpiringMap } from '../shared/expiring-map.js'
import { BUCKETS, type CohortBucket, type FraudMark, type FraudStore } from './fraud-store.js'

interface Ring {
  /** The absolute bucket each slot holds (-1: empty). */
  readonly bucket: Float64Array
  readonly starts: Uint32Array
  readonly approvals: Uint32Array
}

export class MemoryFraudStore implements FraudStore {
  readonly #rings: ExpiringMap<Ring>
  /** Blocks and lifts: few (one per suspect key), pruned as they end. */
  readonly #marks = new Map<string, FraudMark>()
  readonly #maxMarks: number

  constructor(
    private readonly windowMs: number,
    maxKeys: number,
  ) {
    this.#rings = new ExpiringMap(maxKeys)
    this.#maxMarks = Math.max(1_000, Math.floor(maxKeys / 10))
  }

  async add(keys: readonly string[], field: 'starts' | 'approvals', bucket: number, now: number) {
    for (const key of keys) {
      let ring = this.#rings.get(key, now)?.value
      if (!ring) {
        // An approval for a key already forgotten has no start to belong to.
        if (field === 'approvals') continue
        ring = {
          bucket: new Float64Array(BUCKETS).fill(-1),
          starts: new Uint32Array(BUCKETS),
          approvals: new Uint32Array(BUCKETS),
        }
      }
      const slot = bucket % BUCKETS
      const held = ring.bucket[slot]!
      if (held !== bucket) {
        // An older bucket than the slot holds has left the window: its approval has nothing to join.
        if (held > bucket) continue
        ring.bucket[slot] = bucket
        ring.starts[slot] = 0
        ring.approvals[slot] = 0
      }
      ring[field][slot]!++
      // Kept a window past its last start; the expiry moves in 10 s steps so that a busy key is
      // re-filed in the map's expiry index at most once per step.
      if (field === 'starts')
        this.#rings.set(key, ring, Math.ceil((now + this.windowMs) / 10_000) * 10_000, now)
    }
  }

  async subtract(keys: readonly string[], buckets: readonly CohortBucket[], now: number) {
    for (const key of keys) {
      const ring = this.#rings.get(key, now)?.value
      if (!ring) continue
      for (const b of buckets) {
        const slot = b.bucket % BUCKETS
        if (ring.bucket[slot] !== b.bucket) continue
        ring.starts[slot] = Math.max(0, ring.starts[slot]! - b.starts)
        ring.approvals[slot] = Math.max(0, ring.approvals[slot]! - b.approvals)
      }
    }
  }

  async read(keys: readonly string[], oldestBucket: number, now: number): Promise<CohortBucket[][]> {
    return keys.map((key) => {
      const ring = this.#rings.get(key, now)?.value
      if (!ring) return []
      const out: CohortBucket[] = []
      for (let slot = 0; slot < BUCKETS; slot++) {
        const bucket = ring.bucket[slot]!
        if (bucket >= oldestBucket && (ring.starts[slot]! > 0 || ring.approvals[slot]! > 0))
          out.push({ bucket, starts: ring.starts[slot]!, approvals: ring.approvals[slot]! })
      }
      return out
    })
  }

  #live(key: string, now: number): FraudMark | undefined {
    const m = this.#marks.get(key)
    if (m && m.until <= now) this.#marks.delete(key)
    return m && m.until > now ? m : undefined
  }

  async marks(keys: readonly string[], now: number) {
    return keys.map((key) => this.#live(key, now))
  }

  async putMark(mark: FraudMark, now: number): Promise<boolean> {
    if (mark.kind === 'block' && this.#live(mark.key, now)) return false
    if (this.#marks.size >= this.#maxMarks) for (const k of [...this.#marks.keys()]) this.#live(k, now)
    // Still full of live marks: a block is not stored (the guard keeps judging the key instead).
    if (this.#marks.size >= this.#maxMarks && !this.#marks.has(mark.key)) return false
    this.#marks.set(mark.key, mark)
    return true
  }

  async listMarks(now: number, limit: number): Promise<FraudMark[]> {
    const out: FraudMark[] = []
    for (const key of [...this.#marks.keys()]) {
      const m = this.#live(key, now)
      if (m) out.push(m)
    }
    return out.sort((a, b) => b.since - a.since).slice(0, limit)
  }

  async close(): Promise<void> {}
}
