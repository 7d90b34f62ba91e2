/**
 * @module A local Telnyx Messaging API v2 (`POST /v2/messages`, Bearer auth, JSON, string error
 * codes) with scriptable failures, `Idempotency-Key` replay, and delivery webhooks signed with
 * Ed25519 over `${timestamp}|${body}` like Telnyx's (providers.md §3).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto'
import {
  type MockAction,
  type MockResponse,
  type RecordedRequest,
  sendWebhook,
  startMockServer,
} from './mock-server.js'

/** Credentials the mock accepts; a random key by default. */
export interface TelnyxMockOptions {
  readonly apiKey?: string
}

/** A failure in Telnyx's `{"errors":[...]}` shape. */
export interface TelnyxFailure {
  readonly status: number
  /** Telnyx error code, a string (`'10002'`). */
  readonly code?: string
  readonly title?: string
  readonly detail?: string
  /** JSON pointer of the offending field, e.g. `/to`. */
  readonly pointer?: string
  /** Sent as the answer's `Retry-After` header. */
  readonly retryAfter?: string
}

/** A delivery webhook to send, and how to sign it. */
export interface TelnyxReceipt {
  readonly id: string
  /** `to[0].status`: `queued`, `sending`, `sent`, `delivered`, `sending_failed`, `delivery_failed`, `delivery_unconfirmed`, `expired`. */
  readonly status: string
  /** @default 'message.finalized' for final statuses, 'message.sent' otherwise */
  readonly eventType?: string
  readonly errors?: ReadonlyArray<{ code: string; title: string; detail?: string }>
  /** Unix seconds for `telnyx-timestamp`. @default now */
  readonly timestamp?: number
  /** Sign with another key (forgery tests). */
  readonly signingKey?: KeyObject
}

/** A running Telnyx mock: its origin, keys, what it received, and the levers tests pull. */
export interface TelnyxMock {
  readonly url: string
  readonly apiKey: string
  /** base64 of the raw 32-byte Ed25519 public key, as the portal shows it. */
  readonly publicKey: string
  readonly requests: RecordedRequest[]
  /** JSON body of request `i`. */
  json(i?: number): Record<string, unknown>
  failNext(failure: TelnyxFailure): void
  hangNext(): void
  dropNext(): void
  /** Posts a signed delivery webhook. */
  sendReceipt(url: string, r: TelnyxReceipt): Promise<number>
  close(): Promise<void>
}

const FINAL = new Set(['delivered', 'sending_failed', 'delivery_failed', 'delivery_unconfirmed', 'expired'])

/** Starts a Telnyx mock, with a fresh Ed25519 webhook key pair, on an ephemeral local port. */
export async function startTelnyxMock(opts: TelnyxMockOptions = {}): Promise<TelnyxMock> {
  const apiKey = opts.apiKey ?? `KEY${randomBytes(16).toString('hex')}`
  const keys = generateKeyPairSync('ed25519')
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64')
  const script: Array<TelnyxFailure | 'hang' | 'drop'> = []
  const messages = new Map<string, Record<string, unknown>>()
  const idempotent = new Map<string, { rawBody: string; answer: MockAction }>()

  const handle = (req: RecordedRequest): MockAction => {
    const next = script.shift()
    if (next === 'hang' || next === 'drop') return next
    if (req.method !== 'POST' || (req.path !== '/v2/messages' && req.path !== '/v2/messages/number_pool')) {
      return errors(404, '10005', 'Resource not found')
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return errors(401, '10009', 'Authentication failed', 'The API key is missing or invalid.')
    }
    if (next) {
      const answer = errors(
        next.status,
        next.code ?? String(next.status),
        next.title ?? 'Scripted failure',
        next.detail,
        next.pointer,
      )
      return next.retryAfter === undefined
        ? answer
        : { ...answer, headers: { 'retry-after': next.retryAfter } }
    }
    const key = req.headers['idempotency-key']
    const seen = key === undefined ? undefined : idempotent.get(key)
    if (seen)
      return seen.rawBody === req.rawBody
        ? seen.answer
        : errors(422, '10015', 'Bad request', 'Idempotency-Key reused with another body')
    const answer = createMessage(req)
    // Only successful answers are replayed (Telnyx's idempotency rules).
    if (key !== undefined && typeof answer === 'object' && answer.status === 200)
      idempotent.set(key, { rawBody: req.rawBody, answer })
    return answer
  }

  const createMessage = (req: RecordedRequest): MockAction => {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(req.rawBody) as Record<string, unknown>
    } catch {
      return errors(400, '10015', 'Bad request', 'Body is not JSON')
    }
    const pool = req.path.endsWith('/number_pool')
    const { to, from, text } = body
    if (typeof to !== 'string')
      return errors(400, '10004', 'Missing required parameter', "'to' is required", '/to')
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      return errors(400, '10016', 'Phone number must be in +E.164 format', undefined, '/to')
    if (pool ? typeof body.messaging_profile_id !== 'string' : typeof from !== 'string') {
      const field = pool ? 'messaging_profile_id' : 'from'
      return errors(400, '10004', 'Missing required parameter', `'${field}' is required`, `/${field}`)
    }
    if (typeof text !== 'string' || text === '')
      return errors(400, '10004', 'Missing required parameter', "'text' is required", '/text')
    const id = randomUUID()
    const now = new Date()
    const message = {
      record_type: 'message',
      id,
      direction: 'outbound',
      type: 'SMS',
      messaging_profile_id: body.messaging_profile_id ?? randomUUID(),
      organization_id: randomUUID(),
      from: {
        phone_number: typeof from === 'string' ? from : '+15550001111',
        carrier: 'Telnyx',
        line_type: 'Wireless',
      },
      to: [{ phone_number: to, status: 'queued', carrier: 'T-Mobile USA', line_type: 'Wireless' }],
      cc: [],
      text,
      subject: null,
      media: [],
      encoding: 'GSM-7',
      parts: text.length <= 160 ? 1 : Math.ceil(text.length / 153),
      cost: { amount: '0.0040', currency: 'USD' },
      tags: [],
      received_at: now.toISOString(),
      sent_at: null,
      completed_at: null,
      valid_until: new Date(now.getTime() + 3_600_000).toISOString(),
      webhook_url: body.webhook_url ?? null,
      webhook_failover_url: body.webhook_failover_url ?? null,
      errors: [],
    }
    messages.set(id, message)
    return { status: 200, body: { data: message } }
  }

  const server = await startMockServer(handle)

  return {
    url: server.url,
    apiKey,
    publicKey,
    requests: server.requests,
    json(i = -1) {
      const req = server.requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return JSON.parse(req.rawBody) as Record<string, unknown>
    },
    failNext: (failure) => void script.push(failure),
    hangNext: () => void script.push('hang'),
    dropNext: () => void script.push('drop'),
    sendReceipt(url, r) {
      const known = messages.get(r.id) ?? {
        id: r.id,
        to: [{ phone_number: '+15550002222' }],
        direction: 'outbound',
        errors: [],
      }
      const final = FINAL.has(r.status)
      const occurredAt = new Date().toISOString()
      const to = (known.to as Array<Record<string, unknown>>).map((t) => ({ ...t, status: r.status }))
      const body = JSON.stringify({
        data: {
          record_type: 'event',
          id: randomUUID(),
          event_type: r.eventType ?? (final ? 'message.finalized' : 'message.sent'),
          occurred_at: occurredAt,
          payload: {
            ...known,
            to,
            errors: r.errors ?? [],
            completed_at: final ? occurredAt : null,
            sent_at: occurredAt,
          },
        },
        meta: { attempt: 1, delivered_to: url },
      })
      const timestamp = String(r.timestamp ?? Math.floor(Date.now() / 1000))
      const signature = sign(
        null,
        Buffer.from(`${timestamp}|${body}`),
        r.signingKey ?? keys.privateKey,
      ).toString('base64')
      return sendWebhook(url, {
        headers: {
          'content-type': 'application/json',
          'telnyx-signature-ed25519': signature,
          'telnyx-timestamp': timestamp,
        },
        body,
      })
    },
    close: () => server.close(),
  }
}

function errors(
  status: number,
  code: string,
  title: string,
  detail?: string,
  pointer?: string,
): MockResponse {
  return {
    status,
    body: {
      errors: [
        {
          code,
          title,
          detail: detail ?? title,
          ...(pointer ? { source: { pointer } } : {}),
          meta: { url: `https://developers.telnyx.com/docs/overview/errors/${code}` },
        },
      ],
    },
  }
}
