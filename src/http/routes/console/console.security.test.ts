/**
 * Console security through the HTTP app: sessions and their cookie, CSRF (token and Origin),
 * role checks on every action endpoint (viewers get 403 even with a valid form), sign-in
 * throttling, and no open redirect after sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addStaff,
  CONSOLE_ORIGIN,
  type ConsoleBrowser,
  consoleSignIn,
  cookieFrom,
  csrfFrom,
  formBody,
} from '../../../../test/helpers/console-session.js'
import { buildTestApp, createTestService } from '../../../../test/helpers/test-deps.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>

describe('console security', () => {
  let t: TestApp
  let viewer: ConsoleBrowser
  let support: ConsoleBrowser
  let verificationId: string
  let personRef: string
  let staffId: string

  beforeAll(async () => {
    t = await buildTestApp({ config: { console: { loginAttempts: { points: 3, durationSeconds: 900 } } } })
    await addStaff(t.deps, 'viewer@example.com', 'viewer')
    await addStaff(t.deps, 'support@example.com', 'support')
    viewer = await consoleSignIn(t.app, { email: 'viewer@example.com' })
    support = await consoleSignIn(t.app, { email: 'support@example.com' })
    staffId = (
      await t.deps.db
        .selectFrom('staff')
        .select('id')
        .where('email', '=', 'viewer@example.com')
        .executeTakeFirstOrThrow()
    ).id
    const svc = await createTestService(t.deps)
    const { verification } = await t.deps.verifier.start({
      serviceId: svc.id,
      to: '+447700900401',
      channel: 'sms',
    })
    verificationId = verification.id
    const res = await viewer.post('/console/search', { q: '+447700900401' })
    personRef = new URL(String(res.headers.location), 'http://x').searchParams.get('ref') ?? ''
  })
  afterAll(async () => t?.close())

  const actionEndpoints = (): Array<{ url: string; form: Record<string, string> }> => [
    { url: '/console/person/reveal', form: { ref: personRef, reason: 'r' } },
    { url: '/console/person/lift-limits', form: { ref: personRef, reason: 'r' } },
    { url: '/console/person/safe-list', form: { ref: personRef, reason: 'r', op: 'add' } },
    { url: `/console/verifications/${verificationId}/resend`, form: { reason: 'r', channel: 'call' } },
    { url: `/console/verifications/${verificationId}/cancel`, form: { reason: 'r' } },
    { url: '/console/entities/recovery', form: { entity_id: 'user-1', service_id: 'svc_x', reason: 'r' } },
    {
      url: '/console/staff',
      form: { email: 'x@example.com', role: 'admin', password: 'long enough password', reason: 'r' },
    },
    { url: `/console/staff/${staffId}/role`, form: { role: 'admin', reason: 'r' } },
    { url: `/console/staff/${staffId}/disable`, form: { reason: 'r' } },
    { url: `/console/staff/${staffId}/enable`, form: { reason: 'r' } },
  ]

  it('the session cookie is HttpOnly, SameSite=Strict, Path=/console (Secure only with an https public URL)', async () => {
    const login = await t.app.inject({ method: 'GET', url: '/console/login' })
    const pre = cookieFrom(login, 'vg_console_login')!
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/login',
      headers: { cookie: pre, origin: CONSOLE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({
        csrf: csrfFrom(login.body),
        email: 'support@example.com',
        password: 'correct horse battery',
      }),
    })
    const raw = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('vg_console='))!
    expect(raw).toMatch(/; Path=\/console/)
    expect(raw).toMatch(/; HttpOnly/)
    expect(raw).toMatch(/; SameSite=Strict/)
    expect(raw).not.toMatch(/Secure/)
    expect(res.headers.location).toBe('/console/search')

    const https = await buildTestApp({ config: { publicUrl: 'https://verify.example.com' } })
    try {
      const page = await https.app.inject({ method: 'GET', url: '/console/login' })
      expect(String(page.headers['set-cookie'])).toMatch(/; Secure/)
    } finally {
      await https.close()
    }
  })

  it('a malformed cookie reads as no cookie: sign-in redirects and 4xx answers, never a 500', async () => {
    const malformed = [
      'vg_console=%',
      'vg_console=%E0%A4%A',
      'vg_console=%; vg_console_login=%zz',
      'vg_console',
    ]
    for (const cookie of malformed) {
      const root = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie } })
      expect(root.statusCode).toBeLessThan(400)
      for (const url of ['/console/search', '/console/audit', '/console/staff', '/console/analytics']) {
        const res = await t.app.inject({ method: 'GET', url, headers: { cookie } })
        expect(res.statusCode, `${url} with ${cookie}`).toBe(303)
        expect(res.headers.location).toMatch(/^\/console\/login/)
      }
      const json = await t.app.inject({ method: 'GET', url: '/console/analytics.json', headers: { cookie } })
      expect(json.statusCode).toBe(401)
      const login = await t.app.inject({ method: 'GET', url: '/console/login', headers: { cookie } })
      expect(login.statusCode).toBe(200)
      const action = await t.app.inject({
        method: 'POST',
        url: '/console/logout',
        headers: { cookie, origin: CONSOLE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ csrf: 'x' }),
      })
      expect(action.statusCode).toBe(401)
      expect(action.json().error.code).toBe('CONSOLE_SESSION_INVALID')
    }
    // The sign-in form's own cookie, malformed: the form has expired, not a server error.
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/console/login',
      headers: {
        cookie: 'vg_console_login=%',
        origin: CONSOLE_ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: formBody({ csrf: 'x', email: 'support@example.com', password: 'correct horse battery' }),
    })
    expect(signIn.statusCode).toBe(403)
    expect(signIn.json().error.code).toBe('CSRF_TOKEN_INVALID')
    // A malformed cookie beside a valid session does not end the session.
    const page = await t.app.inject({
      method: 'GET',
      url: '/console/search',
      headers: { cookie: `other=%; ${viewer.cookie}` },
    })
    expect(page.statusCode).toBe(200)
  })

  it('pages without a session redirect to sign-in; actions and the JSON endpoint answer 401', async () => {
    for (const url of [
      '/console/search',
      '/console/audit',
      '/console/staff',
      '/console/analytics',
      `/console/person?ref=${encodeURIComponent(personRef)}`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(303)
      expect(res.headers.location).toMatch(/^\/console\/login\?next=/)
    }
    for (const { url, form } of actionEndpoints()) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: {
          origin: CONSOLE_ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          cookie: 'vg_console=forged',
        },
        payload: formBody(form),
      })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('CONSOLE_SESSION_INVALID')
    }
    const json = await t.app.inject({ method: 'GET', url: '/console/analytics.json' })
    expect(json.statusCode).toBe(401)
    expect(json.json().error.code).toBe('CONSOLE_SESSION_INVALID')
  })

  it("a form without the CSRF token, with a wrong one, or with another session's is refused with CSRF_TOKEN_INVALID", async () => {
    for (const csrf of [null, '', 'k1:forged', viewer.csrf]) {
      const res = await support.post(
        '/console/person/lift-limits',
        { ref: personRef, reason: 'Ticket 1' },
        { csrf },
      )
      expect(res.statusCode, String(csrf)).toBe(403)
      expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID')
    }
    // A browser gets an HTML page with the code, not a stack trace.
    const html = await support.post(
      '/console/person/lift-limits',
      { ref: personRef, reason: 'Ticket 1' },
      { csrf: null, accept: 'text/html' },
    )
    expect(html.statusCode).toBe(403)
    expect(html.headers['content-type']).toMatch(/text\/html/)
    expect(html.body).toContain('CSRF_TOKEN_INVALID')
    expect(
      await t.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'limit.lift').execute(),
    ).toHaveLength(0)
  })

  it('a form from another origin (or with no Origin and no Referer) is refused with CSRF_ORIGIN_INVALID', async () => {
    for (const origin of ['https://evil.example', 'null', null]) {
      const res = await support.post(
        '/console/person/lift-limits',
        { ref: personRef, reason: 'Ticket 1' },
        { origin },
      )
      expect(res.statusCode, String(origin)).toBe(403)
      expect(res.json().error.code).toBe('CSRF_ORIGIN_INVALID')
    }
  })

  it('viewers: no action controls on any page, and every action endpoint answers 403 even with a valid form', async () => {
    const person = await viewer.get(`/console/person?ref=${encodeURIComponent(personRef)}`)
    expect(person.statusCode).toBe(200)
    // The only form a viewer gets is sign-out.
    expect([...person.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/console/logout',
    ])
    // Searching is reading: allowed.
    expect((await viewer.post('/console/search', { q: '07700 900401' })).statusCode).toBe(303)
    const entity = await viewer.get('/console/entity?id=user-1')
    expect([...entity.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/console/logout',
    ])
    expect(person.body).not.toContain('/console/staff')
    for (const { url, form } of actionEndpoints()) {
      const res = await viewer.post(url, form)
      expect(res.statusCode, url).toBe(403)
      expect(res.json().error.code, url).toBe('CONSOLE_ROLE_FORBIDDEN')
    }
    expect((await viewer.get('/console/staff')).statusCode).toBe(403)
    expect((await t.deps.verifier.get(verificationId)).status).toBe('pending')
    // Each refused attempt is in the audit log, naming who tried what.
    const attempts = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'console.forbidden')
      .where('actor', '=', 'viewer@example.com')
      .execute()
    expect(attempts.length).toBe(actionEndpoints().length)
    expect(attempts.map((a) => a.target)).toContain('/console/verifications/:id/resend')
  })

  it('support staff cannot manage staff', async () => {
    for (const { url, form } of actionEndpoints().filter((e) => e.url.startsWith('/console/staff'))) {
      const res = await support.post(url, form)
      expect(res.statusCode, url).toBe(403)
      expect(res.json().error.code).toBe('CONSOLE_ROLE_FORBIDDEN')
    }
  })

  it('sign-in is throttled with a clear message; the form needs its CSRF token; no open redirect', async () => {
    const login = await t.app.inject({ method: 'GET', url: '/console/login?next=https://evil.example/' })
    expect(login.body).toContain('name="next" value="/console/search"')
    const pre = cookieFrom(login, 'vg_console_login')!
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/console/login',
        headers: {
          cookie: pre,
          origin: CONSOLE_ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: formBody(form),
      })
    const csrf = csrfFrom(login.body)
    expect((await post({ email: 'support@example.com', password: 'x' })).statusCode).toBe(403)
    for (let i = 0; i < 3; i++) {
      const res = await post(
        { csrf, email: 'support@example.com', password: 'wrong password here' },
        { 'x-forwarded-for': '1.2.3.4' },
      )
      expect(res.statusCode).toBe(401)
      expect(res.headers['x-error-code']).toBe('CONSOLE_LOGIN_FAILED')
      expect(res.body).toContain('The email or password is not right')
    }
    const throttled = await post({ csrf, email: 'support@example.com', password: 'correct horse battery' })
    expect(throttled.statusCode).toBe(429)
    expect(throttled.headers['x-error-code']).toBe('CONSOLE_LOGIN_THROTTLED')
    expect(throttled.headers['retry-after']).toMatch(/^\d+$/)
    expect(throttled.body).toContain('Too many failed sign-ins')
    expect(cookieFrom(throttled, 'vg_console')).toBeUndefined()
  })

  it('console pages carry the strict CSP and keep the origin in the Referrer-Policy', async () => {
    const res = await viewer.get('/console/search')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['referrer-policy']).toBe('same-origin')
    expect(res.headers['x-frame-options']).toBe('DENY')
  })
})
