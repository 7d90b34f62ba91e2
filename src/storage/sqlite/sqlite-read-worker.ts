/**
 * @module `SqliteReadWorkerDialect`: a Kysely dialect whose queries run in a worker thread on a
 * read-only connection of its own, for the long reads (analytics over an hour or a month of
 * verifications). better-sqlite3 is synchronous: a grouped count over the last hour's 40,000
 * verifications held the event loop for ~45 ms at every metrics scrape, and grows with traffic. In
 * WAL mode a second connection reads a committed snapshot while the main one writes.
 */
import type { Worker } from 'node:worker_threads'
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import { type SqliteWorkerThread, startSqliteWorkerThread } from './sqlite-worker-thread.js'

export interface SqliteReadWorkerConfig {
  /** Database file, in WAL mode, written by another connection. */
  readonly path: string
  /**
   * Runs a query when the worker could not start or has stopped (the main connection): a failed
   * worker costs the loop time again, never an answer.
   */
  readonly fallback: (query: CompiledQuery) => Promise<QueryResult<unknown>>
}

// Plain CommonJS run by startSqliteWorkerThread; keep it small.
const WORKER_SOURCE = `
const { parentPort, workerData: s } = require('node:worker_threads')
const Database = require(s.driverPath)
const db = new Database(s.path, { readonly: true, fileMustExist: true })
const statements = new Map()
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close()
    parentPort.close()
    return
  }
  try {
    if (m.begin || m.commit) {
      // A read transaction: every statement until COMMIT reads the same snapshot.
      db.exec(m.begin ? 'BEGIN' : 'COMMIT')
      parentPort.postMessage({ id: m.id, rows: [] })
      return
    }
    let stmt = statements.get(m.sql)
    if (stmt === undefined) {
      stmt = db.prepare(m.sql)
      if (statements.size > 200) statements.clear()
      statements.set(m.sql, stmt)
    }
    if (!stmt.reader) throw new Error('the read worker runs statements that return rows only')
    parentPort.postMessage({ id: m.id, rows: stmt.all(m.params) })
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } })
  }
})
parentPort.postMessage({ ready: true })
`

type WorkerAnswer =
  | { readonly ready: true }
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly error: { readonly message: string; readonly code?: string } }

interface Pending {
  readonly resolve: (result: QueryResult<unknown>) => void
  readonly reject: (err: Error) => void
}

/** The worker thread and the queries waiting for it. One per dialect (per opened database). */
class ReadWorker {
  readonly #thread: SqliteWorkerThread
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  #nextId = 1
  #down = false

  constructor(readonly config: SqliteReadWorkerConfig) {
    // Idle, the thread does not keep the process alive; it is ref'd while a query waits.
    this.#thread = startSqliteWorkerThread(WORKER_SOURCE, { path: config.path })
    this.#worker = this.#thread.worker
    this.#worker.on('message', (m: WorkerAnswer) => {
      if ('ready' in m) return
      const p = this.#pending.get(m.id)
      if (!p) return
      this.#pending.delete(m.id)
      if (this.#pending.size === 0) this.#worker.unref()
      if ('error' in m) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }))
      else p.resolve({ rows: m.rows })
    })
    // An 'error' event without a listener would end the process; a failed reader must not.
    this.#worker.on('error', () => this.#fail())
    this.#thread.exited.then(() => this.#fail())
  }

  /** Queries asked before the worker died are answered by the fallback; so is every one after. */
  #fail(): void {
    if (this.#down) return
    this.#down = true
    const waiting = [...this.#pending.values()]
    this.#pending.clear()
    for (const p of waiting) p.reject(new WorkerGone())
  }

  async execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (this.#down) return this.config.fallback(query)
    try {
      return await this.#ask({ sql: query.sql, params: query.parameters })
    } catch (err) {
      if (err instanceof WorkerGone) return this.config.fallback(query)
      throw err
    }
  }

  /**
   * Opens (`begin`) or ends (`commit`) the worker's read transaction. One at a time (the driver
   * queues them); single reads that arrive meanwhile read the same snapshot, which is at most as
   * old as the transaction. A dead worker has nothing to hold open: the fallback reads the main
   * connection, query by query.
   */
  async transaction(step: 'begin' | 'commit'): Promise<void> {
    if (this.#down) return
    try {
      await this.#ask({ [step]: true })
    } catch (err) {
      if (!(err instanceof WorkerGone)) throw err
    }
  }

  #ask(message: Record<string, unknown>): Promise<QueryResult<unknown>> {
    return new Promise<QueryResult<unknown>>((resolve, reject) => {
      const id = this.#nextId++
      this.#pending.set(id, { resolve, reject })
      this.#worker.ref()
      this.#worker.postMessage({ id, ...message })
    })
  }

  stop(): Promise<void> {
    return this.#thread.stop()
  }
}

class WorkerGone extends Error {}

class ReadWorkerConnection implements DatabaseConnection {
  /** Lets the next read transaction begin; set while this connection holds one. */
  endTransaction: () => void = () => {}

  constructor(readonly worker: ReadWorker) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.worker.execute(query) as Promise<QueryResult<R>>
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by this connection
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite read worker does not stream')
  }
}

class ReadWorkerDriver implements Driver {
  #worker: ReadWorker | undefined
  #transactionDone: Promise<void> = Promise.resolve()

  constructor(readonly config: SqliteReadWorkerConfig) {}

  async init(): Promise<void> {
    this.#worker = new ReadWorker(this.config)
  }

  #started(): ReadWorker {
    if (!this.#worker) throw new Error('the SQLite read worker was not started')
    return this.#worker
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new ReadWorkerConnection(this.#started())
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const worker = this.#started()
    // One read transaction at a time: the next waits for this one's end, so a snapshot never
    // outlives the reads that asked for it (an open one would hold back WAL checkpoints).
    const previous = this.#transactionDone
    let done!: () => void
    this.#transactionDone = new Promise<void>((resolve) => {
      done = resolve
    })
    ;(connection as ReadWorkerConnection).endTransaction = done
    await previous
    try {
      await worker.transaction('begin')
    } catch (err) {
      done()
      throw err
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as ReadWorkerConnection)
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as ReadWorkerConnection)
  }

  async #end(connection: ReadWorkerConnection): Promise<void> {
    try {
      await this.#started().transaction('commit')
    } finally {
      connection.endTransaction()
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.#worker?.stop()
  }
}

/**
 * Kysely's SQLite SQL, adapter and introspector, with every query run by a worker thread on its
 * own read-only connection. For reads only: a write is refused by the worker.
 */
export class SqliteReadWorkerDialect implements Dialect {
  constructor(readonly config: SqliteReadWorkerConfig) {}

  createDriver(): Driver {
    return new ReadWorkerDriver(this.config)
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter()
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}
