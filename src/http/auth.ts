/**
 * @module API-key authentication as a onRequest: `Authorization: Bearer vgk_...`. Verified keys are
 * cached for a few seconds so auth is one map lookup on the hot path; revocation on this instance
 * drops the cache entry at once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  type ApiKey,
  type ApiKeyScope,
  type ApiKeyStore,
  hasScope,
  parseToken,
  secretMatches,
} from '../auth/api-key.js'
import { AppError } from '../errors/app-error.js'
import type { Clock } from '../shared/clock.js'

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey
  }
}

export class ApiKeyAuth {
  private readonly cache = new Map<string, { key: ApiKey; until: number }>()
  private readonly touched = new Map<string, number>()

  constructor(
    private readonly store: ApiKeyStore,
    private readonly clock: Clock,
    private readonly ttlMs = 10_000,
  ) {}

  async authenticate(header: string | undefined): Promise<ApiKey> {
    if (!header) {
      throw new AppError('UNAUTHORIZED', { message: 'Send your API key as "Authorization: Bearer vgk_...".' })
    }
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined
    const parsed = token ? parseToken(token) : undefined
    if (!parsed) {
      throw new AppError('UNAUTHORIZED', {
        message: 'The Authorization header must be "Bearer vgk_..." with a verigate API key.',
      })
    }
    const now = this.clock.now()
    let key = this.cache.get(parsed.id)
    if (!key || key.until <= now) {
      const stored = await this.store.get(parsed.id)
      if (!stored) throw new AppError('UNAUTHORIZED', { message: 'This API key is not known.' })
      key = { key: stored, until: now + this.ttlMs }
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(parsed.id, key)
    }
    if (!secretMatches(key.key, parsed.secret))
      throw new AppError('UNAUTHORIZED', { message: 'This API key is not known.' })
    if (key.key.revokedAt !== null)
      throw new AppError('UNAUTHORIZED', { message: 'This API key has been revoked.' })
    // last_used_at is for humans auditing keys: minute precision, one write per key per minute.
    if ((this.touched.get(key.key.id) ?? 0) + 60_000 < now) {
      this.touched.set(key.key.id, now)
      void this.store.touch(key.key.id, now).catch(() => undefined)
    }
    return key.key
  }

  forget(id: string): void {
    this.cache.delete(id)
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
