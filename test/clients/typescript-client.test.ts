/**
 * The typed client in clients/typescript/: its types match the server's /openapi.json (drift
 * check; `npm run client:generate` rewrites them), and it works against a running server: typed
 * errors, retries after Retry-After, one idempotency key per start across its retries.
 */
import { writeFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import {
  createVerigateClient,
  type ErrorCode,
  type Factor,
  retryAfterSeconds,
  type Service,
  type Verification,
  VerigateError,
  type WebhookEndpoint,
} from '../../clients/typescript/src/index.js'
import { buildTestApp, codeFromInbox, createTestService, eventually } from '../helpers/test-deps.js'
import { currentClientTypes, generateClientTypes, SCHEMA_FILE } from './generate-client-types.js'

describe('TypeScript client: drift check', () => {
  it('clients/typescript/src/schema.ts is what /openapi.json generates today', async () => {
    const generated = await generateClientTypes()
    if (process.env.UPDATE_CLIENT_TYPES === '1') writeFileSync(SCHEMA_FILE, generated)
    expect(
      currentClientTypes() === generated,
      'The API changed: run `npm run client:generate` and commit clients/typescript/src/schema.ts',
    ).toBe(true)
  })
})

describe('TypeScript client against the server', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let baseUrl: string
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    t.deps.dispatcher.start()
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 })
    serviceId = (await createTestService(t.deps)).id
  })
  afterAll(async () => t.close())

  it('starts and checks a verification with typed answers', async () => {
    const verigate = createVerigateClient({ baseUrl, apiKey: t.verifyKey })
    const to = '+447700900124'
    const v = await verigate.startVerification({ service_id: serviceId, to, channel: 'sms' })
    expect(v.id).toMatch(/^ver_/)
    expect(v.status).toBe('pending')
    const code = await eventually(() => codeFromInbox(t.deps, to))
    const checked = await verigate.checkVerification(v.id, { code })
    expect(checked.status).toBe('approved')
    expect((await verigate.getVerification(v.id)).status).toBe('approved')
  })

  it('throws the error envelope as a typed VerigateError', async () => {
    const verigate = createVerigateClient({ baseUrl, apiKey: t.verifyKey })
    const v = await verigate.startVerification({ service_id: serviceId, to: '+447700900125', channel: 'sms' })
    const err = await verigate.checkVerification(v.id, { code: '000000' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(VerigateError)
    const e = err as VerigateError
    expect(e.status).toBe(422)
    expect(e.code).toBe('CODE_INCORRECT')
    expect(e.requestId).toMatch(/^req_/)
    expect(e.details.attempts_left).toBe(4)
    const bad = await createVerigateClient({ baseUrl, apiKey: 'vgk_nope' })
      .getVerification(v.id)
      .then(
        () => undefined,
        (x: unknown) => x as VerigateError,
      )
    expect(bad?.code).toBe('UNAUTHORIZED')
  })

  it('retries a 503 after its Retry-After, with the same idempotency key, and starts once', async () => {
    const keys: (string | null)[] = []
    const slept: number[] = []
    let refused = 0
    const verigate = createVerigateClient({
      baseUrl,
      apiKey: t.verifyKey,
      sleep: async (ms) => {
        slept.push(ms)
      },
      fetch: async (input, init) => {
        const request = new Request(input, init)
        keys.push(request.headers.get('idempotency-key'))
        if (refused++ === 0)
          return Response.json(
            { error: { code: 'SERVER_OVERLOADED', message: 'busy', request_id: 'req_x' } },
            { status: 503, headers: { 'retry-after': '2' } },
          )
        return fetch(request)
      },
    })
    const v = await verigate.startVerification({ service_id: serviceId, to: '+447700900126', channel: 'sms' })
    expect(v.status).toBe('pending')
    expect(slept).toEqual([2000])
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    // The same key again answers the same verification: no second code.
    const again = await verigate.startVerification(
      { service_id: serviceId, to: '+447700900126', channel: 'sms' },
      { idempotencyKey: keys[0]! },
    )
    expect(again.id).toBe(v.id)
  })

  it('gives up after its retries, and on a Retry-After longer than it waits', async () => {
    let calls = 0
    const busy = async () => {
      calls++
      return Response.json(
        { error: { code: 'RATE_LIMITED', message: 'slow down', request_id: 'req_y', retry_after: 1 } },
        { status: 429, headers: { 'retry-after': '1' } },
      )
    }
    const verigate = createVerigateClient({
      baseUrl,
      apiKey: t.verifyKey,
      retries: 2,
      fetch: busy,
      sleep: async () => {},
    })
    const err = (await verigate.getVerification('ver_x').catch((e: unknown) => e)) as VerigateError
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.status).toBe(429)
    expect(calls).toBe(3)
    expect(retryAfterSeconds('120')).toBe(120)
    expect(retryAfterSeconds(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThanOrEqual(4)
    expect(retryAfterSeconds(null)).toBe(1)
  })
})

describe('TypeScript client: typed answers that match the document', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let baseUrl: string
  let validate: (method: string, path: string, status: number, body: unknown) => string[]
  beforeAll(async () => {
    t = await buildTestApp({ config: { fraud: { mode: 'off' } } })
    t.deps.dispatcher.start()
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 })
    // Every answer below is checked against the response schema /openapi.json declares for it, so
    // the types the client is generated from describe what the server really sends.
    const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Record<string, unknown>
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
    ajv.addSchema(doc, 'openapi')
    validate = (method, path, status, body) => {
      const pointer = (p: string) => p.replaceAll('~', '~0').replaceAll('/', '~1')
      const responses = ((
        doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
      )[path]?.[method]?.responses ?? {}) as Record<string, unknown>
      const key = String(status) in responses ? String(status) : `${String(status)[0]}XX`
      if (!(key in responses)) return [`no response ${status} documented for ${method.toUpperCase()} ${path}`]
      const check = ajv.getSchema(
        `openapi#/paths/${pointer(path)}/${method}/responses/${key}/content/application~1json/schema`,
      )!
      return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
    }
  })
  afterAll(async () => t.close())

  it('verifications, services, factors, recovery codes, webhooks and errors answer as documented, with their types', async () => {
    const verigate = createVerigateClient({ baseUrl, apiKey: t.adminKey })
    const { raw } = verigate
    const seen: Array<[string, string, number, unknown]> = []
    const keep = <R extends { data?: unknown; error?: unknown; response: Response }>(
      method: string,
      path: string,
      r: R,
    ): R => {
      seen.push([method, path, r.response.status, r.data ?? r.error])
      return r
    }

    const svc = keep('post', '/v1/services', await raw.POST('/v1/services', { body: { name: 'Typed' } }))
    expectTypeOf(svc.data).toEqualTypeOf<Service | undefined>()
    const serviceId = svc.data!.id
    keep('get', '/v1/services', await raw.GET('/v1/services'))
    keep(
      'get',
      '/v1/services/{id}',
      await raw.GET('/v1/services/{id}', { params: { path: { id: serviceId } } }),
    )
    keep(
      'patch',
      '/v1/services/{id}',
      await raw.PATCH('/v1/services/{id}', {
        params: { path: { id: serviceId } },
        body: { brand_name: 'Typed Co' },
      }),
    )

    const to = '+447700900131'
    const v = await verigate.startVerification({ service_id: serviceId, to, channel: 'sms' })
    expectTypeOf(v).toEqualTypeOf<Verification>()
    expectTypeOf(v.status).toEqualTypeOf<'pending' | 'approved' | 'canceled' | 'expired' | 'failed'>()
    seen.push(['post', '/v1/verifications', 201, v])
    const code = await eventually(() => codeFromInbox(t.deps, to))
    await eventually(async () =>
      (await verigate.getVerification(v.id)).messages?.[0]?.sent_at ? true : undefined,
    )
    const fetched = await verigate.getVerification(v.id)
    expect(fetched.messages?.[0]?.hand_overs?.length).toBeGreaterThan(0)
    seen.push(['get', '/v1/verifications/{id}', 200, fetched])
    keep(
      'get',
      '/v1/verifications/{id}/events',
      await raw.GET('/v1/verifications/{id}/events', { params: { path: { id: v.id } } }),
    )
    const wrong = await raw.POST('/v1/verifications/{id}/check', {
      params: { path: { id: v.id } },
      body: { code: code === '000000' ? '111111' : '000000' },
    })
    keep('post', '/v1/verifications/{id}/check', wrong)
    expectTypeOf(wrong.error!.error.code).toEqualTypeOf<ErrorCode>()
    expect(wrong.error?.error.code).toBe('CODE_INCORRECT')
    const checked = await verigate.checkVerification(v.id, { code })
    expect(checked.status).toBe('approved')
    seen.push(['post', '/v1/verifications/{id}/check', 200, checked])

    const entity = { serviceId, entityId: 'user-42' }
    const enrol = keep(
      'post',
      '/v1/services/{serviceId}/entities/{entityId}/factors',
      await raw.POST('/v1/services/{serviceId}/entities/{entityId}/factors', {
        params: { path: entity },
        body: { type: 'totp', friendly_name: 'Phone' },
      }),
    )
    expect(enrol.data?.secret).toBeTruthy()
    const factorId = enrol.data!.id
    const listed = keep(
      'get',
      '/v1/services/{serviceId}/entities/{entityId}/factors',
      await raw.GET('/v1/services/{serviceId}/entities/{entityId}/factors', { params: { path: entity } }),
    )
    expectTypeOf(listed.data!.data).toEqualTypeOf<Factor[]>()
    keep(
      'get',
      '/v1/services/{serviceId}/entities/{entityId}/factors/{factorId}',
      await raw.GET('/v1/services/{serviceId}/entities/{entityId}/factors/{factorId}', {
        params: { path: { ...entity, factorId } },
      }),
    )
    keep(
      'post',
      '/v1/services/{serviceId}/entities/{entityId}/recovery-codes',
      await raw.POST('/v1/services/{serviceId}/entities/{entityId}/recovery-codes', {
        params: { path: entity },
        body: null,
      }),
    )
    keep(
      'get',
      '/v1/services/{serviceId}/entities/{entityId}/recovery-codes',
      await raw.GET('/v1/services/{serviceId}/entities/{entityId}/recovery-codes', {
        params: { path: entity },
      }),
    )

    const hook = keep(
      'put',
      '/v1/services/{id}/webhook',
      await raw.PUT('/v1/services/{id}/webhook', {
        params: { path: { id: serviceId } },
        body: { url: 'https://hooks.example.com/verigate' },
      }),
    )
    expectTypeOf(hook.data).toEqualTypeOf<WebhookEndpoint | undefined>()
    expect(hook.data?.secret).toBeTruthy()
    keep(
      'get',
      '/v1/services/{id}/webhook',
      await raw.GET('/v1/services/{id}/webhook', { params: { path: { id: serviceId } } }),
    )
    keep(
      'post',
      '/v1/services/{id}/webhook/rotate-secret',
      await raw.POST('/v1/services/{id}/webhook/rotate-secret', { params: { path: { id: serviceId } } }),
    )
    keep(
      'get',
      '/v1/services/{id}',
      await raw.GET('/v1/services/{id}', { params: { path: { id: 'svc_none' } } }),
    )

    const problems = seen.flatMap(([method, path, status, body]) =>
      validate(method, path, status, body).map((p) => `${method.toUpperCase()} ${path} ${status}: ${p}`),
    )
    expect(problems).toEqual([])
    expect(seen.map(([, , status]) => status)).toEqual([
      201, 200, 200, 200, 201, 200, 200, 422, 200, 201, 200, 200, 201, 200, 201, 200, 200, 404,
    ])
  })
})
