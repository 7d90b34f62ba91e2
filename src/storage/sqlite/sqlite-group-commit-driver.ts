/**
 * @module `SqliteGroupCommitDriver`: a Kysely driver for one better-sqlite3 connection where
 * transactions (and autocommit writes) from concurrent callers share one real SQLite transaction,
 * so a burst of requests pays for one COMMIT instead of one each.
 */
import type BetterSqlite3 from 'better-sqlite3'
import {
  type CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  IdentifierNode,
  type QueryCompiler,
  type QueryResult,
  RawNode,
  SelectQueryNode,
} from 'kysely'
import type { CompiledQueryRunner, PreparedRunner } from '../prepared-query.js'
import { SqliteRowReader } from './sqlite-row-reader.js'

export interface SqliteGroupCommitDriverConfig {
  /** The open connection. The driver owns it from `init()` on and closes it in `destroy()`. */
  readonly database: BetterSqlite3.Database
  /**
   * Returns a prepared statement for SQL text; pass a caching function so hot queries are parsed once.
   * @default `database.prepare`
   */
  readonly prepare?: (sql: string) => BetterSqlite3.Statement
  /**
   * Logical transactions and autocommit writes after which a batch commits at once instead of at
   * the end of the event-loop turn. Bounds the work a failed COMMIT can take down and the latency
   * the first member of a big batch waits.
   * @default 256
   */
  readonly maxBatchSize?: number
}

/**
 * One real SQLite transaction shared by several logical ones. Its members wait on `done`, which
 * settles when the real COMMIT has succeeded (or failed, or the transaction was lost).
 */
class Batch {
  /** Logical transactions and autocommit writes that joined. */
  size = 0
  /** Set when the batch failed; members still running see it instead of a generic error. */
  error: unknown = undefined
  readonly done: Promise<void>
  #resolve!: () => void
  #reject!: (err: unknown) => void

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    // A batch whose members all rolled back has nobody waiting; its failure must not surface as
    // an unhandled rejection. Members that do wait still see the rejection.
    this.done.catch(() => {})
  }

  succeed(): void {
    this.#resolve()
  }

  fail(err: unknown): void {
    this.error = err
    this.#reject(err)
  }
}

/**
 * One use of the connection, from `acquireConnection()` to `releaseConnection()`. Kysely hands
 * out a lease per query or per transaction; the lease records whether it still holds the lock
 * (committers and autocommit writers give it up before waiting for the real COMMIT) and which
 * batch its open logical transaction belongs to.
 */
class GroupCommitConnection implements DatabaseConnection {
  holdsLock = true
  /** The batch of this lease's open logical transaction; undefined outside one. */
  batch: Batch | undefined = undefined

  constructor(private readonly committer: GroupCommitter) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.committer.execute<R>(this, compiledQuery)
  }

  streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.committer.stream<R>(this, compiledQuery)
  }
}

// Statements that may run inside the shared transaction. Anything else that writes (VACUUM,
// PRAGMA assignments, ATTACH, hand-written BEGIN/COMMIT) runs on its own after a flush.
const BATCHABLE_WRITE = /^\s*(?:insert|update|delete|replace|with|create|drop|alter)\b/i
const DDL = /^\s*(?:create|drop|alter)\b/i
// Quoted so it cannot clash with a savepoint a caller names itself.
const LOGICAL_SAVEPOINT = '"verigate group commit"'
const RESOLVED = Promise.resolve()

/**
 * The state machine behind the driver. Invariants:
 * - at most one lease holds the lock; a logical transaction holds it from SAVEPOINT to
 *   RELEASE/ROLLBACK TO, so two logical transactions never interleave statements;
 * - the real COMMIT runs only when no logical transaction is open (`#openLogical` unset), so it
 *   never commits half of one;
 * - a caller whose writes joined a batch resolves only after that batch's COMMIT succeeded.
 */
class GroupCommitter {
  readonly #db: BetterSqlite3.Database
  readonly #prepare: (sql: string) => BetterSqlite3.Statement
  readonly #maxBatchSize: number
  readonly #begin: BetterSqlite3.Statement
  readonly #commit: BetterSqlite3.Statement
  readonly #rollback: BetterSqlite3.Statement
  readonly #savepoint: BetterSqlite3.Statement
  readonly #release: BetterSqlite3.Statement
  readonly #rollbackTo: BetterSqlite3.Statement
  readonly #rows = new SqliteRowReader()

  #locked = false
  readonly #waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  #batch: Batch | undefined = undefined
  #openLogical: GroupCommitConnection | undefined = undefined
  #flushScheduled = false
  /** The end-of-turn flush came while a logical transaction was open; it flushes when that ends. */
  #flushWanted = false
  #destroyed = false

  constructor(config: SqliteGroupCommitDriverConfig) {
    this.#db = config.database
    this.#prepare = config.prepare ?? ((sqlText) => config.database.prepare(sqlText))
    this.#maxBatchSize = Math.max(1, config.maxBatchSize ?? 256)
    // IMMEDIATE takes the write lock up front: a batch exists to write, and a deferred transaction
    // that read first would fail with SQLITE_BUSY_SNAPSHOT (no busy wait) if another process
    // committed before its first write.
    this.#begin = this.#prepare('begin immediate')
    this.#commit = this.#prepare('commit')
    this.#rollback = this.#prepare('rollback')
    this.#savepoint = this.#prepare(`savepoint ${LOGICAL_SAVEPOINT}`)
    this.#release = this.#prepare(`release ${LOGICAL_SAVEPOINT}`)
    this.#rollbackTo = this.#prepare(`rollback to ${LOGICAL_SAVEPOINT}`)
  }

  // ---- lock -------------------------------------------------------------------------------

  /** A lease holding the lock: what Kysely's connection and a direct statement or transaction use. */
  async acquire(): Promise<GroupCommitConnection> {
    await this.lock()
    return new GroupCommitConnection(this)
  }

  lock(): Promise<void> {
    if (this.#destroyed) return Promise.reject(new Error('driver has already been destroyed'))
    if (!this.#locked) {
      this.#locked = true
      return RESOLVED
    }
    return new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  /** Hands the lock to the next waiter, in arrival order. */
  unlock(): void {
    const next = this.#waiters.shift()
    if (next) next.resolve()
    else this.#locked = false
  }

  async #relock(lease: GroupCommitConnection): Promise<void> {
    await this.lock()
    lease.holdsLock = true
  }

  #giveUpLock(lease: GroupCommitConnection): void {
    if (!lease.holdsLock) return
    lease.holdsLock = false
    this.unlock()
  }

  release(lease: GroupCommitConnection): void {
    const batch = lease.batch
    if (batch && batch === this.#batch) {
      // Released with its logical transaction still open (a controlled transaction abandoned
      // mid-way): undo it, or the next COMMIT would persist half of it.
      this.#rollbackLogical(lease)
      this.#flushIfDue(batch)
    }
    this.#giveUpLock(lease)
  }

  // ---- batches ----------------------------------------------------------------------------

  #openBatch(): Batch {
    if (this.#batch) return this.#batch
    this.#begin.run()
    const batch = new Batch()
    this.#batch = batch
    if (!this.#flushScheduled) {
      this.#flushScheduled = true
      // setImmediate runs after the poll phase, so every request whose I/O arrived in this turn
      // has had its chance to join before the COMMIT.
      setImmediate(this.#onTick)
    }
    return batch
  }

  readonly #onTick = (): void => {
    this.#flushScheduled = false
    if (!this.#batch) return
    if (this.#openLogical) this.#flushWanted = true
    else this.#commitBatch()
  }

  /** Commits the open batch now. Only called when no logical transaction is open. */
  #commitBatch(): void {
    const batch = this.#batch
    this.#flushWanted = false
    if (!batch) return
    this.#batch = undefined
    try {
      this.#commit.run()
    } catch (err) {
      this.#rollbackQuietly()
      batch.fail(err)
      return
    }
    batch.succeed()
  }

  /** The shared transaction is gone or must go: every member of the batch gets `err`. */
  #failBatch(err: unknown): void {
    const batch = this.#batch
    if (!batch) return
    this.#batch = undefined
    this.#openLogical = undefined
    this.#flushWanted = false
    this.#rollbackQuietly()
    batch.fail(err)
  }

  #rollbackQuietly(): void {
    if (!this.#db.inTransaction) return
    try {
      this.#rollback.run()
    } catch {
      // Nothing more to do: SQLite rolls back itself when it cannot continue the transaction.
    }
  }

  #flushIfDue(batch: Batch): void {
    if (this.#openLogical) return
    if (this.#flushWanted || batch.size >= this.#maxBatchSize) this.#commitBatch()
  }

  // ---- statements -------------------------------------------------------------------------

  /**
   * Runs one statement. Most errors undo only the statement, and the transaction goes on; some
   * (disk full, I/O error) make SQLite roll back the whole transaction, which takes the batch with it.
   */
  #run<R>(stmt: BetterSqlite3.Statement, parameters: readonly unknown[]): QueryResult<R> {
    let result: QueryResult<R>
    try {
      if (stmt.reader) result = { rows: this.#rows.all(stmt, parameters) as R[] }
      else {
        const { changes, lastInsertRowid } = stmt.run(parameters)
        result = { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
        // A renamed column changes the rows of statements prepared before it.
        if (DDL.test(stmt.source)) this.#rows.forget()
      }
    } catch (err) {
      if (this.#batch && !this.#db.inTransaction) this.#failBatch(err)
      throw err
    }
    // A hand-written COMMIT or ROLLBACK (which SQLite counts as read-only) ends the shared
    // transaction under everyone; what the batch did is out of its control, so its members fail.
    if (this.#batch && !this.#db.inTransaction) {
      this.#failBatch(new Error('a statement ended the shared SQLite transaction'))
    }
    return result
  }

  async execute<R>(lease: GroupCommitConnection, compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (!lease.holdsLock) await this.#relock(lease)
    const stmt = this.#prepare(compiledQuery.sql)
    const { parameters } = compiledQuery
    const own = lease.batch
    if (own) {
      // Inside a logical transaction. If its batch already failed, a statement here would run
      // outside any transaction and commit on its own, so refuse it.
      if (own !== this.#batch) throw batchError(own)
      return this.#run<R>(stmt, parameters)
    }
    if (stmt.readonly) return this.#run<R>(stmt, parameters)
    if (!BATCHABLE_WRITE.test(compiledQuery.sql)) {
      if (this.#batch) this.#commitBatch()
      return this.#run<R>(stmt, parameters)
    }
    // An autocommit write joins the batch and answers after its COMMIT, so a caller that reports
    // success (an HTTP 201) never does so for a row a crash could still take back.
    const batch = this.#openBatch()
    const result = this.#run<R>(stmt, parameters)
    batch.size++
    this.#flushIfDue(batch)
    this.#giveUpLock(lease)
    await batch.done
    return result
  }

  async *stream<R>(
    lease: GroupCommitConnection,
    compiledQuery: CompiledQuery,
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!lease.holdsLock) await this.#relock(lease)
    if (!SelectQueryNode.is(compiledQuery.query))
      throw new Error('Sqlite driver only supports streaming of select queries')
    if (lease.batch && lease.batch !== this.#batch) throw batchError(lease.batch)
    const stmt = this.#prepare(compiledQuery.sql)
    for (const row of this.#rows.iterate(stmt, compiledQuery.parameters)) yield { rows: [row as R] }
  }

  // ---- logical transactions ---------------------------------------------------------------

  async begin(lease: GroupCommitConnection): Promise<void> {
    if (!lease.holdsLock) await this.#relock(lease)
    if (lease.batch) throw new Error('a transaction is already open on this connection')
    const batch = this.#openBatch()
    this.#runControl(this.#savepoint)
    lease.batch = batch
    this.#openLogical = lease
    batch.size++
  }

  async commit(lease: GroupCommitConnection): Promise<void> {
    const batch = lease.batch
    if (!batch) throw new Error('no transaction is open on this connection')
    if (batch !== this.#batch) {
      lease.batch = undefined
      throw batchError(batch)
    }
    this.#runControl(this.#release)
    lease.batch = undefined
    this.#openLogical = undefined
    this.#flushIfDue(batch)
    // The next logical transaction may start now; this caller only waits for the real COMMIT.
    this.#giveUpLock(lease)
    await batch.done
  }

  async rollback(lease: GroupCommitConnection): Promise<void> {
    const batch = lease.batch
    // No open logical transaction (its batch failed, or the COMMIT it waited for failed): it
    // already has no effect, and the caller already has an error.
    if (!batch) return
    if (batch !== this.#batch) {
      lease.batch = undefined
      return
    }
    this.#rollbackLogical(lease)
    this.#flushIfDue(batch)
  }

  #rollbackLogical(lease: GroupCommitConnection): void {
    lease.batch = undefined
    this.#openLogical = undefined
    try {
      this.#rollbackTo.run()
      this.#release.run()
    } catch (err) {
      // The savepoint could not be undone, so the next COMMIT would keep part of it: give up the
      // whole batch instead. The caller keeps its own error (Kysely rethrows the callback's).
      this.#failBatch(err)
    }
  }

  /** Runs a transaction-control statement; losing the transaction here fails the batch too. */
  #runControl(stmt: BetterSqlite3.Statement): void {
    try {
      stmt.run()
    } catch (err) {
      if (this.#batch && !this.#db.inTransaction) this.#failBatch(err)
      throw err
    }
  }

  /** Caller-named savepoints inside a logical transaction (Kysely's `trx.savepoint()`). */
  async runSavepointCommand(
    lease: GroupCommitConnection,
    command: 'savepoint' | 'rollback to' | 'release',
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const node = RawNode.createWithChildren([
      RawNode.createWithSql(`${command} `),
      IdentifierNode.create(savepointName),
    ])
    await this.execute(lease, compileQuery(node, createQueryId()))
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return
    // Waits for the lease in use (a logical transaction mid-way finishes first), then commits
    // what is pending so no caller is left waiting on a COMMIT that never comes.
    await this.lock()
    this.#destroyed = true
    this.#commitBatch()
    this.#db.close()
    for (const waiter of this.#waiters.splice(0))
      waiter.reject(new Error('driver has already been destroyed'))
  }
}

/**
 * Kysely driver for one better-sqlite3 connection with group commit. Each logical transaction
 * (`db.transaction().execute(...)`) runs inside a SAVEPOINT of a shared `BEGIN IMMEDIATE`
 * transaction; its rollback undoes only its savepoint. The shared transaction commits once per
 * event-loop turn (or every `maxBatchSize` members), and each caller's promise settles only then:
 * with its result after a successful COMMIT, with the COMMIT's error otherwise.
 *
 * Unlike Kysely's `SqliteDriver`, which holds its mutex until COMMIT, the lock here is released
 * when a logical transaction releases its savepoint, so the next one starts while earlier callers
 * wait for the shared COMMIT. Reads take the lock too (they never see a half-done logical
 * transaction) and may see rows of the open batch, as any statement on the same connection would.
 *
 * As with `SqliteDriver`, a transaction callback must use its `trx`, not `db`: a query on `db`
 * inside the callback waits for the lock the callback holds. New with group commit: a callback
 * must not await the promise of another write on the same database started before it (that
 * promise waits for the shared COMMIT, which waits for the callback to finish).
 */
export class SqliteGroupCommitDriver implements Driver {
  readonly #config: SqliteGroupCommitDriverConfig
  #committer: GroupCommitter | undefined

  constructor(config: SqliteGroupCommitDriverConfig) {
    this.#config = Object.freeze({ ...config })
  }

  async init(): Promise<void> {
    this.#committer = new GroupCommitter(this.#config)
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.#ready().acquire()
  }

  beginTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#ready().begin(lease(connection))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#ready().commit(lease(connection))
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#ready().rollback(lease(connection))
  }

  savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#ready().runSavepointCommand(lease(connection), 'savepoint', savepointName, compileQuery)
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#ready().runSavepointCommand(lease(connection), 'rollback to', savepointName, compileQuery)
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#ready().runSavepointCommand(lease(connection), 'release', savepointName, compileQuery)
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#ready().release(lease(connection))
  }

  /**
   * Runs precompiled statements, and transactions made only of them, on the connection directly:
   * the same lease, lock, savepoint and shared COMMIT as through Kysely (`acquireConnection`,
   * `beginTransaction`, `commitTransaction`, `releaseConnection`), without the executor,
   * connection providers and promises Kysely builds around each statement (a fifth of all a flow
   * allocated, docs/performance.md). Until Kysely has initialised the driver (at its first
   * query), `fallback` runs them. `onQuery` gets each statement's SQL, as Kysely's query log does.
   */
  directRunner(fallback: PreparedRunner, onQuery?: (sqlText: string) => void): PreparedRunner {
    return new DirectRunner(() => this.#committer, fallback, onQuery)
  }

  /** Commits the pending batch (after the transaction in progress, if any) and closes the connection. */
  async destroy(): Promise<void> {
    if (this.#committer) await this.#committer.destroy()
    else this.#config.database.close()
  }

  #ready(): GroupCommitter {
    if (!this.#committer) throw new Error('driver has not been initialized')
    return this.#committer
  }
}

/** See `SqliteGroupCommitDriver.directRunner`. */
class DirectRunner implements PreparedRunner {
  constructor(
    private readonly committer: () => GroupCommitter | undefined,
    private readonly fallback: PreparedRunner,
    private readonly onQuery: ((sqlText: string) => void) | undefined,
  ) {}

  async executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    const committer = this.committer()
    if (!committer) return this.fallback.executeQuery(query)
    const lease = await committer.acquire()
    try {
      const result = await committer.execute<R>(lease, query)
      this.onQuery?.(query.sql)
      return result
    } finally {
      committer.release(lease)
    }
  }

  /** As Kysely's `TransactionBuilder.execute`: rolled back when `fn`, or its COMMIT, fails. */
  async transaction<T>(fn: (tx: CompiledQueryRunner) => Promise<T>): Promise<T> {
    const committer = this.committer()
    if (!committer) return this.fallback.transaction(fn)
    const lease = await committer.acquire()
    const tx = new DirectTransaction(committer, lease, this.onQuery)
    let begun = false
    try {
      await committer.begin(lease)
      begun = true
      const result = await fn(tx)
      tx.end()
      await committer.commit(lease)
      return result
    } catch (err) {
      tx.end()
      if (begun) await committer.rollback(lease)
      throw err
    } finally {
      committer.release(lease)
    }
  }
}

/** The `tx` of a direct transaction: its statements run on its lease, and only while it is open. */
class DirectTransaction implements CompiledQueryRunner {
  #open = true

  constructor(
    private readonly committer: GroupCommitter,
    private readonly lease: GroupCommitConnection,
    private readonly onQuery: ((sqlText: string) => void) | undefined,
  ) {}

  async executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    // A statement after the end would run outside the transaction (and commit on its own).
    if (!this.#open) throw new Error('this transaction has already ended')
    const result = await this.committer.execute<R>(this.lease, query)
    this.onQuery?.(query.sql)
    return result
  }

  end(): void {
    this.#open = false
  }
}

function batchError(batch: Batch): unknown {
  return batch.error ?? new Error('the shared SQLite transaction ended before this transaction finished')
}

function lease(connection: DatabaseConnection): GroupCommitConnection {
  if (!(connection instanceof GroupCommitConnection))
    throw new Error('connection does not belong to this driver')
  return connection
}
