/** Bad windows, groups and limits are 400 VALIDATION_FAILED naming the field; an unknown service is 404. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../../../test/helpers/test-deps.js'

describe('GET /v1/analytics/* errors', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  const cases: Array<[string, string, string | null]> = [
    ['unknown window', 'window=2h', 'window'],
    ['unknown group', 'group_by=city', 'group_by'],
    ['window and from together', 'window=1h&from=2026-01-01', 'window'],
    ['to without from', 'to=2026-01-01', 'from'],
    ['from not a date', 'from=yesterday', 'from'],
    ['from without a zone', 'from=2026-01-01T10:00:00', 'from'],
    ['to not a date', 'from=2026-01-01&to=2026-13-45', 'to'],
    ['from after to', 'from=2026-01-02&to=2026-01-01', 'from'],
    ['from equal to to', 'from=2026-01-01&to=2026-01-01T00:00:00Z', 'from'],
    ['range over 400 days', 'from=2024-01-01&to=2026-01-01', 'from'],
    ['unknown parameter', 'country=GB', null],
  ]
  for (const [name, query, field] of cases) {
    it(`${name} -> 400`, async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/analytics/summary?${query}`,
        headers: t.auth(t.readKey),
      })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
      if (field) expect(res.json().error.field ?? res.json().error.details?.field).toBe(field)
      expect(res.json().error.message.length).toBeGreaterThan(10)
    })
  }

  it('names the allowed values', async () => {
    const w = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/summary?window=2h',
      headers: t.auth(t.readKey),
    })
    expect(w.json().error.message).toBe('window must be one of 1h, 24h, 7d, 30d (or use from/to).')
    const g = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/summary?group_by=city',
      headers: t.auth(t.readKey),
    })
    expect(g.json().error.message).toBe('group_by must be one of country, provider, route, channel, none.')
  })

  it('unknown service -> 404 SERVICE_NOT_FOUND', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/analytics/summary?service_id=svc_nope',
      headers: t.auth(t.readKey),
    })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('SERVICE_NOT_FOUND')
  })

  for (const limit of ['0', '501', 'ten', '-1']) {
    it(`alerts limit=${limit} -> 400`, async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/analytics/alerts?limit=${limit}`,
        headers: t.auth(t.readKey),
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    })
  }
})
