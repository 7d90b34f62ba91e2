/**
 * @module `npm run bench`: starts verigate on SQLite (WAL, synchronous=NORMAL) with the simulator in
 * zero-delay mode, drives start+check flows over HTTP from a separate process, and prints flows per
 * second, p50/p99 latency of start and check, and time from accepted to handed-to-provider.
 *
 * Phases: (0) the machine baseline (`baseline-server.ts`: Fastify + one SQLite insert per request,
 * same load generator), every figure after it also given as a ratio to it; (1) closed loop at fixed
 * concurrency for peak throughput; (2) open loop at half that rate for latency under a steady load;
 * (3) the primary provider down; (4) soak: burst, a lull longer than every window (route health,
 * limits), burst again, with the longest event-loop delay, the longest request and the RSS after
 * each part, and the throughput before and after the lull; (5, with `BENCH_PG`) PostgreSQL + Redis,
 * one instance and then two `api` + one `worker` processes, with the scaling ratio. Each server's
 * peak RSS is printed, and the results are written to `bench-results/<timestamp>.json`
 * (`npm run bench:compare a.json b.json` prints the differences).
 *
 * Knobs (docs/performance.md): `BENCH_QUICK=1` (short phases, for CI smoke), `BENCH_SOAK=0|only`,
 * `BENCH_SOAK_SHORT=1`, `BENCH_PG=1|only` (PostgreSQL at `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL`,
 * Redis at `BENCH_REDIS_URL` or `TEST_REDIS_URL`; a fresh database per run, dropped after),
 * `BENCH_BASELINE=0`, `BENCH_OUT_DIR`, `BENCH_CPU_PROF=<dir>`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, setPriority, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { mintApiKey } from '../auth/api-key.js'
import { startHostProbe } from './host-speed.js'
import { npmStartFlags } from './start-flags.js'
import { summarize } from './stats.js'

const CLI = fileURLToPath(new URL('../cli/index.js', import.meta.url))
const LOAD = fileURLToPath(new URL('./load.js', import.meta.url))
/**
 * The `node` flags `npm start` gives verigate, read from package.json's start script (the flags
 * between `node` and the script), so the bench runs what users run and the two cannot drift apart.
 */
const START_FLAGS = npmStartFlags()
const BASELINE_SERVER = fileURLToPath(new URL('./baseline-server.js', import.meta.url))

const QUICK = process.env.BENCH_QUICK === '1'
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? (QUICK ? 1_500 : 10_000))
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? (QUICK ? 300 : 2_000))
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? (QUICK ? 8 : 64))
/** Runs phase 2 at this rate on a fresh server, without phase 1 (to study the half load alone). */
const HALF_RATE = process.env.BENCH_HALF_RATE ? Number(process.env.BENCH_HALF_RATE) : undefined
// Phase 2's rate, after phase 1 as usual: two builds compared at the same rate, not at each one's half.
const HALF_AT = process.env.BENCH_HALF_AT ? Number(process.env.BENCH_HALF_AT) : undefined
const SOAK = process.env.BENCH_SOAK ?? (QUICK ? '0' : '1')
const SOAK_SHORT = process.env.BENCH_SOAK_SHORT === '1'
/** Every sliding window the soak's lull must outlast (route health, the bench's raised limits). */
const SOAK_WINDOW_MS = SOAK_SHORT ? 10_000 : 60_000
const SOAK_BURST_MS = Number(process.env.BENCH_SOAK_BURST_MS ?? (SOAK_SHORT ? 15_000 : 40_000))
const SOAK_LULL_MS = Number(process.env.BENCH_SOAK_LULL_MS ?? (SOAK_SHORT ? 20_000 : 65_000))
/** Load before the first burst, so start-up compilation is not counted as a stall. */
const SOAK_WARMUP_MS = Number(process.env.BENCH_SOAK_WARMUP_MS ?? 3_000)
/**
 * Flows in flight in the soak's bursts. On the 2-core reference machine 32 already reach the peak
 * (1,758 flows/s, against 1,677 with 64); past that, more in flight only wait in the loop behind each
 * other (64: 63-77 ms longest delay; the CPU profile of each such stretch is many requests' handling
 * and a young-generation GC, no one long call), which is load, not the stall the soak looks for. BENCH_SOAK_CONCURRENCY=64 shows it.
 */
const SOAK_CONCURRENCY = Number(process.env.BENCH_SOAK_CONCURRENCY ?? 32)
/** The soak's client process priority (`nice`); 0 runs it level with the server. */
const SOAK_CLIENT_NICENESS = Number(process.env.BENCH_SOAK_CLIENT_NICE ?? 10)
const BASELINE = process.env.BENCH_BASELINE !== '0'
const PG_MODE = process.env.BENCH_PG ?? '0'
const PG_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL
const OUT_DIR = resolve(process.env.BENCH_OUT_DIR ?? 'bench-results')

/** Everything the run measured, written as JSON at the end (`bench-results/<timestamp>.json`). */
const results: Record<string, unknown> = {
  version: 1,
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageAtStart: loadavg(),
  },
  settings: {
    quick: QUICK,
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    concurrency: CONCURRENCY,
    soak: SOAK,
    soakShort: SOAK_SHORT,
    pg: PG_MODE,
  },
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

/**
 * Runs one phase in a fresh load-generator process. `onMeasuring` is called when its warm-up ends
 * (the generator prints `measuring`), and the result waits for what it returns, so a server-side
 * measurement reset there covers the measured window and not the warm-up.
 */
function runLoad(config: Record<string, unknown>, onMeasuring?: () => Promise<unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD], {
      env: {
        ...process.env,
        VERIGATE_BENCH_LOAD: JSON.stringify({ ...config, announceMeasuring: onMeasuring !== undefined }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    let measured: Promise<unknown> = Promise.resolve()
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      out += d
      if (onMeasuring && out.startsWith('measuring\n')) {
        out = out.slice('measuring\n'.length)
        measured = onMeasuring()
      }
    })
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`))
      measured.then(() => resolve(JSON.parse(out)), reject)
    })
  })
}

/**
 * One load-generator process kept for several phases (the soak): each `run` sends it a phase and
 * resolves with that phase's result, so the second burst meets a client already warm, as real
 * clients are after a lull, instead of a fresh process compiling its own code on the same cores.
 */
function startLoadSession(
  config: Record<string, unknown>,
  opts: { niceness?: number } = {},
): {
  run(phase: Record<string, unknown>): Promise<LoadResult>
  close(): Promise<void>
} {
  const child = spawn(process.execPath, [LOAD], {
    env: { ...process.env, VERIGATE_BENCH_LOAD: JSON.stringify(config), VERIGATE_BENCH_LOAD_PHASES: 'stdin' },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  if (opts.niceness !== undefined && child.pid !== undefined) setPriority(child.pid, opts.niceness)
  const exited = new Promise<number | null>((r) => child.once('exit', r))
  let buffered = ''
  let waiting: { resolve(r: LoadResult): void; reject(err: Error): void } | undefined
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => {
    buffered += d
    const nl = buffered.indexOf('\n')
    if (nl < 0 || !waiting) return
    const line = buffered.slice(0, nl)
    buffered = buffered.slice(nl + 1)
    const w = waiting
    waiting = undefined
    w.resolve(JSON.parse(line) as LoadResult)
  })
  void exited.then((code) => waiting?.reject(new Error(`load generator exited ${code}`)))
  return {
    run(phase) {
      return new Promise<LoadResult>((resolve, reject) => {
        waiting = { resolve, reject }
        child.stdin.write(`${JSON.stringify(phase)}\n`)
      })
    },
    async close() {
      child.stdin.end()
      await exited
    },
  }
}

interface Summary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}
interface LoadResult {
  flows: number
  errors: number
  seconds: number
  flowsPerSecond: number
  start: Summary
  check: Summary
  smsWait: Summary
  /** Flows finished in each whole second of the measured window. */
  perSecond: number[]
}

/** A burst's throughput by 5-second slice, so a stall after the lull shows where it happened. */
function slices(perSecond: readonly number[], width = 5): number[] {
  const out: number[] = []
  for (let i = 0; i + width <= perSecond.length; i += width)
    out.push(Math.round(perSecond.slice(i, i + width).reduce((a, b) => a + b, 0) / width))
  return out
}

/** A latency to 2 decimals; undefined when a window finished no flow (NaN, or null once through JSON). */
const latency = (v: number | null) => (v === null || !Number.isFinite(v) ? undefined : v.toFixed(2))
const ms = (v: number | null) => {
  const figure = latency(v)
  return figure === undefined ? 'n/a' : `${figure} ms`
}
/** For the RESULT line: NaN where there is none, as key=value parsers read it. */
const resultFigure = (v: number | null) => latency(v) ?? 'NaN'
/** "(2.31x baseline)": a figure as a multiple of the machine baseline's, when there is one. */
const times = (v: number, base: number | undefined) =>
  base !== undefined && base > 0 && Number.isFinite(v) ? ` (${(v / base).toFixed(2)}x baseline)` : ''
const ratio = (v: number, base: number | undefined) =>
  base !== undefined && base > 0 && Number.isFinite(v) ? Number((v / base).toFixed(3)) : null

interface BenchServer {
  readonly url: string
  readonly pid: number
  readonly dir: string
  readonly token: string
  stop(): Promise<void>
}

interface ServerOptions {
  /** Shared by the processes of one deployment (their keys); made and removed here when absent. */
  readonly dir?: string
  readonly token?: string
  readonly role?: 'all' | 'api' | 'worker'
  /** DATABASE_URL, REDIS_URL. */
  readonly env?: Record<string, string>
  readonly name?: string
}

async function waitReady(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} while starting`)
    try {
      if ((await fetch(`${url}/readyz`)).ok) return
    } catch {
      // starting
    }
    if (i > 600) throw new Error(`${what} did not start`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * Starts a server, on a new free port up to three times: between `freePort` closing its probe and
 * the server listening, another process (a parallel test) can take the port (EADDRINUSE).
 */
async function startBenchServer(
  extraConfig: Record<string, unknown> = {},
  opts: ServerOptions = {},
): Promise<BenchServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBenchServerOnce(extraConfig, opts)
    } catch (err) {
      if (attempt >= 3 || !/exited with \d+ while starting/.test((err as Error).message)) throw err
    }
  }
}

async function startBenchServerOnce(
  extraConfig: Record<string, unknown>,
  opts: ServerOptions,
): Promise<BenchServer> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'verigate-bench-'))
  const port = await freePort()
  const token = opts.token ?? mintApiKey('bench', ['admin'], Date.now()).token
  const configFile = join(dir, `config-${port}.json`)
  const { limits: extraLimits, routing: extraRouting, ...extra } = extraConfig
  const serverConfig = {
    logLevel: 'warn',
    simulator: { deliveryDelayMs: 0 },
    // The daily spend cap (100,000 sends per service by default) is reached within the soak: past
    // it every send is refused, as it should be, and the bench's flows wait for SMS that never come.
    routing: { spendCapPerServicePerDay: 1_000_000_000, ...(extraRouting as object | undefined) },
    limits: {
      startsPerService: { points: 10_000_000, durationSeconds: 60 },
      globalSends: { points: 10_000_000, durationSeconds: 60 },
      // The bench walks consecutive numbers, exactly what the SMS-pumping guard exists to stop.
      startsPerPrefix: { points: 10_000_000, durationSeconds: 60 },
      ...(extraLimits as object | undefined),
    },
    // Consecutive numbers in bursts look like pumping to the fraud guard: shadow mode still judges
    // and counts every start (its cost is in the figures) but lets the flow through.
    fraud: { mode: 'shadow' },
    ...extra,
  }
  writeFileSync(configFile, JSON.stringify(serverConfig))
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (node --cpu-prof).
  // BENCH_SERVER_NODE_ARGS (e.g. "--trace-gc" or "--import=./lag.mjs") goes to the servers alone, not
  // the load generator; their stdout is shown then, so --trace-gc lines are seen.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : []
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const role = opts.role ? ['--role', opts.role] : []
  const server: ChildProcess = spawn(
    process.execPath,
    [...START_FLAGS, ...prof, ...nodeArgs, CLI, 'serve', '--port', String(port), ...role],
    {
      env: {
        ...process.env,
        VERIGATE_DATA_DIR: dir,
        VERIGATE_ADMIN_API_KEY: token,
        VERIGATE_CONFIG: configFile,
        ...opts.env,
      },
      stdio: ['ignore', nodeArgs.length > 0 ? 'inherit' : 'ignore', 'inherit'],
    },
  )
  const url = `http://127.0.0.1:${port}`
  const exited = new Promise((r) => server.once('exit', r))
  try {
    await waitReady(url, server, opts.name ?? 'server')
  } catch (err) {
    server.kill('SIGKILL')
    if (!opts.dir) rmSync(dir, { recursive: true, force: true })
    throw err
  }
  let stopped: Promise<void> | undefined
  return {
    url,
    pid: server.pid ?? 0,
    dir,
    token,
    stop() {
      stopped ??= (async () => {
        server.kill('SIGTERM')
        await exited
        if (!opts.dir) rmSync(dir, { recursive: true, force: true })
      })()
      return stopped
    },
  }
}

async function createService(server: Pick<BenchServer, 'url' | 'token'>): Promise<string> {
  const res = await fetch(`${server.url}/v1/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  })
  return ((await res.json()) as { id: string }).id
}

/** Accepted -> handed to the provider, from the hand-over events after event `afterId` (a phase's). */
function handedToProvider(dir: string, route?: string, afterId = 0) {
  const db = new BetterSqlite3(join(dir, 'verigate.db'), { readonly: true })
  const rows = db
    .prepare(
      "select json_extract(data, '$.queued_ms') as q, json_extract(data, '$.route') as r from verification_events where type = 'handed_to_provider' and id > ?",
    )
    .all(afterId) as Array<{ q: number; r: string }>
  db.close()
  return summarize(rows.filter((x) => route === undefined || x.r === route).map((x) => x.q))
}

/** The newest event's id: where the next phase's events begin. */
function lastEventId(dir: string): number {
  const db = new BetterSqlite3(join(dir, 'verigate.db'), { readonly: true })
  const row = db.prepare('select max(id) as id from verification_events').get() as { id: number | null }
  db.close()
  return row.id ?? 0
}

async function handedToProviderPg(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ q: string }>(
      "select (data::json->>'queued_ms') as q from verification_events where type = 'handed_to_provider'",
    )
    return summarize(rows.map((r) => Number(r.q)))
  } finally {
    await client.end()
  }
}

/** Resident set size of a process, in MB (Linux /proc): `VmRSS` now, or `VmHWM`, its peak so far. */
function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** CPU time a process has used so far (user + system, all its threads), in ms (Linux /proc). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return Number.NaN
  }
}

type MeasuredLoad = LoadResult & { serverCpu: { core: number; usPerFlow: number } }

/**
 * Runs a load and measures the server's CPU over it: the share of one core, and the CPU per flow
 * (taken over the warm-up too, at the measured rate), a figure that moves less with the machine's
 * other load than flows/s does.
 */
async function runLoadMeasured(
  pid: number,
  config: Record<string, unknown> & { warmupMs: number; durationMs: number },
  onMeasuring?: () => Promise<unknown>,
): Promise<MeasuredLoad> {
  const cpu0 = cpuMs(pid)
  const t0 = performance.now()
  const r = await runLoad(config, onMeasuring)
  const cpu = cpuMs(pid) - cpu0
  const wallMs = performance.now() - t0
  const flowsRun = r.flowsPerSecond * (wallMs / 1000)
  return { ...r, serverCpu: { core: cpu / wallMs, usPerFlow: (cpu * 1000) / flowsRun } }
}

const printCpu = (r: MeasuredLoad) =>
  console.log(
    `  server CPU: ${(r.serverCpu.core * 100).toFixed(0)}% of a core, ${r.serverCpu.usPerFlow.toFixed(0)} µs per flow`,
  )

/** Garbage-collection pauses counted by the server since it started (`nodejs_gc_duration_seconds`). */
interface GcTotals {
  readonly minor: { readonly count: number; readonly ms: number }
  readonly major: { readonly count: number; readonly ms: number }
}

/**
 * One scrape of the server: the longest event-loop delay since the previous scrape, in ms
 * (`verigate_event_loop_delay_max_seconds`; each scrape resets the server's histogram, so a scrape
 * before a part makes the next one about it), and its GC pauses so far.
 */
async function scrapeServer(url: string): Promise<{ loopMaxMs: number; gc: GcTotals }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const v = /^verigate_event_loop_delay_max_seconds (\S+)$/m.exec(text)?.[1]
  const gcFigure = (figure: 'count' | 'sum', kind: string) =>
    Number(
      new RegExp(`^nodejs_gc_duration_seconds_${figure}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] ??
        0,
    )
  const gcKind = (kind: string) => ({ count: gcFigure('count', kind), ms: gcFigure('sum', kind) * 1000 })
  return {
    loopMaxMs: v === undefined ? Number.NaN : Number(v) * 1000,
    gc: { minor: gcKind('minor'), major: gcKind('major') },
  }
}

async function eventLoopMaxMs(url: string): Promise<number> {
  return (await scrapeServer(url)).loopMaxMs
}

/** The pauses between two scrapes: a major GC in a measured window explains many a p99. */
function gcBetween(from: GcTotals, to: GcTotals) {
  const part = (k: 'minor' | 'major') => ({
    count: to[k].count - from[k].count,
    ms: round(to[k].ms - from[k].ms, 1) ?? 0,
  })
  return { minor: part('minor'), major: part('major') }
}

/**
 * With `flows`, also the scavenges per 1,000 flows: a young generation V8 shrank in a lull shows as
 * more of them in the burst after it (12.0 per 1,000 flows in every burst 1 on a 2-core VM, 13.0-14.7
 * after a 65 s lull, 12.1 after a 1 s pause; docs/performance.md "Soak").
 */
const printGc = (label: string, gc: ReturnType<typeof gcBetween>, flows?: number) =>
  console.log(
    `  GC pauses ${label}: ${gc.minor.count} minor (${gc.minor.ms.toFixed(0)} ms in all${flows ? `; ${((gc.minor.count * 1000) / flows).toFixed(1)} per 1,000 flows, ${((gc.minor.ms * 1000) / flows).toFixed(0)} µs per flow` : ''}), ${gc.major.count} major (${gc.major.ms.toFixed(1)} ms)`,
  )

const round = (v: number, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null)

/** A load result as stored in the JSON file. */
function loadJson(r: LoadResult) {
  const sum = (x: Summary) => ({ p50: round(x.p50), p90: round(x.p90), p99: round(x.p99), max: round(x.max) })
  return {
    flows: r.flows,
    errors: r.errors,
    flowsPerSecond: round(r.flowsPerSecond, 1),
    startMs: sum(r.start),
    checkMs: sum(r.check),
    smsWaitMs: sum(r.smsWait),
  }
}

function printLoad(r: LoadResult, base?: LoadResult): void {
  console.log(
    `  ${r.flows} flows in ${r.seconds.toFixed(1)} s = ${r.flowsPerSecond.toFixed(0)} flows/s${times(r.flowsPerSecond, base?.flowsPerSecond)}, ${r.errors} errors`,
  )
  console.log(
    `  start p50 ${ms(r.start.p50)}  p90 ${ms(r.start.p90)}  p99 ${ms(r.start.p99)}${times(r.start.p99, base?.start.p99)}`,
  )
  console.log(
    `  check p50 ${ms(r.check.p50)}  p90 ${ms(r.check.p90)}  p99 ${ms(r.check.p99)}${times(r.check.p99, base?.check.p99)}`,
  )
}

/** The baseline server (`baseline-server.ts`) in its own process. */
async function startBaselineServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-baseline-'))
  const port = await freePort()
  const child = spawn(process.execPath, [BASELINE_SERVER, String(port), dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const exited = new Promise((r) => child.once('exit', r))
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  await waitReady(url, child, 'baseline server').catch(async (err: unknown) => {
    await stop()
    throw err
  })
  return { url, pid: child.pid ?? 0, stop }
}

/**
 * Phase 0, the machine baseline: the same load generator against `baseline-server.ts`, closed loop
 * at the same concurrency (its peak). Its latency is measured later, at verigate's own half-load
 * rate (`baselineAt`), so the two latencies compare the same request rate on the same machine.
 */
async function baseline(): Promise<LoadResult | undefined> {
  if (!BASELINE) return undefined
  const server = await startBaselineServer()
  try {
    console.log(
      `\nPhase 0: machine baseline (Fastify + one SQLite insert per request), ${CONCURRENCY} concurrent flows`,
    )
    const load = {
      url: server.url,
      key: 'none',
      serviceId: 'none',
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    }
    const peak = await runLoad({ ...load, mode: 'closed', concurrency: CONCURRENCY, rate: 0, numberBase: 0 })
    printLoad(peak)
    const peakRssMb = rssMb(server.pid, 'VmHWM')
    console.log(`  peak RSS ${peakRssMb} MB`)
    results.baseline = { peak: loadJson(peak), peakRssMb }
    return peak
  } finally {
    await server.stop()
  }
}

/** The baseline's latency in an open loop at `rate` flows per second (verigate's half load). */
async function baselineAt(rate: number): Promise<LoadResult | undefined> {
  if (!BASELINE) return undefined
  const server = await startBaselineServer()
  try {
    const load = {
      url: server.url,
      key: 'none',
      serviceId: 'none',
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    }
    const half = await runLoad({ ...load, mode: 'open', concurrency: 256, rate, numberBase: 10_000_000 })
    console.log(`  the machine baseline at the same ${rate} flows/s:`)
    printLoad(half)
    ;(results.baseline as Record<string, unknown>).atHalfLoad = { rate, ...loadJson(half) }
    return half
  } finally {
    await server.stop()
  }
}

/**
 * Phase 4, the soak (issue 19): burst, a lull longer than every window, burst. The second burst is
 * measured from its first request (no warmup): a loop blocked by work left from the first burst
 * shows there. Returns the figures for the RESULT line.
 */
async function soak(): Promise<string> {
  const windows = {
    routing: { health: { windowMs: SOAK_WINDOW_MS } },
    limits: {
      startsPerService: { points: 10_000_000, durationSeconds: SOAK_WINDOW_MS / 1000 },
      globalSends: { points: 10_000_000, durationSeconds: SOAK_WINDOW_MS / 1000 },
      startsPerPrefix: { points: 10_000_000, durationSeconds: SOAK_WINDOW_MS / 1000 },
    },
  }
  console.log(
    `\nPhase 4 (soak): burst ${SOAK_BURST_MS / 1000} s, lull ${SOAK_LULL_MS / 1000} s (windows: route health and limits ${SOAK_WINDOW_MS / 1000} s), burst ${SOAK_BURST_MS / 1000} s; closed loop, ${SOAK_CONCURRENCY} concurrent flows from one client process (nice ${SOAK_CLIENT_NICENESS})`,
  )
  const server = await startBenchServer(windows)
  let closeClients: (() => Promise<void>) | undefined
  try {
    const serviceId = await createService(server)
    console.log(`  RSS at start: ${rssMb(server.pid)} MB`)
    // One client process for the whole soak (see startLoadSession), at a lower priority: the soak
    // measures the server's event-loop delay, and on a 2-core machine the client (about a core at
    // full load) otherwise takes the server's main thread off the CPU for 50-70 ms at a time. That
    // shows as loop delay with no work of the server's in it (profiles of such windows hold 2-30
    // samples in 50-90 ms; the thread's schedstat shows it waiting in the run queue). In production
    // the clients are on other machines. (Pinning the server to one CPU and the client to the other
    // was worse: the server's own threads, GC helpers and the WAL checkpointer, then queue behind
    // its main thread.)
    const clients = startLoadSession(
      { url: server.url, key: server.token, serviceId, concurrency: SOAK_CONCURRENCY, numberBase: 0 },
      { niceness: SOAK_CLIENT_NICENESS },
    )
    // How fast the host itself ran in each part (see host-probe.ts): on these VMs the same work
    // takes up to 1.5x the CPU in stretches that come and go with the host, which moves a burst's
    // flows/s by more than the effect the soak looks for.
    const probe = startHostProbe()
    closeClients = async () => {
      await clients.close()
      await probe.close()
    }
    const burst = async (name: string, numberBase: number) => {
      const gcFrom = (await scrapeServer(server.url)).gc
      const cpu0 = cpuMs(server.pid)
      const from = Date.now()
      const r = await clients.run({
        durationMs: SOAK_BURST_MS,
        warmupMs: 0,
        mode: 'closed',
        concurrency: SOAK_CONCURRENCY,
        rate: 0,
        numberBase,
      })
      // CPU per flow moves far less with the host's other load than flows/s does, so it tells a
      // burst that costs more after the lull from one that only got less of the machine.
      const cpuUsPerFlow = ((cpuMs(server.pid) - cpu0) * 1000) / r.flows
      const hostUs = probe.meanCpuUsBetween(from, Date.now())
      const { loopMaxMs: loopMax, gc: gcTo } = await scrapeServer(server.url)
      const gc = gcBetween(gcFrom, gcTo)
      const requestMax = Math.max(r.start.max, r.check.max)
      const rss = rssMb(server.pid)
      console.log(
        `  ${name}: ${r.flowsPerSecond.toFixed(0)} flows/s (${r.flows} flows, ${r.errors} errors), max event-loop delay ${ms(loopMax)}, max request ${ms(requestMax)} (start p99 ${ms(r.start.p99)}), server CPU ${cpuUsPerFlow.toFixed(0)} µs per flow, RSS ${rss} MB${hostUs === undefined ? '' : `, host probe ${hostUs.toFixed(0)} µs`}`,
      )
      printGc(`in ${name}`, gc, r.flows)
      const bySlice = slices(r.perSecond)
      // A burst shorter than a slice (BENCH_SOAK_BURST_MS) has none to show, rather than a 0.
      if (bySlice.length > 0)
        console.log(
          `  ${name} by 5 s: ${bySlice.join(', ')} flows/s (slowest second: ${Math.min(...r.perSecond)} flows)`,
        )
      return { r, loopMax, requestMax, rss, gc, bySlice, cpuUsPerFlow, hostUs }
    }
    // A fresh process compiles validators, serializers and queries and JIT-compiles its hot paths
    // on its first requests: 100-300 ms stalls in the first second of load. That is start-up, not
    // what the soak looks for (work left behind by a burst), so a short warm-up at low concurrency
    // comes first and is printed on its own, outside the goal.
    await eventLoopMaxMs(server.url)
    const warm = await clients.run({
      durationMs: SOAK_WARMUP_MS,
      warmupMs: 0,
      mode: 'closed',
      concurrency: 8,
      rate: 0,
      numberBase: 20_000_000,
    })
    console.log(
      `  warm-up (${SOAK_WARMUP_MS / 1000} s, 8 concurrent flows, outside the goal): ${warm.flowsPerSecond.toFixed(0)} flows/s, max event-loop delay ${ms(await eventLoopMaxMs(server.url))}`,
    )
    await new Promise((r) => setTimeout(r, 1_000))
    const first = await burst('burst 1', 30_000_000)
    // The lull: nothing but a health probe a second, timed, as a monitor would send.
    await eventLoopMaxMs(server.url)
    let probeMax = 0
    const lullStart = Date.now()
    const lullEnd = lullStart + SOAK_LULL_MS
    while (Date.now() < lullEnd) {
      const t0 = performance.now()
      await fetch(`${server.url}/readyz`).then((res) => res.arrayBuffer())
      probeMax = Math.max(probeMax, performance.now() - t0)
      await new Promise((r) => setTimeout(r, 1_000))
    }
    const lullLoopMax = await eventLoopMaxMs(server.url)
    const lullRss = rssMb(server.pid)
    const lullHostUs = probe.meanCpuUsBetween(lullStart, Date.now())
    console.log(
      `  lull: max event-loop delay ${ms(lullLoopMax)}, max /readyz ${ms(probeMax)}, RSS ${lullRss} MB${lullHostUs === undefined ? '' : `, host probe ${lullHostUs.toFixed(0)} µs`}`,
    )
    const second = await burst('burst 2', 40_000_000)
    const ratio = second.r.flowsPerSecond / first.r.flowsPerSecond
    const loopMax = Math.max(first.loopMax, lullLoopMax, second.loopMax)
    // Right after the lull is where the old freeze was (observation 4 of issue 19): burst 2's first
    // slice against burst 1's mean.
    // Burst 1 starts slowly too (32 flows at once on a server that had 1 s off), so its own first
    // slice is printed beside it: a lull's cost is the difference between the two.
    const firstAfterLull = second.bySlice[0]
    const firstShare = firstAfterLull === undefined ? undefined : firstAfterLull / first.r.flowsPerSecond
    const firstOfBurst1 = first.bySlice[0]
    const burst1FirstShare = firstOfBurst1 === undefined ? undefined : firstOfBurst1 / first.r.flowsPerSecond
    const firstText =
      firstShare === undefined || burst1FirstShare === undefined
        ? ''
        : `its first 5 s: ${(firstShare * 100).toFixed(0)}%, burst 1's first 5 s: ${(burst1FirstShare * 100).toFixed(0)}%; `
    const cpuRatio = second.cpuUsPerFlow / first.cpuUsPerFlow
    console.log(
      `  throughput after the lull: ${(ratio * 100).toFixed(0)}% of before (${firstText}server CPU per flow ${(cpuRatio * 100).toFixed(0)}% of before); max event-loop delay over the soak ${ms(loopMax)} (goal < 50 ms)`,
    )
    // The host's speed in burst 2 against burst 1: >1 when the same work took more CPU after the
    // lull. A server that is as fast as before on a host that ran 1.3x slower does 1/1.3 the flows.
    const hostRatio =
      first.hostUs === undefined || second.hostUs === undefined ? undefined : second.hostUs / first.hostUs
    if (hostRatio !== undefined)
      console.log(
        `  host: the probe's fixed work took ${(hostRatio * 100).toFixed(0)}% of its burst-1 CPU in burst 2; scaled by that (an estimate, docs/performance.md "Soak"), throughput after the lull ${(ratio * hostRatio * 100).toFixed(0)}% of before, server CPU per flow ${((cpuRatio / hostRatio) * 100).toFixed(0)}%`,
      )
    results.soak = {
      before: loadJson(first.r),
      after: loadJson(second.r),
      afterShareOfBefore: round(ratio, 3),
      firstSliceAfterLullShareOfBefore: firstShare === undefined ? null : round(firstShare, 3),
      firstSliceOfBurst1ShareOfBefore: burst1FirstShare === undefined ? null : round(burst1FirstShare, 3),
      flowsPerSecondBy5s: { burst1: first.bySlice, burst2: second.bySlice },
      serverCpuUsPerFlow: { burst1: round(first.cpuUsPerFlow, 0), burst2: round(second.cpuUsPerFlow, 0) },
      hostProbeCpuUs: {
        burst1: first.hostUs === undefined ? null : round(first.hostUs, 0),
        lull: lullHostUs === undefined ? null : round(lullHostUs, 0),
        burst2: second.hostUs === undefined ? null : round(second.hostUs, 0),
      },
      hostAdjusted:
        hostRatio === undefined
          ? null
          : {
              afterShareOfBefore: round(ratio * hostRatio, 3),
              cpuPerFlowShareOfBefore: round(cpuRatio / hostRatio, 3),
            },
      eventLoopMaxMs: round(loopMax, 1),
      requestMaxMs: round(Math.max(first.requestMax, second.requestMax), 1),
      rssMb: { burst1: first.rss, lull: lullRss, burst2: second.rss, peak: rssMb(server.pid, 'VmHWM') },
      gcPauses: { burst1: first.gc, burst2: second.gc },
    }
    return `soak_before_flows_per_second=${first.r.flowsPerSecond.toFixed(0)} soak_after_flows_per_second=${second.r.flowsPerSecond.toFixed(0)} soak_event_loop_max_ms=${loopMax.toFixed(1)} soak_request_max_ms=${Math.max(first.requestMax, second.requestMax).toFixed(1)} soak_rss_mb=${first.rss}/${lullRss}/${second.rss}`
  } finally {
    await closeClients?.()
    await server.stop()
  }
}

/** A fresh PostgreSQL database for one deployment, dropped by `drop()`. */
async function freshPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `verigate_bench_${Date.now()}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

/**
 * Phase 5: PostgreSQL + Redis. One instance (`--role all`), then two `api` processes and one
 * `worker` (the worker sends, so the inbox stream is read from it; starts and checks alternate
 * between the APIs), each on a fresh database; the scaling ratio is the second peak over the first.
 */
async function postgresPhase(sqlitePeak: number | undefined, basePeak: number | undefined): Promise<string> {
  if (!PG_URL) throw new Error('BENCH_PG needs BENCH_POSTGRES_URL or TEST_POSTGRES_URL')
  const keyPrefix = `vg:bench:${randomBytes(4).toString('hex')}`
  // BENCH_PG_POOL: connections per process (config.postgres.poolSize; verigate's default is 10).
  const pool = process.env.BENCH_PG_POOL ? { postgres: { poolSize: Number(process.env.BENCH_PG_POOL) } } : {}
  // BENCH_PG_POLL_MS: the worker's outbox poll (dispatcher.pollIntervalMs, default 500): a
  // separate worker hears of new messages only by polling.
  const poll = process.env.BENCH_PG_POLL_MS
    ? { dispatcher: { pollIntervalMs: Number(process.env.BENCH_PG_POLL_MS) } }
    : {}
  const pgConfig = { rateLimitKeyPrefix: keyPrefix, ...pool, ...poll }
  console.log(
    `\nPhase 5: PostgreSQL${REDIS_URL ? ' + Redis' : ' (no Redis: limits in PostgreSQL)'}, ${CONCURRENCY} concurrent flows, then open loop at half the peak`,
  )
  const measure = async (
    name: string,
    urls: string[],
    inboxUrl: string,
    token: string,
    numberBase: number,
  ) => {
    const serviceId = await createService({ url: urls[0]!, token })
    const base = {
      url: urls[0],
      urls,
      inboxUrl,
      key: token,
      serviceId,
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    }
    const peak = await runLoad({ ...base, mode: 'closed', concurrency: CONCURRENCY, rate: 0, numberBase })
    console.log(`  ${name}, closed loop:`)
    printLoad(peak, undefined)
    const rate = Math.max(1, Math.round(peak.flowsPerSecond / 2))
    const half = await runLoad({
      ...base,
      mode: 'open',
      concurrency: 256,
      rate,
      numberBase: numberBase + 5_000_000,
    })
    console.log(`  ${name}, open loop at ${rate} flows/s:`)
    printLoad(half, undefined)
    return { peak, half }
  }
  const env = (url: string): Record<string, string> => ({
    DATABASE_URL: url,
    ...(REDIS_URL ? { REDIS_URL } : {}),
  })

  const db1 = await freshPgDatabase(PG_URL)
  let single: { peak: LoadResult; half: LoadResult }
  let singleHanded: Summary
  let singleRss: number
  try {
    const server = await startBenchServer(pgConfig, { env: env(db1.url), name: 'verigate on PostgreSQL' })
    try {
      single = await measure('one instance', [server.url], server.url, server.token, 50_000_000)
      singleRss = rssMb(server.pid, 'VmHWM')
    } finally {
      await server.stop()
    }
    singleHanded = await handedToProviderPg(db1.url)
    console.log(
      `  one instance: accepted -> handed to provider p50 ${ms(singleHanded.p50)}  p99 ${ms(singleHanded.p99)}; peak RSS ${singleRss} MB`,
    )
  } finally {
    await db1.drop()
  }

  const db2 = await freshPgDatabase(PG_URL)
  const dir = mkdtempSync(join(tmpdir(), 'verigate-bench-cluster-'))
  const { token } = mintApiKey('bench', ['admin'], Date.now())
  const servers: BenchServer[] = []
  try {
    const shared = { dir, token, env: env(db2.url) }
    // The first process applies the migrations and writes the keys; the others start on them.
    servers.push(await startBenchServer(pgConfig, { ...shared, role: 'api', name: 'api 1' }))
    servers.push(
      ...(await Promise.all([
        startBenchServer(pgConfig, { ...shared, role: 'api', name: 'api 2' }),
        startBenchServer(pgConfig, { ...shared, role: 'worker', name: 'worker' }),
      ])),
    )
    const [api1, api2, worker] = servers as [BenchServer, BenchServer, BenchServer]
    const multi = await measure('two api + one worker', [api1.url, api2.url], worker.url, token, 60_000_000)
    const rss = servers.map((s) => rssMb(s.pid, 'VmHWM'))
    await Promise.all(servers.map((s) => s.stop()))
    const handed = await handedToProviderPg(db2.url)
    const scaling = multi.peak.flowsPerSecond / single.peak.flowsPerSecond
    console.log(
      `  two api + one worker: accepted -> handed to provider p50 ${ms(handed.p50)}  p99 ${ms(handed.p99)}; peak RSS ${rss.join(' / ')} MB`,
    )
    console.log(
      `  scaling: ${(scaling * 100).toFixed(0)}% of one instance's peak (${multi.peak.flowsPerSecond.toFixed(0)} vs ${single.peak.flowsPerSecond.toFixed(0)} flows/s); one instance is ${sqlitePeak ? `${((single.peak.flowsPerSecond / sqlitePeak) * 100).toFixed(0)}% of SQLite's peak` : 'not compared with SQLite'}${times(single.peak.flowsPerSecond, basePeak)}`,
    )
    results.postgres = {
      redis: Boolean(REDIS_URL),
      single: {
        peak: loadJson(single.peak),
        half: loadJson(single.half),
        handedMs: { p50: round(singleHanded.p50), p99: round(singleHanded.p99) },
        peakRssMb: singleRss,
        flowsPerSecondToBaseline: ratio(single.peak.flowsPerSecond, basePeak),
      },
      multi: {
        processes: { api: 2, worker: 1 },
        peak: loadJson(multi.peak),
        half: loadJson(multi.half),
        handedMs: { p50: round(handed.p50), p99: round(handed.p99) },
        peakRssMb: rss,
        flowsPerSecondToBaseline: ratio(multi.peak.flowsPerSecond, basePeak),
      },
      scaling: round(scaling, 3),
    }
    return ` pg_flows_per_second=${single.peak.flowsPerSecond.toFixed(0)} pg_multi_flows_per_second=${multi.peak.flowsPerSecond.toFixed(0)} pg_scaling=${scaling.toFixed(2)}`
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
    rmSync(dir, { recursive: true, force: true })
    await db2.drop()
  }
}

/** Writes `results` to `bench-results/<timestamp>.json` and says where. */
function writeResults(): void {
  results.finishedAt = new Date().toISOString()
  ;(results.machine as Record<string, unknown>).loadAverageAtEnd = loadavg()
  mkdirSync(OUT_DIR, { recursive: true })
  const file = join(OUT_DIR, `${(results.startedAt as string).replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nResults: ${file}`)
}

async function main(): Promise<void> {
  console.log(
    `verigate benchmark${QUICK ? ' (quick)' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  )
  if (SOAK === 'only') {
    console.log(`\nRESULT ${await soak()}`)
    writeResults()
    return
  }
  const basePeakLoad = await baseline()
  const basePeak = basePeakLoad?.flowsPerSecond
  if (PG_MODE === 'only') {
    console.log(`\nRESULT${await postgresPhase(undefined, basePeak)}`)
    writeResults()
    return
  }
  const server = await startBenchServer()
  try {
    const serviceId = await createService(server)
    const load = {
      url: server.url,
      key: server.token,
      serviceId,
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    }
    console.log(`  server: SQLite WAL synchronous=NORMAL, simulator zero-delay, data ${server.dir}`)
    console.log(
      '  limits raised for the bench: starts per service, global sends, starts per number prefix; fraud guard in shadow mode',
    )
    console.log(
      `  load: separate process, keep-alive HTTP/1.1, warmup ${WARMUP_MS} ms, measured ${DURATION_MS} ms per phase`,
    )
    console.log(
      `\nPhase 1: closed loop, ${CONCURRENCY} concurrent flows (start -> SMS via inbox stream -> check)`,
    )
    const peak = HALF_RATE
      ? { flowsPerSecond: HALF_RATE * 2 }
      : await runLoadMeasured(server.pid, {
          ...load,
          mode: 'closed',
          concurrency: CONCURRENCY,
          rate: 0,
          numberBase: 0,
        })
    let handedPeak: ReturnType<typeof summarize> | undefined
    if (HALF_RATE) console.log(`  skipped (BENCH_HALF_RATE=${HALF_RATE})`)
    else {
      printLoad(peak as LoadResult, basePeakLoad)
      printCpu(peak as MeasuredLoad)
      handedPeak = handedToProvider(server.dir)
      console.log(
        `  accepted -> handed to provider under this load: p50 ${ms(handedPeak.p50)}  p99 ${ms(handedPeak.p99)}`,
      )
    }

    const rate = HALF_AT ?? Math.max(1, Math.round(peak.flowsPerSecond / 2))
    console.log(`\nPhase 2: open loop at half the peak, ${rate} flows/s`)
    // The goals are for the measured window, as the load's p99s are: the loop delay and the
    // hand-overs are taken from the end of the warm-up (phase 1's queueing and the new load
    // process's first second do not count), and the warm-up's loop delay is printed beside.
    let gcFrom = (await scrapeServer(server.url)).gc
    let warmupLoopMax = Number.NaN
    let measuredFromEvent = lastEventId(server.dir)
    const half = await runLoadMeasured(
      server.pid,
      { ...load, mode: 'open', concurrency: 256, rate, numberBase: 10_000_000 },
      async () => {
        measuredFromEvent = lastEventId(server.dir)
        const scraped = await scrapeServer(server.url)
        warmupLoopMax = scraped.loopMaxMs
        gcFrom = scraped.gc
      },
    )
    const { loopMaxMs: halfLoopMax, gc: gcTo } = await scrapeServer(server.url)
    const halfGc = gcBetween(gcFrom, gcTo)
    printLoad(half)
    printCpu(half)
    console.log(
      `  SMS in inbox after start answered: p50 ${ms(half.smsWait.p50)}  p99 ${ms(half.smsWait.p99)}`,
    )
    const handed = handedToProvider(server.dir, undefined, measuredFromEvent)
    console.log(
      `  accepted -> handed to provider under this load (${handed.count} messages): p50 ${ms(handed.p50)}  p99 ${ms(handed.p99)}`,
    )
    console.log(
      `  max event-loop delay over the measured ${DURATION_MS / 1000} s: ${ms(halfLoopMax)} (in the warm-up before it: ${ms(warmupLoopMax)})`,
    )
    printGc(`over the measured ${DURATION_MS / 1000} s`, halfGc)
    const peakRss = rssMb(server.pid, 'VmHWM')
    console.log(`  server peak RSS after phases 1-2: ${peakRss} MB`)
    await server.stop()
    const baseHalf = await baselineAt(rate)
    if (baseHalf)
      console.log(
        `  verigate's half-load p99 as a multiple of the baseline's at the same rate: start ${times(half.start.p99, baseHalf.start.p99).trim()}, check ${times(half.check.p99, baseHalf.check.p99).trim()}`,
      )
    results.sqlite = {
      peak: HALF_RATE ? null : loadJson(peak as LoadResult),
      half: {
        ...loadJson(half),
        rate,
        eventLoopMaxMs: round(halfLoopMax, 1),
        warmupEventLoopMaxMs: round(warmupLoopMax, 1),
        gcPauses: halfGc,
        serverCpuUsPerFlow: round(half.serverCpu.usPerFlow, 0),
      },
      peakServerCpuUsPerFlow: HALF_RATE ? null : round((peak as MeasuredLoad).serverCpu.usPerFlow, 0),
      // At half load (phase 2 alone); the peak's own under handedPeakMs.
      handedMs: { p50: round(handed.p50), p99: round(handed.p99) },
      handedPeakMs: handedPeak ? { p50: round(handedPeak.p50), p99: round(handedPeak.p99) } : null,
      peakRssMb: peakRss,
      toBaseline: {
        flowsPerSecond: ratio(peak.flowsPerSecond, basePeak),
        halfStartP99: ratio(half.start.p99, baseHalf?.start.p99),
        halfCheckP99: ratio(half.check.p99, baseHalf?.check.p99),
      },
    }

    // Phase 3: the primary route is down (every submit fails with 503); the secondary takes over.
    const failRate = Math.max(1, Math.min(200, Math.round(rate / 2)))
    console.log(
      `\nPhase 3: primary provider down (every submit 503), ${failRate} flows/s for ${DURATION_MS} ms`,
    )
    const down = await startBenchServer({
      providers: [{ type: 'simulator', id: 'primary', channels: ['sms'], outage: true }],
    })
    try {
      const svc = await createService(down)
      const res = await runLoad({
        url: down.url,
        key: down.token,
        serviceId: svc,
        durationMs: DURATION_MS,
        warmupMs: 500,
        mode: 'open',
        concurrency: 256,
        rate: failRate,
        numberBase: 20_000_000,
      })
      const failover = handedToProvider(down.dir, 'simulator:sms:*')
      console.log(`  ${res.flows} flows, ${res.errors} errors; every code delivered by the secondary route`)
      console.log(
        `  time to failover (accepted -> handed to the secondary): p50 ${ms(failover.p50)}  p99 ${ms(failover.p99)}`,
      )
      results.failover = {
        flows: res.flows,
        errors: res.errors,
        p50Ms: round(failover.p50),
        p99Ms: round(failover.p99),
      }
      // One server at a time: the soak's and PostgreSQL's figures are their own.
      await down.stop()
      const soaked = SOAK === '0' ? '' : ` ${await soak()}`
      const pgFigures = PG_MODE === '1' ? await postgresPhase(peak.flowsPerSecond, basePeak) : ''
      console.log(
        `\nRESULT flows_per_second=${peak.flowsPerSecond.toFixed(0)}${basePeak ? ` flows_to_baseline=${(peak.flowsPerSecond / basePeak).toFixed(2)}` : ''} half_load_start_p99_ms=${resultFigure(half.start.p99)} half_load_check_p99_ms=${resultFigure(half.check.p99)} handed_p50_ms=${handed.p50} handed_p99_ms=${handed.p99} failover_p50_ms=${failover.p50} failover_p99_ms=${failover.p99} peak_rss_mb=${peakRss}${soaked}${pgFigures}`,
      )
      writeResults()
    } finally {
      await down.stop()
    }
  } catch (err) {
    await server.stop().catch(() => undefined)
    throw err
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
