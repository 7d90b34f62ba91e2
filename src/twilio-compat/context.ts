/** @module What every Twilio-facade route needs: its use-cases, the facade store, auth, and request helpers. */
import type { FastifyRequest } from 'fastify'
import type { ApiKeys } from '../auth/api-keys.js'
import type { TotpFactorsApi } from '../factors/factors.js'
import type { RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Service } from '../services/service.js'
import type { Services } from '../services/services.js'
import type { Clock } from '../shared/clock.js'
import type { Verifier } from '../verification/verifier.js'
import { principalOf, type TwilioAuth } from './auth.js'
import { notFound } from './errors.js'
import { Params, toFormObject } from './form.js'
import type { RenderContext } from './representations.js'
import { idFromSid } from './sids.js'
import type { TwilioCompatStore } from './store.js'

/**
 * What the Twilio-compatible API may use: use-cases, the limiter its service rate limits count in,
 * and its own store. Never the database or verigate's stores (a lint rule keeps `storage/` out).
 */
export interface TwilioCompatDeps {
  readonly clock: Clock
  /** The process's one `ApiKeys` (a revocation anywhere holds here at once). */
  readonly apiKeys: ApiKeys
  readonly services: Services
  readonly verifier: Verifier
  /** The TOTP factor module, when this server has one. */
  readonly factors?: TotpFactorsApi | undefined
  readonly limiter: Pick<RateLimiter, 'consume'>
  readonly store: TwilioCompatStore
}

export interface CompatContext {
  readonly deps: TwilioCompatDeps
  readonly store: TwilioCompatStore
  readonly auth: TwilioAuth
  /** The TOTP factor module, when this server has one. */
  readonly factors: TotpFactorsApi | undefined
}

/**
 * The factor module when it is wired in. Read defensively: the facade's verification endpoints must
 * keep working on a build or a test double without it (factor endpoints then answer 60204 "Service
 * does not support this feature").
 */
export function factorsOf(deps: {
  readonly factors?: TotpFactorsApi | undefined
}): TotpFactorsApi | undefined {
  return deps.factors
}

/** The path Twilio names in 20404 messages: the request path without `/v2` and the query. */
export function resourcePath(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? ''
  return path.startsWith('/v2/') ? path.slice(3) : path
}

const first = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim()

/**
 * The origin the client used, for the absolute URLs Twilio answers carry (`url`, `next_page_url`).
 * Behind a TLS-terminating proxy the socket says `http://internal:3000`, so the proxy's
 * `X-Forwarded-Proto`/`-Host` win when well formed. Trusting them is safe here: the URL only goes
 * back to the same caller, who could only misdirect their own next request.
 */
export function requestOrigin(request: FastifyRequest): string {
  const proto = first(request.headers['x-forwarded-proto'])
  const host = first(request.headers['x-forwarded-host'])
  return `${proto === 'http' || proto === 'https' ? proto : request.protocol}://${host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? host : request.host}`
}

export function renderContext(request: FastifyRequest): RenderContext {
  return { origin: requestOrigin(request), accountSid: principalOf(request).accountSid }
}

/** The parameters of the request body (form or JSON). */
export function bodyParams(request: FastifyRequest): Params {
  return new Params(toFormObject(request.body))
}

/** The parameters of the query string. */
export function queryParams(request: FastifyRequest): Params {
  return new Params(toFormObject(request.query))
}

/** The service a `VA…` path segment names. @throws TwilioError 20404 */
export async function loadService(cx: CompatContext, sid: string, request: FastifyRequest): Promise<Service> {
  const id = idFromSid('VA', sid)
  const service = id ? await cx.deps.services.get(id) : undefined
  if (!service) throw notFound(resourcePath(request))
  return service
}

/** Twilio's page size bounds: 50 by default, at most 1000. */
export function pageSize(params: Params): number {
  return params.int('PageSize', 1, 1000) ?? 50
}
