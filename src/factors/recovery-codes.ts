/**
 * @module RecoveryCodes: ten single-use codes per entity for when the authenticator is lost. Shown
 * once at generation, stored only as keyed HMACs bound to service and entity, consumed atomically.
 */
import { randomInt } from 'node:crypto'
import { AppError } from '../errors/app-error.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Service } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import type { RecoveryCodeRecord, RecoveryCodeStore } from './store.js'

/** Codes per set. */
export const RECOVERY_CODE_COUNT = 10

/**
 * No 0/o, 1/i/l, and no u (fewer accidental words): 30 symbols people read back without doubt.
 * Twelve of them carry log2(30^12) ≈ 58.9 bits, so guessing any of ten codes online is hopeless.
 */
export const RECOVERY_CODE_ALPHABET = '23456789abcdefghjkmnpqrstvwxyz'
const GROUPS = [4, 4, 4] as const
const CODE_LENGTH = GROUPS.reduce((a, b) => a + b, 0)
const SHAPE = new RegExp(`^[${RECOVERY_CODE_ALPHABET}]{${CODE_LENGTH}}$`)

export interface RecoveryCodeStatus {
  /** Codes in the current set (0 when none was ever generated). */
  readonly total: number
  /** Codes not used yet. */
  readonly remaining: number
  readonly used: number
  /** When the current set was generated, or null when there is none. */
  readonly generatedAt: number | null
}

export interface RecoveryCodesDeps {
  readonly store: RecoveryCodeStore
  readonly keyring: Keyring
  readonly clock: Clock
  /** Service lookup (the `ServiceDirectory`): codes are only generated for an existing service. */
  readonly services: { get(id: string): Promise<Service | undefined> }
}

/** A fresh code, `xxxx-xxxx-xxxx`, from the CSPRNG (`randomInt` is unbiased). */
export function newRecoveryCode(): string {
  const groups = GROUPS.map((n) => {
    let g = ''
    for (let i = 0; i < n; i++) g += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)]
    return g
  })
  return groups.join('-')
}

/** Lower case without spaces or dashes, or undefined when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const compact = input.replace(/[\s-]+/g, '').toLowerCase()
  return SHAPE.test(compact) ? compact : undefined
}

export class RecoveryCodes {
  constructor(private readonly deps: RecoveryCodesDeps) {}

  /**
   * Generates a new set of ten codes and revokes the previous set (used or not). The plain codes
   * exist only in the return value.
   * @throws AppError SERVICE_NOT_FOUND
   */
  async generate(serviceId: string, entityId: string): Promise<{ codes: string[]; generatedAt: number }> {
    const service = await this.deps.services.get(serviceId)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
    const now = this.deps.clock.now()
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
    const records: RecoveryCodeRecord[] = codes.map((code, slot) => ({
      serviceId,
      entityId,
      slot,
      codeHmac: this.deps.keyring.sign(hmacMessage(serviceId, entityId, normalizeRecoveryCode(code)!)),
      createdAt: now,
      usedAt: null,
    }))
    await this.deps.store.replaceSet(serviceId, entityId, records)
    return { codes, generatedAt: now }
  }

  /**
   * Consumes one unused code of the entity. Of concurrent uses of the same code exactly one
   * succeeds.
   * @returns the number of unused codes left
   * @throws AppError RECOVERY_CODE_INCORRECT (wrong, used, revoked or malformed)
   */
  async use(serviceId: string, entityId: string, code: string): Promise<{ remaining: number }> {
    const normalized = normalizeRecoveryCode(code)
    const rows = await this.deps.store.list(serviceId, entityId)
    // The HMAC is keyed and each stored value names its key, so codes made before a key rotation
    // still verify. With at most ten rows, checking each one in constant time is cheap.
    const message = normalized === undefined ? undefined : hmacMessage(serviceId, entityId, normalized)
    const match =
      message === undefined
        ? undefined
        : rows.find((r) => r.usedAt === null && this.deps.keyring.verify(message, r.codeHmac))
    const now = this.deps.clock.now()
    if (!match || !(await this.deps.store.markUsed(serviceId, entityId, match.slot, match.codeHmac, now))) {
      throw new AppError('RECOVERY_CODE_INCORRECT', {
        message: 'This recovery code does not match an unused recovery code. Each code works once.',
      })
    }
    return { remaining: (await this.status(serviceId, entityId)).remaining }
  }

  /** Counts only; the codes themselves are never readable again. */
  async status(serviceId: string, entityId: string): Promise<RecoveryCodeStatus> {
    const rows = await this.deps.store.list(serviceId, entityId)
    const used = rows.filter((r) => r.usedAt !== null).length
    return {
      total: rows.length,
      remaining: rows.length - used,
      used,
      generatedAt: rows.length === 0 ? null : Math.min(...rows.map((r) => r.createdAt)),
    }
  }
}

/** JSON keeps the parts apart: an entity id containing ":" cannot collide with another binding. */
function hmacMessage(serviceId: string, entityId: string, normalizedCode: string): string {
  return JSON.stringify(['verigate/recovery-code', serviceId, entityId, normalizedCode])
}
