/** Every refusal of the account recovery endpoints is a 4xx with a stable code and the envelope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

type Res = Awaited<ReturnType<Awaited<ReturnType<typeof buildTestApp>>['app']['inject']>>

describe('account recovery API: errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  let n = 0
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
    expect(body.error.request_id).toMatch(/^req_/)
    return body.error as Record<string, unknown>
  }
  const post = (url: string, payload?: object, key = t.adminKey) =>
    t.app.inject({ method: 'POST', url, headers: t.auth(key), ...(payload === undefined ? {} : { payload }) })
  const validRequest = { reason: 'lost all', requested_by: 'agent', contacts: { phones: ['+447700900400'] } }
  const open = async () => {
    const res = await post(
      `/v1/services/${serviceId}/entities/user-${++n}/recovery`,
      validRequest,
      t.verifyKey,
    )
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }

  it('validates the request body', async () => {
    const url = `/v1/services/${serviceId}/entities/user-x/recovery`
    for (const payload of [
      {},
      { ...validRequest, reason: '' },
      { reason: 'r', contacts: { phones: ['+447700900400'] } },
      { ...validRequest, contacts: {} },
      { ...validRequest, contacts: { phones: [] } },
      { ...validRequest, contacts: { phones: ['07700 900400'] } },
      { ...validRequest, contacts: { emails: ['not-an-email'] } },
      { ...validRequest, contacts: { phones: ['+447700900400'], fax: ['1'] } },
      { ...validRequest, extra: true },
    ]) {
      expectEnvelope(await post(url, payload, t.verifyKey), 400, 'VALIDATION_FAILED')
    }
  })

  it('needs a reason and an actor for every action', async () => {
    const caseId = await open()
    expectEnvelope(
      await post(`/v1/recovery/${caseId}/approve`, { approved_by: 'lead' }),
      400,
      'VALIDATION_FAILED',
    )
    expectEnvelope(await post(`/v1/recovery/${caseId}/approve`, { reason: 'ok' }), 400, 'VALIDATION_FAILED')
    expectEnvelope(
      await post(`/v1/recovery/${caseId}/cancel`, { canceled_by: 'lead', reason: '' }),
      400,
      'VALIDATION_FAILED',
    )
    expectEnvelope(await post(`/v1/recovery/${caseId}/complete`), 400, 'VALIDATION_FAILED')
  })

  it('answers SERVICE_NOT_FOUND and RECOVERY_NOT_FOUND', async () => {
    expectEnvelope(
      await post('/v1/services/svc_missing/entities/u/recovery', validRequest, t.verifyKey),
      404,
      'SERVICE_NOT_FOUND',
    )
    expectEnvelope(
      await post('/v1/recovery/rec_missing/approve', { approved_by: 'a', reason: 'r' }),
      404,
      'RECOVERY_NOT_FOUND',
    )
    expectEnvelope(
      await post('/v1/recovery/rec_missing/cancel', { canceled_by: 'a', reason: 'r' }),
      404,
      'RECOVERY_NOT_FOUND',
    )
    expectEnvelope(
      await post('/v1/recovery/rec_missing/complete', { completed_by: 'a', reason: 'r' }),
      404,
      'RECOVERY_NOT_FOUND',
    )
    expectEnvelope(
      await t.app.inject({ method: 'GET', url: '/v1/recovery/rec_missing', headers: t.auth(t.readKey) }),
      404,
      'RECOVERY_NOT_FOUND',
    )
  })

  it('refuses to complete during the cooling-off, with retry_after', async () => {
    const caseId = await open()
    const early = await post(`/v1/recovery/${caseId}/complete`, { completed_by: 'lead', reason: 'now' })
    expect(expectEnvelope(early, 409, 'RECOVERY_NOT_PENDING')).toMatchObject({ status: 'pending_approval' })
    await post(`/v1/recovery/${caseId}/approve`, { approved_by: 'lead', reason: 'ok' })
    t.clock.advance(3600_000)
    const res = await post(`/v1/recovery/${caseId}/complete`, { completed_by: 'lead', reason: 'now' })
    const err = expectEnvelope(res, 409, 'RECOVERY_COOLING_OFF')
    expect(err.retry_after).toBe(82_800)
    expect(res.headers['retry-after']).toBe('82800')
  })

  it('refuses steps that do not fit the status with RECOVERY_NOT_PENDING', async () => {
    const caseId = await open()
    await post(`/v1/recovery/${caseId}/approve`, { approved_by: 'lead', reason: 'ok' })
    const again = await post(`/v1/recovery/${caseId}/approve`, { approved_by: 'lead', reason: 'ok' })
    expect(expectEnvelope(again, 409, 'RECOVERY_NOT_PENDING')).toMatchObject({ status: 'cooling_off' })
    await post(`/v1/recovery/${caseId}/cancel`, { canceled_by: 'lead', reason: 'stop' })
    expectEnvelope(
      await post(`/v1/recovery/${caseId}/cancel`, { canceled_by: 'lead', reason: 'stop' }),
      409,
      'RECOVERY_NOT_PENDING',
    )
    t.clock.advance(2 * 86_400_000)
    expectEnvelope(
      await post(`/v1/recovery/${caseId}/complete`, { completed_by: 'lead', reason: 'go' }),
      409,
      'RECOVERY_NOT_PENDING',
    )
  })
})
