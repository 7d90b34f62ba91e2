/** @module WhatsApp Cloud API adapter against a local Cloud API mock. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startWhatsappCloudMock, type WhatsappCloudMock } from '../../../test/mocks/whatsapp-cloud-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'
import { whatsappCloud } from './whatsapp-cloud.js'
import { WhatsappCloudConfigSchema } from './whatsapp-cloud-config.js'

const TOKEN = 'EAAJB-test-token'
const PHONE_ID = '106540352242922'
const APP_SECRET = 'app-secret-123'

let mock: WhatsappCloudMock
let receiver: MockServer

beforeAll(async () => {
  mock = await startWhatsappCloudMock({
    accessToken: TOKEN,
    phoneNumberId: PHONE_ID,
    appSecret: APP_SECRET,
    templates: { verification_code: ['en', 'en_US', 'pt_BR'] },
  })
  receiver = await startWebhookReceiver()
})
afterAll(async () => {
  await mock.close()
  await receiver.close()
})
afterEach(() => {
  receiver.requests.length = 0
})

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'whatsapp',
  to: '+15551234567',
  body: 'Your Acme code is 482913.\n\n@login.example.com #482913',
  locale: 'en-US',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  const config = WhatsappCloudConfigSchema.parse({
    type: 'whatsapp-cloud',
    accessToken: TOKEN,
    phoneNumberId: PHONE_ID,
    baseUrl: mock.url,
    appSecret: APP_SECRET,
    verifyToken: 'verify-me',
    templateName: 'verification_code',
    ...over,
  })
  return whatsappCloud(config, { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} })
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

async function sendError(p: ReturnType<typeof adapter>, m = msg()): Promise<ProviderError> {
  const err = await send(p, m).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

describe('whatsapp-cloud send', () => {
  it('sends an authentication template with the code in the body and the copy-code button', async () => {
    const result = await send(adapter())
    const req = mock.requests.at(-1)!
    expect(req.path).toBe(`/v21.0/${PHONE_ID}/messages`)
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(JSON.parse(req.rawBody)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+15551234567',
      biz_opaque_callback_data: 'msg_1:1',
      type: 'template',
      template: {
        name: 'verification_code',
        language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: '482913' }] },
          { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482913' }] },
        ],
      },
    })
    expect(result).toEqual({ providerMessageId: mock.sent.at(-1)!.id, rawStatus: 'accepted' })
  })

  it('finds the code without a WebOTP line, or with a configured pattern', async () => {
    await send(adapter(), msg({ body: 'Código: 7730 — válido por 10 minutos', locale: 'pt-BR' }))
    expect(mock.sent.at(-1)!.template).toEqual({
      name: 'verification_code',
      language: 'pt_BR',
      parameters: ['7730', '7730'],
    })
    await send(
      adapter({ codePattern: 'code ([A-Z]{3}-\\d{3})', copyCodeButton: false }),
      msg({ body: 'Your code ABC-123 expires in 2025' }),
    )
    expect(mock.sent.at(-1)!.template?.parameters).toEqual(['ABC-123'])
  })

  it('sends the rendered body as text in text mode', async () => {
    await send(adapter({ mode: 'text', templateName: undefined }))
    expect(mock.sent.at(-1)).toMatchObject({
      type: 'text',
      text: msg().body,
      bizOpaqueCallbackData: 'msg_1:1',
    })
  })

  it('refuses to send a template without a code in the body', async () => {
    const err = await sendError(adapter(), msg({ body: 'no digits here' }))
    expect(err).toMatchObject({ retryable: false, rawCode: 'NO_CODE' })
  })

  it('maps an unknown template (132001) to a non-retryable error', async () => {
    const missing = await sendError(adapter({ templateName: 'nope' }))
    expect(missing).toMatchObject({
      outcome: 'provider_error',
      retryable: false,
      rawCode: '132001',
      httpStatus: 404,
    })
    expect(missing.rawText).toContain('does not exist')
  })

  it('reads 131009 as invalid_number only when its details name the recipient', async () => {
    mock.failNext({
      kind: 'error',
      code: 131009,
      message: 'Parameter value is not valid',
      details: 'Invalid recipient',
    })
    expect(await sendError(adapter())).toMatchObject({
      outcome: 'invalid_number',
      retryable: false,
      rawCode: '131009',
      rawText: 'Invalid recipient',
    })
    mock.failNext({
      kind: 'error',
      code: 131009,
      message: 'Parameter value is not valid',
      details: 'template.language.code is not a valid language code',
    })
    expect(await sendError(adapter())).toMatchObject({
      outcome: 'provider_error',
      retryable: false,
      rawCode: '131009',
    })
  })

  it('requires a template name in template mode', () => {
    const r = WhatsappCloudConfigSchema.safeParse({
      type: 'whatsapp-cloud',
      accessToken: 't',
      phoneNumberId: '1',
    })
    expect(r.success).toBe(false)
  })
})

describe('whatsapp-cloud receipts', () => {
  it('verifies X-Hub-Signature-256 and parses a delivered status', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    expect(
      await mock.sendStatus(
        providerMessageId,
        { status: 'delivered' },
        { url: `${receiver.url}/receipts/wa` },
      ),
    ).toBe(200)
    const req = receiver.requests[0]!
    expect(await p.receipts.verify(req)).toBe(true)
    expect(p.receipts.parse(req)).toEqual([
      {
        providerId: 'whatsapp-cloud',
        providerMessageId,
        outcome: 'delivered',
        rawStatus: 'delivered',
        rawCode: undefined,
        rawText: undefined,
        at: 1767225605000,
      },
    ])
  })

  it('rejects a forged, unsigned or tampered webhook', async () => {
    const p = adapter()
    const { providerMessageId } = await send(p)
    const url = `${receiver.url}/receipts/wa`
    await mock.sendStatus(providerMessageId, { status: 'delivered' }, { url, appSecret: 'not-the-secret' })
    await mock.sendStatus(providerMessageId, { status: 'delivered' }, { url, appSecret: null })
    await mock.sendStatus(providerMessageId, { status: 'delivered' }, { url })
    const [forged, unsigned, good] = receiver.requests
    expect(await p.receipts.verify(forged!)).toBe(false)
    expect(await p.receipts.verify(unsigned!)).toBe(false)
    expect(
      await p.receipts.verify({ ...good!, rawBody: good!.rawBody.replace('"delivered"', '"read"') }),
    ).toBe(false)
    expect(await p.receipts.verify(good!)).toBe(true)
  })

  it('answers the subscription handshake only with the right verify token', () => {
    const p = adapter()
    expect(
      p.answerSubscription({
        'hub.mode': 'subscribe',
        'hub.verify_token': 'verify-me',
        'hub.challenge': '1158201444',
      }),
    ).toBe('1158201444')
    expect(
      p.answerSubscription({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }),
    ).toBeUndefined()
  })
})
