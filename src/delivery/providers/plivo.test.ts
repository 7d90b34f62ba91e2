/** @module Wire-format tests of the Plivo adapter against a local Plivo mock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { type PlivoMock, startPlivoMock } from '../../../test/mocks/plivo-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { plivo } from './plivo.js'
import { type PlivoConfig, PlivoConfigSchema } from './plivo-config.js'
import type { InboundRequest, OutgoingMessage } from './provider.js'

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+14155550123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

let mock: PlivoMock
let receiver: MockServer
let clock: ManualClock

beforeEach(async () => {
  mock = await startPlivoMock()
  receiver = await startWebhookReceiver()
  clock = new ManualClock(Date.UTC(2026, 0, 1))
})

afterEach(async () => {
  await mock.close()
  await receiver.close()
})

// A query string exercises the `?query.postparams` form of the V3 base string.
const callbackUrl = () => `${receiver.url}/v1/receipts/plivo?provider=plivo-us`

function build(overrides: Partial<Record<keyof PlivoConfig, unknown>> = {}) {
  const config = PlivoConfigSchema.parse({
    type: 'plivo',
    authId: mock.authId,
    authToken: mock.authToken,
    baseUrl: mock.url,
    from: '+14155550001',
    statusCallbackUrl: callbackUrl(),
    ...overrides,
  })
  return plivo(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

function lastReceived(): InboundRequest {
  const req = receiver.requests.at(-1)
  if (!req) throw new Error('nothing arrived at the receiver')
  return req
}

const signal = () => AbortSignal.timeout(5_000)

describe('plivo config', () => {
  it('defaults id, origin and channels, and needs a sender', () => {
    const c = PlivoConfigSchema.parse({ type: 'plivo', authId: 'MA1', authToken: 't', from: '+14155550001' })
    expect(c).toMatchObject({ id: 'plivo', baseUrl: 'https://api.plivo.com', channels: ['sms'] })
    expect(() => PlivoConfigSchema.parse({ type: 'plivo', authId: 'MA1', authToken: 't' })).toThrow(
      /powerpack/,
    )
  })
})

describe('plivo send', () => {
  it('posts JSON to the Message resource with Basic auth and returns the first message_uuid', async () => {
    const result = await build({ messageExpirySeconds: 600 }).send(SMS, { signal: signal() })

    const req = mock.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(`/v1/Account/${mock.authId}/Message/`)
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${mock.authId}:${mock.authToken}`).toString('base64')}`,
    )
    expect(req?.headers['content-type']).toBe('application/json')
    expect(mock.json()).toEqual({
      src: '+14155550001',
      dst: '+14155550123',
      text: SMS.body,
      type: 'sms',
      url: callbackUrl(),
      method: 'POST',
      message_expiry: 600,
    })
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(result.rawStatus).toBe('message(s) queued')
  })

  it('sends through the powerpack when there is no sender', async () => {
    await build({ from: undefined, powerpackUuid: 'pp-1' }).send(SMS, { signal: signal() })
    expect(mock.json()).toMatchObject({ powerpack_uuid: 'pp-1' })
    expect(mock.json().src).toBeUndefined()
  })
})

describe('plivo receipts', () => {
  async function callback(
    status: string,
    errorCode?: string,
    extra: { method?: 'GET' | 'POST'; authToken?: string } = {},
  ) {
    const { providerMessageId } = await build().send(SMS, { signal: signal() })
    expect(
      await mock.sendReceipt(String(mock.json().url), {
        messageUuid: providerMessageId,
        status,
        errorCode,
        ...extra,
      }),
    ).toBe(200)
    return { req: lastReceived(), id: providerMessageId }
  }

  it('verifies a V3-signed form callback and parses delivered', async () => {
    const provider = build()
    const { req, id } = await callback('delivered')
    expect(req.headers['x-plivo-signature-v3']).toBeTruthy()
    expect(provider.receipts.verify(req)).toBe(true)
    expect(provider.receipts.parse(req)).toEqual([
      {
        providerId: 'plivo',
        providerMessageId: id,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: undefined,
        rawText: undefined,
        at: clock.now(),
      },
    ])
  })

  it('verifies a GET callback signed over the query alone', async () => {
    const provider = build()
    const { req, id } = await callback('undelivered', '30', { method: 'GET' })
    expect(req.method).toBe('GET')
    expect(provider.receipts.verify(req)).toBe(true)
    expect(provider.receipts.parse(req)[0]).toMatchObject({
      providerMessageId: id,
      outcome: 'carrier_blocked',
      rawCode: '30',
    })
  })

  it('rejects a callback signed with another token, a tampered body, another nonce and a missing signature', async () => {
    const provider = build()
    const { req: forged } = await callback('delivered', undefined, { authToken: 'not-the-token' })
    expect(provider.receipts.verify(forged)).toBe(false)

    const { req } = await callback('undelivered', '30')
    const tampered = { ...req, rawBody: req.rawBody.replace('Status=undelivered', 'Status=delivered') }
    expect(tampered.rawBody).not.toBe(req.rawBody)
    expect(provider.receipts.verify(tampered)).toBe(false)
    expect(
      provider.receipts.verify({
        ...req,
        headers: { ...req.headers, 'x-plivo-signature-v3-nonce': 'other' },
      }),
    ).toBe(false)
    const { 'x-plivo-signature-v3': _, ...unsigned } = req.headers
    expect(provider.receipts.verify({ ...req, headers: unsigned })).toBe(false)
  })

  it('accepts any one of several comma-separated signatures', async () => {
    const provider = build()
    const { req } = await callback('delivered')
    const good = req.headers['x-plivo-signature-v3'] ?? ''
    expect(
      provider.receipts.verify({
        ...req,
        headers: { ...req.headers, 'x-plivo-signature-v3': `bm90LXRoaXM=, ${good}` },
      }),
    ).toBe(true)
  })

  it('signs a POST without a query as base + "?" + post params', async () => {
    const provider = build()
    const url = `${receiver.url}/v1/receipts/plivo`
    const post = new URLSearchParams({ MessageUUID: 'u-1', Status: 'sent' })
    const req: InboundRequest = {
      method: 'POST',
      url,
      headers: {
        'x-plivo-signature-v3': mock.signV3('POST', url, post, 'n1'),
        'x-plivo-signature-v3-nonce': 'n1',
      },
      rawBody: post.toString(),
      query: {},
    }
    expect(provider.receipts.verify(req)).toBe(true)
    expect(provider.receipts.parse(req)[0]).toMatchObject({ providerMessageId: 'u-1', outcome: 'pending' })
  })
})
