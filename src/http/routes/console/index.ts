/**
 * @module The support console at `/console`: its own plugin scope with a form-body parser, HTML
 * error pages (JSON for non-browser clients), and the pages and actions (docs/support-console.md).
 */
import fastifyCookie from '@fastify/cookie'
import type { FastifyError, FastifyInstance } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { sendError } from '../../error-handler.js'
import type { HttpContext } from '../../http-context.js'
import { CONSOLE_HEADERS, scopeSecurityHeaders } from '../../security-headers.js'
import { registerConsoleAnalytics } from './console-analytics.js'
import { registerConsoleAudit } from './console-audit.js'
import { type ConsoleContext, parseFormBody, sessionOf } from './console-context.js'
import { registerConsoleFraud } from './console-fraud.js'
import { h, sendConsolePage } from './console-layout.js'
import { registerConsoleLogin } from './console-login.js'
import { registerConsolePerson } from './console-person.js'
import { registerConsoleServices } from './console-services.js'
import { registerConsoleStaff } from './console-staff.js'

function wantsHtml(accept: string | undefined): boolean {
  return accept?.includes('text/html') ?? false
}

export async function registerConsoleRoutes(app: FastifyInstance, deps: HttpContext): Promise<void> {
  const cx: ConsoleContext = {
    deps,
    support: deps.support,
    secureCookies: deps.config.publicUrl?.startsWith('https:') ?? false,
  }
  await app.register(
    async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, hide: true }
      })
      // Unsigned on purpose: the session and sign-in tokens are 256-bit random values looked up by
      // hash, so a signature would add no protection, only a second secret to rotate.
      await scope.register(fastifyCookie)
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_request, body, done) => {
          done(null, parseFormBody(String(body)))
        },
      )
      scopeSecurityHeaders(scope, CONSOLE_HEADERS)
      scope.setErrorHandler(async (raw: FastifyError, request, reply) => {
        const known = raw instanceof AppError ? raw : undefined
        if (!known) {
          // Framework errors (validation, body) and unknown ones go to the app-wide handler.
          throw raw
        }
        request.log.debug({ code: known.code }, known.message)
        if (!wantsHtml(request.headers.accept)) return sendError(reply, known, request)
        for (const [k, v] of Object.entries(known.headers)) reply.header(k, v)
        reply.header('x-error-code', known.code)
        const session =
          known.code === 'CONSOLE_SESSION_INVALID'
            ? undefined
            : await sessionOf(request, cx).catch(() => undefined)
        const back =
          known.code === 'CONSOLE_SESSION_INVALID'
            ? '<a href="/console/login">Sign in</a>'
            : '<a href="/console/search">Back to search</a> (or use your browser\'s back button)'
        return sendConsolePage(reply, {
          title: 'Not done',
          session,
          status: known.status,
          body: `<h1>That was not done</h1><div class="error" role="alert"><p>${h(known.message)}</p><p class="muted">Code: <code>${h(known.code)}</code> · request <code>${h(request.id)}</code></p></div><p>${back}</p>`,
        })
      })
      scope.get('/', async (_request, reply) => reply.redirect('/console/search', 303))
      registerConsoleLogin(scope, cx)
      registerConsolePerson(scope, cx)
      registerConsoleAudit(scope, cx)
      registerConsoleStaff(scope, cx)
      registerConsoleAnalytics(scope, cx)
      registerConsoleFraud(scope, cx)
      registerConsoleServices(scope, cx)
    },
    { prefix: '/console' },
  )
}
