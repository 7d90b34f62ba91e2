/** @module Wire-format tests of the Kannel adapter against a stand-in for smsbox's sendsms. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type KannelMock, startKannelMock } from '../../../test/mocks/kannel-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { kannel, readDlr } from './kannel.js'
import { type KannelConfig, KannelConfigSchema } from './kannel-config.js'
import type { InboundRequest, OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'

let mock: KannelMock
let sendsmsUrl: string

beforeEach(async () => {
  mock = await startKannelMock()
  sendsmsUrl = mock.sendsmsUrl
})

afterEach(async () => {
  await mock.close()
})

const SECRET = 'kannel-receipt-secret-0123456789abcdef'
const clock = new ManualClock(Date.UTC(2026, 0, 1))

function provider(overrides: Partial<KannelConfig> = {}) {
  const config = KannelConfigSchema.parse({
    type: 'kannel',
    id: 'kannel-eu',
    sendsmsUrl,
    username: 'tester',
    password: 'testpass',
    from: 'VERIGATE',
    receiptBaseUrl: 'https://verify.example.com/',
    receiptSecret: SECRET,
    ...overrides,
  })
  return kannel(config, { fetch: globalFetch, clock, onReceipt: () => {} })
}

const message = (extra: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_abc123',
  attemptKey: 'msg_abc123:1',
  channel: 'sms',
  to: '+447700900001',
  body: 'Your code is 123456',
  locale: 'en',
  ...extra,
})

const send = (p: ReturnType<typeof provider>, m = message()) =>
  p.send(m, { signal: AbortSignal.timeout(5000) })

/** The request Kannel makes when it calls the dlr-url, with the escapes filled in. */
function dlrRequest(dlrUrl: string, fill: Record<string, string>): InboundRequest {
  let url = dlrUrl
  for (const [code, value] of Object.entries(fill)) url = url.replace(code, encodeURIComponent(value))
  const parsed = new URL(url)
  return {
    method: 'GET',
    url,
    headers: {},
    rawBody: '',
    query: Object.fromEntries(parsed.searchParams),
  }
}

describe('kannel send', () => {
  it('calls sendsms with credentials, text, coding, dlr-mask and a dlr-url back to verigate', async () => {
    const result = await send(provider())
    expect(result).toEqual({ providerMessageId: 'msg_abc123', rawStatus: 'accepted', segments: 1 })
    const [req] = mock.requests
    expect(req?.method).toBe('GET')
    expect(req?.path).toBe('/cgi-bin/sendsms')
    const q = req!.query
    expect(q).toMatchObject({
      username: 'tester',
      password: 'testpass',
      from: 'VERIGATE',
      to: '+447700900001',
      text: 'Your code is 123456',
      charset: 'UTF-8',
      coding: '0',
      'dlr-mask': '31',
    })
    const dlrUrl = q['dlr-url']!
    expect(dlrUrl).toMatch(
      /^https:\/\/verify\.example\.com\/v1\/receipts\/kannel-eu\?mid=msg_abc123&token=[A-Za-z0-9_-]{43}&/,
    )
    for (const code of ['status=%d', 'answer=%A', 'ts=%T', 'to=%p', 'from=%P', 'smscid=%i', 'fid=%F'])
      expect(dlrUrl).toContain(code)
    // Only Kannel's own escapes may contain "%": anything else would be substituted or mangled.
    expect(dlrUrl.match(/%./g)).toEqual(['%d', '%A', '%T', '%p', '%P', '%i', '%F'])
  })

  it('asks for UCS-2 when the text needs it, and passes route and validity options', async () => {
    await send(
      provider({ smsc: 'sim', validityMinutes: 10 }),
      message({ body: 'Ваш код 123456', from: '+15550001111' }),
    )
    expect(mock.requests[0]!.query).toMatchObject({
      coding: '2',
      charset: 'UTF-8',
      text: 'Ваш код 123456',
      from: '+15550001111',
      smsc: 'sim',
      validity: '10',
    })
  })

  it('POST sends the text as the body and the rest as X-Kannel-* headers', async () => {
    await send(provider({ method: 'POST', smsc: 'sim' }), message({ body: 'Ваш код 123456' }))
    const req = mock.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.headers['content-type']).toBe('text/plain; charset=UTF-8')
    expect(Object.keys(req.query)).toEqual([])
    expect(req.rawBody).toBe('Ваш код 123456')
    expect(req.headers).toMatchObject({
      'x-kannel-username': 'tester',
      'x-kannel-password': 'testpass',
      'x-kannel-from': 'VERIGATE',
      'x-kannel-to': '+447700900001',
      'x-kannel-coding': '2',
      'x-kannel-dlr-mask': '31',
      'x-kannel-smsc': 'sim',
    })
    expect(req.headers['x-kannel-dlr-url']).toMatch(
      /\/v1\/receipts\/kannel-eu\?mid=msg_abc123&token=.+&status=%d&/,
    )
  })

  it('"3: Queued for later delivery" is still a success', async () => {
    mock.replyNext({ status: 202, body: '3: Queued for later delivery' })
    expect((await send(provider())).rawStatus).toBe('queued')
  })

  it('refuses non-E.164 numbers before calling Kannel', async () => {
    const err = await send(provider(), message({ to: '07700900001' })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProviderError)
    expect(err).toMatchObject({ outcome: 'invalid_number', retryable: false })
    expect(mock.requests).toHaveLength(0)
  })
})

describe('kannel receipts', () => {
  async function dlrUrlFor(p: ReturnType<typeof provider>, m = message()) {
    await send(p, m)
    return mock.requests.at(-1)!.query['dlr-url']!
  }

  it('verifies the token in the dlr-url and rejects forged or missing ones', async () => {
    const p = provider()
    const url = await dlrUrlFor(p)
    const good = dlrRequest(url, { '%d': '1', '%A': 'x' })
    expect(p.receipts.verify(good)).toBe(true)
    expect(
      p.receipts.verify({ ...good, query: { ...good.query, token: `${good.query.token!.slice(0, -1)}A` } }),
    ).toBe(false)
    expect(p.receipts.verify({ ...good, query: { ...good.query, token: 'short' } })).toBe(false)
    expect(p.receipts.verify({ ...good, query: { ...good.query, token: undefined } })).toBe(false)
    // A token is bound to its message: it cannot vouch for another id.
    expect(p.receipts.verify({ ...good, query: { ...good.query, mid: 'msg_other' } })).toBe(false)
    // Nor to another provider instance with another secret.
    const other = provider({ receiptSecret: 'another-secret-another-secret-0123456789' })
    expect(other.receipts.verify(good)).toBe(false)
  })

  it('parses delivered, failed, SMSC-accepted and rejected reports', async () => {
    const p = provider()
    const url = await dlrUrlFor(p)
    const at = (d: string, a: string, ts = '1767225600') =>
      p.receipts.parse(
        dlrRequest(url, {
          '%d': d,
          '%A': a,
          '%T': ts,
          '%p': 'VERIGATE',
          '%P': '447700900001',
          '%i': 'sim',
          '%F': '5F5E101',
        }),
      )

    expect(at('8', 'ACK/')).toEqual([
      {
        providerId: 'kannel-eu',
        providerMessageId: 'msg_abc123',
        outcome: 'pending',
        rawStatus: 'ACK',
        rawText: 'ACK/',
        at: 1767225600000,
      },
    ])
    expect(
      at(
        '1',
        'id:5F5E101 sub:001 dlvrd:001 submit date:2601011200 done date:2601011200 stat:DELIVRD err:000 text:Your code is 123456',
      )[0],
    ).toMatchObject({
      outcome: 'delivered',
      rawStatus: 'DELIVRD',
      rawCode: '000',
    })
    expect(
      at(
        '2',
        'id:5F5E102 sub:001 dlvrd:000 submit date:2601011200 done date:2601011200 stat:UNDELIV err:045 text:x',
      )[0],
    ).toMatchObject({
      outcome: 'carrier_blocked',
      rawStatus: 'UNDELIV',
      rawCode: '045',
    })
    expect(at('2', 'id:1 stat:UNDELIV err:027')[0]?.outcome).toBe('unreachable')
    expect(at('2', 'id:1 stat:EXPIRED err:000')[0]?.outcome).toBe('expired')
    expect(at('2', '')[0]?.outcome).toBe('unknown')
    expect(at('16', 'NACK/0x0000000b/Invalid Destination Address')[0]).toMatchObject({
      outcome: 'invalid_number',
      rawStatus: 'NACK',
      rawCode: '0x0000000b',
    })
    expect(at('16', 'NACK/0x00000058/Throttling error')[0]?.outcome).toBe('provider_throttled')
    expect(at('16', 'NACK/Retries Exceeded')[0]).toMatchObject({
      outcome: 'provider_error',
      rawStatus: 'NACK',
    })
    expect(at('4', '')[0]?.outcome).toBe('pending')
    // Receipt time falls back to arrival when %T is missing.
    expect(at('1', '', '')[0]?.at).toBe(clock.now())
  })

  it('ignores requests without an id or a known DLR value', () => {
    const p = provider()
    const req = (query: Record<string, string>): InboundRequest => ({
      method: 'GET',
      url: 'x',
      headers: {},
      rawBody: '',
      query,
    })
    expect(p.receipts.parse(req({ status: '1' }))).toEqual([])
    expect(p.receipts.parse(req({ mid: 'msg_1', status: 'x' }))).toEqual([])
    expect(p.receipts.parse(req({ mid: 'msg_1', status: '64' }))).toEqual([])
    expect(readDlr(3, '')).toBeUndefined()
  })
})

describe('kannel config', () => {
  it('applies defaults and refuses unsafe receipt URLs and unknown keys', () => {
    const base = {
      type: 'kannel',
      id: 'k',
      sendsmsUrl: 'http://127.0.0.1:13013/cgi-bin/sendsms',
      username: 'u',
      password: 'p',
      from: 'V',
      receiptBaseUrl: 'https://x.example',
      receiptSecret: SECRET,
    }
    expect(KannelConfigSchema.parse(base)).toMatchObject({ method: 'GET', dlrMask: 31, channels: ['sms'] })
    expect(() => KannelConfigSchema.parse({ ...base, receiptBaseUrl: 'https://x.example/a%20b' })).toThrow()
    expect(() => KannelConfigSchema.parse({ ...base, receiptSecret: 'short' })).toThrow()
    expect(() => KannelConfigSchema.parse({ ...base, id: 'a/b' })).toThrow()
    expect(() => KannelConfigSchema.parse({ ...base, extra: true })).toThrow()
  })
})
