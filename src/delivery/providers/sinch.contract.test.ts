/** @module The provider contract, run against the Sinch adapter and a local Sinch SMS API mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { type SinchMock, startSinchMock } from '../../../test/mocks/sinch-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
  type VendorErrorCase,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { sinch } from './sinch.js'
import { SinchConfigSchema } from './sinch-config.js'

const PLAN = 'plan123'
const TOKEN = 'api-token-abc'
const SECRET = 'callback-hmac-secret'

interface SinchFixture extends ContractFixture {
  readonly mock: SinchMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof sinch>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+15551234567',
  body: 'Your code is 123456',
  locale: 'en',
}

async function setup(): Promise<SinchFixture> {
  const mock = await startSinchMock({ servicePlanId: PLAN, apiToken: TOKEN, callbackSecret: SECRET })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Record<string, unknown> = {}) =>
    sinch(
      SinchConfigSchema.parse({
        type: 'sinch',
        servicePlanId: PLAN,
        apiToken: TOKEN,
        baseUrl: mock.url,
        from: '12345',
        callbackUrl: `${receiver.url}/receipts/sinch`,
        callbackSecret: SECRET,
        ...overrides,
      }),
      // Signed callbacks carry the real time, checked against a tolerance.
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

/** An HTTP error with Sinch's `{ code, text }` body. */
const failing = (status: number, code?: string, text?: string) => (f: SinchFixture) => {
  f.mock.failNext({ kind: 'http', status, ...(code ? { code } : {}), ...(text ? { text } : {}) })
  return { expect: { httpStatus: status, ...(code ? { rawCode: code } : {}) } }
}

const vendorError = (
  name: string,
  arrange: VendorErrorCase<SinchFixture>['arrange'],
  outcome: VendorErrorCase<SinchFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<SinchFixture> => ({ name, arrange, outcome, retryable })

/** A per-recipient delivery report for the sent batch, as Sinch posts it (HMAC-signed unless told). */
const report = async (
  f: SinchFixture,
  sent: SentMessage,
  r: { status: string; code: number },
  opts?: Parameters<SinchMock['sendReport']>[2],
) => {
  expect(await f.mock.sendReport(sent.result.providerMessageId, r, opts)).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: string,
  code: number,
  outcome: HttpReceiptCase<SinchFixture>['outcome'],
): HttpReceiptCase<SinchFixture> => ({
  name: `${status} (code ${code})`,
  outcome,
  expect: { rawStatus: status, rawCode: String(code) },
  deliver: (f, sent) => report(f, sent, { status, code }),
})

runProviderContract<SinchFixture>({
  type: 'sinch',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: (f) => {
      f.mock.failNext({ kind: 'http', status: 429, code: 'too_many_requests', retryAfter: '1' })
      return { retryAfterMs: 1000, expect: { rawCode: 'too_many_requests', httpStatus: 429 } }
    },
    outage: failing(503),
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    // The API refuses a badly formatted recipient with syntax_invalid_parameter_format on `to`.
    invalid_number: () => ({
      message: { to: 'not-a-number' },
      expect: { rawCode: 'syntax_invalid_parameter_format', httpStatus: 400 },
    }),
    auth: (f) => ({
      provider: f.build({ apiToken: 'wrong' }),
      expect: { rawCode: 'unauthorized', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    vendorError('HTTP 500 internal_error', failing(500, 'internal_error'), 'provider_error', true),
    vendorError('HTTP 403 unknown_campaign', failing(403, 'unknown_campaign'), 'provider_error', false),
    vendorError(
      'HTTP 400 syntax_constraint_violation',
      failing(400, 'syntax_constraint_violation'),
      'provider_error',
      false,
    ),
    vendorError(
      'HTTP 400 syntax_invalid_parameter_format on a field other than the recipient',
      failing(400, 'syntax_invalid_parameter_format', "Invalid value in field 'expire_at'"),
      'provider_error',
      false,
    ),
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('Delivered', 0, 'delivered'),
      receipt('Dispatched', 401, 'pending'),
      receipt('Queued', 400, 'pending'),
      receipt('Failed', 404, 'unreachable'),
      receipt('Aborted', 412, 'geo_blocked'),
      receipt('Rejected', 402, 'carrier_blocked'),
      receipt('Expired', 406, 'expired'),
      receipt('Deleted', 0, 'carrier_blocked'),
      receipt('Unknown', 0, 'unknown'),
    ],
    forge: async (f, sent) => ({
      wrongKey: await report(f, sent, { status: 'Delivered', code: 0 }, { secret: 'wrong-secret' }),
      unsigned: await report(f, sent, { status: 'Delivered', code: 0 }, { secret: null }),
    }),
  },
  reference: { field: 'client_reference', read: (f) => f.mock.batches.at(-1)?.clientReference },
})
