/**
 * @module /v1/services/:id/webhook: configure, inspect, rotate and remove a service's signed
 * webhook endpoint (admin scope to change, read scope to look). The secret is shown once, on
 * creation and on rotation.
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
} from '../../webhooks/webhook.js'
import type { ApiKeyAuth } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import {
  describedResponses,
  noContent,
  responses,
  webhookEndpointSchema,
  webhookEndpointWithDeliveriesSchema,
} from '../response-schemas.js'

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const

export interface WebhookEndpointJson {
  service_id: string
  url: string
  events: readonly WebhookEventType[]
  created_at: string
  updated_at: string
  /** Only in the answer that created the endpoint or rotated its secret. */
  secret?: string
}

function endpointJson(e: WebhookEndpoint, secret?: string): WebhookEndpointJson {
  return {
    service_id: e.serviceId,
    url: e.url,
    events: e.events,
    created_at: new Date(e.createdAt).toISOString(),
    updated_at: new Date(e.updatedAt).toISOString(),
    ...(secret ? { secret } : {}),
  }
}

function deliveryJson(d: WebhookDelivery) {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'queued' ? new Date(d.availableAt).toISOString() : null,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: new Date(d.createdAt).toISOString(),
    finished_at: d.finishedAt === null ? null : new Date(d.finishedAt).toISOString(),
  }
}

function checkUrl(url: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (
    !parsed ||
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    parsed.username ||
    parsed.password
  ) {
    throw new AppError('VALIDATION_FAILED', {
      message: 'url must be an absolute http(s) URL without credentials.',
      details: { field: 'url' },
    })
  }
}

export function registerWebhookRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const read = auth.require('read')

  const loadService = (id: string) => deps.services.load(id)
  const noWebhook = (id: string) =>
    new AppError('WEBHOOK_NOT_FOUND', { message: `Service "${id}" has no webhook endpoint.` })

  app.put<{ Params: { id: string }; Body: { url: string; events?: WebhookEventType[] } }>(
    '/v1/services/:id/webhook',
    {
      onRequest: auth.require('admin', { audit: 'webhook.set' }),
      ...describedResponses,
      schema: {
        tags: ['webhooks'],
        summary: "Set the service's webhook endpoint (the signing secret is returned once, on creation)",
        response: responses({ 200: webhookEndpointSchema, 201: webhookEndpointSchema }),
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 8, maxLength: 2048 },
            events: {
              type: 'array',
              items: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
              minItems: 1,
              uniqueItems: true,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const service = await loadService(request.params.id)
      checkUrl(request.body.url)
      const { endpoint, secret } = await deps.webhooks.configure(
        service.id,
        request.body.url,
        request.body.events,
      )
      return reply.code(secret ? 201 : 200).send(endpointJson(endpoint, secret))
    },
  )

  app.get<{ Params: { id: string } }>(
    '/v1/services/:id/webhook',
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['webhooks'],
        summary: 'The webhook endpoint and its recent deliveries',
        response: responses({ 200: webhookEndpointWithDeliveriesSchema }),
        params: idParams,
      },
    },
    async (request) => {
      const service = await loadService(request.params.id)
      const endpoint = await deps.webhooks.get(service.id)
      if (!endpoint) throw noWebhook(service.id)
      const deliveries = await deps.webhooks.deliveries(service.id, 50)
      return { ...endpointJson(endpoint), deliveries: deliveries.map(deliveryJson) }
    },
  )

  app.delete<{ Params: { id: string } }>(
    '/v1/services/:id/webhook',
    {
      onRequest: auth.require('admin', { audit: 'webhook.delete' }),
      ...describedResponses,
      schema: {
        tags: ['webhooks'],
        summary: 'Remove the webhook endpoint',
        response: responses({ 204: noContent }),
        params: idParams,
      },
    },
    async (request, reply) => {
      const service = await loadService(request.params.id)
      if (!(await deps.webhooks.remove(service.id))) throw noWebhook(service.id)
      return reply.code(204).send()
    },
  )

  app.post<{ Params: { id: string } }>(
    '/v1/services/:id/webhook/rotate-secret',
    {
      onRequest: auth.require('admin', { audit: 'webhook.rotate_secret' }),
      ...describedResponses,
      schema: {
        tags: ['webhooks'],
        summary: 'Replace the signing secret (the new one is returned once)',
        response: responses({ 200: webhookEndpointSchema }),
        params: idParams,
      },
    },
    async (request) => {
      const service = await loadService(request.params.id)
      const rotated = await deps.webhooks.rotateSecret(service.id)
      if (!rotated) throw noWebhook(service.id)
      return endpointJson(rotated.endpoint, rotated.secret)
    },
  )
}
