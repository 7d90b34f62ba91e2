/**
 * Shared pieces of the dependency-failure tests: short timeouts, limits out of the way, a logger
 * whose lines the test can read, and a start request that reports its status and duration.
 */
import { Writable } from 'node:stream'
import { pino } from 'pino'
import type { Logger } from '../../src/shared/logger.js'
import { buildTestApp, createTestService } from '../helpers/test-deps.js'

/** Timeouts short enough for a test; the assertions are stated against these. */
export const FAST_POSTGRES = {
  connectTimeoutMs: 1_000,
  statementTimeoutMs: 800,
  queryTimeoutMs: 1_000,
  probeIntervalMs: 200,
}
export const FAST_REDIS = {
  connectTimeoutMs: 1_000,
  commandTimeoutMs: 300,
  reconnectMaxDelayMs: 300,
  probeIntervalMs: 200,
}

const roomy = (points: number) => ({ points, durationSeconds: 600 })
/** Every counted limit far above what a test sends, so only outages decide the answers. */
export const ROOMY_LIMITS = {
  sendsPerDestination: roomy(1_000),
  startsPerIp: roomy(1_000_000),
  startsPerService: roomy(1_000_000),
  globalSends: roomy(1_000_000),
  checksPerDestination: roomy(1_000),
  startsPerPrefix: roomy(1_000_000),
}

export interface LogLine {
  level: number
  msg: string
  [key: string]: unknown
}

/** A pino logger at debug that keeps every line for the test to read. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine)
      done()
    },
  })
  return { logger: pino({ level: 'debug' }, stream), lines }
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>

/** An app on the real clock with a service, and a `start` that times itself. */
export async function resilienceApp(config: Record<string, unknown>, logger?: Logger) {
  const t = await buildTestApp({
    realClock: true,
    // Consecutive numbers and no code entered is SMS pumping to the fraud guard: off here.
    config: { limits: ROOMY_LIMITS, fraud: { mode: 'off' }, ...config },
    overrides: logger ? { logger } : {},
  })
  const service = await createTestService(t.deps)
  let n = 0
  const start = async (to = `+447911${String(100_000 + (n++ % 900_000))}`) => {
    const t0 = performance.now()
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/verifications',
      headers: t.auth(t.verifyKey),
      payload: { service_id: service.id, to },
    })
    return { res, ms: performance.now() - t0, to }
  }
  const timed = async (url: string) => {
    const t0 = performance.now()
    const res = await t.app.inject({ method: 'GET', url })
    return { res, ms: performance.now() - t0 }
  }
  return { t, service, start, timed }
}

/** Polls until `fn` is truthy; returns how long that took. */
export async function waitUntil(fn: () => Promise<unknown> | unknown, timeoutMs: number): Promise<number> {
  const t0 = Date.now()
  for (;;) {
    if (await fn()) return Date.now() - t0
    if (Date.now() - t0 > timeoutMs) throw new Error(`not within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
