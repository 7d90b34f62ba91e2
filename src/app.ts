/**
 * @module buildApp(deps): the HTTP app with every route registered. It never listens; `main`
 * does, and tests use `app.inject()`.
 */
import swagger from '@fastify/swagger'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import type { Deps } from './deps.js'
import { installApiAudit } from './http/api-audit.js'
import { registerApiReference } from './http/api-reference.js'
import { registerClientCors } from './http/client-cors.js'
import { installErrorHandling } from './http/error-handler.js'
import type { HttpContext } from './http/http-context.js'
import { registerOverloadProtection } from './http/overload.js'
import { SHARED_RESPONSE_SCHEMAS } from './http/response-schemas.js'
import { registerAccountRecoveryRoutes } from './http/routes/account-recovery.js'
import { registerAnalyticsRoutes } from './http/routes/analytics.js'
import { registerApiKeyRoutes } from './http/routes/api-keys.js'
import { registerClientRoutes } from './http/routes/client.js'
import { registerClientTokenRoutes } from './http/routes/client-tokens.js'
import { registerConsoleRoutes } from './http/routes/console/index.js'
import { registerDiagnosisRoutes } from './http/routes/diagnosis.js'
import { registerFactorRoutes } from './http/routes/factors.js'
import { registerHealthRoutes } from './http/routes/health.js'
import { registerMetricsRoutes } from './http/routes/metrics.js'
import { registerPageRoutes } from './http/routes/pages.js'
import { registerPasskeyRoutes } from './http/routes/passkeys.js'
import { registerPhoneNumberRoutes } from './http/routes/phone-numbers.js'
import { registerReceiptRoutes } from './http/routes/receipts.js'
import { registerRoutingRoutes } from './http/routes/routing.js'
import { registerServiceRoutes } from './http/routes/services.js'
import { registerSimulatorRoutes } from './http/routes/simulator.js'
import { registerSubjectRoutes } from './http/routes/subjects.js'
import { registerVerificationRoutes } from './http/routes/verifications.js'
import { registerWebhookRoutes } from './http/routes/webhooks.js'
import {
  CROSS_ORIGIN_READABLE,
  registerSecurityHeaders,
  scopeSecurityHeaders,
} from './http/security-headers.js'
import { assertCleanText } from './http/unicode-guard.js'
import { registerWebAssets } from './http/web-assets.js'
import { newId } from './shared/ids.js'
import { maskUrl } from './shared/mask.js'
import { registerTwilioCompat, type TwilioCompatDeps } from './twilio-compat/index.js'

/** Re-exported for the tests that read it here; the mask lives in src/shared/mask.ts. */
export { maskUrl }

export interface BuildAppOptions {
  /** Mount the API reference at /docs (src/http/api-reference.ts). @default true */
  readonly docsUi?: boolean
  /** Told of every route as it is registered (tests derive their route tables from it). */
  readonly onRoute?: (route: { readonly method: string | string[]; readonly url: string }) => void
}

export async function buildApp(deps: Deps, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Per-request lines come from the onResponse hook below (at debug, with masked URLs).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: () => newId('request'),
    requestIdHeader: false,
    return503OnClosing: true,
    trustProxy: deps.config.trustProxy,
    ajv: {
      // Strict input: unknown fields are errors and types are never coerced ("5" is not 5).
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false },
    },
  })

  const onRoute = opts.onRoute
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route))
  installErrorHandling(app)
  installApiAudit(app, deps.support.audit, deps.logger)
  await registerSecurityHeaders(app)
  // JSON only (the Twilio-compatible surface registers its own form parser): a text/plain body is
  // a client mistake to report as 415, not a string to fail validation with.
  app.removeContentTypeParser('text/plain')

  // The hooks every request runs are callback hooks: they do nothing asynchronous, and an async
  // hook costs a promise and a microtask turn per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  // A throw here reaches the error handler as a 400: Fastify catches what a callback hook throws.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.body !== undefined) assertCleanText(request.body, 'body')
    assertCleanText(request.query, 'query')
    assertCleanText(request.params, 'path')
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern (`/v1/verifications/:id`), never the URL: no numbers or ids in labels.
    const route = request.routeOptions.url ?? 'unmatched'
    deps.metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
    if (deps.logger.isLevelEnabled('debug'))
      request.log.debug(
        {
          method: request.method,
          url: maskUrl(request.url),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      )
    done()
  })

  // Shared response schemas: named components in /openapi.json (src/http/response-schemas.ts).
  for (const schema of SHARED_RESPONSE_SCHEMAS) app.addSchema(schema)
  await app.register(swagger, {
    // A shared schema keeps its $id as its component name (Verification, ErrorEnvelope...), which
    // the typed client's types are named after.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'verigate API',
        version: '1',
        description:
          'Self-hosted phone and email verification. Errors are always `{"error": {"code", "message", "request_id", ...}}`; see docs/errors.md.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A verigate API key: vgk_...' },
          clientToken: {
            type: 'http',
            scheme: 'bearer',
            description: "A browser's client token: vct_... (docs/client-api.md)",
          },
        },
      },
      security: [{ apiKey: [] }],
    },
  })
  if (opts.docsUi !== false) await registerApiReference(app)

  const ctx = httpContextOf(deps)
  const { auth } = ctx
  const overload = await registerOverloadProtection(app, deps.config.overload)
  registerHealthRoutes(app, ctx, overload)
  registerServiceRoutes(app, ctx, auth)
  registerVerificationRoutes(app, ctx, auth)
  registerDiagnosisRoutes(app, ctx, auth)
  registerPhoneNumberRoutes(app, auth)
  registerApiKeyRoutes(app, ctx, auth)
  registerSimulatorRoutes(app, ctx, auth)
  await registerReceiptRoutes(app, ctx)
  registerRoutingRoutes(app, ctx, auth)
  await registerTwilioCompat(app, twilioContextOf(deps))
  registerFactorRoutes(app, ctx, auth)
  registerPasskeyRoutes(app, ctx, auth)
  registerAccountRecoveryRoutes(app, ctx, auth)
  registerMetricsRoutes(app, ctx)
  registerWebhookRoutes(app, ctx, auth)
  registerAnalyticsRoutes(app, ctx, auth)
  registerClientTokenRoutes(app, ctx, auth)
  registerSubjectRoutes(app, ctx, auth)
  await app.register(async (scope) => {
    scopeSecurityHeaders(scope, CROSS_ORIGIN_READABLE)
    await registerClientCors(scope, ctx)
    registerClientRoutes(scope, ctx)
  })
  registerPageRoutes(app, ctx)
  await registerWebAssets(app)
  await registerConsoleRoutes(app, ctx)

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  return app
}

/**
 * The native API's context: use-cases and read models only. Built member by member so that no
 * store, database handle or worker reaches a route, even by a cast.
 */
function httpContextOf(deps: Deps): HttpContext {
  return {
    config: deps.config,
    clock: deps.clock,
    auth: deps.auth,
    apiKeys: deps.apiKeys,
    services: deps.services,
    verifier: deps.verifier,
    diagnostician: deps.diagnostician,
    factors: deps.factors,
    recoveryCodes: deps.recoveryCodes,
    passkeys: deps.passkeys,
    accountRecovery: deps.accountRecovery,
    clientSessions: deps.clientSessions,
    analytics: deps.analytics,
    webhooks: deps.webhooks,
    metrics: deps.metrics,
    changes: deps.changes,
    router: deps.router,
    health: deps.health,
    receipts: deps.receipts,
    readiness: deps.readiness,
    simulator: deps.simulator,
    support: deps.support,
    keyring: deps.keyring,
    personalData: deps.personalData,
  }
}

/** The Twilio-compatible API's context. */
function twilioContextOf(deps: Deps): TwilioCompatDeps {
  return {
    clock: deps.clock,
    apiKeys: deps.apiKeys,
    services: deps.services,
    verifier: deps.verifier,
    factors: deps.factors,
    limiter: deps.limiter,
    store: deps.twilioCompat,
  }
}
