/**
 * What a verification leaves behind in memory, counted in entries (not RSS): thousands of starts to
 * distinct numbers, then a lull longer than every window, then one more start. Per-number limit
 * counters are the only thing that grows with traffic, one per number while its window lasts, and
 * they are gone after it; everything else stays within a fixed bound.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MemoryRateLimiter } from '../../src/ratelimit/memory-rate-limiter.js'
import { buildTestApp, createTestService, eventually } from '../helpers/test-deps.js'

const N = 3_000
const INBOX = 500

describe('bounded memory per verification', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    // The limiter (rate-limiter-flexible) reads Date.now(); only the date is faked, and the app's
    // manual clock starts from it, so both move together.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.UTC(2026, 0, 1))
    t = await buildTestApp({
      config: {
        simulator: { deliveryDelayMs: 0, inboxSize: INBOX },
        limits: {
          startsPerService: { points: 1_000_000, durationSeconds: 60 },
          startsPerPrefix: { points: 1_000_000, durationSeconds: 600 },
          startsPerIp: { points: 1_000_000, durationSeconds: 3600 },
          globalSends: { points: 1_000_000, durationSeconds: 60 },
        },
        // Thousands of consecutive numbers, no code entered: SMS pumping to the fraud guard.
        fraud: { mode: 'off' },
      },
    })
    t.deps.dispatcher.start()
  })
  afterAll(async () => {
    await t.close()
    vi.useRealTimers()
  })

  const advance = (ms: number) => {
    vi.setSystemTime(Date.now() + ms)
    t.clock.set(Date.now())
  }

  it('keeps one limit counter per live number, and fixed-size everything else, then lets them go', async () => {
    // Keys reach the store as HMACs (src/ratelimit/pseudonymous-keys.ts); count in the store itself.
    const limiter = (t.deps.limiter as unknown as { store: unknown }).store as MemoryRateLimiter
    expect(limiter).toBeInstanceOf(MemoryRateLimiter)
    const service = await createTestService(t.deps)
    const listenersBefore = t.deps.changes.listenerCount()
    for (let i = 0; i < N; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          t.deps.verifier.start({
            serviceId: service.id,
            to: `+447911${String(100_000 + i + j)}`,
            channel: 'sms',
            clientIp: `198.51.100.${(i + j) % 250}`,
          }),
        ),
      )
      advance(100)
    }
    await eventually(
      async () => (t.deps.simulator?.inbox.list({ limit: INBOX }).length ?? 0) >= INBOX,
      30_000,
    )

    const during = limiter.footprint()
    // sends_per_destination: one per number; the other rules' keys are per service, prefix or IP.
    expect(during.keys).toBeGreaterThanOrEqual(N)
    expect(during.keys).toBeLessThanOrEqual(N + 300)
    expect(during.evicted).toBe(0)
    expect(t.deps.simulator!.inbox.list({ limit: 10 * INBOX })).toHaveLength(INBOX)
    expect(t.deps.health.all().length).toBeLessThanOrEqual(4)
    expect(t.deps.changes.listenerCount()).toBe(listenersBefore)

    // A lull longer than every limit window (the longest is an hour), then one start.
    advance(3_601_000)
    await t.deps.verifier.start({
      serviceId: service.id,
      to: '+447911200000',
      channel: 'sms',
      clientIp: '198.51.100.1',
    })
    const after = limiter.footprint()
    expect(after.keys).toBeLessThanOrEqual(6)
    expect(t.deps.health.all().length).toBeLessThanOrEqual(4)
  }, 120_000)
})
