/** Signs in to the support console through `app.inject()`, the way a browser does (cookies, CSRF token, Origin). */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Deps } from '../../src/deps.js'
import type { StaffRole } from '../../src/support/roles.js'

/** The Origin `app.inject()` requests come from (its default Host is `localhost:80`). */
export const CONSOLE_ORIGIN = 'http://localhost:80'

export interface ConsoleBrowser {
  /** `vg_console=...` */
  readonly cookie: string
  /** The session's form token. */
  readonly csrf: string
  get(url: string): Promise<LightMyRequestResponse>
  /** Posts a form with the session's cookie, CSRF token and Origin (each overridable). */
  post(
    url: string,
    form: Record<string, string>,
    opts?: { csrf?: string | null; origin?: string | null; accept?: string },
  ): Promise<LightMyRequestResponse>
}

export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  const raw = res.headers['set-cookie']
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  const found = list.find((c) => c.startsWith(`${name}=`))
  return found?.split(';')[0]
}

export function csrfFrom(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html)
  if (!m) throw new Error('no CSRF token in the page')
  return m[1]!.replaceAll('&#58;', ':')
}

export function formBody(form: Record<string, string>): string {
  return new URLSearchParams(form).toString()
}

export async function addStaff(
  deps: Deps,
  email: string,
  role: StaffRole,
  opts: { readonly password?: string; readonly services?: readonly string[] } = {},
): Promise<void> {
  await deps.support.staff.add({
    email,
    role,
    password: opts.password ?? 'correct horse battery',
    services: opts.services ?? null,
  })
}

/** Signs in with a password or an API key and returns a cookie-carrying client. */
export async function consoleSignIn(
  app: FastifyInstance,
  credentials: { email: string; password?: string } | { apiKey: string },
): Promise<ConsoleBrowser> {
  const loginPage = await app.inject({ method: 'GET', url: '/console/login' })
  const pre = cookieFrom(loginPage, 'vg_console_login')
  if (!pre) throw new Error('no login cookie')
  const form: Record<string, string> =
    'apiKey' in credentials
      ? { csrf: csrfFrom(loginPage.body), api_key: credentials.apiKey }
      : {
          csrf: csrfFrom(loginPage.body),
          email: credentials.email,
          password: credentials.password ?? 'correct horse battery',
        }
  const res = await app.inject({
    method: 'POST',
    url: '/console/login',
    headers: { cookie: pre, origin: CONSOLE_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    payload: formBody(form),
  })
  const cookie = cookieFrom(res, 'vg_console')
  if (res.statusCode !== 303 || !cookie)
    throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 300)}`)
  const page = await app.inject({ method: 'GET', url: '/console/search', headers: { cookie } })
  const csrf = csrfFrom(page.body)
  return {
    cookie,
    csrf,
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, f, opts = {}) => {
      const headers: Record<string, string> = { cookie, 'content-type': 'application/x-www-form-urlencoded' }
      if (opts.origin !== null) headers.origin = opts.origin ?? CONSOLE_ORIGIN
      if (opts.accept) headers.accept = opts.accept
      const body = opts.csrf === null ? f : { csrf: opts.csrf ?? csrf, ...f }
      return app.inject({ method: 'POST', url, headers, payload: formBody(body) })
    },
  }
}
