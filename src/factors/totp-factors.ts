/**
 * @module TotpFactors: authenticator-app factors (RFC 6238 TOTP, SHA1, 6 digits, 30 s by default).
 * Secrets are encrypted at rest with the keyring; each time step is accepted once (compare-and-set on
 * the last used step); wrong codes in a row lock the factor for a doubling period.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { HOTP, Secret, TOTP } from 'otpauth'
import { AppError } from '../errors/app-error.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Service } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import type { ChallengeResult, TotpEnrolment, TotpFactor, TotpFactorsApi } from './factors.js'
import type { TotpFactorRecord, TotpFactorStore } from './store.js'

/** Limits on what `enrol` accepts, and the defaults. */
export const TOTP_DEFAULTS = {
  digits: 6,
  periodSeconds: 30,
  skew: 1,
  /** 160 bits, the HMAC-SHA1 block-size recommendation of RFC 4226 §4. */
  secretBytes: 20,
} as const

const LIMITS = {
  digits: [6, 8],
  periodSeconds: [15, 120],
  // More than two steps either side makes five codes good at once and weakens the lockout maths.
  skew: [0, 2],
  friendlyName: 64,
  issuer: 64,
} as const

export interface TotpFactorsConfig {
  /** Wrong codes in a row before the factor locks. @default 5 */
  readonly maxFailedAttempts?: number
  /** Length of the first lock; each further lock without a success in between doubles it. @default 30_000 */
  readonly lockBaseMs?: number
  /**
   * Longest lock. With 5 tries per lock and 3 good codes (skew 1) out of 10^6, an attacker stuck at
   * one-hour locks has about a 0.04 % chance per day. @default 3_600_000
   */
  readonly lockMaxMs?: number
}

export interface TotpFactorsDeps {
  readonly store: TotpFactorStore
  readonly keyring: Keyring
  readonly clock: Clock
  /** Service lookup (the `ServiceDirectory`): enrolment needs an existing service and its name as the default issuer. */
  readonly services: { get(id: string): Promise<Service | undefined> }
  /** Source of secret bytes; tests inject the RFC 6238 secret. @default crypto.randomBytes */
  readonly randomSecret?: (bytes: number) => Uint8Array
}

/**
 * The TOTP code of `secret` (base32) at `timestampMs`. Exposed for tests and tools; the domain
 * compares through `matchingSteps`.
 */
export function totpCode(
  secret: string,
  timestampMs: number,
  opts: { digits?: number; periodSeconds?: number } = {},
): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: opts.digits ?? TOTP_DEFAULTS.digits,
    period: opts.periodSeconds ?? TOTP_DEFAULTS.periodSeconds,
    timestamp: timestampMs,
  })
}

/** `fac_` + 24 base32 characters: its millisecond, then 75 random bits (`newId`). */
export function newFactorId(): string {
  return newId('factor')
}

export class TotpFactors implements TotpFactorsApi {
  private readonly maxFailedAttempts: number
  private readonly lockBaseMs: number
  private readonly lockMaxMs: number

  constructor(
    private readonly deps: TotpFactorsDeps,
    config: TotpFactorsConfig = {},
  ) {
    this.maxFailedAttempts = config.maxFailedAttempts ?? 5
    this.lockBaseMs = config.lockBaseMs ?? 30_000
    this.lockMaxMs = config.lockMaxMs ?? 3_600_000
  }

  /**
   * Creates an unverified factor with a fresh 160-bit secret, stored encrypted.
   * @throws AppError SERVICE_NOT_FOUND, VALIDATION_FAILED
   */
  async enrol(input: Parameters<TotpFactorsApi['enrol']>[0]): Promise<TotpEnrolment> {
    const service = await this.deps.services.get(input.serviceId)
    if (!service)
      throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${input.serviceId}".` })
    const friendlyName = input.friendlyName.trim()
    if (friendlyName.length === 0 || friendlyName.length > LIMITS.friendlyName) {
      throw invalid('friendly_name', `friendly_name must be 1 to ${LIMITS.friendlyName} characters.`)
    }
    // The URI label is `issuer:entity`, so a colon in the issuer would move the split.
    const issuer = (input.issuer ?? service.brandName ?? service.name).replaceAll(':', ' ').trim()
    if (issuer.length === 0 || issuer.length > LIMITS.issuer) {
      throw invalid('issuer', `issuer must be 1 to ${LIMITS.issuer} characters, without ":".`)
    }
    const digits = inRange('digits', input.digits ?? TOTP_DEFAULTS.digits, LIMITS.digits)
    const periodSeconds = inRange(
      'period_seconds',
      input.periodSeconds ?? TOTP_DEFAULTS.periodSeconds,
      LIMITS.periodSeconds,
    )
    const skew = inRange('skew', input.skew ?? TOTP_DEFAULTS.skew, LIMITS.skew)

    const id = newFactorId()
    const bytes = (this.deps.randomSecret ?? randomBytes)(TOTP_DEFAULTS.secretBytes)
    const secret = new Secret({ buffer: Uint8Array.from(bytes).buffer }).base32
    const now = this.deps.clock.now()
    const record: TotpFactorRecord = {
      id,
      serviceId: input.serviceId,
      entityId: input.entityId,
      friendlyName,
      status: 'unverified',
      issuer,
      algorithm: 'SHA1',
      digits,
      periodSeconds,
      skew,
      // The factor id as AAD: a ciphertext copied onto another factor's row does not decrypt.
      secretCiphertext: this.deps.keyring.encrypt(secret, id),
      lastUsedStep: null,
      failedAttempts: 0,
      lockCount: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    }
    await this.deps.store.insert(record)
    return { factor: publicFactor(record), secret, uri: otpauthUri(record, secret) }
  }

  /**
   * Checks a code and turns an unverified factor verified on the first good one. A verified
   * factor is simply challenged.
   * @throws AppError FACTOR_NOT_FOUND, CODE_MALFORMED, FACTOR_CODE_REUSED, FACTOR_LOCKED
   */
  verify(serviceId: string, entityId: string, factorId: string, code: string): Promise<ChallengeResult> {
    return this.check(serviceId, entityId, factorId, code, 'verify')
  }

  /**
   * Checks a code against a verified factor.
   * @throws AppError FACTOR_NOT_FOUND, FACTOR_NOT_VERIFIED, CODE_MALFORMED, FACTOR_CODE_REUSED, FACTOR_LOCKED
   */
  challenge(serviceId: string, entityId: string, factorId: string, code: string): Promise<ChallengeResult> {
    return this.check(serviceId, entityId, factorId, code, 'challenge')
  }

  async get(serviceId: string, entityId: string, factorId: string): Promise<TotpFactor | undefined> {
    const record = await this.deps.store.get(serviceId, entityId, factorId)
    return record && publicFactor(record)
  }

  async list(serviceId: string, entityId: string): Promise<TotpFactor[]> {
    return (await this.deps.store.list(serviceId, entityId)).map(publicFactor)
  }

  async delete(serviceId: string, entityId: string, factorId: string): Promise<boolean> {
    return this.deps.store.delete(serviceId, entityId, factorId)
  }

  /**
   * The `otpauth://` URI again, for the QR code of an enrolment in progress. Once the factor is
   * verified the secret is never shown again.
   * @throws AppError FACTOR_NOT_FOUND, FACTOR_ALREADY_VERIFIED
   */
  async enrolmentUri(serviceId: string, entityId: string, factorId: string): Promise<string> {
    const record = await this.require(serviceId, entityId, factorId)
    if (record.status !== 'unverified') {
      throw new AppError('FACTOR_ALREADY_VERIFIED', {
        message:
          'This factor is verified, so its secret and QR code are no longer shown. Enrol a new factor for another device.',
      })
    }
    return otpauthUri(record, this.deps.keyring.decrypt(record.secretCiphertext, record.id))
  }

  private async check(
    serviceId: string,
    entityId: string,
    factorId: string,
    rawCode: string,
    mode: 'verify' | 'challenge',
  ): Promise<ChallengeResult> {
    const { store, clock, keyring } = this.deps
    const record = await this.require(serviceId, entityId, factorId)
    if (mode === 'challenge' && record.status !== 'verified') {
      throw new AppError('FACTOR_NOT_VERIFIED', {
        message: 'This factor has not been verified yet; send its first code to the verify endpoint.',
      })
    }
    // Apps show "123 456"; users paste it like that.
    const code = rawCode.replace(/\s+/g, '')
    if (code.length !== record.digits || !/^\d+$/.test(code)) {
      throw new AppError('CODE_MALFORMED', {
        message: `The code must be the ${record.digits} digits shown by the authenticator app.`,
        details: { code_length: record.digits },
      })
    }
    const now = clock.now()
    if (record.lockedUntil !== null && record.lockedUntil > now)
      throw this.lockedError(record.lockedUntil - now)

    const counted = await store.countAttempt(record.id, now, this.maxFailedAttempts)
    if (!counted) throw await this.refuseUncounted(serviceId, entityId, record.id, now)

    const steps = matchingSteps(keyring.decrypt(counted.secretCiphertext, counted.id), code, counted, now)
    const fresh = steps.filter((s) => counted.lastUsedStep === null || s > counted.lastUsedStep)
    if (fresh.length > 0) {
      // The oldest unused matching step: accepting a newer one would burn codes still to come.
      const accepted = await store.acceptStep(counted.id, Math.min(...fresh), now, mode === 'verify')
      if (accepted) return { status: 'approved', factor: publicFactor(accepted) }
    }

    // Wrong, or a replay (including losing the race for the same step): both used a try.
    const attemptsLeft = Math.max(0, this.maxFailedAttempts - counted.failedAttempts)
    const replay = steps.length > 0
    if (attemptsLeft === 0) {
      const after = await this.lockRound(counted, now)
      if (after === undefined) throw notFound(factorId)
      if (after.lockedUntil !== null && after.lockedUntil > now) {
        throw this.lockedError(after.lockedUntil - now, replay ? 'That code was already used' : 'Wrong code')
      }
      // A good code in flight reset the round meanwhile: report this try against the new round.
      return this.deny(replay, after, Math.max(0, this.maxFailedAttempts - after.failedAttempts))
    }
    return this.deny(replay, counted, attemptsLeft)
  }

  private deny(replay: boolean, record: TotpFactorRecord, attemptsLeft: number): ChallengeResult {
    if (replay) {
      throw new AppError('FACTOR_CODE_REUSED', {
        message: 'This code was already used. Wait for the authenticator app to show the next one.',
        details: { attempts_left: attemptsLeft },
      })
    }
    return { status: 'denied', factor: publicFactor(record), attemptsLeft }
  }

  /** Locks the round that just used its last try (or finds who did), then re-reads the row. */
  private async lockRound(record: TotpFactorRecord, now: number): Promise<TotpFactorRecord | undefined> {
    await this.deps.store.lock(
      record.id,
      now,
      now + this.lockDurationMs(record.lockCount),
      this.maxFailedAttempts,
    )
    return this.deps.store.get(record.serviceId, record.entityId, record.id)
  }

  /** The try could not be counted: locked, or the round's last try is still being decided. */
  private async refuseUncounted(
    serviceId: string,
    entityId: string,
    factorId: string,
    now: number,
  ): Promise<AppError> {
    const row = await this.deps.store.get(serviceId, entityId, factorId)
    if (!row) return notFound(factorId)
    if (row.lockedUntil !== null && row.lockedUntil > now) return this.lockedError(row.lockedUntil - now)
    // Tries used up but no lock: the deciding try is in flight, or its process died before locking.
    // Locking here heals the second case; a good code in flight clears the lock when it lands.
    const after = await this.lockRound(row, now)
    if (after?.lockedUntil != null && after.lockedUntil > now)
      return this.lockedError(after.lockedUntil - now)
    return this.lockedError(1000)
  }

  private lockDurationMs(lockCount: number): number {
    return Math.min(this.lockMaxMs, this.lockBaseMs * 2 ** Math.min(lockCount, 30))
  }

  private lockedError(retryAfterMs: number, prefix?: string): AppError {
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
    const why = `${prefix ? `${prefix}, and too` : 'Too'} many wrong codes were tried in a row`
    return new AppError('FACTOR_LOCKED', {
      message: `${why}; this factor is locked. Try again in ${retryAfter} s, or use a recovery code.`,
      details: { limit: 'factor_wrong_codes', retry_after: retryAfter },
      headers: { 'retry-after': String(retryAfter) },
    })
  }

  private async require(serviceId: string, entityId: string, factorId: string): Promise<TotpFactorRecord> {
    const record = await this.deps.store.get(serviceId, entityId, factorId)
    if (!record) throw notFound(factorId)
    return record
  }
}

/**
 * The time steps within ±skew of `now` whose code equals `code`. Every candidate is computed and
 * compared in constant time, so the answer's timing says nothing about which step matched.
 */
function matchingSteps(secret: string, code: string, factor: TotpFactorRecord, now: number): number[] {
  const key = Secret.fromBase32(secret)
  const current = Math.floor(now / 1000 / factor.periodSeconds)
  const given = Buffer.from(code)
  const matches: number[] = []
  for (let step = current - factor.skew; step <= current + factor.skew; step++) {
    if (step < 0) continue
    const expected = Buffer.from(
      HOTP.generate({ secret: key, algorithm: factor.algorithm, digits: factor.digits, counter: step }),
    )
    if (expected.length === given.length && timingSafeEqual(expected, given)) matches.push(step)
  }
  return matches
}

function otpauthUri(factor: TotpFactorRecord, secret: string): string {
  return new TOTP({
    issuer: factor.issuer,
    label: factor.entityId,
    secret: Secret.fromBase32(secret),
    algorithm: factor.algorithm,
    digits: factor.digits,
    period: factor.periodSeconds,
  }).toString()
}

/** Copies only the public fields, so the ciphertext and lockout state can never leak by spreading. */
function publicFactor(r: TotpFactorRecord): TotpFactor {
  return {
    id: r.id,
    serviceId: r.serviceId,
    entityId: r.entityId,
    friendlyName: r.friendlyName,
    status: r.status,
    issuer: r.issuer,
    digits: r.digits,
    periodSeconds: r.periodSeconds,
    skew: r.skew,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}

function notFound(factorId: string): AppError {
  return new AppError('FACTOR_NOT_FOUND', { message: `No factor "${factorId}" for this service and entity.` })
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { message, details: { field, location: 'body' } })
}

function inRange(field: string, value: number, [min, max]: readonly [number, number]): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw invalid(field, `${field} must be an integer from ${min} to ${max}.`)
  return value
}
