/**
 * A real cluster under load (issue 19): two `api` and two `worker` processes on a PostgreSQL and a
 * Redis of the test's own, with the carrier simulator as a process of its own that the workers
 * reach over HTTP and that posts its receipts to both APIs. Starts are spread over both APIs the
 * whole time while one worker and one API are killed with SIGKILL (and started again), and
 * PostgreSQL and Redis are restarted. Printed: verifications accepted, delivered, duplicated, lost,
 * answers 5xx other than 503, and the recovery time after each event. Lost and non-503 5xx must be 0.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  clusterSettings,
  countDeliveries,
  createService,
  type LoadReport,
  newReceiptSecret,
  type SimulatorProcess,
  startLoad,
  startSimulatorProcess,
  waitForReceipts,
} from '../helpers/cluster.js'
import { type PrivatePostgres, startPrivatePostgres } from '../helpers/private-postgres.js'
import { type PrivateRedis, startPrivateRedis } from '../helpers/private-redis.js'
import { freePort, type ServerProcess, startServerProcess } from '../helpers/server-process.js'

const CLIENTS = 8
/** Load between two events, so each recovery shows in the figures. */
const BETWEEN_EVENTS_MS = 2_500
/** Starting a process takes seconds, and far more on a busy machine. */
const READY_TIMEOUT_MS = 90_000

const cleanups: Array<() => Promise<void> | void> = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Time from `since` to the first start accepted (by `api`, when given) after it. */
function recoveryMs(report: LoadReport, since: number, api?: string): number | undefined {
  const first = report.acceptedAt.find((a) => a.at >= since && (api === undefined || a.api === api))
  return first ? first.at - since : undefined
}

async function untilAccepted(report: LoadReport, since: number, api?: string): Promise<void> {
  const until = Date.now() + 30_000
  while (recoveryMs(report, since, api) === undefined && Date.now() < until) await sleep(100)
}

describe('cluster: 2 APIs + 2 workers + the simulator, on PostgreSQL and Redis', () => {
  it('kills a worker and an API and restarts PostgreSQL and Redis under load: nothing lost, no 5xx but 503', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verigate-cluster-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const [pg, redis]: [PrivatePostgres, PrivateRedis] = await Promise.all([
      startPrivatePostgres(),
      startPrivateRedis(),
    ])
    cleanups.push(
      () => pg.close(),
      () => redis.close(),
    )
    const databaseUrl = await pg.createDatabase('cluster')
    const apiPorts = [await freePort(), await freePort()]
    const apis = apiPorts.map((p) => `http://127.0.0.1:${p}`)
    const receiptSecret = newReceiptSecret()
    const simulator: SimulatorProcess = await startSimulatorProcess({
      receiptUrls: apis.map((a) => `${a}/v1/receipts/carrier`),
      receiptSecret,
      deliveryDelayMs: 100,
      answerDelayMs: 100,
    })
    cleanups.push(() => simulator.kill('SIGKILL'))
    const settings = clusterSettings({
      dir,
      databaseUrl,
      redisUrl: redis.url,
      simulatorUrl: simulator.url,
      receiptSecret,
      extra: {
        postgres: {
          connectTimeoutMs: 2_000,
          statementTimeoutMs: 1_500,
          queryTimeoutMs: 2_000,
          probeIntervalMs: 250,
        },
        redis: {
          connectTimeoutMs: 1_000,
          commandTimeoutMs: 500,
          reconnectMaxDelayMs: 500,
          probeIntervalMs: 250,
        },
      },
    })
    const started: ServerProcess[] = []
    const start = async (role: 'api' | 'worker', port?: number) => {
      const p = await startServerProcess(settings.env, ['--role', role], {
        port,
        readyTimeoutMs: READY_TIMEOUT_MS,
      })
      started.push(p)
      cleanups.push(() => p.kill('SIGKILL'))
      return p
    }
    // One first, so the two do not race to migrate an empty database; then the rest together.
    const api1 = await start('api', apiPorts[0])
    let [api2, worker1, worker2] = await Promise.all([
      start('api', apiPorts[1]),
      start('worker'),
      start('worker'),
    ])
    void api1
    void worker2
    const serviceId = await createService(apis[0]!, settings.adminKey, 'Cluster Exchange')

    let running = true
    const load = startLoad({
      apis: () => apis,
      adminKey: settings.adminKey,
      serviceId,
      concurrency: CLIENTS,
      running: () => running,
    })
    const report = load.report
    const events: Record<string, { at: number; backAt?: number; recoveryMs?: number | undefined }> = {}
    const t0 = Date.now()
    await sleep(BETWEEN_EVENTS_MS)

    // A worker dies mid-hand-over; the other carries on, and it comes back.
    events.worker_killed = { at: Date.now() }
    await worker1.kill('SIGKILL')
    worker1 = await start('worker')
    events.worker_killed.backAt = Date.now()
    await sleep(BETWEEN_EVENTS_MS)

    // An API dies: clients find the other; it comes back on its port and takes starts again.
    events.api_killed = { at: Date.now() }
    await api2.kill('SIGKILL')
    api2 = await start('api', apiPorts[1])
    events.api_killed.backAt = Date.now()
    await untilAccepted(report, events.api_killed.backAt, apis[1])
    events.api_killed.recoveryMs = recoveryMs(report, events.api_killed.backAt, apis[1])
    await sleep(BETWEEN_EVENTS_MS)

    events.postgres_restarted = { at: Date.now() }
    await pg.restart()
    events.postgres_restarted.backAt = Date.now()
    await untilAccepted(report, events.postgres_restarted.backAt)
    events.postgres_restarted.recoveryMs = recoveryMs(report, events.postgres_restarted.backAt)
    await sleep(BETWEEN_EVENTS_MS)

    events.redis_restarted = { at: Date.now() }
    await redis.restart()
    events.redis_restarted.backAt = Date.now()
    await untilAccepted(report, events.redis_restarted.backAt)
    events.redis_restarted.recoveryMs = recoveryMs(report, events.redis_restarted.backAt)
    await sleep(BETWEEN_EVENTS_MS)
    running = false
    await load.done
    const loadMs = Date.now() - t0

    const ids = [...report.accepted.keys()]
    const states = await waitForReceipts(() => apis[0]!, settings.adminKey, ids, 60_000)
    const phones = countDeliveries(report.accepted, await simulator.inbox())
    const stats = await simulator.stats()
    const serverErrors = [...report.statuses].filter(([status]) => status >= 500 && status !== 503)
    const unavailable = report.statuses.get(503) ?? 0
    const withoutReceipt = [...states.values()].filter((m) => m?.status !== 'delivered').length
    const stillRunning = started.filter((p) => p.child.exitCode === null && p.child.signalCode === null)
    for (const p of started)
      if (p.child.exitCode !== null)
        console.log(`a process exited (${p.child.exitCode}) by itself:\n${p.output().slice(-3000)}`)
    const figures = {
      load_seconds: Math.round(loadMs / 1000),
      accepted: report.accepted.size,
      delivered: phones.delivered,
      duplicated: phones.duplicated,
      lost: phones.lost,
      server_errors_other_than_503: serverErrors.reduce((n, [, c]) => n + c, 0),
      answers_503: unavailable,
      connection_errors: report.connectionErrors,
      without_receipt_in_verigate: withoutReceipt,
      repeats_deduplicated_by_simulator: stats.duplicates,
      max_request_ms: Math.round(report.maxLatencyMs),
      recovery_ms: Object.fromEntries(
        Object.entries(events).map(([name, e]) => [name, e.recoveryMs ?? null]),
      ),
      restart_ms: Object.fromEntries(
        Object.entries(events).map(([name, e]) => [name, e.backAt === undefined ? null : e.backAt - e.at]),
      ),
      statuses: Object.fromEntries(report.statuses),
    }
    console.log(`cluster: ${JSON.stringify(figures)}`)

    expect(report.accepted.size).toBeGreaterThan(20)
    expect(phones.lost).toBe(0)
    expect(serverErrors).toEqual([])
    // The processes not killed never exited: two APIs and two workers are up at the end.
    expect(stillRunning.length).toBeGreaterThanOrEqual(4)
    for (const e of Object.values(events))
      if (e.recoveryMs !== undefined) expect(e.recoveryMs).toBeLessThan(10_000)
  }, 300_000)
})
