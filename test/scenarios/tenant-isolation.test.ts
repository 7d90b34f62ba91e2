/**
 * Tenants apart: a key limited to service A cannot read, list or change anything of service B, on
 * every endpoint of the native and the Twilio-compatible API. The route list comes from the app's
 * own route table, so a new route without a row here fails the "every route is classified" test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { mintApiKey } from '../../src/auth/api-key.js'
import { twilioAccountSid } from '../../src/auth/twilio-aliases.js'
import type { Service } from '../../src/services/service.js'
import { serviceSid, verificationSid } from '../../src/twilio-compat/representations.js'
import { buildTestDeps, createTestService, type TestContext } from '../helpers/test-deps.js'

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

/**
 * How a route stands towards tenants:
 * - `other`: reaches service B's thing; a key of A gets 404 (the resource's own not-found).
 * - `global`: administers the installation; a key of A gets 403 API_KEY_SERVICE_SCOPED.
 * - `list`: lists across services; a key of A sees none of B.
 * - `none`: no API key involved (health, receipts from providers, the browser's client-token API,
 *   pages, the console with its own staff sign-in, the dev simulator) or no service data (number
 *   analysis); the reason is in `why`.
 */
type Case =
  | {
      kind: 'other'
      url: () => string
      body?: () => unknown
      form?: () => Record<string, string>
      code?: string
    }
  | { kind: 'global'; url: () => string; body?: () => unknown }
  | { kind: 'list'; url: () => string; mustNotContain: () => string[] }
  | { kind: 'none'; why: string }

describe('tenant isolation: a key of service A against service B', () => {
  let t: TestContext
  let app: Awaited<ReturnType<typeof buildApp>>
  const routes: Array<{ method: Method; url: string }> = []
  let a: Service
  let b: Service
  let globalAdmin: string
  let scopedAdmin: string
  let scopedKeyId: string
  const bIds: Record<string, string> = {}

  const nativeAuth = (token: string) => ({ authorization: `Bearer ${token}` })
  const twilioAuth = (token: string, keyId: string) => ({
    authorization: `Basic ${Buffer.from(`${twilioAccountSid(keyId)}:${token}`).toString('base64')}`,
  })
  let globalKeyId: string

  beforeAll(async () => {
    t = await buildTestDeps()
    app = await buildApp(t.deps, {
      docsUi: false,
      onRoute: (r) => {
        for (const m of Array.isArray(r.method) ? r.method : [r.method])
          routes.push({ method: m as Method, url: r.url })
      },
    })
    a = await createTestService(t.deps, { name: 'Tenant A' })
    b = await createTestService(t.deps, { name: 'Tenant B' })
    const g = mintApiKey('global admin', ['admin'], t.clock.now())
    await t.deps.stores.apiKeys.insert(g.key)
    globalAdmin = g.token
    globalKeyId = g.key.id
    // The strongest key a tenant can hold: admin scope, limited to A.
    const s = mintApiKey('tenant A admin', ['admin'], t.clock.now(), [a.id])
    await t.deps.stores.apiKeys.insert(s.key)
    scopedAdmin = s.token
    scopedKeyId = s.key.id

    const post = async (url: string, payload: unknown) => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: nativeAuth(globalAdmin),
        payload: payload as object,
      })
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300)
      return res.json()
    }
    bIds.verification = (await post('/v1/verifications', { service_id: b.id, to: '+447700900123' })).id
    bIds.factor = (
      await post(`/v1/services/${b.id}/entities/user-b/factors`, { type: 'totp', friendly_name: 'phone' })
    ).id
    bIds.recovery = (
      await post(`/v1/services/${b.id}/entities/user-b/recovery`, {
        reason: 'lost phone',
        requested_by: 'agent-1',
        contacts: { emails: ['b@example.com'] },
      })
    ).id
    bIds.session = (await post('/v1/client-tokens', { service_id: b.id })).session_id
    const hook = await app.inject({
      method: 'PUT',
      url: `/v1/services/${b.id}/webhook`,
      headers: nativeAuth(globalAdmin),
      payload: { url: 'http://127.0.0.1:9/hook' },
    })
    expect(hook.statusCode, hook.body).toBe(201)
    const rl = await app.inject({
      method: 'POST',
      url: `/v2/Services/${serviceSid(b.id)}/RateLimits`,
      headers: {
        ...twilioAuth(globalAdmin, globalKeyId),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'UniqueName=end_user_ip',
    })
    expect(rl.statusCode, rl.body).toBe(201)
    bIds.rateLimit = rl.json().sid
  })
  afterAll(async () => {
    await app.close()
    await t.close()
  })

  const B = () => b.id
  const VB = () => serviceSid(b.id)
  const svc =
    (rest = '') =>
    () =>
      `/v1/services/${B()}${rest}`
  const tw =
    (rest = '') =>
    () =>
      `/v2/Services/${VB()}${rest}`
  const none = (why: string): Case => ({ kind: 'none', why })
  const other = (url: () => string, extra: Partial<Extract<Case, { kind: 'other' }>> = {}): Case => ({
    kind: 'other',
    url,
    ...extra,
  })

  /** Every route, keyed `METHOD url-pattern`. HEAD answers as GET does. */
  const CASES: Record<string, Case> = {
    'GET /livez': none('health probe'),
    'GET /healthz': none('health probe'),
    'GET /readyz': none('health probe'),
    'POST /v1/services': { kind: 'global', url: () => '/v1/services', body: () => ({ name: 'Mine' }) },
    'GET /v1/services': { kind: 'list', url: () => '/v1/services', mustNotContain: () => [b.id] },
    'GET /v1/services/:id': other(svc()),
    'PATCH /v1/services/:id': other(svc(), { body: () => ({ name: 'Taken over' }) }),
    'DELETE /v1/services/:id': other(svc()),
    'GET /v1/services/:id/return-url-secret': other(svc('/return-url-secret')),
    'POST /v1/services/:serviceId/entities/:entityId/factors': other(svc('/entities/user-b/factors'), {
      body: () => ({ type: 'totp', friendly_name: 'mine' }),
    }),
    'GET /v1/services/:serviceId/entities/:entityId/factors': other(svc('/entities/user-b/factors')),
    'GET /v1/services/:serviceId/entities/:entityId/factors/:factorId': other(() =>
      svc(`/entities/user-b/factors/${bIds.factor}`)(),
    ),
    'DELETE /v1/services/:serviceId/entities/:entityId/factors/:factorId': other(() =>
      svc(`/entities/user-b/factors/${bIds.factor}`)(),
    ),
    'GET /v1/services/:serviceId/entities/:entityId/factors/:factorId/qr.png': other(() =>
      svc(`/entities/user-b/factors/${bIds.factor}/qr.png`)(),
    ),
    'POST /v1/services/:serviceId/entities/:entityId/factors/:factorId/verify': other(
      () => svc(`/entities/user-b/factors/${bIds.factor}/verify`)(),
      { body: () => ({ code: '123456' }) },
    ),
    'POST /v1/services/:serviceId/entities/:entityId/factors/:factorId/challenge': other(
      () => svc(`/entities/user-b/factors/${bIds.factor}/challenge`)(),
      { body: () => ({ code: '123456' }) },
    ),
    'POST /v1/services/:serviceId/entities/:entityId/recovery': other(svc('/entities/user-b/recovery'), {
      body: () => ({ reason: 'x', requested_by: 'me', contacts: { emails: ['me@example.com'] } }),
    }),
    'GET /v1/services/:serviceId/entities/:entityId/recovery': other(svc('/entities/user-b/recovery')),
    'POST /v1/services/:serviceId/entities/:entityId/recovery-codes': other(
      svc('/entities/user-b/recovery-codes'),
      { body: () => ({}) },
    ),
    'GET /v1/services/:serviceId/entities/:entityId/recovery-codes': other(
      svc('/entities/user-b/recovery-codes'),
    ),
    'POST /v1/services/:serviceId/entities/:entityId/recovery-codes/use': other(
      svc('/entities/user-b/recovery-codes/use'),
      { body: () => ({ code: 'aaaa-bbbb' }) },
    ),
    'GET /v1/services/:serviceId/entities/:entityId/passkeys': other(svc('/entities/user-b/passkeys')),
    'POST /v1/services/:serviceId/entities/:entityId/passkeys/registration/options': other(
      svc('/entities/user-b/passkeys/registration/options'),
      { body: () => ({ user_name: 'b' }) },
    ),
    'POST /v1/services/:serviceId/entities/:entityId/passkeys/registration/verify': other(
      svc('/entities/user-b/passkeys/registration/verify'),
      { body: () => ({ response: {} }) },
    ),
    'POST /v1/services/:serviceId/entities/:entityId/passkeys/authentication/options': other(
      svc('/entities/user-b/passkeys/authentication/options'),
      { body: () => ({}) },
    ),
    'POST /v1/services/:serviceId/entities/:entityId/passkeys/authentication/verify': other(
      svc('/entities/user-b/passkeys/authentication/verify'),
      { body: () => ({ response: {} }) },
    ),
    'DELETE /v1/services/:serviceId/entities/:entityId/passkeys/:credentialId': other(
      svc('/entities/user-b/passkeys/cred-1'),
    ),
    'POST /v1/services/:serviceId/passkeys/authentication/options': other(
      svc('/passkeys/authentication/options'),
      {
        body: () => ({}),
      },
    ),
    'POST /v1/services/:serviceId/passkeys/authentication/verify': other(
      svc('/passkeys/authentication/verify'),
      {
        body: () => ({ response: {} }),
      },
    ),
    'PUT /v1/services/:id/webhook': other(svc('/webhook'), {
      body: () => ({ url: 'http://127.0.0.1:9/mine' }),
    }),
    'GET /v1/services/:id/webhook': other(svc('/webhook')),
    'DELETE /v1/services/:id/webhook': other(svc('/webhook')),
    'POST /v1/services/:id/webhook/rotate-secret': other(svc('/webhook/rotate-secret')),
    'GET /v1/simulator/messages': none(
      'development simulator: no API key outside production, a global admin key in it',
    ),
    'DELETE /v1/simulator/messages': none('development simulator'),
    'GET /v1/simulator/messages/stream': none('development simulator'),
    'GET /v1/simulator/scenarios': none('development simulator'),
    'PUT /v1/simulator/scenarios/:number': none('development simulator'),
    'GET /simulator': none('development simulator page'),
    'POST /v1/verifications': other(() => '/v1/verifications', {
      body: () => ({ service_id: B(), to: '+447700900124' }),
      code: 'SERVICE_NOT_FOUND',
    }),
    'POST /v1/verifications/check': other(() => '/v1/verifications/check', {
      body: () => ({ service_id: B(), to: '+447700900123', code: '000000' }),
      code: 'SERVICE_NOT_FOUND',
    }),
    'GET /v1/verifications/:id': other(() => `/v1/verifications/${bIds.verification}`, {
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'POST /v1/verifications/:id/resend': other(() => `/v1/verifications/${bIds.verification}/resend`, {
      body: () => ({}),
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'POST /v1/verifications/:id/check': other(() => `/v1/verifications/${bIds.verification}/check`, {
      body: () => ({ code: '000000' }),
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'POST /v1/verifications/:id/cancel': other(() => `/v1/verifications/${bIds.verification}/cancel`, {
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'GET /v1/verifications/:id/events': other(() => `/v1/verifications/${bIds.verification}/events`, {
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'GET /v1/verifications/:id/diagnosis': other(() => `/v1/verifications/${bIds.verification}/diagnosis`, {
      code: 'VERIFICATION_NOT_FOUND',
    }),
    'GET /v1/phone-numbers/:number': none('number analysis: no service data'),
    'GET /v1/phone-numbers/:number/diagnosis': other(
      () => `/v1/phone-numbers/${encodeURIComponent('+447700900123')}/diagnosis?service_id=${B()}`,
    ),
    'POST /v1/api-keys': { kind: 'global', url: () => '/v1/api-keys', body: () => ({ name: 'mine' }) },
    'GET /v1/api-keys': { kind: 'global', url: () => '/v1/api-keys' },
    'DELETE /v1/api-keys/:id': { kind: 'global', url: () => `/v1/api-keys/${globalKeyId}` },
    'GET /v1/analytics/summary': other(() => `/v1/analytics/summary?service_id=${B()}`),
    'GET /v1/analytics/alerts': {
      kind: 'list',
      url: () => '/v1/analytics/alerts',
      mustNotContain: () => [b.id],
    },
    'GET /v1/receipts/:providerId': none('delivery receipts from providers, authenticated by the provider'),
    'POST /v1/receipts/:providerId': none('delivery receipts from providers, authenticated by the provider'),
    'GET /v1/recovery/:caseId': other(() => `/v1/recovery/${bIds.recovery}`, { code: 'RECOVERY_NOT_FOUND' }),
    'POST /v1/recovery/:caseId/approve': other(() => `/v1/recovery/${bIds.recovery}/approve`, {
      body: () => ({ approved_by: 'me', reason: 'x' }),
      code: 'RECOVERY_NOT_FOUND',
    }),
    'POST /v1/recovery/:caseId/cancel': other(() => `/v1/recovery/${bIds.recovery}/cancel`, {
      body: () => ({ canceled_by: 'me', reason: 'x' }),
      code: 'RECOVERY_NOT_FOUND',
    }),
    'POST /v1/recovery/:caseId/complete': other(() => `/v1/recovery/${bIds.recovery}/complete`, {
      body: () => ({ completed_by: 'me', reason: 'x' }),
      code: 'RECOVERY_NOT_FOUND',
    }),
    'GET /v1/routes': { kind: 'global', url: () => '/v1/routes' },
    'POST /v1/subjects/export': {
      kind: 'global',
      url: () => '/v1/subjects/export',
      body: () => ({ destination: '+447700900123' }),
    },
    'POST /v1/subjects/erase': {
      kind: 'global',
      url: () => '/v1/subjects/erase',
      body: () => ({ destination: '+447700900123', reason: 'asked' }),
    },
    'POST /v1/client-tokens': other(() => '/v1/client-tokens', { body: () => ({ service_id: B() }) }),
    'GET /v1/client-sessions/:session_id': other(() => `/v1/client-sessions/${bIds.session}`, {
      code: 'CLIENT_SESSION_NOT_FOUND',
    }),
    // The browser's API: a client token (vct_) is bound to one session of one service when minted.
    'GET /v1/client/session': none('client token'),
    'POST /v1/client/phone-analysis': none('client token'),
    'POST /v1/client/passkeys/registration': none('client token'),
    'POST /v1/client/passkeys/registration/options': none('client token'),
    'POST /v1/client/passkeys/authentication': none('client token'),
    'POST /v1/client/passkeys/authentication/options': none('client token'),
    'POST /v1/client/verification': none('client token'),
    'GET /v1/client/verification': none('client token'),
    'POST /v1/client/verification/check': none('client token'),
    'POST /v1/client/verification/cancel': none('client token'),
    'POST /v1/client/verification/resend': none('client token'),
    'GET /v1/client/verification/diagnosis': none('client token'),
    'GET /v1/client/verification/stream': none('client token'),
    'GET /v1/client/resume.svg': none('client token'),
    'POST /v1/client/recovery-codes': none('client token'),
    'POST /v1/client/recovery-codes/use': none('client token'),
    'GET /v1/client/factors': none('client token'),
    'POST /v1/client/factors/totp': none('client token'),
    'POST /v1/client/factors/totp/check': none('client token'),
    'POST /v1/client/factors/totp/:factor_id/verify': none('client token'),
    'OPTIONS /v1/client/*': none('CORS preflight of the browser API'),
    'GET /verify/:token': none('hosted page, client token'),
    'GET /verify/:token/return': none('hosted page, client token'),
    'GET /metrics': none('metrics token, aggregate figures'),
    'GET /demo': none('demo page'),
    'POST /demo/session': none('demo page'),
    'GET /favicon.ico': none('static'),
    'GET /assets/*': none('static'),
    'OPTIONS *': none('CORS preflight (no credentials; answers only for origins some service allows)'),
    'GET /openapi.json': none('static'),
    // Twilio-compatible API.
    'GET /v2/Attempts': {
      kind: 'list',
      url: () => `/v2/Attempts?VerificationSid=${verificationSid(bIds.verification ?? '')}`,
      mustNotContain: () => ['447700900123', verificationSid(bIds.verification ?? '')],
    },
    'GET /v2/Attempts/Summary': none('refused for every key (60204)'),
    'GET /v2/Attempts/:sid': none('refused for every key (60204)'),
    'GET /v2/Templates': none('always an empty list: verigate has no Twilio templates'),
    'POST /v2/Services': { kind: 'global', url: () => '/v2/Services', body: () => 'FriendlyName=Mine' },
    'GET /v2/Services': { kind: 'list', url: () => '/v2/Services', mustNotContain: () => [VB(), b.id] },
    'GET /v2/Services/:sid': other(tw()),
    'POST /v2/Services/:sid': other(tw(), { form: () => ({ FriendlyName: 'Taken' }) }),
    'DELETE /v2/Services/:sid': other(tw()),
    'POST /v2/Services/:serviceSid/Verifications': other(tw('/Verifications'), {
      form: () => ({ To: '+447700900125', Channel: 'sms' }),
    }),
    'GET /v2/Services/:serviceSid/Verifications/:sid': other(() =>
      tw(`/Verifications/${bIds.verification}`)(),
    ),
    'POST /v2/Services/:serviceSid/Verifications/:sid': other(
      () => tw(`/Verifications/${bIds.verification}`)(),
      {
        form: () => ({ Status: 'canceled' }),
      },
    ),
    'POST /v2/Services/:serviceSid/VerificationCheck': other(tw('/VerificationCheck'), {
      form: () => ({ To: '+447700900123', Code: '000000' }),
    }),
    'POST /v2/Services/:serviceSid/RateLimits': other(tw('/RateLimits'), {
      form: () => ({ UniqueName: 'mine' }),
    }),
    'GET /v2/Services/:serviceSid/RateLimits': other(tw('/RateLimits')),
    'GET /v2/Services/:serviceSid/RateLimits/:sid': other(() => tw(`/RateLimits/${bIds.rateLimit}`)()),
    'POST /v2/Services/:serviceSid/RateLimits/:sid': other(() => tw(`/RateLimits/${bIds.rateLimit}`)(), {
      form: () => ({ Description: 'x' }),
    }),
    'DELETE /v2/Services/:serviceSid/RateLimits/:sid': other(() => tw(`/RateLimits/${bIds.rateLimit}`)()),
    'POST /v2/Services/:serviceSid/RateLimits/:sid/Buckets': other(
      () => tw(`/RateLimits/${bIds.rateLimit}/Buckets`)(),
      { form: () => ({ Max: '5', Interval: '60' }) },
    ),
    'GET /v2/Services/:serviceSid/RateLimits/:sid/Buckets': other(() =>
      tw(`/RateLimits/${bIds.rateLimit}/Buckets`)(),
    ),
    'GET /v2/Services/:serviceSid/RateLimits/:sid/Buckets/:bucketSid': other(() =>
      tw(`/RateLimits/${bIds.rateLimit}/Buckets/BL00000000000000000000000000000000`)(),
    ),
    'POST /v2/Services/:serviceSid/RateLimits/:sid/Buckets/:bucketSid': other(
      () => tw(`/RateLimits/${bIds.rateLimit}/Buckets/BL00000000000000000000000000000000`)(),
      { form: () => ({ Max: '1' }) },
    ),
    'DELETE /v2/Services/:serviceSid/RateLimits/:sid/Buckets/:bucketSid': other(() =>
      tw(`/RateLimits/${bIds.rateLimit}/Buckets/BL00000000000000000000000000000000`)(),
    ),
    'POST /v2/Services/:serviceSid/Entities': other(tw('/Entities'), {
      form: () => ({ Identity: 'user-b' }),
    }),
    'GET /v2/Services/:serviceSid/Entities/:identity': other(tw('/Entities/user-b')),
    'DELETE /v2/Services/:serviceSid/Entities/:identity': other(tw('/Entities/user-b')),
    'POST /v2/Services/:serviceSid/Entities/:identity/Factors': other(tw('/Entities/user-b/Factors'), {
      form: () => ({ FriendlyName: 'x', FactorType: 'totp' }),
    }),
    'GET /v2/Services/:serviceSid/Entities/:identity/Factors': other(tw('/Entities/user-b/Factors')),
    'GET /v2/Services/:serviceSid/Entities/:identity/Factors/:sid': other(tw('/Entities/user-b/Factors/YF0')),
    'POST /v2/Services/:serviceSid/Entities/:identity/Factors/:sid': other(
      tw('/Entities/user-b/Factors/YF0'),
      {
        form: () => ({ AuthPayload: '123456' }),
      },
    ),
    'DELETE /v2/Services/:serviceSid/Entities/:identity/Factors/:sid': other(
      tw('/Entities/user-b/Factors/YF0'),
    ),
    'POST /v2/Services/:serviceSid/Entities/:identity/Challenges': other(tw('/Entities/user-b/Challenges'), {
      form: () => ({ FactorSid: 'YF0', AuthPayload: '123456' }),
    }),
    'GET /v2/Services/:serviceSid/Entities/:identity/Challenges': other(tw('/Entities/user-b/Challenges')),
    'GET /v2/Services/:serviceSid/Entities/:identity/Challenges/:sid': other(
      tw('/Entities/user-b/Challenges/YC0'),
    ),
    'POST /v2/Services/:serviceSid/Entities/:identity/Challenges/:sid': other(
      tw('/Entities/user-b/Challenges/YC0'),
      { form: () => ({ AuthPayload: '123456' }) },
    ),
  }

  // Twilio resources verigate does not offer answer 60204 to every method (one handler for all):
  // under another service's path a scoped key must still get 20404 first, never learn the feature
  // exists there; GET, POST and DELETE stand for the methods the same handler serves.
  const ALL_METHODS = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'TRACE', 'QUERY'] as const
  const unavailable: Array<[string, () => string]> = [
    ['/v2/Services/:serviceSid/MessagingConfigurations', tw('/MessagingConfigurations')],
    ['/v2/Services/:serviceSid/MessagingConfigurations/*', tw('/MessagingConfigurations/GB')],
    ['/v2/Services/:serviceSid/Webhooks', tw('/Webhooks')],
    ['/v2/Services/:serviceSid/Webhooks/*', tw('/Webhooks/YW0')],
    ['/v2/Services/:serviceSid/AccessTokens', tw('/AccessTokens')],
    ['/v2/Services/:serviceSid/AccessTokens/*', tw('/AccessTokens/YK0')],
    [
      '/v2/Services/:serviceSid/Entities/:identity/Challenges/:sid/Notifications',
      tw('/Entities/user-b/Challenges/YC0/Notifications'),
    ],
  ]
  for (const [path, url] of unavailable)
    for (const m of ALL_METHODS)
      CASES[`${m} ${path}`] =
        m === 'GET' || m === 'POST' || m === 'DELETE'
          ? other(url)
          : none('the handler of GET, for every method')
  for (const path of ['/v2/Forms/*', '/v2/SafeList/*'])
    for (const m of ALL_METHODS)
      CASES[`${m} ${path}`] = none('refused for every key (60204), no service in it')
  CASES['GET /v2/Services/:serviceSid/Entities'] = other(tw('/Entities'))

  const isConsole = (url: string) => url === '/console' || url.startsWith('/console/')

  it('every route of the app is classified (a new route needs a row here)', () => {
    const missing = routes
      .filter((r) => r.method !== 'HEAD' && !isConsole(r.url))
      .map((r) => `${r.method} ${r.url}`)
      .filter((k) => !(k in CASES))
    expect(missing).toEqual([])
    expect(routes.length).toBeGreaterThan(100)
  })

  it('the scoped key works on its own service (the refusals below are not a broken key)', async () => {
    const own = await app.inject({
      method: 'GET',
      url: `/v1/services/${a.id}`,
      headers: nativeAuth(scopedAdmin),
    })
    expect(own.statusCode).toBe(200)
    const tw = await app.inject({
      method: 'GET',
      url: `/v2/Services/${serviceSid(a.id)}`,
      headers: twilioAuth(scopedAdmin, scopedKeyId),
    })
    expect(tw.statusCode).toBe(200)
    const start = await app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: nativeAuth(scopedAdmin),
      payload: { service_id: a.id, to: '+447700900199' },
    })
    expect(start.statusCode).toBe(201)
  })

  const send = async (method: Method, url: string, c: Case) => {
    const twilio = url.startsWith('/v2/')
    const headers: Record<string, string> = twilio
      ? twilioAuth(scopedAdmin, scopedKeyId)
      : nativeAuth(scopedAdmin)
    let payload: string | object | undefined
    if (c.kind === 'other' && c.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      payload = new URLSearchParams(c.form()).toString()
    } else if ((c.kind === 'other' || c.kind === 'global') && c.body) {
      const body = c.body()
      if (typeof body === 'string') {
        headers['content-type'] = 'application/x-www-form-urlencoded'
        payload = body
      } else payload = body as object
    } else if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      if (twilio) headers['content-type'] = 'application/x-www-form-urlencoded'
      payload = twilio ? '' : {}
    }
    return app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) })
  }

  for (const [key, c] of Object.entries(CASES)) {
    if (c.kind === 'none') continue
    const [method, pattern] = key.split(' ') as [Method, string]
    const methods: Method[] = method === 'GET' ? ['GET', 'HEAD'] : [method]
    for (const m of methods) {
      it(`${m} ${pattern}: ${c.kind}`, async () => {
        const url = c.url()
        const res = await send(m, url, c)
        if (c.kind === 'other') {
          expect(res.statusCode, res.body).toBe(404)
          if (m === 'HEAD') return
          if (url.startsWith('/v2/')) expect(res.json().code).toBe(20404)
          else expect(res.json().error.code).toBe(c.code ?? 'SERVICE_NOT_FOUND')
        } else if (c.kind === 'global') {
          expect(res.statusCode, res.body).toBe(403)
          if (m === 'HEAD') return
          if (url.startsWith('/v2/')) expect(res.json().code).toBe(20403)
          else expect(res.json().error.code).toBe('API_KEY_SERVICE_SCOPED')
        } else {
          expect(res.statusCode, res.body).toBe(200)
          for (const s of c.mustNotContain()) expect(res.body).not.toContain(s)
        }
      })
    }
  }

  it('after all that, nothing of service B has changed', async () => {
    const auth = nativeAuth(globalAdmin)
    const svcB = await app.inject({ method: 'GET', url: `/v1/services/${b.id}`, headers: auth })
    expect(svcB.json().name).toBe('Tenant B')
    const ver = await app.inject({
      method: 'GET',
      url: `/v1/verifications/${bIds.verification}`,
      headers: auth,
    })
    expect(ver.json().status).toBe('pending')
    const hook = await app.inject({ method: 'GET', url: `/v1/services/${b.id}/webhook`, headers: auth })
    expect(hook.json().url).toBe('http://127.0.0.1:9/hook')
    const factor = await app.inject({
      method: 'GET',
      url: `/v1/services/${b.id}/entities/user-b/factors/${bIds.factor}`,
      headers: auth,
    })
    expect(factor.statusCode).toBe(200)
    const rc = await app.inject({ method: 'GET', url: `/v1/recovery/${bIds.recovery}`, headers: auth })
    expect(rc.json().status).toBe('pending_approval')
    const rl = await app.inject({
      method: 'GET',
      url: `/v2/Services/${serviceSid(b.id)}/RateLimits/${bIds.rateLimit}`,
      headers: twilioAuth(globalAdmin, globalKeyId),
    })
    expect(rl.statusCode).toBe(200)
    const keys = await app.inject({ method: 'GET', url: '/v1/api-keys', headers: auth })
    expect(
      keys
        .json()
        .data.some((k: { id: string; revoked_at: string | null }) => k.id === globalKeyId && !k.revoked_at),
    ).toBe(true)
  })
})
