/** PreparedQuery / PreparedInserts: compiled once, run with new values, constants kept. */
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PreparedInserts, PreparedQuery, prepare } from './prepared-query.js'

interface Db {
  t: { id: string; n: number; note: string | null; kind: string }
}

describe('prepared queries', () => {
  let db: Kysely<Db>
  const seen: string[] = []
  beforeAll(async () => {
    db = new Kysely<Db>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }),
      log: (e) => {
        if (e.level === 'query') seen.push(e.query.sql)
      },
    })
    await sql`create table t (id text primary key, n integer not null, note text, kind text not null default 'plain')`.execute(
      db,
    )
  })
  afterAll(async () => db.destroy())

  it('runs one compiled statement with new values each time, keeping the constants', async () => {
    const inserts = new PreparedInserts<Db['t'] | Omit<Db['t'], 'kind'>>((rows) =>
      db.insertInto('t').values(rows as never),
    )
    await inserts.insert(db, [{ id: 'a', n: 1, note: null }])
    await inserts.insert(db, [
      { id: 'b', n: 2, note: 'x' },
      { id: 'c', n: 3, note: undefined as unknown as null },
    ])
    // A key left undefined in every row is left out, so the column default applies.
    await inserts.insert(db, [{ id: 'd', n: 4, note: null, kind: undefined as unknown as string }])
    const bump = new PreparedQuery<{ id: string }, Db['t']>((p) =>
      db
        .updateTable('t')
        .set((eb) => ({ n: eb('n', '+', 10) }))
        .where('id', '=', p('id'))
        .returningAll(),
    )
    expect(await bump.first(db, { id: 'a' })).toEqual({ id: 'a', n: 11, note: null, kind: 'plain' })
    expect(await bump.first(db, { id: 'b' })).toEqual({ id: 'b', n: 12, note: 'x', kind: 'plain' })
    expect(await bump.first(db, { id: 'nope' })).toBeUndefined()
    const byKind = prepare<{ kind: string }>()((p) =>
      db.selectFrom('t').select(['id', 'n']).where('kind', '=', p('kind')).orderBy('id'),
    )
    expect((await byKind.run(db, { kind: 'plain' })).rows.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(await bump.changes(db, { id: 'c' })).toBe(1)
    // The same SQL text each time (the statement cache and PostgreSQL's named statements key on it).
    expect(new Set(seen.filter((q) => q.startsWith('update')))).toHaveLength(1)
  })

  it('refuses a slot the builder did not turn into a parameter', () => {
    expect(
      () =>
        new PreparedQuery<{ id: string; unused: string }, unknown>((p) => {
          p('unused')
          return db.selectFrom('t').selectAll().where('id', '=', p('id'))
        }),
    ).toThrow(/slot "unused"/)
  })
})
