/**
 * @module ClientSessions: the use-cases behind the client API (docs/client-api.md). A session is
 * one browser token's scope: one service, optionally one entity (the app's user) for authenticator
 * factors, and one current verification. Every success of the session (its verification approved,
 * a TOTP code, a passkey, a recovery code) records the session's result for the app's server.
 */
import type { Channel } from '../channels/channel.js'
import type { OutboxStore } from '../delivery/outbox.js'
import type { Diagnostician } from '../diagnosis/index.js'
import { AppError } from '../errors/app-error.js'
import type { TotpEnrolment, TotpFactor, TotpFactorsApi } from '../factors/factors.js'
import type {
  AuthenticationResponseJSON,
  Passkey,
  Passkeys,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../factors/passkeys.js'
import type { RecoveryCodes } from '../factors/recovery-codes.js'
import type { VerificationLimits } from '../limits/verification-limits.js'
import type { Service } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import type { VerificationStore } from '../verification/store.js'
import type { Verification } from '../verification/verification.js'
import type { Verifier } from '../verification/verifier.js'
import { type ClientDiagnosis, clientDiagnosis } from './client-diagnosis.js'
import {
  type ClientResultFactor,
  type ClientSession,
  type ClientSessionStore,
  clientSecretMatches,
  mintClientSession,
  parseClientToken,
} from './client-session.js'
import { type ClientVerification, clientVerification } from './client-verification.js'

export interface ClientSessionsDeps {
  readonly store: ClientSessionStore
  readonly verifier: Verifier
  readonly verifications: Pick<VerificationStore, 'listEvents' | 'findPending'>
  readonly outbox: Pick<OutboxStore, 'listForVerification'>
  /** Refusals of a start to someone else's number count against the start limits. */
  readonly limits: Pick<VerificationLimits, 'admitStart'>
  readonly services: { get(id: string): Promise<Service | undefined> }
  readonly diagnostician: Pick<Diagnostician, 'diagnoseVerification'>
  readonly factors: TotpFactorsApi
  readonly passkeys: Passkeys
  readonly recoveryCodes: RecoveryCodes
  readonly clock: Clock
}

export interface MintRequest {
  readonly serviceId: string
  readonly entityId?: string | undefined
  readonly to?: string | undefined
  readonly channel?: Channel | undefined
  readonly locale?: string | undefined
  readonly defaultCountry?: string | undefined
  /** 60..3600. @default 1800 */
  readonly ttlSeconds?: number | undefined
  /** @default false */
  readonly allowEnrolment?: boolean | undefined
  /**
   * A verification the app's server started (`POST /v1/verifications`) that this session continues:
   * the browser shows it, checks its code and may resend it, but never cancels it.
   */
  readonly verificationId?: string | undefined
}

/** The session and, when its entity is known, which factors it has. */
export interface SessionView {
  readonly session: ClientSession
  readonly service: Service
  readonly entityFactors: {
    readonly totp: boolean
    readonly passkey: boolean
    readonly recovery_codes: boolean
  } | null
  readonly verification: ClientVerification | null
}

export interface EntityFactorList {
  readonly totp: readonly TotpFactor[]
  readonly passkeys: readonly Passkey[]
  readonly recoveryCodesRemaining: number
}

/** Called when a session changes (new current verification, result recorded). */
export type SessionListener = (sessionId: string) => void

export const CLIENT_TOKEN_TTL = { min: 60, max: 3600, default: 1800 } as const

/** How long an expired session's row (and its result) is kept. */
export const CLIENT_SESSION_RETENTION_MS = 7 * 24 * 3600 * 1000

export class ClientSessions {
  private readonly listeners = new Set<SessionListener>()

  constructor(private readonly deps: ClientSessionsDeps) {}

  /**
   * Creates a session and its token (`vct_...`), shown only here.
   * @throws AppError SERVICE_NOT_FOUND, CHANNEL_NOT_ALLOWED, VALIDATION_FAILED,
   * VERIFICATION_NOT_FOUND (a `verificationId` not of this service)
   */
  async mint(req: MintRequest): Promise<{ session: ClientSession; token: string }> {
    const service = await this.deps.verifier.service(req.serviceId)
    if (req.channel && !service.channels.includes(req.channel)) {
      throw new AppError('CHANNEL_NOT_ALLOWED', {
        message: `The service does not allow the "${req.channel}" channel; allowed: ${service.channels.join(', ')}.`,
        details: { field: 'channel', allowed: service.channels },
      })
    }
    if (req.allowEnrolment && !req.entityId) {
      throw new AppError('VALIDATION_FAILED', {
        message: 'allow_enrolment needs an entity_id: factors are enrolled for one of your users.',
        details: { field: 'entity_id', location: 'body' },
      })
    }
    const continued = req.verificationId
      ? await this.deps.verifier.get(req.verificationId, service.id)
      : undefined
    const now = this.deps.clock.now()
    const ttl = req.ttlSeconds ?? CLIENT_TOKEN_TTL.default
    const minted = mintClientSession({
      serviceId: service.id,
      entityId: req.entityId ?? null,
      locale: req.locale ?? null,
      defaultCountry: req.defaultCountry?.toUpperCase() ?? null,
      prefillTo: req.to ?? null,
      prefillChannel: req.channel ?? null,
      allowEnrolment: req.allowEnrolment ?? false,
      expiresAt: now + ttl * 1000,
      createdAt: now,
    })
    if (!continued) {
      await this.deps.store.insert(minted.session)
      return minted
    }
    const session = { ...minted.session, verificationId: continued.id, ownsVerification: false }
    await this.deps.store.insert(session)
    return { session, token: minted.token }
  }

  /**
   * The session a token belongs to.
   * @throws AppError CLIENT_TOKEN_INVALID (missing, malformed, unknown), CLIENT_TOKEN_EXPIRED
   */
  async authenticate(token: string | undefined): Promise<ClientSession> {
    if (!token) {
      throw new AppError('CLIENT_TOKEN_INVALID', {
        message: 'Send the client token as "Authorization: Bearer vct_..."; your app\'s server mints it.',
      })
    }
    const parsed = parseClientToken(token)
    if (!parsed) {
      throw new AppError('CLIENT_TOKEN_INVALID', {
        message: 'This is not a verigate client token (vct_...). Ask the app for a new link.',
      })
    }
    const session = await this.deps.store.get(parsed.id)
    if (!session || !clientSecretMatches(session, parsed.secret)) {
      throw new AppError('CLIENT_TOKEN_INVALID', {
        message: 'This client token is not known. Ask the app for a new link.',
      })
    }
    if (this.deps.clock.now() >= session.expiresAt) {
      throw new AppError('CLIENT_TOKEN_EXPIRED', {
        message: 'This verification link has expired. Go back to the app and start again.',
        details: { expired_at: new Date(session.expiresAt).toISOString() },
      })
    }
    return session
  }

  /** For the app's server (API key): no token needed, expired sessions included. */
  async get(sessionId: string, serviceId?: string): Promise<ClientSession> {
    const session = await this.deps.store.get(sessionId)
    if (!session || (serviceId !== undefined && session.serviceId !== serviceId)) {
      throw new AppError('CLIENT_SESSION_NOT_FOUND', {
        message: `No client session with id "${sessionId}" for this service. Use the session_id that POST /v1/client-tokens returned with the token.`,
      })
    }
    return session
  }

  /**
   * Deletes sessions a week past their expiry (their tokens stopped working at expiry; the week
   * lets the app's server still read a late result). Run by the worker's sweep.
   */
  async purgeExpired(limit = 500): Promise<number> {
    return this.deps.store.deleteExpired(this.deps.clock.now() - CLIENT_SESSION_RETENTION_MS, limit)
  }

  /** Fresh copy of a session (after an authenticate, its verification may have changed). */
  async reload(session: ClientSession): Promise<ClientSession> {
    return (await this.deps.store.get(session.id)) ?? session
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  async view(session: ClientSession): Promise<SessionView> {
    const service = await this.deps.verifier.service(session.serviceId)
    let entityFactors: SessionView['entityFactors'] = null
    if (session.entityId) {
      const list = await this.entityFactors(session)
      entityFactors = {
        totp: list.totp.some((f) => f.status === 'verified'),
        passkey: list.passkeys.length > 0,
        recovery_codes: list.recoveryCodesRemaining > 0,
      }
    }
    const verification = session.verificationId ? await this.project(session.verificationId) : null
    return { session, service, entityFactors, verification }
  }

  /** The session's current verification as the browser sees it. @throws AppError VERIFICATION_NOT_FOUND */
  async verification(session: ClientSession): Promise<ClientVerification> {
    return this.project(this.requireVerificationId(session))
  }

  /** Undefined when the session has no verification yet. */
  async currentVerification(session: ClientSession): Promise<ClientVerification | undefined> {
    return session.verificationId ? this.project(session.verificationId) : undefined
  }

  /**
   * Starts the session's verification. A pending one to the same destination and channel is
   * answered as is (a double click). One this session started, to another destination or channel,
   * is canceled first, so its code stops working.
   *
   * A destination that already has a pending verification this session did not start is joined
   * only when the session may act on it (see `mayJoin`): never merely because the number matches,
   * or anyone holding a token could read a stranger's verification and spend its attempts. A joined
   * verification is never canceled here: a new number just leaves it, and another channel sends its
   * same code on that channel. Otherwise the start is refused with VERIFICATION_PENDING_ELSEWHERE:
   * a destination has at most one pending verification per service, so a second one cannot be made
   * until the first ends, and the answer tells nothing about the first.
   * @throws AppError RATE_LIMITED (with retry_after) when switching a joined verification's channel
   * too soon, or when refusals to the same IP reach the start limits
   * @throws AppError VERIFICATION_PENDING_ELSEWHERE
   */
  async start(
    session: ClientSession,
    req: {
      readonly to: string
      readonly channel: Channel
      /** The page's language: the message's, unless the token names one. */
      readonly locale?: string | undefined
      readonly clientIp?: string | undefined
    },
  ): Promise<ClientVerification> {
    const { verifier, verifications, store, clock } = this.deps
    const defaultCountry = session.defaultCountry ?? undefined
    const { destination } = verifier.normalizeDestination(req.channel, req.to, defaultCountry)
    const current = session.verificationId ? await this.currentPending(session.verificationId) : undefined
    if (current?.destination === destination) {
      if (current.channel === req.channel) return this.project(current.id)
      if (!session.ownsVerification) return this.switchChannel(session, current, req.channel)
    }
    // Decided before anything of the session's changes, so a refusal leaves the session as it was.
    const pending = await verifications.findPending(session.serviceId, destination)
    const foreign =
      pending && pending.id !== current?.id && clock.now() < pending.expiresAt ? pending : undefined
    if (foreign && !(await this.mayJoin(session, foreign))) {
      throw await this.pendingElsewhere(session, destination, req.clientIp)
    }
    if (current && session.ownsVerification) await this.cancelQuietly(current.id)
    if (foreign && foreign.channel !== req.channel) return this.switchChannel(session, foreign, req.channel)
    const result = await verifier.start({
      serviceId: session.serviceId,
      to: req.to,
      channel: req.channel,
      locale: session.locale ?? req.locale,
      defaultCountry,
      clientIp: req.clientIp,
    })
    // A verification to this destination appeared since the check above (a concurrent start).
    if (!result.created && !(await this.mayJoin(session, result.verification))) {
      throw await this.pendingElsewhere(session, destination, req.clientIp)
    }
    await store.setVerification(session.id, result.verification.id, result.created)
    this.notify(session.id)
    return this.project(result.verification.id)
  }

  /**
   * Whether `session` may act on `v`, a verification it did not start: the app's server bound it to
   * the session at minting, or another session of the same service and the same `entity_id` (the
   * same user of the app, in another tab or device) started it.
   */
  private async mayJoin(session: ClientSession, v: Verification): Promise<boolean> {
    if (v.id === session.verificationId) return true
    if (session.entityId === null) return false
    const starter = await this.deps.store.findStarter(v.id)
    return starter?.serviceId === session.serviceId && starter.entityId === session.entityId
  }

  /**
   * The refusal of a start to a destination that has someone else's pending verification. It counts
   * against the start limits like a start, so asking for many numbers cannot map who is verifying,
   * and says only the longest wait (the service's code lifetime), nothing of the other verification.
   */
  private async pendingElsewhere(
    session: ClientSession,
    destination: string,
    clientIp: string | undefined,
  ): Promise<AppError> {
    const refused = await this.deps.limits.admitStart(session.serviceId, clientIp, destination)
    if (refused) return refused.error
    const service = await this.deps.verifier.service(session.serviceId)
    const minutes = Math.ceil(service.codeTtlSeconds / 60)
    return new AppError('VERIFICATION_PENDING_ELSEWHERE', {
      message: `A code was already sent to this ${destination.startsWith('+') ? 'number' : 'address'} from another sign-in, and it is still valid. Use that code where it was asked for, or try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} at most.`,
    })
  }

  /** Joins `v` and sends its same code on `channel`; the session follows `v` even when the resend is refused. */
  private async switchChannel(
    session: ClientSession,
    v: Verification,
    channel: Channel,
  ): Promise<ClientVerification> {
    if (session.verificationId !== v.id) {
      await this.deps.store.setVerification(session.id, v.id, false)
      this.notify(session.id)
    }
    await this.deps.verifier.resend(v.id, { channel })
    return this.project(v.id)
  }

  /** Checks a code; an approval becomes the session's result (factor = the verification's channel). */
  async check(session: ClientSession, code: string): Promise<ClientVerification> {
    const v = await this.deps.verifier.check({ verificationId: this.requireVerificationId(session), code })
    await this.recordResult(session, v.channel)
    return this.project(v.id)
  }

  /** Sends the same code again, on `channel` when given (switching channel). */
  async resend(session: ClientSession, channel: Channel | undefined): Promise<ClientVerification> {
    const v = await this.deps.verifier.resend(this.requireVerificationId(session), { channel })
    return this.project(v.id)
  }

  /** Cancels the verification this session started; one it only joined is left to its owner. */
  async cancel(session: ClientSession): Promise<ClientVerification> {
    const id = this.requireVerificationId(session)
    if (!session.ownsVerification) return this.project(id)
    const v = await this.deps.verifier.cancel(id)
    return this.project(v.id)
  }

  /** In `locale`, else the session's locale, else the verification's (the language its SMS was in). */
  async diagnosis(session: ClientSession, locale?: string): Promise<ClientDiagnosis> {
    const id = this.requireVerificationId(session)
    const diagnosis = await this.deps.diagnostician.diagnoseVerification(id)
    const language = locale ?? session.locale ?? (await this.deps.verifier.get(id)).locale
    return clientDiagnosis(diagnosis, language)
  }

  /** @throws AppError ENTITY_REQUIRED */
  async entityFactors(session: ClientSession): Promise<EntityFactorList> {
    const entityId = this.requireEntity(session)
    const [totp, passkeys, codes] = await Promise.all([
      this.deps.factors.list(session.serviceId, entityId),
      this.deps.passkeys.list(session.serviceId, entityId),
      this.deps.recoveryCodes.status(session.serviceId, entityId),
    ])
    return { totp, passkeys, recoveryCodesRemaining: codes.remaining }
  }

  /** @throws AppError ENTITY_REQUIRED, ENROLMENT_NOT_ALLOWED */
  async enrolTotp(session: ClientSession, friendlyName: string | undefined): Promise<TotpEnrolment> {
    const entityId = this.requireEnrolment(session)
    const service = await this.deps.verifier.service(session.serviceId)
    return this.deps.factors.enrol({
      serviceId: session.serviceId,
      entityId,
      friendlyName: friendlyName ?? 'Authenticator app',
      issuer: (service.brandName ?? service.name).replaceAll(':', ' ').slice(0, 64),
    })
  }

  /** The first good code verifies a new factor. @throws AppError FACTOR_CODE_INCORRECT and the factor errors */
  async verifyTotp(session: ClientSession, factorId: string, code: string): Promise<TotpFactor> {
    const entityId = this.requireEnrolment(session)
    const result = await this.deps.factors.verify(session.serviceId, entityId, factorId, code)
    if (result.status === 'denied') throw factorCodeIncorrect(result.attemptsLeft)
    return result.factor
  }

  /**
   * Checks a code against the entity's verified TOTP factors (usually one); a match approves the
   * session. @throws AppError FACTOR_NOT_FOUND (none verified), FACTOR_CODE_INCORRECT, FACTOR_LOCKED...
   */
  async checkTotp(session: ClientSession, code: string): Promise<void> {
    const entityId = this.requireEntity(session)
    const verified = (await this.deps.factors.list(session.serviceId, entityId)).filter(
      (f) => f.status === 'verified',
    )
    if (verified.length === 0) {
      throw new AppError('FACTOR_NOT_FOUND', {
        message: 'No authenticator app is set up for this account yet.',
      })
    }
    let attemptsLeft: number | undefined
    let firstError: unknown
    for (const f of verified) {
      try {
        const result = await this.deps.factors.challenge(session.serviceId, entityId, f.id, code)
        if (result.status === 'approved') {
          await this.recordResult(session, 'totp')
          return
        }
        attemptsLeft = Math.min(attemptsLeft ?? result.attemptsLeft, result.attemptsLeft)
      } catch (err) {
        firstError ??= err
      }
    }
    if (attemptsLeft !== undefined) throw factorCodeIncorrect(attemptsLeft)
    throw firstError
  }

  /**
   * Options for `navigator.credentials.create()`. The passkey manager lists the passkey under the
   * entity id (the only account name the session knows); the passkey's own label is given when
   * registering.
   * @throws AppError ENTITY_REQUIRED, ENROLMENT_NOT_ALLOWED
   */
  async passkeyRegistrationOptions(session: ClientSession): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const entityId = this.requireEnrolment(session)
    return this.deps.passkeys.startRegistration(session.serviceId, entityId, {
      userName: entityId.slice(0, 64),
    })
  }

  async registerPasskey(
    session: ClientSession,
    response: RegistrationResponseJSON,
    name: string | undefined,
  ): Promise<Passkey> {
    const entityId = this.requireEnrolment(session)
    return this.deps.passkeys.finishRegistration(session.serviceId, entityId, response, {
      friendlyName: name,
    })
  }

  /** @throws AppError ENTITY_REQUIRED, PASSKEY_NOT_FOUND (the entity has none) */
  async passkeyAuthenticationOptions(session: ClientSession): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.deps.passkeys.startAuthentication(session.serviceId, this.requireEntity(session))
  }

  /** A verified passkey approves the session. */
  async authenticatePasskey(session: ClientSession, response: AuthenticationResponseJSON): Promise<void> {
    const entityId = this.requireEntity(session)
    await this.deps.passkeys.finishAuthentication(session.serviceId, response, { entityId })
    await this.recordResult(session, 'passkey')
  }

  /** A new set of ten codes; the old set stops working. @throws AppError ENTITY_REQUIRED, ENROLMENT_NOT_ALLOWED */
  async generateRecoveryCodes(session: ClientSession): Promise<string[]> {
    const entityId = this.requireEnrolment(session)
    return (await this.deps.recoveryCodes.generate(session.serviceId, entityId)).codes
  }

  /** A good recovery code approves the session. @returns codes left */
  async useRecoveryCode(session: ClientSession, code: string): Promise<number> {
    const entityId = this.requireEntity(session)
    const { remaining } = await this.deps.recoveryCodes.use(session.serviceId, entityId, code)
    await this.recordResult(session, 'recovery_code')
    return remaining
  }

  private async recordResult(session: ClientSession, factor: ClientResultFactor): Promise<void> {
    if (await this.deps.store.setResult(session.id, factor, this.deps.clock.now())) this.notify(session.id)
  }

  private notify(sessionId: string): void {
    for (const l of this.listeners) {
      try {
        l(sessionId)
      } catch {
        // A stream that failed to react must not fail the use-case.
      }
    }
  }

  private async project(verificationId: string): Promise<ClientVerification> {
    const v = await this.deps.verifier.get(verificationId)
    const [events, messages] = await Promise.all([
      this.deps.verifications.listEvents(v.id),
      this.deps.outbox.listForVerification(v.id),
    ])
    return clientVerification(v, events, messages, {
      now: this.deps.clock.now(),
      next: await this.deps.verifier.nextSend(v),
    })
  }

  private async currentPending(id: string): Promise<Verification | undefined> {
    try {
      const v = await this.deps.verifier.get(id)
      return v.status === 'pending' ? v : undefined
    } catch {
      return undefined
    }
  }

  private async cancelQuietly(id: string): Promise<void> {
    try {
      await this.deps.verifier.cancel(id)
    } catch (err) {
      // Finished meanwhile (approved, expired): its code no longer works either way.
      if (
        !(err instanceof AppError) ||
        (err.code !== 'VERIFICATION_NOT_PENDING' && err.code !== 'VERIFICATION_EXPIRED')
      )
        throw err
    }
  }

  private requireVerificationId(session: ClientSession): string {
    if (!session.verificationId) {
      throw new AppError('VERIFICATION_NOT_FOUND', {
        message: 'No verification has been started yet; send a code first.',
      })
    }
    return session.verificationId
  }

  private requireEntity(session: ClientSession): string {
    if (!session.entityId) {
      throw new AppError('ENTITY_REQUIRED', {
        message:
          'Authenticator factors need a signed-in user: the app must mint the token with an entity_id.',
      })
    }
    return session.entityId
  }

  private requireEnrolment(session: ClientSession): string {
    const entityId = this.requireEntity(session)
    if (!session.allowEnrolment) {
      throw new AppError('ENROLMENT_NOT_ALLOWED', {
        message: 'This link cannot add new sign-in methods. Sign in to the app and set them up from there.',
      })
    }
    return entityId
  }
}

function factorCodeIncorrect(attemptsLeft: number): AppError {
  return new AppError('FACTOR_CODE_INCORRECT', {
    message: `The code does not match. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left before the authenticator locks.`,
    details: { attempts_left: attemptsLeft },
  })
}
