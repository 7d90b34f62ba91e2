/** @module The provider contract, run against the SMTP adapter and a local smtp-server instance. */
import { expect } from 'vitest'
import { type SmtpFailure, type SmtpMock, startSmtpMock } from '../../../test/mocks/smtp-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { type ContractFixture, runProviderContract, type VendorErrorCase } from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { smtp } from './smtp.js'
import { SmtpConfigSchema } from './smtp-config.js'

interface SmtpFixture extends ContractFixture {
  readonly mock: SmtpMock
  build(overrides?: Record<string, unknown>): ReturnType<typeof smtp>
}

const EMAIL: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'email',
  to: 'alice@example.org',
  subject: 'Your Acme code: 482913',
  body: 'Your Acme code is 482913. It expires in 10 minutes.',
  locale: 'en',
}

async function setup(): Promise<SmtpFixture> {
  const mock = await startSmtpMock({ user: 'mailer', pass: 'secret-pass' })
  const built: Array<ReturnType<typeof smtp>> = []
  const build = (overrides: Record<string, unknown> = {}) => {
    const adapter = smtp(
      SmtpConfigSchema.parse({
        type: 'smtp',
        host: mock.host,
        port: mock.port,
        rejectUnauthorized: false, // the mock presents smtp-server's self-signed test certificate
        auth: { user: 'mailer', pass: 'secret-pass' },
        from: '"Acme" <codes@acme.test>',
        connectionTimeoutMs: 2000,
        ...overrides,
      }),
      { fetch: globalFetch, clock: systemClock, onReceipt: () => {} },
    )
    built.push(adapter)
    return adapter
  }
  return {
    mock,
    build,
    provider: build(),
    message: EMAIL,
    submits: () => mock.received.length,
    close: async () => {
      await Promise.all(built.map((a) => a.close()))
      await mock.close()
    },
  }
}

/** The reply the next message gets at one SMTP stage, and what the adapter must keep of it. */
const replying = (failure: Extract<SmtpFailure, { code: number }>, rawCode: string) => (f: SmtpFixture) => {
  f.mock.failNext(failure)
  return { expect: { rawCode, rawText: expect.stringContaining(failure.text) } }
}

const vendorError = (
  failure: Extract<SmtpFailure, { code: number }>,
  rawCode: string,
  outcome: VendorErrorCase<SmtpFixture>['outcome'],
  retryable: boolean,
): VendorErrorCase<SmtpFixture> => ({
  name: `${failure.stage.toUpperCase()} answered ${failure.code} "${failure.text}"`,
  arrange: replying(failure, rawCode),
  outcome,
  retryable,
})

runProviderContract<SmtpFixture>({
  type: 'smtp',
  setup,
  unsupportedChannel: 'sms',
  errors: {
    throttled: {
      skip: 'SMTP has no throttling reply of its own; rate limits come as 4xx "try again later", all retryable provider_error',
    },
    outage: replying({ stage: 'data', code: 451, text: '4.3.0 Local error in processing' }, '451 4.3.0'),
    timeout: (f) => void f.mock.failNext({ stage: 'hang' }),
    // Nothing listens on port 1: the connection is refused.
    network: (f) => ({ provider: f.build({ port: 1 }), expect: { rawCode: 'ESOCKET' } }),
    invalid_number: replying({ stage: 'rcpt', code: 553, text: 'Mailbox name not allowed' }, '553'),
    auth: (f) => ({
      provider: f.build({ auth: { user: 'mailer', pass: 'wrong' } }),
      expect: { rawCode: '535 5.7.8' },
    }),
  },
  vendorErrors: [
    vendorError(
      {
        stage: 'rcpt',
        code: 550,
        text: '5.1.1 <alice@example.org>: Recipient address rejected: User unknown',
      },
      '550 5.1.1',
      'unknown_subscriber',
      false,
    ),
    vendorError(
      { stage: 'rcpt', code: 551, text: 'User not local; please try <alice@elsewhere.example>' },
      '551',
      'unknown_subscriber',
      false,
    ),
    vendorError(
      { stage: 'rcpt', code: 550, text: '5.7.1 Relaying denied' },
      '550 5.7.1',
      'carrier_blocked',
      false,
    ),
    vendorError(
      { stage: 'data', code: 554, text: '5.7.1 Message rejected as spam' },
      '554 5.7.1',
      'carrier_blocked',
      false,
    ),
    vendorError({ stage: 'data', code: 554, text: 'Transaction failed' }, '554', 'carrier_blocked', false),
    vendorError({ stage: 'data', code: 552, text: '5.2.2 Mailbox full' }, '552 5.2.2', 'unreachable', false),
    vendorError(
      { stage: 'rcpt', code: 450, text: '4.2.0 Greylisted, try again later' },
      '450 4.2.0',
      'provider_error',
      true,
    ),
    vendorError(
      { stage: 'mail', code: 421, text: '4.7.0 Too many connections, slow down' },
      '421 4.7.0',
      'provider_error',
      true,
    ),
  ],
  receipts: {
    via: 'none',
    reason: 'a bounce comes back as an email to the envelope sender, not to a webhook',
  },
  reference: {
    field: 'Message-ID',
    read: (f) => f.mock.received.at(-1)?.headers['message-id'],
    // `:` may not stand in a Message-ID's left part, so it travels as `.`.
    expected: (attemptKey) => `<${attemptKey.replaceAll(':', '.')}@acme.test>`,
  },
})
