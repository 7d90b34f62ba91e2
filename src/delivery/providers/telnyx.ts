/**
 * @module Telnyx adapter: SMS through Messaging API v2 and delivery webhooks checked with Ed25519
 * over `${timestamp}|${rawBody}` (providers.md §3). SMS only: providers.md does not cover Telnyx
 * voice (Call Control), so voice codes go through another provider.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto'
import type { DeliveryOutcome } from '../outcome.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  ReceiptWebhook,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest } from './provider-http.js'
import { TELNYX_ERROR_CODES, TELNYX_STATUS } from './telnyx-codes.js'
import type { TelnyxConfig } from './telnyx-config.js'

/** DER header that turns a raw 32-byte Ed25519 public key into an SPKI key Node can load. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Idempotency keys Telnyx accepts. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:-]{1,255}$/

/**
 * Builds the Telnyx provider.
 * @throws ProviderError from `send` (see `telnyx-codes.ts`).
 */
export function telnyx(config: TelnyxConfig, deps: ProviderDeps) {
  const base = config.baseUrl.replace(/\/+$/, '')
  const publicKey = config.publicKey ? ed25519Key(config.publicKey) : undefined
  const toleranceMs = config.signatureToleranceSeconds * 1000

  const receipts: ReceiptWebhook | undefined = publicKey
    ? {
        verify: (req: InboundRequest) => verifyTelnyxSignature(publicKey, req, deps.clock.now(), toleranceMs),
        parse: (req: InboundRequest) => parseTelnyxWebhook(config.id, req, deps.clock.now()),
      }
    : undefined

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'telnyx', channels: config.channels } as const

  return {
    ...identity,
    receipts,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const from = msg.from ?? config.from
      // Without a sender the number-pool endpoint lets Telnyx pick one from the profile.
      const url = from ? `${base}/v2/messages` : `${base}/v2/messages/number_pool`
      const headers: Record<string, string> = { authorization: `Bearer ${config.apiKey}` }
      if (IDEMPOTENCY_KEY.test(msg.attemptKey)) headers['idempotency-key'] = msg.attemptKey
      const res = await providerRequest(deps.fetch, {
        url,
        headers,
        body: {
          from,
          to: msg.to,
          text: msg.body,
          messaging_profile_id: config.messagingProfileId,
          webhook_url: config.webhookUrl,
          webhook_failover_url: config.webhookFailoverUrl,
        },
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) throw telnyxError(res)
      const data = asRecord(asRecord(res.json)?.data)
      const id = str(data?.id)
      if (!id)
        throw new ProviderError({
          message: 'Telnyx answered without a message id',
          retryable: true,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 200),
          httpStatus: res.status,
        })
      const parts = data?.parts
      return {
        providerMessageId: id,
        rawStatus: str(asRecord(asArray(data?.to)[0])?.status),
        segments: typeof parts === 'number' ? parts : undefined,
      }
    },
  } satisfies MessageProvider
}

function telnyxError(res: ProviderHttpResponse): ProviderError {
  const first = asRecord(asArray(asRecord(res.json)?.errors)[0])
  const rawCode = str(first?.code)
  const rawText =
    [str(first?.title), str(first?.detail)].filter(Boolean).join(': ') || res.text.slice(0, 200) || undefined
  const info = rawCode ? TELNYX_ERROR_CODES[rawCode] : undefined
  if (!info) return errorForStatus(res, rawCode, rawText)
  // An invalid number in `from` is our sender configuration, not the user's number.
  const pointer = str(asRecord(first?.source)?.pointer)
  const outcome: DeliveryOutcome =
    info.outcome === 'invalid_number' && pointer === '/from' ? 'provider_error' : info.outcome
  return new ProviderError({
    message: `Telnyx ${rawCode}: ${rawText ?? info.title}`,
    retryable: info.retryable,
    outcome,
    rawCode,
    rawText: rawText ?? info.title,
    httpStatus: res.status,
    retryAfterMs: res.retryAfterMs,
  })
}

/** Loads the base64 raw Ed25519 public key from the portal. */
export function ed25519Key(base64: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(base64, 'base64')]),
    format: 'der',
    type: 'spki',
  })
}

/**
 * Checks `telnyx-signature-ed25519` (base64) over the UTF-8 bytes of `${telnyx-timestamp}|${rawBody}`
 * and refuses timestamps outside the tolerance, so a captured webhook cannot be replayed later.
 */
export function verifyTelnyxSignature(
  publicKey: KeyObject,
  req: InboundRequest,
  nowMs: number,
  toleranceMs: number,
): boolean {
  const signature = req.headers['telnyx-signature-ed25519']
  const timestamp = req.headers['telnyx-timestamp']
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false
  const sig = Buffer.from(signature, 'base64')
  if (sig.length !== 64) return false
  return verify(null, Buffer.from(`${timestamp}|${req.rawBody}`, 'utf8'), publicKey, sig)
}

/** Reads a (verified) `message.sent` / `message.finalized` webhook; other events yield nothing. */
export function parseTelnyxWebhook(providerId: string, req: InboundRequest, now: number): DeliveryReport[] {
  let envelope: unknown
  try {
    envelope = JSON.parse(req.rawBody)
  } catch {
    return []
  }
  const data = asRecord(asRecord(envelope)?.data)
  const eventType = str(data?.event_type)
  if (eventType !== 'message.sent' && eventType !== 'message.finalized') return []
  const payload = asRecord(data?.payload)
  const id = str(payload?.id)
  if (!id || payload?.direction === 'inbound') return []
  const rawStatus = str(asRecord(asArray(payload?.to)[0])?.status)
  if (!rawStatus) return []
  const error = asRecord(asArray(payload?.errors)[0])
  const rawCode = str(error?.code)
  const failed = rawStatus === 'sending_failed' || rawStatus === 'delivery_failed'
  const info = failed && rawCode ? TELNYX_ERROR_CODES[rawCode] : undefined
  const outcome: DeliveryOutcome = info?.outcome ?? TELNYX_STATUS[rawStatus] ?? 'unknown'
  const rawText = [str(error?.title), str(error?.detail)].filter(Boolean).join(': ') || info?.title
  const occurred = Date.parse(str(data?.occurred_at) ?? '')
  return [
    {
      providerId,
      providerMessageId: id,
      outcome,
      rawStatus,
      rawCode,
      rawText,
      at: Number.isFinite(occurred) ? occurred : now,
    },
  ]
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
}
