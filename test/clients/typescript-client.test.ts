/**
 * The typed client in clients/typescript/: its types match the server's /openapi.json (drift
 * check; `npm run client:generate` rewrites them), and it works against a running server: typed
 * errors, retries after Retry-After, one idempotency key per start across its retries.
 */
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVerigateClient, retryAfterSeconds, VerigateError } from '../../clients/typescript/src/index.js'
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
