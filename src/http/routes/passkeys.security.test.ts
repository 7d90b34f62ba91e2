/** Every passkey route refuses missing, malformed, unknown and revoked keys, and checks scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'
import { mintApiKey } from '../../auth/api-key.js'

const entity = '/v1/services/svc_x/entities/user-1/passkeys'
const ROUTES: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string; scope: 'verify' | 'read' }> = [
  { method: 'POST', url: `${entity}/registration/options`, scope: 'verify' },
  { method: 'POST', url: `${entity}/registration/verify`, scope: 'verify' },
  { method: 'POST', url: `${entity}/authentication/options`, scope: 'verify' },
  { method: 'POST', url: `${entity}/authentication/verify`, scope: 'verify' },
  { method: 'POST', url: '/v1/services/svc_x/passkeys/authentication/options', scope: 'verify' },
  { method: 'POST', url: '/v1/services/svc_x/passkeys/authentication/verify', scope: 'verify' },
  { method: 'GET', url: entity, scope: 'read' },
  { method: 'DELETE', url: `${entity}/AAAA`, scope: 'verify' },
]

describe('passkeys API: security', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let revoked: string
  beforeAll(async () => {
    t = await buildTestApp()
    const { key, token } = mintApiKey('to revoke', ['admin'], Date.now())
    await t.deps.stores.apiKeys.insert(key)
    await t.deps.stores.apiKeys.revoke(key.id, Date.now())
    revoked = token
  })
  afterAll(async () => t.close())

  const bad: Array<Record<string, string>> = [
    {},
    { authorization: 'Basic Zm9vOmJhcg==' },
    { authorization: 'Bearer hello' },
    { authorization: `Bearer vgk_${'a'.repeat(24)}_${'b'.repeat(43)}` },
  ]

  for (const route of ROUTES) {
    it(`${route.method} ${route.url} refuses bad and revoked keys with 401`, async () => {
      for (const headers of [...bad, { authorization: `Bearer ${revoked}` }]) {
        const res = await t.app.inject({ method: route.method, url: route.url, headers })
        expect(res.statusCode, JSON.stringify(headers)).toBe(401)
        expect(res.json().error.code).toBe('UNAUTHORIZED')
      }
    })

    if (route.scope === 'verify') {
      it(`${route.method} ${route.url} refuses a read-only key`, async () => {
        const res = await t.app.inject({ method: route.method, url: route.url, headers: t.auth(t.readKey) })
        expect(res.statusCode).toBe(403)
        expect(res.json().error.code).toBe('FORBIDDEN')
      })
    }
  }
})
