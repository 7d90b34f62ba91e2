/**
 * The retention sweep's search for due rows: every query runs on the store's `reads` connection
 * (the SQLite read worker in a server, off the event loop), and the verifications query is bounded
 * by an indexed column, so a young database answers from an empty index range instead of a scan
 * (the soak found that scan holding the event loop for 25-37 ms once a minute).
 */
import { type KyselyPlugin, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, type TestContext } from '../../test/helpers/test-deps.js'
import { KyselyPersonalDataStore } from './personal-data-store.js'

for (const dialect of DIALECTS) {
  describe(`personal data store: due search (${dialect})`, () => {
    let ctx: TestContext | undefined
    afterEach(async () => {
      await ctx?.close()
      ctx = undefined
    })

    it('asks every due query of its reads connection, none of the writer', async () => {
      ctx = await buildTestDeps({ dialect })
      const { db } = ctx.deps
      const recorder = (into: string[]): KyselyPlugin => ({
        transformQuery: (args) => {
          into.push(db.getExecutor().compileQuery(args.node, args.queryId).sql)
          return args.node
        },
        transformResult: async (args) => args.result,
      })
      const onReads: string[] = []
      const onWriter: string[] = []
      const store = new KyselyPersonalDataStore(
        db.withPlugin(recorder(onWriter)),
        db.withPlugin(recorder(onReads)),
      )
      expect(await store.dueDestinations(Date.now() - 30 * 86_400_000, 100)).toEqual([])
      expect(onWriter).toEqual([])
      expect(onReads.length).toBeGreaterThanOrEqual(5)
      const verifications = onReads.find((q) => /from "verifications"/.test(q))
      expect(verifications).toMatch(/"created_at" </)
    })

    it('the verifications query can use the created_at index', async () => {
      ctx = await buildTestDeps({ dialect })
      const { db } = ctx.deps
      const query = `select destination from verifications where created_at < 1 and finished_at < 1 and destination not like 'psd%' limit 10`
      const plan =
        dialect === 'sqlite'
          ? (await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(db)).rows
              .map((r) => r.detail)
              .join('\n')
          : await db.transaction().execute(async (trx) => {
              await sql`set local enable_seqscan = off`.execute(trx)
              const rows = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query)}`.execute(trx)
              return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
            })
      expect(plan).toContain('verifications_created')
    })
  })
}
