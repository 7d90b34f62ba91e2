/**
 * @module /v1/subjects: a person's requests about their data (docs/privacy.md). Export everything
 * held for one number or email, or erase it (pseudonymised everywhere, at once). Installation-wide
 * (a person is not a tenant's), so a global admin key only; each request is audited under the
 * person's pseudonym by the use-case itself, never with the number.
 */
import type { FastifyInstance } from 'fastify'
import { apiKeyActor } from '../../support/api-audit.js'
import { requireReason } from '../../support/audit.js'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'

const destination = {
  type: 'string',
  minLength: 3,
  maxLength: 254,
  description: 'A phone number in international form (+...) or an email address.',
} as const

export function registerSubjectRoutes(
  app: FastifyInstance,
  deps: Pick<HttpContext, 'personalData'>,
  auth: ApiKeyAuth,
): void {
  // The use-case writes the audit entry (under the pseudonym), so the route's hook does not.
  const admin = auth.require('admin', { audit: false, global: true })

  app.post<{ Body: { destination: string } }>(
    '/v1/subjects/export',
    {
      onRequest: admin,
      schema: {
        tags: ['privacy'],
        summary: 'Everything held for one phone number or email address (a subject access request)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['destination'],
          properties: { destination },
        },
      },
    },
    async (request, reply) => {
      const found = await deps.personalData.export(
        request.body.destination,
        apiKeyActor(request.apiKey!, request.ip),
      )
      reply.header('cache-control', 'no-store')
      return {
        destination: found.destination,
        pseudonym: found.pseudonym,
        tables: found.tables,
        simulator_inbox: found.simulatorInbox,
      }
    },
  )

  app.post<{ Body: { destination: string; reason: string } }>(
    '/v1/subjects/erase',
    {
      onRequest: admin,
      schema: {
        tags: ['privacy'],
        summary:
          'Erase one phone number or email address now: pseudonymised in every table, pending verifications canceled',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['destination', 'reason'],
          properties: { destination, reason: { type: 'string', minLength: 1, maxLength: 500 } },
        },
      },
    },
    async (request) => {
      const erased = await deps.personalData.erase(
        request.body.destination,
        apiKeyActor(request.apiKey!, request.ip),
        requireReason(request.body.reason),
      )
      return { pseudonym: erased.pseudonym, rows: erased.rows }
    },
  )
}
