/**
 * @module Turns every failure into the one error envelope:
 * `{"error": {"code", "message", "request_id", ...details}}`. Known framework errors map to catalog
 * codes, and an unreachable database or Redis to SERVICE_UNAVAILABLE with `dependency` and
 * `Retry-After`; anything unknown becomes INTERNAL with a fixed message and is logged with its stack.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors/app-error.js'
import type { ErrorCode } from '../errors/codes.js'
import { asDependencyUnavailable } from '../health/dependency-errors.js'

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; request_id: string } & Record<string, unknown>
}

function fromFramework(err: FastifyError): AppError | undefined {
  if (err.validation) {
    const first = err.validation[0]
    const where = err.validationContext ?? 'body'
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : ''
    let field = path
    let message = first?.message ?? 'is invalid'
    if (first?.keyword === 'additionalProperties') {
      const extra = String((first.params as { additionalProperty?: string }).additionalProperty)
      field = path ? `${path}.${extra}` : extra
      message = `is not a known field; remove it`
    } else if (first?.keyword === 'required') {
      const missing = String((first.params as { missingProperty?: string }).missingProperty)
      field = path ? `${path}.${missing}` : missing
      message = 'is required'
    }
    return new AppError('VALIDATION_FAILED', {
      message: field ? `${where} field "${field}" ${message}.` : `${where} ${message}.`,
      details: {
        field: field || null,
        location: where,
        problems: err.validation
          .slice(0, 10)
          .map((v) => `${v.instancePath || '/'} ${v.message ?? ''}`.trim()),
      },
    })
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', { message: 'The request body is too large.' })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', {
        message: 'Send the body as application/json.',
      })
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BODY_MALFORMED', {
        message: 'The body is empty but Content-Type says JSON; send a JSON object.',
      })
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BODY_MALFORMED', { message: `The body is not valid JSON: ${err.message}` })
  }
  if (err instanceof SyntaxError || (err as { type?: string }).type === 'entity.parse.failed') {
    return new AppError('BODY_MALFORMED', { message: 'The body is not valid JSON.' })
  }
  if (err.statusCode === 413) return new AppError('BODY_TOO_LARGE')
  if (err.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE')
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', { message: err.message })
  }
  return undefined
}

export function toEnvelope(err: AppError, requestId: string): ErrorEnvelope {
  return { error: { code: err.code, message: err.message, request_id: requestId, ...err.details } }
}

export function sendError(reply: FastifyReply, err: AppError, request: FastifyRequest): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
  return reply.code(err.status).type('application/json').send(toEnvelope(err, request.id))
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    // A driver error that escaped its adapter still answers 503 naming the dependency, never 500.
    const known = raw instanceof AppError ? raw : (asDependencyUnavailable(raw) ?? fromFramework(raw))
    if (known) {
      request.log.debug({ code: known.code }, known.message)
      return sendError(reply, known, request)
    }
    request.log.error({ err: raw }, 'unhandled error')
    return sendError(reply, new AppError('INTERNAL'), request)
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new AppError('ROUTE_NOT_FOUND', {
        message: `No endpoint at ${request.method} ${request.url.split('?')[0]}; see /docs.`,
      }),
      request,
    ),
  )
}
