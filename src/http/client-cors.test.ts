/**
 * CORS of the client API by @fastify/cors with per-service allowed origins: preflights are answered
 * only for origins some service allows, and a call is readable only by its own service's origins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'

describe('client API CORS: per-service client_origins', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let shopToken: string
  beforeAll(async () => {
    t = await buildTestApp()
    const create = async (payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/services', headers: t.auth(), payload })
      expect(res.statusCode, res.body).toBe(201)
      return res.json() as { id: string; client_origins: string[] | null }
    }
    const shop = await create({ name: 'Shop', client_origins: ['https://shop.example/'] })
    expect(shop.client_origins).toEqual(['https://shop.example'])
    await create({ name: 'Other', client_origins: ['https://other.example'] })
    const minted = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: shop.id },
    })
    shopToken = minted.json().token
  })
  afterAll(async () => t.close())

  const preflight = (origin: string, url = '/v1/client/verification') =>
    t.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })

  it('refuses a preflight from an origin no service allows: 404, no CORS headers', async () => {
    const res = await preflight('https://evil.example')
    expect(res.statusCode).toBe(404)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
    expect(res.headers['access-control-allow-methods']).toBeUndefined()
  })

  it('answers a preflight from an allowed origin with that origin (never *, never credentials)', async () => {
    const res = await preflight('https://shop.example')
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example')
    expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type')
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS')
    expect(res.headers['access-control-max-age']).toBe('600')
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
    expect(res.headers.vary).toMatch(/origin/i)
  })

  it("holds a call to its own service's origins: another service's origin cannot read it", async () => {
    const own = await t.app.inject({
      method: 'GET',
      url: '/v1/client/session',
      headers: { authorization: `Bearer ${shopToken}`, origin: 'https://shop.example' },
    })
    expect(own.statusCode).toBe(200)
    expect(own.headers['access-control-allow-origin']).toBe('https://shop.example')
    const other = await t.app.inject({
      method: 'GET',
      url: '/v1/client/session',
      headers: { authorization: `Bearer ${shopToken}`, origin: 'https://other.example' },
    })
    expect(other.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('leaves preflights of the server-side API unanswered', async () => {
    const res = await preflight('https://shop.example', '/v1/services')
    expect(res.statusCode).toBe(404)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('client_origins must be bare https origins', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Bad', client_origins: ['http://shop.example'] },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(res.json().error.message).toMatch(/^client_origins: /)
  })

  it('a service without a list opens preflights to any origin again (within seconds)', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/services', headers: t.auth(), payload: { name: 'Open' } })
    t.clock.advance(6_000)
    const res = await preflight('https://anywhere.example')
    expect(res.statusCode).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe('*')
  })
})
