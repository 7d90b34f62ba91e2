/**
 * @module Tests for the background WAL checkpointer: checkpoints happen off the main connection,
 * TRUNCATE shrinks the WAL, stop() ends the thread, a worker that cannot start is reported.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openFileSyncHandle } from './file-sync-handle.js'
import { startSqliteCheckpointer } from './sqlite-checkpointer.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'verigate-checkpoint-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A WAL database with automatic checkpoints off and ~1 MB of rows sitting in the WAL. */
function walWithPages(file: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(file)
  db.pragma('journal_mode = WAL')
  db.pragma('wal_autocheckpoint = 0')
  db.exec('create table blobs (id integer primary key, data blob not null)')
  const insert = db.prepare('insert into blobs (data) values (?)')
  db.transaction(() => {
    for (let i = 0; i < 256; i++) insert.run(Buffer.alloc(4096, i))
  })()
  return db
}

describe('startSqliteCheckpointer', () => {
  it('copies the WAL into the database file from its own thread', async () => {
    const file = join(dir, 'a.db')
    const db = walWithPages(file)
    const before = statSync(file).size
    const checkpointer = startSqliteCheckpointer({ path: file, intervalMs: 20 })
    try {
      await until(() => statSync(file).size > before + 256 * 4096)
    } finally {
      await checkpointer.stop()
      db.close()
    }
  })

  it('restarts a long log inside pauseWrites, so the next write starts it over', async () => {
    const file = join(dir, 'b.db')
    const db = walWithPages(file)
    let paused = 0
    let restarted = false
    const checkpointer = startSqliteCheckpointer({
      path: file,
      intervalMs: 20,
      restartFrames: 64,
      pauseWrites: async (during) => {
        paused++
        await during()
        restarted = true
      },
    })
    try {
      await until(() => restarted)
      db.prepare('insert into blobs (data) values (?)').run(Buffer.alloc(10))
      // Only the frames of that last write are in the log: it started over from its first frame.
      const [status] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>
      expect(status?.log).toBeLessThan(10)
      expect(paused).toBeGreaterThanOrEqual(1)
    } finally {
      await checkpointer.stop()
      db.close()
    }
  })

  // The descriptor the worker syncs between restarts (see the worker's syncCopied): a good one,
  // and one it cannot sync (a number no file has), after which it goes on as SQLite alone would.
  for (const kind of ['the database file', 'a descriptor that cannot be synced'] as const) {
    it(`copies and restarts the log as before when given ${kind} to sync`, async () => {
      const file = join(dir, 'c.db')
      const db = walWithPages(file)
      const handle = kind === 'the database file' ? openFileSyncHandle(file) : undefined
      const before = statSync(file).size
      let restarted = false
      const checkpointer = startSqliteCheckpointer({
        path: file,
        intervalMs: 20,
        restartFrames: 64,
        syncFd: handle?.fd ?? 1_000_000,
        pauseWrites: async (during) => {
          await during()
          restarted = true
        },
      })
      try {
        await until(() => restarted)
        expect(statSync(file).size).toBeGreaterThan(before + 256 * 4096)
        db.prepare('insert into blobs (data) values (?)').run(Buffer.alloc(10))
        const [status] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>
        expect(status?.log).toBeLessThan(10)
      } finally {
        await checkpointer.stop()
        db.close()
        handle?.release()
      }
    })
  }

  it('does not leave a pause waiting when stopped during a restart', async () => {
    const file = join(dir, 'd.db')
    const db = walWithPages(file)
    let pending: (() => Promise<void>) | undefined
    const checkpointer = startSqliteCheckpointer({
      path: file,
      intervalMs: 20,
      restartFrames: 64,
      pauseWrites: async (during) => {
        pending = during
      },
    })
    await until(() => pending !== undefined)
    await checkpointer.stop()
    await pending?.()
    db.close()
  })

  it('stops its thread, and stopping twice is harmless', async () => {
    const file = join(dir, 'c.db')
    const db = walWithPages(file)
    const checkpointer = startSqliteCheckpointer({ path: file })
    await checkpointer.stop()
    await checkpointer.stop()
    db.close()
    // The worker's connection is closed too: the last close removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('reports a worker that cannot start', async () => {
    const failures: Error[] = []
    const checkpointer = startSqliteCheckpointer({
      path: join(dir, 'missing.db'),
      onFailure: (err) => failures.push(err),
    })
    await until(() => failures.length > 0)
    await checkpointer.stop()
    expect(failures).toHaveLength(1)
  })
})
