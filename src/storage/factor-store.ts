/** @module KyselyTotpFactorStore: TOTP factors with their replay and lockout state, on either dialect. */
import type { Kysely, Selectable } from 'kysely'
import type { FactorStatus } from '../factors/factors.js'
import type { TotpAlgorithm, TotpFactorRecord, TotpFactorStore } from '../factors/store.js'
import type { Database, TotpFactorTable } from './schema.js'

export function toTotpFactor(r: Selectable<TotpFactorTable>): TotpFactorRecord {
  return {
    id: r.id,
    serviceId: r.service_id,
    entityId: r.entity_id,
    friendlyName: r.friendly_name,
    status: r.status as FactorStatus,
    issuer: r.issuer,
    algorithm: r.algorithm as TotpAlgorithm,
    digits: r.digits,
    periodSeconds: r.period_seconds,
    skew: r.skew,
    secretCiphertext: r.secret_ciphertext,
    lastUsedStep: r.last_used_step === null ? null : Number(r.last_used_step),
    failedAttempts: r.failed_attempts,
    lockCount: r.lock_count,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function fromTotpFactor(f: TotpFactorRecord): Selectable<TotpFactorTable> {
  return {
    id: f.id,
    service_id: f.serviceId,
    entity_id: f.entityId,
    friendly_name: f.friendlyName,
    status: f.status,
    issuer: f.issuer,
    algorithm: f.algorithm,
    digits: f.digits,
    period_seconds: f.periodSeconds,
    skew: f.skew,
    secret_ciphertext: f.secretCiphertext,
    last_used_step: f.lastUsedStep,
    failed_attempts: f.failedAttempts,
    lock_count: f.lockCount,
    locked_until: f.lockedUntil,
    created_at: f.createdAt,
    updated_at: f.updatedAt,
  }
}

export class KyselyTotpFactorStore implements TotpFactorStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(factor: TotpFactorRecord): Promise<void> {
    await this.db.insertInto('totp_factors').values(fromTotpFactor(factor)).execute()
  }

  async get(serviceId: string, entityId: string, factorId: string): Promise<TotpFactorRecord | undefined> {
    const row = await this.db
      .selectFrom('totp_factors')
      .selectAll()
      .where('id', '=', factorId)
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .executeTakeFirst()
    return row && toTotpFactor(row)
  }

  async list(serviceId: string, entityId: string): Promise<TotpFactorRecord[]> {
    const rows = await this.db
      .selectFrom('totp_factors')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toTotpFactor)
  }

  async delete(serviceId: string, entityId: string, factorId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('totp_factors')
      .where('id', '=', factorId)
      .where('service_id', '=', serviceId)
      .where('entity_id', '=', entityId)
      .executeTakeFirst()
    return Number(res.numDeletedRows) === 1
  }

  async countAttempt(
    factorId: string,
    now: number,
    maxAttempts: number,
  ): Promise<TotpFactorRecord | undefined> {
    // Counted in its own statement before any comparison (as for verifications): a flood of
    // parallel guesses can never get more than `maxAttempts` compared per round.
    const row = await this.db
      .updateTable('totp_factors')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), updated_at: now }))
      .where('id', '=', factorId)
      .where('failed_attempts', '<', maxAttempts)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst()
    return row && toTotpFactor(row)
  }

  async lock(factorId: string, now: number, lockedUntil: number, maxAttempts: number): Promise<boolean> {
    const res = await this.db
      .updateTable('totp_factors')
      .set((eb) => ({
        locked_until: lockedUntil,
        lock_count: eb('lock_count', '+', 1),
        failed_attempts: 0,
        updated_at: now,
      }))
      .where('id', '=', factorId)
      .where('failed_attempts', '>=', maxAttempts)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  async acceptStep(
    factorId: string,
    step: number,
    now: number,
    markVerified: boolean,
  ): Promise<TotpFactorRecord | undefined> {
    // `last_used_step < step` is the compare-and-set: of two callers with the same code, one
    // changes the row and the other sees a replay.
    const row = await this.db
      .updateTable('totp_factors')
      .set({
        last_used_step: step,
        failed_attempts: 0,
        lock_count: 0,
        locked_until: null,
        updated_at: now,
        ...(markVerified ? { status: 'verified' } : {}),
      })
      .where('id', '=', factorId)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
      .returningAll()
      .executeTakeFirst()
    return row && toTotpFactor(row)
  }
}
