/** @module Wire-format tests of the Vonage adapter against a local Vonage mock (SMS API and Voice API). */
import { generateKeyPairSync } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startVonageMock, type VonageMock } from '../../../test/mocks/vonage-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { InboundRequest, OutgoingMessage, ReceiptWebhook } from './provider.js'
import { ProviderError } from './provider.js'
import { vonage } from './vonage.js'
import { type VonageConfig, VonageConfigSchema } from './vonage-config.js'

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

let mock: VonageMock
let receiver: MockServer
let clock: ManualClock

beforeEach(async () => {
  mock = await startVonageMock()
  receiver = await startWebhookReceiver()
  clock = new ManualClock(Date.now())
})

afterEach(async () => {
  await mock.close()
  await receiver.close()
})

const dlrUrl = () => `${receiver.url}/v1/receipts/vonage`

function build(overrides: Partial<Record<keyof VonageConfig, unknown>> = {}) {
  const config = VonageConfigSchema.parse({
    type: 'vonage',
    apiKey: mock.apiKey,
    apiSecret: mock.apiSecret,
    signatureSecret: mock.signatureSecret,
    applicationId: mock.applicationId,
    privateKey: mock.privateKeyPem,
    baseUrl: mock.url,
    voiceBaseUrl: mock.url,
    from: 'Acme',
    callFrom: '+447700900001',
    dlrUrl: dlrUrl(),
    eventUrl: dlrUrl(),
    channels: ['sms', 'call'],
    ...overrides,
  })
  return vonage(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

function receiptsOf(provider: ReturnType<typeof build>): ReceiptWebhook {
  if (!provider.receipts) throw new Error('provider has no receipt webhook')
  return provider.receipts
}

async function sendError(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

function lastReceived(): InboundRequest {
  const req = receiver.requests.at(-1)
  if (!req) throw new Error('nothing arrived at the receiver')
  return req
}

const signal = () => AbortSignal.timeout(5_000)

describe('vonage config', () => {
  it('defaults id, origins and channels', () => {
    const c = VonageConfigSchema.parse({ type: 'vonage', apiKey: 'k', apiSecret: 's', from: 'Acme' })
    expect(c).toMatchObject({
      id: 'vonage',
      baseUrl: 'https://rest.nexmo.com',
      voiceBaseUrl: 'https://api.nexmo.com',
      channels: ['sms'],
      signatureMethod: 'md5hash',
    })
  })

  it('requires the application credentials for voice', () => {
    expect(() =>
      VonageConfigSchema.parse({
        type: 'vonage',
        apiKey: 'k',
        apiSecret: 's',
        from: 'Acme',
        channels: ['call'],
      }),
    ).toThrow(/applicationId/)
  })

  it('takes no receipts without a signature secret', () => {
    expect(build({ signatureSecret: undefined }).receipts).toBeUndefined()
  })
})

describe('vonage sms', () => {
  it('posts the form with credentials in the body, client-ref and callback, and returns the message-id', async () => {
    const result = await build({ ttlMs: 300_000 }).send(SMS, { signal: signal() })

    const req = mock.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe('/sms/json')
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(mock.params()).toEqual({
      api_key: mock.apiKey,
      api_secret: mock.apiSecret,
      from: 'Acme',
      to: '447700900123',
      text: SMS.body,
      callback: dlrUrl(),
      'client-ref': 'msg_1:1',
      ttl: '300000',
    })
    expect(result.providerMessageId).toMatch(/^[0-9A-F]{16}$/)
    expect(result).toMatchObject({ rawStatus: '0', segments: 1 })
  })

  it('sends a numeric sender without + and non-GSM text as unicode, counting parts', async () => {
    const body = 'Ваш код подтверждения 123456. '.repeat(3)
    const result = await build().send({ ...SMS, from: '+447700900001', body }, { signal: signal() })
    expect(mock.params()).toMatchObject({ from: '447700900001', type: 'unicode' })
    expect(result.segments).toBe(2)
  })
})

describe('vonage voice', () => {
  it('creates a call with an RS256 application JWT and a talk NCCO in the locale', async () => {
    const body = 'Su codigo es 1 2 3 4 5 6.'
    const result = await build().send({ ...SMS, channel: 'call', body, locale: 'es' }, { signal: signal() })

    const req = mock.requests[0]
    expect(req?.path).toBe('/v1/calls')
    expect(req?.headers['content-type']).toBe('application/json')
    const [header, payload] = (req?.headers.authorization ?? '').replace('Bearer ', '').split('.')
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    })
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    expect(claims).toMatchObject({ application_id: mock.applicationId, iat: Math.floor(clock.now() / 1000) })
    expect(claims.jti).toEqual(expect.any(String))
    expect(mock.json()).toEqual({
      to: [{ type: 'phone', number: '447700900123' }],
      from: { type: 'phone', number: '447700900001' },
      ncco: [{ action: 'talk', text: body, language: 'es-ES', loop: 2 }],
      event_url: [dlrUrl()],
      event_method: 'POST',
    })
    expect(result).toMatchObject({ rawStatus: 'started' })
    expect(result.providerMessageId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('maps a JWT the API refuses to a non-retryable error', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const err = await sendError(
      build({ privateKey: other }).send({ ...SMS, channel: 'call' }, { signal: signal() }),
    )
    expect(err).toMatchObject({
      outcome: 'provider_error',
      retryable: false,
      rawCode: 'unauthorized',
      httpStatus: 401,
    })
  })

  it('maps an invalid to parameter to invalid_number', async () => {
    const err = await sendError(build().send({ ...SMS, channel: 'call', to: '+12' }, { signal: signal() }))
    expect(err).toMatchObject({ outcome: 'invalid_number', retryable: false, httpStatus: 400 })
  })

  it('maps 429 to a retryable throttle', async () => {
    mock.failNextHttp({
      httpStatus: 429,
      type: 'https://developer.nexmo.com/api-errors#throttled',
      title: 'Too Many Requests',
    })
    const err = await sendError(build().send({ ...SMS, channel: 'call' }, { signal: signal() }))
    expect(err).toMatchObject({
      outcome: 'provider_throttled',
      retryable: true,
      rawCode: 'throttled',
      httpStatus: 429,
    })
  })
})

describe('vonage receipts', () => {
  async function dlr(
    status: string,
    errCode = '0',
    extra: Partial<Parameters<VonageMock['sendReceipt']>[1]> = {},
  ) {
    const { providerMessageId } = await build().send(SMS, { signal: signal() })
    expect(
      await mock.sendReceipt(mock.params().callback ?? '', {
        messageId: providerMessageId,
        status,
        errCode,
        ...extra,
      }),
    ).toBe(200)
    return { req: lastReceived(), id: providerMessageId }
  }

  it('verifies a signed JSON DLR and parses delivered', async () => {
    const provider = build()
    const { req, id } = await dlr('delivered')
    expect(JSON.parse(req.rawBody)).toMatchObject({
      messageId: id,
      status: 'delivered',
      'client-ref': 'msg_1:1',
      sig: expect.stringMatching(/^[0-9A-F]{32}$/),
    })
    expect(receiptsOf(provider).verify(req)).toBe(true)
    expect(receiptsOf(provider).parse(req)).toEqual([
      {
        providerId: 'vonage',
        providerMessageId: id,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: '0',
        rawText: undefined,
        at: clock.now(),
      },
    ])
  })

  it.each([
    { encoding: 'form', signatureMethod: 'sha256' },
    { encoding: 'get', signatureMethod: 'sha512' },
    { encoding: 'json', signatureMethod: 'md5' },
    { encoding: 'json', signatureMethod: 'sha1' },
  ] as const)(
    'verifies $encoding DLRs signed with $signatureMethod',
    async ({ encoding, signatureMethod }) => {
      const provider = build({ signatureMethod })
      const { req, id } = await dlr('delivered', '0', { encoding, signatureMethod })
      expect(receiptsOf(provider).verify(req)).toBe(true)
      expect(receiptsOf(provider).parse(req)[0]).toMatchObject({
        providerMessageId: id,
        outcome: 'delivered',
      })
    },
  )

  it('rejects a DLR signed with another secret, a tampered one, a stale one and an unsigned one', async () => {
    const provider = build()
    const { req: forged } = await dlr('delivered', '0', { secret: 'not-the-secret' })
    expect(receiptsOf(provider).verify(forged)).toBe(false)

    const { req } = await dlr('failed', '9')
    const tampered = { ...req, rawBody: req.rawBody.replace('"status":"failed"', '"status":"delivered"') }
    expect(tampered.rawBody).not.toBe(req.rawBody)
    expect(receiptsOf(provider).verify(tampered)).toBe(false)

    const { sig: _, ...unsigned } = JSON.parse(req.rawBody) as Record<string, string>
    expect(receiptsOf(provider).verify({ ...req, rawBody: JSON.stringify(unsigned) })).toBe(false)

    const { req: stale } = await dlr('delivered', '0', { timestamp: Math.floor(clock.now() / 1000) - 3600 })
    expect(receiptsOf(provider).verify(stale)).toBe(false)
  })

  it('verifies Voice events by their HS256 JWT and payload hash', async () => {
    const provider = build()
    const { providerMessageId } = await provider.send({ ...SMS, channel: 'call' }, { signal: signal() })
    await mock.sendCallEvent(dlrUrl(), { uuid: providerMessageId, status: 'answered' })
    const answered = lastReceived()
    expect(answered.headers.authorization).toMatch(/^Bearer /)
    expect(receiptsOf(provider).verify(answered)).toBe(true)
    expect(receiptsOf(provider).parse(answered)[0]).toMatchObject({
      providerMessageId,
      outcome: 'delivered',
      rawStatus: 'answered',
    })

    await mock.sendCallEvent(dlrUrl(), { uuid: providerMessageId, status: 'busy' })
    expect(receiptsOf(provider).parse(lastReceived())[0]).toMatchObject({
      outcome: 'unreachable',
      rawStatus: 'busy',
    })

    const swapped = { ...answered, rawBody: answered.rawBody.replace('"answered"', '"completed"') }
    expect(receiptsOf(provider).verify(swapped)).toBe(false)

    await mock.sendCallEvent(dlrUrl(), {
      uuid: providerMessageId,
      status: 'completed',
      secret: 'not-the-secret',
    })
    expect(receiptsOf(provider).verify(lastReceived())).toBe(false)
  })

  it('yields no report for Voice events that are not call states', async () => {
    const provider = build()
    await mock.sendCallEvent(dlrUrl(), { uuid: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab', status: 'record' })
    expect(receiptsOf(provider).parse(lastReceived())).toEqual([])
  })
})
