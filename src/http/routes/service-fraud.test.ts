/**
 * A service's own fraud-guard settings through the admin API: set, shown, validated (422
 * FRAUD_SETTINGS_INVALID with the field), audited with the key, reset to the configuration, and
 * obeyed by the guard (mode and per-country daily caps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../../test/helpers/test-database.js'
import { buildTestApp, createTestService } from '../../../test/helpers/test-deps.js'

describe.each(DIALECTS)('PATCH /v1/services/:id fraud settings (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  beforeAll(async () => {
    // The configured default: enforce, and a burst of 3 unconverted starts blocks a range.
    t = await buildTestApp({
      dialect,
      config: { fraud: { unprovenRangeStarts: 3, countryDailyCaps: { FR: 1000 } } },
    })
  })
  afterAll(async () => t?.close())

  const patch = (id: string, payload: unknown) =>
    t.app.inject({
      method: 'PATCH',
      url: `/v1/services/${id}`,
      headers: t.auth(),
      payload: payload as object,
    })
  const start = (serviceId: string, to: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(),
      payload: { service_id: serviceId, to },
    })

  it('shows null fields (the configuration decides) until set; a PATCH changes only what it sends', async () => {
    const svc = await createTestService(t.deps)
    const fetched = await t.app.inject({ method: 'GET', url: `/v1/services/${svc.id}`, headers: t.auth() })
    expect(fetched.json().fraud).toEqual({ mode: null, country_daily_caps: null })
    const set = await patch(svc.id, { fraud: { mode: 'shadow', country_daily_caps: { GB: 5000 } } })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json().fraud).toEqual({ mode: 'shadow', country_daily_caps: { GB: 5000 } })
    const modeOnly = await patch(svc.id, { fraud: { mode: 'off' } })
    expect(modeOnly.json().fraud).toEqual({ mode: 'off', country_daily_caps: { GB: 5000 } })
    const reset = await patch(svc.id, { fraud: null })
    expect(reset.json().fraud).toEqual({ mode: null, country_daily_caps: null })
  })

  it('refuses unusable values with 422 FRAUD_SETTINGS_INVALID naming the field, and changes nothing', async () => {
    const svc = await createTestService(t.deps)
    const cases: [unknown, string][] = [
      [{ mode: 'block' }, 'fraud.mode'],
      [{ country_daily_caps: { XX: 5 } }, 'fraud.country_daily_caps.XX'],
      [{ country_daily_caps: { gb: 5 } }, 'fraud.country_daily_caps.gb'],
      [{ country_daily_caps: { GB: 0 } }, 'fraud.country_daily_caps.GB'],
      [{ country_daily_caps: { GB: 2.5 } }, 'fraud.country_daily_caps.GB'],
    ]
    for (const [fraud, field] of cases) {
      const res = await patch(svc.id, { fraud })
      expect(res.statusCode, JSON.stringify(fraud)).toBe(422)
      expect(res.json().error.code).toBe('FRAUD_SETTINGS_INVALID')
      expect(res.json().error.field).toBe(field)
    }
    // A wrong JSON type is the schema's, as everywhere in the API.
    const typed = await patch(svc.id, { fraud: { country_daily_caps: { GB: 'many' } } })
    expect(typed.statusCode).toBe(400)
    expect(typed.json().error.code).toBe('VALIDATION_FAILED')
    expect((await t.deps.services.load(svc.id)).fraud ?? null).toBeNull()
  })

  it('can be given when the service is created', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Shadowed', fraud: { mode: 'shadow' } },
    })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().fraud).toEqual({ mode: 'shadow', country_daily_caps: null })
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Bad', fraud: { mode: 'loud' } },
    })
    expect(refused.statusCode).toBe(422)
    expect(refused.json().error.code).toBe('FRAUD_SETTINGS_INVALID')
  })

  it('is audited with the key and the settings it set', async () => {
    const svc = await createTestService(t.deps)
    await patch(svc.id, { fraud: { mode: 'shadow' } })
    const entry = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'service.update')
      .where('target', '=', svc.id)
      .executeTakeFirstOrThrow()
    expect(entry.actor).toMatch(/^api-key key_/)
    expect(entry.service_id).toBe(svc.id)
    expect(JSON.parse(entry.details).fraud).toEqual({ mode: 'shadow', country_daily_caps: null })
  })

  it("the guard obeys a service's mode: off lets a burst through where the default refuses it", async () => {
    const off = await createTestService(t.deps)
    const dflt = await createTestService(t.deps)
    await patch(off.id, { fraud: { mode: 'off' } })
    for (let i = 1; i <= 6; i++) expect((await start(off.id, `+44791117000${i}`)).statusCode).toBe(201)
    for (let i = 1; i <= 3; i++) expect((await start(dflt.id, `+44791118000${i}`)).statusCode).toBe(201)
    const refused = await start(dflt.id, '+447911180004')
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('FRAUD_SUSPECTED')
  })

  it("the guard obeys a service's own country caps, which replace the configured ones", async () => {
    const svc = await createTestService(t.deps)
    await patch(svc.id, { fraud: { country_daily_caps: { GB: 2 } } })
    expect((await start(svc.id, '+447911240001')).statusCode).toBe(201)
    expect((await start(svc.id, '+447911210001')).statusCode).toBe(201)
    const third = await start(svc.id, '+447911220001')
    expect(third.statusCode).toBe(403)
    expect(third.json().error.code).toBe('FRAUD_SUSPECTED')
    expect(third.json().error).toMatchObject({ reason: 'country_daily_cap', country: 'GB', cap: 2 })
    expect(third.json().error.message).toContain("service's own fraud settings")
    // The configured FR cap no longer applies to this service: its own caps replaced them.
    await patch(svc.id, { fraud: { country_daily_caps: {} } })
    expect((await start(svc.id, '+447911230001')).statusCode).toBe(201)
  })

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const text = JSON.stringify(doc)
    expect(text).toContain('country_daily_caps')
    expect(text).toContain('FRAUD_SETTINGS_INVALID')
  })
})
