/** @module The provider contract, run against the Kannel adapter and a stand-in for smsbox. */
import { expect } from 'vitest'
import { type KannelEscape, type KannelMock, startKannelMock } from '../../../test/mocks/kannel-mock.js'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import { ManualClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import { type KannelProvider, kannel } from './kannel.js'
import { type KannelConfig, KannelConfigSchema } from './kannel-config.js'
import { type ContractFixture, type HttpReceiptCase, runProviderContract } from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'

const SECRET = 'kannel-receipt-secret-0123456789abcdef'

interface KannelFixture extends ContractFixture {
  readonly mock: KannelMock
  readonly receiver: MockServer
  build(overrides?: Partial<KannelConfig>): KannelProvider
}

const SMS: OutgoingMessage = {
  id: 'msg_abc123',
  attemptKey: 'msg_abc123:1',
  channel: 'sms',
  to: '+447700900001',
  body: 'Your code is 123456',
  locale: 'en',
}

async function setup(): Promise<KannelFixture> {
  const mock = await startKannelMock({ username: 'tester', password: 'testpass' })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Partial<KannelConfig> = {}) =>
    kannel(
      KannelConfigSchema.parse({
        type: 'kannel',
        id: 'kannel-eu',
        sendsmsUrl: mock.sendsmsUrl,
        username: 'tester',
        password: 'testpass',
        from: 'VERIGATE',
        receiptBaseUrl: receiver.url,
        receiptSecret: SECRET,
        ...overrides,
      }),
      { fetch: globalFetch, clock: new ManualClock(Date.UTC(2026, 0, 1)), onReceipt: () => {} },
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

/** Kannel calling the dlr-url of the last message sent, with these escape codes filled in. */
const dlr = async (f: KannelFixture, fill: Partial<Record<KannelEscape, string>>, dlrUrl?: string) => {
  const url = dlrUrl ?? f.mock.params()['dlr-url'] ?? ''
  expect(
    await f.mock.sendReport(url, { '%T': '1767225600', '%p': '447700900001', '%P': 'VERIGATE', ...fill }),
  ).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  value: string,
  answer: string,
  outcome: HttpReceiptCase<KannelFixture>['outcome'],
  expected: { rawStatus: string; rawCode?: string },
): HttpReceiptCase<KannelFixture> => ({
  name: `DLR ${value} "${answer}"`,
  outcome,
  expect: expected,
  deliver: (f) => dlr(f, { '%d': value, '%A': answer }),
})

const smppReceipt = (stat: string, err: string) =>
  `id:5F5E101 sub:001 dlvrd:000 submit date:2601011200 done date:2601011201 stat:${stat} err:${err} text:x`

runProviderContract<KannelFixture>({
  type: 'kannel',
  setup,
  unsupportedChannel: 'call',
  errors: {
    throttled: {
      skip: "smsbox's sendsms has no throttling answer: it queues, and the SMSC's throttling comes back as a DLR (NACK/0x58, a receipt case)",
    },
    outage: (f) => {
      f.mock.replyNext({ status: 503, body: 'Temporary failure' })
      return { expect: { httpStatus: 503 } }
    },
    timeout: (f) => void f.mock.replyNext('hang'),
    // Nothing listens on port 1: the connection is refused.
    network: (f) => ({
      provider: f.build({ sendsmsUrl: 'http://127.0.0.1:1/cgi-bin/sendsms' }),
      expect: { rawCode: 'NETWORK' },
    }),
    // smsbox takes any `to`; the SMSC's refusal would come back as a DLR (NACK/0x0b, a receipt case),
    // so the adapter refuses what is not E.164 itself.
    invalid_number: () => ({ message: { to: '07700900001' } }),
    auth: (f) => ({
      provider: f.build({ password: 'wrong' }),
      expect: { httpStatus: 403, rawText: 'Authorization failed for sendsms' },
    }),
  },
  receipts: {
    via: 'http',
    cases: [
      receipt('1', smppReceipt('DELIVRD', '000'), 'delivered', { rawStatus: 'DELIVRD', rawCode: '000' }),
      receipt('8', 'ACK/', 'pending', { rawStatus: 'ACK' }),
      receipt('4', '', 'pending', { rawStatus: 'BUFFERED' }),
      receipt('2', smppReceipt('UNDELIV', '045'), 'carrier_blocked', {
        rawStatus: 'UNDELIV',
        rawCode: '045',
      }),
      receipt('2', smppReceipt('UNDELIV', '027'), 'unreachable', { rawStatus: 'UNDELIV', rawCode: '027' }),
      receipt('2', smppReceipt('EXPIRED', '000'), 'expired', { rawStatus: 'EXPIRED', rawCode: '000' }),
      receipt('2', '', 'unknown', { rawStatus: 'FAILED' }),
      receipt('16', 'NACK/0x0000000b/Invalid Destination Address', 'invalid_number', {
        rawStatus: 'NACK',
        rawCode: '0x0000000b',
      }),
      receipt('16', 'NACK/0x00000058/Throttling error', 'provider_throttled', {
        rawStatus: 'NACK',
        rawCode: '0x00000058',
      }),
      receipt('16', 'NACK/Retries Exceeded', 'provider_error', { rawStatus: 'NACK' }),
    ],
    async forge(f, sent) {
      // The same message sent through an instance with another secret: its dlr-url token is wrong here.
      await f.build({ receiptSecret: 'another-secret-another-secret-0123456789' }).send(sent.message, {
        signal: AbortSignal.timeout(5000),
      })
      const wrongKey = await dlr(f, { '%d': '1' })
      const genuine = f.mock.params(0)['dlr-url'] ?? ''
      const unsigned = await dlr(f, { '%d': '1' }, genuine.replace(/token=[^&]*&/, ''))
      return { wrongKey, unsigned }
    },
  },
  reference: {
    skip: 'sendsms takes no client reference; the dlr-url carries the outbox message id instead',
  },
})
