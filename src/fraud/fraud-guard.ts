/**
 * @module FraudGuard: the conversion-based guard against SMS pumping (docs/fraud.md). It counts
 * starts and approvals per number range, country, client IP and service in sliding windows, and
 * refuses a new start to a range, country or IP whose conversion fell far below its baseline
 * (FRAUD_SUSPECTED), before anything is sent. Modes per service (enforce, shadow, off), per-country
 * daily caps, the safe list, and support's lifts (audited by the support actions).
 */
import type { Counter, Registry } from 'prom-client'
import { Counter as PromCounter } from 'prom-client'
import { AppError } from '../errors/app-error.js'
import type { SafeListLookup } from '../limits/verification-limits.js'
import type { RateLimiter } from '../ratelimit/rate-limiter.js'
import type { Clock } from '../shared/clock.js'
import {
  baselineFor,
  type CohortTotals,
  judge,
  NO_TOTALS,
  peerRate,
  totalsOf,
  withoutStart,
} from './conversion.js'
import type { FraudConfig, FraudMode } from './fraud-config.js'
import { BUCKETS, bucketOf, type FraudDimension, type FraudMark, type FraudStore } from './fraud-store.js'
import type { ServiceFraudSettings } from './service-fraud-settings.js'

/** What the guard needs of a start (a new verification to a phone number). */
export interface FraudStart {
  readonly serviceId: string
  /** E.164; anything else (an email) is not judged. */
  readonly destination: string
  readonly country: string | null
  readonly clientIp?: string | null | undefined
  /** The service's own settings (mode, country caps), which win over the configured ones. */
  readonly settings?: ServiceFraudSettings | null | undefined
}

/** What the guard needs of an approved verification, to count it against its start. */
export interface FraudApproval extends FraudStart {
  /** When the verification was started (its approval counts in that bucket). */
  readonly startedAt: number
}

export type FraudVerdict =
  | { readonly outcome: 'pass' }
  /** Refused (enforce): `error` is thrown to the caller; `details` go in the `limit_hit` event. */
  | {
      readonly outcome: 'blocked'
      readonly mode: 'enforce'
      readonly error: AppError
      readonly details: Readonly<Record<string, unknown>>
      readonly retryAfterMs: number
    }
  /** Would have been refused, but the service is in shadow mode or the number is safe-listed. */
  | {
      readonly outcome: 'flagged' | 'safe_listed'
      readonly mode: FraudMode
      readonly details: Readonly<Record<string, unknown>>
    }

/** The surface the verifier uses (an interface so tests and other wirings can stand in). */
export interface FraudScreen {
  /**
   * Judges a start and, unless it is refused, counts it at once: concurrent starts to one range
   * see each other as soon as they are let through, not when their sends are stored.
   */
  screen(start: FraudStart): Promise<FraudVerdict>
  /** Takes back a start `screen` counted that did not go ahead (another limit, a lost race). */
  forgetStart(start: FraudStart, at: number): Promise<void>
  recordApproval(approval: FraudApproval): Promise<void>
}

export interface FraudGuardDeps {
  readonly store: FraudStore
  readonly clock: Clock
  readonly config: FraudConfig
  readonly safeList?: SafeListLookup | undefined
  /** For the per-country daily caps. */
  readonly limiter: RateLimiter
  /** Told once per new block (alert webhook, log). Must not throw. */
  readonly onBlock?: ((mark: FraudMark) => void) | undefined
  /**
   * Whether a start costs nothing and reaches nobody: a fictional (Ofcom drama-range) number that
   * only the carrier simulator routes (wired in deps.ts). Such starts are never refused: they are
   * judged as in shadow mode, on their own range only, so trying verigate out with the simulator's
   * test numbers neither trips the guard nor drags down the baselines real numbers are judged on.
   */
  readonly isFreeTestNumber?: ((start: FraudStart) => boolean) | undefined
  /** Told when the store fails: the guard then lets starts through (fails open). */
  readonly onStoreError?: ((err: unknown) => void) | undefined
}

const PERCENT = (r: number | null) => (r === null ? 'n/a' : `${Math.round(r * 1000) / 10}%`)

/** `prefix|svc_1|+44791111` */
export function fraudKey(dimension: FraudDimension, serviceId: string, value: string): string {
  return `${dimension}|${serviceId}|${value}`
}

function describeTarget(m: Pick<FraudMark, 'dimension' | 'value'>): string {
  switch (m.dimension) {
    case 'prefix':
      return `numbers starting ${m.value}`
    case 'country':
      return `${m.value} numbers`
    case 'ip':
      return `starts from client IP ${m.value}`
    case 'service':
      return 'this service'
  }
}

/** The public explanation of a block: which range, its conversion, since when, how to lift it. */
export function blockMessage(m: FraudMark, windowSince: number | null): string {
  const e = m.evidence
  const since = new Date(windowSince ?? m.since).toISOString()
  const figures = !e
    ? ''
    : e.rule === 'unproven_burst'
      ? ` ${e.starts} codes were sent there since ${since} and none was entered.`
      : ` Only ${e.approvals} codes were entered for ${e.starts} sent since ${since} (conversion ${PERCENT(e.conversion)} against ${PERCENT(e.baseline)} expected).`
  return `Verifications to ${describeTarget(m)} are paused as suspected SMS pumping, since ${new Date(m.since).toISOString()}.${figures} Support can lift this in the console (Fraud guard) with a reason; otherwise it lifts at ${new Date(m.until).toISOString()}.`
}

export class FraudGuard implements FraudScreen {
  private readonly windowMs: number
  private readonly delayMs: number
  private decisions: Counter<'dimension' | 'outcome' | 'mode'> | undefined
  private blocksDecided: Counter<'dimension' | 'rule'> | undefined
  private storeErrors: Counter | undefined

  constructor(private readonly deps: FraudGuardDeps) {
    this.windowMs = deps.config.windowSeconds * 1000
    this.delayMs = deps.config.approvalDelaySeconds * 1000
  }

  /** Registers the guard's counters (prom-client) on the app's registry. */
  registerMetrics(registry: Registry): void {
    const registers = [registry]
    this.decisions = new PromCounter({
      name: 'verigate_fraud_decisions_total',
      help: 'Starts the fraud guard judged suspect, by dimension (prefix, country, ip, country_cap), outcome (blocked, flagged in shadow mode, safe_listed) and mode.',
      labelNames: ['dimension', 'outcome', 'mode'] as const,
      registers,
    })
    this.blocksDecided = new PromCounter({
      name: 'verigate_fraud_blocks_total',
      help: 'Blocks the fraud guard decided (one per range, country or IP as it becomes suspect), by dimension and rule.',
      labelNames: ['dimension', 'rule'] as const,
      registers,
    })
    this.storeErrors = new PromCounter({
      name: 'verigate_fraud_store_errors_total',
      help: 'Fraud guard store failures; the starts concerned were let through unjudged.',
      registers,
    })
  }

  /**
   * The mode of a service: its own setting (admin API, console), else its entry in the config,
   * else the configured default.
   */
  modeFor(serviceId: string, settings?: ServiceFraudSettings | null): FraudMode {
    return settings?.mode ?? this.deps.config.services[serviceId]?.mode ?? this.deps.config.mode
  }

  /** The per-country daily caps of a service: its own when set (`{}`: none), else the configured ones. */
  capsFor(settings?: ServiceFraudSettings | null): Readonly<Record<string, number>> {
    return settings?.countryDailyCaps ?? this.deps.config.countryDailyCaps
  }

  private isFree(s: FraudStart): boolean {
    return this.deps.isFreeTestNumber?.(s) ?? false
  }

  private keysOf(s: FraudStart): { dimension: FraudDimension; value: string; key: string }[] {
    const keys: { dimension: FraudDimension; value: string; key: string }[] = []
    const add = (dimension: FraudDimension, value: string) =>
      keys.push({ dimension, value, key: fraudKey(dimension, s.serviceId, value) })
    add('prefix', s.destination.slice(0, 1 + this.deps.config.prefixDigits))
    // A free test number counts on its own range only: its unentered codes are not evidence
    // against its country, the client IP or the service.
    if (this.isFree(s)) return keys
    if (s.country) add('country', s.country)
    if (s.clientIp) add('ip', s.clientIp)
    add('service', s.serviceId)
    return keys
  }

  async screen(start: FraudStart): Promise<FraudVerdict> {
    if (!start.destination.startsWith('+')) return { outcome: 'pass' }
    const configured = this.modeFor(start.serviceId, start.settings)
    const free = configured !== 'off' && this.isFree(start)
    // Never refused, still judged and recorded: what enforce would do shows as `flagged`.
    const mode: FraudMode = free ? 'shadow' : configured
    const at = this.deps.clock.now()
    // Counted before it is judged, so concurrent starts to one range (on any instance) see each
    // other: the judgement includes this start, and a refused one is taken back below. Off mode
    // counts too, so a service switched back to shadow or enforce is judged on figures.
    if (!(await this.recordStart(start, at)) || mode === 'off') return { outcome: 'pass' }
    let suspect: { mark: FraudMark; windowSince: number | null } | undefined
    try {
      suspect = await this.findSuspect(start, at, mode)
    } catch (err) {
      this.storeFailed(err)
      return { outcome: 'pass' }
    }
    const judged = suspect
      ? await this.verdict(start, mode, suspect.mark, suspect.windowSince)
      : free
        ? ({ outcome: 'pass' } as const)
        : await this.countryCap(start, mode)
    const verdict: FraudVerdict =
      free && judged.outcome !== 'pass'
        ? { ...judged, details: { ...judged.details, exempt: 'simulator_test_number' } }
        : judged
    if (verdict.outcome === 'blocked') await this.forgetStart(start, at)
    return verdict
  }

  /** A live block on one of the start's keys, or a key that the figures now make suspect. */
  private async findSuspect(
    start: FraudStart,
    at: number,
    mode: FraudMode,
  ): Promise<{ mark: FraudMark; windowSince: number | null } | undefined> {
    const { store, clock, config } = this.deps
    const now = clock.now()
    const keys = this.keysOf(start)
    const judged = keys.filter((k) => k.dimension !== 'service')
    const marks = await store.marks(
      judged.map((k) => k.key),
      now,
    )
    const blocked = marks.find((m) => m?.kind === 'block')
    if (blocked) return { mark: blocked, windowSince: null }
    const lifted = new Set(marks.filter((m) => m?.kind === 'lift').map((m) => m!.key))

    const buckets = await store.read(
      keys.map((k) => k.key),
      bucketOf(now - this.windowMs, this.windowMs) + 1,
      now,
    )
    const totals = new Map<FraudDimension, CohortTotals>()
    for (const [i, k] of keys.entries()) {
      const all = totalsOf(buckets[i] ?? [], now, this.windowMs, this.delayMs)
      totals.set(k.dimension, withoutStart(all, at, now, this.windowMs, this.delayMs))
    }
    const service = totals.get('service') ?? NO_TOTALS
    for (const k of judged) {
      if (lifted.has(k.key)) continue
      const own = totals.get(k.dimension) ?? NO_TOTALS
      const parents =
        k.dimension === 'prefix' && totals.has('country')
          ? [
              { from: 'country' as const, totals: totals.get('country')! },
              { from: 'service' as const, totals: service },
            ]
          : [{ from: 'service' as const, totals: service }]
      const evidence = judge(
        own,
        baselineFor(own, parents, config.baseline),
        {
          minExpectedApprovals: config.minExpectedApprovals,
          suspectRatio: config.suspectRatio,
          // The burst rule is for ranges: a country or an IP has no "walk" to catch early.
          unprovenRangeStarts: k.dimension === 'prefix' ? config.unprovenRangeStarts : 0,
        },
        peerRate(service, own, 2 * config.minExpectedApprovals),
      )
      if (!evidence) continue
      const mark: FraudMark = {
        key: k.key,
        kind: 'block',
        serviceId: start.serviceId,
        dimension: k.dimension,
        value: k.value,
        since: now,
        until: now + config.blockSeconds * 1000,
        evidence,
      }
      // Only a service in enforce mode stores a block; shadow mode judges afresh on each start, so
      // what it reports is what enforce would do now.
      if (mode === 'enforce') {
        if (await store.putMark(mark, now)) {
          // What the blocked range sent no longer counts against its country and service: they are
          // judged on what no block explains, so one attacked range does not take its country down.
          if (k.dimension === 'prefix') {
            const own = buckets[keys.indexOf(k)] ?? []
            await store.subtract(
              keys.filter((p) => p.dimension === 'country' || p.dimension === 'service').map((p) => p.key),
              own,
              now,
            )
          }
          this.blocksDecided?.inc({ dimension: k.dimension, rule: evidence.rule })
          this.deps.onBlock?.(mark)
          return { mark, windowSince: own.since }
        }
        // Another instance decided first: its block (and its `since`) is the one told.
        const [existing] = await store.marks([k.key], now)
        if (existing?.kind === 'lift') continue
        return { mark: existing ?? mark, windowSince: own.since }
      }
      return { mark, windowSince: own.since }
    }
    return undefined
  }

  private async verdict(
    start: FraudStart,
    mode: FraudMode,
    mark: FraudMark,
    windowSince: number | null,
  ): Promise<FraudVerdict> {
    const now = this.deps.clock.now()
    const e = mark.evidence
    const details: Record<string, unknown> = {
      reason: 'fraud_guard',
      dimension: mark.dimension,
      [mark.dimension === 'prefix' ? 'range' : mark.dimension]: mark.value,
      rule: e?.rule ?? null,
      starts: e?.starts ?? null,
      approvals: e?.approvals ?? null,
      conversion: e?.conversion ?? null,
      expected_conversion: e?.baseline ?? null,
      baseline_from: e?.baselineFrom ?? null,
      blocked_since: new Date(mark.since).toISOString(),
      lifts_at: new Date(mark.until).toISOString(),
      how_to_lift: 'Support lifts it in the console (Fraud guard page) with a reason; it is audited.',
    }
    return this.refuseOrFlag(
      start,
      mode,
      mark.dimension,
      details,
      mark.until - now,
      blockMessage(mark, windowSince),
    )
  }

  private async refuseOrFlag(
    start: FraudStart,
    mode: FraudMode,
    dimension: string,
    details: Record<string, unknown>,
    retryAfterMs: number,
    message: string,
  ): Promise<FraudVerdict> {
    // The safe list is read only when the guard would refuse, so it costs nothing on the normal path.
    if (this.deps.safeList && (await this.deps.safeList.isSafe(start.destination))) {
      this.decisions?.inc({ dimension, outcome: 'safe_listed', mode })
      return { outcome: 'safe_listed', mode, details }
    }
    if (mode !== 'enforce') {
      this.decisions?.inc({ dimension, outcome: 'flagged', mode })
      return { outcome: 'flagged', mode, details }
    }
    this.decisions?.inc({ dimension, outcome: 'blocked', mode })
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
    return {
      outcome: 'blocked',
      mode,
      retryAfterMs,
      details: { ...details, retry_after: retryAfter },
      error: new AppError('FRAUD_SUSPECTED', {
        message,
        details: { limit: 'fraud_guard', ...details, retry_after: retryAfter },
        headers: { 'retry-after': String(retryAfter) },
      }),
    }
  }

  /** Per-country daily caps (`countryDailyCaps`), counted per service. */
  private async countryCap(start: FraudStart, mode: FraudMode): Promise<FraudVerdict> {
    const own = start.settings?.countryDailyCaps != null
    const cap = start.country ? this.capsFor(start.settings)[start.country] : undefined
    if (!cap || !start.country) return { outcome: 'pass' }
    const taken = await this.deps.limiter.consume(
      { name: 'fraud-country-day', points: cap, durationSeconds: 86_400 },
      `${start.serviceId}:${start.country}`,
    )
    if (taken.allowed) return { outcome: 'pass' }
    const liftsAt = this.deps.clock.now() + taken.retryAfterMs
    return this.refuseOrFlag(
      start,
      mode,
      'country_cap',
      {
        reason: 'country_daily_cap',
        dimension: 'country',
        country: start.country,
        cap,
        lifts_at: new Date(liftsAt).toISOString(),
        how_to_lift: own
          ? `Raise the service's fraud.country_daily_caps.${start.country} (PATCH /v1/services/{id}, or the console's service page).`
          : `Raise fraud.countryDailyCaps.${start.country} in the server's configuration, or give the service its own caps (fraud.country_daily_caps on PATCH /v1/services/{id}).`,
      },
      taken.retryAfterMs,
      `The daily cap of ${cap} verifications to ${start.country} numbers for this service is reached; it resets at ${new Date(liftsAt).toISOString()}. ${
        own
          ? "The service's own fraud settings set it (admin API or the console's service page)."
          : 'The operator sets it in fraud.countryDailyCaps, or per service through the admin API.'
      }`,
    )
  }

  /** Counts a start. A failing store is reported, never thrown: false then (the start goes unjudged). */
  private async recordStart(start: FraudStart, now: number): Promise<boolean> {
    try {
      await this.deps.store.add(
        this.keysOf(start).map((k) => k.key),
        'starts',
        bucketOf(now, this.windowMs),
        now,
      )
      return true
    } catch (err) {
      this.storeFailed(err)
      return false
    }
  }

  async forgetStart(start: FraudStart, at: number): Promise<void> {
    if (!start.destination.startsWith('+')) return
    await this.deps.store
      .subtract(
        this.keysOf(start).map((k) => k.key),
        [{ bucket: bucketOf(at, this.windowMs), starts: 1, approvals: 0 }],
        this.deps.clock.now(),
      )
      .catch((err: unknown) => this.storeFailed(err))
  }

  /** Counts an approval in the bucket of its start, so each bucket's conversion is exact. */
  async recordApproval(a: FraudApproval): Promise<void> {
    if (!a.destination.startsWith('+')) return
    const now = this.deps.clock.now()
    if (now - a.startedAt >= this.windowMs) return
    await this.deps.store
      .add(
        this.keysOf(a).map((k) => k.key),
        'approvals',
        bucketOf(a.startedAt, this.windowMs),
        now,
      )
      .catch((err: unknown) => this.storeFailed(err))
  }

  private storeFailed(err: unknown): void {
    this.storeErrors?.inc()
    this.deps.onStoreError?.(err)
  }

  /**
   * The live block that refuses new starts to `destination` for a service now (its range, its
   * country), for the diagnosis; undefined when none (or the store is down).
   */
  async blockFor(
    serviceId: string,
    destination: string,
    country: string | null,
  ): Promise<{ mark: FraudMark; message: string } | undefined> {
    if (!destination.startsWith('+')) return undefined
    const keys = this.keysOf({ serviceId, destination, country }).filter(
      (k) => k.dimension === 'prefix' || k.dimension === 'country',
    )
    const marks = await this.deps.store
      .marks(
        keys.map((k) => k.key),
        this.deps.clock.now(),
      )
      .catch(() => [])
    const mark = marks.find((m) => m?.kind === 'block')
    return mark ? { mark, message: blockMessage(mark, null) } : undefined
  }

  /** Live blocks and lifts, newest first (the console's Fraud guard page). */
  marks(limit = 200): Promise<FraudMark[]> {
    return this.deps.store.listMarks(this.deps.clock.now(), limit)
  }

  /**
   * Lifts a live block: the key is not judged for `liftSeconds`. The caller audits it (support).
   * @throws AppError FRAUD_BLOCK_NOT_FOUND when the key has no live block
   */
  async lift(key: string, by: string, reason: string): Promise<FraudMark> {
    const now = this.deps.clock.now()
    const [current] = await this.deps.store.marks([key], now)
    if (current?.kind !== 'block') {
      throw new AppError('FRAUD_BLOCK_NOT_FOUND', {
        message: 'There is no fraud block on this key any more (it lifted by itself or was lifted).',
        details: { key },
      })
    }
    const lift: FraudMark = {
      key,
      kind: 'lift',
      serviceId: current.serviceId,
      dimension: current.dimension,
      value: current.value,
      since: now,
      until: now + this.deps.config.liftSeconds * 1000,
      evidence: current.evidence,
      by,
      reason,
    }
    await this.deps.store.putMark(lift, now)
    return lift
  }
}

/** Buckets per window, for docs and tests. */
export const FRAUD_BUCKETS = BUCKETS
