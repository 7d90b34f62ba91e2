/** @module KyselyRecoveryCodeStore: the current set of single-use recovery codes per entity, as HMACs. */
import type { Kysely, Selectable } from 'kysely'
import type { RecoveryCodeRecord, RecoveryCodeStore } from '../factors/store.js'
import type { Database, RecoveryCodeTable } from './schema.js'

export function toRecoveryCode(r: Selectable<RecoveryCodeTable>): RecoveryCodeRecord {
  return {
    serviceId: r.service_id,
    entityId: r.entity_id,
    slot: r.slot,
    codeHmac: r.code_hmac,
    createdAt: r.created_at,
    usedAt: r.used_at,
  }
}

/** Primary-key or unique violations: SQLite `SQLITE_CONSTRAINT_*`, PostgreSQL `23505`. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}

export class KyselyRecoveryCodeStore implements RecoveryCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async replaceSet(serviceId: string, entityId: string, codes: readonly RecoveryCodeRecord[]): Promise<void> {
    // On PostgreSQL a racing replacement's delete cannot see rows inserted by a transaction that has
    // not committed yet, so its insert hits the (service, entity, slot) key instead. Retrying in a
    // new transaction sees those rows and replaces them: the last one wins, whole.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom('recovery_codes')
            .where('service_id', '=', serviceId)
            .where('entity_id', '=', entityId)
            .execute()
          if (codes.length === 0) return
          await trx
            .insertInto('recovery_codes')
            .values(
              codes.map((c) => ({
                service_id: c.serviceId,
                entity_id: c.entityId,
                slot: c.slot,
                code_hmac: c.codeHmac,
                created_at: c.createdAt,
                used_at: c.usedAt,
              })),
            )
            .execute()
        })
        return
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 5) throw err
      }
    }
  }

  async list(serviceId: string, entityId: string): Promise<RecoveryCodeRecord[]> {
    const rows = await this.db
      .selectFrom('recovery_codes')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .orderBy('slot')
      .execute()
    return rows.map(toRecoveryCode)
  }

  async markUsed(
    serviceId: string,
    entityId: string,
    slot: number,
    codeHmac: string,
    now: number,
  ): Promise<boolean> {
    // `used_at IS NULL` makes this the single-use guard: of two racing callers, one changes the row.
    const res = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .where('slot', '=', slot)
      .where('code_hmac', '=', codeHmac)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }
}
