/**
 * @module Delivery receipt webhooks: `GET|POST /v1/receipts/{providerId}`. Each provider's own
 * signature scheme is checked on the raw body and the public URL; a bad signature gets 401 and
 * changes nothing. No API key: providers cannot send one, their signature is the authentication.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { InboundRequest } from '../../delivery/providers/provider.js'
import { AppError } from '../../errors/app-error.js'
import type { HttpContext } from '../http-context.js'

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string
  }
}

function lowerCased(headers: FastifyRequest['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

export async function registerReceiptRoutes(app: FastifyInstance, deps: HttpContext): Promise<void> {
  await app.register(async (scope) => {
    // Signatures are computed over the exact bytes sent, so every body is kept as a string.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string
      done(null, body)
    })
    const publicBase = (deps.config.publicUrl ?? '').replace(/\/$/, '')

    scope.route<{ Params: { providerId: string } }>({
      method: ['GET', 'POST'],
      url: '/v1/receipts/:providerId',
      schema: {
        tags: ['receipts'],
        summary: 'Delivery receipt webhook for a configured provider (signature-checked)',
        security: [],
        params: {
          type: 'object',
          properties: { providerId: { type: 'string', maxLength: 64 } },
          required: ['providerId'],
        },
      },
      handler: async (request, reply) => {
        const provider = deps.receipts.provider(request.params.providerId)
        if (!provider) {
          throw new AppError('ROUTE_NOT_FOUND', {
            message: `No provider "${request.params.providerId}" is configured.`,
          })
        }
        const query = request.query as Record<string, string | undefined>
        if (request.method === 'GET' && provider.answerSubscription && query['hub.mode']) {
          const challenge = provider.answerSubscription(query)
          if (challenge === undefined)
            throw new AppError('UNAUTHORIZED', { message: 'Subscription handshake refused.' })
          return reply.type('text/plain').send(challenge)
        }
        if (!provider.receipts) {
          throw new AppError('ROUTE_NOT_FOUND', {
            message: `Provider "${provider.id}" does not take receipts over HTTP.`,
          })
        }
        const host = request.headers['x-forwarded-host'] ?? request.headers.host ?? '127.0.0.1'
        const proto = request.headers['x-forwarded-proto'] ?? 'http'
        const inbound: InboundRequest = {
          method: request.method,
          url: `${publicBase || `${proto}://${host}`}${request.url}`,
          headers: lowerCased(request.headers),
          rawBody: request.rawBody ?? '',
          query,
        }
        if (!(await provider.receipts.verify(inbound))) {
          request.log.warn({ provider: provider.id }, 'receipt signature check failed')
          throw new AppError('UNAUTHORIZED', { message: 'The receipt signature does not verify.' })
        }
        // Stored before the answer: a 200 promises the provider it need not send this again.
        for (const report of provider.receipts.parse(inbound)) await deps.receipts.accept(report)
        return reply.code(200).type('text/plain').send('OK')
      },
    })
  })
}
