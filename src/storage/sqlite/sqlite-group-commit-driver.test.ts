/**
 * @module Tests for `SqliteGroupCommitDriver`: shared COMMITs, per-transaction rollback, callers
 * answered only after the real COMMIT, failed COMMITs reaching every caller, original SQLite errors.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { kyselyRunner, type PreparedRunner } from '../prepared-query.js'
import { SqliteGroupCommitDialect } from './sqlite-group-commit-dialect.js'

interface TestSchema {
  items: { id: number; name: string }
  parents: { id: number }
  children: { id: number; parent_id: number }
}

interface Harness {
  db: Kysely<TestSchema>
  dialect: SqliteGroupCommitDialect
  /** A second connection to the same file: it sees only committed rows. */
  observer: BetterSqlite3.Database
  /** Real COMMITs run by the driver so far. */
  commits(): number
  /** Event log shared by the COMMIT hook and the tests. */
  log: string[]
}

let dir: string
const open: Array<() => Promise<void>> = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'verigate-group-commit-'))
})

afterEach(async () => {
  for (const close of open.splice(0)) await close()
  rmSync(dir, { recursive: true, force: true })
})

function harness(options: { maxBatchSize?: number } = {}): Harness {
  const file = join(dir, `db-${open.length}.sqlite`)
  const raw = new BetterSqlite3(file)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = ON')
  raw.exec(`
    create table items (id integer primary key, name text not null unique);
    create table parents (id integer primary key);
    create table children (id integer primary key, parent_id integer not null references parents (id) deferrable initially deferred);
  `)
  const log: string[] = []
  let commits = 0
  // Counts COMMIT executions by wrapping the statements the driver prepares.
  const prepare = (sqlText: string): BetterSqlite3.Statement => {
    const stmt = raw.prepare(sqlText)
    if (sqlText.trim().toLowerCase() !== 'commit') return stmt
    const run = stmt.run.bind(stmt)
    return Object.assign(stmt, {
      run: (...params: unknown[]) => {
        const result = run(...params)
        commits++
        log.push('commit')
        return result
      },
    })
  }
  const dialect = new SqliteGroupCommitDialect({ database: raw, prepare, ...options })
  const db = new Kysely<TestSchema>({ dialect })
  const observer = new BetterSqlite3(file, { readonly: true })
  open.push(async () => {
    observer.close()
    await db.destroy()
  })
  return { db, dialect, observer, commits: () => commits, log }
}

const names = (h: Harness) =>
  (h.observer.prepare('select name from items order by id').all() as Array<{ name: string }>).map(
    (r) => r.name,
  )

describe('SqliteGroupCommitDriver', () => {
  it('runs concurrent transactions in one real transaction with one COMMIT', async () => {
    const h = harness()
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('items')
            .values({ id: i + 1, name: `item-${i}` })
            .execute()
          return i
        }),
      ),
    )
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(h.commits()).toBe(1)
    expect(names(h)).toHaveLength(20)
  })

  it('rolls back only the transaction that failed', async () => {
    const h = harness()
    const boom = new Error('boom')
    const outcomes = await Promise.allSettled([
      h.db.transaction().execute((trx) => trx.insertInto('items').values({ id: 1, name: 'a' }).execute()),
      h.db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 2, name: 'b' }).execute()
        throw boom
      }),
      h.db.transaction().execute((trx) => trx.insertInto('items').values({ id: 3, name: 'c' }).execute()),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(outcomes[1]).toMatchObject({ reason: boom })
    expect(names(h)).toEqual(['a', 'c'])
    expect(h.commits()).toBe(1)
  })

  it('answers a transaction only after its rows are committed', async () => {
    const h = harness()
    const seen: string[][] = []
    await Promise.all(
      ['a', 'b', 'c'].map((name, i) =>
        h.db
          .transaction()
          .execute((trx) =>
            trx
              .insertInto('items')
              .values({ id: i + 1, name })
              .execute(),
          )
          .then(() => {
            h.log.push(`resolved ${name}`)
            seen.push(names(h))
          }),
      ),
    )
    expect(h.log).toEqual(['commit', 'resolved a', 'resolved b', 'resolved c'])
    // Each caller, when answered, already sees every row of its batch from another connection.
    for (const rows of seen) expect(rows).toEqual(['a', 'b', 'c'])
  })

  it('lets the next transaction start before the COMMIT the previous one waits for', async () => {
    const h = harness()
    const first = h.db
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ id: 1, name: 'a' }).execute())
    // Kysely's SqliteDriver would hold its mutex until `first` commits; here the second runs in the same batch.
    const second = h.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('items').select('name').execute()
      await trx.insertInto('items').values({ id: 2, name: 'b' }).execute()
      return rows.map((r) => r.name)
    })
    expect(await second).toEqual(['a'])
    await first
    expect(h.commits()).toBe(1)
  })

  it('answers autocommit writes issued during a batch only after the COMMIT', async () => {
    const h = harness()
    let visibleWhenAnswered: string[] = []
    await Promise.all([
      h.db
        .transaction()
        .execute((trx) => trx.insertInto('items').values({ id: 1, name: 'in-trx' }).execute()),
      h.db
        .insertInto('items')
        .values({ id: 2, name: 'autocommit' })
        .execute()
        .then(() => {
          visibleWhenAnswered = names(h)
        }),
    ])
    expect(visibleWhenAnswered).toContain('autocommit')
    expect(h.commits()).toBe(1)
  })

  it('groups autocommit writes even when no transaction opened the batch', async () => {
    const h = harness()
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        h.db
          .insertInto('items')
          .values({ id: i + 1, name: `n${i}` })
          .execute(),
      ),
    )
    expect(h.commits()).toBe(1)
    const updated = await h.db
      .updateTable('items')
      .set({ name: 'renamed' })
      .where('id', '=', 1)
      .executeTakeFirst()
    expect(updated.numUpdatedRows).toBe(1n)
    expect(names(h)).toContain('renamed')
  })

  it('runs reads without opening a batch', async () => {
    const h = harness()
    await h.db.insertInto('items').values({ id: 1, name: 'a' }).execute()
    const before = h.commits()
    expect(await h.db.selectFrom('items').select('name').execute()).toEqual([{ name: 'a' }])
    expect(h.commits()).toBe(before)
  })

  it('surfaces a unique violation as the original SqliteError, in a transaction and on its own', async () => {
    const h = harness()
    await h.db.insertInto('items').values({ id: 1, name: 'taken' }).execute()
    const inTrx = await h.db
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ id: 2, name: 'taken' }).execute())
      .catch((err: unknown) => err)
    expect(inTrx).toBeInstanceOf(BetterSqlite3.SqliteError)
    expect(inTrx).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
    const alone = await h.db
      .insertInto('items')
      .values({ id: 3, name: 'taken' })
      .execute()
      .catch((err: unknown) => err)
    expect(alone).toBeInstanceOf(BetterSqlite3.SqliteError)
    expect(alone).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
    // The failed statement did not take the batch with it.
    await h.db.insertInto('items').values({ id: 4, name: 'after' }).execute()
    expect(names(h)).toEqual(['taken', 'after'])
  })

  it('rejects every caller of the batch when the real COMMIT fails', async () => {
    const h = harness()
    // A deferred foreign key is only checked at COMMIT: the orphan makes the shared COMMIT fail.
    const outcomes = await Promise.allSettled([
      h.db
        .transaction()
        .execute((trx) => trx.insertInto('items').values({ id: 1, name: 'innocent' }).execute()),
      h.db.insertInto('items').values({ id: 2, name: 'autocommit' }).execute(),
      h.db
        .transaction()
        .execute((trx) => trx.insertInto('children').values({ id: 1, parent_id: 99 }).execute()),
    ])
    for (const o of outcomes)
      expect(o).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } })
    expect(names(h)).toEqual([])
    // The connection is usable again afterwards.
    await h.db
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ id: 3, name: 'next' }).execute())
    expect(names(h)).toEqual(['next'])
  })

  it('commits early when the batch reaches maxBatchSize', async () => {
    const h = harness({ maxBatchSize: 2 })
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        h.db.transaction().execute((trx) =>
          trx
            .insertInto('items')
            .values({ id: i + 1, name: `n${i}` })
            .execute(),
        ),
      ),
    )
    expect(h.commits()).toBe(3)
    expect(names(h)).toHaveLength(5)
  })

  it('supports savepoints inside a transaction', async () => {
    const h = harness()
    const trx = await h.db.startTransaction().execute()
    await trx.insertInto('items').values({ id: 1, name: 'kept' }).execute()
    const sp = await trx.savepoint('inner').execute()
    await sp.insertInto('items').values({ id: 2, name: 'undone' }).execute()
    await sp.rollbackToSavepoint('inner').execute()
    await trx.commit().execute()
    expect(names(h)).toEqual(['kept'])
  })

  it('undoes a controlled transaction that is rolled back, keeping its batch mates', async () => {
    const h = harness()
    const trx = await h.db.startTransaction().execute()
    await trx.insertInto('items').values({ id: 1, name: 'undone' }).execute()
    const other = h.db.insertInto('items').values({ id: 2, name: 'kept' }).execute()
    await trx.rollback().execute()
    await other
    expect(names(h)).toEqual(['kept'])
  })

  it('fails the batch when a statement ends the shared transaction', async () => {
    const h = harness()
    const outcomes = await Promise.allSettled([
      h.db.transaction().execute((trx) => trx.insertInto('items').values({ id: 1, name: 'a' }).execute()),
      h.db.transaction().execute(async (trx) => {
        await sql`rollback`.execute(trx)
        await trx.insertInto('items').values({ id: 2, name: 'b' }).execute()
      }),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected'])
    expect(names(h)).toEqual([])
  })

  it('commits what is pending when destroyed', async () => {
    const h = harness()
    // Initializes the driver, so the transaction below takes the lock before destroy() asks for it.
    await h.db.selectFrom('items').selectAll().execute()
    const pending = h.db
      .transaction()
      .execute((trx) => trx.insertInto('items').values({ id: 1, name: 'flushed' }).execute())
    const autocommit = h.db.insertInto('items').values({ id: 2, name: 'also' }).execute()
    await h.db.destroy()
    await Promise.all([pending, autocommit])
    expect(names(h)).toEqual(['flushed', 'also'])
  })
})

describe('SqliteGroupCommitDriver.directRunner (precompiled statements without Kysely per statement)', () => {
  async function direct(h: Harness, onQuery?: (sqlText: string) => void): Promise<PreparedRunner> {
    // Kysely initialises the driver at its first query; the runner uses it from then on.
    await h.db.selectFrom('items').selectAll().execute()
    return h.dialect.driver.directRunner(kyselyRunner(h.db), onQuery)
  }
  const insert = (h: Harness, id: number, name: string) =>
    h.db.insertInto('items').values({ id, name }).compile()

  it('shares one COMMIT between its transactions and Kysely ones, and answers after it', async () => {
    const h = harness()
    const run = await direct(h)
    await Promise.all([
      ...['a', 'b'].map((name, i) =>
        run
          .transaction(async (tx) => {
            await tx.executeQuery(insert(h, i + 1, name))
            return name
          })
          .then((n) => h.log.push(`resolved ${n} seeing ${names(h).length}`)),
      ),
      h.db
        .transaction()
        .execute((trx) => trx.insertInto('items').values({ id: 3, name: 'c' }).execute())
        .then(() => h.log.push(`resolved c seeing ${names(h).length}`)),
    ])
    expect(h.log).toEqual(['commit', 'resolved a seeing 3', 'resolved b seeing 3', 'resolved c seeing 3'])
    expect(h.commits()).toBe(1)
  })

  it('rolls back only the transaction that failed, with its own error', async () => {
    const h = harness()
    const run = await direct(h)
    const boom = new Error('boom')
    const outcomes = await Promise.allSettled([
      run.transaction((tx) => tx.executeQuery(insert(h, 1, 'a'))),
      run.transaction(async (tx) => {
        await tx.executeQuery(insert(h, 2, 'b'))
        throw boom
      }),
      // A SQLite error inside: the statement fails, the transaction rolls back, the error is SQLite's.
      run.transaction(async (tx) => {
        await tx.executeQuery(insert(h, 4, 'd'))
        await tx.executeQuery(insert(h, 5, 'a'))
      }),
      run.transaction((tx) => tx.executeQuery(insert(h, 3, 'c'))),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    expect(outcomes[1]).toMatchObject({ reason: boom })
    expect(outcomes[2]).toMatchObject({ reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })
    expect(names(h)).toEqual(['a', 'c'])
  })

  it('never interleaves the statements of two transactions', async () => {
    const h = harness()
    const run = await direct(h)
    const order: string[] = []
    const slow = run.transaction(async (tx) => {
      order.push('slow 1')
      await tx.executeQuery(insert(h, 1, 'slow-1'))
      await new Promise((r) => setTimeout(r, 20))
      order.push('slow 2')
      await tx.executeQuery(insert(h, 2, 'slow-2'))
    })
    const quick = run.transaction(async (tx) => {
      order.push('quick')
      await tx.executeQuery(insert(h, 3, 'quick'))
    })
    const kysely = h.db.transaction().execute(async (trx) => {
      order.push('kysely')
      await trx.insertInto('items').values({ id: 4, name: 'kysely' }).execute()
    })
    await Promise.all([slow, quick, kysely])
    expect(order).toEqual(['slow 1', 'slow 2', 'quick', 'kysely'])
    expect(names(h)).toEqual(['slow-1', 'slow-2', 'quick', 'kysely'])
  })

  it('refuses a statement on a transaction that has ended', async () => {
    const h = harness()
    const run = await direct(h)
    let kept: Parameters<Parameters<PreparedRunner['transaction']>[0]>[0] | undefined
    await run.transaction(async (tx) => {
      kept = tx
      await tx.executeQuery(insert(h, 1, 'inside'))
    })
    await expect(kept?.executeQuery(insert(h, 2, 'after'))).rejects.toThrow(/already ended/)
    await new Promise((r) => setImmediate(r))
    expect(names(h)).toEqual(['inside'])
  })

  it('answers a single write after its COMMIT, reads at once, and reports each statement', async () => {
    const h = harness()
    const seen: string[] = []
    const run = await direct(h, (sqlText) => seen.push(sqlText))
    await run.executeQuery(insert(h, 1, 'alone'))
    expect(names(h)).toEqual(['alone'])
    const read = await run.executeQuery(h.db.selectFrom('items').select('name').compile())
    expect(read.rows).toEqual([{ name: 'alone' }])
    expect(seen).toEqual([insert(h, 1, 'alone').sql, h.db.selectFrom('items').select('name').compile().sql])
  })

  it('goes through Kysely until Kysely has initialised the driver', async () => {
    const h = harness()
    // No query yet: the runner made now must still work, through its fallback.
    const run = h.dialect.driver.directRunner(kyselyRunner(h.db))
    await run.transaction((tx) => tx.executeQuery(insert(h, 1, 'first')))
    await run.executeQuery(insert(h, 2, 'second'))
    expect(names(h)).toEqual(['first', 'second'])
  })
})
