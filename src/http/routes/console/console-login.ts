/** @module GET/POST /console/login (password or admin API key) and POST /console/logout. */
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { csrfTokenFor } from '../../../support/csrf.js'
import {
  actionSession,
  assertSameOriginForm,
  type ConsoleContext,
  clearConsoleCookie,
  clientIp,
  cookieOf,
  formOf,
  LOGIN_COOKIE,
  SESSION_COOKIE,
  sessionOf,
  setConsoleCookie,
} from './console-context.js'
import { h, sendConsolePage } from './console-layout.js'

/** Only same-site console paths are followed after sign-in (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    /^\/console(\/[\w\-./?=&%]*)?$/.test(next) &&
    !next.startsWith('/console/login')
    ? next
    : '/console/search'
}

function loginPage(
  reply: FastifyReply,
  cx: ConsoleContext,
  opts: { preToken: string; next: string; error?: string; email?: string; status?: number },
) {
  const csrf = h(csrfTokenFor(cx.deps.keyring, opts.preToken))
  const next = h(opts.next)
  return sendConsolePage(reply, {
    title: 'Sign in',
    status: opts.status,
    body: `<h1>Sign in to the support console</h1>
${opts.error ? `<div class="error" role="alert">${h(opts.error)}</div>` : ''}
<div class="grid">
<section class="card" aria-labelledby="pw-title"><h2 id="pw-title">Staff account</h2>
<form method="post" action="/console/login">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="next" value="${next}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="${h(opts.email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></section>
<section class="card" aria-labelledby="key-title"><h2 id="key-title">Admin API key</h2>
<p class="muted">An API key with the admin scope opens the console as an admin; actions are logged as that key.</p>
<form method="post" action="/console/login">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="next" value="${next}">
<label for="api_key">API key</label><input id="api_key" name="api_key" type="password" autocomplete="off" required placeholder="vgk_...">
<button type="submit">Sign in with the key</button></form></section>
</div>`,
  })
}

export function registerConsoleLogin(app: FastifyInstance, cx: ConsoleContext): void {
  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    if (await sessionOf(request, cx)) return reply.redirect(safeNext(request.query.next), 303)
    const preToken = randomBytes(32).toString('base64url')
    setConsoleCookie(reply, cx, LOGIN_COOKIE, preToken, 3600)
    return loginPage(reply, cx, { preToken, next: safeNext(request.query.next) })
  })

  app.post('/login', async (request: FastifyRequest, reply) => {
    const preToken = cookieOf(request, LOGIN_COOKIE)
    if (!preToken) {
      throw new AppError('CSRF_TOKEN_INVALID', {
        message:
          'The sign-in form has expired (or cookies are blocked). Reload the sign-in page and try again.',
      })
    }
    assertSameOriginForm(request, cx, preToken)
    const form = formOf(request)
    const next = safeNext(form.next)
    const ip = clientIp(request)
    try {
      const result = form.api_key
        ? await cx.support.login.withApiKey(form.api_key, ip)
        : await cx.support.login.withPassword(form.email ?? '', form.password ?? '', ip)
      clearConsoleCookie(reply, cx, LOGIN_COOKIE)
      setConsoleCookie(reply, cx, SESSION_COOKIE, result.token, cx.support.config.sessionTtlSeconds)
      return reply.redirect(next, 303)
    } catch (err) {
      if (
        !(err instanceof AppError) ||
        (err.code !== 'CONSOLE_LOGIN_FAILED' && err.code !== 'CONSOLE_LOGIN_THROTTLED')
      )
        throw err
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v)
      reply.header('x-error-code', err.code)
      return loginPage(reply, cx, {
        preToken,
        next,
        error: err.message,
        email: form.email ?? '',
        status: err.status,
      })
    }
  })

  app.post('/logout', async (request, reply) => {
    const s = await actionSession(request, cx, 'read')
    const token = cookieOf(request, SESSION_COOKIE)
    if (token) await cx.support.sessions.close(token)
    await cx.support.audit.record(s.actor, 'console.logout', { target: s.principal.staffId })
    clearConsoleCookie(reply, cx, SESSION_COOKIE)
    return reply.redirect('/console/login', 303)
  })
}
