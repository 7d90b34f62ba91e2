/** The console through the HTTP app: search in every form, person page, actions with reasons, audit filters, staff, analytics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addStaff, type ConsoleBrowser, consoleSignIn } from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>

describe('console (happy paths and input errors)', () => {
  let t: TestApp
  let admin: ConsoleBrowser
  let serviceId: string
  let verificationId: string
  const to = '+447700900501'

  const refOf = (location: unknown) => new URL(String(location), 'http://x').searchParams.get('ref') ?? ''

  beforeAll(async () => {
    t = await buildTestApp({ config: { limits: { resendCooldownSeconds: [0] } } })
    await addStaff(t.deps, 'admin@example.com', 'admin')
    admin = await consoleSignIn(t.app, { email: 'admin@example.com' })
    serviceId = (await createTestService(t.deps)).id
    verificationId = (await t.deps.verifier.start({ serviceId, to, channel: 'sms' })).verification.id
    await t.deps.verifier.start({ serviceId, to: 'Jane.Doe@Example.com', channel: 'email' })
  })
  afterAll(async () => t?.close())

  it('finds a person by E.164, national format with spaces or dashes, and by verification id; all lead to the same person', async () => {
    const destinations = new Set<string>()
    for (const q of [
      '+447700900501',
      '07700 900501',
      '07700-900-501',
      '(07700) 900501',
      '+44 7700 900501',
      verificationId,
    ]) {
      const res = await admin.post('/console/search', { q })
      expect(res.statusCode, q).toBe(303)
      expect(String(res.headers.location)).toMatch(/^\/console\/person\?ref=/)
      destinations.add(t.deps.keyring.decrypt(refOf(res.headers.location), 'verigate/console-person'))
    }
    expect([...destinations]).toEqual([to])
    const page = await admin.get(
      String((await admin.post('/console/search', { q: '07700 900501' })).headers.location),
    )
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('+44******0501')
    expect(page.body).not.toContain('7700900501')
    expect(page.body).toContain(verificationId)
    expect(page.body).toContain('send_requested')
  })

  it('finds an email (masked), an entity, and explains a search that is neither', async () => {
    const email = await admin.post('/console/search', { q: 'JANE.DOE@example.com' })
    const page = await admin.get(String(email.headers.location))
    expect(page.body).toContain('j*******@example.com')
    expect(page.body).not.toContain('jane.doe@')

    const entity = await admin.post('/console/search', { q: 'user-42' })
    expect(entity.headers.location).toBe('/console/entity?id=user-42')
    expect((await admin.get('/console/entity?id=user-42')).body).toContain('No service has factors')

    const bad = await admin.post('/console/search', { q: '07700 9' })
    expect(bad.statusCode).toBe(400)
    const missing = await admin.post('/console/search', { q: 'ver_000000000000000000000000' })
    expect(missing.statusCode).toBe(404)
    const tampered = await admin.get('/console/person?ref=k1%3Aforged')
    expect(tampered.statusCode).toBe(400)
    expect(tampered.json().error.details ?? tampered.json().error.field).toBeDefined()
  })

  it('every action endpoint answers 400 (VALIDATION_FAILED on reason) without a reason and changes nothing', async () => {
    const ref = refOf((await admin.post('/console/search', { q: to })).headers.location)
    const staffId = (await t.deps.db.selectFrom('staff').select('id').executeTakeFirstOrThrow()).id
    const endpoints: Array<[string, Record<string, string>]> = [
      ['/console/person/reveal', { ref }],
      ['/console/person/lift-limits', { ref }],
      ['/console/person/safe-list', { ref, op: 'add' }],
      [`/console/verifications/${verificationId}/resend`, { channel: 'call' }],
      [`/console/verifications/${verificationId}/cancel`, {}],
      ['/console/entities/recovery', { entity_id: 'user-1', service_id: serviceId }],
      ['/console/staff', { email: 'new@example.com', role: 'viewer', password: 'long enough password' }],
      [`/console/staff/${staffId}/role`, { role: 'viewer' }],
      [`/console/staff/${staffId}/disable`, {}],
    ]
    const before = await t.deps.db.selectFrom('audit_log').selectAll().execute()
    for (const [url, form] of endpoints) {
      for (const reason of [undefined, '  ']) {
        const res = await admin.post(url, reason === undefined ? form : { ...form, reason })
        expect(res.statusCode, url).toBe(400)
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' })
      }
    }
    expect(await t.deps.db.selectFrom('audit_log').selectAll().execute()).toEqual(before)
    expect((await t.deps.verifier.get(verificationId)).status).toBe('pending')
  })

  it('reveal shows the full number and is audited; resend on another channel and cancel redirect back with a notice', async () => {
    const ref = refOf((await admin.post('/console/search', { q: to })).headers.location)
    const revealed = await admin.post('/console/person/reveal', {
      ref,
      reason: 'Caller passed security questions',
    })
    expect(revealed.statusCode).toBe(200)
    expect(revealed.body).toContain('+447700900501')

    const resent = await admin.post(`/console/verifications/${verificationId}/resend`, {
      channel: 'call',
      reason: 'SMS not arriving',
    })
    expect(resent.statusCode).toBe(303)
    expect(String(resent.headers.location)).toMatch(/done=resent#ver_/)
    const bad = await admin.post(`/console/verifications/${verificationId}/resend`, {
      channel: 'pigeon',
      reason: 'x',
    })
    expect(bad.statusCode).toBe(400)
    const person = await admin.get(String(resent.headers.location).split('#')[0]!)
    expect(person.body).toContain('<option value="simulator:sms:*">simulator:sms:*</option>')
    const noRoute = await admin.post(`/console/verifications/${verificationId}/resend`, {
      route: 'nowhere:sms:*',
      reason: 'Try another route',
    })
    expect(noRoute.statusCode).toBe(400)
    expect(noRoute.body).toContain('simulator:sms:*')
    const canceled = await admin.post(`/console/verifications/${verificationId}/cancel`, {
      reason: 'Customer asked',
    })
    expect(canceled.statusCode).toBe(303)
    const notice = await admin.get(String(canceled.headers.location).split('#')[0]!)
    expect(notice.body).toContain('The verification was canceled.')
    // Acting on a finished verification: refused with its code, and that attempt is audited too.
    const again = await admin.post(`/console/verifications/${verificationId}/cancel`, {
      reason: 'Double click',
    })
    expect(again.statusCode).toBe(409)

    const log = await admin.get('/console/audit')
    for (const text of [
      'number.reveal',
      'Caller passed security questions',
      'verification.resend',
      'SMS not arriving',
      'verification.cancel',
      'VERIFICATION_NOT_PENDING',
      // In words, beside the code (and in the filter's options).
      'Revealed a full phone number',
      'Resent a code',
      'Cancelled a verification',
      '<option value="verification.cancel">Cancelled a verification</option>',
    ]) {
      expect(log.body, text).toContain(text)
    }
    // Details as "name: value" lines, not a line of JSON.
    expect(log.body).toMatch(/<pre>[a-z ]+: /)
    expect(log.body).not.toMatch(/<pre>\{&quot;/)
    expect(log.body).toContain('+44******0501')
    const filtered = await admin.get(`/console/audit?action=verification.cancel&target=${verificationId}`)
    expect([...filtered.body.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'verification.cancel',
      'verification.cancel',
    ])
    const byActor = await admin.get('/console/audit?actor=nobody%40example.com')
    expect(byActor.body).toContain('No entries match.')
    const byPhone = await admin.get('/console/audit?target=07700%20900501&action=number.reveal')
    expect([...byPhone.body.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1])).toEqual(['number.reveal'])
    expect((await admin.get('/console/audit?from=yesterday')).statusCode).toBe(400)
  })

  it('starts an account recovery for an entity (audited); the entity page then shows the case', async () => {
    const res = await admin.post('/console/entities/recovery', {
      entity_id: 'user-9',
      service_id: serviceId,
      phone: '07700 900502',
      reason: 'Lost phone and codes, ID checked',
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/console/entity?id=user-9&done=recovery_requested')
    const page = await admin.get(String(res.headers.location))
    expect(page.body).toContain('An account recovery case was opened')
    expect(page.body).toMatch(/rec_\w+<\/code> pending_approval/)
    const [c] = await t.deps.db
      .selectFrom('account_recovery_cases')
      .selectAll()
      .where('entity_id', '=', 'user-9')
      .execute()
    expect(c).toMatchObject({ requested_by: 'admin@example.com', reason: 'Lost phone and codes, ID checked' })
    expect(JSON.parse(c!.contacts).phones).toEqual(['+447700900502'])
    const [entry] = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'recovery.request')
      .execute()
    expect(entry).toMatchObject({
      actor: 'admin@example.com',
      target: 'user-9',
      reason: 'Lost phone and codes, ID checked',
    })
    const bad = await admin.post('/console/entities/recovery', {
      entity_id: 'user-9',
      service_id: 'svc_missing',
      reason: 'x',
    })
    expect(bad.json().error.code).toBe('SERVICE_NOT_FOUND')
  })

  it('admins add staff (who can then sign in), change roles and disable accounts, each audited', async () => {
    const add = await admin.post('/console/staff', {
      email: 'New.Person@example.com',
      role: 'support',
      password: 'a long initial password',
      reason: 'New hire, ticket 77',
    })
    expect(add.statusCode).toBe(303)
    const weak = await admin.post('/console/staff', {
      email: 'weak@example.com',
      role: 'support',
      password: 'short',
      reason: 'x',
    })
    expect(weak.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'password' })
    const dup = await admin.post('/console/staff', {
      email: 'new.person@example.com',
      role: 'support',
      password: 'a long initial password',
      reason: 'x',
    })
    expect(dup.json().error.code).toBe('STAFF_EMAIL_TAKEN')
    const member = await consoleSignIn(t.app, {
      email: 'new.person@example.com',
      password: 'a long initial password',
    })
    expect((await member.get('/console/search')).body).toContain('new.person@example.com')
    const id = (
      await t.deps.db
        .selectFrom('staff')
        .select('id')
        .where('email', '=', 'new.person@example.com')
        .executeTakeFirstOrThrow()
    ).id
    expect(
      (await admin.post(`/console/staff/${id}/role`, { role: 'viewer', reason: 'Moved team' })).statusCode,
    ).toBe(303)
    expect((await member.get('/console/search')).body).toContain('>viewer<')
    expect(
      (await admin.post(`/console/staff/${id}/disable`, { reason: 'Left the company' })).statusCode,
    ).toBe(303)
    expect((await member.get('/console/search')).statusCode).toBe(303)
    expect((await admin.post('/console/staff/stf_nobody/disable', { reason: 'x' })).json().error.code).toBe(
      'STAFF_NOT_FOUND',
    )
    const page = await admin.get('/console/staff')
    expect(page.body).toContain('new.person@example.com')
    const actions = (
      await t.deps.db.selectFrom('audit_log').select(['action', 'reason']).where('target', '=', id).execute()
    ).map((r) => [r.action, r.reason])
    expect(actions).toEqual(
      expect.arrayContaining([
        ['staff.add', 'New hire, ticket 77'],
        ['staff.role', 'Moved team'],
        ['staff.disable', 'Left the company'],
      ]),
    )
  })

  it('analytics: the page mounts the charts; the JSON endpoint validates window and group_by', async () => {
    const page = await admin.get('/console/analytics')
    expect(page.body).toContain(
      '<section id="analytics" data-endpoint="/console/analytics.json" data-window="24h" data-group-by="country"></section>',
    )
    expect(page.body).toContain('<script type="module" src="/assets/console.js"></script>')
    expect((await admin.get('/console/analytics.json?window=2h')).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'window',
    })
    expect((await admin.get('/console/analytics.json?group_by=planet')).json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'group_by',
    })
    const report = await admin.get('/console/analytics.json?window=1h&group_by=channel')
    expect(report.statusCode).toBe(200)
    expect(report.json()).toMatchObject({ group_by: 'channel' })
  })

  it('sign-out ends the session', async () => {
    const me = await consoleSignIn(t.app, { email: 'admin@example.com' })
    const out = await me.post('/console/logout', {})
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe('/console/login')
    expect((await me.get('/console/search')).statusCode).toBe(303)
  })
})
