/** The rolling window: O(1) per sample (counted in slices cleared, not timed), exact counts, forgetting by age. */
import { describe, expect, it } from 'vitest'
import { LATENCY_BINS, RollingWindow, SLICES } from './rolling-window.js'

const T0 = Date.UTC(2026, 0, 1)

describe('RollingWindow', () => {
  it('clears at most SLICES slices after a million samples and a lull, and counts only the new one', () => {
    const w = new RollingWindow(60_000)
    let now = T0
    for (let i = 0; i < 1_000_000; i++) {
      if (i % 25_000 === 0) now += 1_000
      w.record(now, i % 10 !== 0)
      if (i % 3 === 0) w.recordLatency(now, 100 + (i % 5_000))
    }
    expect(w.totals(now)).toEqual({ samples: 1_000_000, failures: 100_000 })
    // 40 s of burst moved the window by 40 s: one clear per slice passed, not one step per sample.
    expect(w.slicesCleared).toBeLessThanOrEqual(SLICES + 40 * (SLICES / 60) + 1)

    now += 5 * 60_000
    const before = w.slicesCleared
    w.record(now, true)
    expect(w.slicesCleared - before).toBe(SLICES)
    expect(w.totals(now)).toEqual({ samples: 1, failures: 0 })
    expect(w.latencyP50(now)).toBeNull()
  })

  it('forgets a sample between windowMs - windowMs / SLICES and windowMs of age, never later', () => {
    const windowMs = 10_000
    for (const offset of [0, 1, 137, 333, 334, 9_999]) {
      const w = new RollingWindow(windowMs)
      w.record(T0 + offset, false)
      expect(w.totals(T0 + offset + windowMs - windowMs / SLICES - 1).samples).toBe(1)
      expect(w.totals(T0 + offset + windowMs).samples).toBe(0)
    }
  })

  it('counts a sample from a clock that stepped back into the newest slice', () => {
    const w = new RollingWindow(10_000)
    w.record(T0, true)
    w.record(T0 - 5_000, false)
    expect(w.totals(T0)).toEqual({ samples: 2, failures: 1 })
  })

  it('gives the exact lower median when its bin holds one distinct value', () => {
    const w = new RollingWindow(10_000)
    for (const ms of [120, 300, 200, 5_000]) w.recordLatency(T0, ms)
    expect(w.latencyP50(T0)).toBe(200)
  })

  it('puts the very slow and the instant into the edge bins', () => {
    const w = new RollingWindow(10_000)
    w.recordLatency(T0, 0)
    expect(w.latencyP50(T0)).toBe(0)
    const slow = new RollingWindow(10_000)
    slow.recordLatency(T0, 10 * 3_600_000)
    expect(slow.latencyP50(T0)).toBe(10 * 3_600_000)
    expect(LATENCY_BINS).toBe(64)
  })

  it('clearOutcomes keeps the latencies', () => {
    const w = new RollingWindow(10_000)
    w.record(T0, false)
    w.recordLatency(T0, 250)
    w.clearOutcomes()
    expect(w.totals(T0)).toEqual({ samples: 0, failures: 0 })
    expect(w.latencyP50(T0)).toBe(250)
    // and a slice cleared later does not subtract the forgotten outcomes twice
    expect(w.totals(T0 + 20_000)).toEqual({ samples: 0, failures: 0 })
  })
})
