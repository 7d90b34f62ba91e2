/**
 * @module Twilio's legacy error body `{code, message, more_info, status}` and the translation of
 * verigate's errors into Twilio's codes. The body never carries `type`/`title`: with those the SDK
 * throws `TwilioServiceException` instead of `RestException` and loses `moreInfo`.
 */
import type { FastifyError } from 'fastify'
import { AppError } from '../errors/app-error.js'
import { asDependencyUnavailable } from '../health/dependency-errors.js'

/** What an SDK reads from an error answer. `details` becomes `RestException.details`. */
export interface TwilioErrorBody {
  code: number
  message: string
  more_info: string
  status: number
  details?: Record<string, unknown>
}

/** An error answered in Twilio's shape. `status` is the HTTP status and the body's `status`. */
export class TwilioError extends Error {
  readonly status: number
  readonly code: number
  readonly details: Record<string, unknown> | undefined
  readonly headers: Record<string, string>

  constructor(
    status: number,
    code: number,
    message: string,
    opts: {
      details?: Record<string, unknown> | undefined
      headers?: Record<string, string>
      cause?: unknown
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'TwilioError'
    this.status = status
    this.code = code
    this.details = opts.details
    this.headers = opts.headers ?? {}
  }

  body(): TwilioErrorBody {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...(this.details ? { details: this.details } : {}),
    }
  }
}

/** 400 / 60200 "Invalid parameter: <Name>", as Twilio names the first bad parameter. */
export function invalidParameter(name: string, why?: string): TwilioError {
  return new TwilioError(
    400,
    60200,
    `Invalid parameter: ${name}`,
    why ? { details: { parameter: name, reason: why } } : {},
  )
}

/** 404 / 20404 with Twilio's wording; `resource` is the path after `/v2`, e.g. `/Services/VA…`. */
export function notFound(resource: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${resource} was not found`)
}

/**
 * 403 / 60204 "Service does not support this feature": a parameter for a feature the service has
 * not enabled (`CustomCode` without `CustomCodeEnabled`, `Amount` without `Psd2Enabled`).
 */
export function featureNotEnabled(parameter: string): TwilioError {
  return new TwilioError(403, 60204, 'Service does not support this feature', { details: { parameter } })
}

/** 429 / 60202: the verification's check attempts are used up. */
export function maxCheckAttempts(details?: Record<string, unknown>): TwilioError {
  return new TwilioError(429, 60202, 'Max check attempts reached', details ? { details } : {})
}

/** 401 / 20003: bad, unknown, revoked or mismatched credentials (one answer for all). */
export function authenticate(): TwilioError {
  return new TwilioError(401, 20003, 'Authenticate', {
    headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
  })
}

/** 429 / 20429: a rate limit that is not one of Verify's own send/check limits. */
export function tooManyRequests(retryAfterSeconds: number, details?: Record<string, unknown>): TwilioError {
  return new TwilioError(429, 20429, 'Too Many Requests', {
    details,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  })
}

// verigate's per-verification and per-destination limits, by the Twilio code Twilio uses for them.
const SEND_LIMITS = new Set(['max_sends', 'sends_per_destination'])
const CHECK_LIMITS = new Set(['max_check_attempts', 'checks_per_destination'])

/**
 * Translates a verigate `AppError` into Twilio's code for the same situation. `resource` names the
 * requested path for 20404 answers. The verigate code and message travel in `details` (which the SDK
 * exposes as `err.details`), so the reason is never lost in translation.
 */
export function fromAppError(err: AppError, resource: string): TwilioError {
  const details = { verigate_code: err.code, verigate_message: err.message }
  const headers = err.headers
  const field = typeof err.details.field === 'string' ? err.details.field : undefined
  switch (err.code) {
    case 'UNAUTHORIZED':
      return authenticate()
    case 'FORBIDDEN':
      return new TwilioError(403, 20403, 'Forbidden', { details })
    case 'PHONE_NUMBER_INVALID':
    case 'EMAIL_INVALID':
      return new TwilioError(400, 60200, 'Invalid parameter: To', { details })
    case 'PHONE_NUMBER_NOT_SMS_CAPABLE':
      // Twilio's page for 60205 gives HTTP 403.
      return new TwilioError(403, 60205, 'SMS is not supported by landline phone number', { details })
    case 'CHANNEL_NOT_ALLOWED':
    case 'CHANNEL_UNAVAILABLE':
      return new TwilioError(400, 60223, 'Delivery channel disabled', { details })
    case 'COUNTRY_NOT_ALLOWED':
      return new TwilioError(403, 60605, 'Verification delivery attempt blocked: geo permissions', {
        details,
      })
    case 'FRAUD_SUSPECTED':
      return new TwilioError(403, 60410, 'Verification delivery attempt blocked: suspected fraud', {
        details,
        headers,
      })
    case 'CODE_MALFORMED':
      return new TwilioError(400, 60200, 'Invalid parameter: Code', { details })
    case 'SERVICE_NOT_FOUND':
    case 'VERIFICATION_NOT_FOUND':
    case 'VERIFICATION_NOT_PENDING':
    case 'VERIFICATION_EXPIRED':
    case 'ROUTE_NOT_FOUND':
      // Twilio deletes a verification once approved, canceled, expired or exhausted: later calls 404.
      return new TwilioError(404, 20404, `The requested resource ${resource} was not found`, { details })
    case 'MAX_CHECK_ATTEMPTS_REACHED':
      return new TwilioError(429, 60202, 'Max check attempts reached', { details, headers })
    case 'MAX_SENDS_REACHED':
      return new TwilioError(429, 60203, 'Max send attempts reached', { details, headers })
    case 'RATE_LIMITED': {
      const limit = String(err.details.limit ?? '')
      if (SEND_LIMITS.has(limit))
        return new TwilioError(429, 60203, 'Max send attempts reached', { details, headers })
      if (CHECK_LIMITS.has(limit))
        return new TwilioError(429, 60202, 'Max check attempts reached', { details, headers })
      return new TwilioError(429, 20429, 'Too Many Requests', { details, headers })
    }
    case 'VALIDATION_FAILED':
    case 'BODY_MALFORMED':
      return new TwilioError(400, 60200, field ? `Invalid parameter: ${field}` : 'Invalid parameter', {
        details,
      })
    case 'BODY_TOO_LARGE':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return new TwilioError(err.status, 60200, 'Invalid parameter', { details })
    case 'SERVICE_UNAVAILABLE':
    case 'PROVIDER_UNAVAILABLE': {
      // Which dependency is away (`postgres`, `redis`), when verigate knows.
      const dependency =
        typeof err.details.dependency === 'string' ? { dependency: err.details.dependency } : {}
      return new TwilioError(503, 20503, 'Service Unavailable', {
        details: { ...details, ...dependency },
        headers,
      })
    }
    default:
      if (err.status === 404) return notFound(resource)
      if (err.status >= 500) return new TwilioError(500, 20500, 'Internal Server Error')
      return new TwilioError(
        err.status === 409 || err.status === 422 ? 400 : err.status,
        60200,
        'Invalid parameter',
        { details },
      )
  }
}

/** Fastify's own request errors (body parsing, size, media type) in Twilio's shape. */
export function fromFrameworkError(err: FastifyError): TwilioError | undefined {
  const status = err.statusCode
  if (status === undefined || status < 400 || status >= 500) return undefined
  if (status === 404) return undefined
  return new TwilioError(status === 413 || status === 415 ? status : 400, 60200, 'Invalid parameter', {
    details: { reason: err.message },
  })
}

/**
 * Any thrown value as a Twilio error; unknown ones become a 500 (logged by the caller). A dependency
 * outage is a 503 (20503) with `Retry-After`, expected rather than a bug: the outage itself is
 * logged once where it is detected.
 */
export function toTwilioError(err: unknown, resource: string): { error: TwilioError; unexpected: boolean } {
  if (err instanceof TwilioError) return { error: err, unexpected: false }
  const outage = asDependencyUnavailable(err)
  if (outage) return { error: fromAppError(outage, resource), unexpected: false }
  if (err instanceof AppError)
    return { error: fromAppError(err, resource), unexpected: err.status >= 500 && err.status !== 503 }
  const framework =
    typeof err === 'object' && err !== null ? fromFrameworkError(err as FastifyError) : undefined
  if (framework) return { error: framework, unexpected: false }
  return { error: new TwilioError(500, 20500, 'Internal Server Error'), unexpected: true }
}
