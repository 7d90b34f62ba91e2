/**
 * @module API-key authentication of the native API as an onRequest hook: `Authorization: Bearer
 * vgk_...`, checked by the process's one `ApiKeys` (shared with the Twilio API and the console).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ApiKey, ApiKeyScope } from '../auth/api-key.js'
import { hasScope } from '../auth/api-key.js'
import type { ApiKeys } from '../auth/api-keys.js'
import { AppError } from '../errors/app-error.js'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey
  }
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

  /** An onRequest hook that requires a key with `scope` (before the body is even parsed). */
  require(scope: ApiKeyScope) {
    return async (request: FastifyRequest, _reply: FastifyReply) => {
      const key = await this.authenticate(request.headers.authorization)
      if (!hasScope(key.scopes, scope)) {
        throw new AppError('FORBIDDEN', {
          message: `This API key lacks the "${scope}" scope needed here; it has: ${key.scopes.join(', ')}.`,
        })
      }
      request.apiKey = key
    }
  }
}
