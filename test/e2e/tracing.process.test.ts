/**
 * Traces from the built server as operators run it (`verigate serve`, OTEL_* variables on), on
 * PostgreSQL and Redis, exported over OTLP/HTTP (JSON) to a small collector in this test. In ESM the
 * pg and ioredis instrumentations patch only through the loader hook registered before those modules
 * load (src/cli/otel-preload.ts): this checks that one start -> deliver -> check has PostgreSQL and
 * Redis spans inside its request spans, the verification steps are there, and no span attribute
 * carries the phone number or the code.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintApiKey } from '../../src/auth/api-key.js'
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js'
import {
  createTestDatabase,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  type TestDatabase,
} from '../helpers/test-database.js'

const TO = '+447700900517'
const TO_DIGITS = TO.slice(1)

/** One span as OTLP/JSON carries it, with its instrumentation scope. */
interface Span {
  readonly scope: string
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
  readonly name: string
  readonly attributes: Record<string, unknown>
}

interface OtlpValue {
  readonly stringValue?: string
  readonly intValue?: string | number
  readonly boolValue?: boolean
  readonly doubleValue?: number
  readonly arrayValue?: { readonly values?: OtlpValue[] }
}
interface OtlpBody {
  readonly resourceSpans?: ReadonlyArray<{
    readonly scopeSpans?: ReadonlyArray<{
      readonly scope?: { readonly name?: string }
      readonly spans?: ReadonlyArray<{
        readonly traceId: string
        readonly spanId: string
        readonly parentSpanId?: string
        readonly name: string
        readonly attributes?: ReadonlyArray<{ readonly key: string; readonly value: OtlpValue }>
      }>
    }>
  }>
}

const plain = (v: OtlpValue): unknown =>
  v.stringValue ??
  v.intValue ??
  v.boolValue ??
  v.doubleValue ??
  (v.arrayValue ? (v.arrayValue.values ?? []).map(plain) : undefined)

/** A local OTLP/HTTP trace receiver (JSON encoding). */
async function startCollector(): Promise<{ url: string; spans: Span[]; close(): Promise<void> }> {
  const spans: Span[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => {
      body += d.toString()
    })
    req.on('end', () => {
      const parsed = JSON.parse(body) as OtlpBody
      for (const rs of parsed.resourceSpans ?? [])
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              scope: ss.scope?.name ?? '',
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, plain(a.value)])),
            })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function eventually<T>(fn: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe.skipIf(!TEST_POSTGRES_URL || !TEST_REDIS_URL)(
  'traces from the server process (PostgreSQL + Redis)',
  () => {
    let db: TestDatabase
    let collector: Awaited<ReturnType<typeof startCollector>>
    let server: ServerProcess
    const { token } = mintApiKey('otel', ['admin'], Date.now())

    beforeAll(async () => {
      ;[db, collector] = await Promise.all([createTestDatabase('postgres'), startCollector()])
      server = await startServerProcess({
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL!,
        VERIGATE_DATA_DIR: db.dataDir,
        VERIGATE_ADMIN_API_KEY: token,
        VERIGATE_SIMULATOR_DELAY_MS: '0',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      })
    }, 60_000)

    afterAll(async () => {
      await server?.kill('SIGTERM')
      await collector?.close()
      await db?.drop()
    })

    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }

    it('one start -> deliver -> check: pg and ioredis spans inside the request spans; no number or code in any attribute', async () => {
      const svc = await api('POST', '/v1/services', { name: 'Traced' })
      expect(svc.status).toBe(201)
      const v = await api('POST', '/v1/verifications', { service_id: svc.body.id, to: TO })
      expect(v.status).toBe(201)
      const id = v.body.id as string
      const sent = await (async () => {
        const until = Date.now() + 15_000
        for (;;) {
          const res = await fetch(`${server.url}/v1/simulator/messages?to=${encodeURIComponent(TO)}`, {
            headers: { authorization: `Bearer ${token}` },
          })
          const first = ((await res.json()) as { data: Array<{ body: string }> }).data[0]
          const found = first?.body.match(/\b(\d{6})\b/)?.[1]
          if (found) return found
          if (Date.now() > until) throw new Error('no code was delivered')
          await new Promise((r) => setTimeout(r, 50))
        }
      })()
      const checked = await api('POST', `/v1/verifications/${id}/check`, { code: sent })
      expect(checked.body.status).toBe('approved')

      const spans = collector.spans
      const byId = new Map<string, Span>()
      const ancestors = (s: Span): Span[] => {
        const out: Span[] = []
        let parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined
        while (parent) {
          out.push(parent)
          parent = parent.parentSpanId ? byId.get(parent.parentSpanId) : undefined
        }
        return out
      }
      const steps = ['verification.start', 'delivery.provider_submit', 'verification.check']
      await eventually(() => {
        for (const s of spans) byId.set(s.spanId, s)
        return steps.every((n) =>
          spans.some((s) => s.name === n && s.attributes['verigate.verification_id'] === id),
        )
      })
      for (const s of spans) byId.set(s.spanId, s)

      const requestSpans = spans.filter((s) => s.scope === '@fastify/otel' && s.name === 'request')
      const underRequest = (s: Span) => ancestors(s).find((a) => requestSpans.includes(a))
      const startSpan = spans.find(
        (s) => s.name === 'verification.start' && s.attributes['verigate.verification_id'] === id,
      )!
      const checkSpan = spans.find(
        (s) => s.name === 'verification.check' && s.attributes['verigate.verification_id'] === id,
      )!
      const startRequest = underRequest(startSpan)
      const checkRequest = underRequest(checkSpan)
      expect(startRequest).toBeDefined()
      expect(checkRequest).toBeDefined()

      const pgSpans = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg')
      const redisSpans = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-ioredis')
      // The start and the check each read and write PostgreSQL and count limits in Redis, inside
      // their own request span.
      for (const request of [startRequest!, checkRequest!]) {
        const inside = (s: Span) => ancestors(s).includes(request)
        expect(
          pgSpans.filter(inside).length,
          `pg spans under ${request.attributes['url.path']}`,
        ).toBeGreaterThan(0)
        expect(
          redisSpans.filter(inside).length,
          `ioredis spans under ${request.attributes['url.path']}`,
        ).toBeGreaterThan(0)
      }
      // The send (the dispatcher, outside any request) is traced down to PostgreSQL too.
      const submit = spans.find(
        (s) => s.name === 'delivery.provider_submit' && s.attributes['verigate.verification_id'] === id,
      )!
      const claim = ancestors(submit).find((s) => s.name === 'delivery.outbox_claim')
      expect(claim).toBeDefined()
      expect(pgSpans.some((s) => ancestors(s).includes(claim!))).toBe(true)

      // Statements without values, Redis commands without keys: nothing carries the number or code.
      const leaks = spans.flatMap((s) =>
        Object.entries(s.attributes)
          .filter(([, value]) => {
            const text = JSON.stringify(value)
            return text.includes(TO_DIGITS) || text.includes(sent)
          })
          .map(([key, value]) => `${s.scope} ${s.name} ${key}=${JSON.stringify(value)}`),
      )
      expect(leaks).toEqual([])
      expect(spans.filter((s) => s.name.includes(TO_DIGITS) || s.name.includes(sent))).toEqual([])
      process.stdout.write(
        `traces: ${spans.length} spans, ${requestSpans.length} requests, ${pgSpans.length} pg, ${redisSpans.length} ioredis\n`,
      )
    }, 60_000)
  },
)
