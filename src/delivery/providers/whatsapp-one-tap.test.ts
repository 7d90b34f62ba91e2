/** @module WhatsApp one-tap autofill: a service's Android app gets its own authentication template with a ONE_TAP button. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type MetaTemplateStatus,
  startWhatsappCloudMock,
  type WhatsappCloudMock,
} from '../../../test/mocks/whatsapp-cloud-mock.js'
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
  let clock: ManualClock
  const startMock = async (createdStatus?: MetaTemplateStatus) => {
    await mock?.close()
    mock = await startWhatsappCloudMock({
      accessToken: TOKEN,
      phoneNumberId: PHONE_ID,
      appSecret: 'secret',
      wabaId: WABA,
      templates: { verification_code: ['en_US'] },
      ...(createdStatus ? { createdStatus } : {}),
    })
  }
  beforeEach(async () => {
    clock = new ManualClock()
    await startMock()
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
      { fetch: globalFetch, clock, onReceipt: () => {} },
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

  const lookups = () =>
    mock.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/message_templates'))

  it('a one-tap template Meta has not approved yet is not used: the approved copy-code template carries the code, and the hand-over says why', async () => {
    await startMock('PENDING')
    const p = adapter()
    const first = await send(p, msg({ oneTap: APP }))
    const name = mock.createdTemplates[0]!.name
    expect(mock.sent.map((x) => x.template?.name)).toEqual(['verification_code'])
    expect(first.note).toBe(
      `The one-tap template ${name} (en_US) is PENDING at Meta, not APPROVED; the copy-code template verification_code was used.`,
    )
    // The status is read from Meta's message_templates list, by name, and cached.
    expect(lookups()[0]?.query).toMatchObject({ name, fields: 'name,language,status,category' })
    await send(p, msg({ id: 'msg_2', attemptKey: 'msg_2:1', oneTap: APP }))
    expect(mock.sent.map((x) => x.template?.name)).toEqual(['verification_code', 'verification_code'])
    expect(mock.createdTemplates).toHaveLength(1)
    const asked = lookups().length

    // Meta approves it; once the cached status is stale the one-tap template is used.
    mock.setTemplateStatus(name, 'en_US', 'APPROVED')
    clock.advance(599_000)
    await send(p, msg({ id: 'msg_3', attemptKey: 'msg_3:1', oneTap: APP }))
    expect(mock.sent.at(-1)?.template?.name).toBe('verification_code')
    expect(lookups()).toHaveLength(asked)
    clock.advance(2_000)
    const approved = await send(p, msg({ id: 'msg_4', attemptKey: 'msg_4:1', oneTap: APP }))
    expect(mock.sent.at(-1)?.template?.name).toBe(name)
    expect(approved.note).toBeUndefined()
  })

  it('a template another instance created is used only if it is approved (REJECTED: the copy-code one)', async () => {
    await startMock('REJECTED')
    await send(adapter(), msg({ oneTap: APP }))
    const second = await send(adapter(), msg({ id: 'msg_2', attemptKey: 'msg_2:1', oneTap: APP }))
    expect(mock.sent.map((x) => x.template?.name)).toEqual(['verification_code', 'verification_code'])
    expect(second.note).toContain('is REJECTED at Meta, not APPROVED')
  })

  it('with no approved template at all the send is refused here, saying why, so the next channel takes the code', async () => {
    await startMock('PENDING')
    mock.setTemplateStatus('verification_code', 'en_US', 'PAUSED')
    await expect(send(adapter(), msg({ oneTap: APP }))).rejects.toMatchObject({
      rawCode: 'TEMPLATE_NOT_APPROVED',
      retryable: false,
      message: expect.stringMatching(
        /^No approved WhatsApp template: verification_code \(en_US\) is PAUSED at Meta, not APPROVED, and the one-tap template verification_code_ot_[0-9a-f]{12} \(en_US\) is PENDING at Meta, not APPROVED\.$/,
      ),
    })
    expect(mock.sent).toHaveLength(0)
  })

  it('Meta refuses a message on an unapproved template (132001), as the mock shows', async () => {
    mock.setTemplateStatus('verification_code', 'en_US', 'PENDING')
    await expect(send(adapter({ wabaId: undefined }), msg())).rejects.toMatchObject({ rawCode: '132001' })
  })
})
