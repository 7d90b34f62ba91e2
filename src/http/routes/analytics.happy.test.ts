/** GET /v1/analytics/summary and /v1/analytics/alerts answer with the known figures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/helpers/test-database.js'
import { buildTestApp, createTestService } from '../../../test/helpers/test-deps.js'
import { HOUR, KNOWN, seedKnownHistory, T0, WINDOW } from '../../analytics/analytics-store.contract.js'

describe.each(DIALECTS)('GET /v1/analytics/* (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceA: string
  beforeAll(async () => {
    t = await buildTestApp({ dialect })
    serviceA = (await createTestService(t.deps, { name: 'A' })).id
    const serviceB = (await createTestService(t.deps, { name: 'B' })).id
    await seedKnownHistory(t.deps.db, { A: serviceA, B: serviceB })
    t.clock.set(WINDOW.to)
  })
  afterAll(async () => t?.close())

  it('window=24h ends now and groups by country, with a read key', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/summary?window=24h&group_by=country',
      headers: t.auth(t.readKey),
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.window).toEqual({
      from: new Date(WINDOW.from).toISOString(),
      to: new Date(WINDOW.to).toISOString(),
    })
    expect(body.group_by).toBe('country')
    expect(body.totals).toEqual(KNOWN.totals)
    expect(body.groups).toEqual([
      { key: 'GB', ...KNOWN.country.GB },
      { key: 'US', ...KNOWN.country.US },
    ])
    expect(body.series).toHaveLength(24)
    expect(body.series[5]).toEqual({ at: new Date(T0 + 5 * HOUR).toISOString(), ...KNOWN.series[5] })
  })

  it('from/to and service_id', async () => {
    const from = new Date(WINDOW.from).toISOString()
    const to = new Date(WINDOW.to).toISOString()
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/analytics/summary?from=${from}&to=${to}&group_by=route&service_id=${serviceA}`,
      headers: t.auth(t.verifyKey),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().totals).toEqual(KNOWN.country.GB)
    expect(res.json().groups.map((g: { key: string }) => g.key)).toEqual(['twilio:sms:GB'])
  })

  it('defaults: 24 h, no grouping', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/analytics/summary', headers: t.auth() })
    expect(res.statusCode).toBe(200)
    expect(res.json().group_by).toBe('none')
    expect(res.json().groups).toEqual([])
    expect(res.json().totals.started).toBe(10)
  })

  it('alerts: newest first, empty at first', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/alerts?limit=5',
      headers: t.auth(t.readKey),
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ data: [] })
  })

  it('webhook endpoints can subscribe to alert events; they are not in the default events', async () => {
    const svc = await createTestService(t.deps, { name: 'Hooked' })
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${svc.id}/webhook`,
      headers: t.auth(),
      payload: { url: 'https://app.example/hooks' },
    })
    expect(put.statusCode).toBe(201)
    expect(put.json().events.some((e: string) => e.startsWith('alert.'))).toBe(false)
    const events = [
      'verification.approved',
      'alert.delivery_rate_drop',
      'alert.conversion_rate_drop',
      'alert.recovered',
    ]
    const update = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${svc.id}/webhook`,
      headers: t.auth(),
      payload: { url: 'https://app.example/hooks', events },
    })
    expect(update.statusCode).toBe(200)
    expect(update.json().events).toEqual(events)
  })

  it('is in the OpenAPI document under the analytics tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.paths['/v1/analytics/summary'].get.tags).toEqual(['analytics'])
    expect(doc.paths['/v1/analytics/alerts'].get.tags).toEqual(['analytics'])
  })
})
