/**
 * @module A local Vonage: the SMS API (`POST /sms/json`, credentials in the body, HTTP 200 with a
 * per-part status even on failure) and the Voice API (`POST /v1/calls`, RS256 application JWT),
 * scriptable failures, and receipts the way Vonage sends them: DLRs signed with `sig` and Voice
 * events carrying an HS256 JWT (providers.md §2).
 */
import {
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto'
import { splitSegments } from '../../src/delivery/gsm7.js'
import { type MockAction, type RecordedRequest, sendWebhook, startMockServer } from './mock-server.js'

/** Dashboard choice of hash for `sig`. */
export type VonageMockSignatureMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512'

/** Credentials the mock accepts; random test values by default. */
export interface VonageMockOptions {
  readonly apiKey?: string
  readonly apiSecret?: string
  readonly signatureSecret?: string
  readonly applicationId?: string
}

/** An SMS API failure: HTTP 200 with this status on the message. */
export interface VonageSmsFailure {
  readonly status: string
  readonly errorText?: string
}

/** A Voice API (or HTTP-level) failure in Vonage's problem-document shape. */
export interface VonageHttpFailure {
  readonly httpStatus: number
  readonly type?: string
  readonly title?: string
  readonly detail?: string
  readonly invalidParameters?: ReadonlyArray<{ name: string; reason: string }>
}

/** An SMS delivery receipt to send, and how to encode and sign it. */
export interface VonageReceipt {
  readonly messageId: string
  /** `delivered`, `expired`, `failed`, `rejected`, `accepted`, `buffered`, `unknown`. */
  readonly status: string
  /** @default '0' */
  readonly errCode?: string
  /** How the dashboard is set to deliver DLRs. @default 'json' */
  readonly encoding?: 'json' | 'form' | 'get'
  /** @default 'md5hash' */
  readonly signatureMethod?: VonageMockSignatureMethod
  /** Unix seconds. @default now */
  readonly timestamp?: number
  /** Sign with this secret instead (forgery tests). */
  readonly secret?: string
}

/** A running Vonage mock: its origin, credentials, what it received, and the levers tests pull. */
export interface VonageMock {
  readonly url: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly signatureSecret: string
  readonly applicationId: string
  /** PEM of the application's private key, for the adapter's config. */
  readonly privateKeyPem: string
  readonly requests: RecordedRequest[]
  /** Parameters of request `i` (form or JSON body, flattened to strings). */
  params(i?: number): Record<string, string>
  /** JSON body of request `i`. */
  json(i?: number): unknown
  /** The next SMS submit answers HTTP 200 with this failing status. */
  failNext(failure: VonageSmsFailure): void
  /** The next request (SMS or Voice) answers with this HTTP error. */
  failNextHttp(failure: VonageHttpFailure): void
  hangNext(): void
  dropNext(): void
  /** Posts a signed SMS delivery receipt. */
  sendReceipt(url: string, r: VonageReceipt): Promise<number>
  /** Posts a Voice event with a signed JWT in `Authorization`. */
  sendCallEvent(
    url: string,
    e: { uuid: string; status: string; secret?: string; extra?: Record<string, unknown> },
  ): Promise<number>
  /** Hex `sig` for webhook parameters (uppercase, as Vonage sends it). */
  sign(params: Readonly<Record<string, string>>, method?: VonageMockSignatureMethod, secret?: string): string
  close(): Promise<void>
}

type Scripted =
  | { kind: 'sms'; failure: VonageSmsFailure }
  | { kind: 'http'; failure: VonageHttpFailure }
  | 'hang'
  | 'drop'

/** Starts a Vonage mock (SMS and Voice APIs on one origin) on an ephemeral local port. */
export async function startVonageMock(opts: VonageMockOptions = {}): Promise<VonageMock> {
  const apiKey = opts.apiKey ?? 'abcd1234'
  const apiSecret = opts.apiSecret ?? randomBytes(8).toString('hex')
  const signatureSecret = opts.signatureSecret ?? randomBytes(16).toString('hex')
  const applicationId = opts.applicationId ?? randomUUID()
  const { privateKeyPem, publicKey } = applicationKeys()
  const script: Scripted[] = []
  const sent = new Map<string, { to: string; from: string; clientRef?: string }>()

  const handle = (req: RecordedRequest): MockAction => {
    const next = script.shift()
    if (next === 'hang' || next === 'drop') return next
    if (next?.kind === 'http') return problem(next.failure)
    if (req.method === 'POST' && req.path === '/sms/json')
      return submitSms(req, next?.kind === 'sms' ? next.failure : undefined)
    if (req.method === 'POST' && req.path === '/v1/calls') return createCall(req)
    return problem({
      httpStatus: 404,
      type: 'https://developer.nexmo.com/api-errors#not-found',
      title: 'Not Found',
    })
  }

  const submitSms = (req: RecordedRequest, failure: VonageSmsFailure | undefined): MockAction => {
    const p = paramsOf(req)
    const fail = (status: string, text: string): MockAction => ({
      status: 200,
      body: { 'message-count': '1', messages: [{ status, 'error-text': text }] },
    })
    if (p.sig !== undefined && p.api_secret !== undefined)
      return fail('32', 'Signature and API secret disallowed')
    if (p.api_key !== apiKey || p.api_secret !== apiSecret) return fail('4', 'Bad Credentials')
    for (const k of ['from', 'to', 'text'] as const) if (!p[k]) return fail('2', `Missing ${k} param`)
    if (!/^\d{7,15}$/.test(p.to ?? '')) return fail('3', 'Invalid to address')
    if (failure) return fail(failure.status, failure.errorText ?? `Scripted status ${failure.status}`)
    // Vonage encodes as GSM-7 unless told `type=unicode`.
    const parts = splitSegments(p.text ?? '', p.type === 'unicode' ? 'ucs2' : 'gsm7').length
    const messages = Array.from({ length: parts }, () => {
      const id = randomBytes(8).toString('hex').toUpperCase()
      sent.set(id, { to: p.to ?? '', from: p.from ?? '', clientRef: p['client-ref'] })
      return {
        to: p.to,
        'message-id': id,
        status: '0',
        'remaining-balance': '3.14159265',
        'message-price': '0.03330000',
        network: '23410',
        ...(p['client-ref'] ? { 'client-ref': p['client-ref'] } : {}),
      }
    })
    return { status: 200, body: { 'message-count': String(parts), messages } }
  }

  const createCall = (req: RecordedRequest): MockAction => {
    const auth = req.headers.authorization ?? ''
    if (!auth.startsWith('Bearer ') || !validAppJwt(auth.slice(7), publicKey, applicationId)) {
      return problem({
        httpStatus: 401,
        type: 'https://developer.nexmo.com/api-errors#unauthorized',
        title: 'Unauthorized',
        detail: 'You did not provide correct credentials.',
      })
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(req.rawBody) as Record<string, unknown>
    } catch {
      return problem({
        httpStatus: 400,
        type: 'https://developer.nexmo.com/api-errors#bad-request',
        title: 'Bad Request',
        detail: 'Invalid JSON',
      })
    }
    const to = Array.isArray(body.to) ? (body.to[0] as Record<string, unknown> | undefined) : undefined
    if (to?.type !== 'phone' || typeof to.number !== 'string' || !/^\d{7,15}$/.test(to.number)) {
      return problem({
        httpStatus: 400,
        type: 'https://developer.nexmo.com/api-errors#validation',
        title: 'Bad Request',
        detail: 'The request failed due to validation errors',
        invalidParameters: [{ name: 'to', reason: 'Invalid phone number' }],
      })
    }
    if (!Array.isArray(body.ncco) && !Array.isArray(body.answer_url)) {
      return problem({
        httpStatus: 400,
        type: 'https://developer.nexmo.com/api-errors#validation',
        title: 'Bad Request',
        detail: 'ncco or answer_url is required',
      })
    }
    const uuid = randomUUID()
    const from = (body.from as Record<string, unknown> | undefined)?.number
    sent.set(uuid, { to: to.number, from: typeof from === 'string' ? from : '' })
    return {
      status: 201,
      body: { uuid, status: 'started', direction: 'outbound', conversation_uuid: `CON-${randomUUID()}` },
    }
  }

  const server = await startMockServer(handle)
  const requests = server.requests

  const sign = (
    params: Readonly<Record<string, string>>,
    method: VonageMockSignatureMethod = 'md5hash',
    secret = signatureSecret,
  ) => {
    const base = Object.keys(params)
      .filter((k) => k !== 'sig')
      .sort()
      .map((k) => `&${k}=${(params[k] ?? '').replace(/[&=]/g, '_')}`)
      .join('')
    const hex =
      method === 'md5hash'
        ? createHash('md5')
            .update(base + secret)
            .digest('hex')
        : createHmac(method, secret).update(base).digest('hex')
    return hex.toUpperCase()
  }

  return {
    url: server.url,
    apiKey,
    apiSecret,
    signatureSecret,
    applicationId,
    privateKeyPem,
    requests,
    params(i = -1) {
      const req = requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return paramsOf(req)
    },
    json(i = -1) {
      const req = requests.at(i)
      if (!req) throw new Error(`no request at ${i}`)
      return JSON.parse(req.rawBody)
    },
    failNext: (failure) => void script.push({ kind: 'sms', failure }),
    failNextHttp: (failure) => void script.push({ kind: 'http', failure }),
    hangNext: () => void script.push('hang'),
    dropNext: () => void script.push('drop'),
    sign,
    sendReceipt(url, r) {
      const known = sent.get(r.messageId)
      const now = new Date()
      const params: Record<string, string> = {
        msisdn: known?.to ?? '447700900000',
        to: known?.from ?? 'Acme',
        'network-code': '23410',
        messageId: r.messageId,
        price: '0.03330000',
        status: r.status,
        scts: now.toISOString().replace(/\D/g, '').slice(2, 12),
        'err-code': r.errCode ?? '0',
        'api-key': apiKey,
        'message-timestamp': now.toISOString().slice(0, 19).replace('T', ' '),
        timestamp: String(r.timestamp ?? Math.floor(now.getTime() / 1000)),
        nonce: randomUUID(),
      }
      if (known?.clientRef) params['client-ref'] = known.clientRef
      params.sig = sign(params, r.signatureMethod, r.secret)
      const encoding = r.encoding ?? 'json'
      if (encoding === 'get')
        return sendWebhook(`${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`, {
          method: 'GET',
        })
      if (encoding === 'form') {
        return sendWebhook(url, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(params).toString(),
        })
      }
      return sendWebhook(url, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      })
    },
    sendCallEvent(url, e) {
      const known = sent.get(e.uuid)
      const body = JSON.stringify({
        from: known?.from ?? '447700900001',
        to: known?.to ?? '447700900000',
        uuid: e.uuid,
        conversation_uuid: `CON-${randomUUID()}`,
        status: e.status,
        direction: 'outbound',
        timestamp: new Date().toISOString(),
        ...e.extra,
      })
      const iat = Math.floor(Date.now() / 1000)
      const claims = {
        iat,
        jti: randomUUID(),
        iss: 'Vonage',
        payload_hash: createHash('sha256').update(body).digest('hex'),
        api_key: apiKey,
        application_id: applicationId,
      }
      const token = hs256(claims, e.secret ?? signatureSecret)
      return sendWebhook(url, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      })
    },
    close: () => server.close(),
  }
}

let keys: { privateKeyPem: string; publicKey: KeyObject } | undefined

/** One RSA key pair per test process: generating 2048-bit keys for every mock would slow tests down. */
function applicationKeys(): { privateKeyPem: string; publicKey: KeyObject } {
  if (!keys) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    keys = {
      privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey,
    }
  }
  return keys
}

function paramsOf(req: RecordedRequest): Record<string, string> {
  const out: Record<string, string> = {}
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    for (const [k, v] of Object.entries(JSON.parse(req.rawBody) as Record<string, unknown>))
      out[k] = String(v)
  } else {
    for (const [k, v] of new URLSearchParams(req.rawBody)) out[k] = v
  }
  return out
}

function problem(f: VonageHttpFailure): MockAction {
  return {
    status: f.httpStatus,
    body: {
      type: f.type ?? `https://developer.nexmo.com/api-errors#${f.httpStatus}`,
      title: f.title ?? 'Error',
      detail: f.detail ?? 'Scripted failure',
      instance: randomUUID(),
      ...(f.invalidParameters ? { invalid_parameters: f.invalidParameters } : {}),
    },
  }
}

function validAppJwt(token: string, publicKey: KeyObject, applicationId: string): boolean {
  const [h, p, s] = token.split('.')
  if (!h || !p || !s) return false
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>
  if (header.alg !== 'RS256') return false
  if (!verify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url'))) return false
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>
  const now = Date.now() / 1000
  return (
    claims.application_id === applicationId &&
    typeof claims.iat === 'number' &&
    typeof claims.jti === 'string' &&
    (typeof claims.exp !== 'number' || claims.exp > now)
  )
}

function hs256(claims: Record<string, unknown>, secret: string): string {
  const h = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`
}
