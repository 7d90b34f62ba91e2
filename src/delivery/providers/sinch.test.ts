/** @module Sinch adapter against a local mock of the Sinch SMS REST API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { type SinchMock, startSinchMock } from '../../../test/mocks/sinch-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
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
