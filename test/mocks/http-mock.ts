/**
 * @module A local generic SMS gateway for the HTTP webhook provider: one send endpoint behind an API-key
 * header that answers `202 {"data":{"messageId":...}}`, scriptable error answers, and receipts signed with
 * HMAC-SHA256 of the raw body (optionally `timestamp.body`) the way the provider's `receipts` expects.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

/** The next send gets this answer instead of the normal 202, or no answer at all. */
export type HttpGatewayFailure =
  | {
      readonly kind: 'answer'
      readonly status: number
      readonly body?: string | object
      readonly headers?: Record<string, string>
    }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** How a receipt is signed; `secret: null` sends it unsigned. */
export interface HttpReceiptSigning {
  readonly secret: string | null
  /** @default 'x-signature' */
  readonly header?: string
  /** @default 'sha256=' */
  readonly prefix?: string
  /** @default 'hex' */
  readonly encoding?: 'hex' | 'base64'
  /** Adds this header with `timestamp` (Unix seconds) and signs `timestamp.body`. */
  readonly timestampHeader?: string
  readonly timestamp?: number
}

/** The running mock: what it received, and how to script it. */
export interface HttpGatewayMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Gateway message ids handed out, in order. */
  readonly messageIds: string[]
  failNext(failure: HttpGatewayFailure): void
  /** Posts a receipt (object, or array of objects) as JSON, signed as `signing` says. */
  sendReceipt(url: string, payload: unknown, signing: HttpReceiptSigning): Promise<number>
  close(): Promise<void>
}

/** Starts the gateway; `path` is its send endpoint and `apiKeyHeader: apiKey` its only credential. */
export async function startHttpGatewayMock(opts: {
  path: string
  apiKeyHeader: string
  apiKey: string
}): Promise<HttpGatewayMock> {
  const failures: HttpGatewayFailure[] = []
  const messageIds: string[] = []

  const handle = (req: RecordedRequest): MockAction => {
    if (req.path !== opts.path)
      return { status: 404, body: { error: { code: 'not_found', message: 'No such endpoint' } } }
    if (req.headers[opts.apiKeyHeader.toLowerCase()] !== opts.apiKey) {
      return { status: 401, body: { error: { code: 'unauthorized', message: 'Bad API key' } } }
    }
    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'answer')
      return { status: failure.status, body: failure.body ?? '', headers: failure.headers }
    const id = `gw-${randomUUID()}`
    messageIds.push(id)
    return { status: 202, body: { data: { messageId: id, status: 'queued' } } }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    messageIds,
    failNext: (f) => void failures.push(f),
    sendReceipt(url, payload, s) {
      const body = JSON.stringify(payload)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (s.secret !== null) {
        let signed = body
        if (s.timestampHeader) {
          const ts = String(s.timestamp ?? Math.floor(Date.now() / 1000))
          headers[s.timestampHeader] = ts
          signed = `${ts}.${body}`
        }
        const digest = createHmac('sha256', s.secret)
          .update(signed)
          .digest(s.encoding ?? 'hex')
        headers[s.header ?? 'x-signature'] = `${s.prefix ?? 'sha256='}${digest}`
      }
      return sendWebhook(url, { headers, body })
    },
    close: server.close,
  }
}
