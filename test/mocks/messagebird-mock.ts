/**
 * @module A local MessageBird legacy REST API: `POST /messages` with `Authorization: AccessKey <key>`,
 * MessageBird's message object and `{"errors":[...]}` shapes, scriptable failures, and status reports
 * sent as GET requests to `reportUrl` with a `MessageBird-Signature-JWT` header signed like MessageBird's.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import {
  type MockAction,
  type MockResponse,
  type RecordedRequest,
  sendWebhook,
  startMockServer,
} from './mock-server.js'

/** A message the mock accepted. */
export interface MessagebirdAccepted {
  readonly id: string
  readonly originator: string
  readonly recipient: string
  readonly body: string
  readonly reference: string | undefined
  readonly reportUrl: string | undefined
}

/** A failure for the next submit: an HTTP status with a MessageBird error, or no answer at all. */
export type MessagebirdFailure =
  | {
      readonly kind: 'api'
      readonly status: number
      readonly code: number
      readonly description: string
      readonly parameter?: string
      /** Sent as the answer's `Retry-After` header. */
      readonly retryAfter?: string
    }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** How a status report is sent and signed (the defaults sign it correctly). */
export interface MessagebirdReportOptions {
  /** Overrides the report URL (default: the message's `reportUrl`). */
  readonly url?: string
  /** Signs with this key instead of the mock's (forgery tests); `null` sends no JWT. */
  readonly signingKey?: string | null
  /** Seconds since epoch the JWT says it was issued. @default now */
  readonly issuedAt?: number
  /** Lifetime of the JWT. @default 60 */
  readonly ttlSeconds?: number
  /** `url_hash` computed over this URL instead of the one requested (tamper tests). */
  readonly signedUrl?: string
}

/** The running mock: what it received and accepted, and how to script it. */
export interface MessagebirdMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly accepted: MessagebirdAccepted[]
  failNext(failure: MessagebirdFailure): void
  /** Sends a status report (GET with query parameters) for an accepted message. */
  sendReport(
    messageId: string,
    report: { status: string; statusReason?: string; statusErrorCode?: number },
    opts?: MessagebirdReportOptions,
  ): Promise<number>
  close(): Promise<void>
}

/** Starts the mock; it accepts only `accessKey` and signs reports with `signingKey`. */
export async function startMessagebirdMock(opts: {
  accessKey: string
  signingKey: string
}): Promise<MessagebirdMock> {
  const failures: MessagebirdFailure[] = []
  const accepted: MessagebirdAccepted[] = []
  const errors = (
    status: number,
    code: number,
    description: string,
    parameter: string | null = null,
  ): MockResponse => ({
    status,
    body: { errors: [{ code, description, parameter }] },
  })

  const handle = (req: RecordedRequest): MockAction => {
    if (req.path !== '/messages' || req.method !== 'POST') return errors(404, 20, 'message not found')
    if (req.headers.authorization !== `AccessKey ${opts.accessKey}`) {
      return errors(401, 2, 'Request not allowed (incorrect access_key)')
    }
    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'api') {
      const answer = errors(failure.status, failure.code, failure.description, failure.parameter ?? null)
      return failure.retryAfter === undefined
        ? answer
        : { ...answer, headers: { 'retry-after': failure.retryAfter } }
    }

    const b = readBody(req)
    const originator = typeof b.originator === 'string' ? b.originator : undefined
    const recipients = Array.isArray(b.recipients)
      ? b.recipients.map(String)
      : typeof b.recipients === 'string'
        ? b.recipients.split(',')
        : []
    if (!originator) return errors(422, 9, 'originator is required', 'originator')
    if (typeof b.body !== 'string' || b.body === '') return errors(422, 9, 'body is required', 'body')
    const recipient = recipients[0]
    if (!recipient || !/^[1-9]\d{5,14}$/.test(recipient))
      return errors(422, 10, 'no (correct) recipients found', 'recipients')

    const id = randomBytes(16).toString('hex')
    const m: MessagebirdAccepted = {
      id,
      originator,
      recipient,
      body: b.body,
      reference: typeof b.reference === 'string' ? b.reference : undefined,
      reportUrl: typeof b.reportUrl === 'string' ? b.reportUrl : undefined,
    }
    accepted.push(m)
    const now = new Date().toISOString().replace(/\.\d+Z$/, '+00:00')
    return {
      status: 201,
      body: {
        id,
        href: `https://rest.messagebird.com/messages/${id}`,
        direction: 'mt',
        type: 'sms',
        originator,
        body: m.body,
        reference: m.reference ?? null,
        validity: b.validity ?? null,
        gateway: 10,
        typeDetails: {},
        datacoding: b.datacoding ?? 'plain',
        mclass: 1,
        scheduledDatetime: null,
        createdDatetime: now,
        recipients: {
          totalCount: 1,
          totalSentCount: 1,
          totalDeliveredCount: 0,
          totalDeliveryFailedCount: 0,
          items: [{ recipient: Number(recipient), status: 'sent', statusDatetime: now }],
        },
      },
    }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    accepted,
    failNext: (f) => void failures.push(f),
    async sendReport(messageId, report, o = {}) {
      const m = accepted.find((a) => a.id === messageId)
      const base = o.url ?? m?.reportUrl
      if (!base) throw new Error(`no reportUrl for ${messageId}`)
      // MessageBird only reports on messages that carry a reference.
      if (!m?.reference && !o.url) throw new Error(`message ${messageId} has no reference`)
      const url = new URL(base)
      url.searchParams.set('id', messageId)
      url.searchParams.set('reference', m?.reference ?? '')
      url.searchParams.set('recipient', m?.recipient ?? '31612345678')
      url.searchParams.set('status', report.status)
      url.searchParams.set('statusDatetime', '2026-01-01T00:00:05+00:00')
      if (report.statusReason !== undefined) url.searchParams.set('statusReason', report.statusReason)
      if (report.statusErrorCode !== undefined)
        url.searchParams.set('statusErrorCode', String(report.statusErrorCode))
      const target = url.toString()
      const headers: Record<string, string> = {}
      const key = o.signingKey === undefined ? opts.signingKey : o.signingKey
      if (key !== null) {
        const iat = o.issuedAt ?? Math.floor(Date.now() / 1000)
        headers['MessageBird-Signature-JWT'] = signJwt(key, {
          iss: 'MessageBird',
          nbf: iat,
          iat,
          exp: iat + (o.ttlSeconds ?? 60),
          jti: randomBytes(16).toString('hex'),
          // GET reports have no body, so there is no payload_hash: the URL hash covers everything.
          url_hash: createHash('sha256')
            .update(o.signedUrl ?? target)
            .digest('hex'),
        })
      }
      return sendWebhook(target, { method: 'GET', headers })
    },
    close: server.close,
  }
}

function signJwt(key: string, claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`
  return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`
}

function readBody(req: RecordedRequest): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return JSON.parse(req.rawBody) as Record<string, unknown>
    } catch {
      return {}
    }
  }
  return Object.fromEntries(new URLSearchParams(req.rawBody))
}
