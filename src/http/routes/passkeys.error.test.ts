/** Every refusal of the passkey endpoints is a 4xx with a stable code and the envelope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SoftAuthenticator } from '../../../test/helpers/soft-authenticator.js'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

type Res = Awaited<ReturnType<Awaited<ReturnType<typeof buildTestApp>>['app']['inject']>>

describe('passkeys API: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  let n = 0
  const base = () => `/v1/services/${serviceId}/entities/user-${++n}/passkeys`
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
    return body.error as Record<string, unknown>
  }
  const post = (url: string, payload?: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: t.auth(t.verifyKey),
      ...(payload === undefined ? {} : { payload }),
    })
  const register = async (b: string, auth: SoftAuthenticator) => {
    const options = (await post(`${b}/registration/options`, { user_name: 'u' })).json()
    const res = await post(`${b}/registration/verify`, { response: auth.create(options) })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: string }
  }

  it('refuses options for an unknown service', async () => {
    expectEnvelope(
      await post('/v1/services/svc_missing/entities/u/passkeys/registration/options', { user_name: 'u' }),
      404,
      'SERVICE_NOT_FOUND',
    )
    expectEnvelope(
      await post('/v1/services/svc_missing/passkeys/authentication/options'),
      404,
      'SERVICE_NOT_FOUND',
    )
  })

  it('validates bodies and paths', async () => {
    const b = base()
    expectEnvelope(await post(`${b}/registration/options`, {}), 400, 'VALIDATION_FAILED')
    expectEnvelope(
      await post(`${b}/registration/options`, { user_name: 'u', extra: 1 }),
      400,
      'VALIDATION_FAILED',
    )
    expectEnvelope(
      await post(`${b}/registration/verify`, { response: { id: 'x' } }),
      400,
      'VALIDATION_FAILED',
    )
    expectEnvelope(await post(`${b}/authentication/verify`, {}), 400, 'VALIDATION_FAILED')
    expectEnvelope(await post(`${b}/authentication/options`, { entity: 'x' }), 400, 'VALIDATION_FAILED')
    const del = await t.app.inject({
      method: 'DELETE',
      url: `${b}/not%20base64`,
      headers: t.auth(t.verifyKey),
    })
    expectEnvelope(del, 400, 'VALIDATION_FAILED')
  })

  it('refuses a replayed, expired or misdirected challenge', async () => {
    const b = base()
    const auth = new SoftAuthenticator()
    const options = (await post(`${b}/registration/options`, { user_name: 'u' })).json()
    const response = auth.create(options)
    expectEnvelope(
      await post(`${base()}/registration/verify`, { response }),
      404,
      'PASSKEY_CHALLENGE_NOT_FOUND',
    )
    expect((await post(`${b}/registration/verify`, { response })).statusCode).toBe(201)
    expectEnvelope(await post(`${b}/registration/verify`, { response }), 404, 'PASSKEY_CHALLENGE_NOT_FOUND')

    const signIn = (await post(`${b}/authentication/options`)).json()
    t.clock.advance(301_000)
    expectEnvelope(
      await post(`${b}/authentication/verify`, { response: auth.get(signIn) }),
      410,
      'PASSKEY_CHALLENGE_EXPIRED',
    )
  })

  it('refuses a response that does not verify, saying why', async () => {
    const b = base()
    const options = (await post(`${b}/registration/options`, { user_name: 'u' })).json()
    const err = expectEnvelope(
      await post(`${b}/registration/verify`, {
        response: new SoftAuthenticator().create(options, { origin: 'https://phish.example' }),
      }),
      422,
      'PASSKEY_VERIFICATION_FAILED',
    )
    expect(err.reason).toMatch(/origin/)
  })

  it('refuses a cloned authenticator whose counter went backwards', async () => {
    const b = base()
    const original = new SoftAuthenticator()
    const pk = await register(b, original)
    const clone = original.clone()
    for (const auth of [original, original]) {
      const o = (await post(`${b}/authentication/options`)).json()
      expect((await post(`${b}/authentication/verify`, { response: auth.get(o) })).statusCode).toBe(200)
    }
    const o = (await post(`${b}/authentication/options`)).json()
    const err = expectEnvelope(
      await post(`${b}/authentication/verify`, { response: clone.get(o) }),
      422,
      'PASSKEY_COUNTER_INVALID',
    )
    expect(err.credential_id).toBe(pk.id)
  })

  it('refuses registering the same credential twice', async () => {
    const b = base()
    const first = await register(b, new SoftAuthenticator())
    const options = (await post(`${b}/registration/options`, { user_name: 'u' })).json()
    // A real authenticator would refuse (excludeCredentials); a replayed id must still be caught.
    const response = new SoftAuthenticator().create(
      { ...options, excludeCredentials: [] },
      { credentialId: first.id },
    )
    expectEnvelope(await post(`${b}/registration/verify`, { response }), 409, 'PASSKEY_ALREADY_REGISTERED')
  })

  it("says when a passkey is not the entity's, or not there", async () => {
    const a = base()
    const m = base()
    await register(a, new SoftAuthenticator())
    const mallory = new SoftAuthenticator()
    const malloryKey = await register(m, mallory)
    expectEnvelope(await post(`${base()}/authentication/options`), 404, 'PASSKEY_NOT_FOUND')

    const o = (await post(`${a}/authentication/options`)).json()
    expectEnvelope(
      await post(`${a}/authentication/verify`, { response: mallory.get({ ...o, allowCredentials: [] }) }),
      404,
      'PASSKEY_NOT_FOUND',
    )
    // A discoverable challenge answered at an entity's endpoint must still be that entity's passkey.
    const open = (await post(`/v1/services/${serviceId}/passkeys/authentication/options`)).json()
    expectEnvelope(
      await post(`${a}/authentication/verify`, { response: mallory.get(open) }),
      404,
      'PASSKEY_NOT_FOUND',
    )
    const del = await t.app.inject({
      method: 'DELETE',
      url: `${a}/${malloryKey.id}`,
      headers: t.auth(t.verifyKey),
    })
    expectEnvelope(del, 404, 'PASSKEY_NOT_FOUND')
  })
})
