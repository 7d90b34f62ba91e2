/** The client API's refusals: bad and expired tokens, missing rights, malformed input, wrong order. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('client API: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Acme', channels: ['sms', 'call'] },
      })
    ).json().id
  })
  afterAll(async () => t.close())

  const mintRes = (payload: Record<string, unknown>, key = t.verifyKey) =>
    t.app.inject({ method: 'POST', url: '/v1/client-tokens', headers: t.auth(key), payload })
  const mint = async (extra: Record<string, unknown> = {}) => {
    const res = await mintRes({ service_id: serviceId, ...extra })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { session_id: string; token: string }
  }
  const call = (token: string | undefined, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    })
  /** The error body with the HTTP status as `http` (an error's own `status` field is the verification's). */
  const errorOf = (res: {
    statusCode: number
    json(): { error: { code: string } & Record<string, unknown> }
  }) => ({
    ...res.json().error,
    http: res.statusCode,
  })

  describe('minting', () => {
    it.each([
      [{}, 'service_id'],
      [{ service_id: 'x', ttl_seconds: 59 }, 'ttl_seconds'],
      [{ service_id: 'x', ttl_seconds: 3601 }, 'ttl_seconds'],
      [{ service_id: 'x', ttl_seconds: '600' }, 'ttl_seconds'],
      [{ service_id: 'x', channel: 'pigeon' }, 'channel'],
      [{ service_id: 'x', entity_id: 'has space' }, 'entity_id'],
      [{ service_id: 'x', default_country: 'GBR' }, 'default_country'],
      [{ service_id: 'x', allow_enrolment: 'yes' }, 'allow_enrolment'],
      [{ service_id: 'x', scope: 'all' }, 'scope'],
    ])('refuses %j (field %s) with 400 VALIDATION_FAILED', async (payload, field) => {
      const res = await mintRes(payload)
      expect(errorOf(res)).toMatchObject({ http: 400, code: 'VALIDATION_FAILED', field })
    })

    it('refuses an unknown service, a channel the service does not allow, and enrolment without an entity', async () => {
      expect(errorOf(await mintRes({ service_id: 'svc_nope' }))).toMatchObject({
        http: 404,
        code: 'SERVICE_NOT_FOUND',
      })
      expect(errorOf(await mintRes({ service_id: serviceId, channel: 'email' }))).toMatchObject({
        http: 422,
        code: 'CHANNEL_NOT_ALLOWED',
        allowed: ['sms', 'call'],
      })
      expect(errorOf(await mintRes({ service_id: serviceId, allow_enrolment: true }))).toMatchObject({
        http: 400,
        code: 'VALIDATION_FAILED',
        field: 'entity_id',
      })
    })

    it('needs a verify key to mint and a read key to read a session', async () => {
      expect(errorOf(await mintRes({ service_id: serviceId }, t.readKey))).toMatchObject({
        http: 403,
        code: 'FORBIDDEN',
      })
      const noKey = await t.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        payload: { service_id: serviceId },
      })
      expect(errorOf(noKey)).toMatchObject({ http: 401, code: 'UNAUTHORIZED' })
      const missing = await t.app.inject({
        method: 'GET',
        url: '/v1/client-sessions/cs_nope',
        headers: t.auth(t.readKey),
      })
      expect(errorOf(missing)).toMatchObject({ http: 404, code: 'CLIENT_SESSION_NOT_FOUND' })
    })
  })

  describe('tokens', () => {
    it.each([
      ['no header', undefined],
      ['an empty bearer', ''],
      ['a malformed token', 'vct_123'],
      ['an API key', 'vgk_aaaaaaaaaaaaaaaaaaaaaaaa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ])('answers 401 CLIENT_TOKEN_INVALID for %s', async (_name, token) => {
      const res = await call(token, 'GET', '/v1/client/session')
      expect(errorOf(res)).toMatchObject({ http: 401, code: 'CLIENT_TOKEN_INVALID' })
      expect(res.json().error.message).toMatch(/vct_|link/)
    })

    it('answers 401 CLIENT_TOKEN_INVALID for a real session id with a wrong secret', async () => {
      const { token } = await mint()
      const forged = `${token.slice(0, -43)}${'A'.repeat(43)}`
      expect(errorOf(await call(forged, 'GET', '/v1/client/session'))).toMatchObject({
        http: 401,
        code: 'CLIENT_TOKEN_INVALID',
      })
    })

    it('answers 401 CLIENT_TOKEN_EXPIRED once the lifetime has passed, everywhere', async () => {
      const { token, session_id } = await mint({ ttl_seconds: 60 })
      t.clock.advance(59_999)
      expect((await call(token, 'GET', '/v1/client/session')).statusCode).toBe(200)
      t.clock.advance(1)
      for (const [method, url] of [
        ['GET', '/v1/client/session'],
        ['POST', '/v1/client/verification'],
        ['GET', '/v1/client/factors'],
      ] as const) {
        const res = await call(
          token,
          method,
          url,
          method === 'POST' ? { to: '+447700900401', channel: 'sms' } : undefined,
        )
        expect(errorOf(res)).toMatchObject({ http: 401, code: 'CLIENT_TOKEN_EXPIRED' })
      }
      const svg = await t.app.inject({ method: 'GET', url: `/v1/client/resume.svg?token=${token}` })
      expect(errorOf(svg)).toMatchObject({ http: 401, code: 'CLIENT_TOKEN_EXPIRED' })
      // The app's server can still read the (unapproved) outcome.
      const server = await t.app.inject({
        method: 'GET',
        url: `/v1/client-sessions/${session_id}`,
        headers: t.auth(t.readKey),
      })
      expect(server.json().result).toBeNull()
    })

    it('takes ?token= only where a browser cannot send headers', async () => {
      const { token } = await mint()
      const res = await t.app.inject({ method: 'GET', url: `/v1/client/session?token=${token}` })
      expect(errorOf(res)).toMatchObject({ http: 401, code: 'CLIENT_TOKEN_INVALID' })
    })
  })

  describe('verification', () => {
    it('answers 404 VERIFICATION_NOT_FOUND before a start', async () => {
      const { token } = await mint()
      for (const [method, url, payload] of [
        ['GET', '/v1/client/verification', undefined],
        ['POST', '/v1/client/verification/check', { code: '123456' }],
        ['POST', '/v1/client/verification/resend', {}],
        ['POST', '/v1/client/verification/cancel', undefined],
        ['GET', '/v1/client/verification/diagnosis', undefined],
      ] as const) {
        expect(errorOf(await call(token, method, url, payload))).toMatchObject({
          http: 404,
          code: 'VERIFICATION_NOT_FOUND',
        })
      }
    })

    it.each([
      [{ to: '+447700900401' }, 'channel'],
      [{ channel: 'sms' }, 'to'],
      [{ to: '+447700900401', channel: 'fax' }, 'channel'],
      [{ to: '+447700900401', channel: 'sms', service_id: 'svc_other' }, 'service_id'],
      [{ to: 447700900401, channel: 'sms' }, 'to'],
    ])('refuses a malformed start %j (field %s)', async (payload, field) => {
      const { token } = await mint()
      const res = await call(token, 'POST', '/v1/client/verification', payload)
      expect(errorOf(res)).toMatchObject({ http: 400, code: 'VALIDATION_FAILED', field })
    })

    it('refuses bodies that are not JSON objects', async () => {
      const { token } = await mint()
      const broken = await t.app.inject({
        method: 'POST',
        url: '/v1/client/verification',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: '{"to": ',
      })
      expect(errorOf(broken)).toMatchObject({ http: 400, code: 'BODY_MALFORMED' })
      const text = await t.app.inject({
        method: 'POST',
        url: '/v1/client/verification',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        payload: 'to=+447700900401',
      })
      expect(errorOf(text)).toMatchObject({ http: 415, code: 'UNSUPPORTED_MEDIA_TYPE' })
      const phone = await call(token, 'POST', '/v1/client/phone-analysis', { numbr: '07700900123' })
      expect(errorOf(phone)).toMatchObject({ http: 400, code: 'VALIDATION_FAILED' })
    })

    it('explains a number that cannot be used, and a channel the service does not allow', async () => {
      const { token } = await mint()
      const typo = await call(token, 'POST', '/v1/client/verification', {
        to: '+44 07700 900401',
        channel: 'sms',
      })
      expect(errorOf(typo)).toMatchObject({
        http: 400,
        code: 'PHONE_NUMBER_INVALID',
        suggestion: { e164: '+447700900401' },
      })
      const landline = await call(token, 'POST', '/v1/client/verification', {
        to: '+442079460001',
        channel: 'sms',
      })
      expect(errorOf(landline)).toMatchObject({ http: 422, code: 'PHONE_NUMBER_NOT_SMS_CAPABLE' })
      const email = await call(token, 'POST', '/v1/client/verification', {
        to: 'a@example.com',
        channel: 'email',
      })
      expect(errorOf(email)).toMatchObject({ http: 422, code: 'CHANNEL_NOT_ALLOWED' })
    })

    it('refuses a wrong code with attempts_left, a malformed one without using an attempt, and a finished verification', async () => {
      const { token } = await mint()
      await call(token, 'POST', '/v1/client/verification', { to: '+447700900402', channel: 'sms' })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/verification/check', { code: '12ab' })),
      ).toMatchObject({
        http: 400,
        code: 'CODE_MALFORMED',
      })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/verification/check', { code: '000000' })),
      ).toMatchObject({
        http: 422,
        code: 'CODE_INCORRECT',
        attempts_left: 4,
      })
      expect(errorOf(await call(token, 'POST', '/v1/client/verification/check', {}))).toMatchObject({
        http: 400,
        code: 'VALIDATION_FAILED',
        field: 'code',
      })
      await call(token, 'POST', '/v1/client/verification/cancel')
      expect(
        errorOf(await call(token, 'POST', '/v1/client/verification/check', { code: '000000' })),
      ).toMatchObject({
        http: 409,
        code: 'VERIFICATION_NOT_PENDING',
      })
    })

    it('answers VERIFICATION_EXPIRED after the code lifetime', async () => {
      const { token } = await mint({ ttl_seconds: 3600 })
      await call(token, 'POST', '/v1/client/verification', { to: '+447700900403', channel: 'sms' })
      t.clock.advance(600_000)
      expect(
        errorOf(await call(token, 'POST', '/v1/client/verification/check', { code: '000000' })),
      ).toMatchObject({
        http: 410,
        code: 'VERIFICATION_EXPIRED',
      })
      expect((await call(token, 'GET', '/v1/client/verification')).json().status).toBe('expired')
    })
  })

  describe('factors', () => {
    it('answers 409 ENTITY_REQUIRED without an entity', async () => {
      const { token } = await mint()
      for (const [method, url, payload] of [
        ['GET', '/v1/client/factors', undefined],
        ['POST', '/v1/client/factors/totp', {}],
        ['POST', '/v1/client/factors/totp/check', { code: '123456' }],
        ['POST', '/v1/client/passkeys/authentication/options', undefined],
        ['POST', '/v1/client/recovery-codes/use', { code: 'abcd-efgh' }],
      ] as const) {
        expect(errorOf(await call(token, method, url, payload))).toMatchObject({
          http: 409,
          code: 'ENTITY_REQUIRED',
        })
      }
    })

    it('answers 403 ENROLMENT_NOT_ALLOWED for enrolment without allow_enrolment', async () => {
      const { token } = await mint({ entity_id: 'user-1' })
      for (const [url, payload] of [
        ['/v1/client/factors/totp', { friendly_name: 'Phone' }],
        ['/v1/client/factors/totp/fac_x/verify', { code: '123456' }],
        ['/v1/client/passkeys/registration/options', {}],
        ['/v1/client/recovery-codes', undefined],
      ] as const) {
        expect(errorOf(await call(token, 'POST', url, payload))).toMatchObject({
          http: 403,
          code: 'ENROLMENT_NOT_ALLOWED',
        })
      }
      // Nothing was created.
      expect((await call(token, 'GET', '/v1/client/factors')).json()).toEqual({
        totp: [],
        passkeys: [],
        recovery_codes: { remaining: 0 },
      })
    })

    it('refuses sign-ins the entity has no factor for, and wrong codes', async () => {
      const { token } = await mint({ entity_id: 'user-2', allow_enrolment: true })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/factors/totp/check', { code: '123456' })),
      ).toMatchObject({
        http: 404,
        code: 'FACTOR_NOT_FOUND',
      })
      expect(errorOf(await call(token, 'POST', '/v1/client/passkeys/authentication/options'))).toMatchObject({
        http: 404,
        code: 'PASSKEY_NOT_FOUND',
      })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/recovery-codes/use', { code: 'aaaa-bbbb-cccc' })),
      ).toMatchObject({
        http: 422,
        code: 'RECOVERY_CODE_INCORRECT',
      })
      const f = (await call(token, 'POST', '/v1/client/factors/totp', {})).json()
      expect(
        errorOf(
          await call(token, 'POST', `/v1/client/factors/totp/${f.factor_id}/verify`, { code: '000000' }),
        ),
      ).toMatchObject({
        http: 422,
        code: 'FACTOR_CODE_INCORRECT',
        attempts_left: 4,
      })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/factors/totp/fac_nope/verify', { code: '000000' })),
      ).toMatchObject({
        http: 404,
        code: 'FACTOR_NOT_FOUND',
      })
      expect(
        errorOf(await call(token, 'POST', '/v1/client/factors/totp', { friendly_name: 'x', type: 'totp' })),
      ).toMatchObject({
        http: 400,
        code: 'VALIDATION_FAILED',
        field: 'type',
      })
      const garbage = await call(token, 'POST', '/v1/client/passkeys/registration', {
        response: { id: 'abc', rawId: 'abc', type: 'public-key', response: {} },
      })
      expect(errorOf(garbage)).toMatchObject({ http: 400, code: 'VALIDATION_FAILED' })
    })
  })
})
