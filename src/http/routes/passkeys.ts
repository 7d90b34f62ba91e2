/**
 * @module /v1/services/:serviceId/[entities/:entityId/]passkeys: the native API of passkeys
 * (WebAuthn). The app's backend asks for options, hands them to the browser
 * (`@simplewebauthn/browser` `startRegistration` / `startAuthentication`), and posts the browser's
 * answer back as `response` to the matching `verify` endpoint.
 *
 * Scopes as for the other factors: `verify` for the ceremonies and deletion, `read` for listings.
 * Sign-in exists in two forms: under an entity (only its passkeys are offered) and on the service
 * alone (discoverable: the user picks a passkey and the answer names the entity).
 */
import type { FastifyInstance } from 'fastify'
import { AppError } from '../../errors/app-error.js'
import type { AuthenticationResponseJSON, Passkey, RegistrationResponseJSON } from '../../factors/passkeys.js'
import type { ApiKeyAuth } from '../auth.js'
import {
  authenticationResponse,
  credentialId,
  emptyBody,
  PASSKEY_BODY_LIMIT,
  registrationResponse,
} from '../body-schemas.js'
import type { HttpContext } from '../http-context.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** Public JSON of a passkey: snake_case, never the public key, user handle or counter. */
export function passkeyJson(p: Passkey) {
  return {
    id: p.id,
    service_id: p.serviceId,
    entity_id: p.entityId,
    type: 'passkey' as const,
    friendly_name: p.friendlyName,
    transports: p.transports,
    aaguid: p.aaguid,
    device_type: p.deviceType === 'multiDevice' ? ('multi_device' as const) : ('single_device' as const),
    backed_up: p.backedUp,
    created_at: iso(p.createdAt),
    last_used_at: iso(p.lastUsedAt),
  }
}

const id = { type: 'string', minLength: 1, maxLength: 64 } as const
/** The app's own user id, as for factors. */
const entityId = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._~@+=-]*$',
} as const
const serviceParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId'],
  properties: { serviceId: id },
} as const
const entityParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId', 'entityId'],
  properties: { serviceId: id, entityId },
} as const
const passkeyParams = {
  type: 'object',
  additionalProperties: false,
  required: ['serviceId', 'entityId', 'credentialId'],
  properties: { serviceId: id, entityId, credentialId },
} as const
const authenticationBody = {
  type: 'object',
  additionalProperties: false,
  required: ['response'],
  properties: { response: authenticationResponse },
} as const

interface ServiceParams {
  serviceId: string
}
interface EntityParams extends ServiceParams {
  entityId: string
}
interface PasskeyParams extends EntityParams {
  credentialId: string
}

export function registerPasskeyRoutes(app: FastifyInstance, deps: HttpContext, auth: ApiKeyAuth): void {
  const verify = auth.require('verify')
  const read = auth.require('read')
  const { passkeys } = deps
  const service = '/v1/services/:serviceId/passkeys'
  const entity = '/v1/services/:serviceId/entities/:entityId/passkeys'

  app.post<{ Params: EntityParams; Body: { user_name: string; display_name?: string } }>(
    `${entity}/registration/options`,
    {
      onRequest: verify,
      schema: {
        tags: ['passkeys'],
        summary: 'Start registering a passkey: options for navigator.credentials.create()',
        params: entityParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['user_name'],
          properties: {
            user_name: { type: 'string', minLength: 1, maxLength: 64 },
            display_name: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      const options = await passkeys.startRegistration(serviceId, entityId, {
        userName: request.body.user_name,
        displayName: request.body.display_name,
      })
      return reply.header('cache-control', 'no-store').send(options)
    },
  )

  app.post<{ Params: EntityParams; Body: { response: RegistrationResponseJSON; friendly_name?: string } }>(
    `${entity}/registration/verify`,
    {
      onRequest: verify,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ['passkeys'],
        summary: "Finish registering: verify the browser's answer and store the passkey",
        params: entityParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['response'],
          properties: {
            response: registrationResponse,
            friendly_name: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      const passkey = await passkeys.finishRegistration(serviceId, entityId, request.body.response, {
        friendlyName: request.body.friendly_name,
      })
      return reply.code(201).send(passkeyJson(passkey))
    },
  )

  app.post<{ Params: EntityParams; Body: Record<string, never> | null }>(
    `${entity}/authentication/options`,
    {
      onRequest: verify,
      schema: {
        tags: ['passkeys'],
        summary: "Start a sign-in with one of the entity's passkeys: options for navigator.credentials.get()",
        params: entityParams,
        body: emptyBody,
      },
    },
    async (request, reply) => {
      const { serviceId, entityId } = request.params
      return reply
        .header('cache-control', 'no-store')
        .send(await passkeys.startAuthentication(serviceId, entityId))
    },
  )

  app.post<{ Params: EntityParams; Body: { response: AuthenticationResponseJSON } }>(
    `${entity}/authentication/verify`,
    {
      onRequest: verify,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ['passkeys'],
        summary: "Finish the sign-in: verify the browser's answer; the passkey must be the entity's",
        params: entityParams,
        body: authenticationBody,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      return approved(await passkeys.finishAuthentication(serviceId, request.body.response, { entityId }))
    },
  )

  app.post<{ Params: ServiceParams; Body: Record<string, never> | null }>(
    `${service}/authentication/options`,
    {
      onRequest: verify,
      schema: {
        tags: ['passkeys'],
        summary: 'Start a discoverable sign-in (no user named yet): options for navigator.credentials.get()',
        params: serviceParams,
        body: emptyBody,
      },
    },
    async (request, reply) => {
      return reply
        .header('cache-control', 'no-store')
        .send(await passkeys.startAuthentication(request.params.serviceId))
    },
  )

  app.post<{ Params: ServiceParams; Body: { response: AuthenticationResponseJSON } }>(
    `${service}/authentication/verify`,
    {
      onRequest: verify,
      bodyLimit: PASSKEY_BODY_LIMIT,
      schema: {
        tags: ['passkeys'],
        summary: "Finish a discoverable sign-in: verify the browser's answer; `entity_id` says who signed in",
        params: serviceParams,
        body: authenticationBody,
      },
    },
    async (request) =>
      approved(await passkeys.finishAuthentication(request.params.serviceId, request.body.response)),
  )

  app.get<{ Params: EntityParams }>(
    entity,
    {
      onRequest: read,
      schema: {
        tags: ['passkeys'],
        summary: "List an entity's passkeys, oldest first",
        params: entityParams,
      },
    },
    async (request) => {
      const { serviceId, entityId } = request.params
      return { data: (await passkeys.list(serviceId, entityId)).map(passkeyJson) }
    },
  )

  app.delete<{ Params: PasskeyParams }>(
    `${entity}/:credentialId`,
    { onRequest: verify, schema: { tags: ['passkeys'], summary: 'Delete a passkey', params: passkeyParams } },
    async (request, reply) => {
      const { serviceId, entityId, credentialId } = request.params
      if (!(await passkeys.delete(serviceId, entityId, credentialId))) {
        throw new AppError('PASSKEY_NOT_FOUND', {
          message: `No passkey "${credentialId}" for this service and entity.`,
        })
      }
      return reply.code(204).send()
    },
  )
}

function approved(result: Awaited<ReturnType<HttpContext['passkeys']['finishAuthentication']>>) {
  return {
    status: 'approved' as const,
    entity_id: result.passkey.entityId,
    user_verified: result.userVerified,
    passkey: passkeyJson(result.passkey),
  }
}
