/**
 * @module The API reference at `/docs`: Scalar's Fastify integration (its browser bundle ships
 * inside the npm package and is served from `/docs/js/scalar.js`, so the page works offline, with
 * no CDN), branded as verigate, over the app's own OpenAPI document enriched with what a developer
 * needs beside the endpoints: the error catalog (docs/errors.md), the guides from docs/, and a
 * copyable curl and TypeScript example on every operation. Fonts come from the system, the "try
 * it" client talks only to this origin, and a Content-Security-Policy keeps every other host out
 * (REFERENCE_CSP_DIRECTIVES in security-headers.ts).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import scalar from '@scalar/fastify-api-reference'
import type { FastifyInstance } from 'fastify'
import { REFERENCE_HEADERS, scopeSecurityHeaders } from './security-headers.js'

/** docs/ at the project root; this file sits two levels down in both src/ and dist/. */
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url))

/**
 * The guides for developers of apps, in reading order, with their sidebar names. (providers.md
 * and support-console.md are for operators and support staff: they stay in docs/.)
 */
const GUIDES: ReadonlyArray<readonly [file: string, title: string]> = [
  ['widget.md', 'Guide: the widget and the hosted page'],
  ['client-api.md', 'Guide: the client API (browser tokens)'],
  ['webhooks.md', 'Guide: webhooks'],
  ['authenticators.md', 'Guide: authenticator apps, passkeys and recovery codes'],
  ['diagnosis.md', 'Guide: diagnosis ("why didn\'t the code arrive?")'],
  ['analytics.md', 'Guide: analytics and alerts'],
  ['twilio-compat.md', 'Guide: Twilio Verify compatibility'],
]

function readDoc(file: string): string | undefined {
  try {
    return readFileSync(DOCS + file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * A docs/ page as a section of the reference: its own title dropped (the section names it), every
 * heading one level down so the page's sections nest under it, and links to sibling pages (which
 * are sections here, not files) kept as their text.
 */
export function asSection(markdown: string, title: string): string {
  const lines = markdown.split('\n')
  let fenced = false
  const body = lines
    .map((line, i) => {
      if (line.startsWith('```')) fenced = !fenced
      if (fenced) return line
      if (i === 0 && line.startsWith('# ')) return ''
      return line.replace(/^(#{1,5}) /, '#$1 ')
    })
    .join('\n')
    .replace(/\[([^\]]+)\]\((?![a-z]+:|#)[^)]*\.md(#[^)]*)?\)/g, '$1')
  return `## ${title}\n${body.trim()}\n`
}

const INTRO = `Self-hosted phone and email verification: one-time codes by SMS, voice, WhatsApp and email,
with delivery receipts, failover, layered rate limits that always say how long to wait, and an event
timeline for every verification.

**Authentication.** Server-side calls send an API key, \`Authorization: Bearer vgk_...\` (scopes
\`read\`, \`verify\`, \`admin\`). The browser never gets a key: your server mints a short-lived client
token (\`vct_...\`) for the widget or the hosted page.

**Errors.** Every error is \`{"error": {"code", "message", "request_id", ...}}\` with a stable \`code\`
from the catalog below and a \`message\` written for a person.

**Examples.** Every operation has a copyable curl and TypeScript example (Node 20+, no SDK), with
\`VERIGATE_URL\` and \`VERIGATE_API_KEY\` taken from the environment.
`

/** The reference's introduction: the overview, the error catalog, then the guides. */
export function referenceIntro(read: (file: string) => string | undefined = readDoc): string {
  const errors = read('errors.md')
  const parts = [INTRO]
  if (errors) parts.push(asSection(errors, 'Errors: the catalog'))
  for (const [file, title] of GUIDES) {
    const text = read(file)
    if (text) parts.push(asSection(text, title))
  }
  return parts.join('\n')
}

type Json = Record<string, unknown>
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** A value for a schema, enough to show the shape of a body: required fields only, examples first. */
function sample(schema: unknown, name = '', depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 4) return null
  const s = schema as Json
  if (s.example !== undefined) return s.example
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0]
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
  switch (type) {
    case 'object': {
      const props = (s.properties ?? {}) as Json
      const required = Array.isArray(s.required) ? (s.required as string[]) : []
      return Object.fromEntries(required.map((k) => [k, sample(props[k], k, depth + 1)]))
    }
    case 'array':
      return [sample(s.items, name, depth + 1)]
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1
    case 'boolean':
      return true
    default:
      return NAMED_SAMPLES[name] ?? 'string'
  }
}

const NAMED_SAMPLES: Record<string, string> = {
  service_id: 'svc_...',
  to: '+447700900123',
  code: '123456',
  name: 'Acme',
  url: 'https://app.example.com/hooks/verigate',
  entity_id: 'user-42',
}

/** `/v1/services/{id}` with the path's parameters as `${id}` placeholders for the template literal. */
const tsPath = (path: string) => path.replace(/\{(\w+)\}/g, (_m, p: string) => `\${${p}}`)

function codeSamples(method: string, path: string, op: Json): Json[] {
  const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Json
  const jsonSchema = (content['application/json'] as Json | undefined)?.schema
  const body = jsonSchema ? sample(jsonSchema) : undefined
  const security = op.security as Json[] | undefined
  const client = security?.some((s) => 'clientToken' in s)
  const token = client ? 'VERIGATE_CLIENT_TOKEN' : 'VERIGATE_API_KEY'
  const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  const json = body === undefined ? undefined : JSON.stringify(body, null, 2)
  const verb = method.toUpperCase()
  const curl = [
    `curl -X ${verb} "$VERIGATE_URL${path.replace(/\{(\w+)\}/g, (_m, p: string) => `$${p.toUpperCase()}`)}" \\`,
    `  -H "Authorization: Bearer $${token}"${json ? ' \\' : ''}`,
    ...(json ? ["  -H 'content-type: application/json' \\", `  -d '${JSON.stringify(body)}'`] : []),
  ].join('\n')
  const ts = [
    "const base = process.env.VERIGATE_URL ?? 'http://127.0.0.1:8080'",
    ...params.map((p) => `const ${p} = '...'`),
    `const res = await fetch(\`\${base}${tsPath(path)}\`, {`,
    `  method: '${verb}',`,
    '  headers: {',
    `    authorization: \`Bearer \${process.env.${token}}\`,`,
    ...(json ? ["    'content-type': 'application/json',"] : []),
    '  },',
    ...(json ? [`  body: JSON.stringify(${json.replace(/\n/g, '\n  ')}),`] : []),
    '})',
    '// Errors are {error: {code, message, request_id}}: program against `code`, show `message`.',
    'if (!res.ok) throw new Error((await res.json()).error.message)',
    ...(verb === 'DELETE' ? [] : ['const data = await res.json()']),
  ].join('\n')
  return [
    { lang: 'Shell', label: 'curl', source: curl },
    { lang: 'TypeScript', label: 'TypeScript', source: ts },
  ]
}

/** The app's OpenAPI document with the introduction and the examples added (the original is left alone). */
export function referenceDocument(doc: Json, intro = referenceIntro()): Json {
  const copy = structuredClone(doc)
  const info = (copy.info ?? {}) as Json
  copy.info = { ...info, title: 'verigate API', description: intro }
  for (const [path, item] of Object.entries((copy.paths ?? {}) as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined
      // A route with several methods shares one operation object: give each method its own.
      if (op && !op['x-codeSamples']) item[method] = { ...op, 'x-codeSamples': codeSamples(method, path, op) }
    }
  }
  return copy
}

/**
 * Scalar's theme in verigate's colours (the widget's and the console's), a brand bar over the
 * sidebar, and the fixes axe asks for: syntax colours at 4.5:1 on the code background, and code
 * that wraps instead of scrolling sideways in a box the keyboard cannot reach.
 */
const BRAND_CSS = `
:root{--scalar-font:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;--scalar-font-code:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;--scalar-radius:8px}
.light-mode{--scalar-color-1:#1c1e21;--scalar-color-2:#3f444b;--scalar-color-3:#4d5158;--scalar-color-accent:#0b57d0;--scalar-background-1:#fff;--scalar-background-2:#f3f4f6;--scalar-background-3:#e8eaee;--scalar-background-accent:#e8f0fe;--scalar-border-color:#d5d8dc;
--scalar-color-green:#146c2e;--scalar-color-blue:#0b57d0;--scalar-color-orange:#a03f00;--scalar-color-purple:#6b2fb3;--scalar-color-red:#b3261e;--scalar-color-yellow:#735600;--scalar-color-pink:#a3195b}
.dark-mode{--scalar-color-accent:#8ab4f8;--scalar-background-1:#12161c;--scalar-background-2:#1d2430;--scalar-background-3:#273142}
.t-doc__sidebar::before{content:"verigate \\00B7  API reference";display:block;padding:14px 16px;background:#0f2a44;color:#fff;font:700 16px/1.3 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.scalar-app pre code.custom-scroll,.scalar-app .markdown pre code{white-space:pre-wrap!important;overflow:visible!important;overflow-wrap:anywhere}
.scalar-app pre code.custom-scroll *,.scalar-app .markdown pre code *{white-space:inherit!important;word-break:inherit!important;overflow-wrap:inherit!important;display:inline!important}
.scalar-app pre code.custom-scroll,.scalar-app .markdown pre code{word-break:break-all!important;tab-size:2}
.scalar-app .markdown table{table-layout:fixed;width:100%;display:table}
.scalar-app .markdown td,.scalar-app .markdown th,.scalar-app .markdown code{overflow-wrap:anywhere;word-break:break-word}
`

export async function registerApiReference(app: FastifyInstance): Promise<void> {
  // Scalar's page has no language; screen readers need one.
  // A callback hook: it runs on every answer, and an async one costs a promise each time.
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.url.startsWith('/docs') && typeof payload === 'string' && /^<!doctype html>/i.test(payload))
      done(null, payload.replace(/<html(?![^>]*\blang=)/i, '<html lang="en"'))
    else done(null, payload)
  })
  // The document is built once, on first use: the routes are all registered by then.
  let built: Json | undefined
  // Scalar's own scope, so its routes (which verigate does not declare) get the reference's CSP.
  await app.register(async (scope) => {
    scopeSecurityHeaders(scope, REFERENCE_HEADERS)
    await scope.register(scalar, {
      routePrefix: '/docs',
      configuration: {
        content: () => {
          built ??= referenceDocument(app.swagger() as unknown as Json)
          return built
        },
        pageTitle: 'verigate API reference',
        metaData: {
          title: 'verigate API reference',
          description: 'The verigate HTTP API, guides and error catalog.',
        },
        favicon:
          'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"%3E%3Crect width="16" height="16" rx="3" fill="%230b57d0"/%3E%3Cpath d="M4 8.5l2.5 2.5L12 5" stroke="white" stroke-width="2" fill="none"/%3E%3C/svg%3E',
        theme: 'none',
        customCss: BRAND_CSS,
        withDefaultFonts: false,
        hideClientButton: true,
        showDeveloperTools: 'never',
        defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
        hiddenClients: true,
        documentDownloadType: 'json',
        mcp: { disabled: true },
        agent: { disabled: true },
        telemetry: false,
      } as Record<string, unknown>,
    })
  })
}
