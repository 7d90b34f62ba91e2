/** @module /v1/verifications: start, fetch, resend, check (by id or destination), cancel, events. */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CHANNELS, type Channel } from '../../channels/channel.js'
import { AppError } from '../../errors/app-error.js'
import type { Verification } from '../../verification/verification.js'
import { type ApiKeyAuth, assertService, servicesOf } from '../auth.js'
import type { HttpContext } from '../http-context.js'
import { eventJson, messageJson, verificationJson } from '../representations.js'
import {
  describedResponses,
  eventListSchema,
  responses,
  verificationResponseSchema,
} from '../response-schemas.js'

const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['id'],
} as const
const country = { type: 'string', pattern: '^[A-Za-z]{2}$' } as const
const serviceId = { type: 'string', minLength: 1, maxLength: 64 } as const

interface StartBody {
  service_id: string
  to: string
  channel?: Channel
  locale?: string
  default_country?: string
  client_ip?: string
}

/**
 * A preHandler for `/v1/verifications/{id}...`: a key limited to services gets the verification's
 * own 404 for one of another service. Global keys skip the extra read.
 */
export function ownVerification(verifier: Pick<HttpContext['verifier'], 'get'>) {
  return async (request: FastifyRequest<{ Params: { id: string } }>) => {
    if (servicesOf(request) === null) return
    const { id } = request.params
    const v = await verifier.get(id)
    assertService(request, v.serviceId, {
      code: 'VERIFICATION_NOT_FOUND',
      message: `No verification with id "${id}".`,
    })
  }
}

export function registerVerificationRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const verify = auth.require('verify')
  const read = auth.require('read')
  const { verifier } = deps
  const owned = ownVerification(verifier)

  const json = async (v: Verification) => verificationJson(v, { next: await verifier.nextSend(v) })

  app.post<{ Body: StartBody; Headers: { 'idempotency-key'?: string } }>(
    '/v1/verifications',
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Start a verification: send a code to a phone number or email address',
        response: responses({ 200: verificationResponseSchema, 201: verificationResponseSchema }),
        description:
          'A start to a destination that already has a pending verification returns that one (same code), re-sending when the resend cooldown allows. Honours the Idempotency-Key header.',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['service_id', 'to'],
          properties: {
            service_id: serviceId,
            to: { type: 'string', minLength: 1, maxLength: 254 },
            channel: { type: 'string', enum: CHANNELS, default: 'sms' },
            locale: { type: 'string', pattern: '^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$' },
            default_country: country,
            client_ip: { type: 'string', minLength: 2, maxLength: 45, pattern: '^[0-9a-fA-F:.]+$' },
          },
        },
      },
    },
    async (request, reply) => {
      const b = request.body
      assertService(request, b.service_id)
      const key = request.headers['idempotency-key']
      if (key !== undefined && (key.length === 0 || key.length > 255)) {
        throw new AppError('IDEMPOTENCY_KEY_INVALID', {
          message: 'Idempotency-Key must be 1 to 255 characters.',
        })
      }
      const result = await verifier.start({
        serviceId: b.service_id,
        to: b.to,
        channel: b.channel ?? 'sms',
        locale: b.locale,
        defaultCountry: b.default_country?.toUpperCase(),
        clientIp: b.client_ip,
        idempotencyKey: key,
      })
      if (result.replayed) reply.header('idempotent-replayed', 'true')
      return reply.code(result.created ? 201 : 200).send(await json(result.verification))
    },
  )

  app.get<{ Params: { id: string } }>(
    '/v1/verifications/:id',
    {
      onRequest: read,
      preHandler: owned,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Fetch a verification with its messages and their delivery status',
        response: responses({ 200: verificationResponseSchema }),
        params: idParams,
      },
    },
    async (request) => {
      const v = await verifier.get(request.params.id)
      const messages = await verifier.messages(v.id)
      const hops = await Promise.all(messages.map((m) => verifier.handOvers(m.id)))
      return { ...(await json(v)), messages: messages.map((m, i) => messageJson(m, hops[i])) }
    },
  )

  app.post<{ Params: { id: string }; Body: { channel?: Channel } | undefined }>(
    '/v1/verifications/:id/resend',
    {
      onRequest: verify,
      preHandler: owned,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Send the same code again, optionally on another allowed channel',
        response: responses({ 200: verificationResponseSchema }),
        params: idParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { channel: { type: 'string', enum: CHANNELS } },
        },
      },
    },
    async (request) => json(await verifier.resend(request.params.id, { channel: request.body?.channel })),
  )

  app.post<{ Params: { id: string }; Body: { code: string } }>(
    '/v1/verifications/:id/check',
    {
      onRequest: verify,
      preHandler: owned,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Check a code against a verification',
        response: responses({ 200: verificationResponseSchema }),
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['code'],
          properties: { code: { type: 'string', minLength: 1, maxLength: 32 } },
        },
      },
    },
    async (request) =>
      json(await verifier.check({ verificationId: request.params.id, code: request.body.code.trim() })),
  )

  app.post<{ Body: { service_id: string; to: string; code: string; default_country?: string } }>(
    '/v1/verifications/check',
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Check a code against the pending verification of a destination',
        response: responses({ 200: verificationResponseSchema }),
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['service_id', 'to', 'code'],
          properties: {
            service_id: serviceId,
            to: { type: 'string', minLength: 1, maxLength: 254 },
            code: { type: 'string', minLength: 1, maxLength: 32 },
            default_country: country,
          },
        },
      },
    },
    async (request) => {
      const b = request.body
      assertService(request, b.service_id)
      return json(
        await verifier.check({
          serviceId: b.service_id,
          to: b.to,
          code: b.code.trim(),
          defaultCountry: b.default_country?.toUpperCase(),
        }),
      )
    },
  )

  app.post<{ Params: { id: string } }>(
    '/v1/verifications/:id/cancel',
    {
      onRequest: verify,
      preHandler: owned,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'Cancel a pending verification',
        response: responses({ 200: verificationResponseSchema }),
        params: idParams,
      },
    },
    async (request) => json(await verifier.cancel(request.params.id)),
  )

  app.get<{ Params: { id: string } }>(
    '/v1/verifications/:id/events',
    {
      onRequest: read,
      preHandler: owned,
      ...describedResponses,
      schema: {
        tags: ['verifications'],
        summary: 'The event timeline of one verification, oldest first',
        response: responses({ 200: eventListSchema }),
        params: idParams,
      },
    },
    async (request) => ({ data: (await verifier.events(request.params.id)).map(eventJson) }),
  )
}
