/**
 * @module Recognises the errors that mean "a dependency is unreachable" (as opposed to a bad query
 * or a bug) and turns them into the one 503 answer: `SERVICE_UNAVAILABLE` with `Retry-After` and
 * `dependency` naming what failed. Error shapes are read structurally (SQLSTATE, system error code,
 * the drivers' fixed messages), so this module needs neither `pg` nor `ioredis`.
 */
import { AppError } from '../errors/app-error.js'

/** What a failure says about PostgreSQL. */
export type PostgresFailure =
  /** Nothing answers (refused, no route, connect or read timeout, starting up or shutting down). */
  | 'unreachable'
  /** This connection died (terminated by an administrator, a restart, a network reset). */
  | 'lost'
  /** PostgreSQL answered but could not serve now (statement timeout, no free connection). */
  | 'busy'

const UNREACHABLE_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
])
const LOST_SYSTEM_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

// Messages of pg and pg-pool's own errors, which carry no code.
const PG_MESSAGES: ReadonlyArray<readonly [string, PostgresFailure]> = [
  ['Query read timeout', 'unreachable'],
  ['Connection terminated due to connection timeout', 'unreachable'],
  ['timeout exceeded when trying to connect', 'busy'],
  ['Connection terminated', 'lost'],
  ['is not queryable', 'lost'],
]

/**
 * Classifies an error thrown by pg, pg-pool or a PostgreSQL server; `undefined` for anything that
 * is not about reaching the database (constraint violations, syntax errors, bugs).
 */
export function classifyPostgresError(err: unknown): PostgresFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  if (err instanceof AggregateError) {
    // `localhost` resolves to ::1 and 127.0.0.1; a refused connect reports both.
    for (const inner of err.errors) {
      const failure = classifyPostgresError(inner)
      if (failure) return failure
    }
    return undefined
  }
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (UNREACHABLE_SYSTEM_CODES.has(code)) return 'unreachable'
    if (LOST_SYSTEM_CODES.has(code)) return 'lost'
    // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention.
    if (code === '57P03') return 'unreachable' // cannot_connect_now: starting up, shutting down, recovering
    if (code === '57P01' || code === '57P02' || code === '25P03') return 'lost' // terminated, crash, idle in transaction
    if (code === '57014' || code.startsWith('53')) return 'busy' // statement timeout, too many connections
    if (code.startsWith('08')) return 'lost'
  }
  const message = (err as { message?: unknown }).message
  if (typeof message === 'string') {
    for (const [text, failure] of PG_MESSAGES) if (message.includes(text)) return failure
  }
  const cause = (err as { cause?: unknown }).cause
  return cause !== undefined && cause !== err ? classifyPostgresError(cause) : undefined
}

// ioredis's errors when a command cannot reach Redis; a Redis reply error (WRONGTYPE...) is not one.
const REDIS_MESSAGES = [
  'Command timed out',
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
  'Redis connection is not ready',
]

/** True for ioredis's "could not reach Redis" errors. */
export function isRedisUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false
  const { name, code, message } = err as { name?: unknown; code?: unknown; message?: unknown }
  if (name === 'MaxRetriesPerRequestError') return true
  if (typeof code === 'string' && (UNREACHABLE_SYSTEM_CODES.has(code) || LOST_SYSTEM_CODES.has(code)))
    return true
  return typeof message === 'string' && REDIS_MESSAGES.some((m) => message.includes(m))
}

/** The backends a 503 can name in its `dependency` field. */
export type UnavailableBackend = 'postgres' | 'redis'

const MESSAGES: Record<UnavailableBackend, string> = {
  postgres: 'The database (PostgreSQL) is not answering; retry in a few seconds.',
  redis: 'Redis is not answering; retry in a few seconds.',
}

/**
 * The 503 for a request that could not be served because `backend` failed. `cause` is logged,
 * never returned.
 * @param retryAfterSeconds what `Retry-After` advises @default 2
 */
export function dependencyUnavailable(
  backend: UnavailableBackend,
  cause?: unknown,
  retryAfterSeconds = 2,
): AppError {
  return new AppError('SERVICE_UNAVAILABLE', {
    message: MESSAGES[backend],
    details: { dependency: backend, retry_after: retryAfterSeconds },
    headers: { 'retry-after': String(retryAfterSeconds) },
    cause,
  })
}

/**
 * The 503 for an error that escaped its adapter untranslated (a driver error reaching the HTTP
 * layer), or `undefined` when `err` is not about an unreachable dependency. Only errors that can
 * come from nothing else count: a bare ECONNREFUSED could be a provider's, so it is not blamed on
 * the database.
 */
export function asDependencyUnavailable(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || err instanceof AppError) return undefined
  const { code, severity, message, name } = err as Record<string, unknown>
  const fromPostgresServer = typeof severity === 'string' && typeof code === 'string'
  const fromPg = typeof message === 'string' && PG_MESSAGES.some(([text]) => message.includes(text))
  if ((fromPostgresServer || fromPg) && classifyPostgresError(err))
    return dependencyUnavailable('postgres', err)
  const fromIoredis =
    name === 'MaxRetriesPerRequestError' ||
    (typeof message === 'string' && REDIS_MESSAGES.some((m) => message.includes(m)))
  if (fromIoredis) return dependencyUnavailable('redis', err)
  return undefined
}
