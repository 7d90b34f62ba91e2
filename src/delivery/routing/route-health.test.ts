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
