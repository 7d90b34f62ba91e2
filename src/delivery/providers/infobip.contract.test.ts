/** @module The provider contract, run against the Infobip adapter and a local Infobip mock. */
import { expect } from 'vitest'
import { type InfobipMock, startInfobipMock } from '../../../test/mocks/infobip-mock.js'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { infobip } from './infobip.js'
import { InfobipConfigSchema } from './infobip-config.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'

const API_KEY = 'test-api-key-123'
const SECRET = 'receipt-secret-0123456789'

interface InfobipFixture extends ContractFixture {
  readonly mock: InfobipMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof infobip>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+41793026727',
  body: 'Your code is 123456',
  locale: 'en',
}

async function setup(): Promise<InfobipFixture> {
  const mock = await startInfobipMock({ apiKey: API_KEY })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Record<string, unknown> = {}) =>
    infobip(
      InfobipConfigSchema.parse({
        type: 'infobip',
        apiKey: API_KEY,
        baseUrl: mock.url,
        from: 'VERIGATE',
        notifyUrl: `${receiver.url}/receipts/infobip`,
        receiptSecret: SECRET,
        ...overrides,
      }),
      { fetch: globalFetch, clock: new ManualClock(), onReceipt: () => {} },
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

/** An HTTP error with Infobip's `requestError.serviceException` body. */
const httpError =
  (status: 400 | 401 | 403 | 429 | 500 | 503, messageId: string) =>
  (f: InfobipFixture): { expect: { rawCode: string; httpStatus: number } } => {
    f.mock.failNext({ kind: 'http', status })
    return { expect: { rawCode: messageId, httpStatus: status } }
  }

/** HTTP 200 whose message status is in the REJECTED group, as Infobip answers a refused destination. */
const rejected = (statusId: 6 | 8 | 10 | 12 | 21 | 52, name: string) => (f: InfobipFixture) => {
  f.mock.failNext({ kind: 'rejected', statusId })
  return { expect: { rawCode: name, rawText: expect.stringMatching(/./) } }
}

const vendorError = (
  name: string,
  arrange: VendorErrorCase<InfobipFixture>['arrange'],
  outcome: VendorErrorCase<InfobipFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<InfobipFixture> => ({ name, arrange, outcome, retryable })

/** A delivery report for the sent message, pushed to its notifyUrl as Infobip does. */
const report = async (
  f: InfobipFixture,
  sent: SentMessage,
  r: Parameters<InfobipMock['sendReport']>[1],
  url?: string,
) => {
  expect(await f.mock.sendReport(sent.result.providerMessageId, r, url)).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: Parameters<InfobipMock['sendReport']>[1]['status'],
  errorId: 0 | 1 | 6 | 11 | 13 | 603,
  outcome: HttpReceiptCase<InfobipFixture>['outcome'],
): HttpReceiptCase<InfobipFixture> => ({
  name: `${status} with error ${errorId}`,
  outcome,
  expect: {
    rawStatus: status,
    ...(errorId === 0 ? {} : { rawCode: expect.stringMatching(new RegExp(`^${errorId} EC_`)) }),
  },
  deliver: (f, sent) => report(f, sent, { status, errorId }),
})

runProviderContract<InfobipFixture>({
  type: 'infobip',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({ kind: 'http', status: 429, retryAfter: '5' })
      return { retryAfterMs: 5000, expect: { rawCode: 'TOO_MANY_REQUESTS', httpStatus: 429 } }
    },
    outage: httpError(503, 'SERVICE_UNAVAILABLE'),
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    invalid_number: rejected(52, 'REJECTED_DESTINATION'),
    auth: (f) => ({
      provider: f.build({ apiKey: 'wrong' }),
      expect: { rawCode: 'UNAUTHORIZED', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    vendorError('HTTP 500', httpError(500, 'GENERAL_ERROR'), 'provider_error', true),
    vendorError('HTTP 401', httpError(401, 'UNAUTHORIZED'), 'provider_error', false),
    vendorError('HTTP 400', httpError(400, 'BAD_REQUEST'), 'provider_error', false),
    vendorError('REJECTED status 10', rejected(10, 'REJECTED_DND'), 'opted_out', false),
    vendorError('REJECTED status 8', rejected(8, 'REJECTED_PREFIX_MISSING'), 'invalid_number', false),
    vendorError('REJECTED status 6', rejected(6, 'REJECTED_NETWORK'), 'geo_blocked', false),
    vendorError('REJECTED status 12', rejected(12, 'REJECTED_NOT_ENOUGH_CREDITS'), 'provider_error', false),
    vendorError('REJECTED status 21', rejected(21, 'REJECTED_SYSTEM_ERROR'), 'provider_error', true),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('DELIVERED_TO_HANDSET', 0, 'delivered'),
      receipt('PENDING_ENROUTE', 0, 'pending'),
      receipt('DELIVERED_TO_OPERATOR', 0, 'pending'),
      receipt('UNDELIVERABLE_NOT_DELIVERED', 1, 'unknown_subscriber'),
      receipt('UNDELIVERABLE_NOT_DELIVERED', 6, 'unreachable'),
      receipt('UNDELIVERABLE_NOT_DELIVERED', 11, 'not_mobile'),
      receipt('UNDELIVERABLE_NOT_DELIVERED', 13, 'carrier_blocked'),
      receipt('UNDELIVERABLE_NOT_DELIVERED', 603, 'opted_out'),
      receipt('EXPIRED_EXPIRED', 0, 'expired'),
      receipt('REJECTED_DND', 0, 'opted_out'),
    ],
    // Infobip signs nothing: the secret token in the notifyUrl is what authenticates a report.
    forge: async (f, sent) => ({
      wrongKey: await report(
        f,
        sent,
        { status: 'DELIVERED_TO_HANDSET' },
        `${f.receiver.url}/receipts/infobip?token=guess`,
      ),
      unsigned: await report(
        f,
        sent,
        { status: 'DELIVERED_TO_HANDSET' },
        `${f.receiver.url}/receipts/infobip`,
      ),
    }),
  },
  reference: { field: 'callbackData', read: (f) => f.mock.accepted.at(-1)?.callbackData },
})
