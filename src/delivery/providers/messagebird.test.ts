/** @module MessageBird adapter against a local mock of the MessageBird legacy REST API. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MessagebirdMock, startMessagebirdMock } from '../../../test/mocks/messagebird-mock.js'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { messagebird } from './messagebird.js'
import { MessagebirdConfigSchema } from './messagebird-config.js'
import type { OutgoingMessage } from './provider.js'

const ACCESS_KEY = 'live_accesskey123'
const SIGNING_KEY = 'signing-key-xyz'

let mock: MessagebirdMock
let receiver: MockServer
const clock = new ManualClock()

beforeAll(async () => {
  mock = await startMessagebirdMock({ accessKey: ACCESS_KEY, signingKey: SIGNING_KEY })
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await mock.close()
  await receiver.close()
})
afterEach(() => {
  receiver.requests.length = 0
  clock.set(Date.now())
})

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+31612345678',
  body: 'Your code is 123456',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  clock.set(Date.now())
  const config = MessagebirdConfigSchema.parse({
    type: 'messagebird',
    accessKey: ACCESS_KEY,
    baseUrl: mock.url,
    from: 'Verigate',
    reportUrl: `${receiver.url}/receipts/messagebird`,
    signingKey: SIGNING_KEY,
    ...over,
  })
  return messagebird(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

describe('messagebird send', () => {
  it('posts to /messages with AccessKey auth, reference and reportUrl', async () => {
    const result = await send(adapter({ validitySeconds: 300 }))
    const req = mock.requests.at(-1)!
    expect(req.path).toBe('/messages')
    expect(req.headers.authorization).toBe(`AccessKey ${ACCESS_KEY}`)
    expect(JSON.parse(req.rawBody)).toEqual({
      originator: 'Verigate',
      recipients: ['31612345678'],
      body: 'Your code is 123456',
      reference: 'msg_1:1',
      datacoding: 'auto',
      reportUrl: `${receiver.url}/receipts/messagebird`,
      validity: 300,
    })
    expect(result).toEqual({ providerMessageId: mock.accepted.at(-1)!.id, rawStatus: 'sent' })
  })
})

describe('messagebird receipts', () => {
  it('verifies the signature JWT and parses a delivered report', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    expect(
      await mock.sendReport(providerMessageId, {
        status: 'delivered',
        statusReason: 'successfully delivered',
        statusErrorCode: 0,
      }),
    ).toBe(200)
    const req = receiver.requests[0]!
    expect(req.method).toBe('GET')
    expect(await p.receipts.verify(req)).toBe(true)
    expect(p.receipts.parse(req)).toEqual([
      {
        providerId: 'messagebird',
        providerMessageId,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: '0',
        rawText: 'successfully delivered',
        at: Date.parse('2026-01-01T00:00:05Z'),
      },
    ])
  })

  it('rejects a forged, unsigned, tampered, expired or replayed report', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    const now = Math.floor(Date.now() / 1000)
    await mock.sendReport(providerMessageId, { status: 'delivered' }, { signingKey: 'not-the-key' })
    await mock.sendReport(providerMessageId, { status: 'delivered' }, { signingKey: null })
    await mock.sendReport(
      providerMessageId,
      { status: 'delivered' },
      { signedUrl: `${receiver.url}/receipts/messagebird?status=other` },
    )
    await mock.sendReport(providerMessageId, { status: 'delivered' }, { issuedAt: now - 3600 })
    await mock.sendReport(providerMessageId, { status: 'delivered' })
    const [forged, unsigned, wrongUrl, expired, good] = receiver.requests
    expect(await p.receipts.verify(forged!)).toBe(false)
    expect(await p.receipts.verify(unsigned!)).toBe(false)
    expect(await p.receipts.verify(wrongUrl!)).toBe(false)
    expect(await p.receipts.verify(expired!)).toBe(false)
    // The query string is covered by url_hash: changing the status in the URL breaks the signature.
    expect(
      await p.receipts.verify({ ...good!, url: good!.url.replace('status=delivered', 'status=expired') }),
    ).toBe(false)
    // A body the JWT has no payload_hash for is refused.
    expect(await p.receipts.verify({ ...good!, rawBody: 'status=delivered' })).toBe(false)
    expect(await p.receipts.verify(good!)).toBe(true)
    expect(await p.receipts.verify(good!)).toBe(false)
  })

  it('requires a signingKey with reportUrl', () => {
    const r = MessagebirdConfigSchema.safeParse({
      type: 'messagebird',
      accessKey: 'k',
      reportUrl: 'https://x.example/r',
    })
    expect(r.success).toBe(false)
  })
})
