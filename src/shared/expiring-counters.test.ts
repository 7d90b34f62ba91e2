/**
 * ExpiringCounters: the contract of ExpiringMap<number> (checked against a plain model), held in
 * typed arrays that grow with what is held and shrink once it has expired.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ExpiringCounters } from './expiring-counters.js'

const T0 = Date.UTC(2026, 0, 1)

type Op =
  | { readonly kind: 'set'; readonly key: string; readonly value: number; readonly ttl: number }
  | { readonly kind: 'get'; readonly key: string }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'sweep' }

// Few distinct keys, so that the same key is set, read, deleted and expired again and again.
const key = fc.integer({ min: 0, max: 300 }).map((i) => `vg:rl:sends_per_destination:+4479${i}`)
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key,
    value: fc.integer({ min: 0, max: 1_000_000 }),
    // Infinity: a counter without an expiry.
    ttl: fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.constant(Number.POSITIVE_INFINITY)),
  }),
  fc.record({ kind: fc.constant('get' as const), key }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3_000 }) }),
  fc.record({ kind: fc.constant('sweep' as const) }),
)

describe('ExpiringCounters', () => {
  it('answers as a plain map with expiries would, whatever the order of sets, reads, deletes and time', () => {
    fc.assert(
      // One table (probe chains, moves on delete, growing and shrinking) or 256 of them.
      fc.property(fc.array(op, { maxLength: 400 }), fc.constantFrom(4_096, 1_000_000), (ops, maxSize) => {
        const counters = new ExpiringCounters(maxSize)
        const model = new Map<string, { value: number; expiresAt: number }>()
        let now = T0
        const live = (k: string) => {
          const e = model.get(k)
          return e !== undefined && e.expiresAt > now ? e : undefined
        }
        for (const o of ops) {
          if (o.kind === 'set') {
            counters.set(o.key, o.value, now + o.ttl, now)
            model.set(o.key, { value: o.value, expiresAt: now + o.ttl })
          } else if (o.kind === 'get') {
            expect(counters.get(o.key, now)).toEqual(live(o.key))
          } else if (o.kind === 'delete') {
            // A counter that expired but was not yet dropped may still be held, so only a live
            // one's answer is certain; it is gone either way.
            const deleted = counters.delete(o.key)
            if (live(o.key) !== undefined) expect(deleted).toBe(true)
            model.delete(o.key)
            expect(counters.get(o.key, now)).toBeUndefined()
          } else if (o.kind === 'advance') {
            now += o.ms
          } else {
            // Swept by whole seconds: what expired in an earlier second is gone; what expired
            // within this second may still be held (and is never answered).
            counters.sweep(now)
            const entries = [...model.values()]
            const thisSecond = Math.floor(now / 1000)
            expect(counters.size).toBeGreaterThanOrEqual(entries.filter((e) => e.expiresAt > now).length)
            expect(counters.size).toBeLessThanOrEqual(
              entries.filter((e) => Math.floor(e.expiresAt / 1000) >= thisSecond).length,
            )
          }
        }
        for (const k of model.keys()) expect(counters.get(k, now)).toEqual(live(k))
      }),
      { numRuns: 300 },
    )
  })

  it('holds many counters and tells them all apart, then gives their memory back once they expire', () => {
    const counters = new ExpiringCounters(500_000)
    const empty = counters.footprintBytes
    for (let i = 0; i < 200_000; i++) counters.set(`+4477${String(i).padStart(8, '0')}`, i, T0 + 600_000, T0)
    expect(counters.size).toBe(200_000)
    for (let i = 0; i < 200_000; i += 997)
      expect(counters.get(`+4477${String(i).padStart(8, '0')}`, T0)?.value).toBe(i)
    // 24 bytes a slot, at most 4 slots a counter.
    expect(counters.footprintBytes).toBeLessThanOrEqual(200_000 * 24 * 4)
    // Swept by whole seconds: a second after the expiry, everything of that second is gone.
    counters.sweep(T0 + 601_000)
    expect(counters.size).toBe(0)
    // Every shard back to its smallest: 16 slots.
    expect(counters.footprintBytes).toBeLessThanOrEqual(empty + 128 * 16 * 24)
  })

  it('when full, forgets the counters closest to expiry first', () => {
    const counters = new ExpiringCounters(3)
    counters.set('soon', 1, T0 + 1_000, T0)
    counters.set('later', 2, T0 + 60_000, T0)
    counters.set('latest', 3, T0 + 120_000, T0)
    counters.set('new', 4, T0 + 90_000, T0)
    expect(counters.size).toBe(3)
    expect(counters.evicted).toBe(1)
    expect(counters.get('soon', T0)).toBeUndefined()
    for (const k of ['later', 'latest', 'new']) expect(counters.get(k, T0)).toBeDefined()
    // Counters without an expiry are never evicted for room: the table holds one more instead.
    const endless = new ExpiringCounters(1)
    endless.set('a', 1, Number.POSITIVE_INFINITY, T0)
    endless.set('b', 2, Number.POSITIVE_INFINITY, T0)
    expect(endless.get('a', T0)?.value).toBe(1)
    expect(endless.get('b', T0)?.value).toBe(2)
  })

  it('drops what a burst left a bounded slice per write after a lull', () => {
    const counters = new ExpiringCounters(1_000_000)
    for (let i = 0; i < 100_000; i++) counters.set(`k${i}`, i, T0 + 600_000 + (i % 1_000), T0 + (i % 1_000))
    counters.set('late', 1, T0 + 3 * 600_000, T0 + 2 * 600_000)
    expect(counters.size).toBeGreaterThan(99_000)
    let writes = 1
    for (; writes < 5_000 && counters.size > 1; writes++)
      counters.set('late', writes, T0 + 3 * 600_000, T0 + 2 * 600_000)
    expect(counters.size).toBe(1)
    expect(writes).toBeGreaterThan(300)
  })
})
