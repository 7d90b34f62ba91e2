/** @module KyselyClientSessionStore: client sessions, with only the hash of each token's secret. */
import type { Kysely, Selectable } from 'kysely'
import { type Channel, isChannel } from '../channels/channel.js'
import {
  type ClientResultFactor,
  type ClientSession,
  type ClientSessionStore,
  isClientResultFactor,
} from '../client/client-session.js'
import type { ClientSessionTable, Database } from './schema.js'

function toClientSession(r: Selectable<ClientSessionTable>): ClientSession {
  return {
    id: r.id,
    serviceId: r.service_id,
    secretHash: r.secret_hash,
    entityId: r.entity_id,
    verificationId: r.verification_id,
    ownsVerification: Number(r.owns_verification) === 1,
    locale: r.locale,
    defaultCountry: r.default_country,
    prefillTo: r.prefill_to,
    prefillChannel:
      r.prefill_channel !== null && isChannel(r.prefill_channel) ? (r.prefill_channel as Channel) : null,
    allowEnrolment: Number(r.allow_enrolment) === 1,
    resultFactor: r.result_factor !== null && isClientResultFactor(r.result_factor) ? r.result_factor : null,
    resultAt: r.result_at === null ? null : Number(r.result_at),
    expiresAt: Number(r.expires_at),
    createdAt: Number(r.created_at),
  }
}

export class KyselyClientSessionStore implements ClientSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: ClientSession): Promise<void> {
    await this.db
      .insertInto('client_sessions')
      .values({
        id: s.id,
        service_id: s.serviceId,
        secret_hash: s.secretHash,
        entity_id: s.entityId,
        verification_id: s.verificationId,
        owns_verification: s.ownsVerification ? 1 : 0,
        locale: s.locale,
        default_country: s.defaultCountry,
        prefill_to: s.prefillTo,
        prefill_channel: s.prefillChannel,
        allow_enrolment: s.allowEnrolment ? 1 : 0,
        result_factor: s.resultFactor,
        result_at: s.resultAt,
        expires_at: s.expiresAt,
        created_at: s.createdAt,
      })
      .execute()
  }

  async get(id: string): Promise<ClientSession | undefined> {
    const row = await this.db
      .selectFrom('client_sessions')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toClientSession(row)
  }

  async findStarter(verificationId: string): Promise<ClientSession | undefined> {
    const row = await this.db
      .selectFrom('client_sessions')
      .selectAll()
      .where('verification_id', '=', verificationId)
      .where('owns_verification', '=', 1)
      .executeTakeFirst()
    return row && toClientSession(row)
  }

  async setVerification(id: string, verificationId: string, owned: boolean): Promise<void> {
    await this.db
      .updateTable('client_sessions')
      .set({ verification_id: verificationId, owns_verification: owned ? 1 : 0 })
      .where('id', '=', id)
      .execute()
  }

  async setResult(id: string, factor: ClientResultFactor, at: number): Promise<boolean> {
    // First approval wins: a later factor must not rewrite what the app's server may already have read.
    const res = await this.db
      .updateTable('client_sessions')
      .set({ result_factor: factor, result_at: at })
      .where('id', '=', id)
      .where('result_factor', 'is', null)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  async deleteExpired(before: number, limit: number): Promise<number> {
    const res = await this.db
      .deleteFrom('client_sessions')
      .where('id', 'in', (qb) =>
        qb.selectFrom('client_sessions').select('id').where('expires_at', '<', before).limit(limit),
      )
      .executeTakeFirst()
    return Number(res.numDeletedRows)
  }
}
