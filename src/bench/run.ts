/**
 * @module `npm run bench`: starts verigate on SQLite (WAL, synchronous=NORMAL) with the simulator in
 * zero-delay mode, drives start+check flows over HTTP from a separate process, and prints flows per
 * second, p50/p99 latency of start and check, and time from accepted to handed-to-provider.
 *
 * Phases: (1) closed loop at fixed concurrency for peak throughput; (2) open loop at half that rate
 * for latency under a steady load; (3) the primary provider down; (4) soak: burst, a lull longer than
 * every window (route health, limits), burst again, with the longest event-loop delay, the longest
 * request and the RSS after each part, and the throughput before and after the lull. Settings are
 * printed with the results.
 *
 * `BENCH_SOAK=0` skips the soak, `BENCH_SOAK=only` runs only it; `BENCH_SOAK_SHORT=1` makes it about a
 * minute (15 s bursts, a 20 s lull, and the windows shortened to 10 s so the lull still outlasts them).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { mintApiKey } from '../auth/api-key.js'
import { summarize } from './stats.js'

const CLI = fileURLToPath(new URL('../cli/index.js', import.meta.url))
const LOAD = fileURLToPath(new URL('./load.js', import.meta.url))

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64)
const SOAK = process.env.BENCH_SOAK ?? '1'
const SOAK_SHORT = process.env.BENCH_SOAK_SHORT === '1'
/** Every sliding window the soak's lull must outlast (route health, the bench's raised limits). */
const SOAK_WINDOW_MS = SOAK_SHORT ? 10_000 : 60_000
const SOAK_BURST_MS = Number(process.env.BENCH_SOAK_BURST_MS ?? (SOAK_SHORT ? 15_000 : 40_000))
const SOAK_LULL_MS = Number(process.env.BENCH_SOAK_LULL_MS ?? (SOAK_SHORT ? 20_000 : 65_000))

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

function runLoad(config: Record<string, unknown>): Promise<Record<string, never> & LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LOAD], {
      env: { ...process.env, VERIGATE_BENCH_LOAD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`)),
    )
  })
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
}

const ms = (v: number) => `${v.toFixed(2)} ms`

interface BenchServer {
  readonly url: string
  readonly pid: number
  readonly dir: string
  readonly token: string
  stop(): Promise<void>
}

async function startBenchServer(extraConfig: Record<string, unknown> = {}): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-bench-'))
  const port = await freePort()
  const { token } = mintApiKey('bench', ['admin'], Date.now())
  const configFile = join(dir, 'config.json')
  const { limits: extraLimits, ...extra } = extraConfig
  const serverConfig = {
    logLevel: 'warn',
    simulator: { deliveryDelayMs: 0 },
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
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : []
  const server: ChildProcess = spawn(process.execPath, [...prof, CLI, 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      VERIGATE_DATA_DIR: dir,
      VERIGATE_ADMIN_API_KEY: token,
      VERIGATE_CONFIG: configFile,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break
    } catch {
      // starting
    }
    if (i > 400) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 50))
  }
  const exited = new Promise((r) => server.once('exit', r))
  return {
    url,
    pid: server.pid ?? 0,
    dir,
    token,
    async stop() {
      server.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function createService(server: BenchServer): Promise<string> {
  const res = await fetch(`${server.url}/v1/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  })
  return ((await res.json()) as { id: string }).id
}

function handedToProvider(dir: string, route?: string) {
  const db = new BetterSqlite3(join(dir, 'verigate.db'), { readonly: true })
  const rows = db
    .prepare(
      "select json_extract(data, '$.queued_ms') as q, json_extract(data, '$.route') as r from verification_events where type = 'handed_to_provider'",
    )
    .all() as Array<{ q: number; r: string }>
  db.close()
  return summarize(rows.filter((x) => route === undefined || x.r === route).map((x) => x.q))
}

/** Resident set size of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN
  } catch {
    return Number.NaN
  }
}

/**
 * The longest event-loop delay since the previous scrape, in ms (`verigate_event_loop_delay_max_seconds`;
 * each scrape resets the server's histogram, so a scrape before a part makes the next one about it).
 */
async function eventLoopMaxMs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const v = /^verigate_event_loop_delay_max_seconds (\S+)$/m.exec(text)?.[1]
  return v === undefined ? Number.NaN : Number(v) * 1000
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
    `\nPhase 4 (soak): burst ${SOAK_BURST_MS / 1000} s, lull ${SOAK_LULL_MS / 1000} s (windows: route health and limits ${SOAK_WINDOW_MS / 1000} s), burst ${SOAK_BURST_MS / 1000} s; closed loop, ${CONCURRENCY} concurrent flows`,
  )
  const server = await startBenchServer(windows)
  try {
    const serviceId = await createService(server)
    console.log(`  RSS at start: ${rssMb(server.pid)} MB`)
    const burst = async (name: string, numberBase: number) => {
      await eventLoopMaxMs(server.url)
      const r = await runLoad({
        url: server.url,
        key: server.token,
        serviceId,
        durationMs: SOAK_BURST_MS,
        warmupMs: 0,
        mode: 'closed',
        concurrency: CONCURRENCY,
        rate: 0,
        numberBase,
      })
      const loopMax = await eventLoopMaxMs(server.url)
      const requestMax = Math.max(r.start.max, r.check.max)
      const rss = rssMb(server.pid)
      console.log(
        `  ${name}: ${r.flowsPerSecond.toFixed(0)} flows/s (${r.flows} flows, ${r.errors} errors), max event-loop delay ${ms(loopMax)}, max request ${ms(requestMax)} (start p99 ${ms(r.start.p99)}), RSS ${rss} MB`,
      )
      return { r, loopMax, requestMax, rss }
    }
    const first = await burst('burst 1', 30_000_000)
    // The lull: nothing but a health probe a second, timed, as a monitor would send.
    await eventLoopMaxMs(server.url)
    let probeMax = 0
    const lullEnd = Date.now() + SOAK_LULL_MS
    while (Date.now() < lullEnd) {
      const t0 = performance.now()
      await fetch(`${server.url}/readyz`).then((res) => res.arrayBuffer())
      probeMax = Math.max(probeMax, performance.now() - t0)
      await new Promise((r) => setTimeout(r, 1_000))
    }
    const lullLoopMax = await eventLoopMaxMs(server.url)
    const lullRss = rssMb(server.pid)
    console.log(
      `  lull: max event-loop delay ${ms(lullLoopMax)}, max /readyz ${ms(probeMax)}, RSS ${lullRss} MB`,
    )
    const second = await burst('burst 2', 40_000_000)
    const ratio = second.r.flowsPerSecond / first.r.flowsPerSecond
    const loopMax = Math.max(first.loopMax, lullLoopMax, second.loopMax)
    console.log(
      `  throughput after the lull: ${(ratio * 100).toFixed(0)}% of before; max event-loop delay over the soak ${ms(loopMax)} (goal < 50 ms)`,
    )
    return `soak_before_flows_per_second=${first.r.flowsPerSecond.toFixed(0)} soak_after_flows_per_second=${second.r.flowsPerSecond.toFixed(0)} soak_event_loop_max_ms=${loopMax.toFixed(1)} soak_request_max_ms=${Math.max(first.requestMax, second.requestMax).toFixed(1)} soak_rss_mb=${first.rss}/${lullRss}/${second.rss}`
  } finally {
    await server.stop()
  }
}

async function main(): Promise<void> {
  if (SOAK === 'only') {
    console.log(`verigate benchmark (soak only): ${cpus().length} CPUs, Node ${process.version}`)
    console.log(`\nRESULT ${await soak()}`)
    return
  }
  const server = await startBenchServer()
  try {
    const serviceId = await createService(server)
    const base = {
      url: server.url,
      key: server.token,
      serviceId,
      durationMs: DURATION_MS,
      warmupMs: WARMUP_MS,
    }
    console.log(
      `verigate benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    )
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
    const peak = await runLoad({ ...base, mode: 'closed', concurrency: CONCURRENCY, rate: 0, numberBase: 0 })
    console.log(
      `  ${peak.flows} flows in ${peak.seconds.toFixed(1)} s = ${peak.flowsPerSecond.toFixed(0)} flows/s, ${peak.errors} errors`,
    )
    console.log(
      `  start p50 ${ms(peak.start.p50)}  p99 ${ms(peak.start.p99)}   check p50 ${ms(peak.check.p50)}  p99 ${ms(peak.check.p99)}`,
    )
    const handedPeak = handedToProvider(server.dir)
    console.log(
      `  accepted -> handed to provider under this load: p50 ${ms(handedPeak.p50)}  p99 ${ms(handedPeak.p99)}`,
    )

    const rate = Math.max(1, Math.round(peak.flowsPerSecond / 2))
    console.log(`\nPhase 2: open loop at half the peak, ${rate} flows/s`)
    const half = await runLoad({ ...base, mode: 'open', concurrency: 256, rate, numberBase: 10_000_000 })
    console.log(
      `  ${half.flows} flows in ${half.seconds.toFixed(1)} s = ${half.flowsPerSecond.toFixed(0)} flows/s, ${half.errors} errors`,
    )
    console.log(`  start p50 ${ms(half.start.p50)}  p90 ${ms(half.start.p90)}  p99 ${ms(half.start.p99)}`)
    console.log(`  check p50 ${ms(half.check.p50)}  p90 ${ms(half.check.p90)}  p99 ${ms(half.check.p99)}`)
    console.log(
      `  SMS in inbox after start answered: p50 ${ms(half.smsWait.p50)}  p99 ${ms(half.smsWait.p99)}`,
    )
    const handed = handedToProvider(server.dir)
    console.log(
      `  accepted -> handed to provider (both phases, ${handed.count} messages): p50 ${ms(handed.p50)}  p99 ${ms(handed.p99)}`,
    )
    await server.stop()

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
      // One server at a time: the soak's figures are its own.
      await down.stop()
      const soaked = SOAK === '0' ? '' : ` ${await soak()}`
      console.log(
        `\nRESULT flows_per_second=${peak.flowsPerSecond.toFixed(0)} half_load_start_p99_ms=${half.start.p99.toFixed(2)} half_load_check_p99_ms=${half.check.p99.toFixed(2)} handed_p50_ms=${handed.p50} handed_p99_ms=${handed.p99} failover_p50_ms=${failover.p50} failover_p99_ms=${failover.p99}${soaked}`,
      )
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
