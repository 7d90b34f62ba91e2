/**
 * @module Health per route over a sliding window (failure share and receipt latency), with a
 * circuit breaker: a route failing too often is taken out for `openMs`, then one probe is let
 * through; its success closes the circuit, its failure opens it again.
 */
import type { Clock } from '../../shared/clock.js'

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
  /** Median time from hand-over to receipt in the window, when known. */
  readonly receiptLatencyP50Ms: number | null
  readonly openedAt: number | null
}

interface Sample {
  readonly at: number
  readonly ok: boolean
}

interface RouteState {
  samples: Sample[]
  latencies: Array<{ at: number; ms: number }>
  state: CircuitState
  openedAt: number | null
  probeInFlight: boolean
}

export class RouteHealth {
  private readonly routes = new Map<string, RouteState>()

  constructor(
    private readonly config: RouteHealthConfig,
    private readonly clock: Clock,
  ) {}

  private get(route: string): RouteState {
    let s = this.routes.get(route)
    if (!s) {
      s = { samples: [], latencies: [], state: 'closed', openedAt: null, probeInFlight: false }
      this.routes.set(route, s)
    }
    return s
  }

  private prune(s: RouteState, now: number): void {
    const from = now - this.config.windowMs
    while (s.samples.length > 0 && s.samples[0]!.at < from) s.samples.shift()
    while (s.latencies.length > 0 && s.latencies[0]!.at < from) s.latencies.shift()
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
    s.samples.push({ at: now, ok })
    this.prune(s, now)
    if (s.state === 'half_open') {
      s.probeInFlight = false
      if (ok) {
        s.state = 'closed'
        s.openedAt = null
        s.samples = [{ at: now, ok }]
      } else {
        s.state = 'open'
        s.openedAt = now
      }
      return
    }
    if (s.state === 'closed' && !ok) {
      const failures = s.samples.filter((x) => !x.ok).length
      if (
        s.samples.length >= this.config.minSamples &&
        failures / s.samples.length >= this.config.failureRate
      ) {
        s.state = 'open'
        s.openedAt = now
      }
    }
  }

  recordReceiptLatency(route: string, ms: number): void {
    const s = this.get(route)
    const now = this.clock.now()
    s.latencies.push({ at: now, ms })
    this.prune(s, now)
  }

  snapshot(route: string): RouteHealthSnapshot {
    const s = this.get(route)
    this.prune(s, this.clock.now())
    const failures = s.samples.filter((x) => !x.ok).length
    const lat = s.latencies.map((l) => l.ms).sort((a, b) => a - b)
    return {
      route,
      state: s.state,
      samples: s.samples.length,
      failures,
      failureRate: s.samples.length ? failures / s.samples.length : 0,
      receiptLatencyP50Ms: lat.length ? lat[Math.floor((lat.length - 1) / 2)]! : null,
      openedAt: s.openedAt,
    }
  }

  all(): RouteHealthSnapshot[] {
    return [...this.routes.keys()].map((r) => this.snapshot(r))
  }
}
