/**
 * @module Helpers every HTTP provider adapter shares: one request function over the injected
 * `fetch` that turns network failures, timeouts and HTTP error statuses into `ProviderError`s with
 * the right retry decision, so adapters only map the vendor's own error codes.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FetchFn } from '../../shared/http-client.js'
import type { DeliveryOutcome } from '../outcome.js'
import { ProviderError } from './provider.js'

export interface ProviderHttpRequest {
  readonly method?: 'GET' | 'POST' | 'PUT'
  readonly url: string
  readonly headers?: Record<string, string>
  /** A string is sent as is; an object is sent as JSON, or as a form when `form` is true. */
  readonly body?: string | Record<string, unknown> | undefined
  readonly form?: boolean
  readonly signal: AbortSignal
}

export interface ProviderHttpResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly json: unknown
  /** The answer's `Retry-After`, in ms (see `retryAfterMs`). */
  readonly retryAfterMs: number | undefined
}

/** Sends the request; never throws for an HTTP status (callers inspect it), only for transport failures. */
export async function providerRequest(
  fetchFn: FetchFn,
  req: ProviderHttpRequest,
): Promise<ProviderHttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
  let body: string | undefined
  if (typeof req.body === 'string') body = req.body
  else if (req.body !== undefined && req.form) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(req.body))
      if (v !== undefined && v !== null) params.append(k, String(v))
    body = params.toString()
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
  } else if (req.body !== undefined) {
    body = JSON.stringify(req.body)
    headers['content-type'] ??= 'application/json'
  }
  let res: Response
  try {
    res = await fetchFn(req.url, { method: req.method ?? 'POST', headers, body, signal: req.signal })
  } catch (cause) {
    const timeout = (cause as Error)?.name === 'TimeoutError' || (cause as Error)?.name === 'AbortError'
    throw new ProviderError({
      message: timeout
        ? 'Provider did not answer in time'
        : `Provider unreachable: ${(cause as Error)?.message ?? cause}`,
      retryable: true,
      outcome: 'provider_error',
      rawCode: timeout ? 'TIMEOUT' : 'NETWORK',
      cause,
    })
  }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json, retryAfterMs: retryAfterMs(res.headers) }
}

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date read against the answer's
 * own `Date` header, so a skew between our clock and the vendor's does not change the wait.
 * Undefined when absent or unreadable (an HTTP-date without a `Date` header included).
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  const sent = Date.parse(headers.get('date') ?? '')
  if (!Number.isFinite(at) || !Number.isFinite(sent)) return undefined
  return Math.max(0, at - sent)
}

/**
 * The default reading of an HTTP error status when the vendor's own error code says nothing more
 * specific: 429 is throttling and 5xx an outage (both worth retrying, or another route); 401/403 is
 * our configuration (not retryable: every retry would fail the same way); other 4xx are final.
 */
export function errorForStatus(
  res: Pick<ProviderHttpResponse, 'status' | 'retryAfterMs'>,
  rawCode: string | undefined,
  rawText: string | undefined,
  outcome?: DeliveryOutcome,
): ProviderError {
  const { status } = res
  const throttled = status === 429
  const retryable = throttled || status >= 500 || status === 408
  return new ProviderError({
    message: rawText ?? `Provider answered HTTP ${status}`,
    retryable,
    outcome: outcome ?? (throttled ? 'provider_throttled' : 'provider_error'),
    rawCode: rawCode ?? String(status),
    rawText,
    httpStatus: status,
    retryAfterMs: res.retryAfterMs,
  })
}

/** Constant-time string comparison; unequal lengths are rejected up front (only the length leaks). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Constant-time comparison that also hides the secret's length (both sides are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
