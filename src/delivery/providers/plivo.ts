/**
 * @module Plivo adapter: SMS through the Message API and status callbacks checked with
 * `X-Plivo-Signature-V3` (HMAC-SHA256 with the auth token; providers.md §4.1).
 */
import { createHmac } from 'node:crypto'
import type { DeliveryOutcome } from '../outcome.js'
import { PLIVO_ERROR_CODES, PLIVO_STATUS } from './plivo-codes.js'
import type { PlivoConfig } from './plivo-config.js'
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

/**
 * Builds the Plivo provider.
 * @throws ProviderError from `send`.
 */
export function plivo(config: PlivoConfig, deps: ProviderDeps) {
  // The trailing slash is part of Plivo's resource path.
  const messageUrl = `${config.baseUrl.replace(/\/+$/, '')}/v1/Account/${encodeURIComponent(config.authId)}/Message/`
  const authorization = `Basic ${Buffer.from(`${config.authId}:${config.authToken}`).toString('base64')}`

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'plivo', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const src = msg.from ?? config.from
      const res = await providerRequest(deps.fetch, {
        url: messageUrl,
        headers: { authorization },
        body: {
          // Exactly one of src and powerpack_uuid.
          ...(src ? { src } : { powerpack_uuid: config.powerpackUuid }),
          dst: msg.to,
          text: msg.body,
          type: 'sms',
          url: config.statusCallbackUrl,
          method: config.statusCallbackUrl ? 'POST' : undefined,
          message_expiry: config.messageExpirySeconds,
        },
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) throw plivoError(res)
      const body = asRecord(res.json)
      const uuid = str(asArray(body?.message_uuid)[0])
      if (!uuid) {
        // A 202 can still reject the only destination: it is then listed in `invalid_number`.
        if (asArray(body?.invalid_number).length > 0) {
          throw new ProviderError({
            message: 'Plivo rejected the destination number',
            retryable: false,
            outcome: 'invalid_number',
            rawCode: 'invalid_number',
            rawText: res.text.slice(0, 200),
            httpStatus: res.status,
          })
        }
        throw new ProviderError({
          message: 'Plivo answered without a message_uuid',
          retryable: true,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 200),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: uuid, rawStatus: str(body?.message) }
    },

    receipts: {
      verify: (req: InboundRequest) => verifyPlivoSignatureV3(config.authToken, req),
      parse: (req: InboundRequest) => parsePlivoCallback(config.id, req, deps.clock.now()),
    },
  } satisfies MessageProvider
}

/**
 * Plivo errors carry no numeric code, only `error` text (its exact shape is unconfirmed: a string
 * or an object of field messages), so the text decides whether the destination was at fault.
 */
function plivoError(res: ProviderHttpResponse): ProviderError {
  const error = asRecord(res.json)?.error
  const rawText =
    typeof error === 'string'
      ? error
      : error !== undefined
        ? JSON.stringify(error)
        : res.text.slice(0, 200) || undefined
  let outcome: DeliveryOutcome | undefined
  if (res.status === 400 && rawText && /\bdst\b|destination/i.test(rawText)) outcome = 'invalid_number'
  return errorForStatus(res, String(res.status), rawText, outcome)
}

/**
 * Checks `X-Plivo-Signature-V3` as Plivo's SDK does: base URL (scheme, host, path), `?` plus the
 * query sorted as `k=v&...` when there is a query or POST parameters, a `.` when there are both,
 * then the POST parameters sorted as `keyvalue`; then `.` + nonce; base64 HMAC-SHA256 with the auth
 * token. The header may list several signatures, comma-separated; any match is enough.
 */
export function verifyPlivoSignatureV3(authToken: string, req: InboundRequest): boolean {
  const header = req.headers['x-plivo-signature-v3']
  const nonce = req.headers['x-plivo-signature-v3-nonce']
  if (!header || !nonce) return false
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    return false
  }
  const method = req.method.toUpperCase()
  const post = method === 'POST' ? formParams(req.rawBody) : new Map<string, string[]>()
  const expected = plivoSignatureV3(authToken, url, method, post, nonce)
  let ok = false
  // Check every candidate rather than stopping early, so timing does not reveal which one matched.
  for (const candidate of header.split(',')) if (safeEqual(expected, candidate.trim())) ok = true
  return ok
}

function plivoSignatureV3(
  authToken: string,
  url: URL,
  method: string,
  post: Map<string, string[]>,
  nonce: string,
): string {
  const query = new Map<string, string[]>()
  for (const [k, v] of url.searchParams) query.set(k, [...(query.get(k) ?? []), v])
  const queryString = [...query.keys()]
    .sort()
    .flatMap((k) => [...(query.get(k) ?? [])].sort().map((v) => `${k}=${v}`))
    .join('&')
  let base = `${url.protocol}//${url.host}${url.pathname}`
  const hasPost = method === 'POST' && post.size > 0
  if (queryString.length > 0 || hasPost) base += `?${queryString}`
  if (queryString.length > 0 && hasPost) base += '.'
  if (hasPost) {
    for (const k of [...post.keys()].sort()) for (const v of [...(post.get(k) ?? [])].sort()) base += k + v
  }
  return createHmac('sha256', authToken).update(`${base}.${nonce}`, 'utf8').digest('base64')
}

/** Reads a (verified) message status callback; requests without a status (inbound SMS) yield nothing. */
export function parsePlivoCallback(providerId: string, req: InboundRequest, now: number): DeliveryReport[] {
  const params =
    req.method.toUpperCase() === 'GET'
      ? new Map(Object.entries(req.query).map(([k, v]) => [k, [v ?? '']]))
      : formParams(req.rawBody)
  const get = (name: string) => params.get(name)?.[0] || undefined
  const uuid = get('MessageUUID')
  const rawStatus = get('Status')
  if (!uuid || !rawStatus) return []
  const rawCode = get('ErrorCode')
  // `000` means no error in Plivo's records.
  const info = rawCode && !/^0+$/.test(rawCode) ? PLIVO_ERROR_CODES[rawCode] : undefined
  const failed = rawStatus === 'failed' || rawStatus === 'undelivered' || rawStatus === 'rejected'
  const outcome: DeliveryOutcome =
    (failed ? info?.outcome : undefined) ?? PLIVO_STATUS[rawStatus] ?? 'unknown'
  return [
    {
      providerId,
      providerMessageId: uuid,
      outcome,
      rawStatus,
      rawCode,
      rawText: failed ? info?.title : undefined,
      at: now,
    },
  ]
}

function formParams(raw: string): Map<string, string[]> {
  const params = new Map<string, string[]>()
  for (const [k, v] of new URLSearchParams(raw)) params.set(k, [...(params.get(k) ?? []), v])
  return params
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
