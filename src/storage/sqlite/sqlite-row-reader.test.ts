/** @module Tests for `SqliteRowReader`: the same row objects as better-sqlite3's, through schema changes. */
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { SqliteRowReader } from './sqlite-row-reader.js'

function database(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:')
  db.exec(`
    create table a (id integer primary key, name text, data blob, score real);
    create table b (id integer primary key, a_id integer, name text);
    insert into a values (1, 'one', x'0102', 1.5), (2, null, null, null);
    insert into b values (10, 1, 'b-one');
  `)
  return db
}

describe('SqliteRowReader', () => {
  it('returns what stmt.all() returns, key order included', () => {
    const db = database()
    const reader = new SqliteRowReader()
    const sqlText = 'select * from a order by id'
    const expected = db.prepare(sqlText).all()
    const stmt = db.prepare(sqlText)
    for (let i = 0; i < 2; i++) {
      const rows = reader.all(stmt, [])
      expect(rows).toEqual(expected)
      expect(rows.map((r) => Object.keys(r as object))).toEqual(expected.map((r) => Object.keys(r as object)))
    }
  })

  it('keeps the last of repeated column names, as better-sqlite3 does', () => {
    const db = database()
    const sqlText = 'select a.*, b.* from a join b on b.a_id = a.id'
    expect(new SqliteRowReader().all(db.prepare(sqlText), [])).toEqual(db.prepare(sqlText).all())
  })

  it('leaves columns an object literal cannot carry to better-sqlite3', () => {
    const db = database()
    const rows = new SqliteRowReader().all(
      db.prepare('select name as "__proto__", id from a where id = ?'),
      [1],
    )
    expect(rows).toEqual(db.prepare('select name as "__proto__", id from a where id = ?').all(1))
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype)
  })

  it('follows a column added after the statement was prepared', () => {
    const db = database()
    const reader = new SqliteRowReader()
    const stmt = db.prepare('select * from b')
    expect(reader.all(stmt, [])).toEqual([{ id: 10, a_id: 1, name: 'b-one' }])
    db.exec("alter table b add column extra text default 'x'")
    expect(reader.all(stmt, [])).toEqual([{ id: 10, a_id: 1, name: 'b-one', extra: 'x' }])
  })

  it('follows a renamed column once told the schema changed', () => {
    const db = database()
    const reader = new SqliteRowReader()
    const stmt = db.prepare('select * from b')
    reader.all(stmt, [])
    db.exec('alter table b rename column name to label')
    reader.forget()
    expect(reader.all(stmt, [])).toEqual([{ id: 10, a_id: 1, label: 'b-one' }])
  })

  it('iterates rows one at a time', () => {
    const db = database()
    const stmt = db.prepare('select id, name from a order by id')
    expect([...new SqliteRowReader().iterate(stmt, [])]).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: null },
    ])
  })
})
