/** /v1/services/:id/webhook refusals: scopes, bad URLs, unknown services, no endpoint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestService } from '../../../test/helpers/test-deps.js'

describe('webhook routes: errors and security', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    serviceId = (await createTestService(t.deps)).id
  })
  afterAll(async () => t.close())

  it('needs an admin key to change, a read key to look', async () => {
    const url = `/v1/services/${serviceId}/webhook`
    const payload = { url: 'https://app.example.com/hook' }
    expect((await t.app.inject({ method: 'PUT', url, payload })).statusCode).toBe(401)
    expect(
      (await t.app.inject({ method: 'PUT', url, payload, headers: t.auth(t.verifyKey) })).statusCode,
    ).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url, payload, headers: t.auth(t.readKey) })).statusCode).toBe(
      403,
    )
    expect((await t.app.inject({ method: 'DELETE', url, headers: t.auth(t.readKey) })).statusCode).toBe(403)
    expect(
      (await t.app.inject({ method: 'POST', url: `${url}/rotate-secret`, headers: t.auth(t.verifyKey) }))
        .statusCode,
    ).toBe(403)
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401)
  })

  it('refuses URLs that are not absolute http(s) without credentials, and unknown events', async () => {
    const url = `/v1/services/${serviceId}/webhook`
    for (const bad of [
      'ftp://example.com/hook',
      'not a url at all',
      'https://user:pw@example.com/hook',
      'javascript:alert(1)',
    ]) {
      const res = await t.app.inject({ method: 'PUT', url, headers: t.auth(), payload: { url: bad } })
      expect(res.statusCode, bad).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    const events = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.auth(),
      payload: { url: 'https://app.example.com/hook', events: ['verification.deleted'] },
    })
    expect(events.statusCode).toBe(400)
  })

  it('answers SERVICE_NOT_FOUND and WEBHOOK_NOT_FOUND', async () => {
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/v1/services/svc_nope/webhook',
      headers: t.auth(),
      payload: { url: 'https://app.example.com/hook' },
    })
    expect(unknown.json().error.code).toBe('SERVICE_NOT_FOUND')
    for (const [method, path] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url: `/v1/services/${serviceId}/webhook${path}`,
        headers: t.auth(),
      })
      expect(res.statusCode).toBe(404)
      expect(res.json().error.code).toBe('WEBHOOK_NOT_FOUND')
    }
  })

  it('never shows the secret again after creation', async () => {
    const url = `/v1/services/${serviceId}/webhook`
    const created = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.auth(),
      payload: { url: 'https://app.example.com/hook' },
    })
    expect(created.statusCode).toBe(201)
    const secret = created.json().secret as string
    const read = await t.app.inject({ method: 'GET', url, headers: t.auth(t.readKey) })
    expect(read.body).not.toContain(secret)
    const row = await t.deps.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('service_id', '=', serviceId)
      .executeTakeFirstOrThrow()
    expect(row.secret_sealed).not.toContain(secret)
  })
})

describe('webhook routes in production: private URLs are refused when set', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp({
      config: { env: 'production', simulator: { enabled: true, deliveryDelayMs: 0 } },
    })
    serviceId = (await createTestService(t.deps)).id
  })
  afterAll(async () => t.close())

  it('answers 422 WEBHOOK_URL_NOT_PUBLIC for loopback and private hosts in any spelling, and stores nothing', async () => {
    const url = `/v1/services/${serviceId}/webhook`
    for (const [bad, address] of [
      ['http://127.0.0.1:8080/hook', '127.0.0.1'],
      ['http://[::7f00:1]/hook', '::7f00:1'],
      ['http://[::ffff:0:7f00:1]/hook', '::ffff:0:7f00:1'],
      ['http://[2002:7f00:1::1]/hook', '2002:7f00:1::1'],
      ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data', '64:ff9b::a9fe:a9fe'],
      ['http://[::ffff:192.168.1.10]/hook', '::ffff:c0a8:10a'],
      ['http://0x7f.1/hook', '127.0.0.1'],
    ] as const) {
      const res = await t.app.inject({ method: 'PUT', url, headers: t.auth(), payload: { url: bad } })
      expect(res.statusCode, bad).toBe(422)
      expect(res.json().error).toMatchObject({ code: 'WEBHOOK_URL_NOT_PUBLIC', address })
      expect(res.json().error.message).toMatch(/allowPrivateNetworks/)
    }
    const named = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.auth(),
      payload: { url: 'http://localhost:9/hook' },
    })
    expect(named.statusCode).toBe(422)
    expect(named.json().error.message).toMatch(/^The webhook URL's host localhost resolves to /)
    expect((await t.app.inject({ method: 'GET', url, headers: t.auth() })).statusCode).toBe(404)
  })

  it('accepts a public URL, and a name it cannot resolve now (the connect-time guard still applies)', async () => {
    const url = `/v1/services/${serviceId}/webhook`
    for (const good of ['https://8.8.8.8/hook', 'https://hooks.does-not-resolve.invalid/hook']) {
      const res = await t.app.inject({ method: 'PUT', url, headers: t.auth(), payload: { url: good } })
      expect(res.statusCode, good).toBeLessThan(300)
    }
  })
})

describe('webhook routes with webhooks.allowPrivateNetworks', () => {
  it('accepts a private URL', async () => {
    const t = await buildTestApp({
      config: { env: 'production', webhooks: { allowPrivateNetworks: true }, simulator: { enabled: true } },
    })
    try {
      const serviceId = (await createTestService(t.deps)).id
      const res = await t.app.inject({
        method: 'PUT',
        url: `/v1/services/${serviceId}/webhook`,
        headers: t.auth(),
        payload: { url: 'http://127.0.0.1:8080/hook' },
      })
      expect(res.statusCode).toBe(201)
    } finally {
      await t.close()
    }
  })
})
