/**
 * @module Precompiled queries: a Kysely builder is built and compiled once, with named slots where
 * its parameters go, and each execution only puts new values in those slots. Building and compiling
 * every query per call was 20-22 % of the server's CPU under load (docs/performance.md); the SQL
 * text it produced was the same each time. On SQLite the statement cache then finds the prepared
 * statement by that text; on PostgreSQL the pool runs it as a named statement (`named-statements.ts`).
 */
import { type Compilable, type CompiledQuery, createQueryId, type Kysely, type QueryResult } from 'kysely'
import { registerHotStatement } from './named-statements.js'

/** A placeholder value standing where a named parameter goes; found again in the compiled parameters. */
class Slot {
  constructor(readonly name: string) {}
}

/** What runs a compiled query: a `Kysely` instance or a transaction. */
export interface CompiledQueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
}

/**
 * What the stores' hot paths run their precompiled queries on: single statements, and transactions
 * whose statements are all precompiled. Kysely's by default (`db.executeQuery`,
 * `db.transaction().execute`); on SQLite the group-commit driver itself (its `directRunner`,
 * registered by `openSqliteDatabase`), which skips the executor, connection providers and
 * promises Kysely builds per statement.
 */
export interface PreparedRunner extends CompiledQueryRunner {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: CompiledQueryRunner) => Promise<T>): Promise<T>
}

/** Runs precompiled queries through Kysely, as any other query on `db`. */
export function kyselyRunner<DB>(db: Kysely<DB>): PreparedRunner {
  return {
    executeQuery: (query) => db.executeQuery(query),
    transaction: (fn) => db.transaction().execute(fn),
  }
}

const directRunners = new WeakMap<object, PreparedRunner>()

/** Makes `runner` what `preparedRunner(db)` returns (the SQLite database registers its driver's). */
export function registerDirectRunner(db: object, runner: PreparedRunner): void {
  directRunners.set(db, runner)
}

/** The runner for `db`'s precompiled queries: its driver's own when it has one, Kysely's otherwise. */
export function preparedRunner<DB>(db: Kysely<DB>): PreparedRunner {
  return directRunners.get(db) ?? kyselyRunner(db)
}

export type SlotOf<P> = <K extends keyof P & string>(name: K) => P[K]

/** A query compiled once; `run` executes it with new parameters. */
export class PreparedQuery<P extends object, R> {
  readonly #compiled: CompiledQuery<R>
  /** For each compiled parameter: the name of its slot, or the constant the builder put there. */
  readonly #template: ReadonlyArray<{ readonly slot: string } | { readonly value: unknown }>

  constructor(build: (slot: SlotOf<P>) => Compilable<R>) {
    const names = new Set<string>()
    const slot = ((name: string) => {
      names.add(name)
      return new Slot(name)
    }) as SlotOf<P>
    this.#compiled = build(slot).compile()
    registerHotStatement(this.#compiled.sql)
    this.#template = this.#compiled.parameters.map((value) =>
      value instanceof Slot ? { slot: value.name } : { value },
    )
    const used = new Set(this.#template.flatMap((t) => ('slot' in t ? [t.slot] : [])))
    for (const name of names) {
      // A slot Kysely turned into SQL text (or dropped) would silently run with the first value.
      if (!used.has(name)) throw new Error(`prepared query: slot "${name}" is not a parameter of ${this.sql}`)
    }
  }

  get sql(): string {
    return this.#compiled.sql
  }

  /** For each compiled parameter: the slot it takes its value from, or the builder's constant. */
  get template(): ReadonlyArray<{ readonly slot: string } | { readonly value: unknown }> {
    return this.#template
  }

  /** Runs the query on `runner` (the database or a transaction) with `params` in its slots. */
  run(runner: CompiledQueryRunner, params: P): Promise<QueryResult<R>> {
    const values = params as Record<string, unknown>
    const parameters = this.#template.map((t) => ('slot' in t ? (values[t.slot] ?? null) : t.value))
    return this.execute(runner, parameters)
  }

  /** Runs the query with every parameter given in order (`template` says which is which). */
  execute(runner: CompiledQueryRunner, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    return runner.executeQuery<R>({
      query: this.#compiled.query,
      sql: this.#compiled.sql,
      parameters,
      queryId: createQueryId(),
    })
  }

  /** The first row, or undefined. */
  async first(runner: CompiledQueryRunner, params: P): Promise<R | undefined> {
    return (await this.run(runner, params)).rows[0]
  }

  /** Rows changed by an UPDATE, INSERT or DELETE (with RETURNING: the rows it returned). */
  async changes(runner: CompiledQueryRunner, params: P): Promise<number> {
    const result = await this.run(runner, params)
    return result.numAffectedRows === undefined ? result.rows.length : Number(result.numAffectedRows)
  }
}

/**
 * `prepare<Params>()(build)`: a `PreparedQuery` whose row type is inferred from the builder (the
 * parameters' type is given, the rows' type is what the builder selects).
 */
export function prepare<P extends object>() {
  return <R>(build: (slot: SlotOf<P>) => Compilable<R>): PreparedQuery<P, R> => new PreparedQuery<P, R>(build)
}

/**
 * Inserts of whole rows into one table, one compiled INSERT per row count and column list (stores
 * build their rows with a fixed set of keys, so there are one or two per table). Keys whose value
 * is undefined in every row are left out, as Kysely's own `values()` leaves them out, so a column
 * default still applies.
 */
export class PreparedInserts<Row extends object> {
  /** By row count, then the column lists seen (one or two per table, so a list is searched). */
  readonly #byCount = new Map<number, Shape[]>()

  /** @param build the INSERT of `rows` (objects whose values are slots), e.g. `db.insertInto(t).values(rows)` */
  constructor(private readonly build: (rows: Record<string, unknown>[]) => Compilable<unknown>) {}

  /** Inserts `rows` on `runner` (the database or a transaction). */
  async insert(runner: CompiledQueryRunner, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return
    const records = rows as readonly Record<string, unknown>[]
    const shapes = this.#byCount.get(rows.length) ?? []
    // The common case allocates nothing: the rows have the columns of a shape already compiled.
    let shape = shapes.find((s) => fits(s.columnSet, records))
    if (!shape) {
      shape = this.#compile(records)
      // Bounded: a caller inserting rows of ever new shapes must not grow it forever.
      if (shapes.length >= 8) shapes.shift()
      shapes.push(shape)
      this.#byCount.set(rows.length, shapes)
    }
    const parameters = shape.params.map((p) => (p.row < 0 ? p.value : (records[p.row]![p.column] ?? null)))
    await shape.query.execute(runner, parameters)
  }

  #compile(rows: readonly Record<string, unknown>[]): Shape {
    const defined = new Set<string>()
    for (const row of rows) for (const k of Object.keys(row)) if (row[k] !== undefined) defined.add(k)
    const columns = [...defined]
    const query = new PreparedQuery<Record<string, unknown>, unknown>((slot) =>
      this.build(rows.map((_, i) => Object.fromEntries(columns.map((c) => [c, slot(`${i}.${c}`)])))),
    )
    const params = query.template.map((t) => {
      if (!('slot' in t)) return { row: -1, column: '', value: t.value }
      const dot = t.slot.indexOf('.')
      return { row: Number(t.slot.slice(0, dot)), column: t.slot.slice(dot + 1), value: undefined }
    })
    return { columnSet: new Set(columns), query, params }
  }
}

interface Shape {
  readonly columnSet: ReadonlySet<string>
  readonly query: PreparedQuery<Record<string, unknown>, unknown>
  /** Where each compiled parameter comes from: a row's column, or (row -1) the builder's constant. */
  readonly params: ReadonlyArray<{ readonly row: number; readonly column: string; readonly value: unknown }>
}

/** Whether every row has a value for exactly `columns` (undefined counting as absent). */
function fits(columns: ReadonlySet<string>, rows: readonly Record<string, unknown>[]): boolean {
  for (const row of rows) {
    let n = 0
    for (const k in row) {
      if (row[k] === undefined) continue
      if (!columns.has(k)) return false
      n++
    }
    if (n !== columns.size) return false
  }
  return true
}
