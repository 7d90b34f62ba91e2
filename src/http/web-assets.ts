/**
 * @module The browser bundles built from web/ (scripts/build-web.mjs writes them to dist/web/) and
 * the HTML shell of verigate's own pages. Bundles are read once and served with an ETag; pages get
 * a strict Content-Security-Policy (scripts only from this origin, no inline script).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { CROSS_ORIGIN_READABLE, cspHeader, PAGE_CSP_DIRECTIVES } from './security-headers.js'

/** dist/web/ at the project root; this file sits two levels down in both src/ and dist/. */
const WEB_DIST = fileURLToPath(new URL('../../dist/web/', import.meta.url))

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

interface Asset {
  readonly body: Buffer
  readonly etag: string
  readonly type: string
}

const cache = new Map<string, Asset | null>()

function loadAsset(file: string): Asset | null {
  if (cache.has(file)) return cache.get(file) ?? null
  const ext = file.slice(file.lastIndexOf('.'))
  const type = CONTENT_TYPES[ext]
  let asset: Asset | null = null
  if (type && /^[a-z0-9][a-z0-9._-]*$/i.test(file) && !file.includes('..')) {
    try {
      const body = readFileSync(WEB_DIST + file)
      asset = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`, type }
    } catch {
      asset = null
    }
  }
  cache.set(file, asset)
  return asset
}

/**
 * Serves dist/web/<file> at `/assets/<file>`. Cross-origin reads are allowed: the widget's script
 * is meant to be loaded by any site.
 */
export function registerWebAssets(app: FastifyInstance): void {
  // Browsers ask for it on every page; an empty answer keeps 404s out of the logs and consoles.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.code(204).header('cache-control', 'public, max-age=86400').send(),
  )
  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { hide: true }, helmet: CROSS_ORIGIN_READABLE },
    async (request, reply) => {
      const asset = loadAsset(request.params.file)
      if (!asset) {
        return reply.code(404).send({
          error: {
            code: 'not_found',
            message: `No asset ${request.params.file}. Run \`npm run build\` to build the web bundles.`,
            request_id: request.id,
          },
        })
      }
      reply.header('access-control-allow-origin', '*')
      reply.header('cache-control', 'no-cache')
      reply.header('etag', asset.etag)
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send()
      return reply.type(asset.type).send(asset.body)
    },
  )
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
