/**
 * @module ApiKeys: every use of API keys (mint, list, revoke, authenticate), built once per process
 * and shared by the native API, the Twilio-compatible API and the console. Verified keys are cached
 * for a few seconds so authentication is one map lookup on the hot path; a revocation on this
 * instance drops the entry at once for every surface (other instances see it within the cache time).
 */
import { AppError } from '../errors/app-error.js'
import type { Clock } from '../shared/clock.js'
import {
  type ApiKey,
  type ApiKeyScope,
  type ApiKeyStore,
  hashSecret,
  mintApiKey,
  parseToken,
  secretMatches,
} from './api-key.js'

export interface ApiKeysOptions {
  /** How long a verified key is trusted without reading the store again. @default 10000 */
  readonly cacheMs?: number
}

export class ApiKeys {
  private readonly cache = new Map<string, { key: ApiKey; until: number }>()
  private readonly touched = new Map<string, number>()
  private readonly cacheMs: number

  constructor(
    private readonly store: ApiKeyStore,
    private readonly clock: Clock,
    opts: ApiKeysOptions = {},
  ) {
    this.cacheMs = opts.cacheMs ?? 10_000
  }

  /** Makes a key; the returned `token` is the only time its secret exists outside the caller. */
  async create(
    name: string,
    scopes: readonly ApiKeyScope[],
    services: readonly string[] | null = null,
  ): Promise<{ key: ApiKey; token: string }> {
    const minted = mintApiKey(name, scopes, this.clock.now(), services)
    await this.store.insert(minted.key)
    return minted
  }

  /**
   * Stores an admin key whose token the operator chose (`VERIGATE_ADMIN_API_KEY`), once.
   * @returns false when the token is not shaped like a verigate key
   */
  async adopt(token: string, name: string): Promise<boolean> {
    const parsed = parseToken(token)
    if (!parsed) return false
    if (await this.store.get(parsed.id)) return true
    await this.store.insert({
      id: parsed.id,
      name,
      secretHash: hashSecret(parsed.secret),
      scopes: ['admin'],
      createdAt: this.clock.now(),
      revokedAt: null,
      lastUsedAt: null,
      services: null,
    })
    return true
  }

  list(): Promise<ApiKey[]> {
    return this.store.list()
  }

  count(): Promise<number> {
    return this.store.count()
  }

  /**
   * Revokes a key; `by` is the key making the request (a key cannot revoke itself).
   * @throws AppError API_KEY_NOT_FOUND, VALIDATION_FAILED
   */
  async revoke(id: string, by?: string): Promise<void> {
    if (by === id) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'A key cannot revoke itself; use another admin key.',
      })
    }
    const revoked = await this.store.revoke(id, this.clock.now())
    if (!revoked && !(await this.store.get(id))) {
      throw new AppError('API_KEY_NOT_FOUND', { message: `No API key with id "${id}".` })
    }
    this.cache.delete(id)
  }

  /**
   * The key a presented token (`vgk_...`) belongs to: hashed, constant-time compare, then the
   * revocation check.
   * @throws AppError UNAUTHORIZED with the reason (malformed, unknown, revoked)
   */
  async authenticate(token: string): Promise<ApiKey> {
    const parsed = parseToken(token)
    if (!parsed) {
      throw new AppError('UNAUTHORIZED', {
        message: 'The Authorization header must be "Bearer vgk_..." with a verigate API key.',
      })
    }
    const now = this.clock.now()
    let entry = this.cache.get(parsed.id)
    if (!entry || entry.until <= now) {
      const stored = await this.store.get(parsed.id)
      if (!stored) throw new AppError('UNAUTHORIZED', { message: 'This API key is not known.' })
      entry = { key: stored, until: now + this.cacheMs }
      if (this.cache.size > 10_000) this.cache.clear()
      this.cache.set(parsed.id, entry)
    }
    if (!secretMatches(entry.key, parsed.secret))
      throw new AppError('UNAUTHORIZED', { message: 'This API key is not known.' })
    if (entry.key.revokedAt !== null)
      throw new AppError('UNAUTHORIZED', { message: 'This API key has been revoked.' })
    // last_used_at is for humans auditing keys: minute precision, one write per key per minute.
    if ((this.touched.get(entry.key.id) ?? 0) + 60_000 < now) {
      if (this.touched.size > 10_000) this.touched.clear()
      this.touched.set(entry.key.id, now)
      void this.store.touch(entry.key.id, now).catch(() => undefined)
    }
    return entry.key
  }
}
