/** @module `SqliteGroupCommitDialect`: Kysely's SQLite dialect with the group-commit driver. */
import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import { SqliteGroupCommitDriver, type SqliteGroupCommitDriverConfig } from './sqlite-group-commit-driver.js'

/**
 * Same SQL, adapter and introspector as Kysely's `SqliteDialect`; only the driver differs (see
 * {@link SqliteGroupCommitDriver}).
 *
 * ```ts
 * const db = new Kysely<Database>({ dialect: new SqliteGroupCommitDialect({ database: new BetterSqlite3(path) }) })
 * ```
 */
export class SqliteGroupCommitDialect implements Dialect {
  readonly #config: SqliteGroupCommitDriverConfig
  #driver: SqliteGroupCommitDriver | undefined

  constructor(config: SqliteGroupCommitDriverConfig) {
    this.#config = Object.freeze({ ...config })
  }

  createDriver(): Driver {
    this.#driver = new SqliteGroupCommitDriver(this.#config)
    return this.#driver
  }

  /** The driver of the Kysely instance made with this dialect (for its `directRunner`). */
  get driver(): SqliteGroupCommitDriver {
    // Kysely makes the driver in its constructor, so this is only ever asked too early by mistake.
    if (!this.#driver) throw new Error('no driver yet: create the Kysely instance with this dialect first')
    return this.#driver
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
