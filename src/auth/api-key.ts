/**
 * @module API keys: `vgk_<id>_<secret>`, shown once, stored as SHA-256 of the secret. The secret is
 * 256 random bits, so a fast hash is safe (no dictionary to attack) and keeps auth off the hot path.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { newId } from '../shared/ids.js'

export const API_KEY_SCOPES = ['admin', 'verify', 'read'] as const
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value)
}

export interface ApiKey {
  readonly id: string
  readonly name: string
  readonly secretHash: string
  readonly scopes: readonly ApiKeyScope[]
  readonly createdAt: number
  readonly revokedAt: number | null
  readonly lastUsedAt: number | null
  /**
   * The services this key may reach, or null for every service (a global key). A scoped key is told
   * 404 for anything of another service and 403 `API_KEY_SERVICE_SCOPED` on installation-wide
   * administration (keys, creating services, routes, subject requests).
   */
  readonly services: readonly string[] | null
}

export interface ApiKeyStore {
  insert(key: ApiKey): Promise<void>
  get(id: string): Promise<ApiKey | undefined>
  list(): Promise<ApiKey[]>
  revoke(id: string, now: number): Promise<boolean>
  touch(id: string, now: number): Promise<void>
  count(): Promise<number>
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

/** Makes a new key; the returned `token` is the only time the secret exists outside the caller. */
export function mintApiKey(
  name: string,
  scopes: readonly ApiKeyScope[],
  now: number,
  services: readonly string[] | null = null,
): { key: ApiKey; token: string } {
  const id = newId('apiKey')
  const secret = randomBytes(32).toString('base64url')
  return {
    key: {
      id,
      name,
      secretHash: hashSecret(secret),
      scopes,
      createdAt: now,
      revokedAt: null,
      lastUsedAt: null,
      services,
    },
    token: `vgk_${id.slice(4)}_${secret}`,
  }
}

/** Splits a token into the key id and the secret, or undefined when it is not shaped like one. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  const m = /^vgk_([0-9a-z]{24})_([A-Za-z0-9_-]{43})$/.exec(token)
  return m ? { id: `key_${m[1]}`, secret: m[2]! } : undefined
}

export function secretMatches(key: ApiKey, secret: string): boolean {
  const a = Buffer.from(hashSecret(secret))
  const b = Buffer.from(key.secretHash)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Whether a key with `scopes` may do something that needs `needed`. `admin` covers all. */
export function hasScope(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  if (scopes.includes('admin')) return true
  if (needed === 'read') return scopes.includes('read') || scopes.includes('verify')
  return scopes.includes(needed)
}

/** Whether a key may see or act on anything of `serviceId` (a global key reaches every service). */
export function reachesService(key: Pick<ApiKey, 'services'>, serviceId: string): boolean {
  return key.services === null || key.services.includes(serviceId)
}
