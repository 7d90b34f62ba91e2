/** @module /healthz (process is up) and /readyz (database answers). */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { HttpContext } from '../http-context.js'

export function registerHealthRoutes(app: FastifyInstance, deps: HttpContext): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', security: [] } }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness: the database answers', security: [] } },
    async () => {
      try {
        await deps.readiness.pingDatabase()
      } catch (cause) {
        throw new AppError('SERVICE_UNAVAILABLE', { message: 'The database does not answer.', cause })
      }
      return { status: 'ready', database: deps.readiness.dialect, simulator: deps.simulator !== undefined }
    },
  )
}
