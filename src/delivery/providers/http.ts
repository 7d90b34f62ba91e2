/**
 * @module Generic HTTP webhook provider: sends each message as a request built from templates
 * (`{{to}}`, `{{body}}`, `{{from}}`, `{{id}}`, `{{channel}}`, ...), reads the provider's message id from
 * the answer with a JSON pointer or dot path, and optionally accepts HMAC-SHA256-signed receipts.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { type DeliveryOutcome, isDeliveryOutcome } from '../outcome.js'
import {
  DEFAULT_HTTP_BODY_TEMPLATE,
  type HttpConfig,
  PLACEHOLDER_RE,
  type Placeholder,
} from './http-config.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest } from './provider-http.js'

/** Common status words of SMS gateways; anything else is `unknown` unless `statusMap` says otherwise. */
const DEFAULT_STATUS_MAP: Readonly<Record<string, DeliveryOutcome>> = {
  delivered: 'delivered',
  delivrd: 'delivered',
  read: 'delivered',
  accepted: 'pending',
  acceptd: 'pending',
  queued: 'pending',
  scheduled: 'pending',
  sending: 'pending',
  sent: 'pending',
  submitted: 'pending',
  enroute: 'pending',
  buffered: 'pending',
  pending: 'pending',
  expired: 'expired',
}

/**
 * Builds the generic HTTP provider.
 *
 * - `send` renders URL, headers and body; 2xx is accepted (id from `messageIdPath`), 429 is
 *   `provider_throttled` and 5xx/408/timeouts are retryable, other statuses are final; `errorOutcomes`
 *   refines the outcome by the provider's own error code.
 * - `receipts` (only with `receipts` configured) checks the HMAC-SHA256 signature over the raw body (or
 *   `timestamp.body`) in constant time and reads one receipt, or an array of them, with the configured paths.
 */
export function http(config: HttpConfig, deps: ProviderDeps) {
  const contentType = config.contentType.toLowerCase()
  const bodyEscape = contentType.includes('json')
    ? (v: string) => JSON.stringify(v).slice(1, -1)
    : contentType.includes('x-www-form-urlencoded')
      ? encodeURIComponent
      : (v: string) => v
  const bodyTemplate =
    config.method === 'GET' ? undefined : (config.bodyTemplate ?? DEFAULT_HTTP_BODY_TEMPLATE)
  const r = config.receipts

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'http', channels: config.channels } as const

  const provider = {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const values: Record<Placeholder, string> = {
        to: msg.to,
        body: msg.body,
        from: msg.from ?? config.from ?? '',
        id: msg.id,
        channel: msg.channel,
        attemptKey: msg.attemptKey,
        subject: msg.subject ?? '',
        locale: msg.locale,
      }
      const headers: Record<string, string> = {}
      // CR/LF are stripped from header values so a message body can never inject a header.
      for (const [k, v] of Object.entries(config.headers))
        headers[k] = render(v, values, (s) => s.replace(/[\r\n]+/g, ' '))
      if (bodyTemplate !== undefined) headers['content-type'] = config.contentType

      const res = await providerRequest(deps.fetch, {
        method: config.method,
        url: render(config.url, values, encodeURIComponent),
        headers,
        body: bodyTemplate !== undefined ? render(bodyTemplate, values, bodyEscape) : undefined,
        signal: opts.signal,
      })
      const parsed = res.json ?? formOrUndefined(res.text, res.headers.get('content-type'))
      if (res.status < 200 || res.status >= 300) {
        const code = config.errorCodePath ? stringAt(parsed, config.errorCodePath) : undefined
        const text =
          (config.errorTextPath ? stringAt(parsed, config.errorTextPath) : undefined) ??
          (res.text.slice(0, 500) || undefined)
        const mapped = code !== undefined ? config.errorOutcomes[code] : undefined
        const base = errorForStatus(res, code, text)
        if (!mapped) throw base
        throw new ProviderError({
          message: base.message,
          retryable: base.retryable || mapped === 'provider_throttled',
          outcome: mapped,
          rawCode: base.rawCode,
          rawText: text,
          httpStatus: res.status,
          retryAfterMs: base.retryAfterMs,
        })
      }
      if (config.messageIdPath === undefined)
        return { providerMessageId: msg.attemptKey, rawStatus: String(res.status) }
      const providerMessageId = stringAt(parsed, config.messageIdPath)
      if (!providerMessageId) {
        // Accepted but unreadable: not retryable, because the message may well be on its way.
        throw new ProviderError({
          message: `Provider answered ${res.status} without a message id at ${config.messageIdPath}`,
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId, rawStatus: String(res.status) }
    },

    receipts: r && {
      verify(req: InboundRequest): boolean {
        const header = req.headers[r.signatureHeader.toLowerCase()]
        if (!header?.startsWith(r.signaturePrefix)) return false
        let payload = req.rawBody
        if (r.timestampHeader !== undefined) {
          const ts = req.headers[r.timestampHeader.toLowerCase()]
          if (!ts || !/^\d+$/.test(ts)) return false
          if (Math.abs(deps.clock.now() - Number(ts) * 1000) > r.toleranceSeconds * 1000) return false
          payload = `${ts}.${req.rawBody}`
        }
        const given = Buffer.from(header.slice(r.signaturePrefix.length).trim(), r.signatureEncoding)
        const expected = createHmac('sha256', r.secret).update(payload, 'utf8').digest()
        return given.length === expected.length && timingSafeEqual(given, expected)
      },

      parse(req: InboundRequest): DeliveryReport[] {
        let parsed: unknown
        try {
          parsed = JSON.parse(req.rawBody)
        } catch {
          parsed = Object.fromEntries(new URLSearchParams(req.rawBody))
        }
        const items = Array.isArray(parsed) ? parsed : [parsed]
        const reports: DeliveryReport[] = []
        for (const item of items) {
          const id = stringAt(item, r.messageIdPath)
          const status = stringAt(item, r.statusPath)
          if (!id || status === undefined) continue
          reports.push({
            providerId: config.id,
            providerMessageId: id,
            outcome:
              r.statusMap[status] ??
              DEFAULT_STATUS_MAP[status.toLowerCase()] ??
              (isDeliveryOutcome(status) ? status : 'unknown'),
            rawStatus: status,
            rawCode: r.codePath ? stringAt(item, r.codePath) : undefined,
            rawText: r.textPath ? stringAt(item, r.textPath) : undefined,
            at: timestamp(r.timestampPath ? valueAt(item, r.timestampPath) : undefined, deps.clock.now()),
          })
        }
        return reports
      },
    },
  }
  return provider satisfies MessageProvider
}

function render(tpl: string, values: Record<Placeholder, string>, encode: (v: string) => string): string {
  return tpl.replace(PLACEHOLDER_RE, (_, name: string) => encode(values[name as Placeholder] ?? ''))
}

/** Reads a JSON pointer (`/a/0/b`, RFC 6901) or a dot path (`a.0.b`). */
function valueAt(root: unknown, path: string): unknown {
  const segments = path.startsWith('/')
    ? path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    : path.split('.')
  let cur = root
  for (const seg of segments) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[seg]
  }
  return cur
}

function stringAt(root: unknown, path: string): string | undefined {
  const v = valueAt(root, path)
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined
}

function formOrUndefined(text: string, type: string | null): unknown {
  return type?.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(text)) : undefined
}

function timestamp(v: unknown, fallback: number): number {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) {
    const n = Number(v)
    // Ten digits or fewer: seconds; more: milliseconds.
    return n < 1e11 ? n * 1000 : n
  }
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN
  return Number.isFinite(ms) ? ms : fallback
}
