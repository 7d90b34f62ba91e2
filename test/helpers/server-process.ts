/** Spawns the built server (`dist/cli/index.js serve`) as a real process, for end-to-end tests. */
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url))

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

export interface ServerProcess {
  readonly url: string
  readonly child: ChildProcess
  output(): string
  kill(signal?: NodeJS.Signals): Promise<void>
}

export async function startServerProcess(
  env: Record<string, string>,
  args: string[] = [],
  opts: { port?: number; readyTimeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort())
  const nodeArgs = opts.nodeArgs ?? []
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', String(port), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
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
  const until = Date.now() + (opts.readyTimeoutMs ?? 20_000)
  let lastAnswer = 'no answer'
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`)
    try {
      const res = await fetch(`${url}/readyz`)
      // Ready only once this child says it listens there: with tests in parallel, the port picked
      // can be taken before the child binds it, and another test's server answered /readyz (the
      // child then exits with EADDRINUSE, and the test talked to a stranger: 401 on its key).
      if (res.ok && out.includes(`is running on ${url}`)) break
      lastAnswer = `${res.status} ${await res.text()}`
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`server did not become ready (/readyz: ${lastAnswer}):\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    url,
    child,
    output: () => out,
    kill: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      }),
  }
}
