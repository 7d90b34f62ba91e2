/** @module /v1/api-keys: create (secret shown once), list and revoke API keys (admin scope). */
import type { FastifyInstance } from 'fastify'
import { API_KEY_SCOPES, type ApiKeyScope, mintApiKey } from '../../auth/api-key.js'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors/app-error.js'
import type { ApiKeyAuth } from '../auth.js'
import { apiKeyJson } from '../representations.js'

export function registerApiKeyRoutes(app: FastifyInstance, deps: Deps, auth: ApiKeyAuth): void {
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
      const { key, token } = mintApiKey(
        request.body.name,
        request.body.scopes ?? ['verify'],
        deps.clock.now(),
      )
      await deps.stores.apiKeys.insert(key)
      return reply.code(201).send({ ...apiKeyJson(key), key: token })
    },
  )

  app.get(
    '/v1/api-keys',
    { onRequest: admin, schema: { tags: ['api keys'], summary: 'List API keys (never their secrets)' } },
    async () => ({
      data: (await deps.stores.apiKeys.list()).map(apiKeyJson),
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
      const id = request.params.id
      if (request.apiKey?.id === id) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'A key cannot revoke itself; use another admin key.',
        })
      }
      const revoked = await deps.stores.apiKeys.revoke(id, deps.clock.now())
      if (!revoked && !(await deps.stores.apiKeys.get(id))) {
        throw new AppError('API_KEY_NOT_FOUND', { message: `No API key with id "${id}".` })
      }
      auth.forget(id)
      return reply.code(204).send()
    },
  )
}
