/** GET /v1/verifications/{id}/diagnosis and GET /v1/phone-numbers/{number}/diagnosis through the app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, eventually } from '../../../test/helpers/test-deps.js'

describe('diagnosis API', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp({
      config: { routing: { routes: [{ provider: 'simulator', senderIds: { GB: 'ACMEUK' } }] } },
    })
    t.deps.dispatcher.start()
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Doctor' },
    })
    serviceId = svc.json().id
  })
  afterAll(async () => t.close())

  const get = (url: string, key = t.readKey) => t.app.inject({ method: 'GET', url, headers: t.auth(key) })
  async function startAndSettle(to: string, type: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to },
    })
    expect(res.statusCode).toBe(201)
    const id = res.json().id as string
    await eventually(async () =>
      (await get(`/v1/verifications/${id}/events`))
        .json()
        .data.some((e: { type: string }) => e.type === type),
    )
    return id
  }

  it('a carrier block: the ranked causes, worded for the user and for support, with the evidence', async () => {
    const id = await startAndSettle('+447700900003', 'gave_up')
    const res = await get(`/v1/verifications/${id}/diagnosis`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body).toMatchObject({ verification_id: id, status: 'pending' })
    expect(body.summary_user).toContain('ACMEUK')
    expect(body.summary_support).toContain(id)
    expect(body.causes[0]).toMatchObject({
      id: 'carrier_filtered',
      likelihood: 'confirmed',
      rank: 1,
      sender_id: 'ACMEUK',
      title_user: 'Your mobile network blocked our text',
    })
    expect(body.causes[0].next_actions_user.length).toBeGreaterThan(0)
    expect(body.causes[0].next_actions_support.length).toBeGreaterThan(0)
    // Evidence points at the timeline's event ids.
    const events = (await get(`/v1/verifications/${id}/events`)).json().data as Array<{
      id: number
      type: string
    }>
    const failed = events.find((e) => e.type === 'delivery_failed')!
    expect(body.causes[0].evidence.map((e: { event_id: number }) => e.event_id)).toContain(failed.id)
    expect(body.causes[0].evidence[0]).toMatchObject({ raw: { outcome: 'carrier_blocked', raw_code: '045' } })
    expect(body.causes[0].evidence[0].at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('a delivered code: verify keys can read it too', async () => {
    const id = await startAndSettle('+447700900080', 'delivered')
    const res = await get(`/v1/verifications/${id}/diagnosis`, t.verifyKey)
    expect(res.statusCode).toBe(200)
    expect(res.json().causes.map((c: { id: string }) => c.id)).toEqual(['delivered_not_entered'])
  })

  it('a number: its analysis, its own causes and its latest verifications', async () => {
    const id = await startAndSettle('+447700900081', 'delivered')
    const res = await get(
      `/v1/phone-numbers/${encodeURIComponent('+44 7700 900081')}/diagnosis?service_id=${serviceId}&limit=2`,
    )
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.number).toMatchObject({ e164: '+447700900081', valid: true, country: 'GB' })
    expect(body.diagnosis).toMatchObject({ verification_id: null, status: 'no_verification', causes: [] })
    expect(body.verifications.map((d: { verification_id: string }) => d.verification_id)).toEqual([id])

    const typo = (await get(`/v1/phone-numbers/${encodeURIComponent('+44 07700 900081')}/diagnosis`)).json()
    expect(typo.number.problem.reason).toBe('trunk_prefix_after_country_code')
    expect(typo.diagnosis.causes[0]).toMatchObject({
      id: 'number_mistyped',
      suggested_number: '+447700900081',
    })
    expect(typo.verifications).toEqual([])

    const national = (await get('/v1/phone-numbers/07700900081/diagnosis?country=gb')).json()
    expect(national.number.e164).toBe('+447700900081')
    expect(national.verifications).toHaveLength(1)

    const landline = (await get('/v1/phone-numbers/+442079460001/diagnosis?channel=sms')).json()
    expect(landline.diagnosis.causes[0]).toMatchObject({
      id: 'number_not_sms_capable',
      suggested_channel: 'call',
    })
  })

  it('errors: unknown verification, bad query, missing or unknown key', async () => {
    const missing = await get('/v1/verifications/ver_nope/diagnosis')
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('VERIFICATION_NOT_FOUND')
    expect((await get('/v1/phone-numbers/+447700900123/diagnosis?limit=0')).statusCode).toBe(400)
    expect((await get('/v1/phone-numbers/+447700900123/diagnosis?limit=11')).statusCode).toBe(400)
    expect((await get('/v1/phone-numbers/+447700900123/diagnosis?channel=fax')).statusCode).toBe(400)
    expect((await get('/v1/phone-numbers/+447700900123/diagnosis?other=1')).statusCode).toBe(400)
    for (const url of ['/v1/verifications/ver_x/diagnosis', '/v1/phone-numbers/+447700900123/diagnosis']) {
      const none = await t.app.inject({ method: 'GET', url })
      expect(none.statusCode).toBe(401)
      expect(none.json().error.code).toBe('UNAUTHORIZED')
      const unknown = await t.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer hello' } })
      expect(unknown.statusCode).toBe(401)
    }
  })

  it('is documented in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(spec.paths['/v1/verifications/{id}/diagnosis']?.get).toBeDefined()
    expect(spec.paths['/v1/phone-numbers/{number}/diagnosis']?.get).toBeDefined()
  })
})
