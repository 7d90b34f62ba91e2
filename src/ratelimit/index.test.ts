/** @module createRateLimiter builds each kind of store and owns only what it opened. */
import { randomBytes } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import {
  createRateLimiter,
  MemoryRateLimiter,
  NoopRateLimiter,
  PostgresRateLimiter,
  RedisRateLimiter,
  SqliteRateLimiter,
} from './index.js'

const redisUrl = process.env.TEST_REDIS_URL
const postgresUrl = process.env.TEST_POSTGRES_URL
const rule = { name: 'index', points: 1, durationSeconds: 60 }

describe('createRateLimiter', () => {
  it('builds memory and noop limiters', async () => {
    const memory = await createRateLimiter({ kind: 'memory' })
    expect(memory).toBeInstanceOf(MemoryRateLimiter)
    expect((await memory.consume(rule, 'k')).allowed).toBe(true)
    expect((await memory.consume(rule, 'k')).allowed).toBe(false)
    await memory.close()
    const noop = await createRateLimiter({ kind: 'noop' })
    expect(noop).toBeInstanceOf(NoopRateLimiter)
    await noop.close()
  })

  it('builds a SQLite limiter on the given database and leaves it open', async () => {
    const db = new BetterSqlite3(':memory:')
    const limiter = await createRateLimiter({ kind: 'sqlite', db })
    expect(limiter).toBeInstanceOf(SqliteRateLimiter)
    await limiter.consume(rule, 'k')
    await limiter.close()
    expect(db.prepare('SELECT count(*) AS n FROM rate_limits').get()).toEqual({ n: 1 })
    db.close()
  })

  it.skipIf(!redisUrl)('opens a Redis connection from the URL and quits it on close', async () => {
    const prefix = `vg-test-${randomBytes(6).toString('hex')}`
    const limiter = await createRateLimiter({ kind: 'redis', url: redisUrl as string, keyPrefix: prefix })
    expect(limiter).toBeInstanceOf(RedisRateLimiter)
    await limiter.consume(rule, 'k')
    await limiter.reset(rule, 'k')
    await limiter.close()
    await expect(limiter.consume(rule, 'k')).rejects.toThrow(/closed/)
  })

  it('fails at creation when Redis is unreachable', async () => {
    await expect(createRateLimiter({ kind: 'redis', url: 'redis://127.0.0.1:1' })).rejects.toThrow()
  })

  it.skipIf(!postgresUrl)('builds a PostgreSQL limiter on the given pool and leaves it open', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl })
    const tableName = `rate_limits_index_${randomBytes(6).toString('hex')}`
    try {
      const limiter = await createRateLimiter({ kind: 'postgres', pool, tableName })
      expect(limiter).toBeInstanceOf(PostgresRateLimiter)
      await limiter.consume(rule, 'k')
      await limiter.close()
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${tableName}"`)
      expect(rows).toEqual([{ n: 1 }])
    } finally {
      await pool.query(`DROP TABLE IF EXISTS "${tableName}"`)
      await pool.end()
    }
  })
})
