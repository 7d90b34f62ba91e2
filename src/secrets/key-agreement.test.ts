/**
 * Keys agree across a cluster or nothing starts: "processes" (each its own createDeps, as separate
 * servers would) on one database, on SQLite and on PostgreSQL when TEST_POSTGRES_URL is set.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/helpers/test-database.js'
import { loadConfig } from '../config/load.js'
import { createDeps, type Deps } from '../deps.js'
import { openAndMigrate } from '../storage/open-database.js'
import { KeyAgreementError } from './key-agreement.js'
import { Keyring } from './keyring.js'

const K1 = 'k1:first-secret-first-secret-first-secret-01'
const K1_OTHER = 'k1:another-secret-another-secret-another-01'
const K2 = 'k2:second-secret-second-secret-second-sec-02'

describe('Keyring fingerprints', () => {
  it('are equal for equal secrets, differ for other secrets, and carry no secret', () => {
    const [a] = new Keyring([K1]).fingerprints()
    const [b] = new Keyring([K1]).fingerprints()
    const [c] = new Keyring([K1_OTHER]).fingerprints()
    expect(a).toEqual(b)
    expect(a!.keyId).toBe('k1')
    expect(a!.checkValue).not.toBe(c!.checkValue)
    expect(a!.checkValue).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(K1).not.toContain(a!.checkValue)
  })
})

for (const dialect of DIALECTS) {
  describe(`key agreement across processes on one database: ${dialect}`, () => {
    let db: TestDatabase
    const running: Deps[] = []
    const folders: string[] = []

    const dataFolder = () => {
      const dir = mkdtempSync(join(tmpdir(), 'verigate-keys-'))
      folders.push(dir)
      return dir
    }
    /** Starts one "process": its own data folder unless given, its own keys unless none. */
    const start = async (opts: { keys?: string[]; dataDir?: string } = {}) => {
      const config = loadConfig({
        env: {},
        overrides: {
          env: 'development',
          logLevel: 'silent',
          databaseUrl: db.url,
          dataDir: opts.dataDir ?? dataFolder(),
          ...(opts.keys ? { secrets: { keys: opts.keys } } : {}),
        },
      })
      const deps = await createDeps(config, { logger: pino({ level: 'silent' }) })
      running.push(deps)
      return deps
    }
    const refusal = async (opts: Parameters<typeof start>[0]) => {
      const err = await start(opts).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(KeyAgreementError)
      expect((err as Error).message).toContain('VERIGATE_SECRET_KEYS')
      return (err as Error).message
    }

    afterEach(async () => {
      for (const d of running.splice(0)) await d.close()
      await db?.drop()
      for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
    })

    it('a second process without keys is refused, not given a development key of its own', async () => {
      db = await createTestDatabase(dialect)
      const first = dataFolder()
      await start({ dataDir: first })
      expect(existsSync(join(first, 'secrets.json'))).toBe(true)
      const second = dataFolder()
      expect(await refusal({ dataDir: second })).toMatch(/sealed with key "dev1"/)
      expect(existsSync(join(second, 'secrets.json'))).toBe(false)
      // The same data folder (a restart) keeps working, and so does the first key given explicitly.
      await start({ dataDir: first })
    })

    it('processes that each made their own development key: the second is refused (the cluster that sent nothing)', async () => {
      db = await createTestDatabase(dialect)
      const a = dataFolder()
      const b = dataFolder()
      // Each folder got its own key before: e.g. each process once ran against a database of its own.
      await (await start({ dataDir: a })).close()
      running.pop()
      const other = await createTestDatabase(dialect)
      try {
        const config = loadConfig({
          env: {},
          overrides: { env: 'development', logLevel: 'silent', databaseUrl: other.url, dataDir: b },
        })
        await (await createDeps(config, { logger: pino({ level: 'silent' }) })).close()
      } finally {
        await other.drop()
      }
      await start({ dataDir: a })
      expect(await refusal({ dataDir: b })).toMatch(/key "dev1" of this process has a different secret/)
    })

    it('configured keys: the same key id with another secret is refused; a rotation is followed', async () => {
      db = await createTestDatabase(dialect)
      await start({ keys: [K1] })
      await start({ keys: [K1] })
      expect(await refusal({ keys: [K1_OTHER] })).toMatch(/key "k1" of this process has a different secret/)
      // Rotation, step 1: the new key after the current one everywhere; step 2: the new key first.
      await start({ keys: [K1, K2] })
      await start({ keys: [K2, K1] })
      // From now on codes are sealed with k2: a process that lacks it cannot start.
      expect(await refusal({ keys: [K1] })).toMatch(/current codes are sealed with key "k2"/)
      await start({ keys: [K2] })
    })

    // On SQLite two connections in one thread cannot wait for each other (the busy handler blocks
    // the thread that holds the lock); separate processes can, and the store takes the write lock
    // first so they queue instead of deadlocking.
    it.skipIf(dialect === 'sqlite')(
      'two processes starting at once with different keys: exactly one starts',
      async () => {
        db = await createTestDatabase(dialect)
        // Migrated first: this is about the keys, not two first starts racing to create the tables.
        await (await openAndMigrate(db.url)).close()
        const results = await Promise.allSettled([start({ keys: [K1] }), start({ keys: [K1_OTHER] })])
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
        expect(rejected.reason, String(rejected.reason)).toBeInstanceOf(KeyAgreementError)
      },
    )
  })
}
