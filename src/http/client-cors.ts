/**
 * @module CORS for the client API (`/v1/client/*`) by @fastify/cors, with each service's allowed
 * origins (`client_origins`). A call carrying a client token is answered for its service's
 * origins only; a preflight carries no token, so it is answered when some service allows the
 * origin (the call that follows is then held to its own service's list). A service without a list
 * is open to any origin (`*`, never credentials): the token is the only credential.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Service } from '../services/service.js'
import type { HttpContext } from './http-context.js'

const CLIENT_PATH = '/v1/client/'

/** How long the answer to "which origins may call at all" is reused. @default 5_000 */
const ANY_SERVICE_TTL_MS = 5_000

/** Whether pages on `origin` may call with this service's tokens (no Origin: not a cross-origin call). */
export function serviceAllowsOrigin(
  service: Pick<Service, 'clientOrigins'>,
  origin: string | undefined,
): boolean {
  if (!service.clientOrigins?.length || origin === undefined) return true
  return service.clientOrigins.includes(origin)
}

type Deps = Pick<HttpContext, 'services' | 'clientSessions' | 'clock'>

/**
 * The origins some service allows, or 'any' while one service has no list; read page by page
 * from the services and kept a few seconds (preflights arrive before every first call).
 */
function anyServiceOrigins(deps: Deps): () => Promise<'any' | ReadonlySet<string>> {
  let cached: { at: number; value: Promise<'any' | ReadonlySet<string>> } | undefined
  const load = async (): Promise<'any' | ReadonlySet<string>> => {
    const origins = new Set<string>()
    let after: string | undefined
    for (;;) {
      const page = await deps.services.list({ limit: 200, after })
      for (const s of page) {
        if (!s.clientOrigins?.length) return 'any'
        for (const o of s.clientOrigins) origins.add(o)
      }
      if (page.length < 200) return origins
      after = page.at(-1)?.id
    }
  }
  return () => {
    const now = deps.clock.now()
    if (!cached || now - cached.at > ANY_SERVICE_TTL_MS) {
      cached = { at: now, value: load() }
      cached.value.catch(() => {
        cached = undefined
      })
    }
    return cached.value
  }
}

/** The client token of a call, as the client routes read it (header, else `?token=`). */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice(7).trim()
  const query = (request.query as { token?: unknown } | undefined)?.token
  return typeof query === 'string' ? query : undefined
}

/**
 * Registers @fastify/cors in `scope` (the client routes' plugin scope). Its OPTIONS route answers
 * preflights for `/v1/client/*` only; any other path's preflight is a 404, as before.
 */
export async function registerClientCors(scope: FastifyInstance, deps: Deps): Promise<void> {
  const someService = anyServiceOrigins(deps)
  const allowedOrigin = async (request: FastifyRequest): Promise<string | false> => {
    if (!request.url.startsWith(CLIENT_PATH)) return false
    const origin = request.headers.origin
    if (request.method !== 'OPTIONS') {
      const token = tokenOf(request)
      const session = token ? await deps.clientSessions.authenticate(token).catch(() => undefined) : undefined
      const service = session && (await deps.services.get(session.serviceId))
      if (service) {
        if (!service.clientOrigins?.length) return '*'
        return origin !== undefined && serviceAllowsOrigin(service, origin) ? origin : false
      }
      // No valid token: the route answers 401, readable by any origin some service allows.
    }
    const allowed = await someService()
    if (allowed === 'any') return '*'
    return origin !== undefined && allowed.has(origin) ? origin : false
  }
  const options: FastifyCorsOptions = {
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type'],
    maxAge: 600,
    credentials: false,
    // A preflight without Access-Control-Request-Method is still answered (204), as before.
    strictPreflight: false,
  }
  await scope.register(cors, {
    delegator: async (request: FastifyRequest) => ({ ...options, origin: await allowedOrigin(request) }),
  } as FastifyCorsOptions)
}
