/**
 * Delivery scenarios through the running server (HTTP on a real port, real provider adapters
 * against wire-format mocks, the carrier simulator as the other network): each keeps one code and
 * records every hop in the event timeline.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/server-process.js'
import { buildTestApp, codeFromInbox, eventually } from '../helpers/test-deps.js'
import { startTwilioMock, type TwilioMock } from '../mocks/twilio-mock.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>

describe('delivery scenarios', () => {
  let t: TestApp | undefined
  let twilio: TwilioMock | undefined
  afterEach(async () => {
    await t?.close()
    await twilio?.close()
    t = undefined
    twilio = undefined
  })

  async function start(config: Record<string, unknown>, port?: number) {
    t = await buildTestApp({
      realClock: true,
      config: { dispatcher: { pollIntervalMs: 20, backoffBaseMs: 1, backoffMaxMs: 5 }, ...config },
    })
    if (port !== undefined) await t.app.listen({ host: '127.0.0.1', port })
    t.deps.dispatcher.start()
    return t
  }

  /**
   * Starts the app listening on a port of its own, its primary route a Twilio mock whose signed
   * status callbacks come back to that port, with `routing`; returns the app's public URL and the mock.
   */
  async function startBehindTwilio(
    routing: Record<string, unknown>,
  ): Promise<{ publicUrl: string; mock: TwilioMock }> {
    const mock = await startTwilioMock()
    twilio = mock
    const port = await freePort()
    const publicUrl = `http://127.0.0.1:${port}`
    await start(
      {
        port,
        publicUrl,
        providers: [
          {
            type: 'twilio',
            id: 'twilio',
            baseUrl: mock.url,
            accountSid: mock.accountSid,
            authToken: mock.authToken,
            from: '+15005550006',
            statusCallbackUrl: `${publicUrl}/v1/receipts/twilio`,
          },
        ],
        routing,
      },
      port,
    )
    return { publicUrl, mock }
  }

  async function http(method: string, path: string, body?: unknown) {
    const res = await t!.app.inject({
      method: method as 'GET',
      url: path,
      headers: t!.auth(),
      ...(body ? { payload: body as object } : {}),
    })
    return res.json()
  }

  async function timeline(id: string) {
    return (await http('GET', `/v1/verifications/${id}/events`)).data as Array<{
      type: string
      at: string
      data: Record<string, unknown>
    }>
  }

  async function approve(id: string, to: string) {
    const code = await eventually(() => codeFromInbox(t!.deps, to))
    expect(
      t!.deps.simulator!.inbox.list({ to }).every((m) => m.body.includes(code)),
      'every message carries one code',
    ).toBe(true)
    const checked = await http('POST', `/v1/verifications/${id}/check`, { code })
    expect(checked.status).toBe('approved')
  }

  it('primary provider down: delivered by the secondary within 1 s', async () => {
    twilio = await startTwilioMock()
    await start({
      providers: [
        {
          type: 'twilio',
          id: 'twilio',
          baseUrl: twilio.url,
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: '+15005550006',
        },
      ],
    })
    twilio.failNext({ status: 503, code: 20500, message: 'Service Unavailable' })
    const svc = await http('POST', '/v1/services', { name: 'Failover' })
    const began = Date.now()
    const v = await http('POST', '/v1/verifications', { service_id: svc.id, to: '+447700900301' })
    const events = await eventually(
      async () => {
        const e = await timeline(v.id)
        return e.some((x) => x.type === 'delivered') ? e : undefined
      },
      1000,
      5,
    )
    expect(Date.now() - began).toBeLessThan(1000)
    expect(events.map((e) => [e.type, e.data.route ?? null])).toEqual([
      ['created', null],
      ['send_requested', null],
      ['submit_failed', 'twilio:sms:*'],
      ['handed_to_provider', 'simulator:sms:*'],
      ['delivered', 'simulator:sms:*'],
    ])
    expect(events[2]?.data).toMatchObject({ http_status: 503, retryable: true, provider: 'twilio' })
    expect(twilio.requests.length).toBe(1)
    await approve(v.id, '+447700900301')
  })

  it('carrier blocks on the primary: the signed receipt re-sends on the next route', async () => {
    const { publicUrl, mock } = await startBehindTwilio({
      routes: [{ provider: 'twilio', senderIds: { GB: 'ACMEUK' } }, { provider: 'simulator' }],
    })
    const svc = await http('POST', '/v1/services', { name: 'Blocked' })
    const v = await http('POST', '/v1/verifications', { service_id: svc.id, to: '+447700900302' })
    const handed = await eventually(async () =>
      (await timeline(v.id)).find((e) => e.type === 'handed_to_provider'),
    )
    expect(handed.data).toMatchObject({ route: 'twilio:sms:*', from: 'ACMEUK' })
    // A forged receipt changes nothing.
    const forged = await fetch(`${publicUrl}/v1/receipts/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: `MessageSid=${handed.data.provider_message_id}&MessageStatus=undelivered&ErrorCode=30007`,
    })
    expect(forged.status).toBe(401)
    // Twilio says: filtered by the carrier (30007).
    const status = await mock.sendReceipt(`${publicUrl}/v1/receipts/twilio`, {
      sid: String(handed.data.provider_message_id),
      status: 'undelivered',
      errorCode: '30007',
    })
    expect(status).toBe(200)
    const events = await eventually(async () => {
      const e = await timeline(v.id)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    })
    const types = events.map((e) => e.type)
    expect(types).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'delivery_failed',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[3]?.data).toMatchObject({
      outcome: 'carrier_blocked',
      raw_code: '30007',
      route: 'twilio:sms:*',
    })
    expect(events[4]?.data).toMatchObject({ route: 'simulator:sms:*', hop: 2 })
    const fetched = await http('GET', `/v1/verifications/${v.id}`)
    expect(fetched.messages[0]).toMatchObject({ status: 'delivered', route: 'simulator:sms:*', hops: 2 })
    await approve(v.id, '+447700900302')
  })

  it('no receipt: re-sent on the next route after the receipt timeout', async () => {
    await start({
      providers: [{ type: 'simulator', id: 'quiet-carrier', silent: true }],
      routing: { receiptTimeoutMs: 300 },
    })
    const svc = await http('POST', '/v1/services', { name: 'Silent' })
    const v = await http('POST', '/v1/verifications', { service_id: svc.id, to: '+447700900303' })
    const events = await eventually(async () => {
      const e = await timeline(v.id)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    }, 3000)
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'receipt_timeout',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[3]?.data).toMatchObject({ route: 'quiet-carrier:sms:*' })
    expect(Number(events[3]?.data.waited_ms)).toBeGreaterThanOrEqual(300)
    expect(events[4]?.data).toMatchObject({ route: 'simulator:sms:*' })
    await approve(v.id, '+447700900303')
  })

  it('all SMS routes fail: the same code goes out as a voice call', async () => {
    await start({
      providers: [
        { type: 'simulator', id: 'sms-a', channels: ['sms'], outage: true },
        { type: 'simulator', id: 'sms-b', channels: ['sms'], carrierBlocks: true },
      ],
      routing: {
        routes: [{ provider: 'sms-a' }, { provider: 'sms-b' }, { provider: 'simulator', channel: 'call' }],
      },
    })
    const svc = await http('POST', '/v1/services', { name: 'Workflow', fallback_channels: ['sms', 'call'] })
    expect(svc.fallback_channels).toEqual(['sms', 'call'])
    const to = '+447700900304'
    const v = await http('POST', '/v1/verifications', { service_id: svc.id, to })
    const events = await eventually(async () => {
      const e = await timeline(v.id)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    }, 3000)
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'submit_failed',
      'handed_to_provider',
      'delivery_failed',
      'channel_fallback',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[2]?.data).toMatchObject({ route: 'sms-a:sms:*', raw_code: '503' })
    expect(events[4]?.data).toMatchObject({ route: 'sms-b:sms:*', outcome: 'carrier_blocked' })
    expect(events[5]?.data).toMatchObject({ from_channel: 'sms', to_channel: 'call' })
    expect(events[6]?.data).toMatchObject({ route: 'simulator:call:*', channel: 'call' })
    const call = t!.deps.simulator!.inbox.list({ to })[0]
    expect(call?.channel).toBe('call')
    const spoken = call!.body.match(/(\d(?: \d){5})/)![1]!.replaceAll(' ', '')
    expect((await http('POST', `/v1/verifications/${v.id}/check`, { code: spoken })).status).toBe('approved')
  })

  it('a provider without receipts is trusted with the hand-over: no timeout re-send', async () => {
    const { startSmtpMock } = await import('../mocks/smtp-mock.js')
    const smtp = await startSmtpMock({ user: 'mailer', pass: 'secret-pass' })
    try {
      await start({
        providers: [
          {
            type: 'smtp',
            id: 'mail',
            host: smtp.host,
            port: smtp.port,
            rejectUnauthorized: false, // the mock's self-signed certificate
            auth: { user: 'mailer', pass: 'secret-pass' },
            from: 'codes@acme.example',
          },
        ],
        routing: { routes: [{ provider: 'mail', channel: 'email' }], receiptTimeoutMs: 200 },
      })
      const svc = await http('POST', '/v1/services', { name: 'Mail' })
      const v = await http('POST', '/v1/verifications', {
        service_id: svc.id,
        to: 'jane@example.com',
        channel: 'email',
      })
      await eventually(async () => (await timeline(v.id)).some((e) => e.type === 'handed_to_provider'))
      await new Promise((r) => setTimeout(r, 500))
      const types = (await timeline(v.id)).map((e) => e.type)
      expect(types).toEqual(['created', 'send_requested', 'handed_to_provider'])
      expect(smtp.received).toHaveLength(1)
    } finally {
      await smtp.close()
    }
  })

  it('a failing route opens its circuit and is skipped until it is probed back in', async () => {
    await start({
      providers: [{ type: 'simulator', id: 'flaky', channels: ['sms'], outage: true }],
      routing: { health: { minSamples: 3, failureRate: 0.5, openMs: 60_000, windowMs: 60_000 } },
    })
    const svc = await http('POST', '/v1/services', { name: 'Circuit' })
    for (let i = 0; i < 5; i++) {
      const v = await http('POST', '/v1/verifications', { service_id: svc.id, to: `+44770090031${i}` })
      await eventually(async () => (await timeline(v.id)).some((e) => e.type === 'delivered'))
    }
    const routes = await http('GET', '/v1/routes')
    expect(routes.data.find((r: { id: string }) => r.id === 'flaky:sms:*')).toMatchObject({ circuit: 'open' })
    const v = await http('POST', '/v1/verifications', { service_id: svc.id, to: '+447700900320' })
    const events = await eventually(async () => {
      const e = await timeline(v.id)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    })
    // Open circuit: straight to the healthy route, no failed submit first.
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'delivered',
    ])
  })
  it('the SMS comes from the service brand where the route allows it (issue 14), a saved sender ID wins', async () => {
    const { mock } = await startBehindTwilio({
      routes: [
        { provider: 'twilio', countries: ['FR'], senderIds: { FR: 'ACMEFR' }, brandSender: ['*'] },
        { provider: 'twilio', countries: ['DE'], brandSender: ['DE'] },
        { provider: 'twilio', countries: ['ES'] },
        { provider: 'simulator' },
      ],
    })
    const svc = await http('POST', '/v1/services', { name: 'Acme Exchange Ltd', brand_name: 'Acme Exchange' })
    const sender = async (to: string) => {
      const v = await http('POST', '/v1/verifications', { service_id: svc.id, to })
      const handed = await eventually(async () =>
        (await timeline(v.id)).find((e) => e.type === 'handed_to_provider'),
      )
      return handed.data.from
    }
    // The simulator stands for a carrier that takes any alphanumeric sender: the brand, cut to a word.
    expect(await sender('+447700900001')).toBe('Acme')
    const received = await eventually(() => t!.deps.simulator!.inbox.list({ to: '+447700900001' })[0])
    expect(received.from).toBe('Acme')
    // A route allowed to use the brand in Germany.
    expect(await sender('+4915112345678')).toBe('Acme')
    expect(new URLSearchParams(mock.requests.at(-1)?.rawBody).get('From')).toBe('Acme')
    // A sender ID the operator saved for France wins over the brand.
    expect(await sender('+33612345678')).toBe('ACMEFR')
    // No permission for Spain: the account's own number.
    await sender('+34612345678')
    expect(new URLSearchParams(mock.requests.at(-1)?.rawBody).get('From')).toBe('+15005550006')
    // US networks take no alphanumeric sender: the simulator sends from its number.
    expect(await sender('+12025550123')).toBe('VERIGATE')
  })
})
