/** @module WhatsApp one-tap autofill: a service's Android app gets its own authentication template with a ONE_TAP button. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWhatsappCloudMock, type WhatsappCloudMock } from '../../../test/mocks/whatsapp-cloud-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { whatsappCloud } from './whatsapp-cloud.js'
import { WhatsappCloudConfigSchema } from './whatsapp-cloud-config.js'

const TOKEN = 'EAAJB-test-token'
const PHONE_ID = '106540352242922'
const WABA = '102290129340398'
const APP = { packageName: 'com.acme.wallet', signatureHash: 'K8a/AINcGX7' }

describe('whatsapp one-tap autofill', () => {
  let mock: WhatsappCloudMock
  beforeEach(async () => {
    mock = await startWhatsappCloudMock({
      accessToken: TOKEN,
      phoneNumberId: PHONE_ID,
      appSecret: 'secret',
      wabaId: WABA,
      templates: { verification_code: ['en_US'] },
    })
  })
  afterEach(() => mock.close())

  const adapter = (over: Record<string, unknown> = {}) =>
    whatsappCloud(
      WhatsappCloudConfigSchema.parse({
        type: 'whatsapp-cloud',
        accessToken: TOKEN,
        phoneNumberId: PHONE_ID,
        baseUrl: mock.url,
        templateName: 'verification_code',
        templateLanguage: 'en_US',
        wabaId: WABA,
        ...over,
      }),
      { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} },
    )
  const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
    id: 'msg_1',
    attemptKey: 'msg_1:1',
    channel: 'whatsapp',
    to: '+15551234567',
    body: 'Your Acme code is 482913.',
    locale: 'en',
    code: '482913',
    ...over,
  })
  const send = (p: ReturnType<typeof adapter>, m: OutgoingMessage) =>
    p.send(m, { signal: AbortSignal.timeout(2000) })

  it("creates the app's ONE_TAP template once and sends the code on it, with the copy-code button parameter", async () => {
    const p = adapter()
    await send(p, msg({ oneTap: APP }))
    await send(p, msg({ id: 'msg_2', attemptKey: 'msg_2:1', oneTap: APP }))
    expect(mock.createdTemplates).toHaveLength(1)
    const created = mock.createdTemplates[0]!
    expect(created.name).toMatch(/^verification_code_ot_[0-9a-f]{12}$/)
    expect(created.button).toEqual({
      type: 'OTP',
      otp_type: 'ONE_TAP',
      text: 'Copy code',
      autofill_text: 'Autofill',
      package_name: 'com.acme.wallet',
      signature_hash: 'K8a/AINcGX7',
    })
    expect(mock.sent.map((s) => s.template)).toEqual([
      { name: created.name, language: 'en_US', parameters: ['482913', '482913'] },
      { name: created.name, language: 'en_US', parameters: ['482913', '482913'] },
    ])
  })

  it('a template another instance created already is used as it is', async () => {
    await send(adapter(), msg({ oneTap: APP }))
    const second = adapter()
    await send(second, msg({ oneTap: APP }))
    expect(mock.sent[1]?.template?.name).toBe(mock.createdTemplates[0]?.name)
  })

  it('without an app, or without the account id, the shared copy-code template carries the code', async () => {
    await send(adapter(), msg())
    await send(adapter({ wabaId: undefined }), msg({ oneTap: APP }))
    expect(mock.createdTemplates).toHaveLength(0)
    expect(mock.sent.map((s) => s.template?.name)).toEqual(['verification_code', 'verification_code'])
  })
})
