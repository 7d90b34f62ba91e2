/** @module /v1/services: create, list, fetch, update and delete services (admin scope). */
import type { FastifyInstance } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import { ANDROID_APP_HASH_PATTERN } from '../../delivery/templates/verification-code.js'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors/app-error.js'
import { SERVICE_DEFAULTS, type Service } from '../../services/service.js'
import { newId } from '../../shared/ids.js'
import type { ApiKeyAuth } from '../auth.js'
import { serviceJson } from '../representations.js'

const settings = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  code_length: { type: 'integer', minimum: 4, maximum: 10 },
  code_ttl_seconds: { type: 'integer', minimum: 60, maximum: 86_400 },
  max_check_attempts: { type: 'integer', minimum: 1, maximum: 20 },
  max_sends: { type: 'integer', minimum: 1, maximum: 10 },
  brand_name: { type: ['string', 'null'], minLength: 1, maxLength: 40 },
  message_template: { type: ['string', 'null'], minLength: 6, maxLength: 320 },
  channels: { type: 'array', items: { type: 'string', enum: CHANNELS }, minItems: 1, uniqueItems: true },
  default_locale: { type: 'string', pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$' },
  webotp_domain: { type: ['string', 'null'], pattern: '^[a-z0-9.-]{1,253}$' },
  /** Channels to try, in order, when every route of the verification's channel failed. */
  fallback_channels: {
    type: ['array', 'null'],
    items: { type: 'string', enum: CHANNELS },
    uniqueItems: true,
  },
  /** Android SMS Retriever app hash (11 base64 characters), added on its own line to SMS. */
  android_app_hash: { type: ['string', 'null'], pattern: ANDROID_APP_HASH_PATTERN.source },
} as const

interface ServiceBody {
  name?: string
  code_length?: number
  code_ttl_seconds?: number
  max_check_attempts?: number
  max_sends?: number
  brand_name?: string | null
  message_template?: string | null
  channels?: Channel[]
  default_locale?: string
  webotp_domain?: string | null
  fallback_channels?: Channel[] | null
  android_app_hash?: string | null
}

function checkTemplate(template: string | null | undefined): void {
  if (template && !template.includes('{code}')) {
    throw new AppError('VALIDATION_FAILED', {
      message:
        'message_template must contain {code} where the code goes (it may also use {brand} and {minutes}).',
      details: { field: 'message_template' },
    })
  }
}

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const

export function registerServiceRoutes(app: FastifyInstance, deps: Deps, auth: ApiKeyAuth): void {
  const admin = auth.require('admin')
  const read = auth.require('read')

  app.post<{ Body: ServiceBody }>(
    '/v1/services',
    {
      onRequest: admin,
      schema: {
        tags: ['services'],
        summary: "Create a service (one app's verification settings)",
        body: { type: 'object', additionalProperties: false, required: ['name'], properties: settings },
      },
    },
    async (request, reply) => {
      const b = request.body
      checkTemplate(b.message_template)
      const now = deps.clock.now()
      const service: Service = {
        id: newId('service'),
        name: b.name!,
        codeLength: b.code_length ?? SERVICE_DEFAULTS.codeLength,
        codeTtlSeconds: b.code_ttl_seconds ?? SERVICE_DEFAULTS.codeTtlSeconds,
        maxCheckAttempts: b.max_check_attempts ?? SERVICE_DEFAULTS.maxCheckAttempts,
        maxSends: b.max_sends ?? SERVICE_DEFAULTS.maxSends,
        brandName: b.brand_name ?? null,
        messageTemplate: b.message_template ?? null,
        channels: b.channels ?? SERVICE_DEFAULTS.channels,
        defaultLocale: b.default_locale ?? SERVICE_DEFAULTS.defaultLocale,
        webotpDomain: b.webotp_domain ?? null,
        fallbackChannels: b.fallback_channels ?? null,
        androidAppHash: b.android_app_hash ?? null,
        createdAt: now,
        updatedAt: now,
      }
      await deps.stores.services.insert(service)
      return reply.code(201).send(serviceJson(service))
    },
  )

  app.get<{ Querystring: { limit?: string; after?: string } }>(
    '/v1/services',
    {
      onRequest: read,
      schema: {
        tags: ['services'],
        summary: 'List services',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
            after: { type: 'string', maxLength: 64 },
          },
        },
      },
    },
    async (request) => {
      const limit = Math.min(100, Number(request.query.limit ?? 50))
      const items = await deps.stores.services.list({ limit, after: request.query.after })
      return {
        data: items.map(serviceJson),
        next_after: items.length === limit ? (items.at(-1)?.id ?? null) : null,
      }
    },
  )

  const load = async (id: string) => {
    const service = await deps.stores.services.get(id)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${id}".` })
    return service
  }

  app.get<{ Params: { id: string } }>(
    '/v1/services/:id',
    { onRequest: read, schema: { tags: ['services'], summary: 'Fetch a service', params: idParams } },
    async (request) => serviceJson(await load(request.params.id)),
  )

  app.patch<{ Params: { id: string }; Body: ServiceBody }>(
    '/v1/services/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['services'],
        summary: 'Update a service',
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settings },
      },
    },
    async (request) => {
      const current = await load(request.params.id)
      const b = request.body
      checkTemplate(b.message_template)
      const next: Service = {
        ...current,
        name: b.name ?? current.name,
        codeLength: b.code_length ?? current.codeLength,
        codeTtlSeconds: b.code_ttl_seconds ?? current.codeTtlSeconds,
        maxCheckAttempts: b.max_check_attempts ?? current.maxCheckAttempts,
        maxSends: b.max_sends ?? current.maxSends,
        brandName: b.brand_name !== undefined ? b.brand_name : current.brandName,
        messageTemplate: b.message_template !== undefined ? b.message_template : current.messageTemplate,
        channels: b.channels ?? current.channels,
        defaultLocale: b.default_locale ?? current.defaultLocale,
        webotpDomain: b.webotp_domain !== undefined ? b.webotp_domain : current.webotpDomain,
        fallbackChannels:
          b.fallback_channels !== undefined ? b.fallback_channels : (current.fallbackChannels ?? null),
        androidAppHash:
          b.android_app_hash !== undefined ? b.android_app_hash : (current.androidAppHash ?? null),
        updatedAt: deps.clock.now(),
      }
      await deps.stores.services.update(next)
      deps.services.invalidate(next.id)
      return serviceJson(next)
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/v1/services/:id',
    {
      onRequest: admin,
      schema: { tags: ['services'], summary: 'Delete a service and its verifications', params: idParams },
    },
    async (request, reply) => {
      if (!(await deps.stores.services.delete(request.params.id))) await load(request.params.id)
      deps.services.invalidate(request.params.id)
      return reply.code(204).send()
    },
  )
}
