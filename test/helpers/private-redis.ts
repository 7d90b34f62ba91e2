/**
 * A Redis server of the test's own (`redis-server --port N`, nothing saved), that the test may
 * kill, freeze (SIGSTOP), thaw and restart on the same port without touching the shared one.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { Socket } from 'node:net'
import { freePort } from './server-process.js'

export interface PrivateRedis {
  readonly port: number
  /** `redis://127.0.0.1:<port>` */
  readonly url: string
  /** SIGKILL: every connection drops and the port refuses. */
  kill(): Promise<void>
  /** SIGSTOP: connections stay open but nothing answers. */
  freeze(): void
  /** SIGCONT after `freeze`. */
  thaw(): void
  /** Starts it again on the same port (empty); resolves once it answers PING. */
  restart(): Promise<void>
  /** Thaws it, or starts it if it was killed: for clean-up after a test that failed midway. */
  ensureRunning(): Promise<void>
  close(): Promise<void>
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')))
  })
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    )
    const until = Date.now() + 10_000
    while (!(await answersPing(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`)
      if (Date.now() > until) throw new Error('redis-server did not start')
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  const kill = async () => {
    const c = child
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()))
    c.kill('SIGKILL')
    await exited
  }
  const cleanup = () => child?.kill('SIGKILL')
  process.once('exit', cleanup)
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async restart() {
      await kill()
      await start()
    },
    async ensureRunning() {
      child?.kill('SIGCONT')
      if (!child || child.exitCode !== null || child.signalCode !== null) await start()
    },
    async close() {
      process.off('exit', cleanup)
      child?.kill('SIGCONT')
      await kill()
    },
  }
}
