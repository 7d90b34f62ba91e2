/**
 * A PostgreSQL server of the test's own, on a free port in a temporary folder, that the test may
 * kill, freeze (SIGSTOP), thaw and restart without touching the shared one. Uses the installed
 * PostgreSQL 15 binaries; as root, the server runs as the `postgres` user (initdb refuses root).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from './server-process.js'

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin'

export interface PrivatePostgres {
  readonly port: number
  /** `postgres://postgres@127.0.0.1:<port>/<database>` */
  url(database?: string): string
  /** Creates a database (owned by the `postgres` superuser) and returns its URL. */
  createDatabase(name: string): Promise<string>
  /** SIGKILL the server and every backend: a crash, as the clients see it. */
  kill(): Promise<void>
  /** SIGSTOP the server and every backend: it keeps its sockets but answers nothing. */
  freeze(): void
  /** SIGCONT after `freeze`. */
  thaw(): void
  /** Starts the server again on the same port and data (after `kill`); resolves once it answers. */
  restart(): Promise<void>
  /** Thaws it, or starts it if it was killed: for clean-up after a test that failed midway. */
  ensureRunning(): Promise<void>
  /** Ends every connection to `database` (`pg_terminate_backend`); returns how many. */
  terminateConnections(database: string): Promise<number>
  /** Stops the server and deletes its folder. */
  close(): Promise<void>
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

/** Direct children of `pid` (the postmaster's backends and auxiliary processes). */
function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The command may contain spaces; the fields after its closing parenthesis are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return out
}

/**
 * SIGSTOPs the postmaster and returns once the kernel has stopped it. Only then is its list of
 * children final: a fork it was making when the signal came completes first, and a child listed
 * before that would be missed (frozen, it still served queries; killed, it outlived the server).
 */
function stopPostmaster(pid: number): void {
  signal(pid, 'SIGSTOP')
  const until = Date.now() + 2_000
  while (Date.now() < until) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
      if (state === 'T' || state === 't' || state === 'Z') return
    } catch {
      return // gone
    }
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const user = postgresUser()
  const dir = mkdtempSync(join(tmpdir(), 'verigate-pg-'))
  const dataDir = join(dir, 'data')
  if (user) chownSync(dir, user.uid, user.gid)
  execFileSync(
    join(BIN, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { stdio: 'ignore', ...(user ?? {}) },
  )
  const port = await freePort()
  let child: ChildProcess | undefined
  let log = ''

  const start = async () => {
    log = ''
    child = spawn(
      join(BIN, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        // A killed server loses nothing with these off, as long as the machine keeps running: the
        // WAL is written to the OS at each commit (synchronous_commit stays on), just not fsynced.
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=100',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}) },
    )
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString()
    })
    const until = Date.now() + 20_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}:\n${log}`)
      const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 1_000 })
      client.on('error', () => {})
      try {
        await client.connect()
        await client.query('select 1')
        await client.end()
        return
      } catch {
        await client.end().catch(() => {})
      }
      if (Date.now() > until) throw new Error(`postgres did not start:\n${log}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres'), connectionTimeoutMillis: 5_000 })
    client.on('error', () => {})
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end().catch(() => {})
    }
  }
  const pid = () => child?.pid
  const kill = async () => {
    const p = pid()
    if (p === undefined || !child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()))
    stopPostmaster(p) // so it cannot fork new backends while they are killed
    for (const c of childrenOf(p)) signal(c, 'SIGKILL')
    signal(p, 'SIGKILL')
    await exited
    // Backends that were mid-fork: make sure none outlives its postmaster.
    for (const c of childrenOf(p)) signal(c, 'SIGKILL')
  }
  const cleanup = () => {
    const p = pid()
    if (p === undefined) return
    for (const c of childrenOf(p)) signal(c, 'SIGKILL')
    signal(p, 'SIGKILL')
  }
  process.once('exit', cleanup)

  await start()
  return {
    port,
    url,
    async createDatabase(name) {
      await admin((c) => c.query(`create database ${name}`))
      return url(name)
    },
    kill,
    freeze() {
      const p = pid()
      if (p === undefined) return
      stopPostmaster(p)
      for (const c of childrenOf(p)) signal(c, 'SIGSTOP')
    },
    thaw() {
      const p = pid()
      if (p === undefined) return
      for (const c of childrenOf(p)) signal(c, 'SIGCONT')
      signal(p, 'SIGCONT')
    },
    async restart() {
      await kill()
      await start()
    },
    async ensureRunning() {
      const p = pid()
      if (p !== undefined && child && child.exitCode === null && child.signalCode === null) {
        for (const c of childrenOf(p)) signal(c, 'SIGCONT')
        signal(p, 'SIGCONT')
        return
      }
      await start()
    },
    terminateConnections: (database) =>
      admin(async (c) => {
        const { rows } = await c.query(
          'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [database],
        )
        return rows.filter((r) => r.ended).length
      }),
    async close() {
      process.off('exit', cleanup)
      const p = pid()
      if (p !== undefined) {
        signal(p, 'SIGCONT')
        for (const c of childrenOf(p)) signal(c, 'SIGCONT')
      }
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
