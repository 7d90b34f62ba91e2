/**
 * Chaos under load (issue 19): the built server as a process, on a PostgreSQL and a Redis of the
 * test's own, with starts and reads running the whole time, while PostgreSQL is killed and
 * restarted, PostgreSQL and Redis are frozen (SIGSTOP) and thawed, and Redis is killed and
 * restarted. The process never exits, nothing answers 500, no request outlasts the configured
 * timeout plus a second, every accepted verification is readable and its code is sent, and service
 * is back within 10 s of each dependency's return. The figures are printed.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintApiKey } from '../../src/auth/api-key.js'
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/private-postgres.js'
import { type PrivateRedis, startPrivateRedis } from '../helpers/private-redis.js'
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js'

const POSTGRES = {
  connectTimeoutMs: 2_000,
  statementTimeoutMs: 1_500,
  queryTimeoutMs: 2_000,
  probeIntervalMs: 250,
}
const REDIS = {
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 500,
  reconnectMaxDelayMs: 500,
  probeIntervalMs: 250,
}
/** The longest any request may wait on a dependency, per the settings above. */
const CONFIGURED_TIMEOUT_MS = Math.max(
  POSTGRES.queryTimeoutMs,
  POSTGRES.connectTimeoutMs,
  REDIS.commandTimeoutMs,
)
const WORKERS = 6
const roomy = { points: 1_000_000, durationSeconds: 600 }

/** The fields of the answers this test reads. */
interface AnswerBody {
  readonly id?: string
  readonly error?: { readonly dependency?: string }
  readonly messages?: ReadonlyArray<{ readonly sent_at: string | null }>
}

interface Outcome {
  readonly kind: 'start' | 'read'
  readonly phase: string
  readonly status: number
  readonly ms: number
  readonly at: number
  readonly retryAfter: string | null
  readonly dependency: string | undefined
}

let pg: PrivatePostgres
let redis: PrivateRedis
let server: ServerProcess
const dir = mkdtempSync(join(tmpdir(), 'verigate-chaos-'))

beforeAll(async () => {
  ;[pg, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()])
  const databaseUrl = await pg.createDatabase('chaos')
  const configFile = join(dir, 'config.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      postgres: POSTGRES,
      redis: REDIS,
      limits: {
        sendsPerDestination: roomy,
        startsPerIp: roomy,
        startsPerService: roomy,
        globalSends: roomy,
        checksPerDestination: roomy,
        startsPerPrefix: roomy,
      },
      // The load walks consecutive numbers and enters no code: SMS pumping to the fraud guard.
      fraud: { mode: 'off' },
      // A send interrupted by an outage is claimed again when its lease ends.
      dispatcher: { pollIntervalMs: 200, leaseMs: 3_000 },
      simulator: { deliveryDelayMs: 50 },
    }),
  )
  const { token } = mintApiKey('chaos', ['admin'], Date.now())
  server = await startServerProcess({
    VERIGATE_CONFIG: configFile,
    VERIGATE_DATA_DIR: dir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    VERIGATE_ADMIN_API_KEY: token,
    VERIGATE_SECRET_KEYS: `k1:${randomBytes(24).toString('base64url')}`,
  })
  adminKey = token
}, 60_000)

afterAll(async () => {
  await server?.kill('SIGKILL')
  await Promise.all([pg?.close(), redis?.close()])
  rmSync(dir, { recursive: true, force: true })
})

let adminKey = ''
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function call(method: string, path: string, body?: unknown) {
  const t0 = performance.now()
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    // Far above any bound asserted: a hang is measured, not waited on forever.
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  return {
    status: res.status,
    json: (text ? JSON.parse(text) : {}) as AnswerBody,
    ms: performance.now() - t0,
    retryAfter: res.headers.get('retry-after'),
  }
}

describe('chaos: dependencies fail under load', () => {
  it('never exits, never answers 500, never waits past the timeout + 1 s, loses nothing, recovers within 10 s', async () => {
    const service = await call('POST', '/v1/services', { name: 'Chaos Exchange' })
    expect(service.status).toBe(201)
    const serviceId = service.json.id ?? ''

    const outcomes: Outcome[] = []
    const accepted = new Map<string, string>() // verification id → number
    let phase = 'baseline'
    let running = true
    let n = 0
    const record = (kind: Outcome['kind'], r: Awaited<ReturnType<typeof call>>) =>
      outcomes.push({
        kind,
        phase,
        status: r.status,
        ms: r.ms,
        at: Date.now(),
        retryAfter: r.retryAfter,
        dependency: r.json.error?.dependency,
      })
    const worker = async () => {
      while (running) {
        const to = `+447911${String(100_000 + n++)}`
        const started = await call('POST', '/v1/verifications', { service_id: serviceId, to })
        record('start', started)
        if (started.status === 201 && started.json.id) {
          accepted.set(started.json.id, to)
          record('read', await call('GET', `/v1/verifications/${started.json.id}`))
        } else if (started.status === 503) {
          await sleep(50) // a client backing off a little
        }
      }
    }
    const load = Promise.all(Array.from({ length: WORKERS }, worker))

    const recoveries: Record<string, { firstStartMs: number; readyMs: number }> = {}
    /** After a dependency returns: time to the first accepted start, and to /readyz "ready". */
    const recovery = async (name: string, returnedAt: number) => {
      let firstStartMs = Number.NaN
      let readyMs = Number.NaN
      while (Date.now() - returnedAt < 15_000 && (Number.isNaN(firstStartMs) || Number.isNaN(readyMs))) {
        if (Number.isNaN(firstStartMs)) {
          const first = outcomes.find((o) => o.kind === 'start' && o.status === 201 && o.at >= returnedAt)
          if (first) firstStartMs = first.at - returnedAt
        }
        if (Number.isNaN(readyMs)) {
          const ready = await fetch(`${server.url}/readyz`).then(
            (r) => r.json() as Promise<{ status?: string }>,
          )
          if (ready.status === 'ready') readyMs = Date.now() - returnedAt
        }
        await sleep(100)
      }
      recoveries[name] = { firstStartMs, readyMs }
    }
    const stillRunning = () => server.child.exitCode === null && server.child.signalCode === null

    await sleep(2_000)

    phase = 'postgres killed'
    await pg.kill()
    await sleep(2_000)
    await pg.restart()
    phase = 'postgres back'
    await recovery('postgres killed and restarted', Date.now())
    expect(stillRunning()).toBe(true)

    phase = 'postgres frozen'
    pg.freeze()
    await sleep(3_000)
    pg.thaw()
    phase = 'postgres thawed'
    await recovery('postgres frozen and thawed', Date.now())
    expect(stillRunning()).toBe(true)

    phase = 'redis frozen'
    redis.freeze()
    await sleep(3_000)
    redis.thaw()
    phase = 'redis thawed'
    await recovery('redis frozen and thawed', Date.now())

    phase = 'redis killed'
    await redis.kill()
    await sleep(2_000)
    await redis.restart()
    phase = 'redis back'
    await recovery('redis killed and restarted', Date.now())
    await sleep(1_000)
    running = false
    await load
    expect(stillRunning()).toBe(true)

    // Every accepted verification is readable, and its code reaches the provider.
    const pending = new Map(accepted)
    const deadline = Date.now() + 20_000
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending.keys()]) {
        const v = await call('GET', `/v1/verifications/${id}`)
        const sent = (v.json.messages as Array<{ sent_at: string | null }> | undefined)?.some(
          (m) => m.sent_at,
        )
        if (v.status === 200 && sent) pending.delete(id)
      }
      if (pending.size > 0) await sleep(500)
    }

    const byStatus: Record<string, number> = {}
    for (const o of outcomes) byStatus[`${o.kind} ${o.status}`] = (byStatus[`${o.kind} ${o.status}`] ?? 0) + 1
    const phases = [...new Set(outcomes.map((o) => o.phase))].map((p) => {
      const of = outcomes.filter((o) => o.phase === p)
      return {
        phase: p,
        requests: of.length,
        '2xx': of.filter((o) => o.status < 300).length,
        '503': of.filter((o) => o.status === 503).length,
        maxMs: Math.round(Math.max(...of.map((o) => o.ms))),
      }
    })
    const maxMs = Math.max(...outcomes.map((o) => o.ms))
    console.log(
      [
        'dependency chaos figures',
        `  requests: ${outcomes.length}; by kind and status: ${JSON.stringify(byStatus)}`,
        `  verifications accepted: ${accepted.size}; readable and sent: ${accepted.size - pending.size}; lost: ${pending.size}`,
        `  max request latency: ${Math.round(maxMs)} ms (bound ${CONFIGURED_TIMEOUT_MS + 1_000} ms)`,
        ...phases.map((p) => `  ${p.phase}: ${JSON.stringify(p)}`),
        ...Object.entries(recoveries).map(
          ([name, r]) =>
            `  recovery after ${name}: first 201 in ${r.firstStartMs} ms, /readyz ready in ${r.readyMs} ms`,
        ),
      ].join('\n'),
    )

    expect(stillRunning()).toBe(true)
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([])
    expect(outcomes.filter((o) => o.status !== 503 && o.status >= 300)).toEqual([])
    for (const o of outcomes.filter((x) => x.status === 503)) {
      expect(Number(o.retryAfter)).toBeGreaterThan(0)
      expect(o.dependency).toBe('postgres')
    }
    expect(maxMs).toBeLessThan(CONFIGURED_TIMEOUT_MS + 1_000)
    expect(accepted.size).toBeGreaterThan(0)
    expect([...pending.keys()]).toEqual([])
    for (const [name, r] of Object.entries(recoveries)) {
      expect(r.firstStartMs, `${name}: first 201`).toBeLessThan(10_000)
      expect(r.readyMs, `${name}: /readyz ready`).toBeLessThan(10_000)
    }
    // The outages were real: PostgreSQL's gaps were answered with 503, Redis's were not noticed.
    expect(phases.find((p) => p.phase === 'postgres killed')?.['503']).toBeGreaterThan(0)
    expect(phases.find((p) => p.phase === 'redis killed')?.['503']).toBe(0)
  }, 120_000)
})
