/**
 * @module PostgresAvailability: whether PostgreSQL can be reached, and the pool every query goes
 * through. A failure that says nothing answers (refused, connect or read timeout, starting up) marks
 * it down: from then on queries fail at once with 503 instead of each waiting out its timeout, the
 * waits already under way end too, and a fresh connection probes it until it answers. Connection
 * errors become `SERVICE_UNAVAILABLE` naming `postgres`; other errors (constraints, syntax) pass.
 */
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely'
import type pg from 'pg'
import type { AppError } from '../../errors/app-error.js'
import type { DependencyProbe, DependencyStatus } from '../../health/dependency.js'
import { classifyPostgresError, dependencyUnavailable } from '../../health/dependency-errors.js'
import type { Logger } from '../../shared/logger.js'
import { hotStatementName } from '../named-statements.js'

export interface PostgresAvailabilityOptions {
  readonly pool: pg.Pool
  /** Opens the fresh, unpooled connection a probe uses (the pool's settings and timeouts). */
  readonly newClient: () => pg.Client
  readonly logger: Logger
  /** While down, the wait between two probes. */
  readonly probeIntervalMs: number
  /** What `Retry-After` advises while PostgreSQL is away. @default 2 */
  readonly retryAfterSeconds?: number
  /** Run the hot statements as named prepared statements (`postgres.namedStatements`). @default false */
  readonly namedStatements?: boolean
}

/** A query config as pg takes it (rate-limiter-flexible names its prepared statements). */
export interface PostgresQuery {
  readonly text: string
  readonly values?: readonly unknown[]
  readonly name?: string
}

/**
 * The pool Kysely and the PostgreSQL rate limiter use: pg's pool with fail-fast while down,
 * translated errors, and connections discarded after a connection-level failure.
 */
export interface GuardedPostgresPool extends PostgresPool {
  /** One statement on a pooled connection (the `pool.query` rate-limiter-flexible calls). */
  query(query: PostgresQuery): Promise<pg.QueryResult>
}

type Waiter = (err: AppError) => void

export class PostgresAvailability implements DependencyProbe {
  readonly backend = 'postgres'
  readonly pool: GuardedPostgresPool
  readonly #opts: PostgresAvailabilityOptions
  readonly #retryAfter: number
  #down: { since: number; error: unknown } | undefined
  #probeTimer: NodeJS.Timeout | undefined
  #closed = false
  // Connects and queries under way, ended at once when PostgreSQL is found unreachable.
  readonly #waiters = new Set<Waiter>()
  readonly #clients = new WeakMap<pg.PoolClient, GuardedClient>()

  constructor(opts: PostgresAvailabilityOptions) {
    this.#opts = opts
    this.#retryAfter = opts.retryAfterSeconds ?? 2
    const raw = opts.pool
    this.pool = {
      connect: () => this.#connect(),
      end: () => raw.end(),
      query: async (query) => {
        const client = await this.#connect()
        try {
          return await client.run((c) => c.query(query as pg.QueryConfig))
        } finally {
          client.release()
        }
      },
    }
  }

  current(): DependencyStatus {
    return this.#down ? { state: 'down', detail: this.#detail() } : { state: 'up' }
  }

  async check(): Promise<DependencyStatus> {
    if (this.#down) return this.current()
    try {
      await this.pool.query({ text: 'select 1' })
      return { state: 'up' }
    } catch (err) {
      if (this.#down) return this.current()
      this.#opts.logger.warn(
        { dependency: 'postgres', err: (err as Error)?.message },
        'readiness check failed',
      )
      return { state: 'down', detail: 'PostgreSQL did not answer select 1' }
    }
  }

  /** Stops probing (the pool is ended by its owner). */
  close(): void {
    this.#closed = true
    clearTimeout(this.#probeTimer)
  }

  /**
   * Turns an error from pg into what callers should see: the 503 for connection-level failures
   * (marking PostgreSQL down when nothing answers), the error itself otherwise.
   */
  translate(err: unknown): unknown {
    const failure = classifyPostgresError(err)
    if (failure === undefined) return err
    if (failure === 'unreachable') this.#markDown(err)
    return this.#unavailable(err)
  }

  #unavailable(cause: unknown): AppError {
    return dependencyUnavailable('postgres', cause, this.#retryAfter)
  }

  #detail(): string {
    const down = this.#down
    if (!down) return ''
    const seconds = Math.round((Date.now() - down.since) / 1000)
    // `/readyz` is unauthenticated: the driver's reason (addresses, user names) goes to the log only.
    return `PostgreSQL unreachable for ${seconds} s; requests answer 503 until it answers again`
  }

  async #connect(): Promise<GuardedClient> {
    if (this.#down) throw this.#unavailable(this.#down.error)
    const raw = await this.#race(this.#opts.pool.connect(), (late) => late.release())
    let guarded = this.#clients.get(raw)
    if (!guarded) {
      guarded = new GuardedClient(raw, this, this.#opts.namedStatements === true)
      this.#clients.set(raw, guarded)
    }
    guarded.broken = false
    return guarded
  }

  /**
   * Settles with `work`, or rejects with the 503 as soon as PostgreSQL is marked down, whichever
   * comes first. `discard` receives a result that arrives after the race was lost.
   */
  #race<T>(work: Promise<T>, discard?: (late: T) => void): Promise<T> {
    if (this.#down) {
      work.then(discard, () => {})
      return Promise.reject(this.#unavailable(this.#down.error))
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false
      const waiter: Waiter = (err) => {
        settled = true
        reject(err)
      }
      this.#waiters.add(waiter)
      work.then(
        (value) => {
          this.#waiters.delete(waiter)
          if (settled) discard?.(value)
          else resolve(value)
        },
        (err: unknown) => {
          this.#waiters.delete(waiter)
          if (!settled) reject(this.translate(err))
        },
      )
    })
  }

  /** Runs a query on `client`, raced against PostgreSQL being marked down. */
  raceQuery<T>(work: Promise<T>): Promise<T> {
    return this.#race(work)
  }

  #markDown(err: unknown): void {
    if (this.#down || this.#closed) return
    this.#down = { since: Date.now(), error: err }
    this.#opts.logger.error(
      { dependency: 'postgres', err: (err as Error)?.message ?? String(err) },
      'PostgreSQL is unreachable; requests answer 503 SERVICE_UNAVAILABLE until it answers again',
    )
    const unavailable = this.#unavailable(err)
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const w of waiters) w(unavailable)
    this.#scheduleProbe()
  }

  #scheduleProbe(): void {
    if (this.#closed) return
    this.#probeTimer = setTimeout(() => void this.#probe(), this.#opts.probeIntervalMs)
    this.#probeTimer.unref()
  }

  // A fresh connection each time: the pool's may be stuck on a frozen server.
  async #probe(): Promise<void> {
    const client = this.#opts.newClient()
    client.on('error', () => {}) // the failed probe is reported by its rejection
    try {
      await client.connect()
      await client.query('select 1')
    } catch (err) {
      if (this.#down) this.#down = { ...this.#down, error: err }
      this.#scheduleProbe()
      return
    } finally {
      client.end().catch(() => {})
    }
    const since = this.#down?.since ?? Date.now()
    this.#down = undefined
    this.#opts.logger.warn(
      { dependency: 'postgres', downMs: Date.now() - since },
      'PostgreSQL answers again; serving requests',
    )
  }
}

/**
 * One pooled connection as Kysely sees it. After a connection-level failure it is destroyed on
 * release instead of going back to the pool (a read timeout leaves its query outstanding).
 */
class GuardedClient implements PostgresPoolClient {
  broken = false

  constructor(
    private readonly raw: pg.PoolClient,
    private readonly availability: PostgresAvailability,
    private readonly namedStatements: boolean,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>
  query<R>(
    arg: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // verigate does not stream, so the cursor form is passed through untouched.
    if (typeof arg !== 'string') return this.raw.query(arg as never) as PostgresCursor<R>
    const name = this.namedStatements ? hotStatementName(arg) : undefined
    return this.run((c) =>
      name
        ? c.query({ name, text: arg, values: parameters as unknown[] })
        : c.query(arg, parameters as unknown[]),
    ) as unknown as Promise<PostgresQueryResult<R>>
  }

  run<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let started: Promise<T>
    try {
      started = work(this.raw)
    } catch (err) {
      return Promise.reject(err)
    }
    return this.availability.raceQuery(started).catch((err: unknown) => {
      // A lost connection, or a query still outstanding on an unreachable server: never reuse it.
      const failure = classifyPostgresError((err as { cause?: unknown })?.cause ?? err)
      if (failure === 'unreachable' || failure === 'lost') this.broken = true
      throw err
    })
  }

  release(destroy?: boolean): void {
    this.raw.release(destroy === true || this.broken)
  }
}
