/** Every refusal of the factor and recovery-code endpoints is a 4xx with a stable code and the envelope. */
import { TOTP, URI } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

type Res = Awaited<ReturnType<Awaited<ReturnType<typeof buildTestApp>>['app']['inject']>>

describe('factors API: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  let n = 0
  const base = () => `/v1/services/${serviceId}/entities/user-${++n}`
  beforeAll(async () => {
    t = await buildTestApp()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Errors' },
      })
    ).json().id
  })
  afterAll(async () => t.close())

  const expectEnvelope = (res: Res, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status)
    const body = res.json()
    expect(body.error.code).toBe(code)
    expect(typeof body.error.message).toBe('string')
    expect(body.error.request_id).toMatch(/^req_/)
    expect(res.headers['x-request-id']).toBe(body.error.request_id)
    return body.error as Record<string, unknown>
  }
  const post = (url: string, payload?: object, key = t.verifyKey) =>
    t.app.inject({ method: 'POST', url, headers: t.auth(key), ...(payload === undefined ? {} : { payload }) })
  const appCode = (uri: string, offsetSteps = 0) => {
    const otp = URI.parse(uri)
    if (!(otp instanceof TOTP)) throw new Error(`not a TOTP URI: ${uri}`)
    return otp.generate({ timestamp: t.clock.now() + offsetSteps * 30_000 })
  }
  const wrongCode = (uri: string) => {
    const near = new Set([-1, 0, 1].map((d) => appCode(uri, d)))
    for (let i = 0; ; i++) if (!near.has(String(i).padStart(6, '0'))) return String(i).padStart(6, '0')
  }
  /** Enrols at `b` and returns the enrolment body. */
  const enrol = async (b: string) => {
    const res = await post(`${b}/factors`, { type: 'totp', friendly_name: 'Phone' })
    expect(res.statusCode).toBe(201)
    return res.json() as { id: string; uri: string; secret: string }
  }
  const enrolVerified = async (b: string) => {
    const f = await enrol(b)
    expect((await post(`${b}/factors/${f.id}/verify`, { code: appCode(f.uri) })).statusCode).toBe(200)
    t.clock.advance(90_000)
    return f
  }

  it('refuses enrolment for an unknown service', async () => {
    expectEnvelope(
      await post('/v1/services/svc_nope/entities/u1/factors', { type: 'totp', friendly_name: 'Phone' }),
      404,
      'SERVICE_NOT_FOUND',
    )
  })

  it.each([
    ['an unknown field', { type: 'totp', friendly_name: 'Phone', secret: 'AAAA' }, 'secret'],
    ['another factor type', { type: 'sms', friendly_name: 'Phone' }, 'type'],
    ['a missing name', { type: 'totp' }, 'friendly_name'],
    ['a colon in the issuer', { type: 'totp', friendly_name: 'Phone', issuer: 'Acme:Evil' }, 'issuer'],
    ['a number as name', { type: 'totp', friendly_name: 42 }, 'friendly_name'],
  ])('refuses %s at enrolment', async (_name, payload, field) => {
    const err = expectEnvelope(await post(`${base()}/factors`, payload), 400, 'VALIDATION_FAILED')
    expect(err.field).toBe(field)
  })

  it('refuses an entity id with characters that do not belong in a URI label', async () => {
    const url = `/v1/services/${serviceId}/entities/${encodeURIComponent('bob smith')}/factors`
    expectEnvelope(await post(url, { type: 'totp', friendly_name: 'Phone' }), 400, 'VALIDATION_FAILED')
  })

  it('answers FACTOR_NOT_FOUND for unknown factors on every factor endpoint', async () => {
    const b = base()
    expectEnvelope(await post(`${b}/factors/fac_nope/verify`, { code: '123456' }), 404, 'FACTOR_NOT_FOUND')
    expectEnvelope(await post(`${b}/factors/fac_nope/challenge`, { code: '123456' }), 404, 'FACTOR_NOT_FOUND')
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: `${b}/factors/fac_nope`, headers: t.auth(t.readKey) }),
      404,
      'FACTOR_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({ method: 'DELETE', url: `${b}/factors/fac_nope`, headers: t.auth() }),
      404,
      'FACTOR_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: `${b}/factors/fac_nope/qr.png`, headers: t.auth() }),
      404,
      'FACTOR_NOT_FOUND',
    )
  })

  it("does not let one entity use another entity's factor", async () => {
    const owner = base()
    const f = await enrol(owner)
    expectEnvelope(
      await post(`${base()}/factors/${f.id}/verify`, { code: appCode(f.uri) }),
      404,
      'FACTOR_NOT_FOUND',
    )
  })

  it('maps a wrong code to FACTOR_CODE_INCORRECT with attempts_left', async () => {
    const b = base()
    const f = await enrol(b)
    const err = expectEnvelope(
      await post(`${b}/factors/${f.id}/verify`, { code: wrongCode(f.uri) }),
      422,
      'FACTOR_CODE_INCORRECT',
    )
    expect(err.attempts_left).toBe(4)
  })

  it('refuses a malformed code without using a try', async () => {
    const b = base()
    const f = await enrol(b)
    const err = expectEnvelope(
      await post(`${b}/factors/${f.id}/verify`, { code: '12ab56' }),
      400,
      'CODE_MALFORMED',
    )
    expect(err.code_length).toBe(6)
    expect(
      expectEnvelope(
        await post(`${b}/factors/${f.id}/verify`, { code: wrongCode(f.uri) }),
        422,
        'FACTOR_CODE_INCORRECT',
      ).attempts_left,
    ).toBe(4)
  })

  it('refuses a challenge to an unverified factor', async () => {
    const b = base()
    const f = await enrol(b)
    expectEnvelope(
      await post(`${b}/factors/${f.id}/challenge`, { code: appCode(f.uri) }),
      409,
      'FACTOR_NOT_VERIFIED',
    )
  })

  it('refuses a replayed code', async () => {
    const b = base()
    const f = await enrolVerified(b)
    const code = appCode(f.uri)
    expect((await post(`${b}/factors/${f.id}/challenge`, { code })).statusCode).toBe(200)
    expectEnvelope(await post(`${b}/factors/${f.id}/challenge`, { code }), 422, 'FACTOR_CODE_REUSED')
  })

  it('locks after 5 wrong codes with 429, retry_after and Retry-After', async () => {
    const b = base()
    const f = await enrolVerified(b)
    for (let i = 0; i < 4; i++) await post(`${b}/factors/${f.id}/challenge`, { code: wrongCode(f.uri) })
    const res = await post(`${b}/factors/${f.id}/challenge`, { code: wrongCode(f.uri) })
    const err = expectEnvelope(res, 429, 'FACTOR_LOCKED')
    expect(err).toMatchObject({ limit: 'factor_wrong_codes', retry_after: 30 })
    expect(res.headers['retry-after']).toBe('30')
    expectEnvelope(
      await post(`${b}/factors/${f.id}/challenge`, { code: appCode(f.uri) }),
      429,
      'FACTOR_LOCKED',
    )
    t.clock.advance(30_000)
    expect((await post(`${b}/factors/${f.id}/challenge`, { code: appCode(f.uri) })).statusCode).toBe(200)
  })

  it('stops serving the QR code once the factor is verified', async () => {
    const b = base()
    const f = await enrolVerified(b)
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: `${b}/factors/${f.id}/qr.png`, headers: t.auth() }),
      409,
      'FACTOR_ALREADY_VERIFIED',
    )
  })

  it.each([
    ['missing code', {}],
    ['numeric code', { code: 123456 }],
    ['extra field', { code: '123456', factor: 'x' }],
  ])('refuses a check body with a %s', async (_name, payload) => {
    const b = base()
    const f = await enrol(b)
    expectEnvelope(await post(`${b}/factors/${f.id}/verify`, payload), 400, 'VALIDATION_FAILED')
  })

  it('refuses wrong, reused and revoked recovery codes alike', async () => {
    const b = base()
    expectEnvelope(
      await post(`${b}/recovery-codes/use`, { code: 'abcd-efgh-jkmn' }),
      422,
      'RECOVERY_CODE_INCORRECT',
    )
    const { codes } = (await post(`${b}/recovery-codes`)).json()
    expect((await post(`${b}/recovery-codes/use`, { code: codes[0] })).statusCode).toBe(200)
    expectEnvelope(await post(`${b}/recovery-codes/use`, { code: codes[0] }), 422, 'RECOVERY_CODE_INCORRECT')
    await post(`${b}/recovery-codes`)
    expectEnvelope(await post(`${b}/recovery-codes/use`, { code: codes[1] }), 422, 'RECOVERY_CODE_INCORRECT')
    expectEnvelope(await post(`${b}/recovery-codes`, { count: 20 }), 400, 'VALIDATION_FAILED')
    expectEnvelope(await post('/v1/services/svc_nope/entities/u1/recovery-codes'), 404, 'SERVICE_NOT_FOUND')
  })

  it('needs an API key, and the verify scope to enrol, check or use codes', async () => {
    const b = base()
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: `${b}/factors`,
        payload: { type: 'totp', friendly_name: 'x' },
      }),
      401,
      'UNAUTHORIZED',
    )
    expectEnvelope(
      await post(`${b}/factors`, { type: 'totp', friendly_name: 'x' }, t.readKey),
      403,
      'FORBIDDEN',
    )
    expectEnvelope(
      await post(`${b}/factors/fac_x/challenge`, { code: '123456' }, t.readKey),
      403,
      'FORBIDDEN',
    )
    expectEnvelope(await post(`${b}/recovery-codes`, undefined, t.readKey), 403, 'FORBIDDEN')
    expectEnvelope(await post(`${b}/recovery-codes/use`, { code: 'x' }, t.readKey), 403, 'FORBIDDEN')
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: `${b}/factors/fac_x/qr.png`, headers: t.auth(t.readKey) }),
      403,
      'FORBIDDEN',
    )
    expect(
      (await t.app.inject({ method: 'GET', url: `${b}/factors`, headers: t.auth(t.readKey) })).statusCode,
    ).toBe(200)
  })
})
