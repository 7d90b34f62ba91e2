/**
 * WhatsApp templates through the running server: a one-tap template Meta has not approved is not
 * used; the approved copy-code template carries the code and the hand-over event says why; with no
 * approved template at all the code goes by SMS, and the refusal names the statuses.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../helpers/server-process.js'
import { buildTestApp, codeFromInbox, eventually } from '../helpers/test-deps.js'
import {
  type MetaTemplateStatus,
  startWhatsappCloudMock,
  type WhatsappCloudMock,
} from '../mocks/whatsapp-cloud-mock.js'

type TestApp = Awaited<ReturnType<typeof buildTestApp>>
const TOKEN = 'EAAJB-e2e-token'
const PHONE_ID = '106540352242922'
const WABA = '102290129340398'
const TO = '+447700900311'

describe('whatsapp templates through the running server', () => {
  let t: TestApp | undefined
  let meta: WhatsappCloudMock | undefined
  let origin = ''
  afterEach(async () => {
    await t?.close()
    await meta?.close()
    t = undefined
    meta = undefined
  })

  async function start(createdStatus: MetaTemplateStatus) {
    meta = await startWhatsappCloudMock({
      accessToken: TOKEN,
      phoneNumberId: PHONE_ID,
      appSecret: 'app-secret',
      wabaId: WABA,
      templates: { verification_code: ['en_US'] },
      createdStatus,
    })
    const port = await freePort()
    origin = `http://127.0.0.1:${port}`
    t = await buildTestApp({
      realClock: true,
      config: {
        port,
        publicUrl: origin,
        dispatcher: { pollIntervalMs: 20, backoffBaseMs: 1, backoffMaxMs: 5 },
        // WhatsApp only through Meta (the simulator would otherwise take it on a second route).
        routing: {
          routes: [
            { provider: 'whatsapp-cloud', channel: 'whatsapp' },
            { provider: 'simulator', channel: 'sms' },
          ],
        },
        providers: [
          {
            type: 'whatsapp-cloud',
            id: 'whatsapp-cloud',
            accessToken: TOKEN,
            phoneNumberId: PHONE_ID,
            baseUrl: meta.url,
            templateName: 'verification_code',
            templateLanguage: 'en_US',
            wabaId: WABA,
          },
        ],
      },
    })
    await t.app.listen({ host: '127.0.0.1', port })
    t.deps.dispatcher.start()
    const svc = await http('POST', '/v1/services', {
      name: 'Acme wallet',
      channels: ['whatsapp', 'sms'],
      fallback_channels: ['sms'],
      whatsapp_one_tap: { package_name: 'com.acme.wallet', signature_hash: 'K8a/AINcGX7' },
    })
    expect(svc.id).toBeDefined()
    return svc.id as string
  }

  async function http(method: string, path: string, body?: unknown) {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: { ...t!.auth(), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return res.json() as Promise<Record<string, unknown> & { data?: Array<Record<string, unknown>> }>
  }

  const timeline = async (id: string) =>
    ((await http('GET', `/v1/verifications/${id}/events`)).data ?? []) as Array<{
      type: string
      data: Record<string, unknown>
    }>

  it('a PENDING one-tap template is not used; the copy-code one is, and the hand-over says why', async () => {
    const serviceId = await start('PENDING')
    const v = await http('POST', '/v1/verifications', { service_id: serviceId, to: TO, channel: 'whatsapp' })
    const handed = await eventually(async () =>
      (await timeline(v.id as string)).find((e) => e.type === 'handed_to_provider'),
    )
    expect(meta!.sent.map((s) => s.template?.name)).toEqual(['verification_code'])
    expect(handed.data.channel).toBe('whatsapp')
    expect(handed.data.note).toMatch(
      /^The one-tap template verification_code_ot_[0-9a-f]{12} \(en_US\) is PENDING at Meta, not APPROVED; the copy-code template verification_code was used\.$/,
    )
  })

  it('with no approved template the code goes by SMS, and the refusal names the statuses', async () => {
    const serviceId = await start('REJECTED')
    meta!.setTemplateStatus('verification_code', 'en_US', 'PENDING')
    const v = await http('POST', '/v1/verifications', { service_id: serviceId, to: TO, channel: 'whatsapp' })
    await eventually(() => codeFromInbox(t!.deps, TO))
    expect(meta!.sent).toHaveLength(0)
    const events = await timeline(v.id as string)
    const refused = events.find((e) => e.type === 'submit_failed')
    expect(refused?.data).toMatchObject({ channel: 'whatsapp', raw_code: 'TEMPLATE_NOT_APPROVED' })
    expect(refused?.data.raw_text).toContain('verification_code (en_US) is PENDING at Meta, not APPROVED')
    expect(refused?.data.raw_text).toContain('is REJECTED at Meta, not APPROVED')
    expect(events.find((e) => e.type === 'channel_fallback')?.data).toMatchObject({
      from_channel: 'whatsapp',
      to_channel: 'sms',
    })
  })
})
