/** @module /v1/api-keys: create (secret shown once), list and revoke API keys (admin scope). */
import type { FastifyInstance } from 'fastify'
import { API_KEY_SCOPES, type ApiKeyScope } from '../../auth/api-key.js'
import { AppError } from '../../errors/app-error.js'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { apiKeyJson } from '../representations.js'

export function registerApiKeyRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  // Keys are installation-wide: a key limited to services cannot mint, list or revoke any.
  app.post<{ Body: { name: string; scopes?: ApiKeyScope[]; services?: string[] } }>(
    '/v1/api-keys',
    {
      onRequest: auth.require('admin', { audit: 'api_key.create', global: true }),
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key; the secret is in this answer only',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            scopes: {
              type: 'array',
              items: { type: 'string', enum: API_KEY_SCOPES },
              minItems: 1,
              uniqueItems: true,
            },
            services: {
              type: 'array',
              description:
                'Limit the key to these services: anything of another service answers 404, and installation-wide administration 403 API_KEY_SERVICE_SCOPED. Omit for a key that reaches every service.',
              items: { type: 'string', minLength: 1, maxLength: 64 },
              minItems: 1,
              maxItems: 100,
              uniqueItems: true,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const services = request.body.services ?? null
      for (const id of services ?? []) {
        if (!(await deps.services.get(id))) {
          throw new AppError('VALIDATION_FAILED', {
            message: `No service with id "${id}"; a key can only be limited to services that exist.`,
            details: { field: 'services' },
          })
        }
      }
      const { key, token } = await deps.apiKeys.create(
        request.body.name,
        request.body.scopes ?? ['verify'],
        services,
      )
      if (request.apiAudit) request.apiAudit.target = key.id
      return reply.code(201).send({ ...apiKeyJson(key), key: token })
    },
  )

  app.get(
    '/v1/api-keys',
    {
      onRequest: auth.require('admin', { audit: false, global: true }),
      schema: { tags: ['api keys'], summary: 'List API keys (never their secrets)' },
    },
    async () => ({
      data: (await deps.apiKeys.list()).map(apiKeyJson),
    }),
  )

  app.delete<{ Params: { id: string } }>(
    '/v1/api-keys/:id',
    {
      onRequest: auth.require('admin', { audit: 'api_key.revoke', global: true }),
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
      },
    },
    async (request, reply) => {
      await deps.apiKeys.revoke(request.params.id, request.apiKey?.id)
      return reply.code(204).send()
    },
  )
}
