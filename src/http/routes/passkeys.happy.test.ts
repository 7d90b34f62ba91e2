/** Passkey registration, sign-in (entity and discoverable), listing and deletion through the HTTP app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SoftAuthenticator } from '../../../test/helpers/soft-authenticator.js'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('passkeys API: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  let base: string
  beforeAll(async () => {
    t = await buildTestApp()
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Acme Exchange' },
    })
    serviceId = svc.json().id
    base = `/v1/services/${serviceId}/entities/user-42/passkeys`
  })
  afterAll(async () => t.close())

  const post = (url: string, payload?: object) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: t.auth(t.verifyKey),
      ...(payload === undefined ? {} : { payload }),
    })

  /** Registers a passkey for user-42 through the API; returns the stored passkey's JSON. */
  const register = async (auth: SoftAuthenticator, friendlyName: string) => {
    const options = await post(`${base}/registration/options`, {
      user_name: 'ada@example.com',
      display_name: 'Ada',
    })
    expect(options.statusCode, options.body).toBe(200)
    const created = await post(`${base}/registration/verify`, {
      response: auth.create(options.json()),
      friendly_name: friendlyName,
    })
    expect(created.statusCode, created.body).toBe(201)
    return created.json()
  }

  it('registers, signs in, lists and deletes passkeys', async () => {
    const laptop = new SoftAuthenticator()
    const phone = new SoftAuthenticator({ synced: true })

    const options = await post(`${base}/registration/options`, { user_name: 'ada@example.com' })
    expect(options.headers['cache-control']).toBe('no-store')
    expect(options.json()).toMatchObject({
      rp: { id: 'localhost', name: 'Acme Exchange' },
      user: { name: 'ada@example.com', displayName: 'ada@example.com' },
      attestation: 'none',
      excludeCredentials: [],
    })

    const a = await register(laptop, 'Laptop')
    expect(a).toEqual({
      id: laptop.credential.id,
      service_id: serviceId,
      entity_id: 'user-42',
      type: 'passkey',
      friendly_name: 'Laptop',
      transports: ['internal', 'hybrid'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      device_type: 'single_device',
      backed_up: false,
      created_at: new Date(t.clock.now()).toISOString(),
      last_used_at: null,
    })
    t.clock.advance(1)
    const b = await register(phone, 'Phone')
    expect(b).toMatchObject({ device_type: 'multi_device', backed_up: true })

    // Entity sign-in: only the entity's passkeys are offered.
    t.clock.advance(5000)
    const signIn = await post(`${base}/authentication/options`)
    expect(signIn.statusCode, signIn.body).toBe(200)
    expect(signIn.headers['cache-control']).toBe('no-store')
    expect(signIn.json().allowCredentials.map((c: { id: string }) => c.id)).toEqual([a.id, b.id])
    const verified = await post(`${base}/authentication/verify`, { response: phone.get(signIn.json()) })
    expect(verified.statusCode, verified.body).toBe(200)
    expect(verified.json()).toMatchObject({
      status: 'approved',
      entity_id: 'user-42',
      user_verified: true,
      passkey: { id: b.id, last_used_at: new Date(t.clock.now()).toISOString() },
    })

    // Discoverable sign-in: no user named up front; the answer says who it was.
    const open = await post(`/v1/services/${serviceId}/passkeys/authentication/options`, {})
    expect(open.statusCode, open.body).toBe(200)
    expect(open.json().allowCredentials).toBeUndefined()
    const who = await post(`/v1/services/${serviceId}/passkeys/authentication/verify`, {
      response: laptop.get(open.json()),
    })
    expect(who.statusCode, who.body).toBe(200)
    expect(who.json()).toMatchObject({ status: 'approved', entity_id: 'user-42', passkey: { id: a.id } })

    const list = await t.app.inject({ method: 'GET', url: base, headers: t.auth(t.readKey) })
    expect(list.statusCode).toBe(200)
    expect(list.json().data.map((p: { friendly_name: string }) => p.friendly_name)).toEqual([
      'Laptop',
      'Phone',
    ])
    expect(JSON.stringify(list.json())).not.toMatch(/public_?key|user_?handle|counter/i)

    const del = await t.app.inject({ method: 'DELETE', url: `${base}/${a.id}`, headers: t.auth(t.verifyKey) })
    expect(del.statusCode).toBe(204)
    const after = await t.app.inject({ method: 'GET', url: base, headers: t.auth(t.readKey) })
    expect(after.json().data.map((p: { id: string }) => p.id)).toEqual([b.id])
  })

  it('accepts the extra fields browsers add to the credential JSON', async () => {
    const auth = new SoftAuthenticator()
    const options = await post(`${base}/registration/options`, { user_name: 'ada' })
    const response = auth.create(options.json())
    const res = await post(`${base}/registration/verify`, {
      response: { ...response, futureField: true, response: { ...response.response, futureToo: 1 } },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().friendly_name).toBe('Passkey')
  })

  it('lists the passkeys in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/services/{serviceId}/entities/{entityId}/passkeys',
        '/v1/services/{serviceId}/entities/{entityId}/passkeys/registration/options',
        '/v1/services/{serviceId}/passkeys/authentication/verify',
      ]),
    )
  })
})
