/**
 * @module Twilio adapter: SMS and WhatsApp through the Messages API, voice codes through the Calls
 * API with inline TwiML, and status callbacks checked with `X-Twilio-Signature` (providers.md §1).
 */
import { createHash, createHmac } from 'node:crypto'
import type { DeliveryOutcome } from '../outcome.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest, safeEqual } from './provider-http.js'
import { TWILIO_CALL_STATUS, TWILIO_MESSAGE_STATUS, twilioCodeInfo } from './twilio-codes.js'
import type { TwilioConfig } from './twilio-config.js'

/** TTS language per rendered locale; a locale that already names a region is used as is. */
const SAY_LANGUAGE: Readonly<Record<string, string>> = {
  en: 'en-US',
  es: 'es-ES',
  pt: 'pt-BR',
  fr: 'fr-FR',
  de: 'de-DE',
  ru: 'ru-RU',
  tr: 'tr-TR',
  zh: 'zh-CN',
  ja: 'ja-JP',
  ar: 'ar-XA',
  hi: 'hi-IN',
  vi: 'vi-VN',
  id: 'id-ID',
}

/**
 * Builds the Twilio provider.
 * @throws ProviderError from `send` (see `twilio-codes.ts` for how Twilio's codes map).
 */
export function twilio(config: TwilioConfig, deps: ProviderDeps) {
  const accountUrl = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${config.accountSid}`
  const user = config.apiKeySid ?? config.accountSid
  const password = config.apiKeySecret ?? config.authToken
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

  const create = async (resource: 'Messages' | 'Calls', form: URLSearchParams, signal: AbortSignal) => {
    const res = await providerRequest(deps.fetch, {
      url: `${accountUrl}/${resource}.json`,
      // Built by hand rather than with `form: true` so repeated parameters (StatusCallbackEvent) stay repeated.
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    })
    if (res.status !== 200 && res.status !== 201) throw twilioError(res)
    const body = asRecord(res.json)
    const sid = str(body?.sid)
    if (!sid) {
      // Twilio accepted something we cannot track; sending again risks a duplicate but not a lost code.
      throw new ProviderError({
        message: 'Twilio answered without a sid',
        retryable: true,
        outcome: 'provider_error',
        rawCode: 'BAD_RESPONSE',
        rawText: res.text.slice(0, 200),
        httpStatus: res.status,
      })
    }
    return { sid, status: str(body?.status), segments: num(body?.num_segments) }
  }

  const sendMessage = async (msg: OutgoingMessage, signal: AbortSignal): Promise<SendResult> => {
    const form = new URLSearchParams()
    if (msg.channel === 'whatsapp') {
      const from = msg.from ?? config.whatsappFrom ?? config.from
      if (!from) throw configError('No WhatsApp sender configured')
      form.set('To', withPrefix('whatsapp:', msg.to))
      form.set('From', withPrefix('whatsapp:', from))
    } else {
      form.set('To', msg.to)
      const from = msg.from ?? config.from
      if (from) form.set('From', from)
      else if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid)
      else throw configError('No SMS sender configured')
    }
    form.set('Body', msg.body)
    if (config.statusCallbackUrl) form.set('StatusCallback', config.statusCallbackUrl)
    if (config.validityPeriodSeconds !== undefined)
      form.set('ValidityPeriod', String(config.validityPeriodSeconds))
    const created = await create('Messages', form, signal)
    return { providerMessageId: created.sid, rawStatus: created.status, segments: created.segments }
  }

  const sendCall = async (msg: OutgoingMessage, signal: AbortSignal): Promise<SendResult> => {
    const from = msg.from ?? config.callFrom ?? config.from
    if (!from) throw configError('No caller ID configured for voice')
    const form = new URLSearchParams()
    form.set('To', msg.to)
    form.set('From', from)
    form.set('Twiml', twimlFor(msg, config.voice))
    if (config.statusCallbackUrl) {
      form.set('StatusCallback', config.statusCallbackUrl)
      form.set('StatusCallbackMethod', 'POST')
      // Without these Twilio only reports `completed`; `answered` is the moment the code is heard.
      for (const event of ['initiated', 'ringing', 'answered', 'completed'])
        form.append('StatusCallbackEvent', event)
    }
    if (config.callTimeoutSeconds !== undefined) form.set('Timeout', String(config.callTimeoutSeconds))
    const created = await create('Calls', form, signal)
    return { providerMessageId: created.sid, rawStatus: created.status }
  }

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'twilio', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      return msg.channel === 'call' ? sendCall(msg, opts.signal) : sendMessage(msg, opts.signal)
    },

    receipts: {
      verify: (req: InboundRequest) => verifyTwilioSignature(config.authToken, req),
      parse: (req: InboundRequest) => parseTwilioCallback(config.id, req, deps.clock.now()),
    },
  } satisfies MessageProvider
}

/** Inline TwiML that reads the body, pauses, and reads it again (a missed first digit is common). */
export function twimlFor(msg: Pick<OutgoingMessage, 'body' | 'locale'>, voice?: string): string {
  const language = msg.locale.includes('-') ? msg.locale : (SAY_LANGUAGE[msg.locale.toLowerCase()] ?? 'en-US')
  const attrs = `${voice ? ` voice="${xmlEscape(voice)}"` : ''} language="${xmlEscape(language)}"`
  const say = `<Say${attrs}>${xmlEscape(msg.body)}</Say>`
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${say}<Pause length="1"/>${say}</Response>`
}

function twilioError(res: ProviderHttpResponse): ProviderError {
  const body = asRecord(res.json)
  const rawCode = body?.code === undefined || body.code === null ? undefined : String(body.code)
  const rawText = str(body?.message) ?? (res.text.slice(0, 200) || undefined)
  const info = twilioCodeInfo(rawCode)
  if (!info) return errorForStatus(res, rawCode, rawText)
  return new ProviderError({
    message: `Twilio ${rawCode}: ${rawText ?? info.title}`,
    retryable: info.retryable,
    outcome: info.outcome,
    rawCode,
    rawText: rawText ?? info.title,
    httpStatus: res.status,
    retryAfterMs: res.retryAfterMs,
  })
}

/**
 * Checks `X-Twilio-Signature`: base64 HMAC-SHA1 (auth token) over the full URL followed by the form
 * parameters sorted by name as `name + value`. Tried with and without the default port, as Twilio's
 * own SDK does, because Twilio signs either form. JSON webhooks carry `bodySHA256` in the URL
 * instead: then only the URL is signed and the body hash is checked separately.
 */
export function verifyTwilioSignature(authToken: string, req: InboundRequest): boolean {
  const header = req.headers['x-twilio-signature']
  if (!header) return false
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    return false
  }
  const bodyHash = url.searchParams.get('bodySHA256')
  let params: Map<string, string[]>
  if (bodyHash !== null) {
    const actual = createHash('sha256').update(req.rawBody, 'utf8').digest('hex')
    if (!safeEqual(actual, bodyHash)) return false
    params = new Map()
  } else {
    params = req.method.toUpperCase() === 'GET' ? new Map() : formParams(req.rawBody)
  }
  for (const candidate of urlVariants(url)) {
    if (safeEqual(twilioSignature(authToken, candidate, params), header)) return true
  }
  return false
}

function twilioSignature(authToken: string, url: string, params: Map<string, string[]>): string {
  let data = url
  for (const name of [...params.keys()].sort()) {
    for (const value of [...new Set(params.get(name))].sort()) data += name + value
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64')
}

function urlVariants(url: URL): string[] {
  const withoutPort = new URL(url.toString())
  withoutPort.port = ''
  const variants = [url.toString(), withoutPort.toString()]
  if (!url.port) {
    const port = url.protocol === 'https:' ? ':443' : ':80'
    const auth = url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''
    variants.push(`${url.protocol}//${auth}${url.host}${port}${url.pathname}${url.search}${url.hash}`)
  }
  return [...new Set(variants)]
}

/** Reads a (verified) message or call status callback. Inbound messages yield no report. */
export function parseTwilioCallback(providerId: string, req: InboundRequest, now: number): DeliveryReport[] {
  const params =
    req.method.toUpperCase() === 'GET'
      ? new Map(Object.entries(req.query).map(([k, v]) => [k, [v ?? '']]))
      : formParams(req.rawBody)
  const get = (name: string) => params.get(name)?.[0] || undefined
  const rawCode = get('ErrorCode')
  const info = twilioCodeInfo(rawCode)

  const callSid = get('CallSid')
  const messageSid = get('MessageSid') ?? get('SmsSid')
  if (messageSid) {
    const rawStatus = get('MessageStatus') ?? get('SmsStatus')
    if (!rawStatus || rawStatus === 'received' || rawStatus === 'receiving') return []
    const base: DeliveryOutcome = TWILIO_MESSAGE_STATUS[rawStatus] ?? 'unknown'
    const failed = rawStatus === 'failed' || rawStatus === 'undelivered'
    const outcome = failed && info ? info.outcome : base
    return [
      {
        providerId,
        providerMessageId: messageSid,
        outcome,
        rawStatus,
        rawCode,
        rawText: get('ErrorMessage') ?? info?.title,
        at: now,
      },
    ]
  }
  if (callSid) {
    const rawStatus = get('CallStatus')
    if (!rawStatus) return []
    const base: DeliveryOutcome = TWILIO_CALL_STATUS[rawStatus] ?? 'unknown'
    const outcome = rawStatus === 'failed' && info ? info.outcome : base
    return [
      {
        providerId,
        providerMessageId: callSid,
        outcome,
        rawStatus,
        rawCode,
        rawText: get('ErrorMessage') ?? info?.title,
        at: now,
      },
    ]
  }
  return []
}

function formParams(raw: string): Map<string, string[]> {
  const params = new Map<string, string[]>()
  for (const [k, v] of new URLSearchParams(raw)) {
    const list = params.get(k)
    if (list) list.push(v)
    else params.set(k, [v])
  }
  return params
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

function withPrefix(prefix: string, value: string): string {
  return value.startsWith(prefix) ? value : `${prefix}${value}`
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c)
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : Number.NaN
  return Number.isFinite(n) ? n : undefined
}
