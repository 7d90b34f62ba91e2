/**
 * @module The console's request plumbing: cookies, form bodies, the session guard with its CSRF
 * and Origin checks, and the person reference (an encrypted destination, so numbers never sit in
 * URLs, logs or browser history).
 */
import type { CookieSerializeOptions } from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors/app-error.js'
import { assertCan } from '../../../support/actions.js'
import type { Actor } from '../../../support/audit.js'
import { csrfTokenFor, csrfTokenMatches, originAllowed } from '../../../support/csrf.js'
import type { ConsolePermission } from '../../../support/roles.js'
import type { ConsolePrincipal } from '../../../support/sessions.js'
import type { Support } from '../../../support/support.js'
import type { HttpContext } from '../../http-context.js'

export const SESSION_COOKIE = 'vg_console'
/** Pre-session cookie: the login form's CSRF token is bound to it. */
export const LOGIN_COOKIE = 'vg_console_login'

export interface ConsoleContext {
  readonly deps: HttpContext
  readonly support: Support
  /** Cookies get `Secure` when the public URL is https. */
  readonly secureCookies: boolean
}

/** A signed-in request: who, their CSRF token for forms, and the audit actor. */
export interface ConsoleRequest {
  readonly principal: ConsolePrincipal
  readonly csrf: string
  readonly actor: Actor
}

export type FormBody = Record<string, string>

/** `application/x-www-form-urlencoded` to a null-prototype record; a repeated name keeps the first value. */
export function parseFormBody(body: string): FormBody {
  const out = Object.create(null) as FormBody
  for (const [k, v] of new URLSearchParams(body)) if (!(k in out)) out[k] = v
  return out
}

export function formOf(request: FastifyRequest): FormBody {
  const b = request.body
  return b && typeof b === 'object' ? (b as FormBody) : (Object.create(null) as FormBody)
}

/** The console's cookie tokens are 256-bit random values in base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/

/**
 * A console cookie's value (parsed by @fastify/cookie), or undefined when absent or not shaped like
 * one of our tokens: a malformed cookie (`vg_console=%`) reads as no cookie at all, so the answer is
 * the sign-in page, never an error.
 */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.cookies[name]
  return value !== undefined && TOKEN_SHAPE.test(value) ? value : undefined
}

/** The console's cookie attributes: HttpOnly, SameSite=Strict, Path=/console, Secure behind https. */
function cookieOptions(cx: ConsoleContext, maxAgeSeconds: number): CookieSerializeOptions {
  return {
    path: '/console',
    httpOnly: true,
    sameSite: 'strict',
    maxAge: maxAgeSeconds,
    secure: cx.secureCookies,
  }
}

export function setConsoleCookie(
  reply: FastifyReply,
  cx: ConsoleContext,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(name, value, cookieOptions(cx, maxAgeSeconds))
}

export function clearConsoleCookie(reply: FastifyReply, cx: ConsoleContext, name: string): void {
  reply.clearCookie(name, cookieOptions(cx, 0))
}

/** This server's origins: the one the request came to, and the configured public URL's. */
export function allowedOrigins(request: FastifyRequest, cx: ConsoleContext): string[] {
  const origins: string[] = []
  // Through URL, so a default port (`localhost:80`) compares equal to how browsers send it.
  if (URL.canParse(`${request.protocol}://${request.host}`))
    origins.push(new URL(`${request.protocol}://${request.host}`).origin)
  if (cx.deps.config.publicUrl) origins.push(new URL(cx.deps.config.publicUrl).origin)
  return origins
}

/**
 * Origin/Referer check and synchronizer token check of a state-changing request.
 * @throws AppError CSRF_ORIGIN_INVALID, CSRF_TOKEN_INVALID
 */
export function assertSameOriginForm(request: FastifyRequest, cx: ConsoleContext, boundTo: string): void {
  const headers = { origin: request.headers.origin, referer: request.headers.referer }
  if (!originAllowed(headers, allowedOrigins(request, cx))) {
    throw new AppError('CSRF_ORIGIN_INVALID', {
      message:
        'This form was not sent from a page of this console. Open the console at its own address and try again.',
    })
  }
  if (!csrfTokenMatches(cx.deps.keyring, boundTo, formOf(request).csrf)) {
    throw new AppError('CSRF_TOKEN_INVALID', {
      message:
        'This form has expired or was not issued to your session. Reload the page and submit it again.',
    })
  }
}

export function clientIp(request: FastifyRequest): string | null {
  return request.ip || null
}

/** The signed-in session of the request, or undefined. */
export async function sessionOf(
  request: FastifyRequest,
  cx: ConsoleContext,
): Promise<ConsoleRequest | undefined> {
  const token = cookieOf(request, SESSION_COOKIE)
  const principal = await cx.support.sessions.resolve(token)
  if (!principal || !token) return undefined
  return {
    principal,
    csrf: csrfTokenFor(cx.deps.keyring, token),
    actor: { name: principal.actor, role: principal.role, ip: clientIp(request) },
  }
}

/**
 * Guard of a page (GET): the session, or a redirect to the sign-in page (undefined returned; the
 * reply is sent).
 */
export async function pageSession(
  request: FastifyRequest,
  reply: FastifyReply,
  cx: ConsoleContext,
): Promise<ConsoleRequest | undefined> {
  const s = await sessionOf(request, cx)
  if (!s) {
    const next = request.url.startsWith('/console') ? request.url : '/console/search'
    await reply.redirect(`/console/login?next=${encodeURIComponent(next)}`, 303)
    return undefined
  }
  return s
}

/**
 * Guard of an action (POST): session, then Origin and CSRF token, then role.
 * @throws AppError CONSOLE_SESSION_INVALID, CSRF_ORIGIN_INVALID, CSRF_TOKEN_INVALID, CONSOLE_ROLE_FORBIDDEN
 */
export async function actionSession(
  request: FastifyRequest,
  cx: ConsoleContext,
  permission: ConsolePermission,
): Promise<ConsoleRequest> {
  const token = cookieOf(request, SESSION_COOKIE)
  const s = await sessionOf(request, cx)
  if (!s || !token) {
    throw new AppError('CONSOLE_SESSION_INVALID', {
      message: 'Your console session has ended. Sign in again.',
    })
  }
  assertSameOriginForm(request, cx, token)
  try {
    assertCan(s.actor, permission)
  } catch (err) {
    // Attempts beyond one's role are worth knowing about: log them like any action.
    await cx.support.audit.record(s.actor, 'console.forbidden', {
      target: request.routeOptions.url ?? null,
      details: { needs: permission, outcome: 'refused', error_code: 'CONSOLE_ROLE_FORBIDDEN' },
    })
    throw err
  }
  return s
}

const PERSON_AAD = 'verigate/console-person'

/** An opaque, tamper-proof reference to a destination, for URLs and forms. */
export function personRef(cx: ConsoleContext, destination: string): string {
  return cx.deps.keyring.encrypt(destination, PERSON_AAD)
}

/** @throws AppError VALIDATION_FAILED when the reference is not one this server made */
export function destinationOf(cx: ConsoleContext, ref: string | undefined): string {
  try {
    if (ref) return cx.deps.keyring.decrypt(ref, PERSON_AAD)
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', {
    message: 'This person link is not valid (or was made with a retired key). Search for the number again.',
    details: { field: 'ref' },
  })
}

export function personUrl(cx: ConsoleContext, destination: string, done?: string): string {
  return `/console/person?ref=${encodeURIComponent(personRef(cx, destination))}${done ? `&done=${encodeURIComponent(done)}` : ''}`
}

/** Whether a console member may see `serviceId` (members limited to services see theirs only). */
export function reaches(s: ConsoleRequest, serviceId: string): boolean {
  return s.principal.services === null || s.principal.services.includes(serviceId)
}

/**
 * Actions and pages for the whole installation (safe list, limits, erasure, staff): not for
 * members limited to some services.
 * @throws AppError CONSOLE_ROLE_FORBIDDEN
 */
export function assertEveryService(s: ConsoleRequest): void {
  if (s.principal.services !== null) {
    throw new AppError('CONSOLE_ROLE_FORBIDDEN', {
      message:
        'This concerns every service of the installation; your account is limited to some services. Ask an admin of the whole installation.',
    })
  }
}
