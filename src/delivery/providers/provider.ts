/**
 * @module The provider seam: what the dispatcher needs from any SMS, voice, WhatsApp or email
 * provider. Adapters call vendors through the injected `fetch` (never the global one) so tests can
 * point them at local mock servers that speak the vendor's wire format.
 */

import type { Channel } from '../../channels/channel.js'
import type { Clock } from '../../shared/clock.js'
import type { FetchFn } from '../../shared/http-client.js'
import type { DeliveryOutcome } from '../outcome.js'

/** One message, rendered and ready to hand to a provider. */
export interface OutgoingMessage {
  /** Outbox message id (`msg_...`); providers that accept a client reference get it. */
  readonly id: string
  /**
   * Unique per send attempt; adapters pass it as the vendor's idempotency/reference field where one
   * exists (the provider contract checks each):
   *
   * | Adapter | Field | What the vendor does with it |
   * | --- | --- | --- |
   * | telnyx | `Idempotency-Key` header | a replayed attempt gets the first answer back, not a second SMS |
   * | vonage | `client-ref` (first 40 characters) | echoed in every DLR |
   * | infobip | `callbackData` | echoed in every delivery report |
   * | sinch | `client_reference` | echoed in delivery reports |
   * | messagebird | `reference` | echoed in status reports (MessageBird reports only on messages with one) |
   * | whatsapp-cloud | `biz_opaque_callback_data` | echoed in status webhooks |
   * | smtp | `Message-ID` (`<key@domain>`, `:` written as `.`) | the id bounces refer to |
   * | http | `{{attemptKey}}` | wherever the templates put it (the default body's `reference`) |
   * | twilio, plivo, sns | none | their send APIs take no client reference or idempotency key |
   * | smpp, kannel | none | submit_sm and sendsms carry none; Kannel's dlr-url carries the outbox `id` |
   * | simulator | none | in-process |
   */
  readonly attemptKey: string
  readonly channel: Channel
  /** E.164 phone number, or an email address for the email channel. */
  readonly to: string
  /** Sender ID, number or address chosen by the route; the adapter's default when absent. */
  readonly from?: string | undefined
  /** Rendered text: the SMS/WhatsApp body, the words a voice call speaks, or the email's text part. */
  readonly body: string
  /** Email subject, when channel is `email`. */
  readonly subject?: string | undefined
  /** BCP 47 locale the body was rendered in (voice adapters pick the TTS language from it). */
  readonly locale: string
  /**
   * The code itself, for vendors that take it as a field rather than in a text (Telegram Gateway's
   * `code`, WhatsApp authentication templates). Never logged; absent only in tests of text adapters.
   */
  readonly code?: string | undefined
  /** When the code stops being accepted (ms since epoch): vendors that take a TTL get its remaining life. */
  readonly codeExpiresAt?: number | undefined
  /** The service the code is for (per-service vendor settings such as a WhatsApp one-tap app). */
  readonly serviceId?: string | undefined
  /** The service's Android app for WhatsApp one-tap autofill, when it has one. */
  readonly oneTap?: { readonly packageName: string; readonly signatureHash: string } | undefined
}

/** What a provider said when it accepted a message. */
export interface SendResult {
  /** The provider's id for the message; receipts are matched on it. */
  readonly providerMessageId: string
  /** Raw status word the provider answered with (`queued`, `accepted`, `0`...). */
  readonly rawStatus?: string | undefined
  /** Number of billable parts, when the provider says. */
  readonly segments?: number | undefined
  /**
   * Why the message went out differently from what was asked (e.g. the copy-code WhatsApp
   * template because the one-tap one is not approved yet); recorded on the hand-over event.
   */
  readonly note?: string | undefined
}

/** A delivery receipt (DLR), normalised. */
export interface DeliveryReport {
  /** `MessageProvider.id` of the provider that sent it. */
  readonly providerId: string
  readonly providerMessageId: string
  /** `delivered`, `pending` (an intermediate state), or the failure reason. */
  readonly outcome: DeliveryOutcome
  readonly rawStatus?: string | undefined
  readonly rawCode?: string | undefined
  readonly rawText?: string | undefined
  /** When the provider says the state was reached (ms since epoch); receipt arrival time when unknown. */
  readonly at: number
}

/**
 * Thrown by `send` when the provider refused or could not be reached. `retryable` decides between
 * retrying (same route, with backoff, or the next route) and giving up on this destination.
 */
export class ProviderError extends Error {
  readonly retryable: boolean
  readonly outcome: DeliveryOutcome
  readonly rawCode: string | undefined
  readonly rawText: string | undefined
  readonly httpStatus: number | undefined
  /**
   * How long the vendor asked us to wait before trying again (its `Retry-After`), when it said.
   * A hint for the retry schedule, never a promise that the retry will succeed.
   */
  readonly retryAfterMs: number | undefined

  constructor(opts: {
    message: string
    retryable: boolean
    outcome: DeliveryOutcome
    rawCode?: string | undefined
    rawText?: string | undefined
    httpStatus?: number | undefined
    retryAfterMs?: number | undefined
    cause?: unknown
  }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'ProviderError'
    this.retryable = opts.retryable
    this.outcome = opts.outcome
    this.rawCode = opts.rawCode
    this.rawText = opts.rawText
    this.httpStatus = opts.httpStatus
    this.retryAfterMs = opts.retryAfterMs
  }
}

/** `rawCode` of the refusal every adapter gives a message on a channel it does not serve. */
export const CHANNEL_UNSUPPORTED = 'CHANNEL_UNSUPPORTED'

/**
 * Refuses, before anything is sent, a message on a channel the provider does not serve: the same
 * final error from every adapter, so the dispatcher and the event log read it one way.
 * @throws ProviderError `CHANNEL_UNSUPPORTED`, not retryable
 */
export function assertServes(
  provider: Pick<MessageProvider, 'id' | 'type' | 'channels'>,
  channel: Channel,
): void {
  if (provider.channels.includes(channel)) return
  throw new ProviderError({
    message: `${provider.type} provider "${provider.id}" does not serve ${channel}`,
    retryable: false,
    outcome: 'provider_error',
    rawCode: CHANNEL_UNSUPPORTED,
  })
}

/** An inbound HTTP request as a receipt webhook sees it. */
export interface InboundRequest {
  readonly method: string
  /** Full public URL the provider called (signature schemes such as Twilio's sign it). */
  readonly url: string
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body exactly as received (signatures are computed over it). */
  readonly rawBody: string
  /** Parsed query string. */
  readonly query: Readonly<Record<string, string | undefined>>
}

/** Receipt webhook handling for providers that call back over HTTP. */
export interface ReceiptWebhook {
  /** Checks the provider's signature. False means: answer 401 and change nothing. */
  verify(req: InboundRequest): boolean | Promise<boolean>
  /** Reports carried by a verified request (zero or more). */
  parse(req: InboundRequest): DeliveryReport[]
}

export interface MessageProvider {
  /** Unique per configured provider instance, e.g. `simulator`, `twilio-eu`. */
  readonly id: string
  /** Adapter type, e.g. `twilio`. */
  readonly type: string
  readonly channels: readonly Channel[]
  /** Hands one message to the provider. @throws ProviderError */
  send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult>
  /** Present when the provider calls back with receipts over HTTP. */
  readonly receipts?: ReceiptWebhook | undefined
  /**
   * Whether delivery receipts are expected at all (over HTTP or over the provider's own session).
   * When false, a hand-over is the last word: no receipt timeout re-sends the code.
   * @default `receipts !== undefined`
   */
  readonly reportsDelivery?: boolean
  /**
   * The sender ID the provider puts on a message whose route names none (the simulator's
   * "VERIGATE"). Recorded with the send, so the person can be told what to look for.
   */
  readonly defaultSender?: string
  /**
   * Answers a webhook subscription handshake (Meta's GET `hub.challenge`): the body to echo, or
   * undefined when the request is not a valid handshake.
   */
  answerSubscription?(query: Readonly<Record<string, string | undefined>>): string | undefined
  /**
   * Withdraws a message the vendor may still be holding, once its code is no longer useful (the
   * verification was approved, canceled or expired). Best effort: the vendor may already have
   * delivered it. Present only where the vendor offers it (Telegram's revokeVerificationMessage).
   */
  revoke?(providerMessageId: string, opts: { signal: AbortSignal }): Promise<void>
  close?(): Promise<void>
}

/** What every adapter factory receives. */
export interface ProviderDeps {
  readonly fetch: FetchFn
  readonly clock: Clock
  /** For providers that push receipts over their own connection (simulator, SMPP). */
  readonly onReceipt: (report: DeliveryReport) => void
}
