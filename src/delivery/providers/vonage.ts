/**
 * @module Vonage (Nexmo) adapter: SMS through the SMS API, voice codes through the Voice API with a
 * `talk` NCCO (JWT signed RS256 with the application's private key), and receipts checked with the
 * account's signature secret: the `sig` parameter on SMS delivery receipts, the HS256 JWT on Voice
 * events (providers.md §2).
 */
import { createHash, createHmac, createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto'
import { isGsm7 } from '../gsm7.js'
import type { DeliveryOutcome } from '../outcome.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  ReceiptWebhook,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest, safeEqual } from './provider-http.js'
import { VONAGE_CALL_STATUS, VONAGE_DLR_ERROR, VONAGE_DLR_STATUS, vonageSubmitInfo } from './vonage-codes.js'
import type { VonageConfig, VonageSignatureMethod } from './vonage-config.js'

/** TTS language per rendered locale (Vonage's language codes); a locale with a region is used as is. */
const TALK_LANGUAGE: Readonly<Record<string, string>> = {
  en: 'en-US',
  es: 'es-ES',
  pt: 'pt-BR',
  fr: 'fr-FR',
  de: 'de-DE',
  ru: 'ru-RU',
  tr: 'tr-TR',
  zh: 'cmn-CN',
  ja: 'ja-JP',
  ar: 'ar',
  hi: 'hi-IN',
  vi: 'vi-VN',
  id: 'id-ID',
}

/**
 * Builds the Vonage provider.
 * @throws Error at build time when the configured private key cannot be read.
 * @throws ProviderError from `send` (see `vonage-codes.ts`).
 */
export function vonage(config: VonageConfig, deps: ProviderDeps) {
  const smsUrl = `${config.baseUrl.replace(/\/+$/, '')}/sms/json`
  const callsUrl = `${config.voiceBaseUrl.replace(/\/+$/, '')}/v1/calls`
  // Parsed once at boot so a malformed key fails startup, not the first voice code.
  const privateKey: KeyObject | undefined = config.privateKey
    ? createPrivateKey(config.privateKey.replace(/\\n/g, '\n'))
    : undefined
  const toleranceMs = config.signatureToleranceSeconds * 1000

  const sendSms = async (msg: OutgoingMessage, signal: AbortSignal): Promise<SendResult> => {
    const from = msg.from ?? config.from
    if (!from) throw configError('No SMS sender configured')
    const form: Record<string, string | undefined> = {
      api_key: config.apiKey,
      api_secret: config.apiSecret,
      from: digitsIfNumber(from),
      to: digits(msg.to),
      text: msg.body,
      // Vonage sends GSM-7 unless told otherwise, which would mangle non-Latin text.
      type: isGsm7(msg.body) ? undefined : 'unicode',
      callback: config.dlrUrl,
      // Echoed in every DLR; Vonage caps it at 40 characters.
      'client-ref': msg.attemptKey.slice(0, 40),
      ttl: config.ttlMs === undefined ? undefined : String(config.ttlMs),
    }
    const res = await providerRequest(deps.fetch, { url: smsUrl, body: form, form: true, signal })
    if (res.status !== 200) throw errorForStatus(res, undefined, res.text.slice(0, 200) || undefined)
    const messages = asArray(asRecord(res.json)?.messages).map(asRecord)
    if (messages.length === 0) {
      throw new ProviderError({
        message: 'Vonage answered without messages',
        retryable: true,
        outcome: 'provider_error',
        rawCode: 'BAD_RESPONSE',
        rawText: res.text.slice(0, 200),
        httpStatus: 200,
      })
    }
    // HTTP 200 even on failure: each part carries its own status.
    for (const m of messages) {
      const status = str(m?.status) ?? ''
      if (status === '0') continue
      const errorText = str(m?.['error-text'])
      const info = vonageSubmitInfo(status, errorText)
      throw new ProviderError({
        message: `Vonage status ${status}: ${errorText ?? info.title}`,
        retryable: info.retryable,
        outcome: info.outcome,
        rawCode: status,
        rawText: errorText ?? info.title,
        httpStatus: 200,
      })
    }
    const first = str(messages[0]?.['message-id'])
    if (!first)
      throw new ProviderError({
        message: 'Vonage answered without a message-id',
        retryable: true,
        outcome: 'provider_error',
        rawCode: 'BAD_RESPONSE',
        httpStatus: 200,
      })
    // A long text is several parts with their own ids and DLRs; the first part identifies the message.
    return { providerMessageId: first, rawStatus: '0', segments: messages.length }
  }

  const sendCall = async (msg: OutgoingMessage, signal: AbortSignal): Promise<SendResult> => {
    const from = msg.from ?? config.callFrom ?? config.from
    if (!from || !privateKey || !config.applicationId)
      throw configError('Voice needs applicationId, privateKey and a caller ID')
    const res = await providerRequest(deps.fetch, {
      url: callsUrl,
      headers: { authorization: `Bearer ${voiceJwt(config.applicationId, privateKey, deps.clock.now())}` },
      body: {
        to: [{ type: 'phone', number: digits(msg.to) }],
        from: { type: 'phone', number: digits(from) },
        ncco: nccoFor(msg),
        ...(config.eventUrl ? { event_url: [config.eventUrl], event_method: 'POST' } : {}),
      },
      signal,
    })
    if (res.status !== 200 && res.status !== 201) throw voiceError(res)
    const body = asRecord(res.json)
    const uuid = str(body?.uuid)
    if (!uuid)
      throw new ProviderError({
        message: 'Vonage answered without a call uuid',
        retryable: true,
        outcome: 'provider_error',
        rawCode: 'BAD_RESPONSE',
        rawText: res.text.slice(0, 200),
        httpStatus: res.status,
      })
    return { providerMessageId: uuid, rawStatus: str(body?.status) }
  }

  const secret = config.signatureSecret
  // Without the signature secret nothing proves a receipt came from Vonage, so none are taken.
  const receipts: ReceiptWebhook | undefined = secret
    ? {
        verify: (req: InboundRequest) => {
          const now = deps.clock.now()
          const auth = req.headers.authorization
          if (auth?.startsWith('Bearer '))
            return verifyVonageJwt(secret, auth.slice(7).trim(), req.rawBody, now, toleranceMs)
          return verifyVonageSig(secret, config.signatureMethod, vonageParams(req), now, toleranceMs)
        },
        parse: (req: InboundRequest) => parseVonageCallback(config.id, req, deps.clock.now()),
      }
    : undefined

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'vonage', channels: config.channels } as const

  return {
    ...identity,
    receipts,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      return msg.channel === 'call' ? sendCall(msg, opts.signal) : sendSms(msg, opts.signal)
    },
  } satisfies MessageProvider
}

/** The NCCO for a voice code: one `talk` action in the locale's voice, said twice. */
export function nccoFor(msg: Pick<OutgoingMessage, 'body' | 'locale'>): Array<Record<string, unknown>> {
  const language = msg.locale.includes('-')
    ? msg.locale
    : (TALK_LANGUAGE[msg.locale.toLowerCase()] ?? 'en-US')
  return [{ action: 'talk', text: msg.body, language, loop: 2 }]
}

/** An application JWT for the Voice API (RS256; `application_id`, `iat`, `jti`, `exp` claims). */
export function voiceJwt(applicationId: string, privateKey: KeyObject, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000)
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
  const payload = base64url(
    JSON.stringify({ application_id: applicationId, iat, exp: iat + 900, jti: randomUUID() }),
  )
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')
  return `${header}.${payload}.${signature}`
}

function voiceError(res: ProviderHttpResponse): ProviderError {
  const body = asRecord(res.json)
  const title = str(body?.title)
  const detail = str(body?.detail)
  const rawText = [title, detail].filter(Boolean).join(': ') || res.text.slice(0, 200) || undefined
  // Vonage's problem documents name the error in the `type` URL fragment (…/api-errors#unauthorized).
  const rawCode = str(body?.type)?.split('#')[1] ?? String(res.status)
  const invalid = asArray(body?.invalid_parameters).map((p) => str(asRecord(p)?.name))
  if (res.status === 400 && (invalid.includes('to') || invalid.some((n) => n?.startsWith('to[')))) {
    return new ProviderError({
      message: `Vonage: ${rawText}`,
      retryable: false,
      outcome: 'invalid_number',
      rawCode,
      rawText,
      httpStatus: 400,
    })
  }
  return errorForStatus(res, rawCode, rawText)
}

/**
 * Checks an SMS API webhook `sig` (providers.md §2.4): all parameters but `sig`, sorted by name,
 * `&` and `=` in values replaced by `_`, joined as `&k=v&k2=v2`; `md5hash` appends the secret and
 * MD5s it, the other methods are HMACs keyed with the secret. Compared case-insensitively, in
 * constant time. `timestamp` (Unix seconds) must be within the tolerance.
 */
export function verifyVonageSig(
  secret: string,
  method: VonageSignatureMethod,
  params: Readonly<Record<string, string>>,
  nowMs: number,
  toleranceMs: number,
): boolean {
  const sig = params.sig
  const timestamp = Number(params.timestamp)
  if (!sig || !Number.isFinite(timestamp) || Math.abs(nowMs - timestamp * 1000) > toleranceMs) return false
  return safeEqual(vonageSignature(secret, method, params), sig.toLowerCase())
}

/** The hex `sig` Vonage computes for these parameters (`sig` itself is left out). */
export function vonageSignature(
  secret: string,
  method: VonageSignatureMethod,
  params: Readonly<Record<string, string>>,
): string {
  const base = Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `&${k}=${(params[k] ?? '').replace(/[&=]/g, '_')}`)
    .join('')
  if (method === 'md5hash')
    return createHash('md5')
      .update(base + secret, 'utf8')
      .digest('hex')
  return createHmac(method, secret).update(base, 'utf8').digest('hex')
}

/**
 * Checks the `Authorization: Bearer` JWT on Voice (and Messages) webhooks: HS256 with the signature
 * secret, and `payload_hash` (hex SHA-256 of the raw body) so the body cannot be swapped.
 */
export function verifyVonageJwt(
  secret: string,
  token: string,
  rawBody: string,
  nowMs: number,
  toleranceMs: number,
): boolean {
  const parts = token.split('.')
  if (parts.length !== 3) return false
  const [h, p, s] = parts as [string, string, string]
  const header = asRecord(parseJson(Buffer.from(h, 'base64url').toString('utf8')))
  if (header?.alg !== 'HS256') return false
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')
  if (!safeEqual(expected, s)) return false
  const claims = asRecord(parseJson(Buffer.from(p, 'base64url').toString('utf8')))
  if (!claims) return false
  const now = nowMs / 1000
  if (typeof claims.exp === 'number' && now > claims.exp + toleranceMs / 1000) return false
  if (typeof claims.iat === 'number' && Math.abs(now - claims.iat) > toleranceMs / 1000) return false
  const hash = str(claims.payload_hash)
  // A token that does not cover a non-empty body says nothing about that body.
  if (rawBody !== '' && !hash) return false
  return (
    hash === undefined ||
    safeEqual(createHash('sha256').update(rawBody, 'utf8').digest('hex'), hash.toLowerCase())
  )
}

/** The webhook's parameters: a JSON body, a form body, or the query string of a GET. */
function vonageParams(req: InboundRequest): Record<string, string> {
  const out: Record<string, string> = {}
  const body = req.rawBody.trim()
  if (body.startsWith('{')) {
    for (const [k, v] of Object.entries(asRecord(parseJson(body)) ?? {})) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v)
    }
  } else if (body !== '' && req.method.toUpperCase() !== 'GET') {
    for (const [k, v] of new URLSearchParams(body)) out[k] = v
  } else {
    for (const [k, v] of Object.entries(req.query)) if (v !== undefined) out[k] = v
  }
  return out
}

/** Reads a (verified) SMS delivery receipt or Voice event. Inbound SMS and non-status events yield nothing. */
export function parseVonageCallback(providerId: string, req: InboundRequest, now: number): DeliveryReport[] {
  const p = vonageParams(req)
  const messageId = p.messageId
  if (messageId) {
    const rawStatus = p.status
    if (!rawStatus) return []
    const rawCode = p['err-code']
    const failed = rawStatus === 'failed' || rawStatus === 'rejected'
    const info = failed && rawCode && rawCode !== '0' ? VONAGE_DLR_ERROR[rawCode] : undefined
    const outcome: DeliveryOutcome = info?.outcome ?? VONAGE_DLR_STATUS[rawStatus] ?? 'unknown'
    return [
      {
        providerId,
        providerMessageId: messageId,
        outcome,
        rawStatus,
        rawCode,
        rawText: info?.title,
        at: now,
      },
    ]
  }
  const uuid = p.uuid
  const rawStatus = p.status
  if (uuid && rawStatus && Object.hasOwn(VONAGE_CALL_STATUS, rawStatus)) {
    const at = p.timestamp ? Date.parse(p.timestamp) : Number.NaN
    return [
      {
        providerId,
        providerMessageId: uuid,
        outcome: VONAGE_CALL_STATUS[rawStatus] ?? 'unknown',
        rawStatus,
        rawCode: p.detail,
        at: Number.isFinite(at) ? at : now,
      },
    ]
  }
  return []
}

function configError(text: string): ProviderError {
  return new ProviderError({
    message: text,
    retryable: false,
    outcome: 'provider_error',
    rawCode: 'CONFIG',
    rawText: text,
  })
}

/** Vonage wants numbers as bare digits (no `+`). */
function digits(number: string): string {
  return number.replace(/\D/g, '')
}

/** A sender that is a phone number loses its `+` and spaces; an alphanumeric sender ID is kept. */
function digitsIfNumber(from: string): string {
  return /^\+?[\d\s]+$/.test(from) ? digits(from) : from
}

function base64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url')
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : []
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
}
