/** @module AppError: the single error type the HTTP layer turns into the public envelope. */
import { ERROR_CODES, type ErrorCode } from './codes.js'

export interface AppErrorOptions {
  /** Public, person-readable message. Defaults to the catalog title. */
  message?: string
  /** Public extra fields merged into the error body (e.g. `retry_after`, `limit`, `suggestion`). */
  details?: Record<string, unknown>
  /** Internal context, logged but never returned. */
  cause?: unknown
  /** Response headers to add (e.g. `Retry-After`). */
  headers?: Record<string, string>
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly details: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    super(
      opts.message ?? ERROR_CODES[code].title,
      opts.cause === undefined ? undefined : { cause: opts.cause },
    )
    this.name = 'AppError'
    this.code = code
    this.status = ERROR_CODES[code].status
    this.details = opts.details ?? {}
    this.headers = opts.headers ?? {}
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError
}

/** Rate-limit refusal: always says which limit and when to retry. */
export function rateLimited(
  code: Extract<ErrorCode, 'RATE_LIMITED' | 'MAX_SENDS_REACHED' | 'MAX_CHECK_ATTEMPTS_REACHED'>,
  limit: string,
  retryAfterMs: number,
  message: string,
  extra: Record<string, unknown> = {},
): AppError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new AppError(code, {
    message,
    details: { limit, retry_after: retryAfter, ...extra },
    headers: { 'retry-after': String(retryAfter) },
  })
}
