/**
 * Fresh databases for tests: a SQLite file in a temp dir, or (when TEST_POSTGRES_URL is set) a
 * PostgreSQL schema of its own, dropped afterwards, so test files never see each other's rows.
 */

import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

export type Dialect = 'sqlite' | 'postgres'

export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL

/** The dialects this run covers: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set. */
export const DIALECTS: Dialect[] = TEST_POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite']

export interface TestDatabase {
  readonly url: string
  readonly dataDir: string
  drop(): Promise<void>
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'verigate-test-'))
  if (dialect === 'sqlite') {
    return {
      url: `sqlite:${join(dataDir, 'verigate.db')}`,
      dataDir,
      async drop() {
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  if (!TEST_POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set')
  const schema = `vg_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const url = new URL(TEST_POSTGRES_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    url: url.toString(),
    dataDir,
    async drop() {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
