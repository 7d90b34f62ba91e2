/**
 * @module `runRateLimiterContract`: the behaviour every `RateLimiter` store must share, run once per
 * implementation from `rate-limiter.test.ts` (Hono's shared router cases).
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LimitDecision, LimitRule, RateLimiter } from './rate-limiter.js'

export interface RateLimiterContractOptions {
  /** Titles of contract tests this implementation cannot pass; say why where it is called. */
  readonly skip?: readonly string[]
}

/**
 * Registers the contract suite for one implementation. `create` is called before each test and the
 * limiter is closed after it; keys are random per test, so limiters may share a store.
 */
export function runRateLimiterContract(
  name: string,
  create: () => Promise<RateLimiter>,
  opts: RateLimiterContractOptions = {},
): void {
  const skip = new Set(opts.skip ?? [])
  const test = (title: string, fn: () => Promise<void>) => (skip.has(title) ? it.skip : it)(title, fn)

  describe(`RateLimiter contract: ${name}`, () => {
    let limiter: RateLimiter
    let key: string

    beforeEach(async () => {
      limiter = await create()
      key = `key-${randomUUID()}`
    })

    afterEach(async () => {
      await limiter.close()
    })

    const rule = (points: number, durationSeconds = 60, ruleName = 'contract'): LimitRule => ({
      name: ruleName,
      points,
      durationSeconds,
    })

    async function consumeTimes(r: LimitRule, k: string, times: number): Promise<LimitDecision[]> {
      const out: LimitDecision[] = []
      // Sequential on purpose: the assertions are about order.
      for (let i = 0; i < times; i++) out.push(await limiter.consume(r, k))
      return out
    }

    test('allows up to points, then refuses with 0 < retryAfterMs <= duration', async () => {
      const r = rule(3, 60)
      const allowed = await consumeTimes(r, key, 3)
      for (const d of allowed) {
        expect(d.allowed).toBe(true)
        expect(d.retryAfterMs).toBe(0)
      }
      const refused = await limiter.consume(r, key)
      expect(refused.allowed).toBe(false)
      expect(refused.remaining).toBe(0)
      expect(refused.retryAfterMs).toBeGreaterThan(0)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000)
    })

    test('remaining decreases with each consume', async () => {
      const decisions = await consumeTimes(rule(4), key, 4)
      expect(decisions.map((d) => d.remaining)).toEqual([3, 2, 1, 0])
    })

    test('resetAt is in the future and matches retryAfterMs when refused', async () => {
      const r = rule(1, 60)
      const before = Date.now()
      const first = await limiter.consume(r, key)
      expect(first.resetAt).toBeGreaterThan(before)
      expect(first.resetAt).toBeLessThanOrEqual(Date.now() + 60_000)
      const refused = await limiter.consume(r, key)
      const expected = Date.now() + refused.retryAfterMs
      expect(Math.abs(refused.resetAt - expected)).toBeLessThan(100)
      expect(Math.abs(refused.resetAt - first.resetAt)).toBeLessThan(1_100)
    })

    test('separate keys are independent', async () => {
      const r = rule(1)
      expect((await limiter.consume(r, key)).allowed).toBe(true)
      expect((await limiter.consume(r, key)).allowed).toBe(false)
      const other = await limiter.consume(r, `${key}-other`)
      expect(other).toMatchObject({ allowed: true, remaining: 0 })
    })

    test('separate rules are independent', async () => {
      const a = rule(1, 60, 'contract-a')
      const b = rule(2, 60, 'contract-b')
      expect((await limiter.consume(a, key)).allowed).toBe(true)
      expect((await limiter.consume(a, key)).allowed).toBe(false)
      expect(await limiter.consume(b, key)).toMatchObject({ allowed: true, remaining: 1 })
      expect((await limiter.peek(a, key)).allowed).toBe(false)
    })

    test('cost > 1 consumes that many points', async () => {
      const r = rule(10)
      expect(await limiter.consume(r, key, 4)).toMatchObject({ allowed: true, remaining: 6 })
      expect(await limiter.consume(r, key, 4)).toMatchObject({ allowed: true, remaining: 2 })
      const refused = await limiter.consume(r, key, 3)
      expect(refused).toMatchObject({ allowed: false, remaining: 0 })
      expect(refused.retryAfterMs).toBeGreaterThan(0)
    })

    test('refund gives back consumed points, never more than were consumed', async () => {
      const r = rule(3)
      await consumeTimes(r, key, 3)
      expect((await limiter.peek(r, key)).allowed).toBe(false)
      await limiter.refund(r, key)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 1 })
      await limiter.refund(r, key, 10)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 3 })
      expect(await limiter.consume(r, key)).toMatchObject({ allowed: true, remaining: 2 })
      // A key that never consumed anything is not an error and gains nothing.
      await limiter.refund(r, `${key}-fresh`)
      expect((await consumeTimes(r, `${key}-fresh`, 4)).map((d) => d.allowed)).toEqual([
        true,
        true,
        true,
        false,
      ])
    })

    test('a cost above points is refused', async () => {
      expect((await limiter.consume(rule(5), key, 6)).allowed).toBe(false)
    })

    test('a refused consume still counts against the window', async () => {
      const r = rule(10)
      await limiter.consume(r, key, 8)
      expect((await limiter.consume(r, key, 3)).allowed).toBe(false)
      // 8 + 2 would fit, but the refused 3 were counted too.
      expect((await limiter.consume(r, key, 2)).allowed).toBe(false)
    })

    test('peek does not consume', async () => {
      const r = rule(3)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 3, retryAfterMs: 0 })
      await limiter.consume(r, key, 2)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 1, retryAfterMs: 0 })
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 1, retryAfterMs: 0 })
      expect(await limiter.consume(r, key)).toMatchObject({ allowed: true, remaining: 0 })
      const exhausted = await limiter.peek(r, key)
      expect(exhausted).toMatchObject({ allowed: false, remaining: 0 })
      expect(exhausted.retryAfterMs).toBeGreaterThan(0)
      expect(exhausted.retryAfterMs).toBeLessThanOrEqual(60_000)
    })

    test('reset restores the full limit', async () => {
      const r = rule(2)
      await consumeTimes(r, key, 3)
      await limiter.reset(r, key)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 2 })
      expect(await limiter.consume(r, key)).toMatchObject({ allowed: true, remaining: 1 })
      await expect(limiter.reset(r, `${key}-never-used`)).resolves.toBeUndefined()
    })

    test('reset clears only that rule and key', async () => {
      const a = rule(1, 60, 'contract-a')
      const b = rule(1, 60, 'contract-b')
      await limiter.consume(a, key)
      await limiter.consume(b, key)
      await limiter.consume(a, `${key}-other`)
      await limiter.reset(a, key)
      expect((await limiter.peek(a, key)).allowed).toBe(true)
      expect((await limiter.peek(b, key)).allowed).toBe(false)
      expect((await limiter.peek(a, `${key}-other`)).allowed).toBe(false)
    })

    test('allows again once the window has passed', async () => {
      const r = rule(2, 1, 'contract-short')
      await consumeTimes(r, key, 2)
      const refused = await limiter.consume(r, key)
      expect(refused.allowed).toBe(false)
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1_000)
      await sleep(1_100)
      expect(await limiter.peek(r, key)).toMatchObject({ allowed: true, remaining: 2, retryAfterMs: 0 })
      expect(await limiter.consume(r, key)).toMatchObject({ allowed: true, remaining: 1 })
    })

    test('concurrent consumes allow exactly points', async () => {
      const r = rule(10)
      const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.consume(r, key)))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
      for (const d of decisions.filter((x) => !x.allowed)) expect(d.retryAfterMs).toBeGreaterThan(0)
      expect((await limiter.peek(r, key)).remaining).toBe(0)
    })

    test('rejects an invalid cost or rule', async () => {
      await expect(limiter.consume(rule(5), key, 0)).rejects.toBeInstanceOf(RangeError)
      await expect(limiter.consume(rule(5), key, 1.5)).rejects.toBeInstanceOf(RangeError)
      await expect(limiter.consume(rule(0, 60, 'contract-zero'), key)).rejects.toBeInstanceOf(RangeError)
      await expect(limiter.consume(rule(5, 0.5, 'contract-half'), key)).rejects.toBeInstanceOf(RangeError)
    })

    test('rejects a rule name reused with different limits', async () => {
      await limiter.consume(rule(5, 60, 'contract-dup'), key)
      await expect(limiter.consume(rule(6, 60, 'contract-dup'), key)).rejects.toThrow(/already in use/)
      await expect(limiter.peek(rule(5, 30, 'contract-dup'), key)).rejects.toThrow(/already in use/)
    })

    test('rejects calls after close, and close is idempotent', async () => {
      await limiter.consume(rule(5), key)
      await limiter.close()
      await expect(limiter.close()).resolves.toBeUndefined()
      await expect(limiter.consume(rule(5), key)).rejects.toThrow(/closed/)
    })
  })
}
