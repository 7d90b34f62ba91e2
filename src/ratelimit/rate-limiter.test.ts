/**
 * @module Runs the RateLimiter contract on every store: memory and SQLite always, Redis and
 * PostgreSQL when TEST_REDIS_URL / TEST_POSTGRES_URL are set. Also the store-failure behaviour.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import { createPostgresRateLimiter } from './postgres-rate-limiter.js'
import { runRateLimiterContract } from './rate-limiter.contract.js'
import type { LimitRule } from './rate-limiter.js'
import { createRedisRateLimiter } from './redis-rate-limiter.js'
import { createSqliteRateLimiter } from './sqlite-rate-limiter.js'

const redisUrl = process.env.TEST_REDIS_URL
const postgresUrl = process.env.TEST_POSTGRES_URL
const runId = randomBytes(6).toString('hex')
const rule: LimitRule = { name: 'test', points: 2, durationSeconds: 60 }

runRateLimiterContract('memory', async () => createMemoryRateLimiter())

describe('SqliteRateLimiter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-ratelimit-'))
  const db = new BetterSqlite3(join(dir, 'limits.db'))
  db.pragma('journal_mode = WAL')

  afterAll(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  runRateLimiterContract('sqlite', () => createSqliteRateLimiter(db))

  it('keeps counters in the file, so a new limiter on the same database sees them', async () => {
    const first = await createSqliteRateLimiter(db, { keyPrefix: `persist-${runId}` })
    await first.consume(rule, 'k')
    await first.close()
    const second = await createSqliteRateLimiter(db, { keyPrefix: `persist-${runId}` })
    expect((await second.peek(rule, 'k')).remaining).toBe(1)
    await second.close()
  })

  it('rejects an unsafe table name', async () => {
    await expect(createSqliteRateLimiter(db, { tableName: 'x; drop table y' })).rejects.toBeInstanceOf(
      RangeError,
    )
  })

  it('throws the store error, not a decision, when the database is gone', async () => {
    const other = new BetterSqlite3(':memory:')
    const limiter = await createSqliteRateLimiter(other)
    other.close()
    await expect(limiter.consume(rule, 'k')).rejects.toThrow(/not open/)
    await limiter.close()
  })
})

describe.skipIf(!redisUrl)('RedisRateLimiter', () => {
  // Every key this run writes starts with this, so cleanup never touches anyone else's keys.
  const prefix = `vg-test-${runId}`
  let client: Redis
  let limiters = 0

  beforeAll(async () => {
    client = new Redis(redisUrl as string, { lazyConnect: true })
    await client.connect()
  })

  afterAll(async () => {
    if (!client) return
    const keys: string[] = []
    for await (const batch of client.scanStream({ match: `${prefix}:*`, count: 500 })) keys.push(...batch)
    if (keys.length > 0) await client.del(...keys)
    await client.quit()
  })

  runRateLimiterContract('redis', async () =>
    createRedisRateLimiter(client, { keyPrefix: `${prefix}:${limiters++}` }),
  )
  // With the insurance limiter set up (as the server runs it), Redis up behaves exactly the same.
  runRateLimiterContract('redis with insurance', async () =>
    createRedisRateLimiter(client, { keyPrefix: `${prefix}:${limiters++}`, insurance: true }),
  )

  it('writes keys as <prefix>:<rule>:<key> with a TTL', async () => {
    const limiter = createRedisRateLimiter(client, { keyPrefix: `${prefix}:layout` })
    await limiter.consume(rule, '+15551234567')
    const ttl = await client.pttl(`${prefix}:layout:test:+15551234567`)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(60_000)
    await limiter.close()
    // The client was passed in, so closing the limiter must leave it usable.
    expect(await client.ping()).toBe('PONG')
  })

  it('a closed limiter leaves no listener on a client it shares', async () => {
    const before = client.listenerCount('reconnecting')
    const limiters = Array.from({ length: 5 }, (_, i) =>
      createRedisRateLimiter(client, { keyPrefix: `${prefix}:shared:${i}`, insurance: true }),
    )
    expect(client.listenerCount('reconnecting')).toBe(before + 5)
    for (const l of limiters) await l.close()
    for (const event of ['ready', 'close', 'end', 'reconnecting'])
      expect(client.listenerCount(event), event).toBeLessThanOrEqual(before)
  })

  it('throws the store error, not a decision, when Redis is not connected', async () => {
    const offline = new Redis(redisUrl as string, { lazyConnect: true })
    const limiter = createRedisRateLimiter(offline, { keyPrefix: `${prefix}:offline`, closeClient: true })
    await expect(limiter.consume(rule, 'k')).rejects.toThrow(/not ready/)
    await limiter.close()
  })
})

describe.skipIf(!postgresUrl)('PostgresRateLimiter', () => {
  // A table per run, dropped afterwards, so parallel runs and the application's table are untouched.
  const tableName = `rate_limits_test_${runId}`
  let pool: pg.Pool
  let limiters = 0

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: postgresUrl, max: 10 })
  })

  afterAll(async () => {
    if (!pool) return
    await pool.query(`DROP TABLE IF EXISTS "${tableName}"`)
    await pool.end()
  })

  runRateLimiterContract('postgres', () =>
    createPostgresRateLimiter(pool, { tableName, keyPrefix: `vg-test:${limiters++}` }),
  )

  it('stores every rule in the one table', async () => {
    const limiter = await createPostgresRateLimiter(pool, { tableName, keyPrefix: 'layout' })
    await limiter.consume(rule, 'k')
    await limiter.consume({ ...rule, name: 'other' }, 'k')
    const { rows } = await pool.query(`SELECT key FROM "${tableName}" WHERE key LIKE 'layout:%' ORDER BY key`)
    expect(rows.map((r) => r.key)).toEqual(['layout:other:k', 'layout:test:k'])
    await limiter.close()
  })

  it('fails at creation when the database is unreachable', async () => {
    const dead = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 2_000,
    })
    await expect(createPostgresRateLimiter(dead, { tableName })).rejects.toThrow()
    await dead.end()
  })

  it('throws the store error, not a decision, when the pool is gone', async () => {
    const own = new pg.Pool({ connectionString: postgresUrl, max: 1 })
    const limiter = await createPostgresRateLimiter(own, { tableName })
    await own.end()
    await expect(limiter.consume(rule, 'k')).rejects.toThrow(/pool/)
    await limiter.close()
  })
})
