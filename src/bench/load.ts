/**
 * @module The benchmark's load generator, run as its own process so it does not share the
 * server's event loop. It plays many phones: start a verification, receive the SMS from the
 * simulator's live inbox stream (one SSE connection for all), check the code.
 */
import { Pool } from 'undici'
import { summarize } from './stats.js'

interface LoadConfig {
  /** The API; or `urls`, several APIs taken in turn, one per flow. */
  url: string
  urls?: string[]
  /** Where the simulator's inbox stream is (the process that sends: the worker). @default the first API */
  inboxUrl?: string
  key: string
  serviceId: string
  /** `closed`: `concurrency` flows back to back. `open`: start `rate` flows per second. */
  mode: 'closed' | 'open'
  concurrency: number
  rate: number
  durationMs: number
  warmupMs: number
  /** First phone number index, so phases never reuse a number. */
  numberBase: number
  /**
   * Print a line `measuring` on stdout when the warm-up ends, so the caller can start its own
   * server-side measurements (the event-loop delay histogram) with the load's measured window.
   */
  announceMeasuring?: boolean
}

const config = JSON.parse(process.env.VERIGATE_BENCH_LOAD ?? '{}') as LoadConfig
const apiUrls = config.urls ?? [config.url]
const pools = apiUrls.map(
  (url) =>
    new Pool(url, {
      connections: Math.max(8, Math.min(Math.ceil(config.concurrency / apiUrls.length), 256)),
      pipelining: 1,
    }),
)
const inboxPool = new Pool(config.inboxUrl ?? apiUrls[0]!, { connections: 1, pipelining: 1 })
const auth = { authorization: `Bearer ${config.key}`, 'content-type': 'application/json' }

const waiting = new Map<string, (code: string) => void>()
const arrived = new Map<string, string>()

async function listenInbox(): Promise<void> {
  const { body } = await inboxPool.request({ method: 'GET', path: '/v1/simulator/messages/stream' })
  let buffer = ''
  body.setEncoding('utf8')
  // The stream ends with an error when the pools are destroyed at the end of the run.
  body.on('error', () => undefined)
  body.on('data', (chunk: string) => {
    buffer += chunk
    let idx = buffer.indexOf('\n\n')
    while (idx >= 0) {
      const frame = buffer.slice(0, idx)
      buffer = buffer.slice(idx + 2)
      const data = frame.split('\n').find((l) => l.startsWith('data: '))
      if (data) {
        const msg = JSON.parse(data.slice(6)) as { to: string; body: string }
        const code = /\b(\d{6})\b/.exec(msg.body)?.[1]
        if (code) {
          const resolve = waiting.get(msg.to)
          if (resolve) {
            waiting.delete(msg.to)
            resolve(code)
          } else arrived.set(msg.to, code)
        }
      }
      idx = buffer.indexOf('\n\n')
    }
  })
}

function codeFor(to: string): Promise<string> {
  const early = arrived.get(to)
  if (early) {
    arrived.delete(to)
    return Promise.resolve(early)
  }
  return new Promise((resolve, reject) => {
    waiting.set(to, resolve)
    setTimeout(() => {
      if (waiting.delete(to)) reject(new Error(`no SMS for ${to} within 10 s`))
    }, 10_000).unref()
  })
}

let next = 0
let startLatency: number[] = []
let checkLatency: number[] = []
let deliveryWait: number[] = []
let flows = 0
let errors = 0
let measuring = false
let numberBase = config.numberBase
/** When the measured window opened, and the flows that finished in each of its seconds. */
let measuredFrom = performance.now()
let perSecond: number[] = []

/**
 * One flow. `inWindow` says whether it started inside the measured window: a flow counts there
 * only then, so a flow started during the warm-up (a cold server can queue them for seconds) is
 * never counted as measured because it happened to finish after the warm-up ended.
 */
async function flow(inWindow: boolean): Promise<void> {
  const i = next++
  const pool = pools[i % pools.length]!
  const to = `+4474${String(numberBase + i).padStart(8, '0')}`
  const t0 = performance.now()
  const started = await pool.request({
    method: 'POST',
    path: '/v1/verifications',
    headers: auth,
    body: JSON.stringify({ service_id: config.serviceId, to }),
  })
  const sv = (await started.body.json()) as { id?: string }
  const t1 = performance.now()
  if (started.statusCode !== 201 || !sv.id)
    throw new Error(`start answered ${started.statusCode}: ${JSON.stringify(sv)}`)
  const code = await codeFor(to)
  const t2 = performance.now()
  const checked = await pool.request({
    method: 'POST',
    path: `/v1/verifications/${sv.id}/check`,
    headers: auth,
    body: JSON.stringify({ code }),
  })
  const cv = (await checked.body.json()) as { status?: string }
  const t3 = performance.now()
  if (checked.statusCode !== 200 || cv.status !== 'approved')
    throw new Error(`check answered ${checked.statusCode}: ${JSON.stringify(cv)}`)
  if (inWindow) {
    startLatency.push(t1 - t0)
    deliveryWait.push(t2 - t1)
    checkLatency.push(t3 - t2)
    flows++
    const second = Math.floor((t3 - measuredFrom) / 1000)
    perSecond[second] = (perSecond[second] ?? 0) + 1
  }
}

/** What one phase runs; a phase given on stdin overrides the environment's config for itself. */
type Phase = Pick<LoadConfig, 'mode' | 'concurrency' | 'rate' | 'durationMs' | 'warmupMs' | 'numberBase'>

async function runPhase(phase: Phase): Promise<string> {
  startLatency = []
  checkLatency = []
  deliveryWait = []
  flows = 0
  errors = 0
  perSecond = []
  measuring = false
  next = 0
  numberBase = phase.numberBase
  const endAt = Date.now() + phase.warmupMs + phase.durationMs
  const runFlow = () => {
    const inWindow = measuring
    return flow(inWindow).catch((err: unknown) => {
      if (inWindow) errors++
      if (errors < 5) process.stderr.write(`flow error: ${(err as Error).message}\n`)
    })
  }
  measuredFrom = performance.now()
  const startMeasuring = () => {
    measuring = true
    measuredFrom = performance.now()
    if (config.announceMeasuring) process.stdout.write('measuring\n')
  }
  // Without a warm-up the window opens before the first flow (and is still announced).
  if (phase.warmupMs === 0) startMeasuring()
  else setTimeout(startMeasuring, phase.warmupMs)
  if (phase.mode === 'closed') {
    await Promise.all(
      Array.from({ length: phase.concurrency }, async () => {
        while (Date.now() < endAt) await runFlow()
      }),
    )
  } else {
    const inflight = new Set<Promise<void>>()
    const interval = 1000 / phase.rate
    let due = performance.now()
    while (Date.now() < endAt) {
      const now = performance.now()
      while (due <= now) {
        const p = runFlow().finally(() => inflight.delete(p))
        inflight.add(p)
        due += interval
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, due - performance.now()))))
    }
    await Promise.allSettled([...inflight])
  }
  const seconds = (performance.now() - measuredFrom) / 1000
  measuring = false
  return `${JSON.stringify({
    flows,
    errors,
    seconds,
    flowsPerSecond: flows / seconds,
    start: summarize(startLatency),
    check: summarize(checkLatency),
    smsWait: summarize(deliveryWait),
    // Whole seconds only: the last, partial one would read as a drop.
    perSecond: Array.from({ length: Math.floor(seconds) }, (_, i) => perSecond[i] ?? 0),
  })}\n`
}

/**
 * One phase from the environment; or, with `VERIGATE_BENCH_LOAD_PHASES=stdin`, a phase per line
 * of standard input, each answered with its result line, so one warm process (its connections
 * open, its code compiled) drives several phases, as a real client population outlives a lull.
 */
async function main(): Promise<void> {
  await listenInbox()
  if (process.env.VERIGATE_BENCH_LOAD_PHASES === 'stdin') {
    let pending = ''
    process.stdin.setEncoding('utf8')
    for await (const chunk of process.stdin) {
      pending += chunk
      let nl = pending.indexOf('\n')
      while (nl >= 0) {
        const line = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        if (line.trim()) process.stdout.write(await runPhase(JSON.parse(line) as Phase))
        nl = pending.indexOf('\n')
      }
    }
  } else process.stdout.write(await runPhase(config))
  await Promise.all([...pools, inboxPool].map((p) => p.destroy().catch(() => undefined)))
  process.exit(0)
}

main().catch((err: unknown) => {
  process.stderr.write(`load generator failed: ${(err as Error).stack}\n`)
  process.exit(1)
})
