/**
 * @module Readiness: every dependency's state in one report, for `/readyz` and the metrics. The
 * instance is ready while every required dependency is up; an optional one that is away makes it
 * `degraded` (still serving, in a weaker mode the report describes).
 */
import type { DependencyName, DependencyProbe, DependencyState, DependencyStatus } from './dependency.js'

export interface ReadinessEntry {
  readonly name: DependencyName
  /** A required dependency that is not up makes the instance unavailable (`/readyz` answers 503). */
  readonly required: boolean
  readonly probe: DependencyProbe
}

export interface DependencyReport {
  readonly backend: string
  readonly state: DependencyState
  readonly required: boolean
  readonly detail?: string
}

export type ReadinessStatus = 'ready' | 'degraded' | 'unavailable'

export interface ReadinessReport {
  readonly status: ReadinessStatus
  readonly dependencies: Partial<Record<DependencyName, DependencyReport>>
}

export class Readiness {
  constructor(readonly entries: readonly ReadinessEntry[]) {}

  /** Asks every dependency now, all at once; bounded by the slowest one's own timeout. */
  async check(): Promise<ReadinessReport> {
    const statuses = await Promise.all(
      this.entries.map((e) =>
        e.probe.check().catch((err: unknown): DependencyStatus => ({ state: 'down', detail: String(err) })),
      ),
    )
    return this.#report(statuses)
  }

  /** The last known states, without I/O. */
  current(): ReadinessReport {
    return this.#report(this.entries.map((e) => e.probe.current()))
  }

  #report(statuses: readonly DependencyStatus[]): ReadinessReport {
    const dependencies: Partial<Record<DependencyName, DependencyReport>> = {}
    let status: ReadinessStatus = 'ready'
    this.entries.forEach((e, i) => {
      const s = statuses[i] ?? { state: 'down' }
      dependencies[e.name] = {
        backend: e.probe.backend,
        state: s.state,
        required: e.required,
        ...(s.detail ? { detail: s.detail } : {}),
      }
      if (s.state === 'up') return
      if (e.required && s.state === 'down') status = 'unavailable'
      else if (status === 'ready') status = 'degraded'
    })
    return { status, dependencies }
  }
}
