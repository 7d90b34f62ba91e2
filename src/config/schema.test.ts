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
