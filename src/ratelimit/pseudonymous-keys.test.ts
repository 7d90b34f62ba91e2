/**
 * Pseudonymous keys: the store only ever sees the HMAC of a key, equal keys meet the same counter,
 * and each key's HMAC is computed once while it is remembered (the memory is bounded).
 */
import { describe, expect, it } from 'vitest'
import { Keyring } from '../secrets/keyring.js'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import { pseudonymousKeys } from './pseudonymous-keys.js'
import type { LimitRule, RateLimiter } from './rate-limiter.js'

const rule: LimitRule = { name: 'sends_per_destination', points: 2, durationSeconds: 600 }

function recording(inner: RateLimiter, keys: string[]): RateLimiter {
  return {
    consume: (r, key, cost) => {
      keys.push(key)
      return inner.consume(r, key, cost)
    },
    peek: (r, key) => {
      keys.push(key)
      return inner.peek(r, key)
    },
    refund: (r, key, points) => inner.refund(r, key, points),
    reset: (r, key) => inner.reset(r, key),
    close: () => inner.close(),
  }
}

describe('pseudonymousKeys', () => {
  it('counts equal keys together under their HMAC, never the key itself', async () => {
    const keyring = new Keyring(['k1:a-secret-for-this-test-only-0123456789'])
    const seen: string[] = []
    const limiter = pseudonymousKeys(recording(createMemoryRateLimiter(), seen), (k) =>
      keyring.sign(`limit:${k}`),
    )
    expect((await limiter.consume(rule, '+447700900001')).allowed).toBe(true)
    expect((await limiter.consume(rule, '+447700900001')).allowed).toBe(true)
    expect((await limiter.consume(rule, '+447700900001')).allowed).toBe(false)
    expect((await limiter.consume(rule, '+447700900002')).allowed).toBe(true)
    expect(seen.some((k) => k.includes('7700900'))).toBe(false)
    expect(seen[0]).toBe(keyring.sign('limit:+447700900001'))
    expect(new Set(seen).size).toBe(2)
  })

  it('hashes a remembered key once, and forgets them all when the memory is full', async () => {
    const hashed: string[] = []
    const limiter = pseudonymousKeys(
      createMemoryRateLimiter(),
      (k) => {
        hashed.push(k)
        return `h(${k})`
      },
      3,
    )
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) await limiter.peek(rule, k)
    expect(hashed).toEqual(['a', 'b', 'c'])
    await limiter.peek(rule, 'd') // full: forgets a, b, c
    await limiter.peek(rule, 'a')
    expect(hashed).toEqual(['a', 'b', 'c', 'd', 'a'])
  })
})
