/**
 * @module Health per route over a sliding window (failure share and receipt latency), with a
 * circuit breaker: a route failing too often is taken out for `openMs`, then one probe is let
 * through; its success closes the circuit, its failure opens it again.
 */
import type { Clock } from '../../shared/clock.js'
import { RollingWindow } from './rolling-window.js'

export interface RouteHealthConfig {
  readonly windowMs: number
  readonly minSamples: number
  readonly failureRate: number
  readonly openMs: number
}

export type CircuitState = 'closed' | 'open' | 'half_open'

export interface RouteHealthSnapshot {
  readonly route: string
  readonly state: CircuitState
  readonly samples: number
  readonly failures: number
  readonly failureRate: number
  /**
   * Median time from hand-over to receipt in the window, when known: exact while the median's
   * 25 %-wide histogram bin holds one distinct value, otherwise the mean of that bin's observations.
   */
  readonly receiptLatencyP50Ms: number | null
  readonly openedAt: number | null
}

interface RouteState {
  readonly window: RollingWindow
  state: CircuitState
  openedAt: number | null
  probeInFlight: boolean
}

/**
 * Circuit state and sliding-window figures per route. Each route's window is a fixed ring of time
 * slices ({@link RollingWindow}), so recording is O(1) and a burst followed by a lull costs nothing
 * extra; the window's edge moves in steps of `windowMs / SLICES` (see rolling-window.ts for the
 * precision of the counts and of the latency median).
 */
export class RouteHealth {
  private readonly routes = new Map<string, RouteState>()

  constructor(
    private readonly config: RouteHealthConfig,
    private readonly clock: Clock,
  ) {}

  private get(route: string): RouteState {
    let s = this.routes.get(route)
    if (!s) {
      s = {
        window: new RollingWindow(this.config.windowMs),
        state: 'closed',
        openedAt: null,
        probeInFlight: false,
      }
      this.routes.set(route, s)
    }
    return s
  }

  /** Whether a message may be sent on `route` now. In half-open state, only one probe at a time. */
  allows(route: string): boolean {
    const s = this.get(route)
    const now = this.clock.now()
    if (s.state === 'open' && s.openedAt !== null && now - s.openedAt >= this.config.openMs) {
      s.state = 'half_open'
      s.probeInFlight = false
    }
    if (s.state === 'closed') return true
    if (s.state === 'half_open' && !s.probeInFlight) {
      s.probeInFlight = true
      return true
    }
    return false
  }

  /** Records a submit or receipt outcome for `route`. */
  record(route: string, ok: boolean): void {
    const s = this.get(route)
    const now = this.clock.now()
    s.window.record(now, ok)
    if (s.state === 'half_open') {
      s.probeInFlight = false
      if (ok) {
        s.state = 'closed'
        s.openedAt = null
        // The route earns its way back from the probe alone, not from the failures that opened it.
        s.window.clearOutcomes()
        s.window.record(now, ok)
      } else {
        s.state = 'open'
        s.openedAt = now
      }
      return
    }
    if (s.state === 'closed' && !ok) {
      const { samples, failures } = s.window.totals(now)
      if (samples >= this.config.minSamples && failures / samples >= this.config.failureRate) {
        s.state = 'open'
        s.openedAt = now
      }
    }
  }

  /** Records the time from hand-over to receipt of one message on `route`. */
  recordReceiptLatency(route: string, ms: number): void {
    this.get(route).window.recordLatency(this.clock.now(), ms)
  }

  snapshot(route: string): RouteHealthSnapshot {
    const s = this.get(route)
    const now = this.clock.now()
    const { samples, failures } = s.window.totals(now)
    return {
      route,
      state: s.state,
      samples,
      failures,
      failureRate: samples ? failures / samples : 0,
      receiptLatencyP50Ms: roundOrNull(s.window.latencyP50(now)),
      openedAt: s.openedAt,
    }
  }

  all(): RouteHealthSnapshot[] {
    return [...this.routes.keys()].map((r) => this.snapshot(r))
  }
}

function roundOrNull(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms)
}
