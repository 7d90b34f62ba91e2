/** Bad input of every kind gets a 4xx with a stable code and the envelope; never a 5xx. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('verifications API: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
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

  const post = (payload: string | object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: { ...t.auth(t.verifyKey), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })

  const expectEnvelope = (
    res: { statusCode: number; json(): { error: Record<string, unknown> }; headers: Record<string, unknown> },
    status: number,
    code: string,
  ) => {
    expect(res.statusCode).toBe(status)
    const body = res.json()
    expect(body.error.code).toBe(code)
    expect(typeof body.error.message).toBe('string')
    expect(body.error.request_id).toMatch(/^req_/)
    expect(res.headers['x-request-id']).toBe(body.error.request_id)
    return body.error
  }

  it.each([
    ['malformed JSON', '{"service_id": "x", "to": ', 400, 'BODY_MALFORMED'],
    ['empty body', '', 400, 'BODY_MALFORMED'],
    ['an array', '[1,2,3]', 400, 'VALIDATION_FAILED'],
    ['a string', '"hello"', 400, 'VALIDATION_FAILED'],
    ['null', 'null', 400, 'VALIDATION_FAILED'],
  ])('%s -> %s', async (_name, payload, status, code) => {
    expectEnvelope(await post(payload), status, code)
  })

  it('wrong types are refused, not coerced', async () => {
    const err = expectEnvelope(
      await post({ service_id: serviceId, to: 447700900123 }),
      400,
      'VALIDATION_FAILED',
    )
    expect(err.field).toBe('to')
  })

  it('unknown fields are refused and named', async () => {
    const err = expectEnvelope(
      await post({ service_id: serviceId, to: '+447700900123', cod: 1 }),
      400,
      'VALIDATION_FAILED',
    )
    expect(err.field).toBe('cod')
  })

  it('missing fields are named', async () => {
    const err = expectEnvelope(await post({ service_id: serviceId }), 400, 'VALIDATION_FAILED')
    expect(err.field).toBe('to')
  })

  it('an unknown channel is refused', async () => {
    expectEnvelope(
      await post({ service_id: serviceId, to: '+447700900123', channel: 'pigeon' }),
      400,
      'VALIDATION_FAILED',
    )
  })

  it('oversized bodies get 413', async () => {
    expectEnvelope(await post({ service_id: serviceId, to: 'x'.repeat(40_000) }), 413, 'BODY_TOO_LARGE')
  })

  it('unsupported media types get 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: { ...t.auth(t.verifyKey), 'content-type': 'text/plain' },
      payload: 'to=+447700900123',
    })
    expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it.each([
    ['lone surrogate', '{"service_id":"svc_x","to":"\\ud800"}'],
    ['NUL character', '{"service_id":"svc_x","to":"+44\\u00007700"}'],
    ['emoji number', JSON.stringify({ service_id: 'svc_x', to: '📞📞📞' })],
    ['right-to-left junk', JSON.stringify({ service_id: 'svc_x', to: '\u202e\u202d+44' })],
  ])('unicode junk (%s) gets a 4xx', async (_n, payload) => {
    const res = await post(payload.replace('svc_x', serviceId))
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(res.json().error.code).toMatch(/VALIDATION_FAILED|PHONE_NUMBER_INVALID/)
  })

  it('unicode junk in a service name gets a 4xx', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      payload: '{"name":"bad\\udc00name"}',
    })
    expectEnvelope(res, 400, 'VALIDATION_FAILED')
  })

  it('an invalid number says why and suggests the fix', async () => {
    const err = expectEnvelope(
      await post({ service_id: serviceId, to: '+44 07700 900123' }),
      400,
      'PHONE_NUMBER_INVALID',
    )
    expect(err.reason).toBe('trunk_prefix_after_country_code')
    expect((err.suggestion as { e164: string }).e164).toBe('+447700900123')
  })

  it('a national number without a country says so', async () => {
    const err = expectEnvelope(
      await post({ service_id: serviceId, to: '07700 900123' }),
      400,
      'PHONE_NUMBER_INVALID',
    )
    expect(err.reason).toBe('missing_country_code')
  })

  it('an unknown service is a 404', async () => {
    expectEnvelope(await post({ service_id: 'svc_nope', to: '+447700900123' }), 404, 'SERVICE_NOT_FOUND')
  })

  it('unknown verification ids are 404 on every verb', async () => {
    const h = t.auth(t.verifyKey)
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: '/v1/verifications/ver_nope', headers: h }),
      404,
      'VERIFICATION_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({
        method: 'POST',
        url: '/v1/verifications/ver_nope/check',
        headers: h,
        payload: { code: '123456' },
      }),
      404,
      'VERIFICATION_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({ method: 'POST', url: '/v1/verifications/ver_nope/resend', headers: h }),
      404,
      'VERIFICATION_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({ method: 'POST', url: '/v1/verifications/ver_nope/cancel', headers: h }),
      404,
      'VERIFICATION_NOT_FOUND',
    )
  })

  it('an unknown route is a 404 envelope', async () => {
    expectEnvelope(await t.app.inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'ROUTE_NOT_FOUND')
  })

  it('an empty Idempotency-Key is refused', async () => {
    expectEnvelope(
      await post({ service_id: serviceId, to: '+447700900123' }, { 'idempotency-key': '' }),
      400,
      'IDEMPOTENCY_KEY_INVALID',
    )
  })

  it('a bad service setting is refused with its field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'x', code_length: 12 },
    })
    expect(expectEnvelope(res, 400, 'VALIDATION_FAILED').field).toBe('code_length')
    const tpl = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'x', message_template: 'no code here' },
    })
    expect(expectEnvelope(tpl, 400, 'VALIDATION_FAILED').field).toBe('message_template')
  })
})
