/**
 * @module A local Sinch SMS REST API ("XMS"): `POST /xms/v1/{service_plan_id}/batches` with Bearer auth,
 * Sinch's batch and `{ code, text }` error shapes, scriptable failures, and per-recipient delivery report
 * callbacks signed with the `x-sinch-webhook-signature` HMAC headers when a callback secret is set.
 */
import { createHmac, randomBytes } from 'node:crypto'
import {
  type MockAction,
  type MockResponse,
  type RecordedRequest,
  sendWebhook,
  startMockServer,
} from './mock-server.js'

/** A batch the mock accepted. */
export interface SinchBatchRecord {
  readonly id: string
  readonly to: string[]
  readonly from: string | undefined
  readonly body: string
  readonly callbackUrl: string | undefined
  readonly clientReference: string | undefined
  readonly deliveryReport: string | undefined
}

/** A failure for the next submit: an HTTP status with a REST error code, or no answer at all. */
export type SinchFailure =
  | {
      readonly kind: 'http'
      readonly status: number
      readonly code?: string
      readonly text?: string
      /** Sent as the answer's `Retry-After` header. */
      readonly retryAfter?: string
    }
  | { readonly kind: 'hang' }
  /** The connection is dropped without an answer. */
  | { readonly kind: 'drop' }

/** The running mock: what it received and accepted, and how to script it. */
export interface SinchMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  readonly batches: SinchBatchRecord[]
  failNext(failure: SinchFailure): void
  /**
   * Posts a `recipient_delivery_report_sms` to the batch's callback URL (or `opts.url`). Signed with the
   * mock's callback secret unless `opts.secret` overrides it (forgery tests) or it is `null` (unsigned).
   */
  sendReport(
    batchId: string,
    report: { status: string; code: number },
    opts?: { url?: string; secret?: string | null; timestamp?: number; nonce?: string },
  ): Promise<number>
  close(): Promise<void>
}

const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Starts the mock; it accepts only `servicePlanId` with `apiToken`, and signs callbacks with `callbackSecret` when given. */
export async function startSinchMock(opts: {
  servicePlanId: string
  apiToken: string
  callbackSecret?: string
}): Promise<SinchMock> {
  const failures: SinchFailure[] = []
  const batches: SinchBatchRecord[] = []
  const error = (status: number, code: string, text: string): MockResponse => ({
    status,
    body: { code, text },
  })

  const handle = (req: RecordedRequest): MockAction => {
    const m = /^\/xms\/v1\/([^/]+)\/batches$/.exec(req.path)
    if (req.method !== 'POST' || !m) return error(404, 'not_found', 'Not found')
    if (m[1] !== opts.servicePlanId || req.headers.authorization !== `Bearer ${opts.apiToken}`) {
      return error(401, 'unauthorized', 'Unauthorized')
    }
    const failure = failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'http') {
      const answer = error(
        failure.status,
        failure.code ?? String(failure.status),
        failure.text ?? 'Scripted failure',
      )
      return failure.retryAfter === undefined
        ? answer
        : { ...answer, headers: { 'retry-after': failure.retryAfter } }
    }
    let b: Record<string, unknown>
    try {
      b = JSON.parse(req.rawBody)
    } catch {
      return error(400, 'syntax_invalid_json', 'The JSON in the request is invalid')
    }
    const to = b.to
    if (!Array.isArray(to) || to.length === 0 || typeof b.body !== 'string') {
      return error(400, 'syntax_constraint_violation', "Missing required field 'to' or 'body'")
    }
    const bad = to.find((t) => typeof t !== 'string' || !/^\+?[1-9]\d{5,14}$/.test(t))
    if (bad !== undefined) {
      return error(400, 'syntax_invalid_parameter_format', `Invalid MSISDN '${String(bad)}' in field 'to'`)
    }
    if (
      b.delivery_report !== undefined &&
      b.delivery_report !== 'none' &&
      typeof b.callback_url !== 'string'
    ) {
      return error(403, 'missing_callback_url', 'Callback has been requested but no URL is provided')
    }
    const id = Array.from(randomBytes(26), (x) => ULID_ALPHABET[x % 32]).join('')
    const now = new Date().toISOString()
    const record: SinchBatchRecord = {
      id,
      to: to as string[],
      from: typeof b.from === 'string' ? b.from : undefined,
      body: b.body,
      callbackUrl: typeof b.callback_url === 'string' ? b.callback_url : undefined,
      clientReference: typeof b.client_reference === 'string' ? b.client_reference : undefined,
      deliveryReport: typeof b.delivery_report === 'string' ? b.delivery_report : undefined,
    }
    batches.push(record)
    return {
      status: 201,
      body: {
        id,
        to: record.to,
        from: record.from ?? '12345',
        body: record.body,
        type: 'mt_text',
        canceled: false,
        created_at: now,
        modified_at: now,
        delivery_report: record.deliveryReport ?? 'none',
        expire_at: b.expire_at ?? now,
        flash_message: false,
        client_reference: record.clientReference,
      },
    }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    batches,
    failNext: (f) => void failures.push(f),
    async sendReport(batchId, report, o = {}) {
      const batch = batches.find((x) => x.id === batchId)
      const target = o.url ?? batch?.callbackUrl
      if (!target) throw new Error(`no callback URL for ${batchId}`)
      const body = JSON.stringify({
        type: 'recipient_delivery_report_sms',
        batch_id: batchId,
        recipient: batch?.to[0] ?? '+15551230000',
        code: report.code,
        status: report.status,
        at: '2026-01-01T00:00:05.000Z',
        operator_status_at: '2026-01-01T00:00:04.000Z',
        client_reference: batch?.clientReference,
        applied_originator: batch?.from ?? '12345',
        encoding: 'GSM',
        number_of_message_parts: 1,
      })
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      const secret = o.secret === undefined ? opts.callbackSecret : o.secret
      if (secret) {
        const nonce = o.nonce ?? randomBytes(13).toString('hex')
        const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000))
        headers['x-sinch-webhook-signature-nonce'] = nonce
        headers['x-sinch-webhook-signature-timestamp'] = timestamp
        headers['x-sinch-webhook-signature-algorithm'] = 'HmacSHA256'
        headers['x-sinch-webhook-signature'] = createHmac('sha256', secret)
          .update(`${body}.${nonce}.${timestamp}`)
          .digest('base64')
      }
      return sendWebhook(target, { headers, body })
    },
    close: server.close,
  }
}
