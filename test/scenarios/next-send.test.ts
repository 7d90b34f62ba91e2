/**
 * "When may this person get another code, and how many are left" has one answer
 * (`VerificationLimits.nextSend`), and every surface tells it: the API, the page's client API, the
 * diagnosis and the console. Regression tests for issue 12's observations 5 (the countdown lied
 * after start+cancel) and 6 (a burst of identical starts locked the person out).
 */
import { randomInt } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
import { createDeps } from '../../src/deps.js'
import { supportDuration } from '../../src/diagnosis/support-words/index.js'
import { addStaff, consoleSignIn } from '../helpers/console-session.js'
import { DIALECTS, TEST_REDIS_URL } from '../helpers/test-database.js'
import { buildTestApp, eventually } from '../helpers/test-deps.js'

/** A drama-range number outside the simulator's scenarios, picked at random so that runs sharing one Redis rarely share counters. */
const freshNumber = () => `+447700900${randomInt(100, 1000)}`

type App = Awaited<ReturnType<typeof buildTestApp>>

describe.each(DIALECTS)('the next send, told the same everywhere (%s)', (dialect) => {
  let t: App | undefined
  afterEach(async () => {
    await t?.close()
    t = undefined
  })

  it('after 4 start+cancel the 5th start says when the number may really get another code, and a resend before then is refused for exactly that long', async () => {
    // The real clock: the limit counters run on it, as in production.
    const app = await buildTestApp({
      realClock: true,
      dialect,
      ...(dialect === 'postgres' && TEST_REDIS_URL ? { config: { redisUrl: TEST_REDIS_URL } } : {}),
    })
    t = app
    app.deps.dispatcher.start()
    const service = (
      await app.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: app.auth(),
        payload: { name: 'Acme' },
      })
    ).json().id as string
    const to = freshNumber()
    for (let i = 0; i < 4; i++) {
      const started = await app.app.inject({
        method: 'POST',
        url: '/v1/verifications',
        headers: app.auth(app.verifyKey),
        payload: { service_id: service, to },
      })
      expect(started.statusCode).toBe(201)
      const cancel = await app.app.inject({
        method: 'POST',
        url: `/v1/verifications/${started.json().id}/cancel`,
        headers: app.auth(app.verifyKey),
      })
      expect(cancel.json().status).toBe('canceled')
      // The first start opens the per-number window; the 5th comes a moment later, so the window
      // reopens (in whole seconds) before the 5th code expires, as it does for a real person.
      if (i === 0) await new Promise((r) => setTimeout(r, 1_500))
    }

    // The page starts the 5th (the 5th send of 5 allowed per 10 minutes).
    const { token } = (
      await app.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        headers: app.auth(app.verifyKey),
        payload: { service_id: service },
      })
    ).json()
    const page = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload })
    const fifth = await page('POST', '/v1/client/verification', { to, channel: 'sms' })
    expect(fifth.statusCode).toBe(201)
    const id = fifth.json().id as string

    const api = (
      await app.app.inject({ method: 'GET', url: `/v1/verifications/${id}`, headers: app.auth() })
    ).json()
    const now = Date.now()
    // Not "resend in 30 s": the per-number window of the first start decides (~10 minutes).
    const nextAt = Date.parse(api.next_resend_at)
    expect(nextAt - now).toBeGreaterThan(9 * 60_000)
    expect(nextAt - now).toBeLessThanOrEqual(10 * 60_000)
    // Four more sends fit this verification once the window reopens, before the code expires.
    expect(api.sends_left).toBe(4)

    // The page says the same.
    const shown = (await page('GET', '/v1/client/verification')).json()
    // To the second: a window's reset time is told in whole seconds.
    expect(Math.abs(Date.parse(shown.next_resend_at) - nextAt)).toBeLessThanOrEqual(1000)
    expect(shown.sends_left).toBe(api.sends_left)

    // A resend is refused for exactly the time the answer gave, not the 30 s cooldown.
    const resend = await app.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/resend`,
      headers: app.auth(app.verifyKey),
    })
    expect(resend.statusCode, resend.body).toBe(429)
    expect(resend.json().error.limit).toBe('sends_per_destination')
    const retryAfter = Number(resend.headers['retry-after'])
    const expectedWait = Math.ceil((nextAt - Date.now()) / 1000)
    expect(Math.abs(retryAfter - expectedWait)).toBeLessThanOrEqual(1)

    // The diagnosis tells the same wait and the same count...
    const diagnosis = (
      await app.app.inject({ method: 'GET', url: `/v1/verifications/${id}/diagnosis`, headers: app.auth() })
    ).json()
    const limited = diagnosis.causes.find((c: { id: string }) => c.id === 'rate_limited')
    expect(limited).toMatchObject({ sends_left: 4 })
    expect(Math.abs(limited.wait_seconds - expectedWait)).toBeLessThanOrEqual(1)

    // ...and so does the console, which shows the diagnosis for support.
    await addStaff(app.deps, 'support@example.com', 'support')
    const browser = await consoleSignIn(app.app, { email: 'support@example.com' })
    const found = await browser.post('/console/search', { q: to })
    const person = (await browser.get(String(found.headers.location))).body
    expect(person).toContain('data-cause="rate_limited"')
    // The same wait in support's words, to the second (the page was rendered a moment later).
    const shownWaits = [0, 1, 2].map(
      (d) =>
        `A new code can go out in <strong>${supportDuration((limited.wait_seconds - d) * 1000)}</strong>`,
    )
    expect(
      shownWaits.some((w) => person.includes(w)),
      `${shownWaits.join(' | ')} in the console`,
    ).toBe(true)
    expect(person).toContain(', then up to 4 more codes')
  })

  it('ten identical starts at once: one verification, one message, no refusal, and the resend after the cooldown goes through', async () => {
    const app = await buildTestApp({
      dialect,
      ...(dialect === 'postgres' && TEST_REDIS_URL ? { config: { redisUrl: TEST_REDIS_URL } } : {}),
    })
    t = app
    app.deps.dispatcher.start()
    const service = (
      await app.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: app.auth(),
        payload: { name: 'Acme' },
      })
    ).json().id as string
    const to = freshNumber()
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.app.inject({
          method: 'POST',
          url: '/v1/verifications',
          headers: app.auth(app.verifyKey),
          payload: { service_id: service, to },
        }),
      ),
    )
    expect(answers.map((a) => a.statusCode).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ])
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1)
    await eventually(() => app.deps.simulator!.inbox.list({ to }).length === 1)
    const id = answers[0]!.json().id as string
    const fetched = (
      await app.app.inject({ method: 'GET', url: `/v1/verifications/${id}`, headers: app.auth() })
    ).json()
    expect(fetched.sends_left).toBe(4)

    app.clock.advance(30_000)
    const resend = await app.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/resend`,
      headers: app.auth(app.verifyKey),
    })
    expect(resend.statusCode).toBe(200)
    expect(resend.json().sends_left).toBe(3)
  })
})

describe.runIf(DIALECTS.includes('postgres') && TEST_REDIS_URL)(
  'identical starts on two instances of one PostgreSQL + Redis',
  () => {
    it('one verification and one message, and the losing side gives back what it counted', async () => {
      const first = await buildTestApp({ dialect: 'postgres', config: { redisUrl: TEST_REDIS_URL } })
      const config = loadConfig({
        env: {},
        overrides: {
          env: 'test',
          logLevel: 'silent',
          databaseUrl: first.db.url,
          dataDir: first.db.dataDir,
          redisUrl: TEST_REDIS_URL,
          secrets: { keys: ['t1:test-secret-test-secret-test-secret-0001'] },
          simulator: { deliveryDelayMs: 0 },
        },
      })
      const second = await createDeps(config, { clock: first.clock })
      try {
        const service = (
          await first.app.inject({
            method: 'POST',
            url: '/v1/services',
            headers: first.auth(),
            payload: { name: 'Acme' },
          })
        ).json().id as string
        const to = freshNumber()
        const starts = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? first.deps.verifier : second.verifier).start({
              serviceId: service,
              to,
              channel: 'sms',
            }),
          ),
        )
        expect(new Set(starts.map((s) => s.verification.id)).size).toBe(1)
        expect(starts.filter((s) => s.created)).toHaveLength(1)
        const v = starts[0]!.verification
        // Only the one real send is counted against the number.
        expect((await first.deps.verifier.nextSend(v)).sendsLeft).toBe(4)
      } finally {
        await second.close()
        await first.close()
      }
    })
  },
)
