/**
 * The partial pending-key and idempotency-key indexes (migration 0043): rows without a key are not
 * in them, the lookups still use them, and they still refuse a second pending verification or a
 * reused idempotency key. On SQLite, and PostgreSQL when configured.
 */
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test/helpers/test-database.js'
import { buildTestDeps, createTestService, type TestContext } from '../../test/helpers/test-deps.js'
import { AppError } from '../errors/app-error.js'

for (const dialect of DIALECTS) {
  describe(`verification indexes (${dialect})`, () => {
    let ctx: TestContext | undefined
    afterEach(async () => {
      await ctx?.close()
      ctx = undefined
    })

    async function plan(query: string): Promise<string> {
      const db = ctx!.deps.db
      if (dialect === 'sqlite') {
        const rows = await sql<{ detail: string }>`explain query plan ${sql.raw(query)}`.execute(db)
        return rows.rows.map((r) => r.detail).join('\n')
      }
      // A tiny table would be scanned whatever the indexes; the question is whether one is usable.
      return db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx)
        const rows = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(query)}`.execute(trx)
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
      })
    }

    it('the lookups by pending key and by idempotency key use the partial indexes', async () => {
      ctx = await buildTestDeps({ dialect })
      expect(await plan(`select * from verifications where pending_key = 'k'`)).toContain(
        'verifications_pending_key',
      )
      expect(
        await plan(`select * from verifications where service_id = 's' and idempotency_key = 'k'`),
      ).toContain('verifications_idempotency')
    })

    it('they hold only rows with a key, and still refuse a duplicate', async () => {
      ctx = await buildTestDeps({ dialect })
      const { deps } = ctx
      const service = await createTestService(deps)
      const first = await deps.verifier.start({ serviceId: service.id, to: '+447700900401', channel: 'sms' })
      // A second start to the same number answers with the pending one (the pending key is unique).
      const again = await deps.verifier.start({ serviceId: service.id, to: '+447700900401', channel: 'sms' })
      expect(again.verification.id).toBe(first.verification.id)
      const keyed = await deps.verifier.start({
        serviceId: service.id,
        to: '+447700900402',
        channel: 'sms',
        idempotencyKey: 'order-1',
      })
      const replay = await deps.verifier.start({
        serviceId: service.id,
        to: '+447700900402',
        channel: 'sms',
        idempotencyKey: 'order-1',
      })
      expect(replay.verification.id).toBe(keyed.verification.id)
      await expect(
        deps.verifier.start({
          serviceId: service.id,
          to: '+447700900403',
          channel: 'sms',
          idempotencyKey: 'order-1',
        }),
      ).rejects.toBeInstanceOf(AppError)

      // Both are partial: rows without a key have no entry.
      const partial =
        dialect === 'sqlite'
          ? (
              await sql<{ name: string; partial: number }>`pragma index_list(verifications)`.execute(deps.db)
            ).rows
              .filter((r) => r.partial === 1)
              .map((r) => r.name)
          : (
              await sql<{
                indexname: string
              }>`select indexname from pg_indexes where tablename = 'verifications' and indexdef like '%WHERE%'`.execute(
                deps.db,
              )
            ).rows.map((r) => r.indexname)
      expect(partial.sort()).toEqual(['verifications_idempotency', 'verifications_pending_key'])
    })
  })
}
