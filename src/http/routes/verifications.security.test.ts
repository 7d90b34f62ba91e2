/** Every protected route refuses missing, malformed, unknown and revoked keys, and checks scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'
import { mintApiKey, parseToken } from '../../auth/api-key.js'

const ROUTES: Array<{
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  scope: 'admin' | 'verify' | 'read'
}> = [
  { method: 'POST', url: '/v1/services', scope: 'admin' },
  { method: 'GET', url: '/v1/services', scope: 'read' },
  { method: 'GET', url: '/v1/services/svc_x', scope: 'read' },
  { method: 'PATCH', url: '/v1/services/svc_x', scope: 'admin' },
  { method: 'DELETE', url: '/v1/services/svc_x', scope: 'admin' },
  { method: 'POST', url: '/v1/verifications', scope: 'verify' },
  { method: 'GET', url: '/v1/verifications/ver_x', scope: 'read' },
  { method: 'POST', url: '/v1/verifications/ver_x/check', scope: 'verify' },
  { method: 'POST', url: '/v1/verifications/check', scope: 'verify' },
  { method: 'POST', url: '/v1/verifications/ver_x/resend', scope: 'verify' },
  { method: 'POST', url: '/v1/verifications/ver_x/cancel', scope: 'verify' },
  { method: 'GET', url: '/v1/verifications/ver_x/events', scope: 'read' },
  { method: 'GET', url: '/v1/phone-numbers/+447700900123', scope: 'read' },
  { method: 'POST', url: '/v1/api-keys', scope: 'admin' },
  { method: 'GET', url: '/v1/api-keys', scope: 'admin' },
  { method: 'DELETE', url: '/v1/api-keys/key_x', scope: 'admin' },
]

describe('API key security', () => {
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

  const bad: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['not bearer', { authorization: 'Basic Zm9vOmJhcg==' }],
    ['malformed', { authorization: 'Bearer hello' }],
    ['unknown', { authorization: `Bearer vgk_${'a'.repeat(24)}_${'b'.repeat(43)}` }],
  ]

  for (const route of ROUTES) {
    it(`${route.method} ${route.url} refuses bad keys with 401`, async () => {
      for (const [, headers] of bad) {
        const res = await t.app.inject({ method: route.method, url: route.url, headers })
        expect(res.statusCode, JSON.stringify(headers)).toBe(401)
        expect(res.json().error.code).toBe('UNAUTHORIZED')
      }
      const res = await t.app.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Bearer ${revoked}` },
      })
      expect(res.statusCode).toBe(401)
      expect(res.json().error.message).toMatch(/revoked/)
    })

    if (route.scope === 'admin') {
      it(`${route.method} ${route.url} needs the admin scope`, async () => {
        const res = await t.app.inject({ method: route.method, url: route.url, headers: t.auth(t.verifyKey) })
        expect(res.statusCode).toBe(403)
        expect(res.json().error.code).toBe('FORBIDDEN')
      })
    }
    if (route.scope === 'verify') {
      it(`${route.method} ${route.url} refuses a read-only key`, async () => {
        const res = await t.app.inject({ method: route.method, url: route.url, headers: t.auth(t.readKey) })
        expect(res.statusCode).toBe(403)
      })
    }
  }

  it('a key with the right secret hash but a wrong secret is refused', async () => {
    const wrong = t.verifyKey.slice(0, -3) + (t.verifyKey.endsWith('AAA') ? 'BBB' : 'AAA')
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/services',
      headers: { authorization: `Bearer ${wrong}` },
    })
    expect(res.statusCode).toBe(401)
  })

  it('creates a key that is shown once and stored hashed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: t.auth(),
      payload: { name: 'ci', scopes: ['verify'] },
    })
    expect(res.statusCode).toBe(201)
    const { key, id } = res.json()
    expect(key).toMatch(/^vgk_/)
    const stored = await t.deps.stores.apiKeys.get(id)
    expect(JSON.stringify(stored)).not.toContain(parseToken(key)!.secret)
    const list = await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: t.auth() })
    expect(JSON.stringify(list.json())).not.toContain(key)
    const del = await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: t.auth() })
    expect(del.statusCode).toBe(204)
    const after = await t.app.inject({
      method: 'GET',
      url: '/v1/services',
      headers: { authorization: `Bearer ${key}` },
    })
    expect(after.statusCode).toBe(401)
  })
})
