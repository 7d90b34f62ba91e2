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
      return await new Promise<QueryResult<unknown>>((resolve, reject) => {
        const id = this.#nextId++
        this.#pending.set(id, { resolve, reject })
        this.#worker.ref()
        this.#worker.postMessage({ id, sql: query.sql, params: query.parameters })
      })
    } catch (err) {
      if (err instanceof WorkerGone) return this.config.fallback(query)
      throw err
    }
  }

  stop(): Promise<void> {
    return this.#thread.stop()
  }
}

class WorkerGone extends Error {}

class ReadWorkerConnection implements DatabaseConnection {
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

  constructor(readonly config: SqliteReadWorkerConfig) {}

  async init(): Promise<void> {
    this.#worker = new ReadWorker(this.config)
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#worker) throw new Error('the SQLite read worker was not started')
    return new ReadWorkerConnection(this.#worker)
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the SQLite read worker runs single reads, not transactions')
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

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
