/**
 * @module Telegram Gateway adapter (core.telegram.org/gateway/api): sends verigate's own code to the
 * Telegram account of a phone number. Every send first asks `checkSendAbility`, whose `request_id`
 * the `sendVerificationMessage` then reuses, so one message is billed once; a number Telegram cannot
 * reach is refused there, free of charge, as `no_account` (the dispatcher moves on to the next
 * channel at once). Delivery reports come to `callback_url`, signed with the token.
 */
import { createHash, createHmac } from 'node:crypto'
import type { DeliveryOutcome } from '../outcome.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest, safeEqual } from './provider-http.js'
import type { TelegramConfig } from './telegram-config.js'

/** The Gateway's `ttl` range in seconds (sendVerificationMessage). */
export const TELEGRAM_TTL_RANGE = { min: 30, max: 3600 } as const

/** `DeliveryStatus.status` → the delivery taxonomy. */
export const TELEGRAM_STATUSES: Readonly<Record<string, DeliveryOutcome>> = {
  sent: 'pending',
  delivered: 'delivered',
  // Read implies delivered.
  read: 'delivered',
  // Not delivered within the ttl (Telegram refunds the fee): this channel did not reach the person.
  expired: 'expired',
  // verigate revoked it because the verification ended: a fact, not a failure to act on.
  revoked: 'pending',
}

interface GatewayAnswer {
  readonly ok?: boolean
  readonly error?: string
  readonly result?: RequestStatus
}

/** The Gateway's RequestStatus object (answers and delivery reports). */
export interface RequestStatus {
  readonly request_id?: string
  readonly phone_number?: string
  readonly request_cost?: number
  readonly is_refunded?: boolean
  readonly remaining_balance?: number
  readonly delivery_status?: { readonly status?: string; readonly updated_at?: number }
  readonly verification_status?: { readonly status?: string; readonly updated_at?: number }
  readonly payload?: string
}

/**
 * Reads a Gateway error word. The API documents errors only as words in `error` (e.g.
 * `ACCESS_TOKEN_INVALID`); `FLOOD_WAIT_<seconds>` carries its own wait.
 */
export function telegramError(
  error: string | undefined,
  res: Pick<ProviderHttpResponse, 'status' | 'retryAfterMs'>,
  stage: 'check' | 'send',
): ProviderError {
  const word = error ?? ''
  const flood = /^FLOOD_WAIT_(\d+)$/.exec(word)
  const base = { rawCode: word || String(res.status), rawText: word || undefined, httpStatus: res.status }
  if (flood || word === 'TOO_MANY_REQUESTS' || res.status === 429) {
    return new ProviderError({
      ...base,
      message: 'Telegram Gateway asks to slow down',
      retryable: true,
      outcome: 'provider_throttled',
      retryAfterMs: flood ? Number(flood[1]) * 1000 : res.retryAfterMs,
    })
  }
  if (res.status >= 500) return errorForStatus(res, base.rawCode, base.rawText)
  if (word.startsWith('ACCESS_TOKEN_') || res.status === 401 || res.status === 403) {
    return new ProviderError({
      ...base,
      message: 'Telegram Gateway refused the access token',
      retryable: false,
      outcome: 'provider_error',
    })
  }
  if (word === 'PHONE_NUMBER_INVALID') {
    return new ProviderError({
      ...base,
      message: 'Telegram Gateway says the number is not a valid E.164 number',
      retryable: false,
      outcome: 'invalid_number',
    })
  }
  if (word === 'BALANCE_NOT_ENOUGH') {
    return new ProviderError({
      ...base,
      message: 'The Telegram Gateway account has no funds left',
      retryable: false,
      outcome: 'provider_error',
    })
  }
  if (stage === 'check') {
    // checkSendAbility refuses a number it cannot send to (no Telegram account, or one that does
    // not take codes): free of charge, and final for this channel only.
    return new ProviderError({
      ...base,
      message: 'This number cannot receive codes in Telegram',
      retryable: false,
      outcome: 'no_account',
    })
  }
  return new ProviderError({
    ...base,
    message: `Telegram Gateway refused the message (${word || res.status})`,
    retryable: false,
    outcome: 'provider_error',
  })
}

/**
 * The signature the Gateway puts in `X-Request-Signature` (reference, "Checking report integrity"):
 * hex(HMAC_SHA256(data_check_string, secret_key)) where data_check_string = X-Request-Timestamp +
 * '\n' + the raw POST body and secret_key = SHA256(api_token). The key is the digest's 32 raw bytes,
 * as in Telegram's Login Widget check that the wording copies ("with the SHA256 hash of the token"),
 * not its hex spelling. Pinned by a known-answer test computed outside Node (openssl).
 */
export function telegramReportSignature(accessToken: string, timestamp: string, rawBody: string): string {
  const key = createHash('sha256').update(accessToken, 'utf8').digest()
  return createHmac('sha256', key).update(`${timestamp}\n${rawBody}`, 'utf8').digest('hex')
}

/** `payload` is "0-128 bytes": a longer attempt key is left out rather than refused by the Gateway. */
const PAYLOAD_MAX_BYTES = 128

/** Builds the Telegram Gateway adapter. */
export function telegram(config: TelegramConfig, deps: ProviderDeps) {
  const base = config.baseUrl.replace(/\/+$/, '')
  const identity = { id: config.id, type: 'telegram', channels: config.channels } as const
  const headers = { authorization: `Bearer ${config.accessToken}` }

  const call = async (
    method: string,
    body: Record<string, unknown>,
    stage: 'check' | 'send',
    signal: AbortSignal,
  ): Promise<RequestStatus | true> => {
    const res = await providerRequest(deps.fetch, { url: `${base}/${method}`, headers, body, signal })
    const answer = res.json as GatewayAnswer | undefined
    if (res.status >= 200 && res.status < 300 && answer?.ok === true) return answer.result ?? true
    if (answer?.ok === false || res.status >= 400) throw telegramError(answer?.error, res, stage)
    throw new ProviderError({
      message: 'Telegram Gateway answered without ok',
      retryable: false,
      outcome: 'provider_error',
      rawCode: 'BAD_RESPONSE',
      rawText: res.text.slice(0, 500),
      httpStatus: res.status,
    })
  }

  /**
   * Checked requests not yet used for a message, by verigate message id: a send that got no answer
   * or a passing refusal is retried under the same request_id, so the check's fee is paid once
   * ("calling sendVerificationMessage once with the returned request_id will be free of charge").
   * In memory and bounded: a process that restarts checks again (one more fee, never a lost code).
   */
  const unsent = new Map<string, string>()
  const remember = (messageId: string, requestId: string) => {
    if (unsent.size >= 10_000) unsent.delete(unsent.keys().next().value as string)
    unsent.set(messageId, requestId)
  }

  const provider = {
    ...identity,
    reportsDelivery: config.callbackUrl !== undefined,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      // Telegram takes only 4-8 digit codes set by the sender; anything else stays on other channels.
      if (msg.code === undefined || !/^\d{4,8}$/.test(msg.code)) {
        throw new ProviderError({
          message: 'Telegram Gateway takes only numeric codes of 4 to 8 digits',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'CODE_UNSUPPORTED',
        })
      }
      // A retry of this message whose checked request was not used yet reuses it: one fee.
      let requestId = unsent.get(msg.id)
      const reused = requestId !== undefined
      if (requestId === undefined) {
        const check = await call('checkSendAbility', { phone_number: msg.to }, 'check', opts.signal)
        requestId = check === true ? undefined : check.request_id
        if (!requestId) {
          throw new ProviderError({
            message: 'checkSendAbility answered without a request_id',
            retryable: false,
            outcome: 'provider_error',
            rawCode: 'BAD_RESPONSE',
          })
        }
        remember(msg.id, requestId)
      }
      let sent: RequestStatus | true
      try {
        sent = await sendUnder(msg, requestId, opts.signal)
      } catch (err) {
        // No answer (a timeout) or a passing refusal: the dispatcher tries again, under this request.
        const passing = err instanceof ProviderError && err.retryable
        if (reused && !passing) {
          // The Gateway refuses a second message under one request_id. If an earlier send under it
          // got no answer but went out, this refusal says so: checkVerificationStatus tells (a
          // delivery_status exists only once a message was sent), and that message is the hand-over.
          const earlier = await call(
            'checkVerificationStatus',
            { request_id: requestId },
            'send',
            opts.signal,
          ).catch(() => undefined)
          if (earlier !== undefined && earlier !== true && earlier.delivery_status?.status) {
            unsent.delete(msg.id)
            return {
              providerMessageId: earlier.request_id ?? requestId,
              rawStatus: earlier.delivery_status.status,
            }
          }
        }
        if (!passing) unsent.delete(msg.id)
        throw err
      }
      unsent.delete(msg.id)
      const status = sent === true ? undefined : sent
      return {
        providerMessageId: status?.request_id ?? requestId,
        rawStatus: status?.delivery_status?.status ?? 'sent',
      }
    },

    async revoke(providerMessageId: string, opts: { signal: AbortSignal }): Promise<void> {
      await call('revokeVerificationMessage', { request_id: providerMessageId }, 'send', opts.signal)
    },

    receipts: config.callbackUrl === undefined ? undefined : receiptWebhook(config, deps),
  } satisfies MessageProvider

  function sendUnder(msg: OutgoingMessage, requestId: string, signal: AbortSignal) {
    return call(
      'sendVerificationMessage',
      {
        phone_number: msg.to,
        // The checked request: this send is not billed a second time.
        request_id: requestId,
        code: msg.code,
        ttl: ttlSeconds(msg.codeExpiresAt, deps.clock.now()),
        ...(Buffer.byteLength(msg.attemptKey) <= PAYLOAD_MAX_BYTES ? { payload: msg.attemptKey } : {}),
        ...(config.callbackUrl ? { callback_url: config.callbackUrl } : {}),
        ...(config.senderUsername ? { sender_username: config.senderUsername } : {}),
      },
      'send',
      signal,
    )
  }
  return provider
}

/** The code's remaining life in seconds, inside the Gateway's range (30 s at least). */
export function ttlSeconds(expiresAt: number | undefined, now: number): number {
  if (expiresAt === undefined) return TELEGRAM_TTL_RANGE.max
  const left = Math.ceil((expiresAt - now) / 1000)
  return Math.min(TELEGRAM_TTL_RANGE.max, Math.max(TELEGRAM_TTL_RANGE.min, left))
}

function receiptWebhook(config: TelegramConfig, deps: ProviderDeps) {
  return {
    verify(req: InboundRequest): boolean {
      const timestamp = req.headers['x-request-timestamp']
      const signature = req.headers['x-request-signature']
      if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false
      // The reference asks to check the timestamp too ("to prevent the use of outdated data"): a
      // genuine report replayed later is refused. Telegram re-submits a refused report up to 10
      // times, each with its own timestamp and signature, so a fresh retry still gets through.
      const skew = Math.abs(deps.clock.now() / 1000 - Number(timestamp))
      if (skew > config.signatureToleranceSeconds) return false
      return safeEqual(
        signature.toLowerCase(),
        telegramReportSignature(config.accessToken, timestamp, req.rawBody),
      )
    },

    parse(req: InboundRequest): DeliveryReport[] {
      let body: RequestStatus
      try {
        body = JSON.parse(req.rawBody) as RequestStatus
      } catch {
        return []
      }
      const status = body?.delivery_status?.status
      const outcome = status === undefined ? undefined : TELEGRAM_STATUSES[status]
      // Reports about the code check alone (verification_status) say nothing about delivery.
      if (!body.request_id || outcome === undefined) return []
      const updated = body.delivery_status?.updated_at
      return [
        {
          providerId: config.id,
          providerMessageId: body.request_id,
          outcome,
          rawStatus: status,
          rawText: body.is_refunded ? 'fee refunded' : undefined,
          at: typeof updated === 'number' ? updated * 1000 : deps.clock.now(),
        },
      ]
    },
  }
}
