/** @module /v1/api-keys: create (secret shown once), list and revoke API keys (admin scope). */
import type { FastifyInstance } from 'fastify'
import { API_KEY_SCOPES, type ApiKeyScope } from '../../auth/api-key.js'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { apiKeyJson } from '../representations.js'

export function registerApiKeyRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const admin = auth.require('admin')

  app.post<{ Body: { name: string; scopes?: ApiKeyScope[] } }>(
    '/v1/api-keys',
    {
      onRequest: admin,
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
          },
        },
      },
    },
    async (request, reply) => {
      const { key, token } = await deps.apiKeys.create(request.body.name, request.body.scopes ?? ['verify'])
      return reply.code(201).send({ ...apiKeyJson(key), key: token })
    },
  )

  app.get(
    '/v1/api-keys',
    { onRequest: admin, schema: { tags: ['api keys'], summary: 'List API keys (never their secrets)' } },
    async () => ({
      data: (await deps.apiKeys.list()).map(apiKeyJson),
    }),
  )

  app.delete<{ Params: { id: string } }>(
    '/v1/api-keys/:id',
    {
      onRequest: admin,
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
