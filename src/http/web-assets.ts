/**
 * @module The browser bundles built from web/ (scripts/build-web.mjs writes them to dist/web/),
 * served by @fastify/static and compressed by @fastify/compress (brotli or gzip, as the browser
 * asks), and the HTML shell of verigate's own pages.
 *
 * Caching: a bundle whose name carries its content hash (`widget.3f9a1c2b.js`, listed in
 * dist/web/assets.json) never changes, so it is cached for a year as immutable; the stable names
 * (`widget.js`, which other sites embed) are revalidated on every use with their ETag.
 */
import { fileURLToPath } from 'node:url'
import compress from '@fastify/compress'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  CROSS_ORIGIN_READABLE,
  cspHeader,
  PAGE_CSP_DIRECTIVES,
  scopeSecurityHeaders,
} from './security-headers.js'

/** dist/web/ at the project root; this file sits two levels down in both src/ and dist/. */
const WEB_DIST = fileURLToPath(new URL('../../dist/web/', import.meta.url))

/** `name.<8 hex>.js`: the build's content-hashed copies. */
const HASHED = /\.[0-9a-f]{8}\.(js|css)$/

/** The Cache-Control of a bundle by its file name. */
export function assetCacheControl(file: string): string {
  return HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache'
}

export interface WebAssetsOptions {
  /** Directory of the built bundles. @default dist/web/ */
  readonly root?: string
}

/**
 * Serves dist/web/<file> at `/assets/<file>`. Cross-origin reads are allowed: the widget's script
 * is meant to be loaded by any site.
 */
export async function registerWebAssets(app: FastifyInstance, opts: WebAssetsOptions = {}): Promise<void> {
  // Browsers ask for it on every page; an empty answer keeps 404s out of the logs and consoles.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  )
  await app.register(async (scope) => {
    scopeSecurityHeaders(scope, CROSS_ORIGIN_READABLE)
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true }
    })
    // Only here: compressing the API's event stream would hold its events back.
    await scope.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 })
    await scope.register(fastifyStatic, {
      root: opts.root ?? WEB_DIST,
      prefix: '/assets/',
      // Only the bundles themselves: no index, no directory listing, no dotfiles.
      index: false,
      list: false,
      dotfiles: 'deny',
      etag: true,
      lastModified: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', assetCacheControl(path))
        res.setHeader('access-control-allow-origin', '*')
      },
    })
  })
}

export interface PageShell {
  readonly title: string
  readonly lang?: string
  /** Body markup; every interpolated value must already be escaped with `escapeHtml`. */
  readonly body: string
  /** Bundles under /assets/ to load as ES modules. */
  readonly scripts?: readonly string[]
  /** Extra CSS (this origin's pages only; inline styles are allowed, inline scripts are not). */
  readonly css?: string
}

/** The Content-Security-Policy of verigate's pages (set by helmet, src/http/security-headers.ts). */
export const PAGE_CSP = cspHeader(PAGE_CSP_DIRECTIVES)

/** Sends a full HTML page (its security headers come from helmet: src/http/security-headers.ts). */
export function sendPage(reply: FastifyReply, page: PageShell): FastifyReply {
  const scripts = (page.scripts ?? [])
    .map((s) => `<script type="module" src="/assets/${escapeHtml(s)}"></script>`)
    .join('\n')
  const html = `<!doctype html>
<html lang="${escapeHtml(page.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${page.css ? `<style>${page.css}</style>` : ''}
${scripts}
</head>
<body>
${page.body}
</body>
</html>`
  return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html)
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
