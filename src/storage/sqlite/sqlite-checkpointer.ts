/**
 * @module `startSqliteCheckpointer`: WAL checkpoints of a SQLite file from a worker thread with its
 * own connection, so the connection serving requests never pays for them in a COMMIT.
 */
import { startSqliteWorkerThread } from './sqlite-worker-thread.js'

export interface SqliteCheckpointerConfig {
  /** Database file. It must exist and be in WAL mode. */
  readonly path: string
  /** Time between PASSIVE checkpoints, which never block the writer. @default 250 */
  readonly intervalMs?: number
  /**
   * WAL size, in frames (one page each), at which the log is restarted. Under a steady stream of
   * commits a PASSIVE checkpoint never catches up with the last frame, and SQLite only starts the
   * log over from its first frame when it has, so without a restart the WAL file would grow
   * forever. @default 16384 (about 64 MiB with 4 KiB pages)
   */
  readonly restartFrames?: number
  /**
   * Runs `during` (the RESTART checkpoint) while the main connection writes nothing, and resolves
   * when it has. Without it, the RESTART makes the main connection's writers wait in SQLite's busy
   * handler, which blocks their thread. @default runs `during` at once
   */
  readonly pauseWrites?: (during: () => Promise<void>) => Promise<void>
  /**
   * A descriptor of the database file (`openFileSyncHandle`) the worker syncs after each round
   * that copied pages, so a RESTART has only its tail left to sync while the writers wait. The
   * worker never closes it. @default no syncing between restarts
   */
  readonly syncFd?: number
  /** How long a RESTART waits for a writer or reader to finish before giving up until later. @default 500 */
  readonly restartBusyTimeoutMs?: number
  /** Called once the worker has opened the file; checkpoints run from then on. */
  readonly onReady?: () => void
  /**
   * Called at most once if the worker stops on its own (it could not open the file, or crashed).
   * Nothing checkpoints after that, so the caller should turn `wal_autocheckpoint` back on.
   */
  readonly onFailure?: (err: Error) => void
}

export interface SqliteCheckpointer {
  /** Stops the timer, closes the worker's connection and resolves when the thread has exited. */
  stop(): Promise<void>
}

interface WorkerSettings {
  readonly path: string
  readonly intervalMs: number
  readonly restartFrames: number
  readonly restartBusyTimeoutMs: number
  readonly restartBackoffMs: number
  readonly restartTailFrames: number
  readonly syncFd: number
}

/** Worker → main messages. */
type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'restart-wanted' }
  | { readonly type: 'restarted' }

// The worker is evaluated from source rather than loaded from a file, so it runs the same from
// `dist/` and from the TypeScript sources under vitest (a worker thread does not get vitest's
// transform). It is plain CommonJS, which `eval` workers run; keep it small.
//
// Protocol: the worker checkpoints (PASSIVE) on its timer; when the log is long it posts
// 'restart-wanted' and keeps checkpointing; the main thread pauses its writes and posts 'restart';
// the worker runs a RESTART checkpoint (which, with no writer active, catches up fully) and posts
// 'restarted'. The next write transaction then starts the log over from its first frame.
const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads')
const Database = require(s.driverPath)
const db = new Database(s.path, { fileMustExist: true })
// SQLite syncs the database file only when a checkpoint has copied the whole log. Under steady
// writes no PASSIVE round does, so every page the rounds copied since the last restart stayed
// dirty in the OS until the RESTART synced them all, while the writers waited (4-21 ms of the
// pause under load on a 2-core VM). Synced after each round, off the main thread, they leave the
// RESTART only its tail (3-5 ms).
let syncFd = s.syncFd
let syncedAt = -1
const syncCopied = (result) => {
  if (syncFd < 0 || result.checkpointed <= 0 || result.checkpointed === syncedAt) return
  try {
    require('node:fs').fdatasyncSync(syncFd)
    syncedAt = result.checkpointed
  } catch {
    // A file system that refuses it: the RESTART syncs everything, as SQLite alone does.
    syncFd = -1
  }
}
parentPort.postMessage({ type: 'ready' })
let wanted = false
let quietUntil = 0
const timer = setInterval(() => {
  // A failed round (disk error, file locked by another process) is retried at the next tick.
  // While a restart is wanted the writers are (about to be) paused: a PASSIVE round started now
  // would hold up the RESTART, and the pause with it, for as long as the round takes.
  if (wanted) return
  try {
    let passive = db.pragma('wal_checkpoint(PASSIVE)')[0]
    syncCopied(passive)
    if (passive.log >= s.restartFrames && Date.now() >= quietUntil) {
      // The writers are paused for as long as the RESTART copies what no PASSIVE round has yet,
      // so catch up first: each round copies what was written during the one before, a shorter
      // stretch each time, until the rest takes a moment (under load: 20-25 ms of pause
      // without these rounds, a few ms with them).
      for (let round = 0; round < 4 && passive.log - passive.checkpointed > s.restartTailFrames; round++)
        passive = db.pragma('wal_checkpoint(PASSIVE)')[0]
      // One sync covers every round's pages; a sync per round only made the rounds longer.
      syncCopied(passive)
      wanted = true
      parentPort.postMessage({ type: 'restart-wanted' })
    }
  } catch {}
}, s.intervalMs)
parentPort.on('message', (message) => {
  if (message === 'restart') {
    let done = false
    try {
      db.pragma('busy_timeout = ' + s.restartBusyTimeoutMs)
      done = db.pragma('wal_checkpoint(RESTART)')[0].busy === 0
    } catch {
    } finally {
      try { db.pragma('busy_timeout = 0') } catch {}
    }
    // A reader of another process can hold the log; do not pause the writers again right away.
    if (!done) quietUntil = Date.now() + s.restartBackoffMs
    wanted = false
    parentPort.postMessage({ type: 'restarted' })
  } else if (message === 'stop') {
    clearInterval(timer)
    db.close()
    parentPort.close()
  }
})
`

/**
 * Starts a worker thread that runs `PRAGMA wal_checkpoint(PASSIVE)` on `config.path` every
 * `intervalMs`, and a RESTART checkpoint (inside `pauseWrites`) whenever the WAL reaches
 * `restartFrames`, so the log starts over instead of growing. Meant for a main connection with
 * `wal_autocheckpoint = 0`. The thread is unref'd: a process that forgets `stop()` still exits.
 */
export function startSqliteCheckpointer(config: SqliteCheckpointerConfig): SqliteCheckpointer {
  const settings: WorkerSettings = {
    path: config.path,
    intervalMs: config.intervalMs ?? 250,
    restartFrames: config.restartFrames ?? 16_384,
    restartBusyTimeoutMs: config.restartBusyTimeoutMs ?? 500,
    restartBackoffMs: 10_000,
    restartTailFrames: 256,
    syncFd: config.syncFd ?? -1,
  }
  const pauseWrites = config.pauseWrites ?? ((during) => during())
  const thread = startSqliteWorkerThread(WORKER_SOURCE, { ...settings })
  const { worker } = thread
  let stopping = false
  let failed = false
  let restarted: (() => void) | undefined
  const fail = (err: Error) => {
    if (stopping || failed) return
    failed = true
    config.onFailure?.(err)
  }
  thread.exited.then((code) => {
    // Nobody will answer a RESTART now; whoever paused the writes must not wait forever.
    restarted?.()
    fail(new Error(`SQLite checkpoint worker exited with code ${code}`))
  })
  // An 'error' event without a listener would crash the process; a failed checkpointer must not.
  worker.on('error', (err) => fail(err))

  const restart = () =>
    new Promise<void>((resolve) => {
      if (stopping || failed) return resolve()
      restarted = resolve
      worker.postMessage('restart')
    })

  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'ready' && !stopping) config.onReady?.()
    else if (message.type === 'restart-wanted' && !stopping) {
      // A pause that fails (the database is closing) just skips this restart.
      pauseWrites(restart).catch(() => {})
    } else if (message.type === 'restarted') {
      const resolve = restarted
      restarted = undefined
      resolve?.()
    }
  })

  return {
    stop() {
      stopping = true
      return thread.stop()
    },
  }
}
