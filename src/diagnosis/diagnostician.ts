/**
 * @module The Diagnostician: gathers the facts about a verification (or a number) from the stores,
 * the phone analysis, the limit counters and route health, and hands them to `diagnose`.
 */

import { type Channel, isChannel } from '../channels/channel.js'
import type { OutboxStore } from '../delivery/outbox.js'
import type { RouteHealth } from '../delivery/routing/route-health.js'
import type { Router } from '../delivery/routing/router.js'
import { AppError } from '../errors/app-error.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { LimitsConfig } from '../limits/limits-config.js'
import type { NextSend, SafeListLookup } from '../limits/verification-limits.js'
import { analyzePhoneNumber, type PhoneAnalysis } from '../phone/index.js'
import type { LimitRule, RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Clock } from '../shared/clock.js'
import type { VerificationStore } from '../verification/store.js'
import type { Verification } from '../verification/verification.js'
import { str } from './describe.js'
import { diagnose } from './diagnose.js'
import type { CounterFacts, Diagnosis, GeoFacts, LimitFacts, RouteFacts } from './diagnosis.js'

export interface DiagnosticianDeps {
  readonly verifications: Pick<VerificationStore, 'get' | 'listEvents' | 'listByDestination'>
  readonly outbox: Pick<OutboxStore, 'listForVerification'>
  readonly clock: Clock
  /** No receipt by then after hand-over: the next route is tried (`routing.receiptTimeoutMs`). */
  readonly receiptTimeoutMs: number
  /** Account geo permissions (`config.geo`). Absent: the country is not checked. */
  readonly geo?: GeoFacts | undefined
  /**
   * Live limit counters, read with `peek` (never consumed), with the limits configuration they
   * were built from. Absent (the CLI without a shared limit store): only recorded `limit_hit`
   * events show limits.
   */
  readonly limiter?: Pick<RateLimiter, 'peek'> | undefined
  /** Support's safe list: a safe-listed number is exempt from the per-number send limit and the pumping guard. */
  readonly safeList?: SafeListLookup | undefined
  /** The fraud guard's live block on a number's range or country for a service, if any. */
  readonly fraudBlock?:
    | ((
        serviceId: string,
        destination: string,
      ) => Promise<{ readonly until: number; readonly message: string; readonly raw: object } | undefined>)
    | undefined
  readonly limitConfig?: LimitsConfig | undefined
  /**
   * The one answer to "when may this destination get another code, and how many are left"
   * (`VerificationLimits.nextSend`), for "you can ask for a new code in ...". Absent in the CLI
   * without the shared limit store: then only the resend cooldown is known.
   */
  readonly nextSend?: ((v: Verification, now: number) => Promise<NextSend>) | undefined
  /** Route health in this process (receipt latency p50, circuits). Absent in the CLI. */
  readonly health?: Pick<RouteHealth, 'all'> | undefined
  /** Routes per channel and country (sender IDs, coverage). Absent in the CLI. */
  readonly router?: Pick<Router, 'candidates' | 'channels'> | undefined
}

export interface DiagnoseNumberOptions {
  /** ISO country for national-format input (`07700 900123` with `GB`). */
  readonly defaultCountry?: string | undefined
  /** Only this service's verifications (and its per-destination check counter). */
  readonly serviceId?: string | undefined
  /** @default 'sms' */
  readonly channel?: Channel | undefined
  /** How many of the newest verifications to diagnose. @default 3 */
  readonly limit?: number | undefined
}

export interface NumberDiagnosis {
  /** The number as typed, analysed. */
  readonly phone: PhoneAnalysis
  /** Causes about the number itself (how it is typed, its type, its country, its limits). */
  readonly diagnosis: Diagnosis
  /** The newest verifications of the number, newest first, each diagnosed. */
  readonly verifications: readonly Diagnosis[]
}

/**
 * The counters of `VerificationLimits` this reads. Name and key must match the rules there
 * (`send-dest` keyed by destination, `check-dest` keyed by `service:destination`); the
 * diagnostician tests run real sends through the real limits, so a rename fails them.
 */
const SENDS_PER_DESTINATION = 'send-dest'
const CHECKS_PER_DESTINATION = 'check-dest'

export class Diagnostician {
  constructor(private readonly deps: DiagnosticianDeps) {}

  /**
   * Diagnoses one verification.
   * @throws AppError VERIFICATION_NOT_FOUND when there is none with this id (or not in `serviceId`)
   */
  async diagnoseVerification(id: string, opts: { serviceId?: string | undefined } = {}): Promise<Diagnosis> {
    const v = await this.deps.verifications.get(id)
    if (!v || (opts.serviceId && v.serviceId !== opts.serviceId)) {
      throw new AppError('VERIFICATION_NOT_FOUND', { message: `No verification with id "${id}".` })
    }
    return this.diagnoseLoaded(v)
  }

  /** Analyses a typed number, diagnoses it, and diagnoses its newest verifications. */
  async diagnoseNumber(input: string, opts: DiagnoseNumberOptions = {}): Promise<NumberDiagnosis> {
    const phone = analyzePhoneNumber(
      input,
      opts.defaultCountry ? { defaultCountry: opts.defaultCountry.toUpperCase() } : undefined,
    )
    const channel = opts.channel ?? 'sms'
    const e164 = phone.e164
    const now = this.deps.clock.now()
    const diagnosis = diagnose({
      now,
      phone,
      channel,
      geo: this.deps.geo,
      limits: e164 ? await this.limitFacts(e164, opts.serviceId) : undefined,
      routes: this.routeFacts(channel, phone.country ?? null, []),
    })
    const latest = e164
      ? await this.deps.verifications.listByDestination(
          e164,
          opts.limit ?? 3,
          opts.serviceId === undefined ? undefined : [opts.serviceId],
        )
      : []
    const verifications: Diagnosis[] = []
    for (const v of latest) verifications.push(await this.diagnoseLoaded(v))
    return { phone, diagnosis, verifications }
  }

  private async diagnoseLoaded(v: Verification): Promise<Diagnosis> {
    const [events, messages] = await Promise.all([
      this.deps.verifications.listEvents(v.id),
      this.deps.outbox.listForVerification(v.id),
    ])
    const phone = v.channel === 'email' ? undefined : analyzePhoneNumber(v.destination)
    const limits = await this.limitFacts(v.destination, v.serviceId)
    const now = this.deps.clock.now()
    const next = this.deps.nextSend ? await this.deps.nextSend(v, now) : undefined
    return diagnose({
      now: this.deps.clock.now(),
      verification: v,
      events,
      messages,
      phone,
      geo: this.deps.geo,
      limits: {
        ...limits,
        nextResendAt: next ? next.at : v.sendCount >= v.maxSends ? null : undefined,
        sendsLeft: next?.sendsLeft,
      },
      routes: this.routeFacts(v.channel, v.country, events),
    })
  }

  private async limitFacts(destination: string, serviceId: string | undefined): Promise<LimitFacts> {
    const { limiter, limitConfig } = this.deps
    if (!limiter || !limitConfig) return {}
    const read = async (
      name: string,
      rule: { points: number; durationSeconds: number },
      key: string,
    ): Promise<CounterFacts | undefined> => {
      const r: LimitRule = { name, points: rule.points, durationSeconds: rule.durationSeconds }
      try {
        const d = await limiter.peek(r, key)
        return {
          remaining: d.remaining,
          points: r.points,
          windowSeconds: r.durationSeconds,
          retryAfterMs: d.retryAfterMs,
        }
      } catch {
        // A limit store that is down must not take the diagnosis with it.
        return undefined
      }
    }
    return {
      safeListed: await this.deps.safeList?.isSafe(destination).catch(() => false),
      sendsPerDestination: await read(SENDS_PER_DESTINATION, limitConfig.sendsPerDestination, destination),
      checksPerDestination: serviceId
        ? await read(CHECKS_PER_DESTINATION, limitConfig.checksPerDestination, `${serviceId}:${destination}`)
        : undefined,
      fraudBlock: serviceId ? await this.fraudFacts(serviceId, destination) : undefined,
    }
  }

  private async fraudFacts(serviceId: string, destination: string): Promise<LimitFacts['fraudBlock']> {
    const block = await this.deps.fraudBlock?.(serviceId, destination).catch(() => undefined)
    if (!block) return undefined
    return { retryAfterMs: block.until - this.deps.clock.now(), fact: block.message, raw: block.raw }
  }

  private routeFacts(
    channel: Channel,
    country: string | null,
    events: readonly VerificationEvent[],
  ): RouteFacts {
    const { router, health } = this.deps
    const channels = new Set<Channel>([channel])
    for (const e of events) {
      const c = str(e.data, 'channel') ?? str(e.data, 'to_channel')
      if (c !== undefined && isChannel(c)) channels.add(c)
    }
    const senders: Record<string, string | null> = {}
    if (router)
      for (const c of channels) for (const r of router.candidates(c, country)) senders[r.id] = r.from ?? null
    return {
      receiptTimeoutMs: this.deps.receiptTimeoutMs,
      // `all()` rather than `snapshot(route)`: a snapshot of an unknown route would start tracking it.
      health: health?.all(),
      senders,
      covering: router?.candidates(channel, country).map((r) => r.id),
      channelConfigured: router ? router.channels().includes(channel) : undefined,
    }
  }
}
