/** Console staff limited to services see and act on those services only; scoped API keys cannot open it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStaff, type ConsoleBrowser, consoleSignIn } from '../../../../test/helpers/console-session.js'
import { DIALECTS } from '../../../../test/helpers/test-database.js'
import {
  buildTestApp,
  codeFromInbox,
  createTestKey,
  createTestService,
  eventually,
} from '../../../../test/helpers/test-deps.js'
import { mintApiKey } from '../../../auth/api-key.js'

const NUMBER = '+447700900888'

describe('console: staff limited to services', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let verA: string
  let verB: string
  beforeAll(async () => {
    t = await buildTestApp()
    const a = await createTestService(t.deps, { name: 'Tenant A' })
    const b = await createTestService(t.deps, { name: 'Tenant B' })
    verA = (await t.deps.verifier.start({ serviceId: a.id, to: NUMBER, channel: 'sms' })).verification.id
    verB = (await t.deps.verifier.start({ serviceId: b.id, to: NUMBER, channel: 'sms' })).verification.id
    await t.deps.support.staff.add({
      email: 'a-support@example.com',
      role: 'support',
      password: 'correct horse battery',
      services: [a.id],
    })
  })
  afterAll(async () => t.close())

  it("shows only the member's services' verifications and refuses the others'", async () => {
    const member = await consoleSignIn(t.app, { email: 'a-support@example.com' })
    const found = await member.post('/console/search', { q: NUMBER })
    const location = String(found.headers.location ?? '')
    const page = location ? await member.get(location) : found
    expect(page.body).toContain(verA)
    expect(page.body).not.toContain(verB)
    const cancelB = await member.post(`/console/verifications/${verB}/cancel`, { reason: 'x' })
    expect(cancelB.statusCode).toBe(404)
    expect((await t.deps.verifier.get(verB)).status).toBe('pending')
    const cancelA = await member.post(`/console/verifications/${verA}/cancel`, { reason: 'asked' })
    expect(cancelA.statusCode).toBe(303)
    const ref = /ref=([^&#]+)/.exec(location || String(cancelA.headers.location))?.[1]
    const safe = await member.post('/console/person/safe-list', {
      ref: decodeURIComponent(ref ?? ''),
      op: 'add',
      reason: 'x',
    })
    expect(safe.statusCode).toBe(403)
  })

  it("finds the member's verification of a number behind many newer ones of another service", async () => {
    // The person page lists a number's newest verifications. Picked across every service and
    // then narrowed, a busy other tenant pushed the member's own out of the list: the page said
    // the number had no verifications at all, and its diagnosis left out the member's limits.
    const deps = await buildTestApp({
      config: { limits: { sendsPerDestination: { points: 1000, durationSeconds: 600 } } },
    })
    try {
      const a = await createTestService(deps.deps, { name: 'Quiet tenant' })
      const b = await createTestService(deps.deps, { name: 'Busy tenant' })
      const own = (await deps.deps.verifier.start({ serviceId: a.id, to: NUMBER, channel: 'sms' }))
        .verification
      const others: string[] = []
      for (let i = 0; i < 25; i++) {
        deps.clock.advance(1000)
        const v = (await deps.deps.verifier.start({ serviceId: b.id, to: NUMBER, channel: 'sms' }))
          .verification
        await deps.deps.verifier.cancel(v.id)
        others.push(v.id)
      }
      await addStaff(deps.deps, 'quiet@example.com', 'support', { services: [a.id] })
      const member = await consoleSignIn(deps.app, { email: 'quiet@example.com' })
      const found = await member.post('/console/search', { q: NUMBER })
      const page = await member.get(String(found.headers.location))
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain(own.id)
      for (const id of others) expect(page.body).not.toContain(id)
      expect(page.body).not.toContain('Busy tenant')
      // A member whose services never verified the number is told so, not that nobody ever did.
      const empty = await createTestService(deps.deps, { name: 'Empty tenant' })
      await addStaff(deps.deps, 'empty@example.com', 'viewer', { services: [empty.id] })
      const outsider = await consoleSignIn(deps.app, { email: 'empty@example.com' })
      const none = await outsider.get(String(found.headers.location))
      expect(none.body).toContain('None of your services has a verification of this destination on record.')
      expect(none.body).not.toContain(own.id)
    } finally {
      await deps.close()
    }
  })

  it('an admin API key limited to services cannot open the console', async () => {
    const { key, token } = mintApiKey('tenant', ['admin'], t.clock.now(), ['svc_x'])
    await t.deps.stores.apiKeys.insert(key)
    await expect(consoleSignIn(t.app, { apiKey: token })).rejects.toThrow(/sign-in failed: 401/)
  })
})

describe.each(DIALECTS)('console: every page narrowed for staff limited to services (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let a: string
  let b: string
  let member: ConsoleBrowser
  let admin: ConsoleBrowser
  const VER_NUMBER = '+447700900777'
  const fraudKeyOf = (body: string, range: string) =>
    [...body.matchAll(/name="key" value="([^"]+)"/g)]
      .map((m) => m[1]!.replaceAll('&#124;', '|'))
      .find((k) => k.includes(range))

  beforeAll(async () => {
    t = await buildTestApp({ dialect, config: { fraud: { unprovenRangeStarts: 3 } } })
    a = (await createTestService(t.deps, { name: 'Tenant A' })).id
    b = (await createTestService(t.deps, { name: 'Tenant B' })).id
    t.deps.dispatcher.start()
    // Analytics: A has 1 start (approved), B has 4 (none approved).
    const va = await t.deps.verifier.start({ serviceId: a, to: VER_NUMBER, channel: 'sms' })
    const code = await eventually(() => codeFromInbox(t.deps, VER_NUMBER))
    await t.deps.verifier.check({ verificationId: va.verification.id, code })
    for (const to of ['+447911130001', '+447911130002', '+447911130003'])
      await t.deps.verifier.start({ serviceId: b, to, channel: 'sms' })
    await expect(
      t.deps.verifier.start({ serviceId: b, to: '+447911130004', channel: 'sms' }),
    ).rejects.toMatchObject({ code: 'FRAUD_SUSPECTED' })
    await t.deps.verifier.start({ serviceId: b, to: VER_NUMBER, channel: 'sms' })
    // A fraud block of A's own.
    for (const to of ['+447911120001', '+447911120002', '+447911120003'])
      await t.deps.verifier.start({ serviceId: a, to, channel: 'sms' })
    await expect(
      t.deps.verifier.start({ serviceId: a, to: '+447911120004', channel: 'sms' }),
    ).rejects.toMatchObject({ code: 'FRAUD_SUSPECTED' })
    await t.deps.support.staff.add({
      email: 'a-admin@example.com',
      role: 'admin',
      password: 'correct horse battery',
      services: [a],
    })
    await addStaff(t.deps, 'root@example.com', 'admin')
    member = await consoleSignIn(t.app, { email: 'a-admin@example.com' })
    admin = await consoleSignIn(t.app, { email: 'root@example.com' })
  })
  afterAll(async () => t?.close())

  const report = async (browser: ConsoleBrowser, query = '') => {
    // The window ends at now (exclusive): let the test clock move past the starts.
    t.clock.advance(1000)
    const res = await browser.get(`/console/analytics.json?window=24h&group_by=none${query}`)
    return { status: res.statusCode, body: res.json() as { totals: { started: number; verified: number } } }
  }

  it("analytics: the member counts their services' traffic only; another service's id is not found", async () => {
    expect((await report(member)).body.totals).toMatchObject({ started: 4, verified: 1 })
    expect((await report(member, `&service_id=${a}`)).body.totals).toMatchObject({ started: 4 })
    expect((await report(member, `&service_id=${b}`)).status).toBe(404)
    expect((await report(admin)).body.totals).toMatchObject({ started: 8, verified: 1 })
    expect((await report(admin, `&service_id=${b}`)).body.totals).toMatchObject({ started: 4, verified: 0 })
  })

  it("analytics page: only the alerts the member's services were part of", async () => {
    const alert = (id: string, key: string, services: string[]) => ({
      id,
      kind: 'delivery_rate_drop',
      dimension: 'country',
      key,
      status: 'open',
      open_key: `delivery_rate_drop|country|${key}`,
      baseline_rate: 0.95,
      baseline_samples: 100,
      recent_rate: 0.4,
      recent_samples: 40,
      recovered_rate: null,
      service_ids: JSON.stringify(services),
      opened_at: t.clock.now(),
      recovered_at: null,
      updated_at: t.clock.now(),
    })
    await t.deps.db
      .insertInto('alerts')
      .values([alert('alr_onlyb', 'ZA', [b]), alert('alr_both', 'PH', [a, b])])
      .execute()
    const mine = await member.get('/console/analytics')
    expect(mine.body).toContain('<strong>PH</strong>')
    expect(mine.body).not.toContain('<strong>ZA</strong>')
    const all = await admin.get('/console/analytics')
    expect(all.body).toContain('<strong>ZA</strong>')
    expect(all.body).toContain('<strong>PH</strong>')
  })

  it("search and person: another service's verification and refusals are not shown", async () => {
    const vb = (await t.deps.stores.verifications.listByDestination(VER_NUMBER, 10)).find(
      (v) => v.serviceId === b,
    )!
    const byId = await member.post('/console/search', { q: vb.id })
    expect(byId.statusCode).toBe(404)
    expect((await admin.post('/console/search', { q: vb.id })).statusCode).toBe(303)
    const found = await member.post('/console/search', { q: VER_NUMBER })
    const person = await member.get(String(found.headers.location))
    expect(person.statusCode).toBe(200)
    const va = (await t.deps.stores.verifications.listByDestination(VER_NUMBER, 10)).find(
      (v) => v.serviceId === a,
    )!
    expect(person.body).toContain(va.id)
    expect(person.body).not.toContain(vb.id)
    expect(person.body).not.toContain('Tenant B')
    const asAdmin = await admin.get(String(found.headers.location))
    expect(asAdmin.body).toContain(vb.id)
    expect(asAdmin.body).toContain(va.id)
  })

  it("fraud guard: the member sees and lifts their services' blocks only", async () => {
    const page = await member.get('/console/fraud')
    expect(page.body).toContain('+44791112')
    expect(page.body).not.toContain('+44791113')
    const all = await admin.get('/console/fraud')
    expect(all.body).toContain('+44791113')
    const foreign = fraudKeyOf(all.body, '+44791113')!
    const refused = await member.post('/console/fraud/lift', { key: foreign, reason: 'mine?' })
    expect(refused.statusCode).toBe(404)
    const own = fraudKeyOf(page.body, '+44791112')!
    expect((await member.post('/console/fraud/lift', { key: own, reason: 'ticket 9' })).statusCode).toBe(303)
  })

  it("audit log: the member reads their services' entries and their own, not another service's", async () => {
    const vb = (await t.deps.stores.verifications.listByDestination(VER_NUMBER, 10)).find(
      (v) => v.serviceId === b,
    )!
    expect(
      (await admin.post(`/console/verifications/${vb.id}/cancel`, { reason: 'B ticket' })).statusCode,
    ).toBe(303)
    const token = await createTestKey(t.deps)
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/services/${b}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { name: 'Tenant B renamed' },
    })
    expect(patched.statusCode).toBe(200)
    const mine = await member.get('/console/audit')
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain('ticket 9') // the member's own fraud lift, on service A
    expect(mine.body).not.toContain('B ticket')
    expect(mine.body).not.toMatch(/<code class="muted">service\.update<\/code>/)
    expect(mine.body).not.toContain('root@example.com')
    const everything = await admin.get('/console/audit')
    expect(everything.body).toContain('B ticket')
    expect(everything.body).toContain('ticket 9')
    expect(everything.body).toMatch(/<code class="muted">service\.update<\/code>/)
  })

  it('staff management is refused to an admin limited to services', async () => {
    expect((await member.get('/console/staff')).statusCode).toBe(403)
    const add = await member.post('/console/staff', {
      email: 'new@example.com',
      role: 'admin',
      password: 'correct horse battery',
      reason: 'x',
    })
    expect(add.statusCode).toBe(403)
    expect((await admin.get('/console/staff')).statusCode).toBe(200)
  })
})
