/** @module KyselyPasskeyChallengeStore: pending passkey ceremony challenges, taken once, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import type {
  PasskeyCeremony,
  PasskeyChallengeRecord,
  PasskeyChallengeStore,
} from '../factors/passkey-store.js'
import type { Database, PasskeyChallengeTable } from './schema.js'

export function toPasskeyChallenge(r: Selectable<PasskeyChallengeTable>): PasskeyChallengeRecord {
  return {
    challenge: r.challenge,
    serviceId: r.service_id,
    ceremony: r.ceremony as PasskeyCeremony,
    entityId: r.entity_id,
    userHandle: r.user_handle,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  }
}

export class KyselyPasskeyChallengeStore implements PasskeyChallengeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: PasskeyChallengeRecord): Promise<void> {
    await this.db
      .insertInto('passkey_challenges')
      .values({
        challenge: c.challenge,
        service_id: c.serviceId,
        ceremony: c.ceremony,
        entity_id: c.entityId,
        user_handle: c.userHandle,
        created_at: c.createdAt,
        expires_at: c.expiresAt,
      })
      .execute()
  }

  async take(key: {
    serviceId: string
    ceremony: PasskeyCeremony
    challenge: string
    entityId?: string
  }): Promise<PasskeyChallengeRecord | undefined> {
    // One statement that deletes and returns: of two callers answering the same challenge, only
    // the one whose DELETE removed the row gets it back.
    let q = this.db
      .deleteFrom('passkey_challenges')
      .where('challenge', '=', key.challenge)
      .where('service_id', '=', key.serviceId)
      .where('ceremony', '=', key.ceremony)
    if (key.entityId !== undefined) q = q.where('entity_id', '=', key.entityId)
    const row = await q.returningAll().executeTakeFirst()
    return row && toPasskeyChallenge(row)
  }

  async deleteExpired(now: number): Promise<number> {
    const res = await this.db
      .deleteFrom('passkey_challenges')
      .where('expires_at', '<=', now)
      .executeTakeFirst()
    return Number(res.numDeletedRows)
  }
}
