/** @module The provider contract, run against the Plivo adapter and a local Plivo mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { type PlivoMock, type PlivoReceipt, startPlivoMock } from '../../../test/mocks/plivo-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { plivo } from './plivo.js'
import { type PlivoConfig, PlivoConfigSchema } from './plivo-config.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'

interface PlivoFixture extends ContractFixture {
  readonly mock: PlivoMock
  readonly receiver: MockServer
  build(overrides?: Partial<Record<keyof PlivoConfig, unknown>>): ReturnType<typeof plivo>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+14155550123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

async function setup(): Promise<PlivoFixture> {
  const mock = await startPlivoMock()
  const receiver = await startWebhookReceiver()
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  const build = (overrides: Partial<Record<keyof PlivoConfig, unknown>> = {}) =>
    plivo(
      PlivoConfigSchema.parse({
        type: 'plivo',
        authId: mock.authId,
        authToken: mock.authToken,
        baseUrl: mock.url,
        from: '+14155550001',
        // A query string exercises the `?query.postparams` form of the V3 base string.
        statusCallbackUrl: `${receiver.url}/v1/receipts/plivo?provider=plivo-us`,
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

/** Plivo's `{"api_id","error"}` answer for the next request, and what the adapter must keep of it. */
const failing = (status: number, error: string) => (f: PlivoFixture) => {
  f.mock.failNext({ status, error })
  return { expect: { rawCode: String(status), rawText: error, httpStatus: status } }
}

const vendorError = (
  status: number,
  error: string,
  outcome: VendorErrorCase<PlivoFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<PlivoFixture> => ({
  name: `HTTP ${status} "${error}"`,
  arrange: failing(status, error),
  outcome,
  retryable,
})

/** A V3-signed status callback for the sent message, as Plivo sends it. */
const callback = async (f: PlivoFixture, sent: SentMessage, r: Omit<PlivoReceipt, 'messageUuid'>) => {
  const url = String(f.mock.json().url)
  expect(await f.mock.sendReceipt(url, { messageUuid: sent.result.providerMessageId, ...r })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: string,
  errorCode: string | undefined,
  outcome: HttpReceiptCase<PlivoFixture>['outcome'],
): HttpReceiptCase<PlivoFixture> => ({
  name: `${status}${errorCode ? `/${errorCode}` : ''}`,
  outcome,
  expect: { rawStatus: status, rawCode: errorCode },
  deliver: (f, sent) => callback(f, sent, { status, errorCode }),
})

runProviderContract<PlivoFixture>({
  type: 'plivo',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({ status: 429, error: 'too many requests', retryAfter: '3' })
      return {
        retryAfterMs: 3000,
        expect: { rawCode: '429', rawText: 'too many requests', httpStatus: 429 },
      }
    },
    outage: failing(500, 'server error'),
    timeout: (f) => void f.mock.hangNext(),
    network: (f) => {
      f.mock.dropNext()
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The API itself refuses a `dst` that is no number.
    invalid_number: () => ({ message: { to: 'not-a-number' }, expect: { httpStatus: 400 } }),
    auth: (f) => ({ provider: f.build({ authToken: 'wrong' }), expect: { httpStatus: 401 } }),
  },
  vendorErrors: [
    vendorError(400, "invalid 'dst' parameter", 'invalid_number', false),
    vendorError(400, "invalid 'src' parameter", 'provider_error', false),
    vendorError(401, 'authentication failed', 'provider_error', false),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('delivered', undefined, 'delivered'),
      receipt('queued', undefined, 'pending'),
      receipt('sent', undefined, 'pending'),
      receipt('undelivered', '20', 'unreachable'),
      receipt('undelivered', '50', 'invalid_number'),
      receipt('undelivered', '70', 'unknown_subscriber'),
      receipt('failed', '200', 'opted_out'),
      receipt('failed', '420', 'expired'),
      receipt('failed', '450', 'geo_blocked'),
      receipt('failed', '900', 'provider_error'),
      receipt('undelivered', '1000', 'unknown'),
      receipt('rejected', undefined, 'carrier_blocked'),
    ],
    async forge(f, sent) {
      const wrongKey = await callback(f, sent, { status: 'delivered', authToken: 'not-the-token' })
      const genuine = await callback(f, sent, { status: 'delivered' })
      const { 'x-plivo-signature-v3': _, ...unsigned } = genuine.headers
      return { wrongKey, unsigned: { ...genuine, headers: unsigned } }
    },
  },
  reference: { skip: "Plivo's Message API takes no client reference or idempotency key" },
})
