/** Authenticator-app enrolment, verification, challenge and recovery codes through the HTTP app. */
import { TOTP, URI } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('factors API: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let base: string
  beforeAll(async () => {
    t = await buildTestApp()
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Acme Exchange' },
    })
    base = `/v1/services/${svc.json().id}/entities/user-42`
  })
  afterAll(async () => t.close())

  /** What the user's authenticator app shows now, computed from the URI we returned. */
  const appCode = (uri: string) => {
    const otp = URI.parse(uri)
    if (!(otp instanceof TOTP)) throw new Error(`not a TOTP URI: ${uri}`)
    return otp.generate({ timestamp: t.clock.now() })
  }

  it('enrols, shows the QR, verifies, challenges, lists and deletes a factor', async () => {
    const enrolled = await t.app.inject({
      method: 'POST',
      url: `${base}/factors`,
      headers: t.auth(t.verifyKey),
      payload: { type: 'totp', friendly_name: 'My phone' },
    })
    expect(enrolled.statusCode).toBe(201)
    expect(enrolled.headers['cache-control']).toBe('no-store')
    const f = enrolled.json()
    expect(f).toMatchObject({
      type: 'totp',
      entity_id: 'user-42',
      friendly_name: 'My phone',
      status: 'unverified',
      issuer: 'Acme Exchange',
      digits: 6,
      period_seconds: 30,
      skew: 1,
    })
    expect(f.id).toMatch(/^fac_/)
    expect(f.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(f.uri).toBe(
      `otpauth://totp/Acme%20Exchange:user-42?issuer=Acme%20Exchange&secret=${f.secret}&algorithm=SHA1&digits=6&period=30`,
    )
    expect(f.qr).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)

    const png = await t.app.inject({
      method: 'GET',
      url: `${base}/factors/${f.id}/qr.png`,
      headers: t.auth(t.verifyKey),
    })
    expect(png.statusCode).toBe(200)
    expect(png.headers['content-type']).toBe('image/png')
    expect(png.headers['cache-control']).toBe('no-store')
    expect(png.rawPayload.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    )

    const verified = await t.app.inject({
      method: 'POST',
      url: `${base}/factors/${f.id}/verify`,
      headers: t.auth(t.verifyKey),
      payload: { code: appCode(f.uri) },
    })
    expect(verified.statusCode).toBe(200)
    expect(verified.json()).toMatchObject({ status: 'approved', factor: { id: f.id, status: 'verified' } })

    t.clock.advance(30_000)
    const challenged = await t.app.inject({
      method: 'POST',
      url: `${base}/factors/${f.id}/challenge`,
      headers: t.auth(t.verifyKey),
      payload: { code: appCode(f.uri) },
    })
    expect(challenged.statusCode).toBe(200)
    expect(challenged.json().status).toBe('approved')

    const list = await t.app.inject({ method: 'GET', url: `${base}/factors`, headers: t.auth(t.readKey) })
    expect(list.statusCode).toBe(200)
    expect(list.json().data.map((x: { id: string }) => x.id)).toEqual([f.id])
    const one = await t.app.inject({
      method: 'GET',
      url: `${base}/factors/${f.id}`,
      headers: t.auth(t.readKey),
    })
    expect(one.json()).toMatchObject({ id: f.id, status: 'verified' })
    // The secret is never shown again.
    for (const body of [list.body, one.body, verified.body, challenged.body]) {
      expect(body).not.toContain(f.secret)
      expect(body).not.toMatch(/secret|ciphertext|failed_attempts/)
    }

    const del = await t.app.inject({
      method: 'DELETE',
      url: `${base}/factors/${f.id}`,
      headers: t.auth(t.verifyKey),
    })
    expect(del.statusCode).toBe(204)
    expect(
      (await t.app.inject({ method: 'GET', url: `${base}/factors/${f.id}`, headers: t.auth(t.readKey) }))
        .statusCode,
    ).toBe(404)
  })

  it('takes a custom issuer', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${base}/factors`,
      headers: t.auth(),
      payload: { type: 'totp', friendly_name: 'Tablet', issuer: 'Acme' },
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().uri).toMatch(/^otpauth:\/\/totp\/Acme:user-42\?issuer=Acme&/)
  })

  it('generates recovery codes once, uses one, and reports counts only', async () => {
    const empty = await t.app.inject({
      method: 'GET',
      url: `${base}/recovery-codes`,
      headers: t.auth(t.readKey),
    })
    expect(empty.json()).toEqual({ total: 0, remaining: 0, used: 0, generated_at: null })

    const gen = await t.app.inject({
      method: 'POST',
      url: `${base}/recovery-codes`,
      headers: t.auth(t.verifyKey),
    })
    expect(gen.statusCode).toBe(201)
    expect(gen.headers['cache-control']).toBe('no-store')
    const { codes } = gen.json()
    expect(codes).toHaveLength(10)
    expect(gen.json()).toMatchObject({ total: 10, remaining: 10, used: 0 })

    const used = await t.app.inject({
      method: 'POST',
      url: `${base}/recovery-codes/use`,
      headers: t.auth(t.verifyKey),
      payload: { code: codes[0] },
    })
    expect(used.statusCode).toBe(200)
    expect(used.json()).toEqual({ status: 'approved', remaining: 9 })

    const status = await t.app.inject({
      method: 'GET',
      url: `${base}/recovery-codes`,
      headers: t.auth(t.readKey),
    })
    expect(status.json()).toMatchObject({ total: 10, remaining: 9, used: 1 })
    expect(status.json().generated_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    for (const c of codes) expect(status.body).not.toContain(c)

    // An explicit empty JSON body is fine too.
    const again = await t.app.inject({
      method: 'POST',
      url: `${base}/recovery-codes`,
      headers: t.auth(t.verifyKey),
      payload: {},
    })
    expect(again.statusCode).toBe(201)
  })
})
