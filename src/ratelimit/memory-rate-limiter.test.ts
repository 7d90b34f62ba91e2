/**
 * The memory limiter holds one counter per live key and no timer per key: counted in entries, not
 * RSS, over a burst of distinct keys (a new phone number per verification) and the window after it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import type { LimitRule } from './rate-limiter.js'

const perNumber: LimitRule = { name: 'sends_per_destination', points: 5, durationSeconds: 600 }
const perService: LimitRule = { name: 'starts_per_service', points: 1_000_000, durationSeconds: 60 }

describe('MemoryRateLimiter memory', () => {
  beforeEach(() => {
    // rate-limiter-flexible reads Date.now(); only the date is faked, timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.UTC(2026, 0, 1))
  })
  afterEach(() => vi.useRealTimers())

  it('holds one counter per live key, sets no timer, and forgets them once their window has passed', async () => {
    const limiter = createMemoryRateLimiter()
    const setTimeoutCalls = vi.spyOn(globalThis, 'setTimeout')
    for (let i = 0; i < 100_000; i++) {
      await limiter.consume(perNumber, `+4479111${String(i).padStart(5, '0')}`)
      await limiter.consume(perService, 'svc_1')
      if (i % 10_000 === 0) vi.advanceTimersByTime(1_000)
    }
    expect(limiter.footprint()).toEqual({ keys: 100_001, evicted: 0 })
    expect(setTimeoutCalls).not.toHaveBeenCalled()
    setTimeoutCalls.mockRestore()
    // A number seen in the burst is still limited within its window.
    for (let i = 0; i < 4; i++) await limiter.consume(perNumber, '+447911100000')
    expect((await limiter.consume(perNumber, '+447911100000')).allowed).toBe(false)

    vi.setSystemTime(Date.now() + 601_000)
    await limiter.consume(perNumber, '+447911199999')
    expect(limiter.footprint().keys).toBe(1)
    expect((await limiter.consume(perNumber, '+447911100000')).allowed).toBe(true)
    await limiter.close()
  })

  it('holds at most maxKeysPerRule counters per rule, forgetting those nearest the end of their window', async () => {
    const limiter = createMemoryRateLimiter({ maxKeysPerRule: 1_000 })
    for (let i = 0; i < 5_000; i++) {
      if (i % 500 === 0) vi.advanceTimersByTime(1_000)
      await limiter.consume(perNumber, `n${i}`)
    }
    expect(limiter.footprint()).toEqual({ keys: 1_000, evicted: 4_000 })
    // The newest keys keep their counters.
    for (let i = 0; i < 4; i++) await limiter.consume(perNumber, 'n4999')
    expect((await limiter.consume(perNumber, 'n4999')).allowed).toBe(false)
    await limiter.close()
  })
})
