/**
 * @module `startSqliteWorkerThread`: the thread under the SQLite workers (checkpoints, long reads):
 * evaluated from source, so it runs the same from dist/ and under vitest (a worker thread does not
 * get vitest's transform); given better-sqlite3's path in `workerData.driverPath`; unref'd so an
 * idle one never keeps the process alive; stopped politely with a forced end after a grace time.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How long a worker may take to close its connection after 'stop' before it is terminated. */
const STOP_GRACE_MS = 5_000

export interface SqliteWorkerThread {
  readonly worker: Worker
  /** Settles when the thread has exited, however it ended; `code` is its exit code. */
  readonly exited: Promise<number>
  /** Posts 'stop' (the worker closes its connection and ends), and resolves when the thread is gone. */
  stop(): Promise<void>
}

/**
 * Starts `source` (plain CommonJS) in a worker thread with `data` plus `driverPath` as `workerData`.
 * The worker must end itself when it receives the message 'stop'.
 */
export function startSqliteWorkerThread(source: string, data: Record<string, unknown>): SqliteWorkerThread {
  const driverPath = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(source, { eval: true, workerData: { ...data, driverPath } })
  worker.unref()
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve))
  let stopping = false
  return {
    worker,
    exited,
    async stop() {
      if (!stopping) {
        stopping = true
        // Keeps the process alive until the thread is gone, or the caller's await would be cut short.
        worker.ref()
        worker.postMessage('stop')
        // A worker stuck in I/O should not hold up shutdown for long.
        const force = setTimeout(() => void worker.terminate(), STOP_GRACE_MS)
        force.unref()
        exited.finally(() => clearTimeout(force))
      }
      await exited
    },
  }
}
