/** @module /healthz (process is up) and /readyz (database answers). */
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors/app-error.js'

export function registerHealthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', security: [] } }, async () => ({
    status: 'ok',
  }))
  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'Readiness: the database answers', security: [] } },
    async () => {
      try {
        await sql`select 1`.execute(deps.db)
      } catch (cause) {
        throw new AppError('SERVICE_UNAVAILABLE', { message: 'The database does not answer.', cause })
      }
      return { status: 'ready', database: deps.caps.dialect, simulator: deps.simulator !== undefined }
    },
  )
}
