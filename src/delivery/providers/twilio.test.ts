/** @module Wire-format tests of the Twilio adapter against a local Twilio mock. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startTwilioMock, type TwilioMock } from '../../../test/mocks/twilio-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { InboundRequest, OutgoingMessage } from './provider.js'
import { twilio, verifyTwilioSignature } from './twilio.js'
import { type TwilioConfig, TwilioConfigSchema } from './twilio-config.js'

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

let mock: TwilioMock
let receiver: MockServer
let clock: ManualClock

beforeEach(async () => {
  mock = await startTwilioMock()
  receiver = await startWebhookReceiver()
  clock = new ManualClock(Date.UTC(2026, 0, 1))
})

afterEach(async () => {
  await mock.close()
  await receiver.close()
})

function callbackUrl(): string {
  // A query string is part of what Twilio signs, so keep one in the URL.
  return `${receiver.url}/v1/receipts/twilio?provider=twilio-main`
}

function build(overrides: Partial<Record<keyof TwilioConfig, unknown>> = {}) {
  const config = TwilioConfigSchema.parse({
    type: 'twilio',
    accountSid: mock.accountSid,
    authToken: mock.authToken,
    baseUrl: mock.url,
    from: '+15005550006',
    statusCallbackUrl: callbackUrl(),
    ...overrides,
  })
  return twilio(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

const signal = () => AbortSignal.timeout(5_000)

describe('twilio config', () => {
  it('defaults id, origin and channels', () => {
    const c = TwilioConfigSchema.parse({
      type: 'twilio',
      accountSid: mock.accountSid,
      authToken: 't',
      from: '+15005550006',
    })
    expect(c).toMatchObject({
      id: 'twilio',
      baseUrl: 'https://api.twilio.com',
      channels: ['sms', 'call', 'whatsapp'],
    })
  })

  it('rejects unknown keys and an SMS setup without any sender', () => {
    expect(() =>
      TwilioConfigSchema.parse({
        type: 'twilio',
        accountSid: mock.accountSid,
        authToken: 't',
        from: '+1',
        sid: 'x',
      }),
    ).toThrow()
    expect(() =>
      TwilioConfigSchema.parse({
        type: 'twilio',
        accountSid: mock.accountSid,
        authToken: 't',
        channels: ['sms'],
      }),
    ).toThrow(/sender|from/)
  })
})

describe('twilio send', () => {
  it('posts the SMS form to the Messages resource with Basic auth and returns the sid', async () => {
    const provider = build({ validityPeriodSeconds: 300 })
    const result = await provider.send(SMS, { signal: signal() })

    const req = mock.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(`/2010-04-01/Accounts/${mock.accountSid}/Messages.json`)
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${mock.accountSid}:${mock.authToken}`).toString('base64')}`,
    )
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = mock.form()
    expect(Object.fromEntries(form)).toEqual({
      To: '+447700900123',
      From: '+15005550006',
      Body: SMS.body,
      StatusCallback: callbackUrl(),
      ValidityPeriod: '300',
    })
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/)
    expect(result).toMatchObject({ rawStatus: 'queued', segments: 1 })
  })

  it('uses the route sender over the default, and the Messaging Service when there is no sender', async () => {
    await build().send({ ...SMS, from: 'ACME' }, { signal: signal() })
    expect(mock.form().get('From')).toBe('ACME')

    const pooled = build({ from: undefined, channels: ['sms'], messagingServiceSid: `MG${'ab'.repeat(16)}` })
    const result = await pooled.send(SMS, { signal: signal() })
    expect(mock.form().get('From')).toBeNull()
    expect(mock.form().get('MessagingServiceSid')).toBe(`MG${'ab'.repeat(16)}`)
    expect(result.rawStatus).toBe('accepted')
  })

  it('authenticates with an API key when configured, keeping the AC sid in the path', async () => {
    const key = `SK${'12'.repeat(16)}`
    await mock.close()
    mock = await startTwilioMock({ apiKeys: { [key]: 'key-secret' } })
    await build({
      accountSid: mock.accountSid,
      authToken: mock.authToken,
      baseUrl: mock.url,
      apiKeySid: key,
      apiKeySecret: 'key-secret',
    }).send(SMS, {
      signal: signal(),
    })
    expect(mock.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${key}:key-secret`).toString('base64')}`,
    )
    expect(mock.requests[0]?.path).toContain(`/Accounts/${mock.accountSid}/`)
  })

  it('prefixes both ends with whatsapp: on the WhatsApp channel', async () => {
    await build({ whatsappFrom: '+14155238886' }).send({ ...SMS, channel: 'whatsapp' }, { signal: signal() })
    expect(mock.form().get('To')).toBe('whatsapp:+447700900123')
    expect(mock.form().get('From')).toBe('whatsapp:+14155238886')
  })

  it('places a voice call with inline TwiML that says the body, pauses and repeats it', async () => {
    const provider = build({ callFrom: '+15005550001' })
    const body = 'Su codigo de verificacion de A&B es 1 2 3 4 5 6.'
    const result = await provider.send({ ...SMS, channel: 'call', body, locale: 'es' }, { signal: signal() })

    expect(mock.requests[0]?.path).toBe(`/2010-04-01/Accounts/${mock.accountSid}/Calls.json`)
    const form = mock.form()
    expect(form.get('To')).toBe('+447700900123')
    expect(form.get('From')).toBe('+15005550001')
    expect(form.get('StatusCallback')).toBe(callbackUrl())
    expect(form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed'])
    const say = '<Say language="es-ES">Su codigo de verificacion de A&amp;B es 1 2 3 4 5 6.</Say>'
    expect(form.get('Twiml')).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}</Response>`,
    )
    expect(result.providerMessageId).toMatch(/^CA[0-9a-f]{32}$/)
    expect(result.rawStatus).toBe('queued')
  })

  it('keeps a locale that already names a region, and adds the configured voice', async () => {
    await build({ voice: 'Polly.Amy' }).send(
      { ...SMS, channel: 'call', locale: 'en-GB' },
      { signal: signal() },
    )
    expect(mock.form().get('Twiml')).toContain('<Say voice="Polly.Amy" language="en-GB">')
  })
})

describe('twilio receipts', () => {
  async function receipt(status: string, errorCode?: string): Promise<{ req: InboundRequest; sid: string }> {
    const provider = build()
    const { providerMessageId } = await provider.send(SMS, { signal: signal() })
    const url = mock.form().get('StatusCallback') ?? ''
    expect(await mock.sendReceipt(url, { sid: providerMessageId, status, errorCode })).toBe(200)
    const req = receiver.requests.at(-1)
    if (!req) throw new Error('no receipt arrived')
    return { req, sid: providerMessageId }
  }

  it('verifies a signed status callback and parses delivered', async () => {
    const provider = build()
    const { req, sid } = await receipt('delivered')
    expect(req.headers['x-twilio-signature']).toBeTruthy()
    expect(provider.receipts.verify(req)).toBe(true)
    expect(provider.receipts.parse(req)).toEqual([
      {
        providerId: 'twilio',
        providerMessageId: sid,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: undefined,
        rawText: undefined,
        at: clock.now(),
      },
    ])
  })

  it('rejects a callback signed with another token, a tampered body, another URL and a missing header', async () => {
    const provider = build()
    const { req } = await receipt('undelivered', '30007')
    const params = new URLSearchParams(req.rawBody)
    const forged = {
      ...req,
      headers: { ...req.headers, 'x-twilio-signature': mock.sign(req.url, params, 'not-the-token') },
    }
    expect(provider.receipts.verify(forged)).toBe(false)
    const tampered = {
      ...req,
      rawBody: req.rawBody.replace('MessageStatus=undelivered', 'MessageStatus=delivered'),
    }
    expect(tampered.rawBody).not.toBe(req.rawBody)
    expect(provider.receipts.verify(tampered)).toBe(false)
    expect(
      provider.receipts.verify({ ...req, url: req.url.replace('provider=twilio-main', 'provider=other') }),
    ).toBe(false)
    const { 'x-twilio-signature': _, ...unsigned } = req.headers
    expect(provider.receipts.verify({ ...req, headers: unsigned })).toBe(false)
  })

  it("matches the example in Twilio's request-validation docs", () => {
    const form = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675309',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
    })
    const req: InboundRequest = {
      method: 'POST',
      url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      },
      rawBody: form.toString(),
      query: { foo: '1', bar: '2' },
    }
    expect(verifyTwilioSignature('12345', req)).toBe(true)
    expect(
      verifyTwilioSignature('12345', { ...req, rawBody: req.rawBody.replace('Digits=1234', 'Digits=9999') }),
    ).toBe(false)
  })

  it('accepts a signature made over the URL with the default port written out', async () => {
    const provider = build()
    const params = new URLSearchParams({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' })
    const req: InboundRequest = {
      method: 'POST',
      url: 'https://verify.example.com/v1/receipts/twilio',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': mock.sign('https://verify.example.com:443/v1/receipts/twilio', params),
      },
      rawBody: params.toString(),
      query: {},
    }
    expect(provider.receipts.verify(req)).toBe(true)
  })

  it('parses call status callbacks', async () => {
    const provider = build()
    const { providerMessageId } = await provider.send({ ...SMS, channel: 'call' }, { signal: signal() })
    const url = mock.form().get('StatusCallback') ?? ''
    await mock.sendCallStatus(url, { sid: providerMessageId, status: 'completed', duration: 14 })
    await mock.sendCallStatus(url, { sid: providerMessageId, status: 'busy' })
    const [done, busy] = receiver.requests
    if (!done || !busy) throw new Error('callbacks missing')
    expect(provider.receipts.verify(done)).toBe(true)
    expect(provider.receipts.parse(done)[0]).toMatchObject({
      providerMessageId,
      outcome: 'delivered',
      rawStatus: 'completed',
    })
    expect(provider.receipts.parse(busy)[0]).toMatchObject({
      providerMessageId,
      outcome: 'unreachable',
      rawStatus: 'busy',
    })
  })

  it('yields no report for an inbound message', async () => {
    const provider = build()
    await mock.sendReceipt(callbackUrl(), { sid: `SM${'1'.repeat(32)}`, status: 'received' })
    const req = receiver.requests[0]
    if (!req) throw new Error('no request')
    expect(provider.receipts.verify(req)).toBe(true)
    expect(provider.receipts.parse(req)).toEqual([])
  })
})
