/**
 * @module A local Plivo Message API (`POST /v1/Account/{auth_id}/Message/`, Basic auth, JSON, 202
 * with `message_uuid[]`) with scriptable failures, and status callbacks signed with
 * `X-Plivo-Signature-V3` as Plivo sends them (providers.md §4.1).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import {
  type MockAction,
  type MockResponse,
  type RecordedRequest,
  sendWebhook,
  startMockServer,
} from './mock-server.js'

/** Credentials the mock accepts; random test values by default. */
export interface PlivoMockOptions {
  readonly authId?: string
  readonly authToken?: string
}

/** A failure in Plivo's `{"api_id","error"}` shape. */
export interface PlivoFailure {
  readonly status: number
  readonly error?: string
  /** Sent as the answer's `Retry-After` header. */
  readonly retryAfter?: string
}

/** A status callback to send, and how to sign it. */
export interface PlivoReceipt {
  readonly messageUuid: string
  /** `queued`, `sent`, `delivered`, `undelivered`, `failed`, `rejected`. */
  readonly status: string
  /** Only sent with failed/undelivered, as Plivo does. */
  readonly errorCode?: string
  /** POST sends a form body; GET puts the parameters in the query. @default 'POST' */
  readonly method?: 'POST' | 'GET'
  /** Sign with another token (forgery tests). */
  readonly authToken?: string
}

/** A running Plivo mock: its origin, credentials, what it received, and the levers tests pull. */
export interface PlivoMock {
  readonly url: string
  readonly authId: string
  readonly authToken: string
  readonly requests: RecordedRequest[]
  /** JSON body of request `i`. */
  json(i?: number): Record<string, unknown>
  failNext(failure: PlivoFailure): void
  hangNext(): void
  dropNext(): void
  /** Posts a signed status callback. */
  sendReceipt(url: string, r: PlivoReceipt): Promise<number>
  /** `X-Plivo-Signature-V3` for a callback (forgery tests build on it). */
  signV3(
    method: 'GET' | 'POST',
    url: string,
    post: URLSearchParams,
    nonce: string,
    authToken?: string,
  ): string
  close(): Promise<void>
}

/** Starts a Plivo mock on an ephemeral local port. */
export async function startPlivoMock(opts: PlivoMockOptions = {}): Promise<PlivoMock> {
  const authId = opts.authId ?? `MA${randomBytes(9).toString('hex').toUpperCase()}`
  const authToken = opts.authToken ?? randomBytes(20).toString('hex')
  const script: Array<PlivoFailure | 'hang' | 'drop'> = []
  const sent = new Map<string, { src: string; dst: string }>()

  const handle = (req: RecordedRequest): MockAction => {
    const next = script.shift()
    if (next === 'hang' || next === 'drop') return next
    if (req.method !== 'POST' || req.path !== `/v1/Account/${authId}/Message/`) return fail(404, 'not found')
    if (req.headers.authorization !== `Basic ${Buffer.from(`${authId}:${authToken}`).toString('base64')}`) {
      return fail(401, 'authentication failed')
    }
    if (next) {
      const answer = fail(next.status, next.error ?? 'scripted failure')
      return next.retryAfter === undefined
        ? answer
        : { ...answer, headers: { 'retry-after': next.retryAfter } }
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(req.rawBody) as Record<string, unknown>
    } catch {
      return fail(400, 'invalid JSON body')
    }
    const { src, powerpack_uuid: powerpack, dst, text } = body
    if ((src === undefined) === (powerpack === undefined))
      return fail(400, 'specify exactly one of src or powerpack_uuid')
    if (typeof dst !== 'string' || dst === '') return fail(400, "missing 'dst' parameter")
    if (typeof text !== 'string' || text === '') return fail(400, "missing 'text' parameter")
    const targets = dst.split('<')
    const invalid = targets.filter((d) => !/^\+?[1-9]\d{6,14}$/.test(d))
    if (invalid.length === targets.length) return fail(400, `invalid 'dst' parameter: ${dst}`)
    const uuids = targets
      .filter((d) => !invalid.includes(d))
      .map((d) => {
        const uuid = randomUUID()
        sent.set(uuid, { src: typeof src === 'string' ? src : '', dst: d })
        return uuid
      })
    return {
      status: 202,
      body: {
        api_id: randomUUID(),
        message: 'message(s) queued',
        message_uuid: uuids,
        ...(invalid.length > 0 ? { invalid_number: invalid } : {}),
      },
    }
  }

  const server = await startMockServer(handle)

  const signV3 = (
    method: 'GET' | 'POST',
    url: string,
    post: URLSearchParams,
    nonce: string,
    token = authToken,
  ) => {
    const u = new URL(url)
    const sortedPairs = (params: URLSearchParams, sep: string) =>
      [...new Set(params.keys())].sort().flatMap((k) =>
        params
          .getAll(k)
          .sort()
          .map((v) => `${k}${sep}${v}`),
      )
    const query = sortedPairs(u.searchParams, '=').join('&')
    const hasPost = method === 'POST' && [...post.keys()].length > 0
    let base = `${u.protocol}//${u.host}${u.pathname}`
    if (query.length > 0 || hasPost) base += `?${query}`
    if (query.length > 0 && hasPost) base += '.'
    if (hasPost) base += sortedPairs(post, '').join('')
    return createHmac('sha256', token).update(`${base}.${nonce}`).digest('base64')
  }

  return {
    url: server.url,
    authId,
    authToken,
    requests: server.requests,
    json(i = -1) {
      const req = server.requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return JSON.parse(req.rawBody) as Record<string, unknown>
    },
    failNext: (failure) => void script.push(failure),
    hangNext: () => void script.push('hang'),
    dropNext: () => void script.push('drop'),
    signV3,
    sendReceipt(url, r) {
      const known = sent.get(r.messageUuid)
      const now = new Date().toISOString().replace('T', ' ').replace('Z', '000')
      const params = new URLSearchParams({
        MessageUUID: r.messageUuid,
        To: known?.dst ?? '+14155550100',
        From: known?.src ?? '+14155550001',
        Type: 'sms',
        Status: r.status,
        Units: '1',
        TotalRate: '0.00500',
        TotalAmount: '0.00500',
        MCC: '310',
        MNC: '260',
        ParentMessageUUID: r.messageUuid,
        PartInfo: '1 of 1',
        Sequence: '1',
        MessageTime: now,
        QueuedTime: now,
        SentTime: now,
        DeliveryReportTime: now,
      })
      if (r.errorCode !== undefined) params.set('ErrorCode', r.errorCode)
      const nonce = randomBytes(10).toString('hex')
      const method = r.method ?? 'POST'
      const target = method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}${params}` : url
      const headers = {
        'x-plivo-signature-v3': signV3(
          method,
          target,
          method === 'POST' ? params : new URLSearchParams(),
          nonce,
          r.authToken ?? authToken,
        ),
        'x-plivo-signature-v3-nonce': nonce,
      }
      if (method === 'GET') return sendWebhook(target, { method: 'GET', headers })
      return sendWebhook(url, {
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      })
    },
    close: () => server.close(),
  }
}

function fail(status: number, error: string): MockResponse {
  return { status, body: { api_id: randomUUID(), error } }
}
