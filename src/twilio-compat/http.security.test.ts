/**
 * The `/v2` facade over HTTP (no SDK): Basic auth against verigate keys, Twilio's legacy error body
 * everywhere under `/v2`, and the encapsulation that keeps its parser and error shape off `/v1`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../test/helpers/test-deps.js'
import { parseToken } from '../auth/api-key.js'
import { AppError } from '../errors/app-error.js'
import { refusal } from '../limits/verification-limits.js'
import { fromAppError } from './errors.js'
import { twilioAccountSid, twilioApiKeySid } from './sids.js'

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

describe('Twilio facade: auth and error shape', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  const authFor = (key: string) => basic(twilioAccountSid(parseToken(key)!.id), key)

  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t.close())

  const expectAuthenticate = (res: {
    statusCode: number
    json(): unknown
    headers: Record<string, unknown>
  }) => {
    expect(res.statusCode).toBe(401)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    })
  }

  it.each([
    ['no Authorization header', () => undefined],
    ['a Bearer verigate key', () => `Bearer ${t.adminKey}`],
    ['garbage', () => 'Basic !!!'],
    ['no colon', () => `Basic ${Buffer.from('ACabc').toString('base64')}`],
    [
      'a password that is not a verigate key',
      () => basic(twilioAccountSid(parseToken(t.adminKey)!.id), 'secret'),
    ],
    [
      'the wrong secret for the key id',
      () => basic(twilioAccountSid(parseToken(t.adminKey)!.id), `${t.adminKey.slice(0, -4)}AAAA`),
    ],
    ['the AccountSid of another key', () => basic(twilioAccountSid(parseToken(t.verifyKey)!.id), t.adminKey)],
    ['an AccountSid that is not derived', () => basic(`AC${'0'.repeat(32)}`, t.adminKey)],
  ])('refuses %s with 401 / 20003', async (_name, header) => {
    const h = header()
    const res = await t.app.inject({
      method: 'GET',
      url: '/v2/Services',
      headers: h ? { authorization: h } : {},
    })
    expectAuthenticate(res)
  })

  it('accepts the AccountSid or SK sid of the key, in either case of hex', async () => {
    const id = parseToken(t.adminKey)!.id
    for (const user of [
      twilioAccountSid(id),
      twilioApiKeySid(id),
      `AC${twilioAccountSid(id).slice(2).toUpperCase()}`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v2/Services',
        headers: { authorization: basic(user, t.adminKey) },
      })
      expect(res.statusCode).toBe(200)
    }
  })

  it('refuses a revoked key at once (no cache), with 20003', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: t.auth(),
      payload: { name: 'twilio app', scopes: ['verify'] },
    })
    expect(created.statusCode).toBe(201)
    const { id, key, twilio_account_sid } = created.json()
    expect(twilio_account_sid).toBe(twilioAccountSid(id))
    const headers = { authorization: basic(twilio_account_sid, key) }
    expect((await t.app.inject({ method: 'GET', url: '/v2/Services', headers })).statusCode).toBe(200)
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: t.auth() })).statusCode,
    ).toBe(204)
    expectAuthenticate(await t.app.inject({ method: 'GET', url: '/v2/Services', headers }))
  })

  it('refuses a key without the scope with 403 / 20403', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/Services',
      headers: { authorization: authFor(t.verifyKey), ...FORM },
      payload: 'FriendlyName=Nope',
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({
      code: 20403,
      status: 403,
      more_info: 'https://www.twilio.com/docs/errors/20403',
    })
  })

  it('answers unknown /v2 paths and sids with Twilio 20404, never the verigate envelope', async () => {
    const headers = { authorization: authFor(t.adminKey) }
    const unknown = await t.app.inject({ method: 'GET', url: '/v2/Nothing/Here', headers })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toEqual({
      code: 20404,
      message: 'The requested resource /Nothing/Here was not found',
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    })
    const sid = `VA${'0'.repeat(32)}`
    const missing = await t.app.inject({ method: 'GET', url: `/v2/Services/${sid}`, headers })
    expect(missing.json()).toMatchObject({
      code: 20404,
      message: `The requested resource /Services/${sid} was not found`,
    })
    for (const res of [unknown, missing]) {
      expect(res.json()).not.toHaveProperty('type')
      expect(res.json()).not.toHaveProperty('title')
      expect(res.json()).not.toHaveProperty('error')
    }
  })

  it('parses forms only under /v2; /v1 keeps its JSON-only envelope', async () => {
    const v2 = await t.app.inject({
      method: 'POST',
      url: '/v2/Services',
      headers: { authorization: authFor(t.adminKey), ...FORM },
      payload: 'FriendlyName=Acme+Corp%21&Totp.Issuer=Acme+Inc&Totp.Skew=2',
    })
    expect(v2.statusCode).toBe(201)
    expect(v2.json()).toMatchObject({ friendly_name: 'Acme Corp!', totp: { issuer: 'Acme Inc', skew: 2 } })
    expect(v2.json().date_created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)

    const proxied = await t.app.inject({
      method: 'GET',
      url: `/v2/Services/${v2.json().sid}`,
      headers: {
        authorization: authFor(t.adminKey),
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'verify.example.com',
      },
    })
    expect(proxied.json().url).toBe(`https://verify.example.com/v2/Services/${v2.json().sid}`)

    const v1 = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: { ...t.auth(), ...FORM },
      payload: 'name=Acme',
    })
    expect(v1.statusCode).toBe(415)
    expect(v1.json().error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' })

    const missingV1 = await t.app.inject({ method: 'GET', url: '/v1/nothing', headers: t.auth() })
    expect(missingV1.json().error).toMatchObject({ code: 'ROUTE_NOT_FOUND' })
  })

  it("keeps /v2 out of verigate's OpenAPI document (docs/twilio-compat.md is its reference)", async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)
    expect(paths.some((p) => p.startsWith('/v1/'))).toBe(true)
    expect(paths.filter((p) => p.startsWith('/v2'))).toEqual([])
  })

  it('answers verigate validation failures in Twilio shape (NUL in a form value)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/Services',
      headers: { authorization: authFor(t.adminKey), ...FORM },
      payload: 'FriendlyName=a%00b',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 60200, message: 'Invalid parameter: FriendlyName', status: 400 })
  })
})

describe('fromAppError', () => {
  const at = '/Services/VAx/VerificationCheck'
  it.each([
    [new AppError('PHONE_NUMBER_INVALID'), 400, 60200, 'Invalid parameter: To'],
    [new AppError('EMAIL_INVALID'), 400, 60200, 'Invalid parameter: To'],
    [
      new AppError('PHONE_NUMBER_NOT_SMS_CAPABLE'),
      403,
      60205,
      'SMS is not supported by landline phone number',
    ],
    [new AppError('CHANNEL_NOT_ALLOWED'), 400, 60223, 'Delivery channel disabled'],
    [new AppError('VERIFICATION_NOT_PENDING'), 404, 20404, `The requested resource ${at} was not found`],
    [new AppError('VERIFICATION_EXPIRED'), 404, 20404, `The requested resource ${at} was not found`],
    [new AppError('SERVICE_NOT_FOUND'), 404, 20404, `The requested resource ${at} was not found`],
    [refusal('max_check_attempts', 0).error, 429, 60202, 'Max check attempts reached'],
    [refusal('checks_per_destination', 1000).error, 429, 60202, 'Max check attempts reached'],
    [refusal('max_sends', 1000).error, 429, 60203, 'Max send attempts reached'],
    [refusal('sends_per_destination', 1000).error, 429, 60203, 'Max send attempts reached'],
    [refusal('starts_per_ip', 1000).error, 429, 20429, 'Too Many Requests'],
    [refusal('global_sends', 1000).error, 429, 20429, 'Too Many Requests'],
    [new AppError('UNAUTHORIZED'), 401, 20003, 'Authenticate'],
    [
      new AppError('VALIDATION_FAILED', { details: { field: 'Locale' } }),
      400,
      60200,
      'Invalid parameter: Locale',
    ],
    [new AppError('INTERNAL'), 500, 20500, 'Internal Server Error'],
  ])('%s -> %i / %i', (err, status, code, message) => {
    const mapped = fromAppError(err, at)
    expect(mapped.body()).toMatchObject({
      status,
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
    })
    expect(mapped.status).toBe(status)
  })

  it('keeps Retry-After and the verigate reason', () => {
    const mapped = fromAppError(refusal('max_sends', 90_000).error, at)
    expect(mapped.headers['retry-after']).toBe('90')
    expect(mapped.body().details).toMatchObject({ verigate_code: 'MAX_SENDS_REACHED' })
  })
})
