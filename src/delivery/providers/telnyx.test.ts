/** @module Wire-format tests of the Telnyx adapter against a local Telnyx mock. */
import { generateKeyPairSync } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startTelnyxMock, type TelnyxMock } from '../../../test/mocks/telnyx-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { InboundRequest, OutgoingMessage, ReceiptWebhook } from './provider.js'
import { telnyx } from './telnyx.js'
import { type TelnyxConfig, TelnyxConfigSchema } from './telnyx-config.js'

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+13125550123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

let mock: TelnyxMock
let receiver: MockServer
let clock: ManualClock

beforeEach(async () => {
  mock = await startTelnyxMock()
  receiver = await startWebhookReceiver()
  clock = new ManualClock(Date.now())
})

afterEach(async () => {
  await mock.close()
  await receiver.close()
})

const webhookUrl = () => `${receiver.url}/v1/receipts/telnyx`

function build(overrides: Partial<Record<keyof TelnyxConfig, unknown>> = {}) {
  const config = TelnyxConfigSchema.parse({
    type: 'telnyx',
    apiKey: mock.apiKey,
    publicKey: mock.publicKey,
    baseUrl: mock.url,
    from: '+13125550100',
    webhookUrl: webhookUrl(),
    ...overrides,
  })
  return telnyx(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

function receiptsOf(provider: ReturnType<typeof build>): ReceiptWebhook {
  if (!provider.receipts) throw new Error('provider has no receipt webhook')
  return provider.receipts
}

function lastReceived(): InboundRequest {
  const req = receiver.requests.at(-1)
  if (!req) throw new Error('nothing arrived at the receiver')
  return req
}

const signal = () => AbortSignal.timeout(5_000)

describe('telnyx config', () => {
  it('defaults id, origin and channels, and checks the public key length', () => {
    const c = TelnyxConfigSchema.parse({ type: 'telnyx', apiKey: 'k', from: '+13125550100' })
    expect(c).toMatchObject({
      id: 'telnyx',
      baseUrl: 'https://api.telnyx.com',
      channels: ['sms'],
      signatureToleranceSeconds: 300,
    })
    expect(() =>
      TelnyxConfigSchema.parse({ type: 'telnyx', apiKey: 'k', from: '+1', publicKey: 'c2hvcnQ=' }),
    ).toThrow(/32-byte/)
    expect(() =>
      TelnyxConfigSchema.parse({ type: 'telnyx', apiKey: 'k', from: '+1', channels: ['call'] }),
    ).toThrow()
  })

  it('takes no receipts without the public key', () => {
    expect(build({ publicKey: undefined }).receipts).toBeUndefined()
  })
})

describe('telnyx send', () => {
  it('posts JSON with Bearer auth and the attempt key as Idempotency-Key, and returns the message id', async () => {
    const result = await build({ messagingProfileId: 'prof-1' }).send(SMS, { signal: signal() })

    const req = mock.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe('/v2/messages')
    expect(req?.headers.authorization).toBe(`Bearer ${mock.apiKey}`)
    expect(req?.headers['content-type']).toBe('application/json')
    expect(req?.headers['idempotency-key']).toBe('msg_1:1')
    expect(mock.json()).toEqual({
      from: '+13125550100',
      to: '+13125550123',
      text: SMS.body,
      messaging_profile_id: 'prof-1',
      webhook_url: webhookUrl(),
    })
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(result).toMatchObject({ rawStatus: 'queued', segments: 1 })
  })

  it('uses the number pool endpoint when there is no sender', async () => {
    await build({ from: undefined, messagingProfileId: 'prof-1' }).send(SMS, { signal: signal() })
    expect(mock.requests[0]?.path).toBe('/v2/messages/number_pool')
    expect(mock.json()).toMatchObject({ messaging_profile_id: 'prof-1', to: SMS.to })
  })

  it('gets the same message back when an attempt is replayed with its idempotency key', async () => {
    const provider = build()
    const first = await provider.send(SMS, { signal: signal() })
    const again = await provider.send(SMS, { signal: signal() })
    expect(again.providerMessageId).toBe(first.providerMessageId)
  })
})

describe('telnyx receipts', () => {
  async function webhook(r: Omit<Parameters<TelnyxMock['sendReceipt']>[1], 'id'>) {
    const { providerMessageId } = await build().send(SMS, { signal: signal() })
    expect(await mock.sendReceipt(String(mock.json().webhook_url), { id: providerMessageId, ...r })).toBe(200)
    return { req: lastReceived(), id: providerMessageId }
  }

  it('verifies an Ed25519-signed webhook and parses delivered', async () => {
    const provider = build()
    const { req, id } = await webhook({ status: 'delivered' })
    expect(req.headers['telnyx-signature-ed25519']).toBeTruthy()
    expect(receiptsOf(provider).verify(req)).toBe(true)
    const envelope = JSON.parse(req.rawBody) as { data: { occurred_at: string } }
    expect(receiptsOf(provider).parse(req)).toEqual([
      {
        providerId: 'telnyx',
        providerMessageId: id,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: undefined,
        rawText: undefined,
        at: Date.parse(envelope.data.occurred_at),
      },
    ])
  })

  it('rejects a webhook signed with another key, a tampered body, a stale timestamp and a missing signature', async () => {
    const provider = build()
    const { req: forged } = await webhook({
      status: 'delivered',
      signingKey: generateKeyPairSync('ed25519').privateKey,
    })
    expect(receiptsOf(provider).verify(forged)).toBe(false)

    const { req } = await webhook({ status: 'delivery_failed', errors: [{ code: '40003', title: 'Spam' }] })
    const tampered = { ...req, rawBody: req.rawBody.replace('"delivery_failed"', '"delivered"') }
    expect(tampered.rawBody).not.toBe(req.rawBody)
    expect(receiptsOf(provider).verify(tampered)).toBe(false)
    expect(
      receiptsOf(provider).verify({
        ...req,
        headers: { ...req.headers, 'telnyx-timestamp': String(Number(req.headers['telnyx-timestamp']) + 1) },
      }),
    ).toBe(false)
    const { 'telnyx-signature-ed25519': _, ...unsigned } = req.headers
    expect(receiptsOf(provider).verify({ ...req, headers: unsigned })).toBe(false)

    const { req: stale } = await webhook({
      status: 'delivered',
      timestamp: Math.floor(clock.now() / 1000) - 301,
    })
    expect(receiptsOf(provider).verify(stale)).toBe(false)
    clock.advance(-301_000)
    expect(receiptsOf(provider).verify(stale)).toBe(true)
  })

  it('yields no report for other event types', async () => {
    const provider = build()
    const { req } = await webhook({ status: 'delivered', eventType: 'message.received' })
    expect(receiptsOf(provider).verify(req)).toBe(true)
    expect(receiptsOf(provider).parse(req)).toEqual([])
  })
})
