/**
 * @module MessageBird SMS adapter (legacy REST API): `POST /messages` with `Authorization: AccessKey <key>`,
 * and the status reports MessageBird sends as GET requests to `reportUrl`, authenticated with the
 * `MessageBird-Signature-JWT` header.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { ExpiringMap } from '../../shared/expiring-map.js'
import { MESSAGEBIRD_API_ERRORS, messagebirdReportOutcome } from './messagebird-codes.js'
import type { MessagebirdConfig } from './messagebird-config.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest } from './provider-http.js'

interface MessagebirdError {
  readonly code?: number
  readonly description?: string
  readonly parameter?: string | null
}

interface MessagebirdMessage {
  readonly id?: string
  readonly recipients?: { readonly items?: ReadonlyArray<{ readonly status?: string }> }
}

interface JwtClaims {
  readonly iss?: unknown
  readonly jti?: unknown
  readonly iat?: unknown
  readonly nbf?: unknown
  readonly exp?: unknown
  readonly url_hash?: unknown
  readonly payload_hash?: unknown
}

const JWT_ALGORITHMS: Readonly<Record<string, string>> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }

/**
 * Builds the MessageBird adapter.
 *
 * - `send` passes `msg.attemptKey` as `reference` (MessageBird only reports on messages that have one);
 *   error code 2 (access key) and 25 (balance) are configuration errors, 10 on `recipients` is
 *   `invalid_number`, 99 / 429 / 5xx / timeouts are retryable.
 * - `receipts.verify` checks the JWT exactly as MessageBird's SDK does: HS256/384/512 with the signing key,
 *   `iss` = `MessageBird`, time claims with `clockToleranceSeconds`, `url_hash` over the full URL with its
 *   query string, `payload_hash` over the raw body (required when there is a body), and a `jti` seen
 *   only once.
 */
/** Signed callbacks remembered for replay protection; far above any real receipt rate x tolerance. */
const REPLAY_CACHE_SIZE = 1_000_000

export function messagebird(config: MessagebirdConfig, deps: ProviderDeps) {
  const base = config.baseUrl.replace(/\/+$/, '')
  // A jti is forgotten once its token has expired, without a scan per callback.
  const seenJti = new ExpiringMap<true>(REPLAY_CACHE_SIZE)

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'messagebird', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const body: Record<string, unknown> = {
        originator: msg.from ?? config.from,
        recipients: [msg.to.replace(/^\+/, '')],
        body: msg.body,
        reference: msg.attemptKey,
        datacoding: config.datacoding,
      }
      if (config.reportUrl) body.reportUrl = config.reportUrl
      if (config.validitySeconds !== undefined) body.validity = config.validitySeconds

      const res = await providerRequest(deps.fetch, {
        url: `${base}/messages`,
        headers: { authorization: `AccessKey ${config.accessKey}` },
        body,
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) throw submitError(res)
      const m = res.json as MessagebirdMessage | undefined
      if (!m?.id) {
        // Accepted but unreadable: not retryable, because the message may well be on its way.
        throw new ProviderError({
          message: 'MessageBird answered without a message id',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: m.id, rawStatus: m.recipients?.items?.[0]?.status }
    },

    receipts: {
      verify(req: InboundRequest): boolean {
        if (config.signingKey === undefined) return false
        const jwt = req.headers['messagebird-signature-jwt']
        if (!jwt) return false
        const claims = verifyJwt(jwt, config.signingKey)
        if (claims?.iss !== 'MessageBird') return false
        const now = deps.clock.now() / 1000
        const skew = config.clockToleranceSeconds
        if (typeof claims.exp !== 'number' || claims.exp + skew < now) return false
        if (typeof claims.nbf === 'number' && claims.nbf - skew > now) return false
        if (typeof claims.iat === 'number' && claims.iat - skew > now) return false
        if (typeof claims.jti !== 'string' || claims.jti === '') return false
        if (typeof claims.url_hash !== 'string' || !sameHex(claims.url_hash, sha256Hex(req.url))) return false
        if (typeof claims.payload_hash === 'string') {
          if (!sameHex(claims.payload_hash, sha256Hex(req.rawBody))) return false
        } else if (req.rawBody.length > 0) {
          return false
        }
        // Replay protection: a jti is accepted once while its token is still valid.
        const nowMs = deps.clock.now()
        if (seenJti.get(claims.jti, nowMs)) return false
        seenJti.set(claims.jti, true, (claims.exp + skew) * 1000 + 1, nowMs)
        return true
      },

      parse(req: InboundRequest): DeliveryReport[] {
        // Legacy status reports are GET query parameters; a POSTed form carries the same fields.
        const p: Record<string, string | undefined> = { ...req.query }
        if (!p.id && req.rawBody) for (const [k, v] of new URLSearchParams(req.rawBody)) p[k] = v
        if (!p.id || !p.status) return []
        const code =
          p.statusErrorCode !== undefined && /^\d+$/.test(p.statusErrorCode)
            ? Number(p.statusErrorCode)
            : undefined
        const at = p.statusDatetime ? Date.parse(p.statusDatetime) : Number.NaN
        return [
          {
            providerId: config.id,
            providerMessageId: p.id,
            outcome: messagebirdReportOutcome(p.status, p.statusReason, code),
            rawStatus: p.status,
            rawCode: p.statusErrorCode,
            rawText: p.statusReason,
            at: Number.isFinite(at) ? at : deps.clock.now(),
          },
        ]
      },
    },
  } satisfies MessageProvider
}

function submitError(res: ProviderHttpResponse): ProviderError {
  const { status } = res
  const first = (res.json as { errors?: MessagebirdError[] } | undefined)?.errors?.[0]
  const known = first?.code !== undefined ? MESSAGEBIRD_API_ERRORS[first.code] : undefined
  if (!first || !known || status === 429 || status >= 500) {
    return errorForStatus(res, first?.code?.toString(), first?.description ?? (res.text || undefined))
  }
  const badRecipient = first.code === 10 && /^recipients?$/.test(first.parameter ?? '')
  return new ProviderError({
    message: first.description ?? known.name,
    retryable: known.retryable,
    outcome: badRecipient ? 'invalid_number' : 'provider_error',
    rawCode: String(first.code),
    rawText: first.parameter ? `${first.description ?? known.name} (${first.parameter})` : first.description,
    httpStatus: status,
    retryAfterMs: res.retryAfterMs,
  })
}

/** Verifies an HS256/384/512 JWT signature in constant time; returns the claims, or undefined. */
function verifyJwt(token: string, key: string): JwtClaims | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  const [h, p, s] = parts as [string, string, string]
  const header = decodeJson(h) as { alg?: unknown } | undefined
  // The algorithm comes from an allow-list, never trusted as given ("none" and RSA/HMAC confusion).
  const algorithm = typeof header?.alg === 'string' ? JWT_ALGORITHMS[header.alg] : undefined
  if (!algorithm) return undefined
  const expected = createHmac(algorithm, key).update(`${h}.${p}`).digest()
  const given = Buffer.from(s, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  const claims = decodeJson(p)
  return claims !== null && typeof claims === 'object' ? (claims as JwtClaims) : undefined
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
