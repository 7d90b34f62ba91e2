/** The read worker: long reads answered from another thread, the same rows as the main connection. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OpenedSqliteDatabase, openSqliteDatabase } from './sqlite-database.js'

describe('SqliteReadWorkerDialect (longReads of a SQLite file)', () => {
  let dir: string
  let opened: OpenedSqliteDatabase
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verigate-read-worker-'))
    opened = openSqliteDatabase({ path: join(dir, 'db.sqlite') })
    await sql`create table t (id integer primary key, country text, n integer)`.execute(opened.db)
    for (let i = 0; i < 200; i++)
      await sql`insert into t (country, n) values (${i % 2 ? 'GB' : 'FR'}, ${i})`.execute(opened.db)
  })
  afterAll(async () => {
    await opened.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers reads from its own connection with what the main connection committed', async () => {
    expect(opened.longReads).not.toBe(opened.db)
    const query = sql<{ country: string; c: number; total: number }>`
      select country, count(*) as c, sum(n) as total from t group by country order by country`
    const fromWorker = await query.execute(opened.longReads)
    const fromMain = await query.execute(opened.db)
    expect(fromWorker.rows).toEqual(fromMain.rows)
    expect(fromWorker.rows).toEqual([
      { country: 'FR', c: 100, total: 9900 },
      { country: 'GB', c: 100, total: 10000 },
    ])
    // A write committed after that is seen by the next read.
    await sql`insert into t (country, n) values ('GB', 1)`.execute(opened.db)
    const again = await sql<{ c: number }>`select count(*) as c from t`.execute(opened.longReads)
    expect(again.rows).toEqual([{ c: 201 }])
  })

  it('reads one snapshot per transaction; concurrent ones take turns, and single reads go on', async () => {
    const count = async (db: typeof opened.longReads) =>
      (await sql<{ c: number }>`select count(*) as c from t`.execute(db)).rows[0]?.c
    const start = (await count(opened.longReads)) ?? 0
    const seen: [number, number][] = []
    const inOne = () =>
      opened.longReads.transaction().execute(async (trx) => {
        const first = await count(trx)
        await sql`insert into t (country, n) values ('DE', 7)`.execute(opened.db)
        // A single read outside the transaction meanwhile is answered (not queued behind it).
        await count(opened.longReads)
        seen.push([first ?? -1, (await count(trx)) ?? -1])
      })
    await Promise.all([inOne(), inOne(), inOne()])
    expect(seen).toHaveLength(3)
    for (const [first, second] of seen) expect(second).toBe(first)
    // They ran one after the other: each saw the rows the earlier ones inserted.
    expect(seen.map(([first]) => first).sort((a, b) => a - b)).toEqual([start, start + 1, start + 2])
    expect(await count(opened.longReads)).toBe(start + 3)
  })

  it('keeps the event loop free while it reads', async () => {
    // A read that takes a while in SQLite (a recursive count to 3 million) while a timer ticks.
    let ticks = 0
    const timer = setInterval(() => ticks++, 5)
    const slow = sql<{ c: number }>`
      with recursive r(x) as (select 1 union all select x + 1 from r where x < 3000000)
      select count(*) as c from r`
    const started = performance.now()
    const { rows } = await slow.execute(opened.longReads)
    const took = performance.now() - started
    clearInterval(timer)
    expect(rows).toEqual([{ c: 3_000_000 }])
    // On the main thread not one tick could run during the read; here most of them do.
    expect(ticks).toBeGreaterThan(Math.floor(took / 5 / 3))
  })

  it('refuses writes, which belong to the main connection', async () => {
    await expect(sql`insert into t (country, n) values ('DE', 1)`.execute(opened.longReads)).rejects.toThrow(
      /return rows only|readonly/,
    )
  })

  it('an in-memory database reads from its one connection', async () => {
    const memory = openSqliteDatabase({ path: ':memory:' })
    try {
      expect(memory.longReads).toBe(memory.db)
    } finally {
      await memory.close()
    }
  })
})
