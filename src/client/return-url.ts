/**
 * @module The hosted page's way back to the app: `return_url` must be on one of the service's
 * allowed origins, and the result appended to it is signed so the app's server can trust it:
 *
 *   verigate_session=cs_...&verigate_status=approved&verigate_state=<the app's state>
 *   &verigate_ts=<unix seconds>&verigate_sig=<hex HMAC-SHA256 of "ts.session.status.state">
 *
 * The HMAC key is the service's return secret (`vgrs_...`), derived from the server keyring and the
 * service id, so nothing new is stored; `GET /v1/services/{id}/return-url-secret` shows it. The
 * snippet in docs/widget.md checks a result exactly as `verifyReturnResult` does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Keyring } from '../secrets/keyring.js'

/** `approved`, or `not_approved` for a person who went back without being verified. */
export type ReturnStatus = 'approved' | 'not_approved'

export interface ReturnResult {
  readonly sessionId: string
  readonly status: ReturnStatus
  /** The app's own value from `?state=`, echoed back unchanged ('' when none). */
  readonly state: string
  readonly issuedAt: number
}

/** Longest `state` accepted: enough for a nonce or a signed cookie reference, not a document. */
export const RETURN_STATE_MAX = 512

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The origin of an http(s) URL, or undefined. Plain http only for loopback (local development). */
export function returnOrigin(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol === 'https:') return parsed.origin
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return parsed.origin
  return undefined
}

/** What is wrong with a service's list of origins, or undefined when every entry is a bare origin. */
export function returnOriginsProblem(origins: readonly string[]): string | undefined {
  for (const o of origins) {
    const origin = returnOrigin(o)
    if (origin === undefined)
      return `"${o}" is not an https origin (plain http is allowed only for localhost and 127.0.0.1).`
    if (origin !== o.replace(/\/$/, ''))
      return `"${o}" is not a bare origin: give scheme, host and port only, for example ${origin}.`
  }
  return undefined
}

/** Whether `url` may be returned to: its origin is exactly one of `origins`. */
export function isAllowedReturnUrl(url: string, origins: readonly string[] | null | undefined): boolean {
  const origin = returnOrigin(url)
  return origin !== undefined && (origins ?? []).some((o) => o.replace(/\/$/, '') === origin)
}

/** The service's return secret: HMAC of its id under the server keyring's current key. */
export function returnUrlSecret(keyring: Keyring, serviceId: string): string {
  const signed = keyring.sign(`verigate/return-url-secret/${serviceId}`)
  return `vgrs_${signed.slice(signed.indexOf(':') + 1)}`
}

function signature(secret: string, r: ReturnResult): string {
  return createHmac('sha256', secret)
    .update(`${r.issuedAt}.${r.sessionId}.${r.status}.${r.state}`)
    .digest('hex')
}

/** `returnUrl` with the signed result appended to its query (its own parameters and fragment kept). */
export function returnUrlWithResult(returnUrl: string, r: ReturnResult, secret: string): string {
  const url = new URL(returnUrl)
  url.searchParams.set('verigate_session', r.sessionId)
  url.searchParams.set('verigate_status', r.status)
  url.searchParams.set('verigate_state', r.state)
  url.searchParams.set('verigate_ts', String(r.issuedAt))
  url.searchParams.set('verigate_sig', signature(secret, r))
  return url.href
}

/**
 * Checks a result the way the app's server should: the signature in constant time, and a
 * timestamp no more than `toleranceSeconds` old. Returns the result, or undefined.
 */
export function verifyReturnResult(
  secret: string,
  query: URLSearchParams,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): ReturnResult | undefined {
  const status = query.get('verigate_status')
  const r = {
    sessionId: query.get('verigate_session') ?? '',
    status: status === 'approved' ? 'approved' : 'not_approved',
    state: query.get('verigate_state') ?? '',
    issuedAt: Number(query.get('verigate_ts')),
  } satisfies ReturnResult
  if (status !== r.status || !Number.isInteger(r.issuedAt)) return undefined
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - r.issuedAt) > (opts.toleranceSeconds ?? 600)) return undefined
  const expected = Buffer.from(signature(secret, r))
  const got = Buffer.from(query.get('verigate_sig') ?? '')
  return got.length === expected.length && timingSafeEqual(got, expected) ? r : undefined
}
