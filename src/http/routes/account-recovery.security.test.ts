/** Every account recovery route refuses missing, malformed, unknown and revoked keys, and checks scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'
import { mintApiKey } from '../../auth/api-key.js'

const ROUTES: Array<{ method: 'GET' | 'POST'; url: string; scope: 'admin' | 'verify' | 'read' }> = [
  { method: 'POST', url: '/v1/services/svc_x/entities/user-1/recovery', scope: 'verify' },
  { method: 'GET', url: '/v1/services/svc_x/entities/user-1/recovery', scope: 'read' },
  { method: 'POST', url: '/v1/recovery/rec_x/approve', scope: 'admin' },
  { method: 'POST', url: '/v1/recovery/rec_x/cancel', scope: 'admin' },
  { method: 'POST', url: '/v1/recovery/rec_x/complete', scope: 'admin' },
  { method: 'GET', url: '/v1/recovery/rec_x', scope: 'read' },
]

describe('account recovery API: security', () => {
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

    if (route.scope !== 'read') {
      it(`${route.method} ${route.url} refuses keys without the ${route.scope} scope`, async () => {
        const keys = route.scope === 'admin' ? [t.verifyKey, t.readKey] : [t.readKey]
        for (const key of keys) {
          const res = await t.app.inject({ method: route.method, url: route.url, headers: t.auth(key) })
          expect(res.statusCode).toBe(403)
          expect(res.json().error.code).toBe('FORBIDDEN')
        }
      })
    }
  }
})
