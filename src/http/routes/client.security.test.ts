/**
 * The client API's security properties: tokens hashed at rest and kept out of logs, one session
 * cannot reach another's verification or another service's factors, open CORS without credentials,
 * and no provider, route or raw code in anything a browser gets.
 */
import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, codeFromInbox, eventually } from '../../../test/helpers/test-deps.js'
import { maskUrl } from '../../app.js'

describe('client API: security', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  const logLines: string[] = []
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk))
        done()
      },
    })
    t = await buildTestApp({ overrides: { logger: pino({ level: 'debug' }, sink) } })
    t.deps.dispatcher.start()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        // SMS only: these tests need a failed delivery, which the default fallback to a call would rescue.
        payload: { name: 'Acme', fallback_channels: [] },
      })
    ).json().id
  })
  afterAll(async () => t.close())

  const mint = async (extra: Record<string, unknown> = {}, service = serviceId) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: service, ...extra },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { session_id: string; token: string }
  }
  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    })

  it('stores only a hash of the token secret, and answers it with no-store', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, entity_id: 'user-1' },
    })
    expect(res.headers['cache-control']).toBe('no-store')
    const { token, session_id } = res.json()
    const secret = token.slice(-43)
    const row = await t.deps.db
      .selectFrom('client_sessions')
      .selectAll()
      .where('id', '=', session_id)
      .executeTakeFirstOrThrow()
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('base64url'))
    const stored = JSON.stringify(row)
    expect(stored).not.toContain(secret)
    expect(stored).not.toContain(token)
  })

  it('keeps tokens out of the request log', async () => {
    const { token } = await mint()
    await t.app.inject({ method: 'GET', url: `/v1/client/resume.svg?token=${token}` })
    await call(token, 'GET', '/v1/client/session')
    const log = logLines.join('')
    expect(log).toContain('vct_***')
    expect(log).not.toContain(token.slice(4))
    expect(maskUrl(`/verify/${token}`)).toBe('/verify/vct_***')
  })

  it("cannot reach another session's verification", async () => {
    const a = await mint()
    const b = await mint()
    await call(b.token, 'POST', '/v1/client/verification', { to: '+447700900501', channel: 'sms' })
    const bCode = await eventually(() => codeFromInbox(t.deps, '+447700900501'))

    expect((await call(a.token, 'GET', '/v1/client/verification')).statusCode).toBe(404)
    expect((await call(a.token, 'GET', '/v1/client/session')).json().verification).toBeNull()
    const stolen = await call(a.token, 'POST', '/v1/client/verification/check', { code: bCode })
    expect(stolen.json().error.code).toBe('VERIFICATION_NOT_FOUND')
    expect((await call(a.token, 'POST', '/v1/client/verification/cancel')).statusCode).toBe(404)
    // B's verification is untouched, and the outcome is B's only.
    const approved = await call(b.token, 'POST', '/v1/client/verification/check', { code: bCode })
    expect(approved.json().status).toBe('approved')
    const readA = await t.app.inject({
      method: 'GET',
      url: `/v1/client-sessions/${a.session_id}`,
      headers: t.auth(t.readKey),
    })
    expect(readA.json()).toMatchObject({ verification_id: null, result: null })
  })

  it("never joins a stranger's pending verification by its number: 409 that tells nothing of it", async () => {
    const owner = await mint({ entity_id: 'user-owner' })
    const started = (
      await call(owner.token, 'POST', '/v1/client/verification', { to: '+447700900504', channel: 'sms' })
    ).json()
    const code = await eventually(() => codeFromInbox(t.deps, '+447700900504'))
    const wrong = code === '000000' ? '111111' : '000000'
    // A stranger: no entity, another entity, the same number in another spelling, another channel.
    const strangers = [await mint(), await mint({ entity_id: 'user-other' })]
    for (const stranger of strangers) {
      for (const attempt of [
        { to: '+447700900504', channel: 'sms' },
        { to: '+44 7700 900504', channel: 'sms' },
        { to: '+447700900504', channel: 'call' },
      ]) {
        const res = await call(stranger.token, 'POST', '/v1/client/verification', attempt)
        expect(res.statusCode, JSON.stringify(attempt)).toBe(409)
        const body = res.json()
        expect(Object.keys(body)).toEqual(['error'])
        expect(body.error.code).toBe('VERIFICATION_PENDING_ELSEWHERE')
        expect(res.body).not.toContain(started.id)
        expect(res.body).not.toMatch(/pending|delivered|attempts|expires_at|timeline/)
      }
      // Nothing to spend its attempts on, nothing to read.
      const check = await call(stranger.token, 'POST', '/v1/client/verification/check', { code: wrong })
      expect(check.json().error.code).toBe('VERIFICATION_NOT_FOUND')
      expect((await call(stranger.token, 'GET', '/v1/client/verification')).statusCode).toBe(404)
      expect((await call(stranger.token, 'GET', '/v1/client/session')).json().verification).toBeNull()
    }
    const mine = (await call(owner.token, 'GET', '/v1/client/verification')).json()
    expect(mine).toMatchObject({ id: started.id, status: 'pending', attempts_left: 5, sends_left: 4 })
    expect((await call(owner.token, 'POST', '/v1/client/verification/check', { code })).json().status).toBe(
      'approved',
    )
  })

  it('refusals count against the per-IP start limit, so numbers cannot be probed without end', async () => {
    const limited = await buildTestApp({
      config: { limits: { startsPerIp: { points: 3, durationSeconds: 3600 } } },
    })
    try {
      const svc = (
        await limited.app.inject({
          method: 'POST',
          url: '/v1/services',
          headers: limited.auth(),
          payload: { name: 'Probe' },
        })
      ).json().id
      const mintThere = async () =>
        (
          await limited.app.inject({
            method: 'POST',
            url: '/v1/client-tokens',
            headers: limited.auth(limited.verifyKey),
            payload: { service_id: svc },
          })
        ).json().token as string
      // The app's server started it (no client IP counted).
      await limited.deps.verifier.start({ serviceId: svc, to: '+447700900505', channel: 'sms' })
      const prober = await mintThere()
      const codes: string[] = []
      for (let i = 0; i < 4; i++) {
        const res = await limited.app.inject({
          method: 'POST',
          url: '/v1/client/verification',
          headers: { authorization: `Bearer ${prober}` },
          payload: { to: '+447700900505', channel: 'sms' },
        })
        codes.push(res.json().error.code)
      }
      expect(codes).toEqual([
        'VERIFICATION_PENDING_ELSEWHERE',
        'VERIFICATION_PENDING_ELSEWHERE',
        'VERIFICATION_PENDING_ELSEWHERE',
        'RATE_LIMITED',
      ])
    } finally {
      await limited.close()
    }
  })

  it('cannot cancel a verification it only joined (another session of the same entity started it)', async () => {
    const owner = await mint({ entity_id: 'user-9' })
    const started = (
      await call(owner.token, 'POST', '/v1/client/verification', { to: '+447700900502', channel: 'sms' })
    ).json()
    const otherTab = await mint({ entity_id: 'user-9' })
    const joined = (
      await call(otherTab.token, 'POST', '/v1/client/verification', { to: '+447700900502', channel: 'sms' })
    ).json()
    expect(joined.id).toBe(started.id)
    expect((await call(otherTab.token, 'POST', '/v1/client/verification/cancel')).json().status).toBe(
      'pending',
    )
    await call(otherTab.token, 'POST', '/v1/client/verification', { to: '+447700900503', channel: 'sms' })
    expect((await call(owner.token, 'GET', '/v1/client/verification')).json().status).toBe('pending')
    expect((await call(owner.token, 'POST', '/v1/client/verification/cancel')).json().status).toBe('canceled')
  })

  it("binds a verification the app's server started only to a token minted for it, in the same service", async () => {
    const fromServer = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+447700900506', channel: 'sms' },
    })
    const bound = await mint({ verification_id: fromServer.json().id })
    const view = (await call(bound.token, 'GET', '/v1/client/verification')).json()
    expect(view).toMatchObject({ id: fromServer.json().id, status: 'pending' })
    // The browser continues it but does not own it.
    expect((await call(bound.token, 'POST', '/v1/client/verification/cancel')).json().status).toBe('pending')
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Elsewhere' },
    })
    const wrongService = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: elsewhere.json().id, verification_id: fromServer.json().id },
    })
    expect(wrongService.statusCode).toBe(404)
    expect(wrongService.json().error.code).toBe('VERIFICATION_NOT_FOUND')
  })

  it("cannot reach the same entity id's factors in another service", async () => {
    const other = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Other' },
      })
    ).json().id
    const here = await mint({ entity_id: 'user-shared', allow_enrolment: true })
    await call(here.token, 'POST', '/v1/client/recovery-codes')
    expect((await call(here.token, 'GET', '/v1/client/factors')).json().recovery_codes).toEqual({
      remaining: 10,
    })
    const there = await mint({ entity_id: 'user-shared' }, other)
    expect((await call(there.token, 'GET', '/v1/client/factors')).json()).toEqual({
      totp: [],
      passkeys: [],
      recovery_codes: { remaining: 0 },
    })
  })

  it('is not an API key, and an API key is not a client token', async () => {
    const { token } = await mint()
    const asKey = await t.app.inject({
      method: 'GET',
      url: '/v1/services',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(asKey.statusCode).toBe(401)
    expect(asKey.json().error.code).toBe('UNAUTHORIZED')
    const asToken = await call(t.adminKey, 'GET', '/v1/client/session')
    expect(asToken.json().error.code).toBe('CLIENT_TOKEN_INVALID')
  })

  describe('CORS', () => {
    it('answers preflights for every client path with 204 and no credentials', async () => {
      for (const url of [
        '/v1/client/verification',
        '/v1/client/verification/check',
        '/v1/client/factors/totp/fac_x/verify',
      ]) {
        const res = await t.app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin: 'https://shop.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        })
        expect(res.statusCode).toBe(204)
        expect(res.headers['access-control-allow-origin']).toBe('*')
        expect(res.headers['access-control-allow-headers']).toBe('authorization, content-type')
        expect(res.headers['access-control-allow-methods']).toMatch(/POST/)
        expect(res.headers['access-control-allow-credentials']).toBeUndefined()
      }
    })

    it('lets any origin read answers and errors, but not the server-side endpoints', async () => {
      const { token } = await mint()
      const ok = await t.app.inject({
        method: 'GET',
        url: '/v1/client/session',
        headers: { authorization: `Bearer ${token}`, origin: 'https://shop.example' },
      })
      expect(ok.headers['access-control-allow-origin']).toBe('*')
      const denied = await t.app.inject({
        method: 'GET',
        url: '/v1/client/session',
        headers: { origin: 'https://shop.example' },
      })
      expect(denied.statusCode).toBe(401)
      expect(denied.headers['access-control-allow-origin']).toBe('*')
      const invalid = await call(token, 'POST', '/v1/client/verification', { to: 1 })
      expect(invalid.statusCode).toBe(400)
      expect(invalid.headers['access-control-allow-origin']).toBe('*')
      const mintRes = await t.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        headers: { ...t.auth(t.verifyKey), origin: 'https://shop.example' },
        payload: { service_id: serviceId },
      })
      expect(mintRes.headers['access-control-allow-origin']).toBeUndefined()
    })
  })

  it('never shows provider names, routes or raw codes to the browser, even for a failed delivery', async () => {
    const { token } = await mint()
    await call(token, 'POST', '/v1/client/verification', { to: '+447700900003', channel: 'sms' })
    const failed = await eventually(async () => {
      const v = (await call(token, 'GET', '/v1/client/verification')).json()
      return v.delivery?.state === 'failed' ? v : undefined
    })
    expect(failed.delivery.reason).toBe('Your mobile network blocked our text message.')
    expect(failed.timeline.map((s: { step: string }) => s.step)).toEqual([
      'queued',
      'handed_to_carrier',
      'failed',
    ])
    // Support sees the raw facts...
    const events = await t.app.inject({
      method: 'GET',
      url: `/v1/verifications/${failed.id}/events`,
      headers: t.auth(t.readKey),
    })
    expect(events.body).toContain('045')
    // ...the browser sees none of them, anywhere.
    const answers = [
      (await call(token, 'GET', '/v1/client/verification')).body,
      (await call(token, 'GET', '/v1/client/session')).body,
      (await call(token, 'GET', '/v1/client/verification/diagnosis')).body,
    ]
    for (const body of answers) {
      expect(body).not.toMatch(
        /simulator|route|provider_message|raw_|UNDELIV|"045"|filtered by carrier|explanation_support|evidence/i,
      )
    }
  })
})
