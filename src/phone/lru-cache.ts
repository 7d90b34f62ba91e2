/** @module A small bounded least-recently-used cache on top of `Map` insertion order. */

/** Keeps at most `capacity` entries; reading an entry makes it the most recent. */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>()

  /** @param capacity maximum number of entries; the least recently used one is evicted beyond it. */
  constructor(readonly capacity: number) {}

  /** The cached value, or `undefined`. A hit moves the entry to the most-recent end. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.#entries.has(key)) {
      this.#entries.delete(key)
    } else if (this.#entries.size >= this.capacity) {
      // Map iterates in insertion order, so the first key is the least recently used one.
      const oldest = this.#entries.keys().next()
      if (!oldest.done) this.#entries.delete(oldest.value)
    }
    this.#entries.set(key, value)
  }

  /** Number of entries currently held. */
  get size(): number {
    return this.#entries.size
  }
}
