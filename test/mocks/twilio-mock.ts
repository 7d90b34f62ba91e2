/**
 * @module A local Twilio REST API (Messages and Calls, providers.md §1) that checks Basic auth and
 * the form body like Twilio does, answers with Twilio's resource and error shapes, can be scripted to
 * fail, and posts status callbacks signed with `X-Twilio-Signature`.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { segmentCount } from '../../src/delivery/gsm7.js'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

/** Credentials the mock accepts; random or fixed test values by default. */
export interface TwilioMockOptions {
  /** @default a fixed test SID */
  readonly accountSid?: string
  /** @default random */
  readonly authToken?: string
  /** API keys (`SK...` → secret) accepted as the Basic pair besides the account SID and token. */
  readonly apiKeys?: Readonly<Record<string, string>>
}

/** A failure the next API request gets, in Twilio's error shape. */
export interface TwilioFailure {
  readonly status: number
  /** Twilio error code (21211, 20429...). */
  readonly code?: number
  readonly message?: string
  /** Sent as the answer's `Retry-After` header. */
  readonly retryAfter?: string
}

/** A running Twilio mock: its origin, what it received, and the levers tests pull. */
export interface TwilioMock {
  readonly url: string
  readonly accountSid: string
  readonly authToken: string
  /** Every request the API received, oldest first. */
  readonly requests: RecordedRequest[]
  /** The form body of API request `i` (negative counts from the end). */
  form(i?: number): URLSearchParams
  /** The next API request fails with this status, code and message. */
  failNext(failure: TwilioFailure): void
  /** The next API request is never answered (timeout tests). */
  hangNext(): void
  /** The next API request's connection is dropped (network-error tests). */
  dropNext(): void
  /** Posts a signed message status callback, as Twilio does on every status change. */
  sendReceipt(
    url: string,
    r: { sid: string; status: string; errorCode?: string; extra?: Record<string, string> },
  ): Promise<number>
  /** Posts a signed call status callback. */
  sendCallStatus(
    url: string,
    r: { sid: string; status: string; duration?: number; extra?: Record<string, string> },
  ): Promise<number>
  /** `X-Twilio-Signature` for a URL and form parameters (forgery tests build on it). */
  sign(url: string, params: URLSearchParams, authToken?: string): string
  close(): Promise<void>
}

const DEFAULT_SID = `AC${'0123456789abcdef'.repeat(2)}`

/** Starts a Twilio mock on an ephemeral local port. */
export async function startTwilioMock(opts: TwilioMockOptions = {}): Promise<TwilioMock> {
  const accountSid = opts.accountSid ?? DEFAULT_SID
  const authToken = opts.authToken ?? randomBytes(16).toString('hex')
  const script: Array<TwilioFailure | 'hang' | 'drop'> = []
  const resources = new Map<string, { to: string; from: string; kind: 'message' | 'call' }>()

  const handle = (req: RecordedRequest): MockAction => {
    const next = script.shift()
    if (next === 'hang' || next === 'drop') return next
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(req.path)
    if (!match || req.method !== 'POST')
      return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
    if (!authorized(req.headers.authorization, accountSid, authToken, opts.apiKeys)) {
      return twilioError(401, 20003, 'Authenticate')
    }
    // The path must carry the AC... account SID even when an SK... key authenticates.
    if (match[1] !== accountSid)
      return twilioError(404, 20404, `The requested resource ${req.path} was not found`)
    if (next)
      return twilioError(
        next.status,
        next.code ?? next.status,
        next.message ?? 'Scripted failure',
        next.retryAfter,
      )
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return twilioError(400, 20001, 'Expected a form-encoded body')
    }
    const form = new URLSearchParams(req.rawBody)
    return match[2] === 'Messages' ? createMessage(form) : createCall(form)
  }

  const createMessage = (form: URLSearchParams): MockAction => {
    const to = form.get('To')
    const from = form.get('From')
    const service = form.get('MessagingServiceSid')
    const body = form.get('Body')
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.")
    if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.")
    if (!body && !form.get('MediaUrl') && !form.get('ContentSid'))
      return twilioError(400, 21602, 'Message body is required.')
    if (!isE164(to.replace(/^whatsapp:/, '')))
      return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
    const sid = `SM${randomBytes(16).toString('hex')}`
    resources.set(sid, { to, from: from ?? '', kind: 'message' })
    const now = new Date().toUTCString().replace('GMT', '+0000')
    return {
      status: 201,
      body: {
        sid,
        account_sid: accountSid,
        messaging_service_sid: service,
        to,
        from,
        body,
        // Twilio answers `accepted` when a Messaging Service will pick the sender.
        status: from ? 'queued' : 'accepted',
        num_segments: String(segmentCount(body ?? '')),
        num_media: '0',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        price: null,
        price_unit: 'USD',
        error_code: null,
        error_message: null,
        date_created: now,
        date_updated: now,
        date_sent: null,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      },
    }
  }

  const createCall = (form: URLSearchParams): MockAction => {
    const to = form.get('To')
    const from = form.get('From')
    if (!to) return twilioError(400, 21201, "No 'To' number is specified")
    if (!from) return twilioError(400, 21213, "No 'From' number is specified")
    const instructions = ['Url', 'Twiml', 'ApplicationSid'].filter((k) => form.has(k))
    if (instructions.length !== 1)
      return twilioError(400, 21205, 'Exactly one of Url, Twiml or ApplicationSid is required')
    if (!isE164(to)) return twilioError(400, 21217, 'Phone number does not appear to be valid')
    const sid = `CA${randomBytes(16).toString('hex')}`
    resources.set(sid, { to, from, kind: 'call' })
    return {
      status: 201,
      body: {
        sid,
        account_sid: accountSid,
        to,
        from,
        status: 'queued',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${sid}.json`,
      },
    }
  }

  const server = await startMockServer(handle)
  const requests = server.requests

  const sign = (url: string, params: URLSearchParams, key = authToken) => {
    let data = url
    const names = [...new Set(params.keys())].sort()
    for (const name of names)
      for (const value of [...new Set(params.getAll(name))].sort()) data += name + value
    return createHmac('sha1', key).update(data, 'utf8').digest('base64')
  }

  const post = (url: string, params: URLSearchParams) =>
    sendWebhook(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TwilioProxy/1.1',
        'i-twilio-idempotency-token': randomBytes(8).toString('hex'),
        'x-twilio-signature': sign(url, params),
      },
      body: params.toString(),
    })

  return {
    url: server.url,
    accountSid,
    authToken,
    requests,
    form(i = -1) {
      const req = requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return new URLSearchParams(req.rawBody)
    },
    failNext: (failure) => void script.push(failure),
    hangNext: () => void script.push('hang'),
    dropNext: () => void script.push('drop'),
    sign,
    sendReceipt(url, r) {
      const known = resources.get(r.sid)
      const params = new URLSearchParams()
      params.set('AccountSid', accountSid)
      params.set('ApiVersion', '2010-04-01')
      params.set('From', known?.from ?? '+15005550006')
      params.set('To', known?.to ?? '+15005550010')
      params.set('MessageSid', r.sid)
      params.set('MessageStatus', r.status)
      params.set('SmsSid', r.sid)
      params.set('SmsStatus', r.status)
      if (r.errorCode) params.set('ErrorCode', r.errorCode)
      for (const [k, v] of Object.entries(r.extra ?? {})) params.set(k, v)
      return post(url, params)
    },
    sendCallStatus(url, r) {
      const known = resources.get(r.sid)
      const params = new URLSearchParams()
      params.set('AccountSid', accountSid)
      params.set('ApiVersion', '2010-04-01')
      params.set('CallSid', r.sid)
      params.set('CallStatus', r.status)
      params.set('Direction', 'outbound-api')
      params.set('From', known?.from ?? '+15005550006')
      params.set('To', known?.to ?? '+15005550010')
      if (r.duration !== undefined) params.set('CallDuration', String(r.duration))
      for (const [k, v] of Object.entries(r.extra ?? {})) params.set(k, v)
      return post(url, params)
    },
    close: () => server.close(),
  }
}

function twilioError(status: number, code: number, message: string, retryAfter?: string): MockAction {
  return {
    status,
    ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  }
}

function authorized(
  header: string | undefined,
  sid: string,
  token: string,
  keys: Readonly<Record<string, string>> = {},
): boolean {
  if (!header?.startsWith('Basic ')) return false
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  const i = decoded.indexOf(':')
  const user = decoded.slice(0, i)
  const pass = decoded.slice(i + 1)
  return (user === sid && pass === token) || (Object.hasOwn(keys, user) && keys[user] === pass)
}

function isE164(n: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(n)
}
