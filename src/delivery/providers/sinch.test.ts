/** @module Sinch adapter against a local mock of the Sinch SMS REST API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { type SinchMock, startSinchMock } from '../../../test/mocks/sinch-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'
import { sinch } from './sinch.js'
import { SinchConfigSchema } from './sinch-config.js'

const PLAN = 'plan123'
const TOKEN = 'api-token-abc'
const SECRET = 'callback-hmac-secret'

let mock: SinchMock
let receiver: MockServer

beforeAll(async () => {
  mock = await startSinchMock({ servicePlanId: PLAN, apiToken: TOKEN, callbackSecret: SECRET })
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await mock.close()
  await receiver.close()
})
afterEach(() => {
  receiver.requests.length = 0
})

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+15551234567',
  body: 'Your code is 123456',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  const config = SinchConfigSchema.parse({
    type: 'sinch',
    servicePlanId: PLAN,
    apiToken: TOKEN,
    baseUrl: mock.url,
    from: '12345',
    callbackUrl: `${receiver.url}/receipts/sinch`,
    callbackSecret: SECRET,
    ...over,
  })
  return sinch(config, { fetch: globalFetch, clock: systemClock, onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

async function sendError(p: ReturnType<typeof adapter>, m = msg()): Promise<ProviderError> {
  const err = await send(p, m).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

describe('sinch send', () => {
  it('creates a one-recipient batch with Bearer auth and client_reference', async () => {
    const result = await send(adapter({ expireAfterSeconds: 600 }))
    const req = mock.requests.at(-1)!
    expect(req.path).toBe(`/xms/v1/${PLAN}/batches`)
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
    const body = JSON.parse(req.rawBody)
    expect(body).toMatchObject({
      to: ['+15551234567'],
      from: '12345',
      body: 'Your code is 123456',
      type: 'mt_text',
      delivery_report: 'per_recipient',
      callback_url: `${receiver.url}/receipts/sinch`,
      client_reference: 'msg_1:1',
    })
    expect(Date.parse(body.expire_at)).toBeGreaterThan(Date.now())
    expect(result.providerMessageId).toBe(mock.batches.at(-1)!.id)
  })

  it('asks for no delivery report when no callback URL is configured', async () => {
    await send(adapter({ callbackUrl: undefined, callbackSecret: undefined }))
    expect(JSON.parse(mock.requests.at(-1)!.rawBody)).toMatchObject({ delivery_report: 'none' })
    expect(JSON.parse(mock.requests.at(-1)!.rawBody).callback_url).toBeUndefined()
  })

  it('maps a badly formatted recipient to invalid_number', async () => {
    const err = await sendError(adapter(), msg({ to: 'not-a-number' }))
    expect(err).toMatchObject({
      outcome: 'invalid_number',
      retryable: false,
      rawCode: 'syntax_invalid_parameter_format',
      httpStatus: 400,
    })
  })

  it.each([
    [{ status: 429, code: 'too_many_requests' }, 'provider_throttled', true],
    [{ status: 503 }, 'provider_error', true],
    [{ status: 500, code: 'internal_error' }, 'provider_error', true],
    [{ status: 403, code: 'unknown_campaign' }, 'provider_error', false],
    [{ status: 400, code: 'syntax_constraint_violation' }, 'provider_error', false],
    [
      { status: 400, code: 'syntax_invalid_parameter_format', text: "Invalid value in field 'expire_at'" },
      'provider_error',
      false,
    ],
  ] as const)('maps %o to %s', async (failure, outcome, retryable) => {
    mock.failNext({ kind: 'http', ...failure })
    const err = await sendError(adapter())
    expect(err).toMatchObject({ outcome, retryable, httpStatus: failure.status })
    if ('code' in failure) expect(err.rawCode).toBe(failure.code)
  })

  it('treats a bad token as a non-retryable configuration error', async () => {
    const err = await sendError(adapter({ apiToken: 'wrong' }))
    expect(err).toMatchObject({
      outcome: 'provider_error',
      retryable: false,
      httpStatus: 401,
      rawCode: 'unauthorized',
    })
  })

  it('turns a timeout into a retryable provider_error', async () => {
    mock.failNext({ kind: 'hang' })
    const err = await send(adapter(), msg(), 200).catch((e: unknown) => e)
    expect(err).toMatchObject({ outcome: 'provider_error', retryable: true, rawCode: 'TIMEOUT' })
  })

  it('refuses a callbackUrl without any way to authenticate receipts', () => {
    const r = SinchConfigSchema.safeParse({
      type: 'sinch',
      servicePlanId: 'p',
      apiToken: 't',
      callbackUrl: 'https://x.example/r',
    })
    expect(r.success).toBe(false)
  })
})

describe('sinch receipts', () => {
  it('verifies the HMAC signature and parses a delivered report', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    expect(await mock.sendReport(providerMessageId, { status: 'Delivered', code: 0 })).toBe(200)
    const req = receiver.requests[0]!
    expect(await p.receipts.verify(req)).toBe(true)
    expect(p.receipts.parse(req)).toEqual([
      {
        providerId: 'sinch',
        providerMessageId,
        outcome: 'delivered',
        rawStatus: 'Delivered',
        rawCode: '0',
        rawText: undefined,
        at: Date.parse('2026-01-01T00:00:04.000Z'),
      },
    ])
  })

  it.each([
    ['Dispatched', 401, 'pending'],
    ['Queued', 400, 'pending'],
    ['Failed', 404, 'unreachable'],
    ['Aborted', 412, 'geo_blocked'],
    ['Rejected', 402, 'carrier_blocked'],
    ['Expired', 406, 'expired'],
    ['Deleted', 0, 'carrier_blocked'],
    ['Unknown', 0, 'unknown'],
  ] as const)('maps %s (code %i) to %s', async (status, code, outcome) => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    await mock.sendReport(providerMessageId, { status, code })
    const [report] = p.receipts.parse(receiver.requests[0]!)
    expect(report).toMatchObject({ providerMessageId, outcome, rawStatus: status, rawCode: String(code) })
  })

  it('rejects a forged, tampered, stale or replayed callback', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    await mock.sendReport(providerMessageId, { status: 'Delivered', code: 0 }, { secret: 'wrong-secret' })
    await mock.sendReport(providerMessageId, { status: 'Delivered', code: 0 }, { secret: null })
    await mock.sendReport(
      providerMessageId,
      { status: 'Delivered', code: 0 },
      { timestamp: Math.floor(Date.now() / 1000) - 3600 },
    )
    await mock.sendReport(providerMessageId, { status: 'Delivered', code: 0 })
    const [forged, unsigned, stale, good] = receiver.requests
    expect(await p.receipts.verify(forged!)).toBe(false)
    expect(await p.receipts.verify(unsigned!)).toBe(false)
    expect(await p.receipts.verify(stale!)).toBe(false)
    const tampered = { ...good!, rawBody: good!.rawBody.replace('"Delivered"', '"Failed"') }
    expect(await p.receipts.verify(tampered)).toBe(false)
    expect(await p.receipts.verify(good!)).toBe(true)
    expect(await p.receipts.verify(good!)).toBe(false)
  })

  it('falls back to a URL token when HMAC signing is not enabled', async () => {
    const token = 'token-0123456789abcdef'
    const p = adapter({ callbackSecret: undefined, callbackToken: token })
    const { providerMessageId } = await send(p)
    expect(mock.batches.at(-1)!.callbackUrl).toBe(`${receiver.url}/receipts/sinch?token=${token}`)
    await mock.sendReport(providerMessageId, { status: 'Delivered', code: 0 }, { secret: null })
    await mock.sendReport(
      providerMessageId,
      { status: 'Delivered', code: 0 },
      { secret: null, url: `${receiver.url}/receipts/sinch?token=nope` },
    )
    expect(await p.receipts.verify(receiver.requests[0]!)).toBe(true)
    expect(await p.receipts.verify(receiver.requests[1]!)).toBe(false)
  })
})
