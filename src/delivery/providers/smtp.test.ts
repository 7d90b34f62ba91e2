/** @module SMTP adapter against a local smtp-server instance. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SmtpMock, startSmtpMock } from '../../../test/mocks/smtp-mock.js'
import { systemClock } from '../../shared/clock.js'
import { globalFetch } from '../../shared/http-client.js'
import type { OutgoingMessage } from './provider.js'
import { ProviderError } from './provider.js'
import { smtp } from './smtp.js'
import { SmtpConfigSchema } from './smtp-config.js'

let mock: SmtpMock
const adapters: Array<ReturnType<typeof smtp>> = []

beforeAll(async () => {
  mock = await startSmtpMock({ user: 'mailer', pass: 'secret-pass' })
})
afterAll(async () => {
  await Promise.all(adapters.map((a) => a.close()))
  await mock.close()
})

const msg = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'msg_1',
  attemptKey: 'msg_1:1',
  channel: 'email',
  to: 'alice@example.org',
  subject: 'Your Acme code: 482913',
  body: 'Your Acme code is 482913. It expires in 10 minutes.',
  locale: 'en',
  ...over,
})

function adapter(over: Record<string, unknown> = {}) {
  const config = SmtpConfigSchema.parse({
    type: 'smtp',
    host: mock.host,
    port: mock.port,
    rejectUnauthorized: false, // the mock presents smtp-server's self-signed test certificate
    auth: { user: 'mailer', pass: 'secret-pass' },
    from: '"Acme" <codes@acme.test>',
    connectionTimeoutMs: 2000,
    ...over,
  })
  const a = smtp(config, { fetch: globalFetch, clock: systemClock, onReceipt: () => {} })
  adapters.push(a)
  return a
}

const send = (p: ReturnType<typeof adapter>, m = msg(), timeoutMs = 5000) =>
  p.send(m, { signal: AbortSignal.timeout(timeoutMs) })

async function sendError(p: ReturnType<typeof adapter>, m = msg()): Promise<ProviderError> {
  const err = await send(p, m).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ProviderError)
  return err as ProviderError
}

describe('smtp send', () => {
  it('sends subject and text over STARTTLS with auth; the Message-ID comes from the attempt key', async () => {
    const result = await send(adapter())
    const m = mock.received.at(-1)!
    expect(m.secure).toBe(true)
    expect(m.mailFrom).toBe('codes@acme.test')
    expect(m.rcptTo).toEqual(['alice@example.org'])
    expect(m.headers.subject).toBe('Your Acme code: 482913')
    expect(m.headers['message-id']).toBe('<msg_1.1@acme.test>')
    expect(m.headers['auto-submitted']).toBe('auto-generated')
    expect(m.body).toContain('Your Acme code is 482913.')
    expect(result.providerMessageId).toBe('<msg_1.1@acme.test>')
    expect(result.rawStatus).toMatch(/^250 /)
  })

  it('uses the default subject when the message has none', async () => {
    await send(adapter(), msg({ subject: undefined }))
    expect(mock.received.at(-1)!.headers.subject).toBe('Your verification code')
  })

  it('refuses to send in clear when TLS is required and the server offers no STARTTLS', async () => {
    const plain = await startSmtpMock({ user: 'mailer', pass: 'secret-pass', starttls: false })
    try {
      const err = await sendError(adapter({ port: plain.port }))
      expect(err).toMatchObject({ outcome: 'provider_error', retryable: false, rawCode: 'ETLS 500' })
      expect(plain.received).toHaveLength(0)
      await send(adapter({ port: plain.port, requireTls: false }))
      expect(plain.received.at(-1)!.secure).toBe(false)
    } finally {
      await plain.close()
    }
  })

  it('has no receipt webhook: bounces come back as email', () => {
    expect('receipts' in adapter()).toBe(false)
  })
})
