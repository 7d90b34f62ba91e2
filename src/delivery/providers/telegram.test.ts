/** @module The Telegram Gateway adapter's own promises beyond the contract: one charge per message, the ttl, revocation, report freshness. */
import { createHash, createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import {
  gatewayReportSignature,
  startTelegramGatewayMock,
  type TelegramGatewayMock,
} from '../../../test/mocks/telegram-gateway-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { telegram, telegramReportSignature, ttlSeconds } from './telegram.js'
import { TelegramConfigSchema } from './telegram-config.js'

const TOKEN = 'gateway-token'
const clock = new ManualClock(1_800_000_000_000)

describe('telegram adapter', () => {
  let mock: TelegramGatewayMock
  beforeEach(async () => {
    mock = await startTelegramGatewayMock({ accessToken: TOKEN, telegramNumbers: ['+447700900001'] })
  })
  afterEach(() => mock.close())

  const build = () =>
    telegram(
      TelegramConfigSchema.parse({
        type: 'telegram',
        accessToken: TOKEN,
        baseUrl: mock.url,
        callbackUrl: 'https://verify.example.com/v1/receipts/telegram',
        senderUsername: 'acme_codes',
      }),
      { fetch: globalFetch, clock, onReceipt: () => {} },
    )
  const message = (patch: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    id: 'msg_1',
    attemptKey: 'msg_1:1',
    channel: 'telegram',
    to: '+447700900001',
    body: 'Your code is 123456',
    locale: 'en',
    code: '123456',
    codeExpiresAt: clock.now() + 421_500,
    ...patch,
  })
  const send = (m: OutgoingMessage) => build().send(m, { signal: AbortSignal.timeout(2000) })

  it('checks first, then sends our code under the checked request_id: billed once', async () => {
    const result = await send(message())
    const [check] = mock.calls('checkSendAbility')
    const [sent] = mock.calls('sendVerificationMessage')
    expect(JSON.parse(check!.rawBody)).toEqual({ phone_number: '+447700900001' })
    expect(JSON.parse(sent!.rawBody)).toEqual({
      phone_number: '+447700900001',
      request_id: result.providerMessageId,
      code: '123456',
      ttl: 422,
      payload: 'msg_1:1',
      callback_url: 'https://verify.example.com/v1/receipts/telegram',
      sender_username: 'acme_codes',
    })
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(mock.charges).toEqual([
      { requestId: result.providerMessageId, cost: 0.01, method: 'checkSendAbility' },
    ])
    expect(mock.gatewayRequests.get(result.providerMessageId)?.code).toBe('123456')
  })

  it('a send that got no answer is retried under the same checked request_id: one check, one fee', async () => {
    const provider = build()
    mock.failOn('sendVerificationMessage', { kind: 'hang' })
    await expect(provider.send(message(), { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      rawCode: 'TIMEOUT',
    })
    // The dispatcher tries the same message again (same id, same attempt key).
    const result = await provider.send(message(), { signal: AbortSignal.timeout(2000) })
    expect(mock.calls('checkSendAbility')).toHaveLength(1)
    const sends = mock.calls('sendVerificationMessage').map((r) => JSON.parse(r.rawBody).request_id)
    expect(sends).toEqual([result.providerMessageId, result.providerMessageId])
    expect(mock.charges).toHaveLength(1)
  })

  it('a send that went out but whose answer was lost is found again, not sent twice or billed twice', async () => {
    const provider = build()
    mock.failOn('sendVerificationMessage', { kind: 'lost-answer' })
    await expect(provider.send(message(), { signal: AbortSignal.timeout(2000) })).rejects.toMatchObject({
      rawCode: 'NETWORK',
    })
    const [request] = [...mock.gatewayRequests.values()]
    expect(request?.code).toBe('123456')
    // The retry's message is refused (one per request_id); checkVerificationStatus shows it was sent.
    const result = await provider.send(message(), { signal: AbortSignal.timeout(2000) })
    expect(result).toEqual({ providerMessageId: request!.requestId, rawStatus: 'sent' })
    expect(mock.calls('checkVerificationStatus')).toHaveLength(1)
    expect(mock.charges).toHaveLength(1)
    // A later message of the verification checks afresh (its own request).
    await provider.send(message({ id: 'msg_2', attemptKey: 'msg_2:1' }), {
      signal: AbortSignal.timeout(2000),
    })
    expect(mock.calls('checkSendAbility')).toHaveLength(2)
  })

  it('a number without Telegram is refused at the check: no message, no charge', async () => {
    await expect(send(message({ to: '+447700900002' }))).rejects.toMatchObject({
      outcome: 'no_account',
      retryable: false,
    })
    expect(mock.calls('sendVerificationMessage')).toHaveLength(0)
    expect(mock.charges).toEqual([])
  })

  it('refuses codes Telegram cannot carry before calling it', async () => {
    await expect(send(message({ code: '123456789' }))).rejects.toMatchObject({ rawCode: 'CODE_UNSUPPORTED' })
    expect(mock.requests).toHaveLength(0)
  })

  it('ttl is the code remaining life, inside 30..3600 s', () => {
    expect(ttlSeconds(clock.now() + 10_000, clock.now())).toBe(30)
    expect(ttlSeconds(clock.now() + 600_000, clock.now())).toBe(600)
    expect(ttlSeconds(clock.now() + 86_400_000, clock.now())).toBe(3600)
  })

  it('revokes a sent message', async () => {
    const provider = build()
    const { providerMessageId } = await provider.send(message(), { signal: AbortSignal.timeout(2000) })
    await provider.revoke(providerMessageId, { signal: AbortSignal.timeout(2000) })
    expect(JSON.parse(mock.calls('revokeVerificationMessage')[0]!.rawBody)).toEqual({
      request_id: providerMessageId,
    })
    expect(mock.gatewayRequests.get(providerMessageId)?.status).toBe('revoked')
  })

  describe('report signature, from the reference (core.telegram.org/gateway/api, "Checking report integrity")', () => {
    // A known answer computed outside Node, straight from the reference's formula:
    //   KEY=$(printf %s 'gateway-token' | openssl dgst -sha256 -binary | xxd -p -c 64)
    //   printf '%s\n%s' 1800000000 "$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY
    const TIMESTAMP = '1800000000' // = the manual clock, so the freshness check passes
    const BODY =
      '{"request_id":"req_1","phone_number":"+447700900001","request_cost":0.01,"delivery_status":{"status":"delivered","updated_at":1800000000}}'
    const KNOWN = '3bf6afc51572153fbe44c08dfff7078ccb7699b2641396dcf8e86392fce13d56'
    // The same, keyed with the hex spelling of SHA256(token) instead of its raw bytes: a wrong reading.
    const HEX_KEYED = 'af3eaef9143c298a53c5f930a37b7df29b1a7f6a9b73dd337d477223a77336c4'
    const req = (headers: Record<string, string>, rawBody = BODY) => ({
      method: 'POST',
      url: 'https://verify.example.com/v1/receipts/telegram',
      headers,
      rawBody,
      query: {},
    })

    it('the adapter, the mock and the known answer agree', () => {
      expect(telegramReportSignature(TOKEN, TIMESTAMP, BODY)).toBe(KNOWN)
      expect(gatewayReportSignature(TOKEN, TIMESTAMP, BODY)).toBe(KNOWN)
      const webhook = build().receipts!
      expect(webhook.verify(req({ 'x-request-timestamp': TIMESTAMP, 'x-request-signature': KNOWN }))).toBe(
        true,
      )
      // Hex case is not part of the value.
      expect(
        webhook.verify(req({ 'x-request-timestamp': TIMESTAMP, 'x-request-signature': KNOWN.toUpperCase() })),
      ).toBe(true)
      expect(webhook.parse(req({}))).toEqual([
        expect.objectContaining({ providerMessageId: 'req_1', outcome: 'delivered', rawStatus: 'delivered' }),
      ])
    })

    it('refuses every variation: other key reading, body, timestamp, separator, missing header', () => {
      const webhook = build().receipts!
      const ok = { 'x-request-timestamp': TIMESTAMP, 'x-request-signature': KNOWN }
      expect(webhook.verify(req({ ...ok, 'x-request-signature': HEX_KEYED }))).toBe(false)
      expect(webhook.verify(req(ok, BODY.replace('delivered', 'read')))).toBe(false)
      expect(webhook.verify(req(ok, `${BODY}\n`))).toBe(false)
      expect(webhook.verify(req({ ...ok, 'x-request-timestamp': '1800000001' }))).toBe(false)
      const noSeparator = createHmac('sha256', createHash('sha256').update(TOKEN).digest())
        .update(TIMESTAMP + BODY)
        .digest('hex')
      expect(webhook.verify(req({ ...ok, 'x-request-signature': noSeparator }))).toBe(false)
      expect(webhook.verify(req({ 'x-request-signature': KNOWN }))).toBe(false)
      expect(webhook.verify(req({ 'x-request-timestamp': TIMESTAMP }))).toBe(false)
      expect(webhook.verify(req({ ...ok, 'x-request-signature': KNOWN.slice(0, 63) }))).toBe(false)
    })
  })

  it('an expired report says the fee was refunded', async () => {
    const { providerMessageId } = await send(message())
    const receiver = await startWebhookReceiver()
    try {
      expect(await mock.report(providerMessageId, 'expired', { url: `${receiver.url}/r` })).toBe(200)
      const body = JSON.parse(receiver.requests.at(-1)!.rawBody)
      expect(body).toMatchObject({ request_id: providerMessageId, is_refunded: true })
      expect(body.delivery_status.status).toBe('expired')
    } finally {
      await receiver.close()
    }
  })

  it('leaves out a payload longer than the Gateway takes (128 bytes)', async () => {
    await send(message({ attemptKey: 'k'.repeat(129) }))
    expect(JSON.parse(mock.calls('sendVerificationMessage')[0]!.rawBody).payload).toBeUndefined()
  })

  it('a callback URL must be HTTPS (http only on loopback) and at most 256 bytes', () => {
    const parse = (callbackUrl: string) =>
      TelegramConfigSchema.safeParse({ type: 'telegram', accessToken: TOKEN, callbackUrl }).success
    expect(parse('https://verify.example.com/v1/receipts/telegram')).toBe(true)
    expect(parse('http://127.0.0.1:8080/v1/receipts/telegram')).toBe(true)
    expect(parse('http://verify.example.com/v1/receipts/telegram')).toBe(false)
    expect(parse(`https://verify.example.com/${'a'.repeat(240)}`)).toBe(false)
  })

  it('refuses a report signed too long ago (a replay)', () => {
    const webhook = build().receipts!
    const body = JSON.stringify({ request_id: 'r1', delivery_status: { status: 'delivered', updated_at: 1 } })
    const at = (s: number) => String(Math.floor(clock.now() / 1000) + s)
    const req = (timestamp: string) => ({
      method: 'POST',
      url: 'https://verify.example.com/v1/receipts/telegram',
      headers: {
        'x-request-timestamp': timestamp,
        'x-request-signature': telegramReportSignature(TOKEN, timestamp, body),
      },
      rawBody: body,
      query: {},
    })
    expect(webhook.verify(req(at(-10)))).toBe(true)
    expect(webhook.verify(req(at(-301)))).toBe(false)
  })

  it('without a callback URL it offers no receipt webhook and expects no reports', () => {
    const p = telegram(
      TelegramConfigSchema.parse({ type: 'telegram', accessToken: TOKEN, baseUrl: mock.url }),
      {
        fetch: globalFetch,
        clock,
        onReceipt: () => {},
      },
    )
    expect(p.receipts).toBeUndefined()
    expect(p.reportsDelivery).toBe(false)
  })
})
