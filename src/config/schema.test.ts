import { describe, expect, it } from 'vitest'
import { configSchema } from './schema.js'

describe('config defaults', () => {
  it('fills nested sections from their field defaults when a section is absent or partial', () => {
    const c = configSchema.parse({})
    expect(c.console).toEqual({
      defaultCountry: 'GB',
      sessionTtlSeconds: 28_800,
      idleTimeoutSeconds: 1_800,
      loginAttempts: { points: 5, durationSeconds: 900 },
    })
    expect(c.analytics).toMatchObject({ percentileSampleLimit: 50_000, metricsCacheMs: 30_000 })
    expect(c.analytics.alerts).toMatchObject({
      enabled: true,
      recentWindowMs: 900_000,
      dropPoints: 0.25,
      recoverWithinPoints: 0.1,
    })
    const partial = configSchema.parse({ analytics: { alerts: { minRecentSamples: 5 } } })
    expect(partial.analytics.alerts).toMatchObject({
      minRecentSamples: 5,
      minBaselineSamples: 100,
      intervalMs: 60_000,
    })
    expect(partial.analytics.percentileSampleLimit).toBe(50_000)
  })
})

describe('dependency timeouts', () => {
  it('default every PostgreSQL and Redis timeout, and refuse a query timeout not above the statement timeout', () => {
    const c = configSchema.parse({ postgres: { poolSize: 4 } })
    expect(c.postgres).toEqual({
      poolSize: 4,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 5_000,
      queryTimeoutMs: 6_000,
      idleTimeoutMs: 10_000,
      idleInTransactionTimeoutMs: 30_000,
      probeIntervalMs: 1_000,
      namedStatements: true,
    })
    expect(c.redis).toEqual({
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 1_000,
      reconnectMaxDelayMs: 2_000,
      probeIntervalMs: 1_000,
    })
    const bad = configSchema.safeParse({ postgres: { statementTimeoutMs: 8_000 } })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['postgres', 'queryTimeoutMs'])
  })
})

describe('heap growth', () => {
  it('defaults to three times the live heap, takes 0 for V8 own choice, and refuses what V8 would not', () => {
    expect(configSchema.parse({}).heap).toEqual({ growthPercent: 200 })
    expect(configSchema.parse({ heap: { growthPercent: 0 } }).heap.growthPercent).toBe(0)
    expect(configSchema.safeParse({ heap: { growthPercent: -1 } }).success).toBe(false)
    expect(configSchema.safeParse({ heap: { growthPercent: 401 } }).success).toBe(false)
    expect(configSchema.safeParse({ heap: { growthPercent: 50.5 } }).success).toBe(false)
  })
})
