import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.js'
import { createMemoryRateLimiter } from '../ratelimit/index.js'
import { ManualClock } from '../shared/clock.js'
import { closeRedis, connectRedis, createRedisClient } from '../shared/redis-client.js'
import { FraudConfigSchema } from './fraud-config.js'
import { FraudGuard, type FraudStart } from './fraud-guard.js'
import type { FraudStore } from './fraud-store.js'
import { MemoryFraudStore } from './memory-fraud-store.js'
import { RedisFraudStore } from './redis-fraud-store.js'

const REDIS_URL = process.env.TEST_REDIS_URL
const redis = REDIS_URL ? createRedisClient(REDIS_URL) : undefined
afterAll(async () => {
  if (redis) await closeRedis(redis)
})

const STORES: { name: string; create: (windowMs: number) => Promise<FraudStore> }[] = [
  { name: 'memory', create: async (windowMs) => new MemoryFraudStore(windowMs, 10_000) },
  ...(redis
    ? [
        {
          name: 'redis',
          create: async (windowMs: number) => {
            if (redis.status !== 'ready') await connectRedis(redis)
            return new RedisFraudStore(redis, windowMs, `vg:test-fraud-${randomBytes(6).toString('hex')}`)
          },
        },
      ]
    : []),
]

async function setup(
  createStore: (windowMs: number) => Promise<FraudStore>,
  config: Record<string, unknown> = {},
  safe: readonly string[] = [],
) {
  // Off the buckets' edges, so no test passes by a lucky alignment.
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 17))
  const parsed = FraudConfigSchema.parse(config)
  const blocks: string[] = []
  const guard = new FraudGuard({
    store: await createStore(parsed.windowSeconds * 1000),
    clock,
    config: parsed,
    limiter: createMemoryRateLimiter({ keyPrefix: `t${randomBytes(4).toString('hex')}` }),
    safeList: { isSafe: async (d) => safe.includes(d) },
    onBlock: (m) => blocks.push(`${m.dimension}:${m.value}:${m.evidence?.rule}`),
  })
  const start = (s: FraudStart) => guard.screen(s)
  return { clock, guard, blocks, start }
}

const gb = (n: number): FraudStart => ({
  serviceId: 'svc_1',
  destination: `+447911${String(n).padStart(6, '0')}`,
  country: 'GB',
})
/** A number spread over the whole French mobile space, as real people's numbers are. */
const fr = (n: number): FraudStart => ({
  serviceId: 'svc_1',
  destination: `+336${String((n * 7_919_113) % 100_000_000).padStart(8, '0')}`,
  country: 'FR',
})

describe.each(STORES)('FraudGuard ($name store)', ({ create }) => {
  it('refuses a range walked with no code entered, with which range, since when and how to lift', async () => {
    const { guard, start, blocks, clock } = await setup(create)
    for (let i = 0; i < 20; i++) {
      expect((await start(gb(120_000 + i))).outcome).toBe('pass')
      clock.advance(500)
    }
    const v = await start(gb(120_500))
    expect(v.outcome).toBe('blocked')
    if (v.outcome !== 'blocked') return
    expect(v.error).toBeInstanceOf(AppError)
    expect(v.error.code).toBe('FRAUD_SUSPECTED')
    expect(v.error.message).toContain('numbers starting +44791112')
    expect(v.error.message).toContain('20 codes were sent there since')
    expect(v.error.message).toContain('Support can lift this in the console')
    expect(v.details).toMatchObject({ dimension: 'prefix', range: '+44791112', rule: 'unproven_burst' })
    expect(blocks).toEqual(['prefix:+44791112:unproven_burst'])
    // The block holds for the next start too, told the same way, and is decided once.
    expect((await start(gb(120_600))).outcome).toBe('blocked')
    expect(blocks).toHaveLength(1)
    // Another range of the same country is not touched.
    expect((await guard.screen(gb(990_001))).outcome).toBe('pass')
  })

  it('lets a legitimate burst through before its codes are entered, and after', async () => {
    const { start, clock, guard } = await setup(create)
    // 300 people of a campaign in one country within a minute; 80% enter their code ~5 s later.
    const started: FraudStart[] = []
    for (let i = 0; i < 300; i++) {
      const s = fr(i)
      expect((await start(s)).outcome).toBe('pass')
      started.push(s)
      clock.advance(200)
      const due = started.length - 25
      if (due >= 0 && due % 5 !== 4) {
        await guard.recordApproval({ ...started[due]!, startedAt: clock.now() - 5_000 })
      }
    }
  })

  it('lets a campaign burst through when its codes come in late (a delivery backlog)', async () => {
    const { start, clock, guard } = await setup(create)
    // An established service where everyone converts, fast: the baseline is 100%.
    for (let i = 0; i < 120; i++) {
      const s = { ...gb(0), destination: `+4475${String(i * 9_973).padStart(8, '0')}` }
      await start(s)
      await guard.recordApproval({ ...s, startedAt: clock.now() })
      clock.advance(5_000)
    }
    // 150 starts in 6 s in one country; the SMS queue holds their codes back 12 s.
    const burst: FraudStart[] = []
    for (let i = 0; i < 150; i++) {
      const s = fr(i)
      expect((await start(s)).outcome).toBe('pass')
      burst.push(s)
      clock.advance(40)
    }
    for (let t = 0; t < 12; t++) {
      clock.advance(1_000)
      expect((await start(fr(1_000 + t))).outcome).toBe('pass')
    }
    // The codes arrive and 80% are typed over the next 20 s.
    for (const [i, s] of burst.entries()) {
      if (i % 5 !== 0) await guard.recordApproval({ ...s, startedAt: clock.now() - 12_000 })
      if (i % 8 === 0) {
        clock.advance(1_000)
        expect((await start(fr(2_000 + i))).outcome).toBe('pass')
      }
    }
    for (let t = 0; t < 60; t++) {
      clock.advance(2_000)
      expect((await start(fr(3_000 + t))).outcome).toBe('pass')
    }
  })

  it('refuses a range converting far below the rest of its country once its starts have matured', async () => {
    const { start, clock, guard } = await setup(create, { unprovenRangeStarts: 0 })
    // The country converts at 80%: 100 people over 10 minutes.
    for (let i = 0; i < 100; i++) {
      const spread = { ...gb(0), destination: `+4475${String(i * 9_973).padStart(8, '0')}` }
      await start(spread)
      if (i % 5 !== 0) await guard.recordApproval({ ...spread, startedAt: clock.now() })
      clock.advance(6_000)
    }
    // A slow ring on one range: one start a minute, never a code.
    let outcome = 'pass'
    let n = 0
    for (; n < 30 && outcome === 'pass'; n++) {
      outcome = (await start(gb(n))).outcome
      clock.advance(60_000)
    }
    expect(outcome).toBe('blocked')
    // Judged on matured starts only: at least the minimum sample had to be sent first.
    expect(n).toBeGreaterThan(8)
    const v = await guard.screen(gb(99))
    expect(v.outcome === 'blocked' && v.details).toMatchObject({ rule: 'low_conversion', conversion: 0 })
  })

  it('shadow mode decides and reports but lets the start through; off judges nothing', async () => {
    const shadow = await setup(create, { services: { svc_1: { mode: 'shadow' } } })
    for (let i = 0; i < 25; i++) await shadow.start(gb(i))
    const v = await shadow.guard.screen(gb(30))
    expect(v.outcome).toBe('flagged')
    expect(v.outcome === 'flagged' && v.details).toMatchObject({ range: '+44791100', rule: 'unproven_burst' })
    expect(shadow.blocks).toEqual([])

    const off = await setup(create, { mode: 'off' })
    for (let i = 0; i < 25; i++) await off.start(gb(i))
    expect((await off.guard.screen(gb(30))).outcome).toBe('pass')
  })

  it('the safe list bypasses a block; support lifts it with a reason, once', async () => {
    const { start, guard } = await setup(create, {}, ['+447911100000'])
    for (let i = 0; i < 20; i++) await start(gb(100_001 + i))
    expect((await guard.screen(gb(100_000))).outcome).toBe('safe_listed')
    expect((await guard.screen(gb(100_100))).outcome).toBe('blocked')
    const [mark] = await guard.marks()
    expect(mark).toMatchObject({ kind: 'block', dimension: 'prefix', value: '+44791110' })
    const lift = await guard.lift(mark!.key, 'ann@example.com', 'Ticket 12: carrier range of a customer')
    expect(lift).toMatchObject({ kind: 'lift', by: 'ann@example.com' })
    expect((await guard.screen(gb(100_100))).outcome).toBe('pass')
    await expect(guard.lift(mark!.key, 'ann@example.com', 'again')).rejects.toMatchObject({
      code: 'FRAUD_BLOCK_NOT_FOUND',
    })
  })

  it('a block ends by itself after blockSeconds', async () => {
    const { start, guard, clock } = await setup(create, { blockSeconds: 600, windowSeconds: 300 })
    for (let i = 0; i < 20; i++) await start(gb(i))
    expect((await guard.screen(gb(50))).outcome).toBe('blocked')
    clock.advance(601_000)
    expect((await guard.screen(gb(50))).outcome).toBe('pass')
  })

  it('per-country daily caps refuse past the cap, per service', async () => {
    const { start } = await setup(create, { countryDailyCaps: { FR: 3 } })
    for (let i = 0; i < 3; i++) expect((await start(fr(i))).outcome).toBe('pass')
    const v = await start(fr(4))
    expect(v.outcome).toBe('blocked')
    expect(v.outcome === 'blocked' && v.details).toMatchObject({ reason: 'country_daily_cap', cap: 3 })
    expect((await start({ ...fr(5), serviceId: 'svc_2' })).outcome).toBe('pass')
  })
})

describe('MemoryFraudStore', () => {
  it('holds at most maxKeys counters whatever the traffic', async () => {
    const store = new MemoryFraudStore(60_000, 1_000)
    const now = Date.now()
    for (let i = 0; i < 5_000; i++) await store.add([`prefix|s|${i}`], 'starts', 1, now)
    const held = await store.read(
      Array.from({ length: 5_000 }, (_, i) => `prefix|s|${i}`),
      0,
      now,
    )
    expect(held.filter((b) => b.length > 0).length).toBeLessThanOrEqual(1_000)
  })
})
