/**
 * @module The dependency gauges in `/metrics`, read from the last known states (no I/O on scrape):
 * alert on `verigate_dependency_up == 0`, and on `verigate_dependency_degraded == 1` for the rate
 * limit store (limits are then per instance).
 */
import { Gauge, type Registry } from 'prom-client'
import type { Readiness } from './readiness.js'

export function registerDependencyMetrics(registry: Registry, readiness: Readiness): void {
  const registers = [registry]
  const labelNames = ['dependency', 'backend'] as const
  new Gauge({
    name: 'verigate_dependency_up',
    help: '1 while the dependency answers, 0 while it is degraded or down.',
    labelNames,
    registers,
    collect() {
      for (const e of readiness.entries) {
        this.set({ dependency: e.name, backend: e.probe.backend }, e.probe.current().state === 'up' ? 1 : 0)
      }
    },
  })
  new Gauge({
    name: 'verigate_dependency_degraded',
    help: '1 while verigate carries on without the dependency in a weaker mode (rate limits kept per instance in memory), else 0.',
    labelNames,
    registers,
    collect() {
      for (const e of readiness.entries) {
        const degraded = e.probe.current().state === 'degraded'
        this.set({ dependency: e.name, backend: e.probe.backend }, degraded ? 1 : 0)
      }
    },
  })
}
