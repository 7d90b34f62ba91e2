/** @module The provider contract, run against the MessageBird adapter and a local MessageBird mock. */
import { expect } from 'vitest'
import {
  type MessagebirdMock,
  type MessagebirdReportOptions,
  startMessagebirdMock,
} from '../../../test/mocks/messagebird-mock.js'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { messagebird } from './messagebird.js'
import { MessagebirdConfigSchema } from './messagebird-config.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'

const ACCESS_KEY = 'live_accesskey123'
const SIGNING_KEY = 'signing-key-xyz'

interface MessagebirdFixture extends ContractFixture {
  readonly mock: MessagebirdMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof messagebird>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+31612345678',
  body: 'Your code is 123456',
  locale: 'en',
}

async function setup(): Promise<MessagebirdFixture> {
  const mock = await startMessagebirdMock({ accessKey: ACCESS_KEY, signingKey: SIGNING_KEY })
  const receiver = await startWebhookReceiver()
  // The report JWTs carry the real time, checked with MessageBird's few seconds of skew.
  const clock = new ManualClock(Date.now())
  const build = (overrides: Record<string, unknown> = {}) =>
    messagebird(
      MessagebirdConfigSchema.parse({
        type: 'messagebird',
        accessKey: ACCESS_KEY,
        baseUrl: mock.url,
        from: 'Verigate',
        reportUrl: `${receiver.url}/receipts/messagebird`,
        signingKey: SIGNING_KEY,
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

/** MessageBird's `{"errors":[...]}` answer for the next request. */
const failing =
  (status: number, code: number, description: string, parameter?: string) => (f: MessagebirdFixture) => {
    f.mock.failNext({ kind: 'api', status, code, description, ...(parameter ? { parameter } : {}) })
    return { expect: { rawCode: String(code), httpStatus: status } }
  }

const vendorError = (
  name: string,
  arrange: VendorErrorCase<MessagebirdFixture>['arrange'],
  outcome: VendorErrorCase<MessagebirdFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<MessagebirdFixture> => ({ name, arrange, outcome, retryable })

/** A status report for the sent message: a GET to its reportUrl with a signature JWT. */
const report = async (
  f: MessagebirdFixture,
  sent: SentMessage,
  r: { status: string; statusReason?: string; statusErrorCode?: number },
  opts?: MessagebirdReportOptions,
) => {
  expect(await f.mock.sendReport(sent.result.providerMessageId, r, opts)).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  r: { status: string; statusReason?: string; statusErrorCode?: number },
  outcome: HttpReceiptCase<MessagebirdFixture>['outcome'],
): HttpReceiptCase<MessagebirdFixture> => ({
  name: [r.status, r.statusReason, r.statusErrorCode].filter((x) => x !== undefined).join('/'),
  outcome,
  expect: { rawStatus: r.status },
  deliver: (f, sent) => report(f, sent, r),
})

runProviderContract<MessagebirdFixture>({
  type: 'messagebird',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({
        kind: 'api',
        status: 429,
        code: 99,
        description: 'Too many requests',
        retryAfter: '4',
      })
      return { retryAfterMs: 4000, expect: { rawCode: '99', httpStatus: 429 } }
    },
    outage: failing(503, 98, 'Service unavailable'),
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The API refuses a recipient that is no MSISDN with error 10 on `recipients`.
    invalid_number: () => ({ message: { to: '+0000' }, expect: { rawCode: '10', httpStatus: 422 } }),
    auth: (f) => ({ provider: f.build({ accessKey: 'wrong' }), expect: { rawCode: '2', httpStatus: 401 } }),
  },
  vendorErrors: [
    vendorError(
      'error 2 (HTTP 401)',
      failing(401, 2, 'Request not allowed (incorrect access_key)'),
      'provider_error',
      false,
    ),
    vendorError('error 25 (HTTP 422)', failing(422, 25, 'Not enough balance'), 'provider_error', false),
    vendorError(
      'error 9 on originator (HTTP 422)',
      failing(422, 9, 'originator is required', 'originator'),
      'provider_error',
      false,
    ),
    vendorError('error 99 (HTTP 500)', failing(500, 99, 'Internal error'), 'provider_error', true),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt(
        { status: 'delivered', statusReason: 'successfully delivered', statusErrorCode: 0 },
        'delivered',
      ),
      receipt({ status: 'sent' }, 'pending'),
      receipt({ status: 'buffered' }, 'pending'),
      receipt({ status: 'expired' }, 'expired'),
      receipt(
        { status: 'delivery_failed', statusReason: 'unknown subscriber', statusErrorCode: 1 },
        'unknown_subscriber',
      ),
      receipt(
        { status: 'delivery_failed', statusReason: 'unavailable subscriber', statusErrorCode: 27 },
        'unreachable',
      ),
      receipt({ status: 'delivery_failed', statusErrorCode: 13 }, 'carrier_blocked'),
      receipt({ status: 'delivery_failed', statusReason: 'carrier rejected' }, 'carrier_blocked'),
      receipt({ status: 'delivery_failed' }, 'unknown'),
    ],
    forge: async (f, sent) => ({
      wrongKey: await report(f, sent, { status: 'delivered' }, { signingKey: 'not-the-key' }),
      unsigned: await report(f, sent, { status: 'delivered' }, { signingKey: null }),
    }),
  },
  reference: { field: 'reference', read: (f) => f.mock.accepted.at(-1)?.reference },
})
