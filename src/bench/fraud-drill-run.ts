/**
 * @module `npm run fraud-drill` (docs/fraud.md): runs the fraud drill against a running verigate
 * with the simulator (`FRAUD_DRILL_URL` + `FRAUD_DRILL_KEY`, an admin key), or, without them,
 * starts one: SQLite by default, PostgreSQL + Redis when `DATABASE_URL` and `REDIS_URL` are set.
 * Prints attack sends blocked, paid attack sends and legitimate users blocked.
 *
 * Sizes: `FRAUD_DRILL_ATTACK` (1000), `FRAUD_DRILL_RANGES` (4), `FRAUD_DRILL_USERS` (400),
 * `FRAUD_DRILL_SECONDS` (60).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mintApiKey } from '../auth/api-key.js'
import { formatFraudDrill, runFraudDrill } from './fraud-drill.js'

const CLI = fileURLToPath(new URL('../cli/index.js', import.meta.url))

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address()
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

/** A server of its own, with the default fraud settings and the simulator at its default delay. */
async function startDrillServer(): Promise<{
  url: string
  key: string
  label: string
  stop(): Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-fraud-drill-'))
  const port = await freePort()
  const { token } = mintApiKey('fraud-drill', ['admin'], Date.now())
  const configFile = join(dir, 'config.json')
  const pg = process.env.DATABASE_URL?.startsWith('postgres') ?? false
  // Counters of this run only, even in a Redis or database other runs share. On PostgreSQL the
  // drill's server waits up to 20 s for the database (not 5 s): on a busy shared machine a slow
  // answer is the machine's, and the drill measures the fraud guard, not the machine.
  writeFileSync(
    configFile,
    JSON.stringify({
      logLevel: 'warn',
      rateLimitKeyPrefix: `vg:rl:drill-${process.pid}-${Date.now()}`,
      ...(pg
        ? { postgres: { connectTimeoutMs: 20_000, statementTimeoutMs: 20_000, queryTimeoutMs: 21_000 } }
        : {}),
    }),
  )
  const label = `${pg ? 'PostgreSQL (20 s database timeouts)' : 'SQLite'}${process.env.REDIS_URL ? ' + Redis' : ', fraud counters in memory'}`
  const server: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: {
      ...process.env,
      VERIGATE_DATA_DIR: dir,
      VERIGATE_ADMIN_API_KEY: token,
      VERIGATE_CONFIG: configFile,
      VERIGATE_SIMULATOR: 'true',
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
    key: token,
    label,
    async stop() {
      server.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const USAGE = `npm run fraud-drill [-- --help]

Runs the fraud drill (docs/fraud.md): an SMS-pumping attack walking consecutive ranges mixed with
legitimate people, against a verigate with the simulator. Exits 0 when >= 95% of the attack sends
are blocked and no legitimate person is, 1 otherwise.

Where (environment):
  (nothing)                      starts a server of its own: SQLite in a temporary folder
  DATABASE_URL, REDIS_URL        ... on PostgreSQL (an empty database) with counters in Redis
  FRAUD_DRILL_URL, FRAUD_DRILL_KEY   a running server with the simulator, and an admin key

Sizes (environment):
  FRAUD_DRILL_ATTACK   attack starts (1000)
  FRAUD_DRILL_RANGES   consecutive ranges of 1,000 numbers the attack walks (4)
  FRAUD_DRILL_USERS    legitimate people (400)
  FRAUD_DRILL_SECONDS  duration (60)

The server runs the default settings, whose unproven-burst rule lets 20 starts into each 8-digit
range walked: an attack under about 800 starts per two ranges cannot reach 95% blocked there
(the test suite's small drill scales that rule instead; docs/fraud.md, "The drill").
`

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE)
    return
  }
  if (args.length > 0) {
    process.stderr.write(
      `Unknown argument ${args[0]}; the drill takes its settings from the environment.\n\n${USAGE}`,
    )
    process.exitCode = 2
    return
  }
  const external = process.env.FRAUD_DRILL_URL
  if (external && !process.env.FRAUD_DRILL_KEY)
    throw new Error('FRAUD_DRILL_URL needs FRAUD_DRILL_KEY (an admin key)')
  const server = external
    ? {
        url: external,
        key: process.env.FRAUD_DRILL_KEY!,
        label: `running server ${external}`,
        stop: async () => {},
      }
    : await startDrillServer()
  try {
    console.log(`verigate fraud drill against ${server.label}`)
    const result = await runFraudDrill({
      url: server.url,
      key: server.key,
      attackStarts: Number(process.env.FRAUD_DRILL_ATTACK ?? 1000),
      attackRanges: Number(process.env.FRAUD_DRILL_RANGES ?? 4),
      legitUsers: Number(process.env.FRAUD_DRILL_USERS ?? 400),
      durationMs: Number(process.env.FRAUD_DRILL_SECONDS ?? 60) * 1000,
      log: (line) => console.log(line),
    })
    console.log(`  ${result.seconds.toFixed(1)} s, service ${result.serviceId}`)
    for (const line of formatFraudDrill(result)) console.log(`  ${line}`)
    process.exitCode = result.attack.blockedShare >= 0.95 && result.legit.blocked === 0 ? 0 : 1
  } finally {
    await server.stop()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
