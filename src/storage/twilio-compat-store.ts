/** @module KyselyTwilioCompatStore: the Twilio facade's own rows (TOTP defaults, rate limits, challenges). */
import type { Kysely, Selectable } from 'kysely'
import type {
  Challenge,
  ChallengeDetails,
  InsertOutcome,
  RateLimit,
  RateLimitBucket,
  StoredChallengeStatus,
  TwilioCompatStore,
  TwilioServiceSettings,
} from '../twilio-compat/store.js'
import type {
  Database,
  TwilioChallengeTable,
  TwilioRateLimitBucketTable,
  TwilioRateLimitTable,
} from './schema.js'

function toRateLimit(r: Selectable<TwilioRateLimitTable>): RateLimit {
  return {
    sid: r.sid,
    serviceId: r.service_id,
    uniqueName: r.unique_name,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toBucket(r: Selectable<TwilioRateLimitBucketTable>): RateLimitBucket {
  return {
    sid: r.sid,
    rateLimitSid: r.rate_limit_sid,
    serviceId: r.service_id,
    max: r.max,
    intervalSeconds: r.interval_seconds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T)
}

function toChallenge(r: Selectable<TwilioChallengeTable>): Challenge {
  return {
    sid: r.sid,
    serviceId: r.service_id,
    identity: r.identity,
    factorId: r.factor_id,
    factorSid: r.factor_sid,
    status: r.status as StoredChallengeStatus,
    details: parseJson<ChallengeDetails>(r.details),
    hiddenDetails: parseJson<Record<string, unknown>>(r.hidden_details),
    metadata: parseJson<Record<string, unknown>>(r.metadata),
    expiresAt: r.expires_at,
    respondedAt: r.responded_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value))

export class KyselyTwilioCompatStore implements TwilioCompatStore {
  constructor(private readonly db: Kysely<Database>) {}

  async getSettings(serviceId: string): Promise<TwilioServiceSettings | undefined> {
    const r = await this.db
      .selectFrom('twilio_service_settings')
      .selectAll()
      .where('service_id', '=', serviceId)
      .executeTakeFirst()
    return (
      r && {
        serviceId: r.service_id,
        totpIssuer: r.totp_issuer,
        totpTimeStep: r.totp_time_step,
        totpCodeLength: r.totp_code_length,
        totpSkew: r.totp_skew,
        psd2Enabled: r.psd2_enabled === 1,
        customCodeEnabled: r.custom_code_enabled === 1,
        resendCooldown: r.resend_cooldown === 1,
        updatedAt: r.updated_at,
      }
    )
  }

  async putSettings(s: TwilioServiceSettings): Promise<void> {
    const values = {
      totp_issuer: s.totpIssuer,
      totp_time_step: s.totpTimeStep,
      totp_code_length: s.totpCodeLength,
      totp_skew: s.totpSkew,
      psd2_enabled: s.psd2Enabled ? 1 : 0,
      custom_code_enabled: s.customCodeEnabled ? 1 : 0,
      resend_cooldown: s.resendCooldown ? 1 : 0,
      updated_at: s.updatedAt,
    }
    await this.db
      .insertInto('twilio_service_settings')
      .values({ service_id: s.serviceId, ...values })
      .onConflict((oc) => oc.column('service_id').doUpdateSet(values))
      .execute()
  }

  async insertRateLimit(r: RateLimit): Promise<InsertOutcome> {
    try {
      await this.db
        .insertInto('twilio_rate_limits')
        .values({
          sid: r.sid,
          service_id: r.serviceId,
          unique_name: r.uniqueName,
          description: r.description,
          created_at: r.createdAt,
          updated_at: r.updatedAt,
        })
        .execute()
      return 'ok'
    } catch (err) {
      // The unique index decides, so two racing creates cannot both win; tell a clash from a failure.
      const clash = await this.db
        .selectFrom('twilio_rate_limits')
        .select('sid')
        .where('service_id', '=', r.serviceId)
        .where('unique_name', '=', r.uniqueName)
        .executeTakeFirst()
      if (clash) return 'duplicate'
      throw err
    }
  }

  async getRateLimit(serviceId: string, sid: string): Promise<RateLimit | undefined> {
    const r = await this.db
      .selectFrom('twilio_rate_limits')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('sid', '=', sid)
      .executeTakeFirst()
    return r && toRateLimit(r)
  }

  async listRateLimits(serviceId: string): Promise<RateLimit[]> {
    const rows = await this.db
      .selectFrom('twilio_rate_limits')
      .selectAll()
      .where('service_id', '=', serviceId)
      .orderBy('created_at')
      .orderBy('sid')
      .execute()
    return rows.map(toRateLimit)
  }

  async updateRateLimit(r: RateLimit): Promise<boolean> {
    const res = await this.db
      .updateTable('twilio_rate_limits')
      .set({ description: r.description, updated_at: r.updatedAt })
      .where('service_id', '=', r.serviceId)
      .where('sid', '=', r.sid)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  async deleteRateLimit(serviceId: string, sid: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('twilio_rate_limit_buckets')
        .where('rate_limit_sid', '=', sid)
        .where('service_id', '=', serviceId)
        .execute()
      const res = await trx
        .deleteFrom('twilio_rate_limits')
        .where('service_id', '=', serviceId)
        .where('sid', '=', sid)
        .executeTakeFirst()
      return Number(res.numDeletedRows) === 1
    })
  }

  async insertBucket(b: RateLimitBucket): Promise<InsertOutcome> {
    try {
      await this.db
        .insertInto('twilio_rate_limit_buckets')
        .values({
          sid: b.sid,
          rate_limit_sid: b.rateLimitSid,
          service_id: b.serviceId,
          max: b.max,
          interval_seconds: b.intervalSeconds,
          created_at: b.createdAt,
          updated_at: b.updatedAt,
        })
        .execute()
      return 'ok'
    } catch (err) {
      if (await this.intervalTaken(b)) return 'duplicate'
      throw err
    }
  }

  private async intervalTaken(b: RateLimitBucket): Promise<boolean> {
    const clash = await this.db
      .selectFrom('twilio_rate_limit_buckets')
      .select('sid')
      .where('rate_limit_sid', '=', b.rateLimitSid)
      .where('interval_seconds', '=', b.intervalSeconds)
      .where('sid', '!=', b.sid)
      .executeTakeFirst()
    return clash !== undefined
  }

  async getBucket(rateLimitSid: string, sid: string): Promise<RateLimitBucket | undefined> {
    const r = await this.db
      .selectFrom('twilio_rate_limit_buckets')
      .selectAll()
      .where('rate_limit_sid', '=', rateLimitSid)
      .where('sid', '=', sid)
      .executeTakeFirst()
    return r && toBucket(r)
  }

  async listBuckets(rateLimitSid: string): Promise<RateLimitBucket[]> {
    const rows = await this.db
      .selectFrom('twilio_rate_limit_buckets')
      .selectAll()
      .where('rate_limit_sid', '=', rateLimitSid)
      .orderBy('created_at')
      .orderBy('sid')
      .execute()
    return rows.map(toBucket)
  }

  async updateBucket(b: RateLimitBucket): Promise<InsertOutcome> {
    try {
      await this.db
        .updateTable('twilio_rate_limit_buckets')
        .set({ max: b.max, interval_seconds: b.intervalSeconds, updated_at: b.updatedAt })
        .where('rate_limit_sid', '=', b.rateLimitSid)
        .where('sid', '=', b.sid)
        .execute()
      return 'ok'
    } catch (err) {
      if (await this.intervalTaken(b)) return 'duplicate'
      throw err
    }
  }

  async deleteBucket(rateLimitSid: string, sid: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('twilio_rate_limit_buckets')
      .where('rate_limit_sid', '=', rateLimitSid)
      .where('sid', '=', sid)
      .executeTakeFirst()
    return Number(res.numDeletedRows) === 1
  }

  async insertChallenge(c: Challenge): Promise<void> {
    await this.db
      .insertInto('twilio_challenges')
      .values({
        sid: c.sid,
        service_id: c.serviceId,
        identity: c.identity,
        factor_id: c.factorId,
        factor_sid: c.factorSid,
        status: c.status,
        details: json(c.details),
        hidden_details: json(c.hiddenDetails),
        metadata: json(c.metadata),
        expires_at: c.expiresAt,
        responded_at: c.respondedAt,
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      })
      .execute()
  }

  async getChallenge(serviceId: string, identity: string, sid: string): Promise<Challenge | undefined> {
    const r = await this.db
      .selectFrom('twilio_challenges')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('identity', '=', identity)
      .where('sid', '=', sid)
      .executeTakeFirst()
    return r && toChallenge(r)
  }

  async listChallenges(
    serviceId: string,
    identity: string,
    opts: {
      readonly now: number
      readonly limit: number
      readonly after?: string | undefined
      readonly factorSid?: string | undefined
      readonly status?: 'pending' | 'approved' | 'expired' | undefined
    },
  ): Promise<Challenge[]> {
    let q = this.db
      .selectFrom('twilio_challenges')
      .selectAll()
      .where('service_id', '=', serviceId)
      .where('identity', '=', identity)
      .orderBy('sid')
      .limit(opts.limit)
    if (opts.after) q = q.where('sid', '>', opts.after)
    if (opts.factorSid) q = q.where('factor_sid', '=', opts.factorSid)
    if (opts.status === 'approved') q = q.where('status', '=', 'approved')
    if (opts.status === 'pending') q = q.where('status', '=', 'pending').where('expires_at', '>', opts.now)
    if (opts.status === 'expired') q = q.where('status', '=', 'pending').where('expires_at', '<=', opts.now)
    return (await q.execute()).map(toChallenge)
  }

  async approveChallenge(sid: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('twilio_challenges')
      .set({ status: 'approved', responded_at: now, updated_at: now })
      .where('sid', '=', sid)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }
}
