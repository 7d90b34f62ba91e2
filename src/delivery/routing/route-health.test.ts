/** The circuit breaker opens on failures, lets one probe through after `openMs`, and closes on its success. */
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../shared/clock.js'
import { RouteHealth } from './route-health.js'

describe('RouteHealth', () => {
  const config = { windowMs: 10_000, minSamples: 4, failureRate: 0.5, openMs: 5_000 }

  it('stays closed below the minimum number of samples', () => {
    const h = new RouteHealth(config, new ManualClock())
    for (let i = 0; i < 3; i++) h.record('r', false)
    expect(h.snapshot('r').state).toBe('closed')
    expect(h.allows('r')).toBe(true)
  })

  it('opens at the failure rate, probes once after openMs, closes on success', () => {
    const clock = new ManualClock()
    const h = new RouteHealth(config, clock)
    h.record('r', true)
    h.record('r', false)
    h.record('r', true)
    h.record('r', false)
    expect(h.snapshot('r')).toMatchObject({ state: 'open', samples: 4, failures: 2, failureRate: 0.5 })
    expect(h.allows('r')).toBe(false)
    clock.advance(5_000)
    expect(h.allows('r')).toBe(true) // the probe
    expect(h.allows('r')).toBe(false) // only one at a time
    h.record('r', true)
    expect(h.snapshot('r').state).toBe('closed')
    expect(h.allows('r')).toBe(true)
  })

  it('re-opens when the probe fails', () => {
    const clock = new ManualClock()
    const h = new RouteHealth(config, clock)
    for (let i = 0; i < 4; i++) h.record('r', false)
    clock.advance(5_000)
    expect(h.allows('r')).toBe(true)
    h.record('r', false)
    expect(h.snapshot('r').state).toBe('open')
    expect(h.allows('r')).toBe(false)
  })

  it('forgets samples outside the window and keeps receipt latency', () => {
    const clock = new ManualClock()
    const h = new RouteHealth(config, clock)
    h.record('r', false)
    h.recordReceiptLatency('r', 120)
    h.recordReceiptLatency('r', 300)
    h.recordReceiptLatency('r', 200)
    expect(h.snapshot('r').receiptLatencyP50Ms).toBe(200)
    clock.advance(10_001)
    expect(h.snapshot('r')).toMatchObject({ samples: 0, receiptLatencyP50Ms: null })
  })
})

describe('RouteHealth under a burst and a lull', () => {
  const config = { windowMs: 60_000, minSamples: 5, failureRate: 0.5, openMs: 30_000 }

  it('keeps a million samples in fixed slices and answers one record after the lull from a fresh window', () => {
    const clock = new ManualClock()
    const h = new RouteHealth(config, clock)
    // A burst: a million outcomes over 40 s (one in ten failed), then a lull longer than the window.
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 25_000 === 0) clock.advance(1_000)
      h.record('r', i % 10 !== 0)
    }
    expect(h.snapshot('r')).toMatchObject({ state: 'closed', samples: 1_000_000, failures: 100_000 })
    clock.advance(60_000)
    h.record('r', false)
    expect(h.snapshot('r')).toMatchObject({ state: 'closed', samples: 1, failures: 1, failureRate: 1 })
  })

  it('reports the median receipt latency from a bounded histogram, within its bin', () => {
    const clock = new ManualClock()
    const h = new RouteHealth(config, clock)
    for (let i = 0; i < 100_000; i++) h.recordReceiptLatency('r', 1_000 + (i % 1_000))
    const p50 = h.snapshot('r').receiptLatencyP50Ms!
    // The true median is 1499; a bin is 25 % wide.
    expect(p50).toBeGreaterThanOrEqual(1_499 / 1.25)
    expect(p50).toBeLessThanOrEqual(1_499 * 1.25)
  })
})
