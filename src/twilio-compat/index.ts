/**
 * @module registerTwilioCompat(app, deps): Twilio Verify v2 at `/v2/...` of verigate's origin, so an
 * app using the official Twilio SDK switches by pointing the SDK's `httpClient` here (see
 * docs/twilio-compat.md). Everything lives in one encapsulated Fastify context: its form parser, its
 * Twilio-shaped error handler and its 404 apply to `/v2/...` only, never to the native `/v1` API.
 */
import type { FastifyError, FastifyInstance } from 'fastify'
import { registerAttemptRoutes } from './attempts.js'
import { TwilioAuth } from './auth.js'
import { type CompatContext, factorsOf, resourcePath, type TwilioCompatDeps } from './context.js'
import { notFound, toTwilioError } from './errors.js'
import { registerFactorRoutes } from './factors.js'
import { parseForm } from './form.js'
import { registerRateLimitRoutes } from './rate-limits.js'
import { registerServiceRoutes } from './services.js'
import { registerUnavailableRoutes } from './unavailable.js'
import { registerVerificationRoutes } from './verifications.js'

export type { TwilioCompatDeps }

/** Registers the Twilio-compatible API under `/v2`. */
export async function registerTwilioCompat(app: FastifyInstance, deps: TwilioCompatDeps): Promise<void> {
  const cx: CompatContext = {
    deps,
    store: deps.store,
    auth: new TwilioAuth(deps.apiKeys),
    factors: factorsOf(deps),
  }

  await app.register(
    async (scope) => {
      // Twilio's wire format, documented in docs/twilio-compat.md rather than in verigate's OpenAPI.
      scope.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, hide: true }
      })
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
          try {
            done(null, parseForm(String(body)))
          } catch (err) {
            done(err as Error, undefined)
          }
        },
      )

      scope.setErrorHandler((raw: FastifyError, request, reply) => {
        const { error, unexpected } = toTwilioError(raw, resourcePath(request))
        if (unexpected) request.log.error({ err: raw }, 'unhandled error')
        else request.log.debug({ code: error.code }, error.message)
        for (const [k, v] of Object.entries(error.headers)) reply.header(k, v)
        return reply.code(error.status).type('application/json').send(error.body())
      })
      scope.setNotFoundHandler((request, reply) => {
        const error = notFound(resourcePath(request))
        return reply.code(error.status).type('application/json').send(error.body())
      })

      registerServiceRoutes(scope, cx)
      registerVerificationRoutes(scope, cx)
      registerRateLimitRoutes(scope, cx)
      registerFactorRoutes(scope, cx)
      registerAttemptRoutes(scope, cx)
      registerUnavailableRoutes(scope, cx)
    },
    { prefix: '/v2' },
  )
}
