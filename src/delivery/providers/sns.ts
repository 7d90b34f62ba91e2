/**
 * @module AWS SNS SMS adapter: `Publish` to a phone number over the SNS Query API (form POST, XML
 * answers), signed with AWS Signature Version 4 using node:crypto, without the AWS SDK.
 *
 * SNS has no per-message delivery receipt webhook: delivery status exists only as CloudWatch Logs
 * entries ("SMS delivery status logging"), so this adapter reports acceptance only and has no `receipts`.
 */
import { createHash, createHmac } from 'node:crypto'
import type { DeliveryOutcome } from '../outcome.js'
import type { MessageProvider, OutgoingMessage, ProviderDeps, SendResult } from './provider.js'
import { assertServes, ProviderError } from './provider.js'
import { errorForStatus, providerRequest } from './provider-http.js'
import type { SnsConfig } from './sns-config.js'

/** SNS error codes (the Query API `Code`, without the SDK's `Exception` suffix) and what they mean for a send. */
const SNS_ERRORS: Readonly<
  Record<string, { readonly outcome: DeliveryOutcome; readonly retryable: boolean }>
> = {
  Throttling: { outcome: 'provider_throttled', retryable: true },
  Throttled: { outcome: 'provider_throttled', retryable: true },
  ThrottlingException: { outcome: 'provider_throttled', retryable: true },
  KMSThrottling: { outcome: 'provider_throttled', retryable: true },
  InternalError: { outcome: 'provider_error', retryable: true },
  InternalFailure: { outcome: 'provider_error', retryable: true },
  ServiceUnavailable: { outcome: 'provider_error', retryable: true },
  // The date stamp was more than 15 minutes off; the next attempt is signed afresh.
  RequestExpired: { outcome: 'provider_error', retryable: true },
  OptedOut: { outcome: 'opted_out', retryable: false },
  InvalidParameter: { outcome: 'provider_error', retryable: false },
  InvalidParameterValue: { outcome: 'provider_error', retryable: false },
  ValidationError: { outcome: 'provider_error', retryable: false },
  AuthorizationError: { outcome: 'provider_error', retryable: false },
  InvalidClientTokenId: { outcome: 'provider_error', retryable: false },
  SignatureDoesNotMatch: { outcome: 'provider_error', retryable: false },
  IncompleteSignature: { outcome: 'provider_error', retryable: false },
  MissingAuthenticationToken: { outcome: 'provider_error', retryable: false },
  ExpiredToken: { outcome: 'provider_error', retryable: false },
  AccessDenied: { outcome: 'provider_error', retryable: false },
  InvalidSecurity: { outcome: 'provider_error', retryable: false },
  OptInRequired: { outcome: 'provider_error', retryable: false },
  EndpointDisabled: { outcome: 'provider_error', retryable: false },
  NotFound: { outcome: 'provider_error', retryable: false },
}

/**
 * Builds the SNS adapter. `send` publishes one SMS with `AWS.SNS.SMS.SMSType` and the sender attributes;
 * throttling, 5xx, expired signatures and timeouts are retryable, `OptedOut` is `opted_out`, an
 * `InvalidParameter` about the phone number is `invalid_number`, credential errors are final. SNS has no
 * client reference field, so `msg.attemptKey` is not sent. No `receipts`: see the module comment.
 */
export function sns(config: SnsConfig, deps: ProviderDeps) {
  const endpoint = new URL(config.baseUrl ?? `https://sns.${config.region}.amazonaws.com/`)

  // What the provider is, shared by the object and its channel check.
  const identity = { id: config.id, type: 'sns', channels: config.channels } as const

  return {
    ...identity,

    async send(msg: OutgoingMessage, opts: { signal: AbortSignal }): Promise<SendResult> {
      assertServes(identity, msg.channel)
      const params = new URLSearchParams({
        Action: 'Publish',
        Version: '2010-03-31',
        PhoneNumber: msg.to,
        Message: msg.body,
      })
      const attributes: Array<[string, string]> = [['AWS.SNS.SMS.SMSType', config.smsType]]
      const from = msg.from ?? config.from
      if (from?.startsWith('+')) attributes.push(['AWS.MM.SMS.OriginationNumber', from])
      else if (from) attributes.push(['AWS.SNS.SMS.SenderID', from])
      if (config.maxPriceUsd !== undefined)
        attributes.push(['AWS.SNS.SMS.MaxPrice', config.maxPriceUsd.toFixed(5)])
      if (config.entityId) attributes.push(['AWS.MM.SMS.EntityId', config.entityId])
      if (config.templateId) attributes.push(['AWS.MM.SMS.TemplateId', config.templateId])
      attributes.forEach(([name, value], i) => {
        const prefix = `MessageAttributes.entry.${i + 1}`
        params.append(`${prefix}.Name`, name)
        params.append(`${prefix}.Value.DataType`, 'String')
        params.append(`${prefix}.Value.StringValue`, value)
      })
      const body = params.toString()
      const headers = signV4({
        method: 'POST',
        url: endpoint,
        body,
        contentType: 'application/x-www-form-urlencoded; charset=utf-8',
        region: config.region,
        service: 'sns',
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        sessionToken: config.sessionToken,
        now: deps.clock.now(),
      })

      const res = await providerRequest(deps.fetch, {
        url: endpoint.toString(),
        headers: { ...headers, accept: 'text/xml' },
        body,
        signal: opts.signal,
      })
      if (res.status < 200 || res.status >= 300) {
        const code = xmlValue(res.text, 'Code')
        const text = xmlValue(res.text, 'Message')
        const known = code !== undefined ? SNS_ERRORS[code] : undefined
        if (!known) throw errorForStatus(res, code, text ?? (res.text.slice(0, 500) || undefined))
        const badNumber = /^InvalidParameter(Value)?$/.test(code ?? '') && /PhoneNumber/i.test(text ?? '')
        throw new ProviderError({
          message: text ?? code ?? `SNS answered HTTP ${res.status}`,
          retryable: known.retryable,
          outcome: badNumber ? 'invalid_number' : known.outcome,
          rawCode: code,
          rawText: text,
          httpStatus: res.status,
          retryAfterMs: res.retryAfterMs,
        })
      }
      const messageId = xmlValue(res.text, 'MessageId')
      if (!messageId) {
        // Accepted but unreadable: not retryable, because the message may well be on its way.
        throw new ProviderError({
          message: 'SNS answered without a MessageId',
          retryable: false,
          outcome: 'provider_error',
          rawCode: 'BAD_RESPONSE',
          rawText: res.text.slice(0, 500),
          httpStatus: res.status,
        })
      }
      return { providerMessageId: messageId, rawStatus: 'Published' }
    },
  } satisfies MessageProvider
}

/** What `signV4` signs. */
interface SignV4Request {
  readonly method: string
  readonly url: URL
  readonly body: string
  readonly contentType: string
  readonly region: string
  readonly service: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  /** Milliseconds since epoch; becomes `X-Amz-Date`. */
  readonly now: number
}

/**
 * AWS Signature Version 4: returns the headers to send
 * (`Authorization`, `X-Amz-Date`, `Content-Type`, and `X-Amz-Security-Token` for temporary credentials).
 * `Host` is signed but not returned: fetch sets it from the URL, to the same value.
 */
export function signV4(req: SignV4Request): Record<string, string> {
  const amzDate = new Date(req.now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const day = amzDate.slice(0, 8)
  const signed: Record<string, string> = {
    'content-type': req.contentType,
    host: req.url.host,
    'x-amz-date': amzDate,
  }
  if (req.sessionToken) signed['x-amz-security-token'] = req.sessionToken
  const names = Object.keys(signed).sort()
  const canonicalRequest = [
    req.method,
    req.url.pathname || '/',
    canonicalQuery(req.url),
    ...names.map((n) => `${n}:${signed[n]!.trim()}`),
    '',
    names.join(';'),
    sha256Hex(req.body),
  ].join('\n')
  const scope = `${day}/${req.region}/${req.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  let key = hmac(`AWS4${req.secretAccessKey}`, day)
  for (const part of [req.region, req.service, 'aws4_request']) key = hmac(key, part)
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')

  const headers: Record<string, string> = {
    'content-type': req.contentType,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${req.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  }
  if (req.sessionToken) headers['x-amz-security-token'] = req.sessionToken
  return headers
}

/** Query parameters sorted by encoded name, then value, each RFC 3986-encoded (SigV4's canonical form). */
function canonicalQuery(url: URL): string {
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return [...url.searchParams]
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex')
}

/** The text of the first `<tag>` element; SNS answers are small and flat, so no XML parser is needed. */
function xmlValue(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)
  if (!m) return undefined
  return m[1]!
    .trim()
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}
