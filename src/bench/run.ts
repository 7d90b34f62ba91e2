/**
 * @module `npm run bench`: starts verigate on SQLite (WAL, synchronous=NORMAL) with the simulator in
 * zero-delay mode, drives start+check flows over HTTP from a separate process, and prints flows per
 * second, p50/p99 latency of start and check, and time from accepted to handed-to-provider.
 *
 * Phases: (1) closed loop at fixed concurrency for peak throughput; (2) open loop at half that rate
 * for latency under a steady load. Settings are printed with the results.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))))
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

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-bench-'))
  const port = await freePort()
  const { token } = mintApiKey('bench', ['admin'], Date.now())
  const configFile = join(dir, 'config.json')
  const serverConfig = {
    logLevel: 'warn',
    simulator: { deliveryDelayMs: 0 },
    limits: {
      startsPerService: { points: 10_000_000, durationSeconds: 60 },
      globalSends: { points: 10_000_000, durationSeconds: 60 },
    },
  }
  writeFileSync(configFile, JSON.stringify(serverConfig))
  const server: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: { ...process.env, VERIGATE_DATA_DIR: dir, VERIGATE_ADMIN_API_KEY: token, VERIGATE_CONFIG: configFile },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) break
      } catch {
        // starting
      }
      if (i > 400) throw new Error('server did not start')
      await new Promise((r) => setTimeout(r, 50))
    }
    const svc = (await (
      await fetch(`${url}/v1/services`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench' }),
      })
    ).json()) as { id: string }

    const base = { url, key: token, serviceId: svc.id, durationMs: DURATION_MS, warmupMs: WARMUP_MS }
    console.log(`verigate benchmark: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`)
    console.log(`  server: SQLite WAL synchronous=NORMAL, simulator zero-delay, data ${dir}`)
    console.log(`  load: separate process, keep-alive HTTP/1.1, warmup ${WARMUP_MS} ms, measured ${DURATION_MS} ms per phase`)
    console.log(`\nPhase 1: closed loop, ${CONCURRENCY} concurrent flows (start -> SMS via inbox stream -> check)`)
    const peak = await runLoad({ ...base, mode: 'closed', concurrency: CONCURRENCY, rate: 0, numberBase: 0 })
    console.log(`  ${peak.flows} flows in ${peak.seconds.toFixed(1)} s = ${peak.flowsPerSecond.toFixed(0)} flows/s, ${peak.errors} errors`)
    console.log(`  start p50 ${ms(peak.start.p50)}  p99 ${ms(peak.start.p99)}   check p50 ${ms(peak.check.p50)}  p99 ${ms(peak.check.p99)}`)

    const rate = Math.max(1, Math.round(peak.flowsPerSecond / 2))
    console.log(`\nPhase 2: open loop at half the peak, ${rate} flows/s`)
    const half = await runLoad({ ...base, mode: 'open', concurrency: 256, rate, numberBase: 10_000_000 })
    console.log(`  ${half.flows} flows in ${half.seconds.toFixed(1)} s = ${half.flowsPerSecond.toFixed(0)} flows/s, ${half.errors} errors`)
    console.log(`  start p50 ${ms(half.start.p50)}  p90 ${ms(half.start.p90)}  p99 ${ms(half.start.p99)}`)
    console.log(`  check p50 ${ms(half.check.p50)}  p90 ${ms(half.check.p90)}  p99 ${ms(half.check.p99)}`)
    console.log(`  SMS in inbox after start answered: p50 ${ms(half.smsWait.p50)}  p99 ${ms(half.smsWait.p99)}`)

    const db = new BetterSqlite3(join(dir, 'verigate.db'), { readonly: true })
    const queued = db
      .prepare("select json_extract(data, '$.queued_ms') as q from verification_events where type = 'handed_to_provider'")
      .all() as Array<{ q: number }>
    db.close()
    const handed = summarize(queued.map((r) => r.q))
    console.log(`\nAccepted -> handed to provider (all phases, ${handed.count} messages): p50 ${ms(handed.p50)}  p99 ${ms(handed.p99)}`)
    console.log(
      `\nRESULT flows_per_second=${peak.flowsPerSecond.toFixed(0)} half_load_start_p99_ms=${half.start.p99.toFixed(2)} half_load_check_p99_ms=${half.check.p99.toFixed(2)} handed_p50_ms=${handed.p50} handed_p99_ms=${handed.p99}`,
    )
  } finally {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
