/**
 * The webhook worker against a real local endpoint: a failing answer is retried with backoff (time
 * moves only when the test says so), attempts are recorded, and a delivery is given up after
 * `webhooks.maxAttempts`.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import {
  buildTestDeps,
  createTestService,
  eventually,
  type TestContext,
} from '../../test/helpers/test-deps.js'
import { type MockAction, type MockServer, startMockServer } from '../../test/mocks/mock-server.js'
import { verifyWebhookSignature } from './signature.js'

describe.each(DIALECTS)('WebhookWorker (%s)', (dialect) => {
  let t: TestContext | undefined
  let receiver: MockServer | undefined
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
  })

  /** A service whose endpoint answers with `script` in turn (the last entry repeats), and one queued `started` webhook. */
  async function setup(script: MockAction[], webhooks: Record<string, number>) {
    let i = 0
    receiver = await startMockServer(() => script[Math.min(i++, script.length - 1)]!)
    t = await buildTestDeps({ dialect, config: { webhooks } })
    const service = await createTestService(t.deps)
    const { secret } = await t.deps.webhooks.configure(service.id, `${receiver.url}/hook`, [
      'verification.started',
    ])
    await t.deps.verifier.start({ serviceId: service.id, to: '+447700900111', channel: 'sms' })
    const ctx = t
    const [delivery] = await eventually(async () => {
      const list = await ctx.deps.webhookStore.listDeliveries(service.id, 10)
      return list.length > 0 ? list : undefined
    })
    return { deps: t.deps, clock: t.clock, receiver, secret: secret!, id: delivery!.id }
  }

  it('retries a 500 with exponential backoff, then succeeds, recording every attempt', async () => {
    const { deps, clock, receiver, secret, id } = await setup(
      [{ status: 500 }, { status: 500 }, { status: 204 }],
      {
        backoffBaseMs: 1000,
        backoffMaxMs: 60_000,
        maxAttempts: 5,
      },
    )
    const t0 = clock.now()
    expect(await deps.webhookWorker.drain()).toBe(1)
    let d = (await deps.webhookStore.get(id))!
    expect(d).toMatchObject({ status: 'queued', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' })
    expect(d.availableAt - t0).toBeGreaterThanOrEqual(500)
    expect(d.availableAt - t0).toBeLessThanOrEqual(1000)

    // Not due yet: nothing is sent before the backoff has passed.
    expect(await deps.webhookWorker.drain()).toBe(0)
    expect(receiver.requests).toHaveLength(1)

    clock.set(d.availableAt)
    const t1 = clock.now()
    expect(await deps.webhookWorker.drain()).toBe(1)
    d = (await deps.webhookStore.get(id))!
    expect(d).toMatchObject({ status: 'queued', attempts: 2, lastStatusCode: 500 })
    // Second retry waits about twice as long: base * 2 with jitter in [1000, 2000].
    expect(d.availableAt - t1).toBeGreaterThanOrEqual(1000)
    expect(d.availableAt - t1).toBeLessThanOrEqual(2000)

    clock.set(d.availableAt)
    expect(await deps.webhookWorker.drain()).toBe(1)
    d = (await deps.webhookStore.get(id))!
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 204, lastError: null })
    expect(d.finishedAt).not.toBeNull()

    const attempts = await deps.webhookStore.listAttempts(id)
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 500, 'HTTP 500'],
      [3, 204, null],
    ])
    expect(attempts[0]!.nextAttemptAt).not.toBeNull()
    expect(attempts[2]!.nextAttemptAt).toBeNull()

    // Every attempt carries the same event and body, signed afresh with the attempt's time.
    expect(new Set(receiver.requests.map((r) => r.rawBody)).size).toBe(1)
    expect(new Set(receiver.requests.map((r) => r.headers['verigate-event-id']))).toEqual(new Set([id]))
    for (const [n, r] of receiver.requests.entries()) {
      const at = Math.floor(attempts[n]!.at / 1000)
      expect(
        verifyWebhookSignature(secret, r.rawBody, r.headers['verigate-signature'], { nowSeconds: at }),
      ).toBe(true)
    }
  })

  it('gives up after maxAttempts (errors and non-2xx alike) and records it', async () => {
    const { deps, clock, receiver, id } = await setup(
      [{ status: 503 }, 'drop', { status: 302, headers: { location: '/elsewhere' } }],
      {
        backoffBaseMs: 1000,
        backoffMaxMs: 5000,
        maxAttempts: 3,
      },
    )
    for (let i = 0; i < 3; i++) {
      expect(await deps.webhookWorker.drain()).toBe(1)
      clock.advance(5000)
    }
    const d = (await deps.webhookStore.get(id))!
    expect(d).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 302, lastError: 'HTTP 302' })
    const attempts = await deps.webhookStore.listAttempts(id)
    expect(attempts.map((a) => a.statusCode)).toEqual([503, null, 302])
    expect(attempts[1]!.error).toBeTruthy()
    expect(attempts[2]!.nextAttemptAt).toBeNull()

    clock.advance(3_600_000)
    expect(await deps.webhookWorker.drain()).toBe(0)
    // Redirects are not followed.
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hook', '/hook', '/hook'])
  })

  it('cancels a queued delivery whose endpoint was removed', async () => {
    const { deps, receiver, id } = await setup([{ status: 200 }], { backoffBaseMs: 1000 })
    const d = (await deps.webhookStore.get(id))!
    expect(await deps.webhooks.remove(d.serviceId)).toBe(true)
    expect(await deps.webhookWorker.drain()).toBe(1)
    expect(await deps.webhookStore.get(id)).toMatchObject({ status: 'canceled' })
    expect(receiver.requests).toHaveLength(0)
  })
})
