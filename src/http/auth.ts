/**
 * @module API-key authentication of the native API as an onRequest hook: `Authorization: Bearer
 * vgk_...`, checked by the process's one `ApiKeys` (shared with the Twilio API and the console).
 * The hook also keeps tenants apart: a key limited to services gets 404 for a `/v1/services/{id}`
 * path of another service (as if it did not exist) and 403 `API_KEY_SERVICE_SCOPED` on endpoints
 * that administer the whole installation. Routes whose resource names its service elsewhere (a
 * verification id, a body field) check it with `assertService` once they have loaded it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiKey, ApiKeyScope } from '../auth/api-key.js'
import { hasScope, reachesService } from '../auth/api-key.js'
import type { ApiKeys } from '../auth/api-keys.js'
import { AppError } from '../errors/app-error.js'
import type { ErrorCode } from '../errors/codes.js'
import type { AuditAction } from '../support/audit.js'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey
  }
}

export interface RequireOptions {
  /** Installation-wide: refused (403 `API_KEY_SERVICE_SCOPED`) to keys limited to services. */
  readonly global?: boolean
}

export interface AdminRequireOptions extends RequireOptions {
  /**
   * The audit log action a successful request records (src/support/api-audit.ts); `false` only for
   * an admin read that changes and reveals nothing secret.
   */
  readonly audit: AuditAction | false
}

/** The path parameter naming the service, on routes under `/v1/services/{id}`. */
function servicePathParam(request: FastifyRequest): string | undefined {
  const url = request.routeOptions.url ?? ''
  const params = request.params as Record<string, string | undefined>
  if (url === '/v1/services/:id' || url.startsWith('/v1/services/:id/')) return params.id
  if (url.startsWith('/v1/services/:serviceId/')) return params.serviceId
  return undefined
}

export class ApiKeyAuth {
  constructor(private readonly keys: ApiKeys) {}

  async authenticate(header: string | undefined): Promise<ApiKey> {
    if (!header) {
      throw new AppError('UNAUTHORIZED', { message: 'Send your API key as "Authorization: Bearer vgk_...".' })
    }
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    return this.keys.authenticate(token)
  }

  /**
   * An onRequest hook that requires a key with `scope` (before the body is even parsed). Every
   * admin route names the audit action it records, so none can be added unaudited.
   */
  require(
    scope: 'read' | 'verify',
    opts?: RequireOptions,
  ): (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  require(
    scope: 'admin',
    opts: AdminRequireOptions,
  ): (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  require(scope: ApiKeyScope, opts: RequireOptions & { audit?: AuditAction | false } = {}) {
    return async (request: FastifyRequest, _reply: FastifyReply) => {
      const key = await this.authenticate(request.headers.authorization)
      if (!hasScope(key.scopes, scope)) {
        throw new AppError('FORBIDDEN', {
          message: `This API key lacks the "${scope}" scope needed here; it has: ${key.scopes.join(', ')}.`,
        })
      }
      if (key.services !== null) {
        if (opts.global) {
          throw new AppError('API_KEY_SERVICE_SCOPED', {
            message:
              'This API key is limited to some services, and this endpoint administers the whole installation; use a global admin key.',
          })
        }
        const serviceId = servicePathParam(request)
        if (serviceId !== undefined) assertReaches(key, serviceId)
      }
      request.apiKey = key
      if (opts.audit) {
        const serviceId = servicePathParam(request)
        request.apiAudit =
          serviceId === undefined ? { action: opts.audit } : { action: opts.audit, serviceId }
      }
    }
  }
}

/**
 * Refuses a resource of a service the request's key does not reach with the resource's own 404,
 * exactly as if it did not exist (so a scoped key cannot even learn that it does).
 */
export function assertService(
  request: FastifyRequest,
  serviceId: string,
  notFound: { code: ErrorCode; message: string } = {
    code: 'SERVICE_NOT_FOUND',
    message: `No service with id "${serviceId}".`,
  },
): void {
  const key = request.apiKey
  if (key && !reachesService(key, serviceId)) throw new AppError(notFound.code, { message: notFound.message })
}

function assertReaches(key: ApiKey, serviceId: string): void {
  if (!reachesService(key, serviceId)) {
    throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
  }
}

/** The services a request's key is limited to, or null when it reaches every service. */
export function servicesOf(request: FastifyRequest): readonly string[] | null {
  return request.apiKey?.services ?? null
}

/**
 * The service a read across services (analytics, a number's diagnosis) is narrowed to: the one asked
 * for, which a scoped key must reach; for a scoped key that names none, its only service.
 * @throws AppError SERVICE_NOT_FOUND (another service), VALIDATION_FAILED (a key of several
 * services that names none)
 */
export function serviceFilterOf(request: FastifyRequest, requested: string | undefined): string | undefined {
  const only = servicesOf(request)
  if (requested !== undefined) {
    assertService(request, requested)
    return requested
  }
  if (only === null) return undefined
  if (only.length === 1) return only[0]
  throw new AppError('VALIDATION_FAILED', {
    message: 'This API key is limited to several services; name one with service_id.',
    details: { field: 'service_id', location: 'query' },
  })
}
