/** @module The provider contract, run against the Twilio adapter and a local Twilio mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startTwilioMock, type TwilioMock } from '../../../test/mocks/twilio-mock.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { twilio } from './twilio.js'
import { type TwilioConfig, TwilioConfigSchema } from './twilio-config.js'

interface TwilioFixture extends ContractFixture {
  readonly mock: TwilioMock
  readonly receiver: MockServer
  build(overrides?: Partial<Record<keyof TwilioConfig, unknown>>): ReturnType<typeof twilio>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

async function setup(): Promise<TwilioFixture> {
  const mock = await startTwilioMock()
  const receiver = await startWebhookReceiver()
  const clock = new ManualClock(Date.UTC(2026, 0, 1))
  const build = (overrides: Partial<Record<keyof TwilioConfig, unknown>> = {}) =>
    twilio(
      TwilioConfigSchema.parse({
        type: 'twilio',
        accountSid: mock.accountSid,
        authToken: mock.authToken,
        baseUrl: mock.url,
        from: '+15005550006',
        // A query string is part of what Twilio signs, so keep one in the URL.
        statusCallbackUrl: `${receiver.url}/v1/receipts/twilio?provider=twilio-main`,
        channels: ['sms'],
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

/** Twilio's error for the next request, and what the adapter must keep of it. */
const failing = (status: number, code: number) => (f: TwilioFixture) => {
  f.mock.failNext({ status, code, message: `Twilio says ${code}` })
  return { expect: { rawCode: String(code), rawText: `Twilio says ${code}`, httpStatus: status } }
}

const vendorError = (
  status: number,
  code: number,
  outcome: VendorErrorCase<TwilioFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<TwilioFixture> => ({
  name: `error ${code} (HTTP ${status})`,
  arrange: failing(status, code),
  outcome,
  retryable,
})

/** A signed status callback for the sent message, as Twilio posts it. */
const callback =
  (status: string, errorCode?: string) =>
  async (f: TwilioFixture, sent: { result: { providerMessageId: string } }) => {
    const url = f.mock.form().get('StatusCallback') ?? ''
    expect(await f.mock.sendReceipt(url, { sid: sent.result.providerMessageId, status, errorCode })).toBe(200)
    return lastRequest(f.receiver)
  }

const receipt = (
  status: string,
  errorCode: string | undefined,
  outcome: HttpReceiptCase<TwilioFixture>['outcome'],
): HttpReceiptCase<TwilioFixture> => ({
  name: `${status}${errorCode ? `/${errorCode}` : ''}`,
  outcome,
  expect: { rawStatus: status, rawCode: errorCode },
  deliver: callback(status, errorCode),
})

runProviderContract<TwilioFixture>({
  type: 'twilio',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({ status: 429, code: 20429, message: 'Twilio says 20429', retryAfter: '7' })
      return {
        retryAfterMs: 7000,
        expect: { rawCode: '20429', rawText: 'Twilio says 20429', httpStatus: 429 },
      }
    },
    outage: failing(503, 20503),
    timeout: (f) => void f.mock.hangNext(),
    network: (f) => {
      f.mock.dropNext()
      return { expect: { rawCode: 'NETWORK' } }
    },
    // Refused by the API itself, as Twilio refuses a To that is no phone number.
    invalid_number: () => ({ message: { to: '+12' }, expect: { rawCode: '21211', httpStatus: 400 } }),
    auth: (f) => ({
      provider: f.build({ authToken: 'wrong' }),
      expect: { rawCode: '20003', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    vendorError(400, 21211, 'invalid_number', false),
    vendorError(400, 21614, 'not_mobile', false),
    vendorError(400, 21610, 'opted_out', false),
    vendorError(400, 21408, 'geo_blocked', false),
    vendorError(400, 21612, 'carrier_blocked', false),
    vendorError(400, 21608, 'provider_error', false),
    vendorError(400, 30007, 'carrier_blocked', false),
    {
      name: 'a code the adapter does not know: read by its HTTP status',
      arrange: (f) => {
        f.mock.failNext({ status: 502, code: 99999, message: 'Bad gateway' })
        return { expect: { rawCode: '99999', httpStatus: 502 } }
      },
      outcome: 'provider_error',
      retryable: true,
    },
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('delivered', undefined, 'delivered'),
      receipt('queued', undefined, 'pending'),
      receipt('sent', undefined, 'pending'),
      receipt('undelivered', '30003', 'unreachable'),
      receipt('undelivered', '30005', 'unknown_subscriber'),
      receipt('undelivered', '30006', 'not_mobile'),
      receipt('undelivered', '30007', 'carrier_blocked'),
      receipt('undelivered', '30099', 'carrier_blocked'),
      receipt('failed', '21610', 'opted_out'),
      receipt('failed', '30036', 'expired'),
      receipt('undelivered', undefined, 'unknown'),
    ],
    async forge(f, sent) {
      const req = await callback('delivered')(f, sent)
      const params = new URLSearchParams(req.rawBody)
      const { 'x-twilio-signature': _, ...unsigned } = req.headers
      return {
        wrongKey: {
          ...req,
          headers: { ...req.headers, 'x-twilio-signature': f.mock.sign(req.url, params, 'not-the-token') },
        },
        unsigned: { ...req, headers: unsigned },
      }
    },
  },
  reference: { skip: "Twilio's Messages API takes no client reference or idempotency key" },
})
