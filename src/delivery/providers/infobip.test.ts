/** @module Infobip adapter against a local mock of the Infobip SMS API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type InfobipMock, startInfobipMock } from '../../../test/mocks/infobip-mock.js'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { infobip } from './infobip.js'
import { InfobipConfigSchema } from './infobip-config.js'
import type { OutgoingMessage } from './provider.js'

const API_KEY = 'test-api-key-123'
const SECRET = 'receipt-secret-0123456789'

let mock: InfobipMock
let receiver: MockServer

beforeAll(async () => {
  mock = await startInfobipMock({ apiKey: API_KEY })
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
  to: '+41793026727',
  body: 'Your code is 123456',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  const config = InfobipConfigSchema.parse({
    type: 'infobip',
    apiKey: API_KEY,
    baseUrl: mock.url,
    from: 'VERIGATE',
    notifyUrl: `${receiver.url}/receipts/infobip`,
    receiptSecret: SECRET,
    ...over,
  })
  return infobip(config, { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

describe('infobip send', () => {
  it('posts the documented JSON with App auth and returns the messageId', async () => {
    const result = await send(adapter())
    const req = mock.requests.at(-1)!
    expect(req.path).toBe('/sms/2/text/advanced')
    expect(req.headers.authorization).toBe(`App ${API_KEY}`)
    const body = JSON.parse(req.rawBody)
    expect(body.messages[0]).toMatchObject({
      from: 'VERIGATE',
      destinations: [{ to: '41793026727' }],
      text: 'Your code is 123456',
      callbackData: 'msg_1:1',
      notifyContentType: 'application/json',
    })
    expect(body.messages[0].notifyUrl).toBe(`${receiver.url}/receipts/infobip?token=${SECRET}`)
    expect(result.providerMessageId).toBe(mock.accepted.at(-1)!.messageId)
    expect(result.rawStatus).toBe('PENDING_ACCEPTED')
  })

  it('requires receiptSecret with notifyUrl', () => {
    const r = InfobipConfigSchema.safeParse({
      type: 'infobip',
      apiKey: 'k',
      notifyUrl: 'https://x.example/r',
    })
    expect(r.success).toBe(false)
  })
})

describe('infobip receipts', () => {
  it('verifies the token and parses a delivered report', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    expect(await mock.sendReport(providerMessageId, { status: 'DELIVERED_TO_HANDSET' })).toBe(200)
    const req = receiver.requests[0]!
    expect(await p.receipts.verify(req)).toBe(true)
    expect(p.receipts.parse(req)).toEqual([
      {
        providerId: 'infobip',
        providerMessageId,
        outcome: 'delivered',
        rawStatus: 'DELIVERED_TO_HANDSET',
        rawCode: '5',
        rawText: 'Message delivered to handset',
        at: Date.parse('2026-01-01T00:00:05.000Z'),
      },
    ])
  })

  it('rejects a report without the token, with a wrong token, or when no secret is configured', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    await mock.sendReport(
      providerMessageId,
      { status: 'DELIVERED_TO_HANDSET' },
      `${receiver.url}/receipts/infobip`,
    )
    await mock.sendReport(
      providerMessageId,
      { status: 'DELIVERED_TO_HANDSET' },
      `${receiver.url}/receipts/infobip?token=guess`,
    )
    expect(await p.receipts.verify(receiver.requests[0]!)).toBe(false)
    expect(await p.receipts.verify(receiver.requests[1]!)).toBe(false)
    const unsecured = infobip(
      InfobipConfigSchema.parse({ type: 'infobip', apiKey: API_KEY, baseUrl: mock.url }),
      { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} },
    )
    expect(await unsecured.receipts.verify(receiver.requests[0]!)).toBe(false)
  })
})
