/** On PostgreSQL, the precompiled hot statements run as named prepared statements (postgres.namedStatements). */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestDatabase,
  TEST_POSTGRES_URL,
  type TestDatabase,
} from '../../../test/helpers/test-database.js'
import { type OpenedAnyDatabase, openAndMigrate } from '../open-database.js'
import { KyselyVerificationStore } from '../verification-store.js'

describe.runIf(TEST_POSTGRES_URL)('named statements on PostgreSQL', () => {
  let testDb: TestDatabase
  const opened: OpenedAnyDatabase[] = []
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
  })
  afterAll(async () => {
    await Promise.all(opened.map((o) => o.close()))
    await testDb.drop()
  })

  async function preparedAfterTwoReads(namedStatements: boolean): Promise<string[]> {
    // One connection, so the session that ran the reads is the one asked.
    const db = await openAndMigrate(testDb.url, { postgres: { poolSize: 1, namedStatements } })
    opened.push(db)
    const store = new KyselyVerificationStore(db.db)
    expect(await store.get('ver_missing')).toBeUndefined()
    expect(await store.get('ver_missing_too')).toBeUndefined()
    const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db.db)
    return rows.map((r) => r.name)
  }

  it('prepares a hot statement once per connection under its name', async () => {
    expect((await preparedAfterTwoReads(true)).filter((n) => n.startsWith('vg_'))).toHaveLength(1)
  })

  it('prepares nothing by name when turned off (a pooler that cannot keep them)', async () => {
    expect((await preparedAfterTwoReads(false)).filter((n) => n.startsWith('vg_'))).toHaveLength(0)
  })
})
