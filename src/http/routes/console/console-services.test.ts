/**
 * The console's service pages: the fraud guard's mode and caps shown (own or configured), changed
 * by an admin with a reason through a CSRF-checked form (audited with the staff member), refused to
 * other roles and, for staff limited to services, another service answers 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStaff, type ConsoleBrowser, consoleSignIn } from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'

describe('console service pages: fraud guard settings', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let a: string
  let b: string
  let admin: ConsoleBrowser
  let support: ConsoleBrowser
  let scoped: ConsoleBrowser

  beforeAll(async () => {
    t = await buildTestApp({ config: { fraud: { countryDailyCaps: { FR: 1000 } } } })
    a = (await createTestService(t.deps, { name: 'Tenant A' })).id
    b = (await createTestService(t.deps, { name: 'Tenant B' })).id
    await addStaff(t.deps, 'root@example.com', 'admin')
    await addStaff(t.deps, 'sam@example.com', 'support')
    await t.deps.support.staff.add({
      email: 'a-admin@example.com',
      role: 'admin',
      password: 'correct horse battery',
      services: [a],
    })
    admin = await consoleSignIn(t.app, { email: 'root@example.com' })
    support = await consoleSignIn(t.app, { email: 'sam@example.com' })
    scoped = await consoleSignIn(t.app, { email: 'a-admin@example.com' })
  })
  afterAll(async () => t?.close())

  it('shows the configured mode and caps until the service has its own', async () => {
    const list = await admin.get('/console/services')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('Tenant A')
    expect(list.body).toContain('Tenant B')
    const page = await admin.get(`/console/services/${a}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/class="fraud-mode"><strong>enforce<\/strong> \(the configured mode\)/)
    expect(page.body).toContain('FR=1000')
    expect(page.body).toContain('name="csrf"')
  })

  it('an admin changes them with a reason: saved, obeyed by the API, audited with the staff member', async () => {
    const noReason = await admin.post(`/console/services/${a}/fraud`, {
      mode: 'shadow',
      country_daily_caps: '',
    })
    expect(noReason.statusCode).toBe(400)
    const saved = await admin.post(`/console/services/${a}/fraud`, {
      mode: 'shadow',
      country_daily_caps: 'GB=5000, de=200',
      reason: 'Ticket 12: campaign week',
    })
    expect(saved.statusCode).toBe(303)
    expect((await t.deps.services.load(a)).fraud).toEqual({
      mode: 'shadow',
      countryDailyCaps: { GB: 5000, DE: 200 },
    })
    const page = await admin.get(String(saved.headers.location))
    expect(page.body).toMatch(/<strong>shadow<\/strong> \(this service's own\)/)
    const api = await t.app.inject({ method: 'GET', url: `/v1/services/${a}`, headers: t.auth() })
    expect(api.json().fraud).toEqual({ mode: 'shadow', country_daily_caps: { GB: 5000, DE: 200 } })
    const entry = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'service.update')
      .where('actor', '=', 'root@example.com')
      .executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ target: a, service_id: a, reason: 'Ticket 12: campaign week' })
    expect(JSON.parse(entry.details)).toMatchObject({
      fraud: { mode: 'shadow', country_daily_caps: { GB: 5000, DE: 200 } },
      before: { mode: null, country_daily_caps: null },
    })
    // Back to the configuration: empty fields.
    await admin.post(`/console/services/${a}/fraud`, { mode: '', country_daily_caps: '', reason: 'over' })
    expect((await t.deps.services.load(a)).fraud ?? null).toBeNull()
  })

  it('refuses bad values (422 FRAUD_SETTINGS_INVALID), a missing CSRF token, and non-admins', async () => {
    const bad = await admin.post(`/console/services/${a}/fraud`, {
      mode: 'block',
      country_daily_caps: '',
      reason: 'x',
    })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().error.code).toBe('FRAUD_SETTINGS_INVALID')
    const badCaps = await admin.post(`/console/services/${a}/fraud`, {
      mode: '',
      country_daily_caps: 'GB=lots',
      reason: 'x',
    })
    expect(badCaps.statusCode).toBe(422)
    const noCsrf = await admin.post(
      `/console/services/${a}/fraud`,
      { mode: 'off', country_daily_caps: '', reason: 'x' },
      { csrf: null },
    )
    expect(noCsrf.statusCode).toBe(403)
    const asSupport = await support.post(`/console/services/${a}/fraud`, {
      mode: 'off',
      country_daily_caps: '',
      reason: 'x',
    })
    expect(asSupport.statusCode).toBe(403)
    expect((await support.get(`/console/services/${a}`)).body).not.toContain('/fraud" ')
    expect((await t.deps.services.load(a)).fraud?.mode ?? null).toBeNull()
  })

  it("staff limited to services see and change their own services only; another's is not found", async () => {
    const list = await scoped.get('/console/services')
    expect(list.body).toContain('Tenant A')
    expect(list.body).not.toContain('Tenant B')
    expect((await scoped.get(`/console/services/${b}`)).statusCode).toBe(404)
    const foreign = await scoped.post(`/console/services/${b}/fraud`, {
      mode: 'off',
      country_daily_caps: '',
      reason: 'x',
    })
    expect(foreign.statusCode).toBe(404)
    expect((await t.deps.services.load(b)).fraud ?? null).toBeNull()
    const own = await scoped.post(`/console/services/${a}/fraud`, {
      mode: 'enforce',
      country_daily_caps: 'none',
      reason: 'ours',
    })
    expect(own.statusCode).toBe(303)
    expect((await t.deps.services.load(a)).fraud).toEqual({ mode: 'enforce', countryDailyCaps: {} })
  })
})
