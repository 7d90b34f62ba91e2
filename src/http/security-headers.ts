/**
 * @module Security headers for every response, as @fastify/helmet writes them (worked out once per
 * route setting, see `headerSets`): one strict Content-Security-Policy
 * for verigate's own pages (scripts only from this origin, no inline script), and the scoped
 * variations some surfaces need (the console cannot be framed at all; the API reference runs one
 * inline configuration script; bundles, the client API and its QR images are read by other sites).
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet'
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify'

type Directives = Record<string, string[]>

/** verigate's pages: the hosted page, the demo and the console. */
export const PAGE_CSP_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'frame-ancestors': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
}

/**
 * The API reference (Scalar): this origin, plus the one inline script that hands Scalar its
 * configuration, its fonts as data: URLs and its blob: workers. No other host is reachable from the
 * page: no CDN, no font service, no proxy.
 */
export const REFERENCE_CSP_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'frame-ancestors': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
}

/** A directive set as the Content-Security-Policy header value helmet writes. */
export function cspHeader(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join(';')
}

function cspOf(directives: Directives): FastifyHelmetOptions['contentSecurityPolicy'] {
  // useDefaults off: the policy is exactly the directives listed, nothing helmet adds silently.
  return { useDefaults: false, directives }
}

/** The app-wide settings (every route unless a scope below says otherwise). */
const GLOBAL_SETTINGS: FastifyHelmetOptions = {
  contentSecurityPolicy: cspOf(PAGE_CSP_DIRECTIVES),
  // A page's URL can hold a client token (`/verify/vct_...`): no Referer leaves any page.
  referrerPolicy: { policy: 'no-referrer' },
}

/** Headers every response carries whatever helmet does; not part of a helmet header set. */
const NOT_HELMETS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive'])

/**
 * The headers @fastify/helmet writes for one route setting (merged over the app-wide ones), found
 * once by answering a request on a probe app with the plugin, so the values stay exactly helmet's.
 */
async function helmetHeaders(route: HelmetRouteConfig | undefined): Promise<Array<[string, string]>> {
  const probe = Fastify({ logger: false })
  await probe.register(helmet, GLOBAL_SETTINGS)
  probe.get('/', { config: route ? { helmet: route } : {} }, async () => '')
  const res = await probe.inject('/')
  await probe.close()
  return Object.entries(res.headers)
    .filter(([name]) => !NOT_HELMETS.has(name.toLowerCase()))
    .map(([name, value]) => [name, String(value)])
}

/**
 * Header sets by route setting (`undefined`: the app-wide ones). @fastify/helmet builds helmet's
 * whole middleware, parsing the CSP directives, for every request (and an async hook and a
 * closure per reply); the headers only depend on the route's setting, so they are worked out once.
 */
const headerSets = new Map<HelmetRouteConfig | undefined, Promise<Array<[string, string]>>>()
const readySets = new Map<HelmetRouteConfig | undefined, Array<[string, string]>>()

function headerSet(route: HelmetRouteConfig | undefined): Promise<Array<[string, string]>> {
  let set = headerSets.get(route)
  if (!set) {
    set = helmetHeaders(route)
    set.then((h) => readySets.set(route, h)).catch(() => undefined)
    headerSets.set(route, set)
  }
  return set
}

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await headerSet(undefined)
  app.addHook('onRequest', (request, reply, done) => {
    const route = (request.routeOptions.config as { helmet?: HelmetRouteConfig } | undefined)?.helmet
    const ready = readySets.get(route)
    if (ready) {
      for (const [name, value] of ready) reply.header(name, value)
      done()
      return
    }
    headerSet(route).then((h) => {
      for (const [name, value] of h) reply.header(name, value)
      done()
    }, done)
  })
}

/** Per-route helmet settings, merged over the app-wide ones (helmet's `config.helmet`). */
type HelmetRouteConfig = Omit<FastifyHelmetOptions, 'global' | 'enableCSPNonces'>

function withHelmet(route: RouteOptions, settings: HelmetRouteConfig): void {
  route.config = { ...(route.config as object | undefined), helmet: settings } as RouteOptions['config']
  void headerSet(settings)
}

/**
 * Applies `settings` to every route later registered in `scope` (an encapsulated plugin): the way
 * a whole surface (the console, Scalar's routes, which verigate does not declare) gets its own.
 */
export function scopeSecurityHeaders(scope: FastifyInstance, settings: HelmetRouteConfig): void {
  scope.addHook('onRoute', (route) => withHelmet(route, settings))
}

/** The console: never framed, and the origin kept in the Referer so its Origin check can pass. */
export const CONSOLE_HEADERS: HelmetRouteConfig = {
  frameguard: { action: 'deny' },
  // Browsers send `Origin: null` on form posts from a no-referrer page; the console's pages keep
  // the origin (never the path) so the Origin check can pass.
  referrerPolicy: { policy: 'same-origin' },
}

/** The API reference at /docs. */
export const REFERENCE_HEADERS: HelmetRouteConfig = {
  contentSecurityPolicy: cspOf(REFERENCE_CSP_DIRECTIVES),
}

/**
 * Resources other sites load: the widget's bundles (`<script src>` on any page) and the client
 * API's answers and QR images (`<img src>` inside the widget). Cross-Origin-Resource-Policy
 * `same-origin` would block the no-cors loads among them.
 */
export const CROSS_ORIGIN_READABLE: HelmetRouteConfig = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
}
