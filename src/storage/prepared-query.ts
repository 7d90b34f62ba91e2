/**
 * @module Precompiled queries: a Kysely builder is built and compiled once, with named slots where
 * its parameters go, and each execution only puts new values in those slots. Building and compiling
 * every query per call was 20-22 % of the server's CPU under load (docs/performance.md); the SQL
 * text it produced was the same each time. On SQLite the statement cache then finds the prepared
 * statement by that text; on PostgreSQL the pool names it (see `namedStatements`).
 */
import { type Compilable, type CompiledQuery, createQueryId, type QueryResult } from 'kysely'

/** A placeholder value standing where a named parameter goes; found again in the compiled parameters. */
class Slot {
  constructor(readonly name: string) {}
}

/** What runs a compiled query: a `Kysely` instance or a transaction. */
export interface CompiledQueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>
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

  /** Runs the query on `runner` (the database or a transaction) with `params` in its slots. */
  run(runner: CompiledQueryRunner, params: P): Promise<QueryResult<R>> {
    const values = params as Record<string, unknown>
    const parameters = this.#template.map((t) => ('slot' in t ? (values[t.slot] ?? null) : t.value))
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
  readonly #byShape = new Map<string, PreparedQuery<Record<string, unknown>, unknown>>()

  /** @param build the INSERT of `rows` (objects whose values are slots), e.g. `db.insertInto(t).values(rows)` */
  constructor(private readonly build: (rows: Record<string, unknown>[]) => Compilable<unknown>) {}

  /** Inserts `rows` on `runner` (the database or a transaction). */
  async insert(runner: CompiledQueryRunner, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return
    const defined = new Set<string>()
    for (const row of rows) for (const [k, v] of Object.entries(row)) if (v !== undefined) defined.add(k)
    const columns = [...defined]
    const key = `${rows.length}|${columns.join(',')}`
    let prepared = this.#byShape.get(key)
    if (!prepared) {
      prepared = new PreparedQuery<Record<string, unknown>, unknown>((slot) =>
        this.build(rows.map((_, i) => Object.fromEntries(columns.map((c) => [c, slot(`${i}.${c}`)])))),
      )
      // Bounded: a caller inserting rows of ever new shapes must not grow it forever.
      if (this.#byShape.size > 50) this.#byShape.clear()
      this.#byShape.set(key, prepared)
    }
    const params: Record<string, unknown> = {}
    rows.forEach((row, i) => {
      for (const c of columns) params[`${i}.${c}`] = (row as Record<string, unknown>)[c]
    })
    await prepared.run(runner, params)
  }
}
