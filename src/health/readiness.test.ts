/** The readiness report: required dependencies decide availability, optional ones only degrade it. */
import { describe, expect, it } from 'vitest'
import type { DependencyProbe, DependencyStatus } from './dependency.js'
import { Readiness } from './readiness.js'

function probe(backend: string, status: DependencyStatus, live: DependencyStatus = status): DependencyProbe {
  return { backend, current: () => status, check: async () => live }
}
const up: DependencyStatus = { state: 'up' }

describe('Readiness', () => {
  it('is ready while everything is up', async () => {
    const r = new Readiness([
      { name: 'database', required: true, probe: probe('postgres', up) },
      { name: 'rate_limit_store', required: false, probe: probe('redis', up) },
    ])
    expect(await r.check()).toEqual({
      status: 'ready',
      dependencies: {
        database: { backend: 'postgres', state: 'up', required: true },
        rate_limit_store: { backend: 'redis', state: 'up', required: false },
      },
    })
  })

  it('is degraded when an optional dependency is away, or a required one is only degraded', async () => {
    const away: DependencyStatus = { state: 'degraded', detail: 'limits in memory' }
    const optional = new Readiness([
      { name: 'database', required: true, probe: probe('postgres', up) },
      { name: 'rate_limit_store', required: false, probe: probe('redis', away) },
    ])
    expect((await optional.check()).status).toBe('degraded')
    expect((await optional.check()).dependencies.rate_limit_store?.detail).toBe('limits in memory')
    const required = new Readiness([{ name: 'database', required: true, probe: probe('postgres', away) }])
    expect((await required.check()).status).toBe('degraded')
  })

  it('is unavailable when a required dependency is down; a probe that throws counts as down', async () => {
    const down = new Readiness([
      { name: 'database', required: true, probe: probe('postgres', up, { state: 'down' }) },
      { name: 'change_feed', required: false, probe: probe('redis', up) },
    ])
    expect((await down.check()).status).toBe('unavailable')
    // The last known states need no I/O.
    expect(down.current().status).toBe('ready')
    const throwing: DependencyProbe = {
      backend: 'postgres',
      current: () => up,
      check: () => Promise.reject(new Error('boom')),
    }
    expect(
      (await new Readiness([{ name: 'database', required: true, probe: throwing }]).check()).status,
    ).toBe('unavailable')
  })
})
