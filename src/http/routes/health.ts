/**
 * @module /livez and /healthz (the process is sound: restart it only when these fail) and /readyz
 * (each dependency's state; 503 while a required one is gone, so a load balancer sends traffic
 * elsewhere). docs/operations.md says what to do with each.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { HttpContext } from '../http-context.js'
import { NO_OVERLOAD_MONITOR, type OverloadMonitor, type OverloadState } from '../overload.js'

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: Pick<HttpContext, 'readiness' | 'simulator'>,
  overload: OverloadMonitor = NO_OVERLOAD_MONITOR,
): void {
  const startedAt = Date.now()
  const alive = async () => ({ status: 'ok', uptime_seconds: Math.floor((Date.now() - startedAt) / 1000) })
  // Never touches a dependency: a database outage must not get a sound process restarted.
  app.get(
    '/livez',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers', security: [] } },
    alive,
  )
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness (alias of /livez)', security: [] } },
    alive,
  )
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: every dependency with its state; 503 while a required one is down',
        security: [],
      },
    },
    async () => {
      // Overloaded (src/http/overload.ts): not ready for more traffic, whatever the dependencies say.
      const load = overload.state()
      if (load.overloaded) {
        const err = overload.refusal(load)
        Object.assign(err.details, { overload: overloadJson(load) })
        throw err
      }
      const { status, dependencies } = await deps.readiness.check()
      if (status === 'unavailable') {
        const [name, down] =
          Object.entries(dependencies).find(([, d]) => d.required && d.state === 'down') ?? []
        throw new AppError('SERVICE_UNAVAILABLE', {
          message: `Not ready: the ${name?.replaceAll('_', ' ') ?? 'database'} (${down?.backend ?? 'unknown'}) is down.`,
          details: { dependency: down?.backend, retry_after: 2, status, dependencies },
          headers: { 'retry-after': '2' },
        })
      }
      return {
        status,
        database: dependencies.database?.backend,
        simulator: deps.simulator !== undefined,
        dependencies,
        overload: overloadJson(load),
      }
    },
  )
}

function overloadJson(s: OverloadState) {
  return {
    overloaded: s.overloaded,
    event_loop_delay_ms: s.eventLoopDelayMs,
    heap_used_bytes: s.heapUsedBytes,
    rss_bytes: s.rssBytes,
  }
}
