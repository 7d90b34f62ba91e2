/**
 * @module Sinch SMS adapter (REST API "XMS"): one batch per message through
 * `POST /xms/v1/{service_plan_id}/batches` with a Bearer API token, and per-recipient delivery report
 * callbacks authenticated by Sinch's HMAC callback signature or a secret token in the callback URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { ExpiringMap } from '../../shared/expiring-map.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest, sameSecret } from './provider-http.js'
import { SINCH_REPORT_CODES, SINCH_SUBMIT_ERRORS, sinchReportOutcome } from './sinch-codes.js'
import type { SinchConfig } from './sinch-config.js'

interface SinchBatch {
  readonly id?: string
}

interface SinchReport {
  readonly type?: string
  readonly batch_id?: string
  readonly recipient?: string
  readonly code?: number
  readonly status?: string
  readonly at?: string
  readonly operator_status_at?: string
  readonly client_reference?: string
  readonly statuses?: ReadonlyArray<{
    readonly code?: number
    readonly status?: string
    readonly count?: number
  }>
}

const HMAC_ALGORITHMS: Readonly<Record<string, string>> = {
  HmacSHA256: 'sha256',
  HmacSHA384: 'sha384',
  HmacSHA512: 'sha512',
}

/**
 * Builds the Sinch adapter.
 *
 * - `send` creates a one-recipient batch with `client_reference` = `msg.attemptKey`; REST error codes
 *   (`syntax_*`, `unknown_*`, `missing_callback_url`) are final, 401/403 are configuration errors, 429 and
 *   5xx and timeouts are retryable.
 * - `receipts` checks the HMAC signature headers (or the URL token) and maps `recipient_delivery_report_sms`
 *   and `delivery_report_sms` callbacks: `Queued`/`Dispatched` → `pending`, detailed codes 402-418 by table.
 */
/** Signed callbacks remembered for replay protection; far above any real receipt rate x tolerance. */
const REPLAY_CACHE_SIZE = 1_000_000

export function sinch(config: SinchConfig, deps: ProviderDeps) {
  const base = config.baseUrl.replace(/\/+$/, '')
  const callbackUrl = buildCallbackUrl(config)
  // Nonces are forgotten when they leave the tolerance window, without a scan per callback.
  const seenNonces = new ExpiringMap<true>(REPLAY_CACHE_SIZE)

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'sinch', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const batch: Record<string, unknown> = {
        to: [msg.to],
        body: msg.body,
        type: 'mt_text',
        client_reference: msg.attemptKey,
        delivery_report: callbackUrl ? config.deliveryReport : 'none',
      }
      const from = msg.from ?? config.from
      if (from) batch.from = from
      if (callbackUrl) batch.callback_url = callbackUrl
      if (config.expireAfterSeconds !== undefined) {
        batch.expire_at = new Date(deps.clock.now() + config.expireAfterSeconds * 1000).toISOString()
      }

      const res = await providerRequest(deps.fetch, {
        url: `${base}/xms/v1/${encodeURIComponent(config.servicePlanId)}/batches`,
        headers: { authorization: `Bearer ${config.apiToken}` },
        body: batch,
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) {
        const err = res.json as { code?: unknown; text?: unknown } | undefined
        const code = typeof err?.code === 'string' ? err.code : undefined
        const text = typeof err?.text === 'string' ? err.text : res.text || undefined
        const known = code !== undefined && res.status < 500 ? SINCH_SUBMIT_ERRORS[code] : undefined
        if (!known) throw errorForStatus(res, code, text)
        throw new ProviderError({
          message: text ?? code ?? `Sinch answered HTTP ${res.status}`,
          retryable: known.retryable,
          // A badly formatted field is only the number's fault when Sinch says the recipient is the field.
          outcome:
            code === 'syntax_invalid_parameter_format' &&
            /msisdn|recipient|\bto\b|phone number/i.test(text ?? '')
              ? 'invalid_number'
              : known.outcome,
          rawCode: code,
          rawText: text,
          httpStatus: res.status,
          retryAfterMs: res.retryAfterMs,
        })
      }
      const id = (res.json as SinchBatch | undefined)?.id
      if (!id) {
        // Accepted but unreadable: not retryable, because the batch may well be on its way.
        throw new ProviderError({
          message: 'Sinch answered without a batch id',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: id, rawStatus: 'Queued' }
    },

    receipts: {
      verify(req: InboundRequest): boolean {
        if (config.callbackSecret !== undefined) return verifyHmac(req, config.callbackSecret)
        if (config.callbackToken !== undefined) {
          const token = req.query[config.callbackTokenParam]
          return token !== undefined && sameSecret(token, config.callbackToken)
        }
        return false
      },

      parse(req: InboundRequest): DeliveryReport[] {
        const body = parseJson(req.rawBody) as SinchReport | undefined
        if (!body?.batch_id) return []
        const now = deps.clock.now()
        if (body.type === 'recipient_delivery_report_sms') {
          return [
            report(config.id, body.batch_id, body.status, body.code, body.operator_status_at ?? body.at, now),
          ]
        }
        if (body.type === 'delivery_report_sms') {
          // Summary reports: one entry per status; our batches have a single recipient.
          return (body.statuses ?? []).map((s) =>
            report(config.id, body.batch_id!, s.status, s.code, undefined, now),
          )
        }
        return []
      },
    },
  } satisfies MessageProvider

  function verifyHmac(req: InboundRequest, secret: string): boolean {
    const signature = req.headers['x-sinch-webhook-signature']
    const nonce = req.headers['x-sinch-webhook-signature-nonce']
    const timestamp = req.headers['x-sinch-webhook-signature-timestamp']
    const algorithm = HMAC_ALGORITHMS[req.headers['x-sinch-webhook-signature-algorithm'] ?? 'HmacSHA256']
    if (!signature || !nonce || !timestamp || !algorithm || !/^\d+$/.test(timestamp)) return false
    const now = deps.clock.now()
    if (Math.abs(now - Number(timestamp) * 1000) > config.signatureToleranceSeconds * 1000) return false
    const expected = createHmac(algorithm, secret)
      .update(`${req.rawBody}.${nonce}.${timestamp}`, 'utf8')
      .digest()
    const given = Buffer.from(signature, 'base64')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
    // A nonce is good once: a captured callback replayed inside the tolerance window is refused.
    if (seenNonces.get(nonce, now)) return false
    seenNonces.set(nonce, true, now + config.signatureToleranceSeconds * 1000 + 1, now)
    return true
  }
}

function report(
  providerId: string,
  batchId: string,
  status: string | undefined,
  code: number | undefined,
  at: string | undefined,
  now: number,
): DeliveryReport {
  const ms = at ? Date.parse(at) : Number.NaN
  return {
    providerId,
    providerMessageId: batchId,
    outcome: sinchReportOutcome(status, code),
    rawStatus: status,
    rawCode: code?.toString(),
    rawText: code !== undefined ? SINCH_REPORT_CODES[code]?.name : undefined,
    at: Number.isFinite(ms) ? ms : now,
  }
}

function buildCallbackUrl(config: SinchConfig): string | undefined {
  if (config.callbackUrl === undefined) return undefined
  if (config.callbackSecret !== undefined || config.callbackToken === undefined) return config.callbackUrl
  const url = new URL(config.callbackUrl)
  url.searchParams.set(config.callbackTokenParam, config.callbackToken)
  return url.toString()
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
