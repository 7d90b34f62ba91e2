/** @module Tests for `openSqliteDatabase`: checkpoint worker wiring for files, none for `:memory:`. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteDatabase, pauseWrites } from './sqlite-database.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'verigate-sqlite-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('openSqliteDatabase', () => {
  it('turns automatic checkpoints off once the worker is up, and cleans up the WAL on close', async () => {
    const file = join(dir, 'data', 'v.db')
    const opened = openSqliteDatabase({ path: file, checkpointWorkerDelayMs: 0 })
    await opened.db.schema.createTable('t').addColumn('id', 'integer').execute()
    const deadline = Date.now() + 5_000
    while (opened.raw.pragma('wal_autocheckpoint', { simple: true }) !== 0) {
      if (Date.now() > deadline) throw new Error('the checkpoint worker did not start')
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await opened.close()
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('closes quickly when closed before the worker starts, checkpoints left to SQLite', async () => {
    const file = join(dir, 'quick.db')
    const opened = openSqliteDatabase({ path: file })
    await opened.db.schema.createTable('t').addColumn('id', 'integer').execute()
    expect(opened.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    const started = Date.now()
    await opened.close()
    expect(Date.now() - started).toBeLessThan(500)
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('pauses writes with no batch holding the write lock, and lets the writes queued meanwhile go on', async () => {
    const opened = openSqliteDatabase({ path: join(dir, 'pause.db') })
    await opened.db.schema.createTable('t').addColumn('id', 'integer').execute()
    // A write joins a batch: the shared transaction is open until the end of this turn.
    const before = sql`insert into t (id) values (1)`.execute(opened.db)
    // Microtasks only: the batch's COMMIT waits for setImmediate, which cannot run in between.
    for (let i = 0; i < 100 && !opened.raw.inTransaction; i++) await Promise.resolve()
    expect(opened.raw.inTransaction).toBe(true)
    let inTransactionDuring: boolean | undefined
    let rowsDuring: number | undefined
    const paused = pauseWrites(opened.db, async () => {
      // What the RESTART needs: no open write transaction on this connection...
      inTransactionDuring = opened.raw.inTransaction
      // ...and the batch committed: another connection sees its row.
      const other = new BetterSqlite3(join(dir, 'pause.db'), { readonly: true })
      rowsDuring = (other.prepare('select count(*) as n from t').get() as { n: number }).n
      other.close()
    })
    const after = sql`insert into t (id) values (2)`.execute(opened.db)
    await Promise.all([before, paused, after])
    expect(inTransactionDuring).toBe(false)
    expect(rowsDuring).toBe(1)
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(opened.db)).rows[0]?.n).toBe(2)
    await opened.close()
  })

  it('opens :memory: without a checkpoint worker', async () => {
    const opened = openSqliteDatabase({ path: ':memory:' })
    expect(opened.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    await opened.db.schema.createTable('t').addColumn('id', 'integer').execute()
    await opened.close()
  })
})
