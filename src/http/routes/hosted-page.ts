/**
 * @module The hosted verification page `GET /verify/:token` (the widget on a page of its own, for
 * apps that send a link instead of embedding) and its way back to the app,
 * `GET /verify/:token/return`: a 303 to the app's `return_url`, on one of the service's allowed
 * origins, with the signed result appended (src/client/return-url.ts). The page speaks the
 * person's language (`?lang=`, else the token's, else Accept-Language, else the service's) and
 * offers a switch between the 13.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ClientSession } from '../../client/client-session.js'
import {
  isAllowedReturnUrl,
  RETURN_STATE_MAX,
  returnUrlSecret,
  returnUrlWithResult,
} from '../../client/return-url.js'
import { AppError } from '../../errors/app-error.js'
import type { Service } from '../../services/service.js'
import type { HttpContext } from '../http-context.js'
import { escapeHtml, sendPage } from '../web-assets.js'
import {
  isPageLocale,
  LANGUAGE_NAMES,
  PAGE_LOCALES,
  PAGE_STRINGS,
  type PageLocale,
  RTL_LOCALES,
} from './hosted-page-strings.js'

/** The first supported language of an Accept-Language header, by quality. */
export function localeFromAcceptLanguage(header: string | undefined): string | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
  return ranked.find((r) => isPageLocale(r.lang))?.lang
}

function pickPageLocale(...candidates: (string | null | undefined)[]): PageLocale {
  for (const c of candidates) {
    const lang = c?.toLowerCase().split(/[-_]/)[0]
    if (isPageLocale(lang)) return lang
  }
  return 'en'
}

const fill = (text: string, app: string) => text.replaceAll('{app}', app)

const HOSTED_CSS = `
body{margin:0;min-height:100vh;background:#f3f4f6;color:#1c1e21;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:480px;margin:0 auto;padding:24px 16px 32px}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:8px 16px;margin:0 0 16px}
.brand{font-weight:700;font-size:18px;margin:0}
.lang{display:flex;align-items:center;gap:6px;font-size:14px}
.lang select{font:inherit;min-height:36px;padding:4px 6px;border:1px solid #8a8f98;border-radius:6px;background:#fff;color:inherit}
.lang button{font:inherit;min-height:36px;padding:4px 10px;border:1px solid #0b57d0;border-radius:6px;background:#fff;color:#0b57d0}
.lang select:focus-visible,.lang button:focus-visible,a:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.notice{border:1px solid #8a8f98;border-inline-start:4px solid #b3261e;border-radius:8px;background:#fff;padding:10px 12px;margin:0 0 16px}
.next{font-weight:600;margin:16px 0 0}
.back{margin:16px 0 0}
a{color:#0b57d0}
.foot{color:#4d5158;font-size:13px;margin-top:16px}
verigate-verify{max-width:none}
`

/** A short page of its own for a return the server refuses (the person arrived here by a link). */
function refusalPage(reply: FastifyReply, lang: PageLocale, err: AppError, text: string): FastifyReply {
  reply.code(err.status).header('x-error-code', err.code)
  return sendPage(reply, {
    title: PAGE_STRINGS[lang].title,
    lang,
    css: HOSTED_CSS,
    body: `<main dir="${RTL_LOCALES.has(lang) ? 'rtl' : 'ltr'}"><p class="notice" role="alert">${escapeHtml(text)}</p>
<p class="foot">${escapeHtml(PAGE_STRINGS[lang].secured)}</p></main>`,
  })
}

interface Loaded {
  readonly session: ClientSession
  readonly service: Service | undefined
}

export function registerHostedPage(app: FastifyInstance, deps: HttpContext): void {
  /** The session and its service, or undefined for an unknown or expired token. */
  const load = async (token: string): Promise<Loaded | undefined> => {
    try {
      const session = await deps.clientSessions.authenticate(token)
      return { session, service: await deps.services.get(session.serviceId) }
    } catch {
      return undefined
    }
  }
  const appName = (service: Service | undefined, lang: PageLocale) =>
    service ? (service.brandName ?? service.name) : PAGE_STRINGS[lang].theApp
  /** The configured public origin (the config schema has already checked it is a URL). */
  const api = deps.config.publicUrl ? new URL(deps.config.publicUrl).origin : undefined

  const params = {
    type: 'object',
    properties: { token: { type: 'string', minLength: 1, maxLength: 128 } },
    required: ['token'],
  } as const
  const returnQuery = {
    return_url: { type: 'string', minLength: 1, maxLength: 2000 },
    state: { type: 'string', maxLength: RETURN_STATE_MAX },
  } as const

  app.get<{
    Params: { token: string }
    Querystring: { mode?: 'verify' | 'enrol'; lang?: string; return_url?: string; state?: string }
  }>(
    '/verify/:token',
    {
      schema: {
        hide: true,
        params,
        querystring: {
          type: 'object',
          properties: {
            mode: { type: 'string', enum: ['verify', 'enrol'] },
            lang: { type: 'string', maxLength: 16 },
            ...returnQuery,
          },
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params
      const q = request.query
      // The page renders for any token: the widget explains an invalid or expired link in the
      // person's language. A valid one names the app and picks the session's language.
      const loaded = await load(token)
      // `?mode=enrol` opens the authenticator set-up, only for tokens minted with allow_enrolment.
      const enrol = q.mode === 'enrol' && loaded?.session.allowEnrolment === true
      // The person's own choice on this page, else the app's for the session, else the browser's,
      // else the service's default.
      const lang = pickPageLocale(
        q.lang,
        loaded?.session.locale,
        localeFromAcceptLanguage(request.headers['accept-language']),
        loaded?.service?.defaultLocale,
      )
      const s = PAGE_STRINGS[lang]
      const name = appName(loaded?.service, lang)
      const returnAllowed =
        q.return_url !== undefined && isAllowedReturnUrl(q.return_url, loaded?.service?.returnUrlOrigins)
      const back = new URLSearchParams()
      if (q.return_url !== undefined) back.set('return_url', q.return_url)
      if (q.state !== undefined) back.set('state', q.state)
      const returnHref = returnAllowed
        ? `/verify/${encodeURIComponent(token)}/return?${back.toString()}`
        : undefined
      // The switch keeps everything else the link carried.
      const keep = [
        ...(q.mode ? [['mode', q.mode]] : []),
        ...(q.return_url !== undefined ? [['return_url', q.return_url]] : []),
        ...(q.state !== undefined ? [['state', q.state]] : []),
      ]
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v ?? '')}">`)
        .join('')
      const options = PAGE_LOCALES.map(
        (l) =>
          `<option value="${l}" lang="${l}"${l === lang ? ' selected' : ''}>${escapeHtml(LANGUAGE_NAMES[l])}</option>`,
      ).join('')
      const brand = loaded?.service ? `<p class="brand">${escapeHtml(name)}</p>` : '<span></span>'
      return sendPage(reply, {
        title: loaded?.service ? `${name}: verification` : 'Verification',
        lang,
        css: HOSTED_CSS,
        scripts: ['widget.js', 'hosted.js'],
        body: `<main dir="${RTL_LOCALES.has(lang) ? 'rtl' : 'ltr'}">
<div class="top">${brand}<form class="lang" method="get" action=""><label for="vg-lang">${escapeHtml(s.language)}</label><select id="vg-lang" name="lang">${options}</select>${keep}<button type="submit">${escapeHtml(s.change)}</button></form></div>
${q.return_url !== undefined && !returnAllowed && loaded ? `<p class="notice" role="alert" data-error-code="RETURN_URL_NOT_ALLOWED">${escapeHtml(fill(s.badReturn, name))}</p>` : ''}
<verigate-verify token="${escapeHtml(token)}"${api ? ` api="${escapeHtml(api)}"` : ''} locale="${escapeHtml(lang)}"${enrol ? ' mode="enrol"' : ''} autofocus></verigate-verify>
<p class="next" id="vg-next" role="status" hidden data-returning="${escapeHtml(fill(s.returning, name))}" data-close="${escapeHtml(fill(s.closeTab, name))}"${returnHref ? ` data-return="${escapeHtml(returnHref)}"` : ''}></p>
${returnHref ? `<p class="back"><a href="${escapeHtml(returnHref)}" id="vg-back">${escapeHtml(fill(s.back, name))}</a></p>` : ''}
<p class="foot">${escapeHtml(s.secured)}</p>
</main>`,
      })
    },
  )

  app.get<{ Params: { token: string }; Querystring: { return_url: string; state?: string; lang?: string } }>(
    '/verify/:token/return',
    {
      schema: {
        hide: true,
        params,
        querystring: {
          type: 'object',
          required: ['return_url'],
          properties: { ...returnQuery, lang: { type: 'string', maxLength: 16 } },
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params
      const q = request.query
      const loaded = await load(token)
      const lang = pickPageLocale(
        q.lang,
        loaded?.session.locale,
        localeFromAcceptLanguage(request.headers['accept-language']),
      )
      if (!loaded) {
        const err = new AppError('CLIENT_TOKEN_EXPIRED', {
          message: 'This verification link has expired or is not valid.',
        })
        return refusalPage(reply, lang, err, fill(PAGE_STRINGS[lang].closeTab, PAGE_STRINGS[lang].theApp))
      }
      const name = appName(loaded.service, lang)
      if (!loaded.service || !isAllowedReturnUrl(q.return_url, loaded.service.returnUrlOrigins)) {
        const err = new AppError('RETURN_URL_NOT_ALLOWED', {
          message: 'The return_url is not on one of the service’s return_url_origins.',
        })
        return refusalPage(reply, lang, err, fill(PAGE_STRINGS[lang].badReturn, name))
      }
      const result = {
        sessionId: loaded.session.id,
        status: loaded.session.resultFactor !== null ? ('approved' as const) : ('not_approved' as const),
        state: q.state ?? '',
        issuedAt: Math.floor(deps.clock.now() / 1000),
      }
      const target = returnUrlWithResult(
        q.return_url,
        result,
        returnUrlSecret(deps.keyring, loaded.service.id),
      )
      // The token is in this page's URL: the app must not learn it from the Referer (helmet's
      // Referrer-Policy: no-referrer, src/http/security-headers.ts).
      return reply.header('cache-control', 'no-store').redirect(target, 303)
    },
  )
}
