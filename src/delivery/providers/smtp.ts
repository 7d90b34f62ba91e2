/**
 * @module SMTP email adapter (nodemailer): sends the rendered subject and text body to one address and
 * maps SMTP reply codes, refined by RFC 3463 enhanced status codes, onto the delivery taxonomy.
 *
 * SMTP has no delivery receipt webhook: a later bounce (DSN) arrives as an email to the envelope
 * sender, so this adapter reports acceptance by the configured server only and has no `receipts`.
 */
import nodemailer from 'nodemailer'
import type { DeliveryOutcome } from '../outcome.js'
import type { MessageProvider, OutgoingMessage, ProviderDeps, SendResult } from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import type { SmtpConfig } from './smtp-config.js'

/** The fields of a nodemailer error this adapter reads. */
interface SmtpFailure {
  readonly code?: string | undefined
  readonly responseCode?: number | undefined
  readonly response?: string | undefined
  readonly command?: string | undefined
  readonly message?: string | undefined
  readonly cause?: unknown
}

/** Connection-level nodemailer codes: the server or the network failed, not the message. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'EPROXY',
  'ECONNREFUSED',
  'ECONNRESET',
])

/**
 * Builds the SMTP adapter. The Message-ID is derived from `msg.attemptKey` (`<msg_x.2@domain>`), so it is
 * both the idempotency hint and the `providerMessageId`. Timeouts and 4xx replies are retryable; 5xx
 * replies are final and mapped by reply and enhanced code (mailbox unknown, bad address, policy/spam).
 */
export function smtp(config: SmtpConfig, _deps: ProviderDeps) {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: !config.secure && config.requireTls,
    auth: config.auth,
    tls: { rejectUnauthorized: config.rejectUnauthorized },
    connectionTimeout: config.connectionTimeoutMs,
    greetingTimeout: config.connectionTimeoutMs,
    socketTimeout: config.connectionTimeoutMs * 3,
  })
  const domain = config.messageIdDomain ?? /@([^>\s]+)>?\s*$/.exec(config.from)?.[1] ?? 'verigate.invalid'

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'smtp', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      // `:` is not allowed in a Message-ID's left part (RFC 5322 dot-atom), hence the substitution.
      const messageId = `<${msg.attemptKey.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '.')}@${domain}>`
      try {
        const info = await transport.sendMail({
          from: msg.from ?? config.from,
          to: msg.to,
          subject: msg.subject ?? config.defaultSubject,
          text: msg.body,
          messageId,
          headers: { 'Auto-Submitted': 'auto-generated' },
          signal: opts.signal,
        })
        return { providerMessageId: info.messageId || messageId, rawStatus: info.response }
      } catch (err) {
        throw smtpError(err as SmtpFailure, opts.signal)
      }
    },

    async close() {
      transport.close()
    },
  } satisfies MessageProvider
}

/** RFC 3463 enhanced status code (`5.1.1`) in a reply, when the server gives one. */
function enhancedCode(response: string | undefined): string | undefined {
  return response ? /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] : undefined
}

/** Maps a failed send to a ProviderError. */
function smtpError(err: SmtpFailure, signal: AbortSignal): ProviderError {
  if (err.code === 'EABORT' || signal.aborted) {
    const timeout = (signal.reason as Error | undefined)?.name === 'TimeoutError'
    return new ProviderError({
      message: timeout ? 'SMTP server did not answer in time' : 'Sending was aborted',
      retryable: true,
      outcome: 'provider_error',
      rawCode: timeout ? 'TIMEOUT' : 'ABORTED',
      cause: err,
    })
  }
  const reply = err.responseCode
  if (err.code === 'ETLS') {
    // No STARTTLS on offer, or a certificate we refuse: configuration, and every retry would fail alike.
    return new ProviderError({
      message: `STARTTLS failed: ${err.response ?? err.message ?? 'TLS error'}`,
      retryable: false,
      outcome: 'provider_error',
      rawCode: reply === undefined ? 'ETLS' : `ETLS ${reply}`,
      rawText: err.response ?? err.message,
      cause: err,
    })
  }
  if (reply === undefined) {
    return new ProviderError({
      message: err.message ?? 'SMTP error',
      retryable: err.code !== undefined && TRANSIENT_CODES.has(err.code),
      outcome: 'provider_error',
      rawCode: err.code ?? 'SMTP',
      rawText: err.message,
      cause: err,
    })
  }
  const enhanced = enhancedCode(err.response)
  const mapped = mapReply(reply, enhanced, err.code)
  return new ProviderError({
    message: err.response ?? err.message ?? `SMTP reply ${reply}`,
    retryable: mapped.retryable,
    outcome: mapped.outcome,
    rawCode: enhanced ? `${reply} ${enhanced}` : String(reply),
    rawText: err.response ?? err.message,
    cause: err,
  })
}

function mapReply(
  reply: number,
  enhanced: string | undefined,
  code: string | undefined,
): { outcome: DeliveryOutcome; retryable: boolean } {
  // 4xx is "try again later" by definition (greylisting, full queue, rate limits). 421 closes the session.
  if (reply >= 400 && reply < 500) {
    return { outcome: 'provider_error', retryable: true }
  }
  if (code === 'EAUTH' || reply === 530 || reply === 535 || reply === 538)
    return { outcome: 'provider_error', retryable: false }
  if (enhanced) {
    const [, subject, detail] = enhanced.split('.')
    if (subject === '7') return { outcome: 'carrier_blocked', retryable: false } // security or policy: blocked, spam, not authorized
    if (subject === '1' && (detail === '3' || detail === '2'))
      return { outcome: 'invalid_number', retryable: false } // bad address syntax / bad domain
    if (subject === '1') return { outcome: 'unknown_subscriber', retryable: false } // no such mailbox, moved, null MX
    if (subject === '2' && detail === '1') return { outcome: 'unknown_subscriber', retryable: false } // mailbox disabled
    if (subject === '2' && detail === '2') return { outcome: 'unreachable', retryable: false } // mailbox full
    if (subject === '3' || subject === '5' || subject === '6')
      return { outcome: 'provider_error', retryable: false } // size, protocol, content
  }
  switch (reply) {
    case 550: // mailbox unavailable: not found, no access
    case 551: // user not local
      return { outcome: 'unknown_subscriber', retryable: false }
    case 553: // mailbox name not allowed: the address itself is wrong
      return { outcome: 'invalid_number', retryable: false }
    case 552: // exceeded storage allocation
      return { outcome: 'unreachable', retryable: false }
    case 554: // transaction failed: in practice a policy or spam rejection
      return { outcome: 'carrier_blocked', retryable: false }
    default:
      return { outcome: 'provider_error', retryable: false }
  }
}
