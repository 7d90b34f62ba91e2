/** @module NoopRateLimiter allows everything and stores nothing. */
import { describe, expect, it } from 'vitest'
import { createNoopRateLimiter } from './noop-rate-limiter.js'

describe('NoopRateLimiter', () => {
  const rule = { name: 'noop', points: 1, durationSeconds: 60 }

  it('always allows, with the full rule remaining', async () => {
    const limiter = createNoopRateLimiter()
    for (let i = 0; i < 5; i++) {
      expect(await limiter.consume(rule, 'k', 10)).toMatchObject({
        allowed: true,
        remaining: 1,
        retryAfterMs: 0,
      })
    }
    expect(await limiter.peek(rule, 'k')).toMatchObject({ allowed: true, remaining: 1, retryAfterMs: 0 })
    await expect(limiter.reset(rule, 'k')).resolves.toBeUndefined()
    await expect(limiter.close()).resolves.toBeUndefined()
  })
})
