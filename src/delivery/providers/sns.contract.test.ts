/** @module The provider contract, run against the AWS SNS adapter and a local SNS Query API mock. */
import { type SnsMock, startSnsMock } from '../../../test/mocks/sns-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { type ContractFixture, runProviderContract, type VendorErrorCase } from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { sns } from './sns.js'
import { SnsConfigSchema } from './sns-config.js'

const REGION = 'eu-west-1'
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE'
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

interface SnsFixture extends ContractFixture {
  readonly mock: SnsMock
  build(overrides?: Record<string, unknown>): ReturnType<typeof sns>
}

const SMS: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'sms',
  to: '+447700900123',
  body: 'Your code is 123456 & more',
  locale: 'en',
}

async function setup(): Promise<SnsFixture> {
  const mock = await startSnsMock({ region: REGION, accessKeyId: KEY_ID, secretAccessKey: SECRET })
  const build = (overrides: Record<string, unknown> = {}) =>
    sns(
      SnsConfigSchema.parse({
        type: 'sns',
        region: REGION,
        accessKeyId: KEY_ID,
        secretAccessKey: SECRET,
        baseUrl: mock.url,
        from: 'VERIGATE',
        ...overrides,
      }),
      // SigV4 signs the real time; the mock refuses a request dated 15 minutes away.
      { fetch: globalFetch, clock: systemClock, onReceipt: () => {} },
    )
  return {
    mock,
    build,
    provider: build(),
    message: SMS,
    submits: () => mock.requests.length,
    close: () => mock.close(),
  }
}

/** An `ErrorResponse` for the next Publish, and what the adapter must keep of it. */
const failing = (status: number, code: string, message: string) => (f: SnsFixture) => {
  f.mock.failNext({ kind: 'error', status, code, message })
  return { expect: { rawCode: code, rawText: message, httpStatus: status } }
}

const vendorError = (
  status: number,
  code: string,
  message: string,
  outcome: VendorErrorCase<SnsFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<SnsFixture> => ({
  name: `${code} (HTTP ${status}): ${message}`,
  arrange: failing(status, code, message),
  outcome,
  retryable,
})

runProviderContract<SnsFixture>({
  type: 'sns',
  setup,
  unsupportedChannel: 'call',
  errors: {
    // The Query API gives no Retry-After: the SDKs back off on their own.
    throttled: failing(400, 'Throttling', 'Rate exceeded'),
    outage: failing(500, 'InternalError', 'Internal error'),
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    // SNS refuses a PhoneNumber it cannot publish to with InvalidParameter naming it.
    invalid_number: () => ({
      message: { to: '+12' },
      expect: { rawCode: 'InvalidParameter', httpStatus: 400 },
    }),
    auth: (f) => ({
      provider: f.build({ secretAccessKey: 'not-the-secret' }),
      expect: { rawCode: 'SignatureDoesNotMatch', httpStatus: 403 },
    }),
  },
  vendorErrors: [
    vendorError(429, 'Throttled', 'Request rate exceeded', 'provider_throttled', true),
    vendorError(400, 'OptedOut', 'Phone number is opted out', 'opted_out', false),
    vendorError(
      403,
      'AuthorizationError',
      'User is not authorized to perform SNS:Publish',
      'provider_error',
      false,
    ),
    vendorError(400, 'InvalidParameter', 'Invalid parameter: MessageAttributes', 'provider_error', false),
  ],
  receipts: {
    via: 'none',
    reason: 'SNS reports delivery only to CloudWatch Logs, not to a webhook',
  },
  reference: { skip: 'SNS Publish takes no client reference or idempotency key for SMS' },
})
