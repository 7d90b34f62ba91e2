/**
 * The delivery model of docs/delivery.md, driven through the running server: every carrier
 * simulator scenario x {one route, two routes, SMS -> call fallback}. For each it asserts the event
 * sequence, the message and its hand-overs and the verification in the API, the page's delivery
 * state (the client API the widget renders) and the webhooks sent. Regression tests for issue 12's
 * observations 1 (late SMS called a failure), 2 (a 429 switched channel), 3 (an outage given up in
 * seconds), 4 (handsets that are off took the route out) and 8 (fallback off by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CarrierSimulator } from '../../src/simulator/carrier-simulator.js'
import type { SimulatorScenario } from '../../src/simulator/scenarios.js'
import { type Expected, MODEL, NUMBERS, SETUPS, type Setup } from '../helpers/delivery-model.js'
import { buildTestApp, eventually } from '../helpers/test-deps.js'
import { type MockServer, startWebhookReceiver } from '../mocks/mock-server.js'

type App = Awaited<ReturnType<typeof buildTestApp>>

/** How long each end state takes to settle before it is read. */
function settled(scenario: SimulatorScenario, expected: Expected, types: string[]): boolean {
  if (types.length < expected.events.length) return false
  if (scenario === 'provider_outage') return types.filter((t) => t === 'submit_failed').length >= 3
  return true
}

describe.each(Object.keys(SETUPS) as Setup[])('delivery model: %s', (setup) => {
  let t: App
  let receiver: MockServer
  let serviceId: string
  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    t = await buildTestApp({
      realClock: true,
      config: {
        ...SETUPS[setup],
        simulator: { deliveryDelayMs: 30, longDelayMs: 1_500 },
        dispatcher: { pollIntervalMs: 20, backoffBaseMs: 100, backoffMaxMs: 400 },
        routing: {
          ...(SETUPS[setup].routing as object),
          receiptTimeoutMs: 500,
          // The late scenarios' timeouts must not take the route out for the others.
          health: { minSamples: 1000 },
        },
        webhooks: { pollIntervalMs: 20 },
      },
    })
    t.deps.dispatcher.start()
    t.deps.webhookWorker.start()
    serviceId = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'Model' },
      })
    ).json().id
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v1/services/${serviceId}/webhook`,
      headers: t.auth(),
      payload: { url: `${receiver.url}/hooks` },
    })
    expect(put.statusCode).toBe(201)
    // Every simulator instance (the backup route's too) plays the number's scenario.
    for (const provider of t.deps.router.providers()) {
      if (provider.type !== 'simulator') continue
      for (const [scenario, number] of Object.entries(NUMBERS))
        (provider as CarrierSimulator).setScenario(number, scenario as SimulatorScenario)
    }
  })
  afterAll(async () => {
    await t.close()
    await receiver.close()
  })

  it.each(Object.keys(NUMBERS) as SimulatorScenario[])('%s', async (scenario) => {
    const expected = MODEL[scenario][setup]
    const to = NUMBERS[scenario]
    const { token } = (
      await t.app.inject({
        method: 'POST',
        url: '/v1/client-tokens',
        headers: t.auth(t.verifyKey),
        payload: { service_id: serviceId },
      })
    ).json()
    const page = (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload })
    const started = await page('POST', '/v1/client/verification', { to, channel: 'sms' })
    expect(started.statusCode, started.body).toBe(201)
    const id = started.json().id as string

    const events = await eventually(
      async () => {
        const res = await t.app.inject({
          method: 'GET',
          url: `/v1/verifications/${id}/events`,
          headers: t.auth(),
        })
        const list = res.json().data as Array<{ type: string; data: Record<string, unknown> }>
        return settled(
          scenario,
          expected,
          list.map((e) => e.type),
        )
          ? list
          : undefined
      },
      8_000,
      20,
    )
    const types = events.map((e) => e.type)
    if (scenario === 'provider_outage') {
      expect(types.slice(0, expected.events.length)).toEqual(expected.events)
      expect(types).not.toContain('gave_up')
      expect(types).not.toContain('handed_to_provider')
      for (const f of events.filter((e) => e.type === 'submit_failed'))
        expect(f.data).toMatchObject({ retryable: true })
    } else {
      expect(types).toEqual(expected.events)
    }
    if (scenario === 'provider_throttled') {
      expect(events.filter((e) => e.type === 'submit_failed').map((e) => e.data.route)).toEqual([
        'simulator:sms:*',
        'simulator:sms:*',
      ])
    }

    const api = (
      await t.app.inject({ method: 'GET', url: `/v1/verifications/${id}`, headers: t.auth() })
    ).json()
    expect(api.status).toBe('pending')
    expect(api.messages).toHaveLength(1)
    expect(api.messages[0].status).toBe(expected.message)
    if (scenario === 'delivered_late') {
      // Every hand-over settled as delivered: the late ones were unconfirmed, never failed.
      expect(api.messages[0].hand_overs.map((h: { state: string }) => h.state)).toEqual(
        api.messages[0].hand_overs.map(() => 'delivered'),
      )
    }

    const shown = (await page('GET', '/v1/client/verification')).json()
    expect([shown.delivery?.state, shown.delivery?.channel]).toEqual(expected.page)

    // Webhooks: what is sent is exactly what happened (no `failed` while a message may arrive).
    const hooks = () =>
      receiver.requests
        .map(
          (r) => JSON.parse(r.rawBody) as { type: string; data: { verification_id?: string; id?: string } },
        )
        .filter((w) => (w.data.verification_id ?? w.data.id) === id)
        .map((w) => w.type)
    await eventually(() => hooks().length >= expected.webhooks.length, 5_000)
    await new Promise((r) => setTimeout(r, 150))
    expect(hooks()).toEqual(expected.webhooks)

    // Stop an endless retry before the next scenario.
    await t.app.inject({
      method: 'POST',
      url: `/v1/verifications/${id}/cancel`,
      headers: t.auth(t.verifyKey),
    })
  })
})

describe("route health counts only the route's own troubles (observation 4)", () => {
  it('eight handsets that are off leave the SMS route healthy for everyone else', async () => {
    const t = await buildTestApp({
      realClock: true,
      config: {
        simulator: { deliveryDelayMs: 10 },
        dispatcher: { pollIntervalMs: 20 },
        routing: { health: { minSamples: 3, failureRate: 0.5, openMs: 60_000, windowMs: 60_000 } },
      },
    })
    try {
      t.deps.dispatcher.start()
      const serviceId = (
        await t.app.inject({
          method: 'POST',
          url: '/v1/services',
          headers: t.auth(),
          payload: { name: 'Health', fallback_channels: [] },
        })
      ).json().id
      const ids: string[] = []
      for (let i = 0; i < 8; i++) {
        const to = `+4477009006${10 + i}`
        t.deps.simulator!.setScenario(to, 'unreachable')
        const v = await t.app.inject({
          method: 'POST',
          url: '/v1/verifications',
          headers: t.auth(),
          payload: { service_id: serviceId, to },
        })
        ids.push(v.json().id)
      }
      for (const id of ids)
        await eventually(async () =>
          (
            await t.app.inject({ method: 'GET', url: `/v1/verifications/${id}/events`, headers: t.auth() })
          ).body.includes('gave_up'),
        )
      const routes = (await t.app.inject({ method: 'GET', url: '/v1/routes', headers: t.auth() })).json()
      const sms = routes.data.find((r: { id: string }) => r.id === 'simulator:sms:*')
      expect(sms).toMatchObject({ circuit: 'closed' })
      // The next person's code goes straight out on it.
      const v = await t.app.inject({
        method: 'POST',
        url: '/v1/verifications',
        headers: t.auth(),
        payload: { service_id: serviceId, to: '+447700900699' },
      })
      await eventually(async () =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/v1/verifications/${v.json().id}/events`,
            headers: t.auth(),
          })
        ).body.includes('"delivered"'),
      )
    } finally {
      await t.close()
    }
  })
})
