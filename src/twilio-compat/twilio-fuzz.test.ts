/**
 * Property: whatever arrives at `/v2/...` (any method, path, parameters, content type or body), a
 * refusal is Twilio's error body `{code, message, more_info, status}` with `status` equal to the HTTP
 * status; never verigate's native envelope, never RFC 9457 `type`/`title` (the SDK would lose
 * `moreInfo`), and never a 500.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'
import { parseToken } from '../auth/api-key.js'
import { sidFor, twilioAccountSid } from './sids.js'

/** Parameter names the SDK sends on Verify v2 calls, and a few it never does. */
const NAMES = [
  'To',
  'Channel',
  'Code',
  'VerificationSid',
  'Status',
  'CustomCode',
  'Amount',
  'Payee',
  'Locale',
  'RateLimits',
  'DeviceIp',
  'FriendlyName',
  'CodeLength',
  'Psd2Enabled',
  'CustomCodeEnabled',
  'Totp.Issuer',
  'Totp.TimeStep',
  'Totp.CodeLength',
  'Totp.Skew',
  'UniqueName',
  'Description',
  'Max',
  'Interval',
  'Identity',
  'FactorType',
  'AuthPayload',
  'FactorSid',
  'Config.CodeLength',
  'Config.Alg',
  'Binding.Secret',
  'Metadata',
  'HiddenDetails',
  'Details.Message',
  'ExpirationDate',
  'PageSize',
  'Page',
  'PageToken',
  'VerigateResendCooldown',
  'TemplateSid',
  'ChannelConfiguration',
  'Tags',
  'x',
  '',
]

const value = fc.oneof(
  fc.constantFrom(
    '+447700900501',
    'sms',
    'call',
    'email',
    'approved',
    'canceled',
    '123456',
    'true',
    'totp',
    '{"end_user_ip_address":"203.0.113.7"}',
    '{}',
    '[]',
    'null',
    '-1',
    '0',
    '99999999999',
    'a@b.co',
    '2026-01-01T00:00:00Z',
    `VE${'0'.repeat(32)}`,
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer().map(String),
)

describe("Twilio API: every refusal in Twilio's error shape (fast-check)", () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let basic: Record<string, string>
  let serviceSid: string

  beforeAll(async () => {
    t = await buildTestApp({ dialect: 'sqlite' })
    const auth = (key: string) =>
      `Basic ${Buffer.from(`${twilioAccountSid(parseToken(key)!.id)}:${key}`).toString('base64')}`
    basic = { admin: auth(t.adminKey), verify: auth(t.verifyKey), read: auth(t.readKey) }
    const created = await t.app.inject({
      method: 'POST',
      url: '/v2/Services',
      headers: { authorization: basic.admin!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'FriendlyName=Fuzz&Psd2Enabled=false',
    })
    serviceSid = created.json().sid
  })
  afterAll(async () => t.close())

  it('answers any request with 2xx or a Twilio-shaped 4xx, never a 500', async () => {
    const segment = fc.oneof(
      fc.constant(''),
      fc.constantFrom(
        `VE${'0'.repeat(32)}`,
        `RK${'a'.repeat(32)}`,
        'user-1',
        '+447700900501',
        '%00',
        '..',
        'YF0',
        sidFor('VE', 'ver_000000000000000000000000'),
      ),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    )
    const path = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('/v2/Services', '/v2/Attempts', '/v2/Templates', '/v2/Forms', '/v2/SafeList'),
          segment,
        )
        .map(([p, s]) => (s ? `${p}/${s}` : p)),
      fc
        .tuple(
          fc.constantFrom(
            'Verifications',
            'VerificationCheck',
            'RateLimits',
            'Entities',
            'MessagingConfigurations',
            'AccessTokens',
            'Webhooks',
            'Entities/user-1/Factors',
            'Entities/user-1/Challenges',
            'Entities/user-1/Challenges/YC0/Notifications',
          ),
          segment,
          fc.boolean(),
        )
        .map(([r, s, ownService]) => {
          const base = `/v2/Services/${ownService ? serviceSid : `VA${'f'.repeat(32)}`}/${r}`
          return s ? `${base}/${s}` : base
        }),
    )
    const params = fc.array(fc.tuple(fc.constantFrom(...NAMES), value), { maxLength: 6 })
    const body = fc.oneof(
      params.map((ps) => ({
        type: 'application/x-www-form-urlencoded',
        payload: new URLSearchParams(ps).toString(),
      })),
      params.map((ps) => ({ type: 'application/json', payload: JSON.stringify(Object.fromEntries(ps)) })),
      fc.string({ maxLength: 60 }).map((payload) => ({ type: 'application/json', payload })),
      fc.string({ maxLength: 60 }).map((payload) => ({ type: 'text/plain', payload })),
      fc.constant({ type: 'application/x-www-form-urlencoded', payload: '%E0%A4%A=1&&==&To=%' }),
      fc.constant(undefined),
    )
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH'),
      path,
      query: params.map((ps) => new URLSearchParams(ps).toString()),
      body,
      auth: fc.constantFrom('admin', 'verify', 'read', 'none', 'garbage'),
    })

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const authorization =
          r.auth === 'none' ? undefined : r.auth === 'garbage' ? 'Basic !!!' : basic[r.auth]
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: r.query ? `${r.path}?${r.query}` : r.path,
          headers: {
            ...(authorization ? { authorization } : {}),
            ...(r.body && r.method !== 'GET' ? { 'content-type': r.body.type } : {}),
          },
          ...(r.body && r.method !== 'GET' ? { payload: r.body.payload } : {}),
        })
        expect(res.statusCode, `${r.method} ${r.path}`).toBeLessThan(500)
        if (res.statusCode < 400) return
        const error = res.json()
        expect(Object.keys(error).sort()).toEqual(
          expect.arrayContaining(['code', 'message', 'more_info', 'status']),
        )
        expect(error).not.toHaveProperty('error')
        expect(error).not.toHaveProperty('type')
        expect(error).not.toHaveProperty('title')
        expect(error.status).toBe(res.statusCode)
        expect(Number.isInteger(error.code)).toBe(true)
        expect(typeof error.message).toBe('string')
        expect(error.more_info).toBe(`https://www.twilio.com/docs/errors/${error.code}`)
      }),
      { numRuns: 1000 },
    )
  })
})
