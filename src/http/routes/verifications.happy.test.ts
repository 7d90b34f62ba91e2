/** The curl walk-through of the README, through the HTTP app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, eventually } from '../../../test/helpers/test-deps.js'

describe('verifications API: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp()
    t.deps.dispatcher.start()
  })
  afterAll(async () => t.close())

  it('creates a service, starts an SMS verification, reads the inbox, checks the code, sees approved', async () => {
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Acme Exchange', brand_name: 'Acme' },
    })
    expect(svc.statusCode).toBe(201)
    const service = svc.json()
    expect(service).toMatchObject({
      name: 'Acme Exchange',
      code_length: 6,
      code_ttl_seconds: 600,
      max_check_attempts: 5,
      max_sends: 5,
    })

    const started = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: service.id, to: '+44 7700 900123', channel: 'sms' },
    })
    expect(started.statusCode).toBe(201)
    const v = started.json()
    expect(v).toMatchObject({
      status: 'pending',
      to: '+447700900123',
      channel: 'sms',
      country: 'GB',
      attempts_left: 5,
      sends_left: 4,
    })
    expect(v.id).toMatch(/^ver_/)

    const inbox = await eventually(async () => {
      const r = await t.app.inject({ method: 'GET', url: '/v1/simulator/messages?to=%2B447700900123' })
      return r.json().data.length > 0 ? r.json() : undefined
    })
    expect(inbox.data[0].body).toContain('Acme')
    expect(inbox.data[0].body).toMatch(/Do not share/)
    const code = inbox.data[0].body.match(/\b(\d{6})\b/)[1]

    const checked = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${v.id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code },
    })
    expect(checked.statusCode).toBe(200)
    expect(checked.json().status).toBe('approved')

    const fetched = await t.app.inject({
      method: 'GET',
      url: `/v1/verifications/${v.id}`,
      headers: t.auth(t.readKey),
    })
    expect(fetched.json().status).toBe('approved')
    expect(fetched.json().messages[0]).toMatchObject({
      status: 'delivered',
      delivery: 'delivered',
      provider: 'simulator',
      route: 'simulator:sms:*',
    })

    const events = await t.app.inject({
      method: 'GET',
      url: `/v1/verifications/${v.id}/events`,
      headers: t.auth(t.readKey),
    })
    expect(events.json().data.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'delivered',
      'approved',
    ])
  })

  it('honours Idempotency-Key', async () => {
    const svc = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Idem' },
      })
    ).json()
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/verifications',
        headers: { ...t.auth(t.verifyKey), 'idempotency-key': 'abc-123' },
        payload: { service_id: svc.id, to: '+447700900555' },
      })
    const a = await send()
    const b = await send()
    expect(a.statusCode).toBe(201)
    expect(b.statusCode).toBe(200)
    expect(b.headers['idempotent-replayed']).toBe('true')
    expect(b.json().id).toBe(a.json().id)
  })

  it('checks by destination and cancels', async () => {
    const svc = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'ByDest', code_length: 8 },
      })
    ).json()
    const v = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/verifications',
        headers: t.auth(t.verifyKey),
        payload: { service_id: svc.id, to: '07700 900777', default_country: 'GB' },
      })
    ).json()
    expect(v.to).toBe('+447700900777')
    expect(v.code_length).toBe(8)
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications/check',
      headers: t.auth(t.verifyKey),
      payload: { service_id: svc.id, to: '+447700900777', code: '00000000' },
    })
    expect([422, 200]).toContain(wrong.statusCode)
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${v.id}/cancel`,
      headers: t.auth(t.verifyKey),
    })
    expect(cancel.json().status).toBe('canceled')
  })

  it('analyses a phone number on its own', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/v1/phone-numbers/+44%2007700%20900123',
      headers: t.auth(t.readKey),
    })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({
      valid: false,
      problem: { reason: 'trunk_prefix_after_country_code' },
      suggestion: { e164: '+447700900123' },
    })
  })

  it('serves the OpenAPI document and health', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json' })
    expect(doc.statusCode).toBe(200)
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining([
        '/v1/verifications',
        '/v1/verifications/{id}/check',
        '/v1/phone-numbers/{number}',
      ]),
    )
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' })
  })
})
