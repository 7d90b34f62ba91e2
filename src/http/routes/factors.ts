/**
 * @module /v1/services/:serviceId/entities/:entityId/{factors,recovery-codes}: the native API of
 * authenticator-app (TOTP) factors and recovery codes.
 *
 * Scopes: `verify` for everything an app does on behalf of its signed-in user (enrol, QR, verify,
 * challenge, delete, generate and use recovery codes); `read` for listings and counts, which never
 * contain a secret. Enrolment is `verify`, not `admin`: it is a per-user action the app's backend
 * takes in its sign-in flow, with the same key it checks codes with; demanding `admin` would push
 * the key that can also mint API keys into every login server. (`admin` still covers everything.)
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { ChallengeResult, TotpFactor } from '../../factors/factors.js'
import { qrPng, qrSvg } from '../../factors/qr.js'
import type { RecoveryCodeStatus } from '../../factors/recovery-codes.js'
import type { ApiKeyAuth } from '../auth.js'
import { codeBody, emptyBody } from '../body-schemas.js'
import type { HttpContext } from '../http-context.js'
import {
  describedResponses,
  factorApprovalSchema,
  factorEnrolmentSchema,
  factorListSchema,
  factorResponseSchema,
  noContent,
  recoveryCodeApprovalSchema,
  recoveryCodeStatusSchema,
  recoveryCodesSchema,
  responses,
} from '../response-schemas.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Public JSON of a factor: snake_case, never the secret. */
export function factorJson(f: TotpFactor) {
  return {
    id: f.id,
    service_id: f.serviceId,
    entity_id: f.entityId,
    type: 'totp' as const,
    friendly_name: f.friendlyName,
    status: f.status,
    issuer: f.issuer,
    digits: f.digits,
    period_seconds: f.periodSeconds,
    skew: f.skew,
    created_at: iso(f.createdAt),
    updated_at: iso(f.updatedAt),
  }
}

export function recoveryCodeStatusJson(s: RecoveryCodeStatus) {
  return { total: s.total, remaining: s.remaining, used: s.used, generated_at: iso(s.generatedAt) }
}

const id = { type: 'string', minLength: 1, maxLength: 64 } as const
/** The app's own user id: opaque to us, but kept URL- and URI-label-safe. */
const entityId = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._~@+=-]*$',
} as const

const entityParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId', 'entityId'],
  properties: { serviceId: id, entityId },
} as const
const factorParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId', 'entityId', 'factorId'],
  properties: { serviceId: id, entityId, factorId: id },
} as const

interface EntityParams {
  serviceId: string
  entityId: string
}
interface FactorParams extends EntityParams {
  factorId: string
}

export function registerFactorRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const verify = auth.require('verify')
  const read = auth.require('read')
  const { factors, recoveryCodes } = deps
  const base = '/v1/services/:serviceId/entities/:entityId'

  const approved = (result: ChallengeResult) => {
    if (result.status === 'denied') {
      throw new AppError('FACTOR_CODE_INCORRECT', {
        message: `The code does not match. ${result.attemptsLeft} ${result.attemptsLeft === 1 ? 'try' : 'tries'} left before the factor locks.`,
        details: { attempts_left: result.attemptsLeft },
      })
    }
    return { status: 'approved' as const, factor: factorJson(result.factor) }
  }

  app.post<{ Params: EntityParams; Body: { type: 'totp'; friendly_name: string; issuer?: string } }>(
    `${base}/factors`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Enrol an authenticator-app (TOTP) factor; the secret, URI and QR code are shown only here',
        response: responses({ 201: factorEnrolmentSchema }),
        params: entityParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'friendly_name'],
          properties: {
            type: { type: 'string', enum: ['totp'] },
            friendly_name: { type: 'string', minLength: 1, maxLength: 64 },
            issuer: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^:]+$' },
          },
        },
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      const b = request.body
      const enrolment = await factors.enrol({
        serviceId,
        entityId,
        friendlyName: b.friendly_name,
        issuer: b.issuer,
      })
      // The secret is in this answer: no cache may keep it.
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({
        ...factorJson(enrolment.factor),
        secret: enrolment.secret,
        uri: enrolment.uri,
        qr: await qrSvg(enrolment.uri),
      })
    },
  )

  app.get<{ Params: EntityParams }>(
    `${base}/factors`,
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: "List an entity's factors, oldest first",
        response: responses({ 200: factorListSchema }),
        params: entityParams,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      return { data: (await factors.list(serviceId, entityId)).map(factorJson) }
    },
  )

  app.get<{ Params: FactorParams }>(
    `${base}/factors/:factorId`,
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Fetch one factor (never its secret)',
        response: responses({ 200: factorResponseSchema }),
        params: factorParams,
      },
    },
    async (request) => {
      const { serviceId, entityId, factorId } = request.params
      const factor = await factors.get(serviceId, entityId, factorId)
      if (!factor)
        throw new AppError('FACTOR_NOT_FOUND', {
          message: `No factor "${factorId}" for this service and entity.`,
        })
      return factorJson(factor)
    },
  )

  app.delete<{ Params: FactorParams }>(
    `${base}/factors/:factorId`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Delete a factor',
        response: responses({ 204: noContent }),
        params: factorParams,
      },
    },
    async (request, reply) => {
      const { serviceId, entityId, factorId } = request.params
      if (!(await factors.delete(serviceId, entityId, factorId))) {
        throw new AppError('FACTOR_NOT_FOUND', {
          message: `No factor "${factorId}" for this service and entity.`,
        })
      }
      return reply.code(204).send()
    },
  )

  app.get<{ Params: FactorParams }>(
    `${base}/factors/:factorId/qr.png`,
    {
      onRequest: verify,
      schema: {
        tags: ['factors'],
        summary:
          'The enrolment QR code as PNG, while the factor is still unverified (it contains the secret)',
        params: factorParams,
      },
    },
    async (request, reply) => {
      const { serviceId, entityId, factorId } = request.params
      const png = await qrPng(await factors.enrolmentUri(serviceId, entityId, factorId))
      return reply.header('cache-control', 'no-store').type('image/png').send(png)
    },
  )

  app.post<{ Params: FactorParams; Body: { code: string } }>(
    `${base}/factors/:factorId/verify`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Finish enrolment: the first good code marks the factor verified',
        response: responses({ 200: factorApprovalSchema }),
        params: factorParams,
        body: codeBody,
      },
    },
    async (request) => {
      const { serviceId, entityId, factorId } = request.params
      return approved(await factors.verify(serviceId, entityId, factorId, request.body.code))
    },
  )

  app.post<{ Params: FactorParams; Body: { code: string } }>(
    `${base}/factors/:factorId/challenge`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Check a code against a verified factor',
        response: responses({ 200: factorApprovalSchema }),
        params: factorParams,
        body: codeBody,
      },
    },
    async (request) => {
      const { serviceId, entityId, factorId } = request.params
      return approved(await factors.challenge(serviceId, entityId, factorId, request.body.code))
    },
  )

  app.post<{ Params: EntityParams; Body: Record<string, never> | null }>(
    `${base}/recovery-codes`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary:
          'Generate 10 single-use recovery codes, shown only in this answer; the previous set stops working',
        response: responses({ 201: recoveryCodesSchema }),
        params: entityParams,
        body: emptyBody,
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      const { codes, generatedAt } = await recoveryCodes.generate(serviceId, entityId)
      reply.header('cache-control', 'no-store')
      return reply.code(201).send({
        codes,
        total: codes.length,
        remaining: codes.length,
        used: 0,
        generated_at: iso(generatedAt),
      })
    },
  )

  app.post<{ Params: EntityParams; Body: { code: string } }>(
    `${base}/recovery-codes/use`,
    {
      onRequest: verify,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'Use (consume) one recovery code',
        response: responses({ 200: recoveryCodeApprovalSchema }),
        params: entityParams,
        body: codeBody,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      const { remaining } = await recoveryCodes.use(serviceId, entityId, request.body.code)
      return { status: 'approved' as const, remaining }
    },
  )

  app.get<{ Params: EntityParams }>(
    `${base}/recovery-codes`,
    {
      onRequest: read,
      ...describedResponses,
      schema: {
        tags: ['factors'],
        summary: 'How many recovery codes the entity has left (never the codes)',
        response: responses({ 200: recoveryCodeStatusSchema }),
        params: entityParams,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      return recoveryCodeStatusJson(await recoveryCodes.status(serviceId, entityId))
    },
  )
}
