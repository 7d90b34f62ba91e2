/** @module Tests for `openSqliteDatabase`: checkpoint worker wiring for files, none for `:memory:`. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqliteDatabase } from './sqlite-database.js'

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

  it('opens :memory: without a checkpoint worker', async () => {
    const opened = openSqliteDatabase({ path: ':memory:' })
    expect(opened.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
    await opened.db.schema.createTable('t').addColumn('id', 'integer').execute()
    await opened.close()
  })
})
