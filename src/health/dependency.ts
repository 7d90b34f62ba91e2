/**
 * @module What verigate needs to know about each thing it depends on (the database, the rate-limit
 * store, the change feed), for `/readyz`, the metrics and the 503 answers. Adapters (storage/,
 * ratelimit/, events/) implement `DependencyProbe`; this folder never imports them.
 */

/** The dependencies a 503 or a readiness report can name. */
export const DEPENDENCY_NAMES = ['database', 'rate_limit_store', 'change_feed'] as const
export type DependencyName = (typeof DEPENDENCY_NAMES)[number]

/**
 * `up`: working. `degraded`: unreachable, but verigate carries on without it in a weaker mode
 * (limits kept per instance in memory; status streams refreshed by their own polling). `down`:
 * unreachable, and what needs it fails with 503.
 */
export const DEPENDENCY_STATES = ['up', 'degraded', 'down'] as const
export type DependencyState = (typeof DEPENDENCY_STATES)[number]

export interface DependencyStatus {
  readonly state: DependencyState
  /** For an operator: what is wrong and what verigate does meanwhile. Never a secret or a URL password. */
  readonly detail?: string
}

/** One dependency as its adapter sees it. */
export interface DependencyProbe {
  /** What it runs on: `postgres`, `sqlite`, `redis`, `memory`, `local`. */
  readonly backend: string
  /** The last known state, without I/O (read on every metrics scrape). */
  current(): DependencyStatus
  /**
   * Asks the dependency now (`select 1`, `PING`). Resolves, never rejects, within the dependency's
   * own configured timeout (PostgreSQL's `queryTimeoutMs`, Redis's `commandTimeoutMs`).
   */
  check(): Promise<DependencyStatus>
}

/** A probe that is always up: the embedded database, the in-memory limiter, the in-process feed. */
export function alwaysUp(backend: string): DependencyProbe {
  const up: DependencyStatus = { state: 'up' }
  return { backend, current: () => up, check: async () => up }
}
