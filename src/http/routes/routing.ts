/** @module GET /v1/routes: the configured routes per channel with their live health (admin). */
import type { FastifyInstance } from 'fastify'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'

export function registerRoutingRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  app.get(
    '/v1/routes',
    {
      onRequest: auth.require('admin', { audit: false, global: true }),
      schema: {
        tags: ['routing'],
        summary: 'Routes per channel and their health (circuit state, failure rate, receipt latency)',
      },
    },
    async () => ({
      data: deps.router.channels().flatMap((channel) =>
        deps.router.candidates(channel, null).map((r) => {
          const h = deps.health.snapshot(r.id)
          return {
            id: r.id,
            channel,
            provider: r.provider.id,
            provider_type: r.provider.type,
            from: r.from ?? null,
            circuit: h.state,
            samples: h.samples,
            failure_rate: h.failureRate,
            receipt_latency_p50_ms: h.receiptLatencyP50Ms,
          }
        }),
      ),
    }),
  )
}
