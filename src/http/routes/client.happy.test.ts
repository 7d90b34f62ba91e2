/** The client API (docs/client-api.md) end to end through the HTTP app: every endpoint's happy path. */

import Fastify from 'fastify'
import { TOTP, URI } from 'otpauth'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SoftAuthenticator } from '../../../test/helpers/soft-authenticator.js'
import {
  buildTestApp,
  buildTestDeps,
  codeFromInbox,
  createTestService,
  eventually,
} from '../../../test/helpers/test-deps.js'
import { installErrorHandling } from '../error-handler.js'
import { registerClientRoutes } from './client.js'

describe('client API: happy path', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    t.deps.dispatcher.start()
    const svc = await t.app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: t.auth(),
      payload: { name: 'Acme Exchange', brand_name: 'Acme', fallback_channels: ['sms', 'call'] },
    })
    expect(svc.statusCode, svc.body).toBe(201)
    serviceId = svc.json().id
  })
  afterAll(async () => t.close())

  const mint = async (extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/client-tokens',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, ...extra },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { session_id: string; token: string; expires_at: string; resume_url: string }
  }
  const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    })
  const serverView = async (sessionId: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/v1/client-sessions/${sessionId}`,
        headers: t.auth(t.readKey),
      })
    ).json()
  const settled = (token: string, state: string) =>
    eventually(async () => {
      const v = (await call(token, 'GET', '/v1/client/verification')).json()
      return v.delivery?.state === state ? v : undefined
    })

  it('mints a token and answers the session for it', async () => {
    const minted = await mint({
      to: '+447700900123',
      channel: 'sms',
      default_country: 'gb',
      locale: 'en',
      ttl_seconds: 600,
    })
    expect(minted.session_id).toMatch(/^cs_[0-9a-z]{24}$/)
    expect(minted.token).toMatch(/^vct_[0-9a-z]{24}_[A-Za-z0-9_-]{43}$/)
    expect(minted.resume_url).toBe(`http://localhost:80/verify/${minted.token}`)
    expect(Date.parse(minted.expires_at) - t.clock.now()).toBe(600_000)

    const res = await call(minted.token, 'GET', '/v1/client/session')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      session_id: minted.session_id,
      expires_at: minted.expires_at,
      resume_url: minted.resume_url,
      locale: 'en',
      default_country: 'GB',
      service: {
        name: 'Acme',
        channels: ['sms', 'call', 'whatsapp', 'email'],
        fallback_channels: ['sms', 'call'],
      },
      prefill: { to: '+447700900123', channel: 'sms' },
      entity: null,
      result: null,
      verification: null,
    })
    expect(await serverView(minted.session_id)).toEqual({
      session_id: minted.session_id,
      service_id: serviceId,
      entity_id: null,
      verification_id: null,
      result: null,
      expires_at: minted.expires_at,
    })
  })

  it('analyses a number as typed, with the session default country', async () => {
    const { token } = await mint({ default_country: 'GB' })
    const res = await call(token, 'POST', '/v1/client/phone-analysis', { number: '07700 900123' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      valid: true,
      e164: '+447700900123',
      country: 'GB',
      international_format: '+44 7700 900123',
      can_receive_sms: true,
      problem: null,
    })
    const typo = (
      await call(token, 'POST', '/v1/client/phone-analysis', { number: '+44 07700 900123' })
    ).json()
    expect(typo.problem).toMatchObject({ reason: 'trunk_prefix_after_country_code' })
    expect(typo.suggestion).toMatchObject({ e164: '+447700900123' })
  })

  it('starts, shows the delivery timeline, checks the code and records the result for the server', async () => {
    const { token, session_id } = await mint()
    const started = await call(token, 'POST', '/v1/client/verification', {
      to: '+44 7700 900201',
      channel: 'sms',
    })
    expect(started.statusCode, started.body).toBe(201)
    const v = started.json()
    expect(v).toMatchObject({
      status: 'pending',
      channel: 'sms',
      to: '+447700900201',
      to_display: '+44 7700 900201',
      code_length: 6,
      attempts_left: 5,
      sends_left: 4,
    })
    expect(v.id).toMatch(/^ver_/)
    expect(Date.parse(v.next_resend_at) - Date.parse(v.created_at)).toBe(30_000)
    expect(v.timeline[0]).toMatchObject({ step: 'queued', channel: 'sms' })

    const delivered = await settled(token, 'delivered')
    expect(delivered.timeline.map((s: { step: string }) => s.step)).toEqual([
      'queued',
      'handed_to_carrier',
      'delivered',
    ])
    expect(delivered.delivery).toMatchObject({ state: 'delivered', channel: 'sms', reason: null })

    // The same number and channel again (a double click) answers the pending verification.
    const again = await call(token, 'POST', '/v1/client/verification', {
      to: '+447700900201',
      channel: 'sms',
    })
    expect(again.json().id).toBe(v.id)

    const code = codeFromInbox(t.deps, '+447700900201')!
    const checked = await call(token, 'POST', '/v1/client/verification/check', { code })
    expect(checked.statusCode, checked.body).toBe(200)
    expect(checked.json()).toMatchObject({ id: v.id, status: 'approved', next_resend_at: null })

    const server = await serverView(session_id)
    expect(server).toMatchObject({ verification_id: v.id, result: { approved: true, factor: 'sms' } })
    expect(server.result.at).toBe(new Date(t.clock.now()).toISOString())
    const session = (await call(token, 'GET', '/v1/client/session')).json()
    expect(session.result).toEqual(server.result)
    expect(session.verification).toMatchObject({ id: v.id, status: 'approved' })
  })

  it('changing the number cancels the old verification, so its code is refused', async () => {
    const { token } = await mint()
    const first = (
      await call(token, 'POST', '/v1/client/verification', { to: '+447700900202', channel: 'sms' })
    ).json()
    const oldCode = await eventually(() => codeFromInbox(t.deps, '+447700900202'))
    const second = await call(token, 'POST', '/v1/client/verification', {
      to: '+447700900203',
      channel: 'sms',
    })
    expect(second.statusCode).toBe(201)
    expect(second.json().id).not.toBe(first.id)
    expect(second.json().to).toBe('+447700900203')

    const old = await t.app.inject({
      method: 'GET',
      url: `/v1/verifications/${first.id}`,
      headers: t.auth(t.readKey),
    })
    expect(old.json().status).toBe('canceled')
    const refusedByApi = await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${first.id}/check`,
      headers: t.auth(t.verifyKey),
      payload: { code: oldCode },
    })
    expect(refusedByApi.json().error.code).toBe('VERIFICATION_NOT_PENDING')
    const newCode = await eventually(() => codeFromInbox(t.deps, '+447700900203'))
    if (newCode !== oldCode) {
      const refused = await call(token, 'POST', '/v1/client/verification/check', { code: oldCode })
      expect(refused.statusCode).toBe(422)
      expect(refused.json().error).toMatchObject({ code: 'CODE_INCORRECT', attempts_left: 4 })
    }
    const ok = await call(token, 'POST', '/v1/client/verification/check', { code: newCode })
    expect(ok.json().status).toBe('approved')
  })

  it("starting on another channel for the same number starts afresh; the app server's pending one is followed by the tokens minted for it", async () => {
    const { token } = await mint()
    const sms = (
      await call(token, 'POST', '/v1/client/verification', { to: '+447700900207', channel: 'sms' })
    ).json()
    const voice = await call(token, 'POST', '/v1/client/verification', {
      to: '+447700900207',
      channel: 'call',
    })
    expect(voice.statusCode, voice.body).toBe(201)
    expect(voice.json()).toMatchObject({ channel: 'call', status: 'pending' })
    expect(voice.json().id).not.toBe(sms.id)
    const read = (id: string) =>
      t.app.inject({ method: 'GET', url: `/v1/verifications/${id}`, headers: t.auth(t.readKey) })
    expect((await read(sms.id)).json().status).toBe('canceled')

    // The app's server already started an SMS verification to this number through the API.
    const fromServer = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: serviceId, to: '+447700900208', channel: 'sms' },
    })
    // It hands the browser that verification by minting the token with its id; a token minted
    // without it is refused the number (a stranger never joins by number: see the security tests).
    const other = await mint({ verification_id: fromServer.json().id })
    // Same number and channel: this session follows that verification (same code).
    const follow = await mint({ verification_id: fromServer.json().id })
    const same = (
      await call(follow.token, 'POST', '/v1/client/verification', { to: '+447700900208', channel: 'sms' })
    ).json()
    expect(same.id).toBe(fromServer.json().id)
    const unbound = await call((await mint()).token, 'POST', '/v1/client/verification', {
      to: '+447700900208',
      channel: 'sms',
    })
    expect(unbound.statusCode).toBe(409)
    expect(unbound.json().error.code).toBe('VERIFICATION_PENDING_ELSEWHERE')
    // Another channel: the joined verification is not canceled (its code keeps working for whoever
    // started it); its same code goes out on the asked channel once the resend cooldown allows.
    const tooSoon = await call(other.token, 'POST', '/v1/client/verification', {
      to: '+447700900208',
      channel: 'whatsapp',
    })
    expect(tooSoon.statusCode).toBe(429)
    expect(tooSoon.json().error).toMatchObject({ code: 'RATE_LIMITED', retry_after: 30 })
    expect((await call(other.token, 'GET', '/v1/client/verification')).json().id).toBe(fromServer.json().id)
    t.clock.advance(30_000)
    const switched = await call(other.token, 'POST', '/v1/client/verification', {
      to: '+447700900208',
      channel: 'whatsapp',
    })
    expect(switched.statusCode, switched.body).toBe(201)
    expect(switched.json()).toMatchObject({ id: fromServer.json().id, status: 'pending', sends_left: 3 })
    expect(switched.json().timeline.map((s: { step: string }) => s.step)).toContain('channel_switched')
    // A new number leaves the joined verification pending.
    const elsewhere = await call(other.token, 'POST', '/v1/client/verification', {
      to: '+447700900209',
      channel: 'sms',
    })
    expect(elsewhere.statusCode).toBe(201)
    expect((await read(fromServer.json().id)).json().status).toBe('pending')
  })

  it('resend: refused during the cooldown with retry_after, then switches channel with the same code', async () => {
    const { token } = await mint()
    const v = (
      await call(token, 'POST', '/v1/client/verification', { to: '+447700900204', channel: 'sms' })
    ).json()
    await settled(token, 'delivered')
    const tooSoon = await call(token, 'POST', '/v1/client/verification/resend', {})
    expect(tooSoon.statusCode).toBe(429)
    expect(tooSoon.json().error).toMatchObject({ code: 'RATE_LIMITED', retry_after: 30 })
    expect(tooSoon.headers['retry-after']).toBe('30')

    t.clock.advance(30_000)
    const switched = await call(token, 'POST', '/v1/client/verification/resend', { channel: 'call' })
    expect(switched.statusCode, switched.body).toBe(200)
    expect(switched.json()).toMatchObject({ id: v.id, sends_left: 3 })
    // The next resend waits longer (60 s after the second send).
    expect(Date.parse(switched.json().next_resend_at) - t.clock.now()).toBe(60_000)
    const after = await eventually(async () => {
      const cv = (await call(token, 'GET', '/v1/client/verification')).json()
      return cv.timeline.filter((s: { step: string }) => s.step === 'delivered').length === 2 ? cv : undefined
    })
    expect(after.timeline.map((s: { step: string; channel: string }) => `${s.step}:${s.channel}`)).toEqual([
      'queued:sms',
      'handed_to_carrier:sms',
      'delivered:sms',
      'channel_switched:call',
      'handed_to_carrier:call',
      'delivered:call',
    ])
    expect(after.delivery).toMatchObject({ state: 'delivered', channel: 'call' })
    const calls = t.deps.simulator!.inbox.list({ to: '+447700900204', limit: 5 })
    expect(new Set(calls.map((m) => m.body.replace(/(\d) (?=\d)/g, '$1').match(/\d{6}/)?.[0])).size).toBe(1)
  })

  it('cancels the pending verification', async () => {
    const { token } = await mint()
    await call(token, 'POST', '/v1/client/verification', { to: '+447700900205', channel: 'sms' })
    const res = await call(token, 'POST', '/v1/client/verification/cancel')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'canceled', next_resend_at: null })
  })

  it("diagnoses in the user's words only", async () => {
    const { token } = await mint()
    await call(token, 'POST', '/v1/client/verification', { to: '+447700900206', channel: 'sms' })
    await settled(token, 'delivered')
    const res = await call(token, 'GET', '/v1/client/verification/diagnosis')
    expect(res.statusCode, res.body).toBe(200)
    const d = res.json()
    expect(d.status).toBe('pending')
    expect(typeof d.summary).toBe('string')
    expect(d.causes.length).toBeGreaterThan(0)
    for (const c of d.causes) {
      expect(Object.keys(c).sort()).toEqual(
        expect.arrayContaining(['explanation', 'id', 'likelihood', 'next_actions', 'rank', 'title']),
      )
      for (const k of Object.keys(c)) {
        expect([
          'explanation',
          'id',
          'likelihood',
          'next_actions',
          'rank',
          'title',
          'wait_seconds',
          'sender_id',
          'suggestion',
        ]).toContain(k)
      }
    }
    expect(d.causes[0]).toMatchObject({ id: 'delivered_not_entered', rank: 1 })
    expect(res.body).not.toMatch(/support|evidence|simulator|route/i)
  })

  it("sends the code in the page's language when the token names none", async () => {
    const { token } = await mint()
    const res = await call(token, 'POST', '/v1/client/verification', {
      to: '+447700900291',
      channel: 'sms',
      locale: 'fr-FR',
    })
    expect(res.statusCode, res.body).toBe(201)
    await settled(token, 'delivered')
    const [sms] = t.deps.simulator!.inbox.list({ to: '+447700900291', limit: 1 })
    expect(sms?.body).toMatch(/code de vérification/i)
  })

  it("diagnoses in the page's language, else the session's", async () => {
    const { token } = await mint({ locale: 'de' })
    await call(token, 'POST', '/v1/client/verification', { to: '+447700900292', channel: 'sms' })
    await settled(token, 'delivered')
    const german = (await call(token, 'GET', '/v1/client/verification/diagnosis')).json()
    expect(german.causes[0]).toMatchObject({
      id: 'delivered_not_entered',
      title: 'Ihr Code wurde zugestellt',
    })
    const spanish = (await call(token, 'GET', '/v1/client/verification/diagnosis?locale=es-MX')).json()
    expect(spanish.causes[0].title).toBe('Tu código se entregó')
    expect(spanish.summary).toMatch(/^Tu código se entregó\. /)
    const bad = await call(token, 'GET', '/v1/client/verification/diagnosis?locale=<script>')
    expect(bad.statusCode).toBe(400)
  })

  it('serves the resume QR code for ?token=', async () => {
    const { token } = await mint()
    const res = await t.app.inject({ method: 'GET', url: `/v1/client/resume.svg?token=${token}` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toMatch(/^<svg/)
  })

  describe('authenticator factors', () => {
    const appCode = (uri: string, at = t.clock.now()) => {
      const otp = URI.parse(uri)
      if (!(otp instanceof TOTP)) throw new Error(`not a TOTP URI: ${uri}`)
      return otp.generate({ timestamp: at })
    }

    it('enrols an authenticator app, verifies it, and signs in with it', async () => {
      const enrolling = await mint({ entity_id: 'user-totp', allow_enrolment: true })
      const none = (await call(enrolling.token, 'GET', '/v1/client/factors')).json()
      expect(none).toEqual({ totp: [], passkeys: [], recovery_codes: { remaining: 0 } })

      const enrolled = await call(enrolling.token, 'POST', '/v1/client/factors/totp', {
        friendly_name: 'My phone',
      })
      expect(enrolled.statusCode, enrolled.body).toBe(201)
      expect(enrolled.headers['cache-control']).toBe('no-store')
      const e = enrolled.json()
      expect(e.factor_id).toMatch(/^fac_/)
      expect(e.secret).toMatch(/^[A-Z2-7]+$/)
      expect(e.uri).toMatch(/^otpauth:\/\/totp\/Acme:user-totp\?/)
      expect(e.qr_svg).toMatch(/^<svg/)
      expect(e.qr_png).toMatch(/^data:image\/png;base64,iVBOR/)

      const verified = await call(enrolling.token, 'POST', `/v1/client/factors/totp/${e.factor_id}/verify`, {
        code: appCode(e.uri),
      })
      expect(verified.statusCode, verified.body).toBe(200)
      expect(verified.json()).toEqual({ factor_id: e.factor_id, status: 'verified' })
      const listed = (await call(enrolling.token, 'GET', '/v1/client/factors')).json()
      expect(listed.totp).toEqual([{ id: e.factor_id, friendly_name: 'My phone', status: 'verified' }])

      // A later sign-in, with a token that may not enrol.
      const signIn = await mint({ entity_id: 'user-totp' })
      const session = (await call(signIn.token, 'GET', '/v1/client/session')).json()
      expect(session.entity).toEqual({
        factors: { totp: true, passkey: false, recovery_codes: false },
        allow_enrolment: false,
      })
      t.clock.advance(30_000)
      const checked = await call(signIn.token, 'POST', '/v1/client/factors/totp/check', {
        code: appCode(e.uri),
      })
      expect(checked.statusCode, checked.body).toBe(200)
      expect(checked.json()).toEqual({ approved: true })
      expect((await serverView(signIn.session_id)).result).toMatchObject({ approved: true, factor: 'totp' })
    })

    it('generates recovery codes once and signs in with one', async () => {
      const enrolling = await mint({ entity_id: 'user-rc', allow_enrolment: true })
      const generated = await call(enrolling.token, 'POST', '/v1/client/recovery-codes')
      expect(generated.statusCode, generated.body).toBe(201)
      expect(generated.headers['cache-control']).toBe('no-store')
      const { codes } = generated.json()
      expect(codes).toHaveLength(10)
      expect(new Set(codes).size).toBe(10)

      const signIn = await mint({ entity_id: 'user-rc' })
      const used = await call(signIn.token, 'POST', '/v1/client/recovery-codes/use', { code: codes[3] })
      expect(used.statusCode, used.body).toBe(200)
      expect(used.json()).toEqual({ approved: true, remaining: 9 })
      expect((await serverView(signIn.session_id)).result).toMatchObject({
        approved: true,
        factor: 'recovery_code',
      })
      expect((await call(signIn.token, 'GET', '/v1/client/factors')).json().recovery_codes).toEqual({
        remaining: 9,
      })
    })

    it('registers a passkey and signs in with it', async () => {
      const authenticator = new SoftAuthenticator()
      const enrolling = await mint({ entity_id: 'user-pk', allow_enrolment: true })
      const options = await call(enrolling.token, 'POST', '/v1/client/passkeys/registration/options', {
        name: 'Laptop',
      })
      expect(options.statusCode, options.body).toBe(200)
      expect(options.json()).toMatchObject({
        rp: { id: 'localhost', name: 'Acme' },
        user: { name: 'user-pk', displayName: 'user-pk' },
        attestation: 'none',
        excludeCredentials: [],
        authenticatorSelection: { userVerification: 'required' },
      })
      expect(options.json().challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const registered = await call(enrolling.token, 'POST', '/v1/client/passkeys/registration', {
        response: authenticator.create(options.json()),
        name: 'Laptop',
      })
      expect(registered.statusCode, registered.body).toBe(201)
      const passkey = registered.json()
      expect(passkey).toEqual({
        id: expect.any(String),
        name: 'Laptop',
        created_at: new Date(t.clock.now()).toISOString(),
      })

      const signIn = await mint({ entity_id: 'user-pk' })
      const auth = await call(signIn.token, 'POST', '/v1/client/passkeys/authentication/options')
      expect(auth.statusCode, auth.body).toBe(200)
      expect(auth.json().allowCredentials).toEqual([expect.objectContaining({ id: passkey.id })])
      const done = await call(signIn.token, 'POST', '/v1/client/passkeys/authentication', {
        response: authenticator.get(auth.json()),
      })
      expect(done.statusCode, done.body).toBe(200)
      expect(done.json()).toEqual({ approved: true })
      expect((await serverView(signIn.session_id)).result).toMatchObject({
        approved: true,
        factor: 'passkey',
      })
      expect((await call(signIn.token, 'GET', '/v1/client/factors')).json().passkeys).toEqual([passkey])
    })
  })
})

describe('client API: status stream (server-sent events over a real socket)', () => {
  let t: Awaited<ReturnType<typeof buildTestApp>>
  let base: string
  let serviceId: string
  beforeAll(async () => {
    t = await buildTestApp()
    t.deps.dispatcher.start()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Acme' },
      })
    ).json().id
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  // Its own connection pool, closed first: the server's close then has no idle client sockets to wait for.
  const agent = new Agent()
  const fetch = (url: string, init: RequestInit = {}) =>
    undiciFetch(url, { ...init, dispatcher: agent } as never) as unknown as Promise<Response>
  afterAll(async () => {
    await agent.destroy()
    await t.close()
  })

  /** Reads `event: status` messages (and comments) from an open stream. */
  const reader = (res: Response) => {
    const body = res.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    const blocks: string[] = []
    const next = async (): Promise<string> => {
      for (;;) {
        const cut = buffer.indexOf('\n\n')
        if (cut >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          blocks.push(block)
          return block
        }
        const { value, done } = await body.read()
        if (done) throw new Error('stream ended')
        buffer += decoder.decode(value, { stream: true })
      }
    }
    /** The next status whose JSON satisfies `fn`. */
    const status = async (fn: (v: { status: string; delivery: { state: string } | null }) => boolean) => {
      for (;;) {
        const block = await next()
        if (!block.startsWith('event: status\n')) continue
        const v = JSON.parse(block.slice('event: status\ndata: '.length))
        if (fn(v)) return v
      }
    }
    return { next, status, blocks, cancel: () => body.cancel() }
  }

  it('streams the status from the start to the approval', async () => {
    const minted = await fetch(`${base}/v1/client-tokens`, {
      method: 'POST',
      headers: { ...t.auth(t.verifyKey), 'content-type': 'application/json' },
      body: JSON.stringify({ service_id: serviceId }),
    })
    const { token } = (await minted.json()) as { token: string }

    // Opened before any verification: it stays open and sends the first status once one starts.
    const res = await fetch(`${base}/v1/client/verification/stream?token=${token}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const stream = reader(res)
    expect(await stream.next()).toBe(': connected')

    const post = (url: string, body: object) =>
      fetch(`${base}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const started = await post('/v1/client/verification', { to: '+447700900301', channel: 'sms' })
    expect(started.status).toBe(201)
    const delivered = await stream.status((v) => v.delivery?.state === 'delivered')
    expect(delivered).toMatchObject({ status: 'pending', to: '+447700900301' })

    const code = codeFromInbox(t.deps, '+447700900301')!
    expect((await post('/v1/client/verification/check', { code })).status).toBe(200)
    const approved = await stream.status((v) => v.status === 'approved')
    expect(approved.delivery.state).toBe('delivered')
    // Identical statuses are not repeated.
    const statuses = stream.blocks.filter((b) => b.startsWith('event: status'))
    expect(new Set(statuses).size).toBe(statuses.length)
    await stream.cancel()
  })

  it('sends the current status at once, and a 401 for a bad token', async () => {
    const { token } = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        headers: t.auth(t.verifyKey),
        payload: { service_id: serviceId },
      })
    ).json()
    await t.app.inject({
      method: 'POST',
      url: '/v1/client/verification',
      headers: { authorization: `Bearer ${token}` },
      payload: { to: '+447700900302', channel: 'sms' },
    })
    const res = await fetch(`${base}/v1/client/verification/stream?token=${token}`)
    const stream = reader(res)
    const first = await stream.status(() => true)
    expect(first).toMatchObject({ to: '+447700900302', status: 'pending' })
    await stream.cancel()

    const bad = await fetch(`${base}/v1/client/verification/stream?token=vct_nope`)
    expect(bad.status).toBe(401)
    expect(bad.headers.get('access-control-allow-origin')).toBe('*')
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('CLIENT_TOKEN_INVALID')
  })

  it('drops its event subscription when the browser goes away', async () => {
    const { token } = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        headers: t.auth(t.verifyKey),
        payload: { service_id: serviceId },
      })
    ).json()
    const listeners = () => t.deps.changes.listenerCount()
    const before = listeners()
    const res = await fetch(`${base}/v1/client/verification/stream?token=${token}`)
    const stream = reader(res)
    await stream.next()
    expect(listeners()).toBe(before + 1)
    await stream.cancel()
    await eventually(() => listeners() === before)
  })
})

describe('client API: status stream keep-alive', () => {
  it('sends a ping comment every interval, and ends the stream when the server closes', async () => {
    const ctx = await buildTestDeps()
    const app = Fastify()
    installErrorHandling(app)
    registerClientRoutes(app, ctx.deps, { pingMs: 30 })
    const agent = new Agent()
    try {
      const service = await createTestService(ctx.deps)
      const { token } = await ctx.deps.clientSessions.mint({ serviceId: service.id })
      const base = await app.listen({ port: 0, host: '127.0.0.1' })
      const res = await undiciFetch(`${base}/v1/client/verification/stream?token=${token}`, {
        dispatcher: agent,
      })
      const body = res.body!.getReader()
      let text = ''
      while ((text.match(/: ping\n\n/g) ?? []).length < 2) {
        const { value, done } = await body.read()
        if (done) throw new Error('stream ended early')
        text += new TextDecoder().decode(value)
      }
      expect(text.startsWith(': connected\n\n')).toBe(true)
      // The server going away ends the stream (the browser's EventSource then reconnects elsewhere).
      await app.close()
      for (;;) {
        const { done } = await body.read()
        if (done) break
      }
    } finally {
      await agent.destroy()
      await app.close()
      await ctx.close()
    }
  })
})
