/**
 * The carrier lookup before a first send, through the running server (HTTP on a real port): the
 * simulator answers lookups for its test numbers (Twilio Lookup's wire-format mock for the time-box
 * case). A landline asked for SMS gets a call; a recent SIM swap raises the risk flag in the API and
 * the webhook, and under the strict policy no code is sent at all.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/server-process.js'
import { buildTestApp, eventually } from '../helpers/test-deps.js'
import { type LookupMock, startTwilioLookupMock } from '../mocks/lookup-mocks.js'
import { type MockServer, startWebhookReceiver } from '../mocks/mock-server.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>
// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely by the assertions
type Json = any
// A US number: its range says "fixed line or mobile", so only the carrier lookup knows it is a landline.
const LANDLINE = '+12025550100'
const SIM_SWAPPED = '+447700900009'
const SID = `AC${'1'.repeat(32)}`

describe('carrier lookup through the running server', () => {
  let t: TestApp | undefined
  let receiver: MockServer | undefined
  let lookupMock: LookupMock | undefined
  let origin = ''
  afterEach(async () => {
    await t?.close()
    await receiver?.close()
    await lookupMock?.close()
    t = undefined
    receiver = undefined
    lookupMock = undefined
  })

  async function start(lookup: Record<string, unknown> = { provider: { type: 'simulator' } }) {
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    t = await buildTestApp({
      realClock: true,
      config: {
        port,
        lookup,
        dispatcher: { pollIntervalMs: 20 },
        webhooks: { pollIntervalMs: 20, allowPrivateNetworks: true },
      },
    })
    await t.app.listen({ host: '127.0.0.1', port })
    t.deps.dispatcher.start()
    t.deps.webhookWorker.start()
  }

  async function http(method: string, path: string, body?: unknown) {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { ...t!.auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return { status: res.status, body: (await res.json()) as Record<string, Json> }
  }

  const service = async (patch: Record<string, unknown> = {}) =>
    (await http('POST', '/v1/services', { name: 'Looked up', channels: ['sms', 'call'], ...patch })).body
      .id as string

  it('a landline asked for SMS is re-routed to a call, and the diagnosis says why', async () => {
    await start()
    const serviceId = await service()
    const v = await http('POST', '/v1/verifications', { service_id: serviceId, to: LANDLINE, channel: 'sms' })
    expect(v.status).toBe(201)
    expect(v.body.channel).toBe('call')
    const call = await eventually(() =>
      t!.deps.simulator!.inbox.list({ to: LANDLINE }).find((m) => m.channel === 'call'),
    )
    expect(t!.deps.simulator!.inbox.list({ to: LANDLINE }).filter((m) => m.channel === 'sms')).toHaveLength(0)
    const events = (await http('GET', `/v1/verifications/${v.body.id}/events`)).body.data as Array<
      Record<string, Json>
    >
    expect(events[0]).toMatchObject({
      type: 'created',
      data: { channel: 'call', rerouted_from: 'sms', line_type: 'landline', line_source: 'carrier_lookup' },
    })
    expect(call.body).toMatch(/\d( \d){5}/)
    const diagnosis = await http('GET', `/v1/verifications/${v.body.id}/diagnosis`)
    expect(JSON.stringify(diagnosis.body)).toContain('landline per the carrier lookup')
  })

  it('a landline on a service without calls is refused with the reason and the suggestion', async () => {
    await start()
    const serviceId = await service({ channels: ['sms'] })
    const v = await http('POST', '/v1/verifications', { service_id: serviceId, to: LANDLINE, channel: 'sms' })
    expect(v.status).toBe(422)
    expect(v.body.error).toMatchObject({
      code: 'PHONE_NUMBER_NOT_SMS_CAPABLE',
      number_type: 'landline',
      source: 'carrier_lookup',
    })
    expect(v.body.error.message).toContain('landline per the carrier lookup')
  })

  it('a recent SIM swap raises the risk flag on the verification and in the webhook', async () => {
    await start()
    receiver = await startWebhookReceiver()
    const serviceId = await service()
    expect(
      (await http('PUT', `/v1/services/${serviceId}/webhook`, { url: `${receiver.url}/hooks` })).status,
    ).toBe(201)
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: SIM_SWAPPED,
      channel: 'sms',
    })
    expect(v.status).toBe(201)
    expect(v.body.risk).toMatchObject({
      sim_swap: { swapped_within_days: 7, last_swap_at: expect.any(String) },
      carrier: 'Simulated Mobile',
    })
    expect((await http('GET', `/v1/verifications/${v.body.id}`)).body.risk).toEqual(v.body.risk)
    const hook = await eventually(() =>
      receiver!.requests.map((r) => JSON.parse(r.rawBody)).find((p) => p.type === 'verification.started'),
    )
    expect(hook.data.risk).toMatchObject({ sim_swap: { swapped_within_days: 7 } })
    // The code still goes out under the default policy.
    await eventually(() => t!.deps.simulator!.inbox.list({ to: SIM_SWAPPED }).length > 0)
  })

  it('under the strict policy a recent SIM swap requires another factor: no code is sent', async () => {
    await start()
    const serviceId = await service({ line_checks: { sim_swap_days: 3, sim_swap_policy: 'require_factor' } })
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: SIM_SWAPPED,
      channel: 'sms',
    })
    expect(v.status).toBe(403)
    expect(v.body.error).toMatchObject({
      code: 'SIM_SWAP_FACTOR_REQUIRED',
      reason: 'sim_swap',
      swapped_within_days: 3,
      factors: ['totp', 'passkey'],
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(t!.deps.simulator!.inbox.list({ to: SIM_SWAPPED })).toHaveLength(0)
    // An ordinary number on the same service is not affected.
    expect(
      (
        await http('POST', '/v1/verifications', {
          service_id: serviceId,
          to: '+447700900020',
          channel: 'sms',
        })
      ).status,
    ).toBe(201)
  })

  it('a lookup that hangs never blocks the send: time-boxed, counted, and the code goes out', async () => {
    lookupMock = await startTwilioLookupMock({ accountSid: SID, authToken: 'tok', numbers: {} })
    await start({
      provider: { type: 'twilio', accountSid: SID, authToken: 'tok', baseUrl: lookupMock.url },
      timeoutMs: 300,
    })
    lookupMock.failNext('hang')
    const serviceId = await service()
    const began = Date.now()
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: '+447700900021',
      channel: 'sms',
    })
    expect(v.status).toBe(201)
    expect(Date.now() - began).toBeLessThan(3000)
    expect(v.body.channel).toBe('sms')
    expect(t!.deps.lineLookup?.counters.failed).toBe(1)
    await eventually(() => t!.deps.simulator!.inbox.list({ to: '+447700900021' }).length > 0)
  })
})

describe('the console shows the risk flag', () => {
  it('a SIM-swapped number shows "SIM swapped ... per the carrier lookup" on its person page', async () => {
    const { consoleSignIn, addStaff } = await import('../helpers/console-session.js')
    const t = await buildTestApp({ config: { lookup: { provider: { type: 'simulator' } } } })
    try {
      await addStaff(t.deps, 'admin@example.com', 'admin')
      const admin = await consoleSignIn(t.app, { email: 'admin@example.com' })
      const svc = await t.app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: t.auth(),
        payload: { name: 'S' },
      })
      await t.deps.verifier.start({ serviceId: svc.json().id, to: SIM_SWAPPED, channel: 'sms' })
      const found = await admin.post('/console/search', { q: SIM_SWAPPED })
      const page = await admin.get(String(found.headers.location))
      expect(page.body).toMatch(/SIM swapped<\/span> within the last 7 days per the carrier lookup/)
    } finally {
      await t.close()
    }
  })
})
