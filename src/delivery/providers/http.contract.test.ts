/** @module The provider contract, run against the generic HTTP webhook provider and a local gateway mock. */
import { expect } from 'vitest'
import { type HttpGatewayMock, startHttpGatewayMock } from '../../../test/mocks/http-mock.js'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { http } from './http.js'
import { HttpConfigSchema } from './http-config.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'

const API_KEY = 'gw-key-1'
const SECRET = 'receipt-shared-secret-1'

interface HttpFixture extends ContractFixture {
  readonly mock: HttpGatewayMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof http>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+15551234567',
  body: 'Your code is "123456"\nDo not share it & stay safe',
  locale: 'en',
}

async function setup(): Promise<HttpFixture> {
  const mock = await startHttpGatewayMock({
    path: '/v1/messages',
    apiKeyHeader: 'x-api-key',
    apiKey: API_KEY,
  })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Record<string, unknown> = {}) =>
    http(
      HttpConfigSchema.parse({
        type: 'http',
        url: `${mock.url}/v1/messages`,
        headers: { 'X-Api-Key': API_KEY, 'Idempotency-Key': '{{attemptKey}}' },
        messageIdPath: '/data/messageId',
        errorCodePath: 'error.code',
        errorTextPath: 'error.message',
        errorOutcomes: { invalid_destination: 'invalid_number', opted_out: 'opted_out' },
        from: 'Acme',
        receipts: { secret: SECRET },
        ...overrides,
      }),
      { fetch: globalFetch, clock: systemClock, onReceipt: () => {} },
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

/** The gateway's error answer for the next send: `{ error: { code, message } }`. */
const failing = (status: number, code: string, message: string) => (f: HttpFixture) => {
  f.mock.failNext({ kind: 'answer', status, body: { error: { code, message } } })
  return { expect: { rawCode: code, rawText: message, httpStatus: status } }
}

const vendorError = (
  status: number,
  code: string,
  message: string,
  outcome: VendorErrorCase<HttpFixture>['outcome'],
): VendorErrorCase<HttpFixture> => ({
  name: `HTTP ${status} ${code}`,
  arrange: failing(status, code, message),
  outcome,
  retryable: false,
})

/** A receipt for the sent message, signed with HMAC-SHA256 of the raw body unless told otherwise. */
const receiptFor = async (
  f: HttpFixture,
  sent: SentMessage,
  status: string,
  secret: string | null = SECRET,
) => {
  const url = `${f.receiver.url}/receipts/http`
  expect(await f.mock.sendReceipt(url, { id: sent.result.providerMessageId, status }, { secret })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: string,
  outcome: HttpReceiptCase<HttpFixture>['outcome'],
): HttpReceiptCase<HttpFixture> => ({
  name: status,
  outcome,
  expect: { rawStatus: status },
  deliver: (f, sent) => receiptFor(f, sent, status),
})

runProviderContract<HttpFixture>({
  type: 'http',
  setup,
  unsupportedChannel: 'email',
  errors: {
    throttled: (f) => {
      f.mock.failNext({
        kind: 'answer',
        status: 429,
        headers: { 'retry-after': '6' },
        body: { error: { code: 'rate_limited', message: 'Slow down' } },
      })
      return {
        retryAfterMs: 6000,
        expect: { rawCode: 'rate_limited', rawText: 'Slow down', httpStatus: 429 },
      }
    },
    outage: (f) => {
      f.mock.failNext({ kind: 'answer', status: 503, body: 'Service Unavailable' })
      return { expect: { httpStatus: 503 } }
    },
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    // Through `errorOutcomes`: the gateway's own code for a bad destination.
    invalid_number: failing(422, 'invalid_destination', 'Not a mobile number'),
    auth: (f) => ({
      provider: f.build({ headers: { 'X-Api-Key': 'wrong' } }),
      expect: { rawCode: 'unauthorized', rawText: 'Bad API key', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    vendorError(400, 'opted_out', 'Recipient replied STOP', 'opted_out'),
    vendorError(400, 'something_else', 'Nope', 'provider_error'),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('delivered', 'delivered'),
      receipt('queued', 'pending'),
      receipt('expired', 'expired'),
      receipt('unreachable', 'unreachable'),
      receipt('weird', 'unknown'),
    ],
    forge: async (f, sent) => ({
      wrongKey: await receiptFor(f, sent, 'delivered', 'wrong-secret-wrong'),
      unsigned: await receiptFor(f, sent, 'delivered', null),
    }),
  },
  reference: {
    field: 'the Idempotency-Key header ({{attemptKey}} in the configured headers)',
    read: (f) => f.mock.requests.at(-1)?.headers['idempotency-key'],
  },
})
