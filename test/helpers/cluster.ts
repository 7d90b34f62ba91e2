/**
 * Pieces of a real verigate cluster for tests: the carrier simulator as a process of its own
 * (`verigate simulator`), the config file that points workers at it, a load of starts spread over
 * several APIs, and the final count of what reached the phones (from the simulator's inbox) and
 * what verigate knows (each verification's messages).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mintApiKey } from '../../src/auth/api-key.js'
import { carrierServiceProviderConfig } from '../../src/simulator/carrier-service.js'
import { CLI, freePort } from './server-process.js'

export interface SimulatorProcess {
  readonly url: string
  readonly child: ChildProcess
  output(): string
  stats(): Promise<SimulatorStats>
  /** Every message the simulated phones received, newest first. */
  inbox(): Promise<Array<{ to: string; body: string }>>
  kill(signal?: NodeJS.Signals): Promise<void>
}

export interface SimulatorStats {
  readonly submits: number
  readonly duplicates: number
  readonly delivered: number
  readonly receiptsSent: number
  readonly receiptFailures: number
  readonly receiptsPending: number
  readonly receiptsDropped: number
}

export async function startSimulatorProcess(opts: {
  receiptUrls: readonly string[]
  receiptSecret: string
  deliveryDelayMs?: number
  answerDelayMs?: number
  dedup?: boolean
}): Promise<SimulatorProcess> {
  const port = await freePort()
  const args = [
    CLI,
    'simulator',
    '--port',
    String(port),
    // One argument: a base64url secret may start with "-", which on its own reads as an option.
    `--receipt-secret=${opts.receiptSecret}`,
    '--delay-ms',
    String(opts.deliveryDelayMs ?? 100),
    '--answer-delay-ms',
    String(opts.answerDelayMs ?? 0),
    ...opts.receiptUrls.flatMap((u) => ['--receipt-url', u]),
    ...(opts.dedup === false ? ['--no-dedup'] : []),
  ]
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  const url = `http://127.0.0.1:${port}`
  const until = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`simulator exited with ${child.exitCode}:\n${out}`)
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`simulator did not start:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    child,
    output: () => out,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as SimulatorStats,
    inbox: async () =>
      (
        (await (await fetch(`${url}/messages?limit=1000000`)).json()) as {
          messages: Array<{ to: string; body: string }>
        }
      ).messages,
    kill: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      }),
  }
}

/** Shared settings of every process of one cluster: keys, admin key, config file. */
export interface ClusterSettings {
  readonly env: Record<string, string>
  readonly adminKey: string
  readonly receiptSecret: string
}

const roomy = { points: 1_000_000, durationSeconds: 600 }

/**
 * Writes the config every verigate process of the cluster loads: the out-of-process simulator as
 * its only provider (the built-in one off), a short lease so a dead worker's sends come back soon,
 * and limits (and a fraud guard) that the load does not hit.
 */
export function clusterSettings(opts: {
  dir: string
  databaseUrl: string
  redisUrl?: string
  simulatorUrl: string
  receiptSecret: string
  extra?: Record<string, unknown>
}): ClusterSettings {
  const configFile = join(opts.dir, 'config.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: [carrierServiceProviderConfig(opts.simulatorUrl, opts.receiptSecret)],
      simulator: { enabled: false },
      limits: {
        sendsPerDestination: roomy,
        startsPerIp: roomy,
        startsPerService: roomy,
        globalSends: roomy,
        checksPerDestination: roomy,
        startsPerPrefix: roomy,
      },
      dispatcher: { pollIntervalMs: 200, leaseMs: 5_000 },
      // The load walks consecutive numbers and enters no code: SMS pumping to the fraud guard.
      fraud: { mode: 'off' },
      ...opts.extra,
    }),
  )
  const { token } = mintApiKey('cluster', ['admin'], Date.now())
  return {
    adminKey: token,
    receiptSecret: opts.receiptSecret,
    env: {
      VERIGATE_CONFIG: configFile,
      VERIGATE_DATA_DIR: opts.dir,
      DATABASE_URL: opts.databaseUrl,
      ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
      VERIGATE_ADMIN_API_KEY: token,
      VERIGATE_SECRET_KEYS: `k1:${randomBytes(24).toString('base64url')}`,
    },
  }
}

export const newReceiptSecret = () => randomBytes(18).toString('base64url')

export interface LoadReport {
  /** Verification id → number, for every start answered 201. */
  readonly accepted: Map<string, string>
  /** HTTP status → count, for every answer. */
  readonly statuses: Map<number, number>
  /** Requests that got no answer (a killed API's connections). */
  connectionErrors: number
  maxLatencyMs: number
  /** When each start answered 201 (ms since epoch) and which API answered, for recovery times. */
  readonly acceptedAt: Array<{ readonly at: number; readonly api: string }>
}

/**
 * Starts verifications from `concurrency` clients until `running()` turns false, each client going
 * round the APIs (as a load balancer would), moving on when one refuses the connection.
 */
export async function runStarts(opts: LoadOptions): Promise<LoadReport> {
  const load = startLoad(opts)
  await load.done
  return load.report
}

export interface LoadOptions {
  apis: () => readonly string[]
  adminKey: string
  serviceId: string
  concurrency: number
  running: () => boolean
  numberPrefix?: string
}

/** `runStarts`, with the report readable while the load runs. */
export function startLoad(opts: LoadOptions): { report: LoadReport; done: Promise<void> } {
  const report: LoadReport = {
    accepted: new Map(),
    statuses: new Map(),
    connectionErrors: 0,
    maxLatencyMs: 0,
    acceptedAt: [],
  }
  let n = 0
  const client = async (c: number) => {
    let turn = c
    while (opts.running()) {
      const apis = opts.apis()
      const api = apis[turn++ % apis.length]!
      const to = `${opts.numberPrefix ?? '+447911'}${String(100_000 + n++)}`
      const t0 = performance.now()
      try {
        const res = await fetch(`${api}/v1/verifications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ service_id: opts.serviceId, to }),
          signal: AbortSignal.timeout(20_000),
        })
        const body = (await res.json().catch(() => ({}))) as { id?: string }
        report.maxLatencyMs = Math.max(report.maxLatencyMs, performance.now() - t0)
        report.statuses.set(res.status, (report.statuses.get(res.status) ?? 0) + 1)
        if (res.status === 201 && body.id) {
          report.accepted.set(body.id, to)
          report.acceptedAt.push({ at: Date.now(), api })
        } else if (res.status >= 500) {
          await new Promise((r) => setTimeout(r, 50)) // a client backing off a little
        }
      } catch {
        report.connectionErrors++
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }
  const done = Promise.all(Array.from({ length: opts.concurrency }, (_, c) => client(c))).then(
    () => undefined,
  )
  return { report, done }
}

interface MessageView {
  readonly status: string
  readonly hops: number
}

/** Each accepted verification's first message as verigate sees it (status, hops). */
export async function messageStates(
  api: string,
  adminKey: string,
  ids: readonly string[],
): Promise<Map<string, MessageView | undefined>> {
  const out = new Map<string, MessageView | undefined>()
  const queue = [...ids]
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        const res = await fetch(`${api}/v1/verifications/${id}`, {
          headers: { authorization: `Bearer ${adminKey}` },
        })
        const body = (await res.json()) as { messages?: MessageView[] }
        out.set(id, body.messages?.[0])
      }
    }),
  )
  return out
}

/**
 * Waits until every accepted verification's message is delivered as verigate sees it (its receipt
 * arrived), or `timeoutMs` passes; returns the last states.
 */
export async function waitForReceipts(
  api: () => string,
  adminKey: string,
  ids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, MessageView | undefined>> {
  const until = Date.now() + timeoutMs
  let open = [...ids]
  const states = new Map<string, MessageView | undefined>()
  for (;;) {
    const now = await messageStates(api(), adminKey, open).catch(() => new Map<string, MessageView>())
    for (const [id, m] of now) states.set(id, m)
    open = open.filter((id) => states.get(id)?.status !== 'delivered')
    if (open.length === 0 || Date.now() > until) return states
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** What reached the phones: per number, how many messages; numbers that got none; that got more. */
export function countDeliveries(
  accepted: ReadonlyMap<string, string>,
  inbox: ReadonlyArray<{ to: string; body: string }>,
): { delivered: number; duplicated: number; lost: number; extraMessages: number } {
  const perNumber = new Map<string, number>()
  for (const m of inbox) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1)
  let delivered = 0
  let duplicated = 0
  let lost = 0
  let extraMessages = 0
  for (const to of accepted.values()) {
    const n = perNumber.get(to) ?? 0
    if (n === 0) lost++
    else delivered++
    if (n > 1) {
      duplicated++
      extraMessages += n - 1
    }
  }
  return { delivered, duplicated, lost, extraMessages }
}

export async function createService(api: string, adminKey: string, name: string): Promise<string> {
  const res = await fetch(`${api}/v1/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  const body = (await res.json()) as { id?: string }
  if (res.status !== 201 || !body.id)
    throw new Error(`service not created: ${res.status} ${JSON.stringify(body)}`)
  return body.id
}
