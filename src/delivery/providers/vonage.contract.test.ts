/** @module The provider contract, run against the Vonage adapter (SMS API) and a local Vonage mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { startVonageMock, type VonageMock, type VonageReceipt } from '../../../test/mocks/vonage-mock.js'
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
import { vonage } from './vonage.js'
import { type VonageConfig, VonageConfigSchema } from './vonage-config.js'

interface VonageFixture extends ContractFixture {
  readonly mock: VonageMock
  readonly receiver: MockServer
  build(overrides?: Partial<Record<keyof VonageConfig, unknown>>): ReturnType<typeof vonage>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Acme: your verification code is 123456.',
  locale: 'en',
}

async function setup(): Promise<VonageFixture> {
  const mock = await startVonageMock()
  const receiver = await startWebhookReceiver()
  // Signed receipts carry the real time, checked against a tolerance.
  const clock = new ManualClock(Date.now())
  const build = (overrides: Partial<Record<keyof VonageConfig, unknown>> = {}) =>
    vonage(
      VonageConfigSchema.parse({
        type: 'vonage',
        apiKey: mock.apiKey,
        apiSecret: mock.apiSecret,
        signatureSecret: mock.signatureSecret,
        baseUrl: mock.url,
        from: 'Acme',
        dlrUrl: `${receiver.url}/v1/receipts/vonage`,
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

/** HTTP 200 with a failing status on the message, as the SMS API answers every refusal. */
const failing = (status: string) => (f: VonageFixture) => {
  f.mock.failNext({ status, errorText: `Vonage says ${status}` })
  return { expect: { rawCode: status, rawText: `Vonage says ${status}`, httpStatus: 200 } }
}

const vendorError = (
  status: string,
  outcome: VendorErrorCase<VonageFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<VonageFixture> => ({
  name: `submit status ${status}`,
  arrange: failing(status),
  outcome,
  retryable,
})

/** A signed DLR for the sent message, as Vonage posts it (JSON, `sig` with md5hash). */
const dlr = async (f: VonageFixture, sent: SentMessage, r: Omit<VonageReceipt, 'messageId'>) => {
  const url = f.mock.params().callback ?? ''
  expect(await f.mock.sendReceipt(url, { messageId: sent.result.providerMessageId, ...r })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: string,
  errCode: string,
  outcome: HttpReceiptCase<VonageFixture>['outcome'],
): HttpReceiptCase<VonageFixture> => ({
  name: `${status}/err-code ${errCode}`,
  outcome,
  expect: { rawStatus: status, rawCode: errCode },
  deliver: (f, sent) => dlr(f, sent, { status, errCode }),
})

runProviderContract<VonageFixture>({
  type: 'vonage',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: failing('1'),
    outage: (f) => {
      f.mock.failNextHttp({ httpStatus: 503, title: 'Service Unavailable' })
      return { expect: { httpStatus: 503 } }
    },
    timeout: (f) => void f.mock.hangNext(),
    network: (f) => {
      f.mock.dropNext()
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The SMS API refuses a `to` that is no number with status 3.
    invalid_number: () => ({ message: { to: '+12' }, expect: { rawCode: '3', httpStatus: 200 } }),
    auth: (f) => ({
      provider: f.build({ apiSecret: 'wrong' }),
      expect: { rawCode: '4', rawText: 'Bad Credentials' },
    }),
  },
  vendorErrors: [
    vendorError('3', 'invalid_number', false),
    vendorError('5', 'provider_error', true),
    vendorError('6', 'invalid_number', false),
    vendorError('7', 'opted_out', false),
    vendorError('8', 'provider_error', false),
    vendorError('9', 'provider_error', false),
    vendorError('15', 'provider_error', false),
    vendorError('29', 'provider_error', false),
    vendorError('33', 'unknown_subscriber', false),
    {
      name: 'submit status 3 about the sender: our configuration, not a bad number',
      arrange: (f) => {
        f.mock.failNext({ status: '3', errorText: 'Invalid from param' })
        return { expect: { rawCode: '3' } }
      },
      outcome: 'provider_error',
      retryable: false,
    },
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('delivered', '0', 'delivered'),
      receipt('accepted', '0', 'pending'),
      receipt('buffered', '0', 'pending'),
      receipt('expired', '0', 'expired'),
      receipt('failed', '2', 'unreachable'),
      receipt('failed', '3', 'unknown_subscriber'),
      receipt('failed', '9', 'opted_out'),
      receipt('rejected', '6', 'carrier_blocked'),
      receipt('failed', '99', 'unknown'),
      receipt('unknown', '0', 'unknown'),
    ],
    async forge(f, sent) {
      const wrongKey = await dlr(f, sent, { status: 'delivered', secret: 'not-the-secret' })
      const genuine = await dlr(f, sent, { status: 'delivered' })
      const { sig: _, ...unsigned } = JSON.parse(genuine.rawBody) as Record<string, string>
      return { wrongKey, unsigned: { ...genuine, rawBody: JSON.stringify(unsigned) } }
    },
  },
  reference: { field: 'client-ref', read: (f) => f.mock.params()['client-ref'] },
})
