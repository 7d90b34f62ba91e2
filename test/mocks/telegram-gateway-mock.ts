/**
 * @module A local Telegram Gateway API (core.telegram.org/gateway/api, read 2026-12 from the stored
 * copy of the page: "Available methods", "RequestStatus", "DeliveryStatus", "Report delivery",
 * "Checking report integrity"): `POST /<method>` with
 * `Authorization: Bearer <token>` (or the `access_token` parameter), parameters as JSON, form or query
 * string, answers `{ ok: true, result: RequestStatus }` or `{ ok: false, error: "<WORD>" }`. Billing
 * follows the reference: `checkSendAbility` charges only when it confirms, and a
 * `sendVerificationMessage` that reuses its `request_id` is free (once); one without starts a new,
 * billed request. Delivery reports are POSTed to `callback_url` as a RequestStatus with
 * `X-Request-Timestamp` and `X-Request-Signature` (see `gatewayReportSignature`). Parameter bounds are
 * the reference's: `code` 4-8 digits, `ttl` 30-3600 s, `payload` 0-128 bytes, `callback_url` an HTTPS
 * URL of 0-256 bytes (plain http is let through for loopback hosts only, so tests need no TLS). A
 * message that `expired` had its fee refunded (`is_refunded`). The error word for a number without
 * Telegram is not given by the reference ("an appropriate error"); the mock's is configurable.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

export type TelegramDeliveryStatus = 'sent' | 'delivered' | 'read' | 'expired' | 'revoked'

/** One Gateway request (a check, and the message sent under it). */
export interface TelegramRequest {
  readonly requestId: string
  readonly phoneNumber: string
  /** Credits charged for this request (0 for your own number). */
  cost: number
  /** The fee was given back (the message expired undelivered). */
  refunded?: boolean
  /** The code sent, once sent. */
  code?: string
  ttl?: number
  callbackUrl?: string
  payload?: string
  status?: TelegramDeliveryStatus
  revoked: boolean
}

export type TelegramFailure =
  | { readonly kind: 'error'; readonly error: string; readonly status?: number }
  | { readonly kind: 'hang' }
  | { readonly kind: 'drop' }
  /** The request is carried out (a message sent, a fee charged), then the connection is dropped. */
  | { readonly kind: 'lost-answer' }

export interface TelegramGatewayMock {
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Gateway requests by request_id, in creation order. */
  readonly gatewayRequests: Map<string, TelegramRequest>
  /** Every charge, in order: which request was billed how much. */
  readonly charges: Array<{ readonly requestId: string; readonly cost: number; readonly method: string }>
  /** Calls of each method received. */
  calls(method: string): RecordedRequest[]
  failNext(failure: TelegramFailure): void
  /** Fails the next call of one method (others pass). */
  failOn(method: string, failure: TelegramFailure): void
  /** Posts a delivery report for a request to its callback_url (or `opts.url`), signed unless `opts.token` says otherwise (`null`: unsigned). */
  report(
    requestId: string,
    status: TelegramDeliveryStatus,
    opts?: { url?: string; token?: string | null; timestamp?: number },
  ): Promise<number>
  close(): Promise<void>
}

/**
 * The report signature exactly as "Checking report integrity" states it: the data-check-string is
 * the `X-Request-Timestamp` value, a line feed (0x0A) and the raw POST body; the key is the SHA256
 * hash of the API token (its 32 raw bytes, as in Telegram's other "SHA256 hash of the token" keys);
 * the header carries the hexadecimal HMAC-SHA-256. Written here from the reference, apart from the
 * adapter's own verifier, so the two can disagree in a test.
 */
export function gatewayReportSignature(token: string, timestamp: string, rawBody: string): string {
  const secretKey = createHash('sha256').update(token, 'utf8').digest()
  const dataCheckString = `${timestamp}\n${rawBody}`
  return createHmac('sha256', secretKey).update(dataCheckString, 'utf8').digest('hex')
}

/** `callback_url`: "An HTTPS URL ... 0-256 bytes" (plain http only for a loopback host). */
function callbackUrlValid(url: string): boolean {
  if (Buffer.byteLength(url) > 256 || !URL.canParse(url)) return false
  const u = new URL(url)
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
  return u.protocol === 'https:' || (u.protocol === 'http:' && loopback)
}

/** Answers the Gateway's way. */
const answer = (result: object): MockAction => ({ status: 200, body: { ok: true, result } })
const refuse = (error: string, status = 400): MockAction => ({ status, body: { ok: false, error } })

export async function startTelegramGatewayMock(opts: {
  accessToken: string
  /** Numbers with a Telegram account that takes codes. */
  telegramNumbers: readonly string[]
  /** Price per request in credits. @default 0.01 */
  price?: number
  /** The error word for a number checkSendAbility cannot send to. @default 'PHONE_NUMBER_NOT_FOUND' */
  noAccountError?: string
}): Promise<TelegramGatewayMock> {
  const failures: TelegramFailure[] = []
  const byMethod = new Map<string, TelegramFailure[]>()
  const gatewayRequests = new Map<string, TelegramRequest>()
  const charges: TelegramGatewayMock['charges'] = []
  const price = opts.price ?? 0.01
  let balance = 100

  const status = (r: TelegramRequest, charged: boolean): object => ({
    request_id: r.requestId,
    phone_number: r.phoneNumber,
    request_cost: r.cost,
    ...(r.refunded ? { is_refunded: true } : {}),
    ...(charged ? { remaining_balance: balance } : {}),
    ...(r.status ? { delivery_status: { status: r.status, updated_at: Math.floor(Date.now() / 1000) } } : {}),
    ...(r.payload !== undefined ? { payload: r.payload } : {}),
  })

  const charge = (r: TelegramRequest, method: string) => {
    r.cost = price
    balance -= price
    charges.push({ requestId: r.requestId, cost: price, method })
  }

  const params = (req: RecordedRequest): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...req.query }
    const type = req.headers['content-type'] ?? ''
    if (type.includes('application/json') && req.rawBody) Object.assign(out, JSON.parse(req.rawBody))
    else if (type.includes('application/x-www-form-urlencoded'))
      for (const [k, v] of new URLSearchParams(req.rawBody)) out[k] = v
    return out
  }

  const handle = (req: RecordedRequest): MockAction => {
    const method = req.path.replace(/^\//, '').toLowerCase()
    let p: Record<string, unknown>
    try {
      p = params(req)
    } catch {
      return refuse('BAD_REQUEST')
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? p.access_token
    if (token === undefined) return refuse('ACCESS_TOKEN_REQUIRED', 401)
    if (token !== opts.accessToken) return refuse('ACCESS_TOKEN_INVALID', 401)
    const failure = byMethod.get(method)?.shift() ?? failures.shift()
    if (failure?.kind === 'hang' || failure?.kind === 'drop') return failure.kind
    if (failure?.kind === 'error') return refuse(failure.error, failure.status)
    if (failure?.kind === 'lost-answer') {
      carryOut(method, p)
      return 'drop'
    }
    return carryOut(method, p)
  }

  const carryOut = (method: string, p: Record<string, unknown>): MockAction => {
    const phone = typeof p.phone_number === 'string' ? p.phone_number : ''
    switch (method) {
      case 'checksendability': {
        if (!/^\+?[1-9]\d{6,14}$/.test(phone)) return refuse('PHONE_NUMBER_INVALID')
        if (!opts.telegramNumbers.includes(phone))
          return refuse(opts.noAccountError ?? 'PHONE_NUMBER_NOT_FOUND')
        if (balance < price) return refuse('BALANCE_NOT_ENOUGH')
        const r: TelegramRequest = {
          requestId: randomBytes(12).toString('hex'),
          phoneNumber: phone,
          cost: 0,
          revoked: false,
        }
        gatewayRequests.set(r.requestId, r)
        charge(r, 'checkSendAbility')
        return answer(status(r, true))
      }
      case 'sendverificationmessage': {
        if (!/^\+?[1-9]\d{6,14}$/.test(phone)) return refuse('PHONE_NUMBER_INVALID')
        const code = p.code === undefined ? undefined : String(p.code)
        if (code !== undefined && !/^\d{4,8}$/.test(code)) return refuse('CODE_INVALID')
        const ttl = p.ttl === undefined ? undefined : Number(p.ttl)
        if (ttl !== undefined && !(Number.isInteger(ttl) && ttl >= 30 && ttl <= 3600))
          return refuse('TTL_INVALID')
        const payload = p.payload === undefined ? undefined : String(p.payload)
        if (payload !== undefined && Buffer.byteLength(payload) > 128) return refuse('PAYLOAD_INVALID')
        const callbackUrl = p.callback_url === undefined ? undefined : String(p.callback_url)
        if (callbackUrl !== undefined && !callbackUrlValid(callbackUrl)) return refuse('CALLBACK_URL_INVALID')
        let r: TelegramRequest
        let charged = false
        if (p.request_id !== undefined) {
          const earlier = gatewayRequests.get(String(p.request_id))
          // One message per checked request; the check's fee covers it.
          if (!earlier || earlier.phoneNumber !== phone || earlier.code !== undefined)
            return refuse('REQUEST_ID_INVALID')
          r = earlier
        } else {
          if (!opts.telegramNumbers.includes(phone))
            return refuse(opts.noAccountError ?? 'PHONE_NUMBER_NOT_FOUND')
          r = { requestId: randomBytes(12).toString('hex'), phoneNumber: phone, cost: 0, revoked: false }
          gatewayRequests.set(r.requestId, r)
          charge(r, 'sendVerificationMessage')
          charged = true
        }
        r.code = code ?? String(Math.floor(100000 + Math.random() * 900000))
        if (ttl !== undefined) r.ttl = ttl
        if (callbackUrl !== undefined) r.callbackUrl = callbackUrl
        if (payload !== undefined) r.payload = payload
        r.status = 'sent'
        return answer(status(r, charged))
      }
      case 'revokeverificationmessage': {
        const r = gatewayRequests.get(String(p.request_id ?? ''))
        if (!r) return refuse('REQUEST_ID_INVALID')
        r.revoked = true
        // A delivered or read message is not removed.
        if (r.status === 'sent') r.status = 'revoked'
        return { status: 200, body: { ok: true, result: true } }
      }
      case 'checkverificationstatus': {
        const r = gatewayRequests.get(String(p.request_id ?? ''))
        if (!r) return refuse('REQUEST_ID_INVALID')
        return answer(status(r, false))
      }
      default:
        return refuse('METHOD_NOT_FOUND', 404)
    }
  }

  const server = await startMockServer(handle)
  return {
    url: server.url,
    requests: server.requests,
    gatewayRequests,
    charges,
    calls: (method) => server.requests.filter((r) => r.path.toLowerCase() === `/${method.toLowerCase()}`),
    failNext: (failure) => void failures.push(failure),
    failOn(method, failure) {
      const key = method.toLowerCase()
      byMethod.set(key, [...(byMethod.get(key) ?? []), failure])
    },
    async report(requestId, deliveryStatus, o = {}) {
      const r = gatewayRequests.get(requestId)
      if (!r) throw new Error(`no request ${requestId}`)
      r.status = deliveryStatus
      // "If the message is not delivered or read within this time, the request fee will be refunded."
      if (deliveryStatus === 'expired' && r.cost > 0) {
        balance += r.cost
        r.refunded = true
      }
      const url = o.url ?? r.callbackUrl
      if (!url) throw new Error(`request ${requestId} has no callback_url`)
      const body = JSON.stringify(status(r, false))
      const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000))
      const token = o.token === undefined ? opts.accessToken : o.token
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (token !== null) {
        headers['x-request-timestamp'] = timestamp
        headers['x-request-signature'] = gatewayReportSignature(token, timestamp, body)
      }
      return sendWebhook(url, { headers, body })
    },
    close: () => server.close(),
  }
}
