/**
 * Telegram codes through the running server (HTTP on a real port, the Telegram adapter against the
 * Gateway wire-format mock, the carrier simulator as the SMS network): a number with Telegram gets
 * its code there, one without falls back to SMS at once with no Telegram charge, a forged report is
 * refused, and the message is revoked when the verification ends.
 */
import { createHash, createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/server-process.js'
import { buildTestApp, codeFromInbox, eventually } from '../helpers/test-deps.js'
import { startTelegramGatewayMock, type TelegramGatewayMock } from '../mocks/telegram-gateway-mock.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>
const TOKEN = 'gateway-token-e2e'
const WITH_TELEGRAM = '+447700900301'
const WITHOUT_TELEGRAM = '+447700900302'

describe('telegram channel through the running server', () => {
  let t: TestApp | undefined
  let gateway: TelegramGatewayMock | undefined
  let origin = ''
  afterEach(async () => {
    await t?.close()
    await gateway?.close()
    t = undefined
    gateway = undefined
  })

  async function start() {
    gateway = await startTelegramGatewayMock({ accessToken: TOKEN, telegramNumbers: [WITH_TELEGRAM] })
    const port = await freePort()
    const publicUrl = `http://127.0.0.1:${port}`
    origin = publicUrl
    t = await buildTestApp({
      realClock: true,
      config: {
        port,
        publicUrl,
        dispatcher: { pollIntervalMs: 20, backoffBaseMs: 1, backoffMaxMs: 5 },
        providers: [
          {
            type: 'telegram',
            id: 'telegram',
            accessToken: TOKEN,
            baseUrl: gateway.url,
            callbackUrl: `${publicUrl}/v1/receipts/telegram`,
          },
        ],
      },
    })
    await t.app.listen({ host: '127.0.0.1', port })
    t.deps.dispatcher.start()
    const svc = await http('POST', '/v1/services', {
      name: 'Telegram first',
      channels: ['telegram', 'sms', 'call'],
      fallback_channels: ['sms', 'call'],
    })
    return { publicUrl, serviceId: svc.id as string }
  }

  async function http(method: string, path: string, body?: unknown) {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { ...t!.auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return res.json() as Promise<Record<string, unknown> & { data?: Array<Record<string, unknown>> }>
  }

  /** What the service's daily spend cap has counted so far (the dispatcher's rule, default cap). */
  const spent = async (serviceId: string) => {
    const rule = { name: 'spend-svc', points: 100_000, durationSeconds: 86_400 }
    return rule.points - (await t!.deps.limiter.peek(rule, serviceId)).remaining
  }

  const timeline = async (id: string) =>
    ((await http('GET', `/v1/verifications/${id}/events`)).data ?? []) as Array<{
      type: string
      data: Record<string, unknown>
    }>

  it('a number with Telegram gets its code in Telegram; the report marks it delivered; approval revokes it', async () => {
    const { serviceId } = await start()
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: WITH_TELEGRAM,
      channel: 'telegram',
    })
    expect(v.channel).toBe('telegram')
    const request = await eventually(() =>
      [...gateway!.gatewayRequests.values()].find((r) => r.code !== undefined),
    )
    expect(request.phoneNumber).toBe(WITH_TELEGRAM)
    // One charge: the check's; the send reused its request_id.
    expect(gateway!.charges).toEqual([
      { requestId: request.requestId, cost: 0.01, method: 'checkSendAbility' },
    ])
    expect(request.ttl).toBeGreaterThan(590)
    expect(request.ttl).toBeLessThanOrEqual(600)
    expect(t!.deps.simulator!.inbox.list({ to: WITH_TELEGRAM })).toHaveLength(0)

    expect(await gateway!.report(request.requestId, 'delivered')).toBe(200)
    const events = await eventually(async () => {
      const e = await timeline(v.id as string)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    })
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'send_requested',
      'handed_to_provider',
      'delivered',
    ])
    expect(events[2]?.data).toMatchObject({
      channel: 'telegram',
      provider: 'telegram',
      provider_message_id: request.requestId,
    })

    const checked = await http('POST', `/v1/verifications/${v.id}/check`, { code: request.code })
    expect(checked.status).toBe('approved')
    await eventually(() => gateway!.calls('revokeVerificationMessage').length === 1)
    expect(JSON.parse(gateway!.calls('revokeVerificationMessage')[0]!.rawBody)).toEqual({
      request_id: request.requestId,
    })
  })

  it('a number without Telegram falls back to SMS at once, with no Telegram charge', async () => {
    const { serviceId } = await start()
    const began = Date.now()
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: WITHOUT_TELEGRAM,
      channel: 'telegram',
    })
    const code = await eventually(() => codeFromInbox(t!.deps, WITHOUT_TELEGRAM))
    expect(Date.now() - began).toBeLessThan(4000)
    expect(gateway!.calls('checkSendAbility')).toHaveLength(1)
    expect(gateway!.calls('sendVerificationMessage')).toHaveLength(0)
    expect(gateway!.charges).toEqual([])
    const events = await eventually(async () => {
      const e = await timeline(v.id as string)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    })
    expect(events.map((e) => [e.type, e.data.to_channel ?? e.data.channel])).toEqual([
      ['created', 'telegram'],
      ['send_requested', 'telegram'],
      ['submit_failed', 'telegram'],
      ['channel_fallback', 'sms'],
      ['handed_to_provider', 'sms'],
      ['delivered', 'sms'],
    ])
    expect(events[2]?.data).toMatchObject({ outcome: 'no_account', retryable: false })
    expect(events[3]?.data).toMatchObject({
      from_channel: 'telegram',
      to_channel: 'sms',
      reason: 'no_account',
    })
    const checked = await http('POST', `/v1/verifications/${v.id}/check`, { code })
    expect(checked.status).toBe('approved')
  })

  it('the spend cap is charged for the SMS that went out, not for the Telegram check that refused the number', async () => {
    const { serviceId } = await start()
    expect(await spent(serviceId)).toBe(0)
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: WITHOUT_TELEGRAM,
      channel: 'telegram',
    })
    await eventually(async () =>
      (await timeline(v.id as string)).some((e) => e.type === 'handed_to_provider'),
    )
    expect(gateway!.calls('checkSendAbility')).toHaveLength(1)
    // One unit (the SMS route's default cost); the refused Telegram send was given back.
    expect(await spent(serviceId)).toBe(1)

    // A Telegram-capable number: one unit for the one message.
    await http('POST', '/v1/verifications', { service_id: serviceId, to: WITH_TELEGRAM, channel: 'telegram' })
    await eventually(() => [...gateway!.gatewayRequests.values()].some((r) => r.code !== undefined))
    await eventually(async () => (await spent(serviceId)) === 2)
    expect(await spent(serviceId)).toBe(2)
  })

  it('a report signed as the reference says (computed here, not by the adapter or the mock) is accepted', async () => {
    const { publicUrl, serviceId } = await start()
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: WITH_TELEGRAM,
      channel: 'telegram',
    })
    const request = await eventually(() =>
      [...gateway!.gatewayRequests.values()].find((r) => r.code !== undefined),
    )
    await eventually(async () =>
      (await timeline(v.id as string)).some((e) => e.type === 'handed_to_provider'),
    )
    const body = JSON.stringify({
      request_id: request.requestId,
      phone_number: WITH_TELEGRAM,
      request_cost: 0.01,
      delivery_status: { status: 'read', updated_at: Math.floor(Date.now() / 1000) },
    })
    const timestamp = String(Math.floor(Date.now() / 1000))
    // core.telegram.org/gateway/api, "Checking report integrity":
    // hex(HMAC_SHA256(X-Request-Timestamp + '\n' + post_body, SHA256(api_token)))
    const secretKey = createHash('sha256').update(TOKEN).digest()
    const signature = createHmac('sha256', secretKey).update(`${timestamp}\n${body}`).digest('hex')
    const post = (headers: Record<string, string>) =>
      fetch(`${publicUrl}/v1/receipts/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }).then((r) => r.status)
    // Keyed with the hex spelling of the hash: not the reference's key, refused, nothing recorded.
    const hexKeyed = createHmac('sha256', createHash('sha256').update(TOKEN).digest('hex'))
      .update(`${timestamp}\n${body}`)
      .digest('hex')
    expect(await post({ 'x-request-timestamp': timestamp, 'x-request-signature': hexKeyed })).toBe(401)
    expect((await timeline(v.id as string)).map((e) => e.type)).not.toContain('delivered')
    // The reference says the endpoint must answer 200 to acknowledge a report.
    expect(await post({ 'x-request-timestamp': timestamp, 'x-request-signature': signature })).toBe(200)
    const events = await eventually(async () => {
      const e = await timeline(v.id as string)
      return e.some((x) => x.type === 'delivered') ? e : undefined
    })
    expect(events.find((e) => e.type === 'delivered')?.data).toMatchObject({
      provider: 'telegram',
      provider_message_id: request.requestId,
      raw_status: 'read',
    })
  })

  it('a forged Telegram report is refused with 401 and changes nothing', async () => {
    const { publicUrl, serviceId } = await start()
    const v = await http('POST', '/v1/verifications', {
      service_id: serviceId,
      to: WITH_TELEGRAM,
      channel: 'telegram',
    })
    const request = await eventually(() =>
      [...gateway!.gatewayRequests.values()].find((r) => r.code !== undefined),
    )
    await eventually(async () =>
      (await timeline(v.id as string)).some((e) => e.type === 'handed_to_provider'),
    )
    const url = `${publicUrl}/v1/receipts/telegram`
    expect(await gateway!.report(request.requestId, 'delivered', { url, token: 'someone-elses-token' })).toBe(
      401,
    )
    expect(await gateway!.report(request.requestId, 'delivered', { url, token: null })).toBe(401)
    // A genuine signature from too long ago is a replay.
    const old = Math.floor(Date.now() / 1000) - 3600
    expect(await gateway!.report(request.requestId, 'delivered', { url, timestamp: old })).toBe(401)
    const events = await timeline(v.id as string)
    expect(events.map((e) => e.type)).toEqual(['created', 'send_requested', 'handed_to_provider'])
    const fresh = await http('GET', `/v1/verifications/${v.id}`)
    expect((fresh.messages as Array<{ status: string }>)[0]?.status).toBe('sent')
  })
})
