/**
 * @module GET /metrics: Prometheus text format from this app's registry. Open by default (bind the
 * server to a private interface, or scrape through one); with `metrics.token` set, scrapes must
 * send `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { HttpContext } from '../http-context.js'

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function registerMetricsRoutes(app: FastifyInstance, deps: HttpContext): void {
  const { registry } = deps.metrics
  const token = deps.config.metrics.token
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        security: token ? [{ apiKey: [] }] : [],
      },
      onRequest: async (request) => {
        if (!token) return
        const header = request.headers.authorization ?? ''
        const given = header.startsWith('Bearer ') ? header.slice(7) : ''
        if (!sameToken(given, token)) {
          throw new AppError('UNAUTHORIZED', {
            message: 'This endpoint needs `Authorization: Bearer <metrics.token>`.',
          })
        }
      },
    },
    async (_request, reply) => {
      const text = await registry.metrics()
      return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text)
    },
  )
}
