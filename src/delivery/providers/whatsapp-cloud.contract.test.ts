/** @module The provider contract, run against the WhatsApp Cloud API adapter and a local Cloud API mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startWhatsappCloudMock, type WhatsappCloudMock } from '../../../test/mocks/whatsapp-cloud-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { whatsappCloud } from './whatsapp-cloud.js'
import { WhatsappCloudConfigSchema } from './whatsapp-cloud-config.js'

const TOKEN = 'EAAJB-test-token'
const PHONE_ID = '106540352242922'
const APP_SECRET = 'app-secret-123'

interface WhatsappFixture extends ContractFixture {
  readonly mock: WhatsappCloudMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof whatsappCloud>
}

const MESSAGE: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'whatsapp',
  to: '+15551234567',
  body: 'Your Acme code is 482913.\n\n@login.example.com #482913',
  locale: 'en-US',
}

async function setup(): Promise<WhatsappFixture> {
  const mock = await startWhatsappCloudMock({
    accessToken: TOKEN,
    phoneNumberId: PHONE_ID,
    appSecret: APP_SECRET,
    templates: { verification_code: ['en', 'en_US', 'pt_BR'] },
  })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Record<string, unknown> = {}) =>
    whatsappCloud(
      WhatsappCloudConfigSchema.parse({
        type: 'whatsapp-cloud',
        accessToken: TOKEN,
        phoneNumberId: PHONE_ID,
        baseUrl: mock.url,
        appSecret: APP_SECRET,
        verifyToken: 'verify-me',
        templateName: 'verification_code',
        ...overrides,
      }),
      { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} },
    )
  return {
    mock,
    receiver,
    build,
    provider: build(),
    message: MESSAGE,
    submits: () => mock.requests.length,
    close: async () => {
      await mock.close()
      await receiver.close()
    },
  }
}

/** A Graph API error for the next send (HTTP 400 unless said), and what the adapter must keep of it. */
const failing = (code: number, message: string, status?: number) => (f: WhatsappFixture) => {
  f.mock.failNext({ kind: 'error', code, message, ...(status ? { status } : {}) })
  return { expect: { rawCode: String(code), httpStatus: status ?? 400 } }
}

const vendorError = (
  code: number,
  message: string,
  outcome: VendorErrorCase<WhatsappFixture>['outcome'],
  retryable: boolean,
  status?: number,
): VendorErrorCase<WhatsappFixture> => ({
  name: `Graph error ${code} (${message})`,
  arrange: failing(code, message, status),
  outcome,
  retryable,
})

type StatusWebhook = Parameters<WhatsappCloudMock['sendStatus']>[1]

/** A message status webhook for the sent message, signed with the app secret unless told otherwise. */
const statusWebhook = async (
  f: WhatsappFixture,
  sent: SentMessage,
  status: StatusWebhook,
  appSecret?: string | null,
) => {
  const url = `${f.receiver.url}/receipts/wa`
  expect(await f.mock.sendStatus(sent.result.providerMessageId, status, { url, appSecret })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: StatusWebhook,
  outcome: HttpReceiptCase<WhatsappFixture>['outcome'],
): HttpReceiptCase<WhatsappFixture> => ({
  name: `${status.status}${status.errorCode ? `/${status.errorCode}` : ''}`,
  outcome,
  expect: {
    rawStatus: status.status,
    ...(status.errorCode === undefined
      ? {}
      : { rawCode: String(status.errorCode), rawText: expect.stringContaining(status.title ?? '') }),
  },
  deliver: (f, sent) => statusWebhook(f, sent, status),
})

runProviderContract<WhatsappFixture>({
  type: 'whatsapp-cloud',
  setup,
  unsupportedChannel: 'sms',
  errors: {
    // Graph sends no Retry-After with its rate-limit errors.
    throttled: failing(130429, 'Rate limit hit', 429),
    outage: failing(131000, 'Something went wrong', 500),
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The mock refuses a recipient that is no number as Graph does: 131009 naming the recipient.
    invalid_number: () => ({
      message: { to: 'not-a-number' },
      expect: { rawCode: '131009', httpStatus: 400 },
    }),
    auth: (f) => ({
      provider: f.build({ accessToken: 'wrong' }),
      expect: { rawCode: '190', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    vendorError(
      131056,
      '(Business Account, Consumer Account) pair rate limit hit',
      'provider_throttled',
      true,
    ),
    vendorError(131026, 'Message undeliverable', 'unreachable', false),
    vendorError(131050, 'User stopped marketing messages', 'opted_out', false),
    vendorError(
      130497,
      'Business account is restricted from messaging users in this country',
      'geo_blocked',
      false,
    ),
    vendorError(131047, 'Re-engagement message', 'provider_error', false),
    vendorError(200, 'Requires whatsapp_business_messaging permission', 'provider_error', false, 403),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt({ status: 'delivered' }, 'delivered'),
      receipt({ status: 'sent' }, 'pending'),
      receipt({ status: 'read' }, 'delivered'),
      receipt({ status: 'failed', errorCode: 131026, title: 'Message undeliverable' }, 'unreachable'),
      receipt(
        {
          status: 'failed',
          errorCode: 131049,
          title: 'This message was not delivered to maintain healthy ecosystem engagement.',
        },
        'carrier_blocked',
      ),
      receipt({ status: 'failed', errorCode: 131050, title: 'User stopped marketing messages' }, 'opted_out'),
      receipt({ status: 'failed', errorCode: 999999, title: 'Something new' }, 'unknown'),
    ],
    forge: async (f, sent) => ({
      wrongKey: await statusWebhook(f, sent, { status: 'delivered' }, 'not-the-secret'),
      unsigned: await statusWebhook(f, sent, { status: 'delivered' }, null),
    }),
  },
  reference: { field: 'biz_opaque_callback_data', read: (f) => f.mock.sent.at(-1)?.bizOpaqueCallbackData },
})
