/** ExpiringMap: entries forgotten at their expiry without timers or full scans, and never more than maxSize. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ExpiringMap } from './expiring-map.js'

const T0 = Date.UTC(2026, 0, 1)

describe('ExpiringMap', () => {
  it('answers live entries and forgets expired ones on read', () => {
    const m = new ExpiringMap<number>(10)
    m.set('a', 1, T0 + 1_000, T0)
    expect(m.get('a', T0 + 999)).toEqual({ value: 1, expiresAt: T0 + 1_000 })
    expect(m.get('a', T0 + 1_000)).toBeUndefined()
    expect(m.size).toBe(0)
  })

  it('drops what expired when time moves on, whatever was held (a burst, a lull, then writes)', () => {
    const m = new ExpiringMap<number>(1_000_000)
    for (let i = 0; i < 200_000; i++) m.set(`k${i}`, i, T0 + 600_000 + (i % 1_000), T0 + (i % 1_000))
    expect(m.size).toBe(200_000)
    // The first write after the lull drops a bounded slice, not all 200,000 at once (that blocked
    // the event loop for the first request of the next burst); the writes after it drop the rest.
    // A few hundred per write: a turn of 32 requests, each writing several counters, must not drop
    // them all together either.
    m.set('late', 1, T0 + 3 * 600_000, T0 + 2 * 600_000)
    expect(m.size).toBeGreaterThan(199_000)
    let writes = 1
    for (; writes < 5_000 && m.size > 1; writes++)
      m.set('late', writes, T0 + 3 * 600_000 + writes, T0 + 2 * 600_000)
    expect(m.size).toBe(1)
    expect(writes).toBeGreaterThan(500)
    // Expired but not yet dropped is never answered.
    const n = new ExpiringMap<number>(1_000_000)
    for (let i = 0; i < 10_000; i++) n.set(`k${i}`, i, T0 + 1_000, T0)
    n.set('x', 1, T0 + 10_000, T0 + 5_000)
    expect(n.size).toBeGreaterThan(1)
    expect(n.get('k9999', T0 + 5_000)).toBeUndefined()
    expect(n.get('k0', T0 + 5_000)).toBeUndefined()
    // After a lull of days, too; and an explicit sweep drops everything at once.
    m.set('much-later', 1, T0 + 10 * 86_400_000 + 1, T0 + 10 * 86_400_000)
    expect(m.size).toBe(1)
    n.sweep(T0 + 5_000)
    expect(n.size).toBe(1)
  })

  it('keeps an entry set again with a later expiry past its first expiry', () => {
    const m = new ExpiringMap<number>(10)
    m.set('a', 1, T0 + 1_000, T0)
    m.set('a', 2, T0 + 5_000, T0 + 1_500)
    m.sweep(T0 + 2_500)
    expect(m.get('a', T0 + 2_500)).toEqual({ value: 2, expiresAt: T0 + 5_000 })
    m.sweep(T0 + 6_000)
    expect(m.size).toBe(0)
  })

  it('when full, forgets the entries closest to expiry first', () => {
    const m = new ExpiringMap<string>(3)
    m.set('soon', 's', T0 + 1_000, T0)
    m.set('later', 'l', T0 + 60_000, T0)
    m.set('latest', 'x', T0 + 120_000, T0)
    m.set('new', 'n', T0 + 90_000, T0)
    expect(m.size).toBe(3)
    expect(m.evicted).toBe(1)
    expect(m.get('soon', T0)).toBeUndefined()
    for (const k of ['later', 'latest', 'new']) expect(m.get(k, T0)).toBeDefined()
    for (let i = 0; i < 10_000; i++) m.set(`flood${i}`, 'f', T0 + 100_000 + i, T0)
    expect(m.size).toBe(3)
    expect(m.get('flood9999', T0)).toBeDefined()
  })

  it('spreads what it holds so that no internal Map grows past a few thousand entries', () => {
    // A Map rehashes everything it holds when it grows: ~10 ms at 65,536 entries and ~44 ms at
    // 262,144 on the 2-core machine, the longest event-loop turns of the soak before this. The
    // keys are of the kinds the map holds: numbers, HMAC pseudonyms, short ids.
    const kinds: Array<(i: number) => string> = [
      (i) => `vg:rl:sends_per_destination:+4477${String(i).padStart(8, '0')}`,
      (i) => `vg:rl:checks_per_destination:${createHash('sha256').update(String(i)).digest('base64url')}`,
      (i) => `k${i}`,
    ]
    for (const key of kinds) {
      const m = new ExpiringMap<number>(500_000)
      for (let i = 0; i < 200_000; i++) m.set(key(i), i, T0 + 600_000, T0)
      expect(m.size).toBe(200_000)
      // 128 shards for 500,000: 1,563 each on average.
      expect(m.largestShard).toBeLessThan(2_000)
      for (let i = 0; i < 200_000; i += 2) m.delete(key(i))
      expect(m.size).toBe(100_000)
      expect(m.get(key(1), T0)?.value).toBe(1)
      expect(m.get(key(0), T0)).toBeUndefined()
    }
    // A small map is one Map: nothing to spread.
    const small = new ExpiringMap<number>(1_000)
    for (let i = 0; i < 1_000; i++) small.set(`k${i}`, i, T0 + 1_000, T0)
    expect(small.largestShard).toBe(1_000)
  })

  it('keeps entries without an expiry until deleted', () => {
    const m = new ExpiringMap<number>(2)
    m.set('forever', 1, Number.POSITIVE_INFINITY, T0)
    m.sweep(T0 + 365 * 86_400_000)
    expect(m.get('forever', T0 + 365 * 86_400_000)?.value).toBe(1)
    expect(m.delete('forever')).toBe(true)
    expect(m.size).toBe(0)
  })
})
