/**
 * @module Passkeys: WebAuthn registration and authentication ceremonies (via @simplewebauthn/server).
 * Challenges are kept server-side, bound to service, ceremony and entity, short-lived and single-use;
 * each passkey's signature counter only moves forward, and a counter that does not is refused as a
 * possible clone.
 */
import { randomBytes } from 'node:crypto'
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { AppError } from '../errors/app-error.js'
import type { Service } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import type {
  PasskeyCeremony,
  PasskeyChallengeRecord,
  PasskeyChallengeStore,
  PasskeyDeviceType,
  PasskeyRecord,
  PasskeyStore,
} from './passkey-store.js'

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
}

/** A passkey as shown to apps: never the public key, user handle or counter. */
export interface Passkey {
  /** The credential id (base64url). */
  readonly id: string
  readonly serviceId: string
  readonly entityId: string
  readonly friendlyName: string
  readonly transports: readonly string[]
  /** Authenticator model GUID; all zeros when the authenticator does not say (attestation `none`). */
  readonly aaguid: string
  readonly deviceType: PasskeyDeviceType
  readonly backedUp: boolean
  readonly createdAt: number
  readonly lastUsedAt: number | null
}

export interface PasskeyAuthentication {
  readonly passkey: Passkey
  /** Whether the authenticator verified the user (biometric or PIN), not only their presence. */
  readonly userVerified: boolean
}

/** The `webauthn` block of the configuration. */
export interface PasskeysConfig {
  /** Relying-party id (a domain). @default 'localhost' */
  readonly rpId: string
  /** Shown by passkey managers. @default the service's brand name, else its name */
  readonly rpName?: string | undefined
  /** Origins the browser may report. @default ['http://localhost:8080', 'http://127.0.0.1:8080'] */
  readonly origins: readonly string[]
  /** Lifetime of a challenge, also sent as the ceremony `timeout`. @default 300 */
  readonly challengeTtlSeconds: number
  /** `required` refuses ceremonies without user verification. @default 'required' */
  readonly userVerification: 'required' | 'preferred'
}

export interface PasskeysDeps {
  readonly store: PasskeyStore
  readonly challenges: PasskeyChallengeStore
  readonly clock: Clock
  /** Service lookup (the `ServiceDirectory`): ceremonies need an existing service (and its name). */
  readonly services: { get(id: string): Promise<Service | undefined> }
  /** Told about refused counters (possible clones). */
  readonly logger?: { warn(obj: object, msg: string): void }
}

const LIMITS = { userName: 64, displayName: 64, friendlyName: 64 } as const
/** Abandoned challenges are purged at most this often (per process), from the start calls. */
const PURGE_INTERVAL_MS = 60_000

export class Passkeys {
  private lastPurge = Number.NEGATIVE_INFINITY

  constructor(
    private readonly deps: PasskeysDeps,
    private readonly config: PasskeysConfig,
  ) {}

  /**
   * Options for `navigator.credentials.create()` (hand them to `@simplewebauthn/browser`
   * `startRegistration({ optionsJSON })`). The entity's existing passkeys are excluded, so the same
   * authenticator is not registered twice; an entity may have several passkeys.
   * @throws AppError SERVICE_NOT_FOUND, VALIDATION_FAILED
   */
  async startRegistration(
    serviceId: string,
    entityId: string,
    input: { userName: string; displayName?: string | undefined },
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const service = await this.requireService(serviceId)
    const userName = bounded('user_name', input.userName, LIMITS.userName)
    const displayName =
      input.displayName === undefined
        ? userName
        : bounded('display_name', input.displayName, LIMITS.displayName)
    const existing = await this.deps.store.list(serviceId, entityId)
    // One random user handle per entity (never the entity id: the spec forbids personal data
    // there), so an authenticator replaces rather than piles up its passkeys for the same user.
    const userHandle = existing[0]?.userHandle ?? randomBytes(32).toString('base64url')
    const options = await generateRegistrationOptions({
      rpName: this.config.rpName ?? service.brandName ?? service.name,
      rpID: this.config.rpId,
      userName,
      userDisplayName: displayName,
      userID: bytes(userHandle),
      challenge: randomBytes(32),
      timeout: this.ttlMs,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: [...p.transports] })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: this.config.userVerification },
    })
    await this.saveChallenge(serviceId, 'registration', options.challenge, entityId, userHandle)
    return options
  }

  /**
   * Verifies the authenticator's answer to a registration challenge and stores the passkey.
   * @throws AppError PASSKEY_CHALLENGE_NOT_FOUND, PASSKEY_CHALLENGE_EXPIRED, PASSKEY_VERIFICATION_FAILED,
   *   PASSKEY_ALREADY_REGISTERED, VALIDATION_FAILED
   */
  async finishRegistration(
    serviceId: string,
    entityId: string,
    response: RegistrationResponseJSON,
    opts: { friendlyName?: string | undefined } = {},
  ): Promise<Passkey> {
    const friendlyName = bounded('friendly_name', opts.friendlyName ?? 'Passkey', LIMITS.friendlyName)
    const pending = await this.takeChallenge(serviceId, 'registration', response, entityId)
    let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: pending.challenge,
        expectedOrigin: [...this.config.origins],
        expectedRPID: this.config.rpId,
        requireUserVerification: this.config.userVerification === 'required',
      })
    } catch (err) {
      throw verificationFailed(err)
    }
    if (!verified.verified) throw verificationFailed()
    const info = verified.registrationInfo
    const record: PasskeyRecord = {
      id: info.credential.id,
      serviceId,
      entityId,
      // Set by startRegistration for every registration challenge.
      userHandle: pending.userHandle ?? randomBytes(32).toString('base64url'),
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: cleanTransports(response.response.transports ?? info.credential.transports ?? []),
      aaguid: info.aaguid,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      friendlyName,
      createdAt: this.deps.clock.now(),
      lastUsedAt: null,
    }
    if (!(await this.deps.store.insert(record))) {
      throw new AppError('PASSKEY_ALREADY_REGISTERED', {
        message: 'This passkey is already registered. The user can sign in with it as it is.',
      })
    }
    return publicPasskey(record)
  }

  /**
   * Options for `navigator.credentials.get()`. With `entityId`, only that entity's passkeys are
   * allowed; without, the sign-in is discoverable (the user picks a passkey and it names the entity).
   * @throws AppError SERVICE_NOT_FOUND, PASSKEY_NOT_FOUND (the entity has no passkey)
   */
  async startAuthentication(
    serviceId: string,
    entityId?: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    await this.requireService(serviceId)
    let allowCredentials: { id: string; transports: string[] }[] | undefined
    if (entityId !== undefined) {
      const existing = await this.deps.store.list(serviceId, entityId)
      if (existing.length === 0) {
        throw new AppError('PASSKEY_NOT_FOUND', {
          message: 'This entity has no passkey yet. Register one first, or offer another way to sign in.',
        })
      }
      allowCredentials = existing.map((p) => ({ id: p.id, transports: [...p.transports] }))
    }
    const options = await generateAuthenticationOptions({
      rpID: this.config.rpId,
      challenge: randomBytes(32),
      timeout: this.ttlMs,
      userVerification: this.config.userVerification,
      ...(allowCredentials ? { allowCredentials } : {}),
    })
    await this.saveChallenge(serviceId, 'authentication', options.challenge, entityId ?? null, null)
    return options
  }

  /**
   * Verifies the authenticator's answer to an authentication challenge: the signature, then the
   * counter, which must move forward unless the authenticator does not count (stays 0).
   * `opts.entityId` additionally requires the passkey to belong to that entity.
   * @throws AppError PASSKEY_CHALLENGE_NOT_FOUND, PASSKEY_CHALLENGE_EXPIRED, PASSKEY_NOT_FOUND,
   *   PASSKEY_VERIFICATION_FAILED, PASSKEY_COUNTER_INVALID
   */
  async finishAuthentication(
    serviceId: string,
    response: AuthenticationResponseJSON,
    opts: { entityId?: string | undefined } = {},
  ): Promise<PasskeyAuthentication> {
    const pending = await this.takeChallenge(serviceId, 'authentication', response)
    if (pending.entityId !== null && opts.entityId !== undefined && pending.entityId !== opts.entityId) {
      throw challengeNotFound()
    }
    const owner = pending.entityId ?? opts.entityId
    const passkey = await this.deps.store.get(serviceId, response.id)
    if (!passkey || (owner !== undefined && passkey.entityId !== owner)) throw passkeyNotFound()

    // A discoverable sign-in learns the user from the passkey, so the user handle must be there
    // and match (WebAuthn §7.2 step 6); when it is sent anyway, it must match too.
    const userHandle = response.response.userHandle
    if (userHandle !== undefined || pending.entityId === null) {
      if (typeof userHandle !== 'string' || !sameBytes(userHandle, passkey.userHandle)) {
        throw verificationFailed(new Error('The user handle does not match the passkey'))
      }
    }

    let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: pending.challenge,
        expectedOrigin: [...this.config.origins],
        expectedRPID: this.config.rpId,
        // Counter 0 turns the library's own counter check off: ours runs after the signature is
        // known to be good, so it can tell a clone apart from a forgery and name it.
        credential: {
          id: passkey.id,
          publicKey: bytes(passkey.publicKey),
          counter: 0,
          transports: [...passkey.transports],
        },
        requireUserVerification: this.config.userVerification === 'required',
      })
    } catch (err) {
      throw verificationFailed(err)
    }
    if (!verified.verified) throw verificationFailed()
    const info = verified.authenticationInfo

    if (!counterAdvances(passkey.counter, info.newCounter))
      throw this.counterInvalid(passkey, info.newCounter)
    const used = await this.deps.store.recordUse(
      passkey.id,
      info.newCounter,
      info.credentialBackedUp,
      this.deps.clock.now(),
    )
    if (!used) {
      // Deleted meanwhile, or another sign-in stored a counter at least as high first.
      const current = await this.deps.store.get(serviceId, passkey.id)
      if (!current) throw passkeyNotFound()
      throw this.counterInvalid(current, info.newCounter)
    }
    return { passkey: publicPasskey(used), userVerified: info.userVerified }
  }

  /** Oldest first. */
  async list(serviceId: string, entityId: string): Promise<Passkey[]> {
    return (await this.deps.store.list(serviceId, entityId)).map(publicPasskey)
  }

  /** True when the passkey existed for this entity and is gone now. */
  async delete(serviceId: string, entityId: string, credentialId: string): Promise<boolean> {
    return this.deps.store.delete(serviceId, entityId, credentialId)
  }

  private get ttlMs(): number {
    return this.config.challengeTtlSeconds * 1000
  }

  private async saveChallenge(
    serviceId: string,
    ceremony: PasskeyCeremony,
    challenge: string,
    entityId: string | null,
    userHandle: string | null,
  ): Promise<void> {
    const now = this.deps.clock.now()
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) {
      this.lastPurge = now
      await this.deps.challenges.deleteExpired(now)
    }
    await this.deps.challenges.insert({
      challenge,
      serviceId,
      ceremony,
      entityId,
      userHandle,
      createdAt: now,
      expiresAt: now + this.ttlMs,
    })
  }

  /** Reads the challenge the browser signed, and takes (deletes) the matching pending one. */
  private async takeChallenge(
    serviceId: string,
    ceremony: PasskeyCeremony,
    response: RegistrationResponseJSON | AuthenticationResponseJSON,
    entityId?: string,
  ): Promise<PasskeyChallengeRecord> {
    const challenge = signedChallenge(response)
    const pending = await this.deps.challenges.take({
      serviceId,
      ceremony,
      challenge,
      ...(entityId === undefined ? {} : { entityId }),
    })
    if (!pending) throw challengeNotFound()
    if (pending.expiresAt <= this.deps.clock.now()) {
      throw new AppError('PASSKEY_CHALLENGE_EXPIRED', {
        message: `The passkey challenge expired (it lasts ${this.config.challengeTtlSeconds} s). Ask for new options and try again.`,
      })
    }
    return pending
  }

  private counterInvalid(passkey: PasskeyRecord, received: number): AppError {
    this.deps.logger?.warn(
      {
        serviceId: passkey.serviceId,
        entityId: passkey.entityId,
        credentialId: passkey.id,
        stored: passkey.counter,
        received,
      },
      'passkey counter did not advance: possible cloned authenticator',
    )
    return new AppError('PASSKEY_COUNTER_INVALID', {
      message:
        "The authenticator's signature counter went backwards, which happens when a passkey has been copied. This sign-in is refused; use another factor.",
      details: { credential_id: passkey.id },
    })
  }

  private async requireService(serviceId: string): Promise<Service> {
    const service = await this.deps.services.get(serviceId)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
    return service
  }
}

/**
 * WebAuthn §6.1.1: once either counter is non-zero, the new one must be strictly greater. Both 0
 * is an authenticator that does not count (most synced passkeys).
 */
export function counterAdvances(stored: number, received: number): boolean {
  return (stored === 0 && received === 0) || received > stored
}

/** The `challenge` of the response's clientDataJSON, which the authenticator signed over. */
function signedChallenge(response: RegistrationResponseJSON | AuthenticationResponseJSON): string {
  try {
    const clientData = JSON.parse(
      Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'),
    ) as {
      challenge?: unknown
    }
    if (typeof clientData.challenge === 'string' && clientData.challenge.length > 0)
      return clientData.challenge
  } catch {
    // Reported below like any other unreadable response.
  }
  throw verificationFailed(new Error('clientDataJSON is not base64url JSON with a challenge'))
}

/** Copies only the public fields, so the key material can never leak by spreading. */
function publicPasskey(r: PasskeyRecord): Passkey {
  return {
    id: r.id,
    serviceId: r.serviceId,
    entityId: r.entityId,
    friendlyName: r.friendlyName,
    transports: r.transports,
    aaguid: r.aaguid,
    deviceType: r.deviceType,
    backedUp: r.backedUp,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
  }
}

/** Transport hints are only hints: keep a few short strings, never unbounded input. */
function cleanTransports(transports: readonly unknown[]): string[] {
  const clean = transports.filter((t): t is string => typeof t === 'string' && /^[a-z-]{1,32}$/.test(t))
  return [...new Set(clean)].slice(0, 8)
}

function bytes(base64url: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(base64url, 'base64url'))
}

function sameBytes(a: string, b: string): boolean {
  return Buffer.from(a, 'base64url').equals(Buffer.from(b, 'base64url'))
}

function bounded(field: string, value: string, max: number): string {
  const trimmed = value.trim()
  if (trimmed.length === 0 || trimmed.length > max) {
    throw new AppError('VALIDATION_FAILED', {
      message: `${field} must be 1 to ${max} characters.`,
      details: { field, location: 'body' },
    })
  }
  return trimmed
}

function verificationFailed(cause?: unknown): AppError {
  // The library's reasons (wrong origin, RP id, signature, missing user verification) are what an
  // integrator needs to fix their setup, and name nothing secret.
  const reason = cause instanceof Error ? cause.message.replace(/\.$/, '') : 'the response did not verify'
  return new AppError('PASSKEY_VERIFICATION_FAILED', {
    message: `The passkey response could not be verified: ${reason}.`,
    details: { reason },
    cause,
  })
}

function challengeNotFound(): AppError {
  return new AppError('PASSKEY_CHALLENGE_NOT_FOUND', {
    message:
      'This response answers no pending challenge of this service (and entity): it was never issued here, or was already used. Ask for new options.',
  })
}

function passkeyNotFound(): AppError {
  return new AppError('PASSKEY_NOT_FOUND', {
    message: 'No passkey with this credential id for this service and entity.',
  })
}
