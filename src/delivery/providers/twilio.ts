/**
 * @module Twilio adapter: SMS and WhatsApp through the Messages API, voice codes through the Calls
 * API with inline TwiML, and status callbacks checked with `X-Twilio-Signature` (providers.md §1).
 */
import { createHash, createHmac } from 'node:crypto'
import { z } from 'zod'
import type { Channel } from '../../channels/channel.js'
import type { DeliveryOutcome } from '../outcome.js'
import type {
  DeliveryReport,
  InboundRequest,
  MessageProvider,
  OutgoingMessage,
  ProviderDeps,
  SendResult,
} from './provider.js'
import { ProviderError } from './provider.js'
import { errorForStatus, type ProviderHttpResponse, providerRequest, safeEqual } from './provider-http.js'
import { TWILIO_CALL_STATUS, TWILIO_MESSAGE_STATUS, twilioCodeInfo } from './twilio-codes.js'

const TWILIO_CHANNELS = ['sms', 'call', 'whatsapp'] as const satisfies readonly Channel[]

/** Twilio settings; one entry of the `providers` list in the config file. */
export const TwilioConfigSchema = z
  .object({
    type: z.literal('twilio'),
    /** Unique provider id (several Twilio accounts may be configured). @default 'twilio' */
    id: z.string().min(1).default('twilio'),
    /** `AC` + 32 hex; always the path segment, even when authenticating with an API key. */
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an Account SID (AC + 32 hex digits)'),
    /** Signs status callbacks, and authenticates requests unless an API key is given. */
    authToken: z.string().min(1),
    /** Optional API key (`SK...`) used instead of the auth token for REST calls. */
    apiKeySid: z
      .string()
      .regex(/^SK[0-9a-fA-F]{32}$/, 'expected an API key SID (SK + 32 hex digits)')
      .optional(),
    apiKeySecret: z.string().min(1).optional(),
    /** API origin; tests point it at a local mock. @default 'https://api.twilio.com' */
    baseUrl: z.url().default('https://api.twilio.com'),
    /** Default SMS sender: a Twilio number, short code or alphanumeric sender ID. */
    from: z.string().min(1).optional(),
    /** `MG...`; used when no `from` is known, so Twilio picks a sender from the pool. */
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex digits)')
      .optional(),
    /** WhatsApp sender (E.164, without the `whatsapp:` prefix). @default from */
    whatsappFrom: z.string().min(1).optional(),
    /** Caller ID for voice codes; must be a voice-capable Twilio or verified number. @default from */
    callFrom: z.string().min(1).optional(),
    /** Public URL of our receipt webhook for this provider, sent as `StatusCallback` with every message and call. */
    statusCallbackUrl: z.url().optional(),
    /** Seconds a message may wait in Twilio's queue (1-14400); a late code is useless, so keep it short. */
    validityPeriodSeconds: z.number().int().min(1).max(14_400).optional(),
    /** Seconds a voice call rings before Twilio gives up. */
    callTimeoutSeconds: z.number().int().min(5).max(600).optional(),
    /** TTS voice for `<Say>` (e.g. `Polly.Joanna`); Twilio's default voice when absent. */
    voice: z.string().min(1).optional(),
    /** @default ['sms', 'call', 'whatsapp'] */
    channels: z
      .array(z.enum(TWILIO_CHANNELS))
      .min(1)
      .default([...TWILIO_CHANNELS]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.apiKeySid === undefined) !== (c.apiKeySecret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiKeySecret'],
        message: 'apiKeySid and apiKeySecret go together',
      })
    }
    if (c.channels.includes('sms') && !c.from && !c.messagingServiceSid) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: 'sms needs a default from or a messagingServiceSid',
      })
    }
    if (c.channels.includes('call') && !c.callFrom && !c.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['callFrom'],
        message: 'call needs callFrom (or from) set to a voice-capable number',
      })
    }
    if (c.channels.includes('whatsapp') && !c.whatsappFrom && !c.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['whatsappFrom'],
        message: 'whatsapp needs whatsappFrom (or from)',
      })
    }
  })

/** Validated Twilio settings, defaults applied. */
export type TwilioConfig = z.output<typeof TwilioConfigSchema>

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

  return {
    id: config.id,
    type: 'twilio',
    channels: config.channels,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      if (!(config.channels as readonly Channel[]).includes(msg.channel)) {
        throw new ProviderError({
          message: `Twilio provider "${config.id}" does not serve ${msg.channel}`,
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'CHANNEL_UNSUPPORTED',
        })
      }
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
  if (!info) return errorForStatus(res.status, rawCode, rawText)
  return new ProviderError({
    message: `Twilio ${rawCode}: ${rawText ?? info.title}`,
    retryable: info.retryable,
    outcome: info.outcome,
    rawCode,
    rawText: rawText ?? info.title,
    httpStatus: res.status,
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
