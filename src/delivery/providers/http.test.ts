/** @module Generic HTTP webhook provider against a local gateway mock. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type HttpGatewayMock, startHttpGatewayMock } from '../../../test/mocks/http-mock.js'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { http } from './http.js'
import { HttpConfigSchema } from './http-config.js'
import type { OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'

const API_KEY = 'gw-key-1'
const SECRET = 'receipt-shared-secret-1'

let mock: HttpGatewayMock
let receiver: MockServer

beforeAll(async () => {
  mock = await startHttpGatewayMock({ path: '/v1/messages', apiKeyHeader: 'x-api-key', apiKey: API_KEY })
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
  body: 'Your code is "123456"\nDo not share it & stay safe',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  const config = HttpConfigSchema.parse({
    type: 'http',
    url: `${mock.url}/v1/messages`,
    headers: { 'X-Api-Key': API_KEY, 'Idempotency-Key': '{{attemptKey}}' },
    messageIdPath: '/data/messageId',
    errorCodePath: 'error.code',
    errorTextPath: 'error.message',
    from: 'Acme',
    receipts: { secret: SECRET },
    ...over,
  })
  return http(config, { fetch: globalFetch, clock: systemClock, onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

async function sendError(p: ReturnType<typeof adapter>): Promise<ProviderError> {
  const err = await send(p).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

describe('http send', () => {
  it('renders the default JSON body with escaped values, templated headers, and reads the id by pointer', async () => {
    const result = await send(adapter())
    const req = mock.requests.at(-1)!
    expect(req.method).toBe('POST')
    expect(req.path).toBe('/v1/messages')
    expect(req.headers['x-api-key']).toBe(API_KEY)
    expect(req.headers['idempotency-key']).toBe('msg_1:1')
    expect(req.headers['content-type']).toBe('application/json')
    expect(JSON.parse(req.rawBody)).toEqual({
      id: 'msg_1',
      reference: 'msg_1:1',
      channel: 'sms',
      to: '+15551234567',
      from: 'Acme',
      body: 'Your code is "123456"\nDo not share it & stay safe',
    })
    expect(result).toEqual({ providerMessageId: mock.messageIds.at(-1), rawStatus: '202' })
  })

  it('URL-encodes values in a form body and in the URL, and reads a dot path', async () => {
    const p = adapter({
      url: `${mock.url}/v1/messages?dst={{to}}`,
      contentType: 'application/x-www-form-urlencoded',
      bodyTemplate: 'text={{body}}&sender={{from}}&ref={{attemptKey}}',
      messageIdPath: 'data.messageId',
    })
    await send(p)
    const req = mock.requests.at(-1)!
    expect(req.query.dst).toBe('+15551234567')
    const form = new URLSearchParams(req.rawBody)
    expect(form.get('text')).toBe(msg().body)
    expect(form.get('sender')).toBe('Acme')
    expect(form.get('ref')).toBe('msg_1:1')
  })

  it('uses the attempt key as message id when no messageIdPath is configured', async () => {
    const result = await send(adapter({ messageIdPath: undefined }))
    expect(result.providerMessageId).toBe('msg_1:1')
  })

  it('refuses templates with unknown placeholders at config time', () => {
    const r = HttpConfigSchema.safeParse({
      type: 'http',
      url: 'https://gw.example/send',
      bodyTemplate: '{"code":"{{code}}"}',
    })
    expect(r.success).toBe(false)
  })

  it('refuses a 2xx without the configured message id (not retryable: it may have been sent)', async () => {
    mock.failNext({ kind: 'answer', status: 200, body: { ok: true } })
    const err = await sendError(adapter())
    expect(err).toMatchObject({ retryable: false, rawCode: 'BAD_RESPONSE' })
  })
})

describe('http receipts', () => {
  const url = () => `${receiver.url}/receipts/http`

  it('maps statuses through statusMap, common words and outcome names, with paths for code, text and time', async () => {
    const p = adapter({
      receipts: {
        secret: SECRET,
        messageIdPath: 'ref',
        statusPath: 'state',
        codePath: 'err.code',
        textPath: 'err.text',
        timestampPath: 'ts',
        statusMap: { UNDELIV: 'unreachable' },
      },
    })
    await mock.sendReceipt(
      url(),
      [
        { ref: 'a', state: 'UNDELIV', err: { code: '027', text: 'Absent subscriber' }, ts: 1767225605 },
        { ref: 'b', state: 'sent', ts: '2026-01-01T00:00:05Z' },
        { ref: 'c', state: 'opted_out' },
        { ref: 'd', state: 'weird' },
      ],
      { secret: SECRET },
    )
    expect(p.receipts!.parse(receiver.requests[0]!)).toMatchObject([
      {
        providerMessageId: 'a',
        outcome: 'unreachable',
        rawCode: '027',
        rawText: 'Absent subscriber',
        at: 1767225605000,
      },
      { providerMessageId: 'b', outcome: 'pending', at: Date.parse('2026-01-01T00:00:05Z') },
      { providerMessageId: 'c', outcome: 'opted_out' },
      { providerMessageId: 'd', outcome: 'unknown', rawStatus: 'weird' },
    ])
  })

  it('rejects forged, unsigned and tampered receipts', async () => {
    const p = adapter()
    await mock.sendReceipt(url(), { id: 'x', status: 'delivered' }, { secret: 'wrong-secret-wrong' })
    await mock.sendReceipt(url(), { id: 'x', status: 'delivered' }, { secret: null })
    await mock.sendReceipt(url(), { id: 'x', status: 'delivered' }, { secret: SECRET })
    const [forged, unsigned, good] = receiver.requests
    expect(await p.receipts!.verify(forged!)).toBe(false)
    expect(await p.receipts!.verify(unsigned!)).toBe(false)
    expect(
      await p.receipts!.verify({ ...good!, rawBody: good!.rawBody.replace('delivered', 'failed') }),
    ).toBe(false)
    expect(await p.receipts!.verify(good!)).toBe(true)
  })

  it('checks a signed timestamp when configured, with a custom header and base64', async () => {
    const p = adapter({
      receipts: {
        secret: SECRET,
        signatureHeader: 'X-Gw-Signature',
        signaturePrefix: '',
        signatureEncoding: 'base64',
        timestampHeader: 'X-Gw-Timestamp',
      },
    })
    const signing = {
      secret: SECRET,
      header: 'X-Gw-Signature',
      prefix: '',
      encoding: 'base64',
      timestampHeader: 'X-Gw-Timestamp',
    } as const
    await mock.sendReceipt(url(), { id: 'x', status: 'delivered' }, signing)
    await mock.sendReceipt(
      url(),
      { id: 'x', status: 'delivered' },
      { ...signing, timestamp: Math.floor(Date.now() / 1000) - 3600 },
    )
    expect(await p.receipts!.verify(receiver.requests[0]!)).toBe(true)
    expect(await p.receipts!.verify(receiver.requests[1]!)).toBe(false)
  })

  it('has no receipt webhook when none is configured', () => {
    expect(adapter({ receipts: undefined }).receipts).toBeUndefined()
  })
})
