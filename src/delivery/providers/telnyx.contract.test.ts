/** @module The provider contract, run against the Telnyx adapter and a local Telnyx mock. */
import { generateKeyPairSync } from 'node:crypto'
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startTelnyxMock, type TelnyxMock, type TelnyxReceipt } from '../../../test/mocks/telnyx-mock.js'
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
import { telnyx } from './telnyx.js'
import { type TelnyxConfig, TelnyxConfigSchema } from './telnyx-config.js'

interface TelnyxFixture extends ContractFixture {
  readonly mock: TelnyxMock
  readonly receiver: MockServer
  build(overrides?: Partial<Record<keyof TelnyxConfig, unknown>>): ReturnType<typeof telnyx>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+13125550123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

async function setup(): Promise<TelnyxFixture> {
  const mock = await startTelnyxMock()
  const receiver = await startWebhookReceiver()
  // Webhook timestamps are the real time, checked against a tolerance.
  const clock = new ManualClock(Date.now())
  const build = (overrides: Partial<Record<keyof TelnyxConfig, unknown>> = {}) =>
    telnyx(
      TelnyxConfigSchema.parse({
        type: 'telnyx',
        apiKey: mock.apiKey,
        publicKey: mock.publicKey,
        baseUrl: mock.url,
        from: '+13125550100',
        webhookUrl: `${receiver.url}/v1/receipts/telnyx`,
        ...overrides,
      }),
      { fetch: globalFetch, clock, onReceipt: () => {} },
    )
  return {
    mock,
    receiver,
    build,
    provider: build(),
    message: SMS,
    submits: () => mock.requests.length,
    close: async () => {
      await mock.close()
      await receiver.close()
    },
  }
}

/** Telnyx's `{"errors":[...]}` answer for the next request, and what the adapter must keep of it. */
const failing = (status: number, code: string) => (f: TelnyxFixture) => {
  f.mock.failNext({ status, code, title: `Title ${code}`, detail: `Detail ${code}` })
  return { expect: { rawCode: code, rawText: `Title ${code}: Detail ${code}`, httpStatus: status } }
}

const vendorError = (
  status: number,
  code: string,
  outcome: VendorErrorCase<TelnyxFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<TelnyxFixture> => ({
  name: `error ${code} (HTTP ${status})`,
  arrange: failing(status, code),
  outcome,
  retryable,
})

/** A delivery webhook for the sent message, signed with Ed25519 as Telnyx sends it. */
const webhook = async (f: TelnyxFixture, sent: SentMessage, r: Omit<TelnyxReceipt, 'id'>) => {
  const url = String(f.mock.json().webhook_url)
  expect(await f.mock.sendReceipt(url, { id: sent.result.providerMessageId, ...r })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: string,
  error: { code: string; title: string } | undefined,
  outcome: HttpReceiptCase<TelnyxFixture>['outcome'],
): HttpReceiptCase<TelnyxFixture> => ({
  name: `${status}${error ? `/${error.code}` : ''}`,
  outcome,
  expect: { rawStatus: status, rawCode: error?.code },
  deliver: (f, sent) => webhook(f, sent, { status, errors: error && [error] }),
})

runProviderContract<TelnyxFixture>({
  type: 'telnyx',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({
        status: 429,
        code: '10011',
        title: 'Title 10011',
        detail: 'Detail 10011',
        retryAfter: '2',
      })
      return {
        retryAfterMs: 2000,
        expect: { rawCode: '10011', rawText: 'Title 10011: Detail 10011', httpStatus: 429 },
      }
    },
    outage: failing(500, '10007'),
    timeout: (f) => void f.mock.hangNext(),
    network: (f) => {
      f.mock.dropNext()
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The API refuses a number without `+` itself.
    invalid_number: () => ({ message: { to: '3125550123' }, expect: { rawCode: '10016', httpStatus: 400 } }),
    auth: (f) => ({ provider: f.build({ apiKey: 'wrong' }), expect: { rawCode: '10009', httpStatus: 401 } }),
  },
  vendorErrors: [
    vendorError(400, '10002', 'invalid_number', false),
    vendorError(400, '10016', 'invalid_number', false),
    vendorError(401, '10009', 'provider_error', false),
    vendorError(403, '10010', 'provider_error', false),
    vendorError(400, '40300', 'opted_out', false),
    vendorError(400, '40001', 'not_mobile', false),
    {
      name: 'an invalid number in /from: our configuration, not the recipient',
      arrange: (f) => {
        f.mock.failNext({ status: 400, code: '10002', title: 'Invalid phone number', pointer: '/from' })
        return { expect: { rawCode: '10002' } }
      },
      outcome: 'provider_error',
      retryable: false,
    },
    {
      name: 'a code the adapter does not know: read by its HTTP status',
      arrange: (f) => {
        f.mock.failNext({ status: 503, code: '99999', title: 'Unavailable' })
        return { expect: { rawCode: '99999', httpStatus: 503 } }
      },
      outcome: 'provider_error',
      retryable: true,
    },
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('delivered', undefined, 'delivered'),
      receipt('sent', undefined, 'pending'),
      receipt('delivery_failed', { code: '40003', title: 'Blocked as spam - permanent' }, 'carrier_blocked'),
      receipt('delivery_failed', { code: '40001', title: 'Not routable' }, 'not_mobile'),
      receipt('delivery_failed', { code: '40006', title: 'Recipient server unavailable' }, 'unreachable'),
      receipt('delivery_failed', { code: '40005', title: 'Message expired' }, 'expired'),
      receipt('sending_failed', { code: '40300', title: 'Blocked due to STOP message' }, 'opted_out'),
      receipt('sending_failed', undefined, 'provider_error'),
      receipt('delivery_unconfirmed', undefined, 'unknown'),
      receipt('expired', undefined, 'expired'),
    ],
    async forge(f, sent) {
      const wrongKey = await webhook(f, sent, {
        status: 'delivered',
        signingKey: generateKeyPairSync('ed25519').privateKey,
      })
      const genuine = await webhook(f, sent, { status: 'delivered' })
      const { 'telnyx-signature-ed25519': _, ...unsigned } = genuine.headers
      return { wrongKey, unsigned: { ...genuine, headers: unsigned } }
    },
  },
  reference: {
    field: 'the Idempotency-Key header',
    read: (f) => f.mock.requests.at(-1)?.headers['idempotency-key'],
  },
})
