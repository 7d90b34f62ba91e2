/**
 * @module The verification use-cases: start, resend, check, cancel, expire. Storage, limits,
 * delivery and time come in as interfaces; HTTP never reaches in here.
 */

import { createHash } from 'node:crypto'
import type { Channel } from '../channels/channel.js'
import type { CodeSource, CodeToSend } from '../delivery/code-source.js'
import type { FreshSends } from '../delivery/fresh-sends.js'
import {
  claimedFreshMessage,
  type Hop,
  type NewOutboxMessage,
  type OutboxMessage,
  type OutboxStore,
} from '../delivery/outbox.js'
import { AppError } from '../errors/app-error.js'
import type { EventSubject, NewVerificationEvent, VerificationEvent } from '../events/verification-event.js'
import type { FraudScreen } from '../fraud/fraud-guard.js'
import type {
  CounterTake,
  LimitRefusal,
  NextSend,
  VerificationLimits,
} from '../limits/verification-limits.js'
import { refusal } from '../limits/verification-limits.js'
import { applyLineChecks, LINE_CHECK_DEFAULTS, type LineVerdict } from '../lookup/line-checks.js'
import type { LineFacts } from '../lookup/line-facts.js'
import { analyzePhoneNumber } from '../phone/index.js'
import type { Keyring } from '../secrets/keyring.js'
import type { Service, ServiceLookup } from '../services/service.js'
import type { Clock } from '../shared/clock.js'
import { newId } from '../shared/ids.js'
import { KeyedQueue } from '../shared/keyed-queue.js'
import { inSpan, SPANS, tagVerification, VERIFICATION_ID } from '../shared/tracing.js'
import { boundCode, codeMatches, generateCode, hashCode, openCode, sealCode } from './code.js'
import type { CheckOutcome, VerificationStore } from './store.js'
import type { Transaction, Verification, VerificationStatus } from './verification.js'

export interface StartRequest {
  readonly serviceId: string
  readonly to: string
  readonly channel: Channel
  readonly locale?: string | undefined
  /** ISO country used to read national-format numbers, e.g. `GB` for `07700 900123`. */
  readonly defaultCountry?: string | undefined
  readonly clientIp?: string | undefined
  readonly idempotencyKey?: string | undefined
  /**
   * The app's own code instead of a generated one (Twilio's `CustomCode`, digits only). It is stored
   * and sent exactly as a generated code is.
   */
  readonly customCode?: string | undefined
  /** Binds the code to a payment (PSD2 dynamic linking); checks must name the same one. */
  readonly transaction?: Transaction | undefined
}

export interface StartResult {
  readonly verification: Verification
  /** False when an existing verification was returned (pending one, or an idempotent replay). */
  readonly created: boolean
  /** True when the answer replays an earlier request with the same Idempotency-Key. */
  readonly replayed: boolean
}

export interface CheckRequest {
  readonly serviceId?: string | undefined
  readonly verificationId?: string | undefined
  readonly to?: string | undefined
  readonly defaultCountry?: string | undefined
  readonly code: string
  /** The payment the check is for, when the code is bound to one. */
  readonly transaction?: Transaction | undefined
}

/** Called after a commit that queued a message, so the dispatcher can send it at once. */
export type OutboxNotifier = () => void

/** What the dispatcher needs to send `code` for `v` (the start hands it over; a claim reads it back). */
function toSend(v: Verification, code: string): CodeToSend {
  return {
    code,
    serviceId: v.serviceId,
    locale: v.locale,
    country: v.country,
    startChannel: v.channel,
    expiresAt: v.expiresAt,
    transaction: v.transaction ?? null,
  }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/

export class Verifier implements CodeSource {
  private readonly starts = new KeyedQueue()

  constructor(
    private readonly deps: {
      readonly store: VerificationStore
      readonly services: ServiceLookup
      readonly limits: VerificationLimits
      readonly keyring: Keyring
      readonly clock: Clock
      readonly notifyOutbox: OutboxNotifier
      /** This process's dispatcher, which takes a start's first message straight from memory. */
      readonly freshSends?: FreshSends | undefined
      /** Account-level geo permissions. */
      readonly geo: {
        readonly allowedCountries?: readonly string[] | undefined
        readonly blockedCountries: readonly string[]
      }
      /** The outbox as a read model: the messages of a verification. */
      readonly messages: Pick<OutboxStore, 'listForVerification' | 'listHops'>
      /** Called with the events of each successful store write (metrics, webhooks). */
      readonly onEvent?: (event: NewVerificationEvent) => void
      /** The conversion-based SMS-pumping guard (docs/fraud.md); none: nothing is judged. */
      readonly fraud?: FraudScreen | undefined
      /** Carrier lookup before a first send (time-boxed; undefined answers when it fails). */
      readonly lineLookup?: { facts(e164: string): Promise<LineFacts | undefined> } | undefined
    },
  ) {}

  async service(serviceId: string): Promise<Service> {
    const service = await this.deps.services.get(serviceId)
    if (!service) throw new AppError('SERVICE_NOT_FOUND', { message: `No service with id "${serviceId}".` })
    return service
  }

  /** Normalises a destination for a channel, or throws with the precise reason and a suggestion. */
  normalizeDestination(
    channel: Channel,
    to: string,
    defaultCountry?: string,
  ): { destination: string; country: string | null } {
    if (channel === 'email') {
      const email = to.trim().toLowerCase()
      if (!EMAIL.test(email)) {
        throw new AppError('EMAIL_INVALID', {
          message: `"${to}" is not a valid email address.`,
          details: { field: 'to' },
        })
      }
      return { destination: email, country: null }
    }
    const analysis = analyzePhoneNumber(to, defaultCountry ? { defaultCountry } : undefined)
    if (!analysis.valid || !analysis.e164) {
      throw new AppError('PHONE_NUMBER_INVALID', {
        message: analysis.problem?.message ?? `"${to}" is not a valid phone number.`,
        details: {
          field: 'to',
          reason: analysis.problem?.reason ?? 'invalid_number',
          suggestion: analysis.suggestion ?? null,
        },
      })
    }
    if ((channel === 'sms' || channel === 'whatsapp') && !analysis.canReceiveSms) {
      throw new AppError('PHONE_NUMBER_NOT_SMS_CAPABLE', {
        message: analysis.problem?.message ?? 'This number cannot receive text messages; use a voice call.',
        details: {
          field: 'to',
          reason: 'not_sms_capable',
          number_type: analysis.type,
          suggestion: analysis.suggestion ?? { channel: 'call', message: 'Ask for a voice call instead.' },
        },
      })
    }
    return { destination: analysis.e164, country: analysis.country ?? null }
  }

  async start(req: StartRequest): Promise<StartResult> {
    return inSpan(
      SPANS.start,
      { 'verigate.service_id': req.serviceId, 'verigate.channel': req.channel },
      async (span) => {
        const result = await this.startUntraced(req)
        span.setAttribute(VERIFICATION_ID, result.verification.id)
        span.setAttribute('verigate.created', result.created)
        return result
      },
    )
  }

  private async startUntraced(req: StartRequest): Promise<StartResult> {
    const { store } = this.deps
    const service = await this.service(req.serviceId)
    if (!service.channels.includes(req.channel)) {
      throw new AppError('CHANNEL_NOT_ALLOWED', {
        message: `The service does not allow the "${req.channel}" channel; allowed: ${service.channels.join(', ')}.`,
        details: { field: 'channel', allowed: service.channels },
      })
    }
    const { destination, country } = this.normalizeDestination(req.channel, req.to, req.defaultCountry)
    const fingerprint = req.idempotencyKey
      ? createHash('sha256')
          .update(`${destination}|${req.channel}|${req.locale ?? ''}`)
          .digest('base64url')
      : null

    if (req.idempotencyKey) {
      const earlier = await store.findByIdempotencyKey(service.id, req.idempotencyKey)
      if (earlier) return this.replay(earlier, fingerprint)
    }

    // Identical starts on this instance queue behind each other, so a double-clicked button or a
    // retrying client finds the first one's verification instead of racing it for the limits.
    return this.starts.run(`${service.id}|${destination}`, () =>
      this.startOnce(service, req, destination, country, fingerprint),
    )
  }

  private async startOnce(
    service: Service,
    req: StartRequest,
    destination: string,
    country: string | null,
    fingerprint: string | null,
  ): Promise<StartResult> {
    const { store, limits, keyring, clock } = this.deps
    const existing = await store.findPending(service.id, destination)
    if (existing) return this.restartExisting(existing, req)

    const now = clock.now()
    this.assertCountryAllowed(country)
    const fraudStart = {
      serviceId: service.id,
      destination,
      country,
      clientIp: req.clientIp,
      settings: service.fraud ?? null,
    }
    // Judged before the limits count anything: a refused start costs nothing and sends nothing.
    const fraud = this.deps.fraud ? await this.deps.fraud.screen(fraudStart) : undefined
    if (fraud?.outcome === 'blocked') {
      await this.recordLimitHit({
        serviceId: service.id,
        destination,
        verificationId: null,
        limit: 'fraud_guard',
        retryAfterMs: fraud.retryAfterMs,
        details: fraud.details,
      })
      throw fraud.error
    }
    const taken: CounterTake[] = []
    // The id is chosen before the limits so that their span carries it.
    const id = newId('verification')
    const refused = await inSpan(SPANS.limits, { [VERIFICATION_ID]: id }, async (span) => {
      const verdict =
        (await limits.admitStart(service.id, req.clientIp, destination, taken)) ??
        (await limits.admitSend(destination, taken))
      span.setAttribute('verigate.refused', verdict !== undefined && verdict !== null)
      return verdict
    })
    if (refused) {
      // Nothing is sent for this request: the fraud guard takes back the start it counted.
      await this.deps.fraud?.forgetStart(fraudStart, now)
      // Another instance may have started this very verification a moment ago: then this request
      // is its twin, not a new send, and gives back what it counted.
      const twin = await store.findPending(service.id, destination)
      if (twin) {
        await limits.refund(taken)
        return { verification: twin, created: false, replayed: false }
      }
      await this.recordRefusal(service.id, destination, null, refused)
      throw refused.error
    }

    // After the limits, so a flood of starts is stopped before it buys carrier lookups.
    const verdict = await this.lineVerdict(service, req.channel, destination, now)
    if (verdict.kind !== 'send') {
      // Nothing is sent: what was counted goes back.
      await Promise.all([limits.refund(taken), this.deps.fraud?.forgetStart(fraudStart, now)])
      throw lineRefusal(verdict)
    }
    const channel = verdict.channel
    const code = req.customCode ?? generateCode(service.codeLength)
    const transaction = req.transaction ?? null
    const verification: Verification = {
      id,
      serviceId: service.id,
      channel,
      destination,
      country,
      status: 'pending',
      codeHmac: hashCode(keyring, id, boundCode(code, transaction)),
      codeCiphertext: sealCode(keyring, id, code),
      codeLength: code.length,
      locale: req.locale ?? service.defaultLocale,
      checkAttempts: 0,
      maxCheckAttempts: service.maxCheckAttempts,
      sendCount: 1,
      maxSends: service.maxSends,
      lastSentAt: now,
      expiresAt: now + service.codeTtlSeconds * 1000,
      clientIp: req.clientIp ?? null,
      idempotencyKey: req.idempotencyKey ?? null,
      idempotencyFingerprint: fingerprint,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      risk: verdict.risk,
      ...(transaction ? { transaction } : {}),
    }
    const claimedUntil = this.deps.freshSends?.leaseFor(now)
    const message = { ...this.outboxMessage(verification, channel, 1, now), claimedUntil }
    const createdEvents = [
      this.event(
        verification,
        'created',
        now,
        {
          channel,
          country,
          locale: verification.locale,
          expires_at: verification.expiresAt,
          client_ip: req.clientIp ?? null,
          ...(verdict.rerouted
            ? {
                rerouted_from: verdict.rerouted.from,
                line_type: verdict.rerouted.lineType,
                line_carrier: verdict.rerouted.carrier,
                line_source: 'carrier_lookup',
              }
            : {}),
          ...(verdict.risk
            ? {
                risk: 'sim_swap',
                sim_swap_within_days: verdict.risk.simSwap.withinDays,
                last_sim_swap_at: verdict.risk.simSwap.lastSwapAt,
              }
            : {}),
          // Shadow mode (or the safe list) let a start through that enforce mode would refuse.
          ...(fraud && fraud.outcome !== 'pass'
            ? { fraud: { outcome: fraud.outcome, ...fraud.details } }
            : {}),
        },
        subjectOf(verification),
      ),
      this.event(verification, 'send_requested', now, {
        message_id: message.id,
        send_number: 1,
        channel,
      }),
    ]
    const result = await store.create(verification, message, createdEvents)
    if (result.ok) {
      this.emit(createdEvents)
      if (claimedUntil !== undefined && this.deps.freshSends)
        this.deps.freshSends.take(
          claimedFreshMessage({ ...message, claimedUntil }),
          toSend(verification, code),
        )
      else this.deps.notifyOutbox()
      return { verification, created: true, replayed: false }
    }
    // Lost a race with a concurrent start: nothing was sent for this request, so what it counted
    // goes back, and it is answered as the winner was.
    await limits.refund(taken)
    await this.deps.fraud?.forgetStart(fraudStart, now)
    if (result.conflict === 'idempotency' && req.idempotencyKey) {
      const earlier = await store.findByIdempotencyKey(service.id, req.idempotencyKey)
      if (earlier) return this.replay(earlier, fingerprint)
    }
    const winner = await store.findPending(service.id, destination)
    if (winner) return { verification: winner, created: false, replayed: false }
    throw new AppError('SERVICE_UNAVAILABLE', {
      message: 'The verification could not be stored; retry the request.',
    })
  }

  /** What the service's line checks make of the carrier lookup's answer (no lookup: send as asked). */
  private async lineVerdict(
    service: Service,
    channel: Channel,
    destination: string,
    now: number,
  ): Promise<LineVerdict> {
    const lookup = this.deps.lineLookup
    if (!lookup || channel === 'email') return { kind: 'send', channel, risk: null }
    const facts = await lookup.facts(destination)
    return applyLineChecks(service.lineChecks ?? LINE_CHECK_DEFAULTS, facts, channel, service.channels, now)
  }

  private assertCountryAllowed(country: string | null): void {
    const { allowedCountries, blockedCountries } = this.deps.geo
    if (!country) return
    if (blockedCountries.includes(country) || (allowedCountries && !allowedCountries.includes(country))) {
      throw new AppError('COUNTRY_NOT_ALLOWED', {
        message: `Sending verification codes to ${country} numbers is not enabled on this server.`,
        details: { field: 'to', country },
      })
    }
  }

  private replay(earlier: Verification, fingerprint: string | null): StartResult {
    if (earlier.idempotencyFingerprint !== fingerprint) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', {
        message: 'This Idempotency-Key was already used for a different verification request; use a new key.',
      })
    }
    return { verification: earlier, created: false, replayed: true }
  }

  /**
   * A start to a destination that already has a pending verification returns that one. It counts
   * as a resend when the cooldown allows one; otherwise the pending verification is returned as is
   * (the user's first message is still on its way, and the same code works).
   */
  private async restartExisting(existing: Verification, req: StartRequest): Promise<StartResult> {
    const now = this.deps.clock.now()
    if (now >= existing.expiresAt) {
      await this.expire(existing)
      return this.start(req)
    }
    const cooldown = this.deps.limits.resendCooldownMs(existing.sendCount)
    if (existing.sendCount < existing.maxSends && now - existing.lastSentAt >= cooldown) {
      try {
        return {
          verification: await this.resend(existing.id, { serviceId: existing.serviceId }),
          created: false,
          replayed: false,
        }
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 429) throw err
      }
    }
    return { verification: existing, created: false, replayed: false }
  }

  /** The dispatcher's view of a verification still waiting for its code (see `CodeSource`). */
  async codeToSend(verificationId: string, now: number): Promise<CodeToSend | undefined> {
    const v = await this.deps.store.get(verificationId)
    if (v?.status !== 'pending' || !v.codeCiphertext || now >= v.expiresAt) return undefined
    return toSend(v, openCode(this.deps.keyring, v.id, v.codeCiphertext))
  }

  async get(id: string, serviceId?: string): Promise<Verification> {
    const v = await this.deps.store.get(id)
    if (!v || (serviceId && v.serviceId !== serviceId)) {
      throw new AppError('VERIFICATION_NOT_FOUND', { message: `No verification with id "${id}".` })
    }
    if (v.status === 'pending' && this.deps.clock.now() >= v.expiresAt) return (await this.expire(v)) ?? v
    return v
  }

  /**
   * Sends the same code again. `channel` switches channel; `avoidRoutes` keeps this send off those
   * routes (support's "resend on route X"; when none is left the channel's fallback applies).
   * `skipCooldown` sends without waiting for the resend cooldown (the Twilio API, where every start
   * on a pending verification re-sends at once); the verification's send count and the destination
   * and global send limits still apply.
   */
  async resend(
    id: string,
    opts: {
      serviceId?: string | undefined
      channel?: Channel | undefined
      avoidRoutes?: readonly string[] | undefined
      skipCooldown?: boolean | undefined
    } = {},
  ): Promise<Verification> {
    const { store, limits, clock } = this.deps
    const v = await this.get(id, opts.serviceId)
    this.assertPending(v)
    const channel = opts.channel ?? v.channel
    if (channel !== v.channel) {
      const service = await this.service(v.serviceId)
      if (!service.channels.includes(channel)) {
        throw new AppError('CHANNEL_NOT_ALLOWED', {
          message: `The service does not allow the "${channel}" channel.`,
          details: { field: 'channel', allowed: service.channels },
        })
      }
      if (channel === 'email') {
        throw new AppError('VALIDATION_FAILED', {
          message: 'A phone verification cannot be resent by email; start an email verification.',
        })
      }
    }
    const now = clock.now()
    // The same answer the representations show: a refusal waits exactly until `next_resend_at`.
    const next = await limits.nextSend(v, now)
    const taken: CounterTake[] = []
    let refused: LimitRefusal | undefined
    if (v.sendCount >= v.maxSends) {
      refused = refusal('max_sends', v.expiresAt - now, {
        verification_id: v.id,
        sends: v.sendCount,
        max_sends: v.maxSends,
      })
    } else if (
      next.limit &&
      !(opts.skipCooldown && next.limit === 'resend_cooldown') &&
      (next.at === null || next.at > now)
    ) {
      const until = next.at ?? next.liftsAt ?? v.expiresAt
      refused = refusal(next.limit, until - now, {
        verification_id: v.id,
        sends_left: next.sendsLeft,
        next_send_at: next.at,
      })
    }
    refused ??= await limits.admitSend(v.destination, taken)
    if (refused) {
      await this.recordRefusal(v.serviceId, v.destination, v.id, refused)
      throw refused.error
    }
    const sendNumber = v.sendCount + 1
    const avoidRoutes = opts.avoidRoutes ?? []
    const message = {
      ...this.outboxMessage(v, channel, sendNumber, now),
      ...(avoidRoutes.length ? { avoidRoutes } : {}),
    }
    const resendEvents = [
      this.event(v, 'send_requested', now, {
        message_id: message.id,
        send_number: sendNumber,
        channel,
        resend: true,
        ...(avoidRoutes.length ? { avoid_routes: avoidRoutes } : {}),
      }),
    ]
    const ok = await store.recordResend(v.id, v.sendCount, now, message, resendEvents)
    if (ok) this.emit(resendEvents)
    if (!ok) {
      // A concurrent resend won: this one sent nothing, so what it counted goes back, and it is
      // told the cooldown the winner started.
      await limits.refund(taken)
      const wait = limits.resendCooldownMs(sendNumber)
      throw refusal('resend_cooldown', wait, { verification_id: v.id }).error
    }
    this.deps.notifyOutbox()
    return { ...v, sendCount: sendNumber, lastSentAt: now, updatedAt: now }
  }

  async check(req: CheckRequest): Promise<Verification> {
    return inSpan(
      SPANS.check,
      req.verificationId ? { [VERIFICATION_ID]: req.verificationId } : {},
      async (span) => {
        const v = await this.checkUntraced(req)
        span.setAttribute('verigate.status', v.status)
        return v
      },
    )
  }

  private async checkUntraced(req: CheckRequest): Promise<Verification> {
    const { store, limits, keyring, clock } = this.deps
    let v: Verification
    if (req.verificationId) {
      v = await this.get(req.verificationId, req.serviceId)
    } else {
      if (!req.serviceId || !req.to) {
        throw new AppError('VALIDATION_FAILED', {
          message: 'Give either a verification id, or service_id and to.',
        })
      }
      const service = await this.service(req.serviceId)
      const found = await this.findPendingForCheck(service, req.to, req.defaultCountry)
      if (!found) {
        throw new AppError('VERIFICATION_NOT_FOUND', {
          message: 'No pending verification for this destination; start one first.',
        })
      }
      v = found
      tagVerification(v.id)
    }
    this.assertPending(v)
    if (!/^\d+$/.test(req.code) || req.code.length !== v.codeLength) {
      // A typo of the wrong shape is not a guess: it is refused without using an attempt.
      throw new AppError('CODE_MALFORMED', {
        message: `The code must be the ${v.codeLength} digits from the message.`,
        details: { field: 'code' },
      })
    }
    const refused = await inSpan(SPANS.limits, { [VERIFICATION_ID]: v.id }, () =>
      limits.admitCheck(v.serviceId, v.destination),
    )
    if (refused) {
      await this.recordRefusal(v.serviceId, v.destination, v.id, refused)
      throw refused.error
    }
    const now = clock.now()
    const code = boundCode(req.code, req.transaction)
    // The attempt is counted, the code compared and the outcome recorded in one transaction.
    const recorded = await store.countCheckAttempt(v.id, now, (counted): CheckOutcome => {
      if (codeMatches(keyring, v.id, code, counted.codeHmac)) {
        const approved = this.event(
          v,
          'approved',
          now,
          { attempt: counted.checkAttempts },
          subjectOf(v, 'approved'),
        )
        return { finish: 'approved', events: [approved] }
      }
      const attemptsLeft = counted.maxCheckAttempts - counted.checkAttempts
      if (attemptsLeft <= 0) {
        return {
          finish: 'failed',
          events: [
            this.event(v, 'check_failed', now, { attempt: counted.checkAttempts, attempts_left: 0 }),
            this.event(v, 'max_attempts_reached', now, { attempts: counted.checkAttempts }),
          ],
        }
      }
      return {
        events: [
          this.event(v, 'check_failed', now, { attempt: counted.checkAttempts, attempts_left: attemptsLeft }),
        ],
      }
    })
    if (!recorded) {
      // Every attempt is taken. While it is still pending, a check in flight holds the last one and
      // is about to end it (approved with the right code, failed with a wrong one); that outcome is
      // the truth for this check too. Answering "too many attempts" at once told a double-submitted
      // right code it had failed while its twin was approving it (PostgreSQL, 8 checks at once).
      const current = await this.settledAfterLastAttempt(v.id)
      this.assertPending(current)
      throw refusal('max_check_attempts', current.expiresAt - now, {
        verification_id: v.id,
        attempts_left: 0,
      }).error
    }
    const { counted, outcome } = recorded
    // Committed: what the check recorded is told, whatever the answer.
    this.emit(outcome.events)
    if (outcome.finish === 'approved') {
      await this.countApproval(v)
      return { ...counted, status: 'approved', codeCiphertext: null, finishedAt: now, updatedAt: now }
    }
    if (outcome.finish === 'failed')
      throw refusal('max_check_attempts', 0, { verification_id: v.id, attempts_left: 0 }).error
    const attemptsLeft = counted.maxCheckAttempts - counted.checkAttempts
    throw new AppError('CODE_INCORRECT', {
      message: `That code is not right. ${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left.`,
      details: { attempts_left: attemptsLeft, verification_id: v.id },
    })
  }

  /**
   * The verification once the check holding its last attempt has finished it, read again every
   * 10 ms for at most 1 s; still pending after that (that check died), as it is then.
   */
  private async settledAfterLastAttempt(id: string): Promise<Verification> {
    const until = performance.now() + 1_000
    for (;;) {
      const current = await this.get(id)
      if (current.status !== 'pending' || performance.now() >= until) return current
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  async cancel(id: string, serviceId?: string): Promise<Verification> {
    const v = await this.get(id, serviceId)
    this.assertPending(v)
    const now = this.deps.clock.now()
    const canceledEvents = [this.event(v, 'canceled', now, {})]
    const done = await this.deps.store.finish(v.id, 'canceled', now, canceledEvents)
    if (!done) return this.get(id)
    this.emit(canceledEvents)
    return { ...v, status: 'canceled', codeCiphertext: null, finishedAt: now, updatedAt: now }
  }

  /**
   * Approves a pending verification without a code: the app vouches for the person itself (Twilio's
   * `Status=approved` update, used with custom codes and out-of-band checks). The same `approved`
   * event a code check records, marked manual, published like any other.
   * @throws AppError VERIFICATION_NOT_FOUND, VERIFICATION_EXPIRED, VERIFICATION_NOT_PENDING
   */
  async approve(id: string, opts: { serviceId?: string | undefined; via: string }): Promise<Verification> {
    const v = await this.get(id, opts.serviceId)
    this.assertPending(v)
    const now = this.deps.clock.now()
    const approvedEvents = [
      this.event(v, 'approved', now, { manual: true, via: opts.via }, subjectOf(v, 'approved')),
    ]
    if (!(await this.deps.store.finish(v.id, 'approved', now, approvedEvents))) {
      // Someone else ended it first (a check, a cancel, the sweeper): report what it is now.
      this.assertPending(await this.get(id))
    }
    await this.countApproval(v)
    this.emit(approvedEvents)
    return { ...v, status: 'approved', codeCiphertext: null, finishedAt: now, updatedAt: now }
  }

  /** When this verification's destination may get another code, and how many are left (`NextSend`). */
  nextSend(v: Verification): Promise<NextSend> {
    return this.deps.limits.nextSend(v, this.deps.clock.now())
  }

  /** The messages (sends, with their delivery state) of a verification, oldest first. */
  messages(verificationId: string): Promise<OutboxMessage[]> {
    return this.deps.messages.listForVerification(verificationId)
  }

  /** The hand-overs of one message to providers, each with its state, oldest first. */
  handOvers(messageId: string): Promise<Hop[]> {
    return this.deps.messages.listHops(messageId)
  }

  /**
   * The pending verification of a destination written as the app wrote it (`+44...`, an email, or a
   * national number with `defaultCountry`), if any.
   */
  async findPending(
    serviceId: string,
    to: string,
    defaultCountry?: string,
  ): Promise<Verification | undefined> {
    return this.findPendingForCheck(await this.service(serviceId), to, defaultCountry)
  }

  /**
   * The newest verification of a destination written as the app wrote it, whatever its status (the
   * Twilio API answers checks on one that ran out of attempts with 60202 rather than 20404).
   */
  async findLatest(serviceId: string, to: string): Promise<Verification | undefined> {
    const service = await this.service(serviceId)
    const pending = await this.findPendingForCheck(service, to)
    if (pending) return pending
    let destination: string
    try {
      destination = this.normalizeDestination(to.includes('@') ? 'email' : 'call', to).destination
    } catch {
      return undefined
    }
    const [latest] = await this.deps.store.listByDestination(destination, 1, [service.id])
    return latest
  }

  /**
   * Records that a limit refused a request for a destination (a `limit_hit` event, published), for
   * surfaces that enforce limits of their own (the Twilio API's service rate limits).
   */
  async recordLimitHit(hit: {
    readonly serviceId: string
    readonly destination: string
    readonly verificationId: string | null
    readonly limit: string
    readonly retryAfterMs: number
    readonly details?: Readonly<Record<string, unknown>>
  }): Promise<void> {
    const now = this.deps.clock.now()
    const events: NewVerificationEvent[] = [
      {
        verificationId: hit.verificationId,
        serviceId: hit.serviceId,
        destination: hit.destination,
        type: 'limit_hit',
        at: now,
        data: {
          limit: hit.limit,
          ...hit.details,
          retry_after_ms: hit.retryAfterMs,
          retry_at: now + hit.retryAfterMs,
        },
      },
    ]
    await this.deps.store.appendEvents(events)
    this.emit(events)
  }

  async events(id: string, serviceId?: string): Promise<VerificationEvent[]> {
    await this.get(id, serviceId)
    return this.deps.store.listEvents(id)
  }

  /** Marks a pending verification past its lifetime as expired. Returns the expired row. */
  async expire(v: Verification): Promise<Verification | undefined> {
    const now = this.deps.clock.now()
    if (v.status !== 'pending' || now < v.expiresAt) return undefined
    const expiredEvents = [this.event(v, 'expired', now, { expired_at: v.expiresAt })]
    if (await this.deps.store.finish(v.id, 'expired', now, expiredEvents)) this.emit(expiredEvents)
    return { ...v, status: 'expired', codeCiphertext: null, finishedAt: now, updatedAt: now }
  }

  /** Sweeps expired verifications so their events are recorded and their codes wiped. */
  async expireDue(limit = 500): Promise<number> {
    const due = await this.deps.store.listExpired(this.deps.clock.now(), limit)
    for (const v of due) await this.expire(v)
    return due.length
  }

  private async findPendingForCheck(service: Service, to: string, defaultCountry?: string) {
    const channelGuess: Channel = to.includes('@') ? 'email' : 'sms'
    let destination: string
    try {
      destination = this.normalizeDestination(
        channelGuess === 'email' ? 'email' : 'call',
        to,
        defaultCountry,
      ).destination
    } catch {
      return undefined
    }
    return this.deps.store.findPending(service.id, destination)
  }

  /** Tells the fraud guard a code was entered, in the cohort of the verification's start. */
  private countApproval(v: Verification): Promise<void> {
    return (
      this.deps.fraud?.recordApproval({
        serviceId: v.serviceId,
        destination: v.destination,
        country: v.country,
        clientIp: v.clientIp,
        startedAt: v.createdAt,
      }) ?? Promise.resolve()
    )
  }

  private assertPending(v: Verification): void {
    if (v.status === 'pending') {
      if (this.deps.clock.now() >= v.expiresAt) {
        throw new AppError('VERIFICATION_EXPIRED', {
          message: 'This code has expired. Request a new one.',
          details: { verification_id: v.id, status: 'expired' },
        })
      }
      return
    }
    if (v.status === 'expired') {
      throw new AppError('VERIFICATION_EXPIRED', {
        message: 'This code has expired. Request a new one.',
        details: { verification_id: v.id, status: 'expired' },
      })
    }
    throw new AppError('VERIFICATION_NOT_PENDING', {
      message: `This verification is already ${v.status}; start a new one if needed.`,
      details: { verification_id: v.id, status: v.status },
    })
  }

  private outboxMessage(
    v: Verification,
    channel: Channel,
    sendNumber: number,
    now: number,
  ): NewOutboxMessage {
    return {
      id: newId('message'),
      verificationId: v.id,
      serviceId: v.serviceId,
      channel,
      destination: v.destination,
      sendNumber,
      createdAt: now,
    }
  }

  private event(
    v: Pick<Verification, 'id' | 'serviceId' | 'destination'>,
    type: NewVerificationEvent['type'],
    at: number,
    data: Record<string, unknown>,
    subject?: EventSubject,
  ): NewVerificationEvent {
    const event = { verificationId: v.id, serviceId: v.serviceId, destination: v.destination, type, at, data }
    return subject ? { ...event, subject } : event
  }

  private recordRefusal(
    serviceId: string,
    destination: string,
    verificationId: string | null,
    r: LimitRefusal,
  ) {
    return this.recordLimitHit({
      serviceId,
      destination,
      verificationId,
      limit: r.limit,
      retryAfterMs: r.retryAfterMs,
    })
  }

  /** Hands stored events to the `onEvent` hook; a failing listener never fails the use-case. */
  private emit(events: readonly NewVerificationEvent[]): void {
    const onEvent = this.deps.onEvent
    if (!onEvent) return
    for (const e of events) {
      try {
        onEvent(e)
      } catch {
        // The event is already stored; listeners (metrics, webhooks) are best effort.
      }
    }
  }
}

/** The verification as an event leaves it, for in-process listeners (see `NewVerificationEvent.subject`). */
function subjectOf(v: Verification, status: VerificationStatus = v.status): EventSubject {
  return { status, channel: v.channel, country: v.country, risk: v.risk ?? null }
}

/** The error a line check's refusal is told with: what the lookup said, and what would work. */
function lineRefusal(verdict: Exclude<LineVerdict, { kind: 'send' }>): AppError {
  if (verdict.kind === 'require_factor') {
    const { simSwap } = verdict.risk
    return new AppError('SIM_SWAP_FACTOR_REQUIRED', {
      message: `This number's SIM card was swapped within the last ${simSwap.withinDays} days per the carrier lookup; a code sent to it is not proof of the person. Verify with another factor (an authenticator app or a passkey).`,
      details: {
        field: 'to',
        reason: 'sim_swap',
        swapped_within_days: simSwap.withinDays,
        last_swap_at: simSwap.lastSwapAt === null ? null : new Date(simSwap.lastSwapAt).toISOString(),
        factors: ['totp', 'passkey'],
      },
    })
  }
  const what = verdict.lineType === 'landline' ? 'a landline' : 'a VoIP number not tied to a line'
  const suggestion = verdict.callAllowed
    ? { channel: 'call', message: 'Ask for a voice call instead.' }
    : null
  return new AppError(
    verdict.lineType === 'landline' ? 'PHONE_NUMBER_NOT_SMS_CAPABLE' : 'LINE_TYPE_NOT_ALLOWED',
    {
      message: `This number is ${what} per the carrier lookup${verdict.carrier ? ` (${verdict.carrier})` : ''}, and this service does not send text codes to it.${verdict.callAllowed ? ' Ask for a voice call instead.' : ''}`,
      details: {
        field: 'to',
        reason: verdict.lineType === 'landline' ? 'not_sms_capable' : 'line_type_not_allowed',
        number_type: verdict.lineType,
        source: 'carrier_lookup',
        suggestion,
      },
    },
  )
}
