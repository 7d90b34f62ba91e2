/** @module The provider contract, run against the Telegram Gateway adapter and a local Gateway mock. */
import { expect } from 'vitest'
import { lastRequest, type MockServer, startWebhookReceiver } from '../../../test/mocks/mock-server.js'
import {
  startTelegramGatewayMock,
  type TelegramDeliveryStatus,
  type TelegramGatewayMock,
} from '../../../test/mocks/telegram-gateway-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import {
  type ContractFixture,
  type HttpReceiptCase,
  runProviderContract,
  type SentMessage,
} from './provider.contract.js'
import type { OutgoingMessage } from './provider.js'
import { telegram } from './telegram.js'
import { TelegramConfigSchema } from './telegram-config.js'

const TOKEN = 'AAGw-gateway-token'
const WITH_TELEGRAM = '+15551234567'

interface TelegramFixture extends ContractFixture {
  readonly mock: TelegramGatewayMock
  readonly receiver: MockServer
  build(overrides?: Record<string, unknown>): ReturnType<typeof telegram>
}

const MESSAGE: OutgoingMessage = {
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'telegram',
  to: WITH_TELEGRAM,
  body: 'Your Acme code is 482913.',
  locale: 'en',
  code: '482913',
  codeExpiresAt: Date.now() + 600_000,
}

async function setup(): Promise<TelegramFixture> {
  const mock = await startTelegramGatewayMock({ accessToken: TOKEN, telegramNumbers: [WITH_TELEGRAM] })
  const receiver = await startWebhookReceiver()
  const build = (overrides: Record<string, unknown> = {}) =>
    telegram(
      TelegramConfigSchema.parse({
        type: 'telegram',
        accessToken: TOKEN,
        baseUrl: mock.url,
        callbackUrl: `${receiver.url}/v1/receipts/telegram`,
        ...overrides,
      }),
      { fetch: globalFetch, clock: systemClock, onReceipt: () => {} },
    )
  return {
    mock,
    receiver,
    build,
    provider: build(),
    message: MESSAGE,
    // A submit is the message itself; the check before it is not one.
    submits: () => mock.calls('sendVerificationMessage').length,
    close: async () => {
      await mock.close()
      await receiver.close()
    },
  }
}

const report = async (
  f: TelegramFixture,
  sent: SentMessage,
  status: TelegramDeliveryStatus,
  token?: string | null,
) => {
  expect(await f.mock.report(sent.result.providerMessageId, status, { token })).toBe(200)
  return lastRequest(f.receiver)
}

const receipt = (
  status: TelegramDeliveryStatus,
  outcome: HttpReceiptCase<TelegramFixture>['outcome'],
): HttpReceiptCase<TelegramFixture> => ({
  name: status,
  outcome,
  expect: { rawStatus: status },
  deliver: (f, sent) => report(f, sent, status),
})

runProviderContract<TelegramFixture>({
  type: 'telegram',
  setup,
  unsupportedChannel: 'sms',
  errors: {
    throttled: (f) => {
      f.mock.failNext({ kind: 'error', error: 'FLOOD_WAIT_7', status: 429 })
      return { retryAfterMs: 7000, expect: { rawCode: 'FLOOD_WAIT_7', httpStatus: 429 } }
    },
    outage: (f) => {
      f.mock.failNext({ kind: 'error', error: 'INTERNAL', status: 500 })
      return { expect: { httpStatus: 500 } }
    },
    timeout: (f) => void f.mock.failNext({ kind: 'hang' }),
    network: (f) => {
      f.mock.failNext({ kind: 'drop' })
      return { expect: { rawCode: 'NETWORK' } }
    },
    invalid_number: () => ({ message: { to: 'not-a-number' }, expect: { rawCode: 'PHONE_NUMBER_INVALID' } }),
    auth: (f) => ({
      provider: f.build({ accessToken: 'wrong' }),
      expect: { rawCode: 'ACCESS_TOKEN_INVALID', httpStatus: 401 },
    }),
  },
  vendorErrors: [
    {
      name: 'a number without Telegram (checkSendAbility refuses, no charge)',
      arrange: () => ({ message: { to: '+15557654321' }, expect: { rawCode: 'PHONE_NUMBER_NOT_FOUND' } }),
      outcome: 'no_account',
      retryable: false,
    },
    {
      name: 'BALANCE_NOT_ENOUGH',
      arrange: (f) => void f.mock.failNext({ kind: 'error', error: 'BALANCE_NOT_ENOUGH' }),
      outcome: 'provider_error',
      retryable: false,
    },
  ],
  receipts: {
    via: 'http',
    cases: [
      receipt('sent', 'pending'),
      receipt('delivered', 'delivered'),
      receipt('read', 'delivered'),
      receipt('expired', 'expired'),
      receipt('revoked', 'pending'),
    ],
    forge: async (f, sent) => ({
      wrongKey: await report(f, sent, 'delivered', 'not-the-token'),
      unsigned: await report(f, sent, 'delivered', null),
    }),
  },
  reference: {
    field: 'payload',
    read: (f) => [...f.mock.gatewayRequests.values()].at(-1)?.payload,
  },
})
