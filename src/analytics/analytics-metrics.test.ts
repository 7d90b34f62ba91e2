/** The analytics gauges: computed once per cache period, and a database failure never breaks the scrape. */
import { pino } from 'pino'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/load.js'
import { ManualClock } from '../shared/clock.js'
import type { AlertStore } from './alert.js'
import { AlertMonitor } from './alert-monitor.js'
import { registerAnalyticsMetrics } from './analytics-metrics.js'
import type { AnalyticsStore } from './analytics-store.js'

function setup(store: Partial<AnalyticsStore>) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  const alerts = {
    countOpen: async () => ({ delivery_rate_drop: 1, conversion_rate_drop: 0 }),
  } as unknown as AlertStore
  const config = loadConfig({ env: {}, overrides: { env: 'test' } }).analytics.alerts
  const monitor = new AlertMonitor({
    store: store as AnalyticsStore,
    alerts,
    clock,
    logger: pino({ level: 'silent' }),
    config,
  })
  const registry = new Registry()
  registerAnalyticsMetrics(registry, {
    store: store as AnalyticsStore,
    alerts,
    monitor,
    clock,
    cacheMs: 30_000,
  })
  return { registry, clock }
}

describe('analytics gauges', () => {
  it('one query set per cache period, over the last hour', async () => {
    const windows: Array<{ from: number; to: number }> = []
    const { registry, clock } = setup({
      verificationCounts: async (q) => {
        windows.push({ from: q.from, to: q.to })
        return [{ keys: ['GB', 'sms'], started: 4, verified: 3 }]
      },
      messageCounts: async () => [
        { keys: ['GB', 'tw:sms:GB'], sent: 4, handedOver: 4, delivered: 3, failed: 1 },
        // no final outcome yet: no series rather than a 0
        { keys: ['US', 'vo:sms:US'], sent: 2, handedOver: 2, delivered: 0, failed: 0 },
      ],
    })
    const text = await registry.metrics()
    expect(text).toContain('verigate_conversion_rate{country="GB",channel="sms"} 0.75')
    expect(text).toContain('verigate_delivery_rate{country="GB",route="tw:sms:GB"} 0.75')
    expect(text).not.toContain('country="US"')
    expect(text).toContain('verigate_alerts_open{kind="delivery_rate_drop"} 1')
    expect(windows).toEqual([{ from: clock.now() - 3_600_000, to: clock.now() }])
    await registry.metrics()
    expect(windows).toHaveLength(1)
    clock.advance(30_000)
    await registry.metrics()
    expect(windows).toHaveLength(2)
  })

  it('a failing database leaves the gauges out, not the scrape', async () => {
    const { registry } = setup({
      verificationCounts: async () => {
        throw new Error('database is down')
      },
      messageCounts: async () => [],
    })
    const text = await registry.metrics()
    expect(text).not.toMatch(/^verigate_conversion_rate\{/m)
    expect(text).not.toMatch(/^verigate_alerts_open\{/m)
    expect(text).toContain('verigate_alerts_total{kind="delivery_rate_drop",transition="opened"} 0')
  })
})
