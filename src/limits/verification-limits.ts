/**
 * @module The layered limits of verification traffic. Each refusal names the limit and the exact
 * time to wait, and is recorded as a `limit_hit` event so support and diagnosis can see it.
 */

import { AppError, rateLimited } from '../errors/app-error.js'
import type { LimitRule, RateLimiter } from '../ratelimit/rate-limiter.js'
import type { LimitsConfig } from './limits-config.js'

export const LIMIT_NAMES = [
  'sends_per_destination',
  'starts_per_ip',
  'starts_per_service',
  'global_sends',
  'checks_per_destination',
  'resend_cooldown',
  'max_sends',
  'max_check_attempts',
  'starts_per_prefix',
] as const
export type LimitName = (typeof LIMIT_NAMES)[number]

const MESSAGES: Record<LimitName, string> = {
  sends_per_destination: 'Too many codes were sent to this number recently.',
  starts_per_ip: 'Too many verifications were started from this network.',
  starts_per_service: 'This app is starting verifications faster than it is allowed to.',
  global_sends: 'The server has reached its sending budget for now.',
  checks_per_destination: 'Too many codes were tried for this number recently.',
  resend_cooldown: 'A code was sent a moment ago.',
  max_sends: 'This verification has been sent as many times as allowed.',
  max_check_attempts: 'Too many wrong codes were entered.',
  starts_per_prefix: 'Too many verifications went to this range of numbers; it is blocked for now.',
}

/**
 * "When may this destination get another code, and how many are left": the one answer, read by the
 * API's representations, the page, the diagnosis and the console, from the same rules that admit a
 * resend (cooldown, the verification's own send limit, sends per destination, the global budget),
 * so that what a surface shows is never contradicted by the next call.
 */
export interface NextSend {
  /**
   * When the next send will be accepted (ms since the epoch; `now` or earlier means now), or null
   * when no other send is possible in this verification's life.
   */
  readonly at: number | null
  /** How many more sends are possible, counted at `at` (0 when `at` is null). */
  readonly sendsLeft: number
  /** The limit that sets `at` (or makes it null); null when a send is allowed now. */
  readonly limit: LimitName | null
  /**
   * When `limit` lifts, even if that is after this verification expires (then `at` is null, and a
   * new verification may be started from this time). Null when nothing but the verification's own
   * end stands in the way.
   */
  readonly liftsAt: number | null
}

/** What `nextSend` reads of a verification. */
export interface SendState {
  readonly status: string
  readonly destination: string
  readonly sendCount: number
  readonly maxSends: number
  readonly lastSentAt: number
  readonly expiresAt: number
}

export interface LimitRefusal {
  readonly limit: LimitName
  readonly retryAfterMs: number
  readonly error: AppError
}

/**
 * Limit windows are whole seconds; a reset time read from a counter carries a millisecond of jitter
 * from one read to the next, so it is told to the second (rounded up: never earlier than true).
 */
function wholeSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000
}

function waitText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000))
  if (s < 90) return `${s} second${s === 1 ? '' : 's'}`
  const m = Math.ceil(s / 60)
  return `${m} minute${m === 1 ? '' : 's'}`
}

export function refusal(
  limit: LimitName,
  retryAfterMs: number,
  extra: Record<string, unknown> = {},
): LimitRefusal {
  const message = `${MESSAGES[limit]} Try again in ${waitText(retryAfterMs)}.`
  if (limit === 'starts_per_prefix') {
    const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000))
    return {
      limit,
      retryAfterMs,
      error: new AppError('FRAUD_SUSPECTED', {
        message,
        details: { limit, retry_after: retryAfter, ...extra },
        headers: { 'retry-after': String(retryAfter) },
      }),
    }
  }
  const code =
    limit === 'max_sends'
      ? 'MAX_SENDS_REACHED'
      : limit === 'max_check_attempts'
        ? 'MAX_CHECK_ATTEMPTS_REACHED'
        : 'RATE_LIMITED'
  return { limit, retryAfterMs, error: rateLimited(code, limit, retryAfterMs, message, extra) }
}

/** The limits kept as counters in the rate limiter (the others are read off the verification). */
export type CounterLimit = Extract<
  LimitName,
  | 'sends_per_destination'
  | 'starts_per_ip'
  | 'starts_per_service'
  | 'global_sends'
  | 'checks_per_destination'
  | 'starts_per_prefix'
>

/** One counter an admission consumed, so it can be given back (see `refund`). */
export interface CounterTake {
  readonly limit: CounterLimit
  readonly key: string
}

/**
 * Numbers support has vouched for (the console's safe list). A safe-listed destination is never
 * refused by the SMS-pumping guard (`starts_per_prefix`) or `sends_per_destination`.
 */
export interface SafeListLookup {
  isSafe(destination: string): Promise<boolean>
}

/** The limits a safe-listed destination is exempt from. */
export const SAFE_LIST_EXEMPT: ReadonlySet<CounterLimit> = new Set<CounterLimit>([
  'sends_per_destination',
  'starts_per_prefix',
])

export class VerificationLimits {
  private readonly rules: Record<CounterLimit, LimitRule>

  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: LimitsConfig,
    private readonly safeList?: SafeListLookup,
  ) {
    const rule = (name: string, r: { points: number; durationSeconds: number }): LimitRule => ({
      name,
      points: r.points,
      durationSeconds: r.durationSeconds,
    })
    this.rules = {
      sends_per_destination: rule('send-dest', config.sendsPerDestination),
      starts_per_ip: rule('start-ip', config.startsPerIp),
      starts_per_service: rule('start-svc', config.startsPerService),
      global_sends: rule('send-global', config.globalSends),
      checks_per_destination: rule('check-dest', config.checksPerDestination),
      starts_per_prefix: rule('start-prefix', config.startsPerPrefix),
    }
  }

  private async take(
    limit: CounterLimit,
    key: string,
    taken?: CounterTake[],
  ): Promise<LimitRefusal | undefined> {
    const rule = this.rules[limit]
    const decision = await this.limiter.consume(rule, key)
    // A refused consume counts against the window too, so it is recorded for a refund as well.
    taken?.push({ limit, key })
    if (decision.allowed) return undefined
    return refusal(limit, decision.retryAfterMs, {
      limit_points: rule.points,
      limit_window_seconds: rule.durationSeconds,
    })
  }

  /** Limits on starting a new verification (before any send is counted). */
  async admitStart(
    serviceId: string,
    clientIp: string | undefined,
    destination?: string,
    taken?: CounterTake[],
  ): Promise<LimitRefusal | undefined> {
    if (destination?.startsWith('+')) {
      const byPrefix = await this.take('starts_per_prefix', this.prefixKey(serviceId, destination), taken)
      // The safe list is read only on a refusal, so it costs nothing on the normal path.
      if (byPrefix && !(await this.isSafe(destination))) return byPrefix
    }
    if (clientIp) {
      const byIp = await this.take('starts_per_ip', `${serviceId}:${clientIp}`, taken)
      if (byIp) return byIp
    }
    return this.take('starts_per_service', serviceId, taken)
  }

  /** Limits on one more message to a destination (first send or resend). */
  async admitSend(destination: string, taken?: CounterTake[]): Promise<LimitRefusal | undefined> {
    const byDestination = await this.take('sends_per_destination', destination, taken)
    if (byDestination && !(await this.isSafe(destination))) return byDestination
    return this.take('global_sends', 'all', taken)
  }

  private prefixKey(serviceId: string, destination: string): string {
    return `${serviceId}:${destination.slice(0, 1 + this.config.prefixDigits)}`
  }

  private async isSafe(destination: string): Promise<boolean> {
    return this.safeList ? this.safeList.isSafe(destination) : false
  }

  async admitCheck(serviceId: string, destination: string): Promise<LimitRefusal | undefined> {
    return this.take('checks_per_destination', `${serviceId}:${destination}`)
  }

  /** See `NextSend`. Reads counters without consuming them. */
  async nextSend(v: SendState, now: number): Promise<NextSend> {
    const none = (limit: LimitName | null, liftsAt: number | null = null): NextSend => ({
      at: null,
      sendsLeft: 0,
      limit,
      liftsAt,
    })
    if (v.status !== 'pending' || now >= v.expiresAt) return none(null)
    const ownLeft = v.maxSends - v.sendCount
    if (ownLeft <= 0) return none('max_sends')
    let at = now
    let limit: LimitName | null = null
    const later = (when: number, name: LimitName) => {
      if (when > at) {
        at = when
        limit = name
      }
    }
    later(v.lastSentAt + this.resendCooldownMs(v.sendCount), 'resend_cooldown')
    const byDestination = await this.limiter.peek(this.rules.sends_per_destination, v.destination)
    const exempt = !byDestination.allowed && (await this.isSafe(v.destination))
    if (!byDestination.allowed && !exempt) later(wholeSecond(byDestination.resetAt), 'sends_per_destination')
    const global = await this.limiter.peek(this.rules.global_sends, 'all')
    if (!global.allowed) later(wholeSecond(global.resetAt), 'global_sends')
    if (at >= v.expiresAt) return none(limit, at)
    // At `at`, a window that has ended by then offers its full allowance again.
    const destinationLeft = exempt
      ? ownLeft
      : at >= byDestination.resetAt
        ? this.rules.sends_per_destination.points
        : byDestination.remaining
    return {
      at,
      sendsLeft: Math.max(0, Math.min(ownLeft, destinationLeft)),
      limit,
      liftsAt: limit ? at : null,
    }
  }

  /**
   * Gives back what an admission consumed when the request did not go ahead (it lost a race to a
   * concurrent identical start, which sent the code instead).
   */
  async refund(taken: readonly CounterTake[]): Promise<void> {
    for (const t of taken) await this.limiter.refund(this.rules[t.limit], t.key)
  }

  /** Wait before the next resend, growing with each send: 30 s, 60 s, 120 s... (configurable). */
  resendCooldownMs(sendCount: number): number {
    const steps = this.config.resendCooldownSeconds
    return (steps[Math.min(Math.max(sendCount - 1, 0), steps.length - 1)] ?? 0) * 1000
  }

  /** Clears a limit for a key (support's "lift a limit"). */
  async lift(limit: CounterLimit, key: string): Promise<void> {
    await this.limiter.reset(this.rules[limit], key)
  }

  /**
   * Clears every counter that applies to one destination: its sends, and for each of
   * `serviceIds` its checks and its number range (the SMS-pumping guard). Returns what was cleared.
   */
  async liftForDestination(destination: string, serviceIds: readonly string[]): Promise<CounterLimit[]> {
    await this.lift('sends_per_destination', destination)
    const lifted: CounterLimit[] = ['sends_per_destination']
    for (const serviceId of new Set(serviceIds)) {
      await this.lift('checks_per_destination', `${serviceId}:${destination}`)
      if (destination.startsWith('+'))
        await this.lift('starts_per_prefix', this.prefixKey(serviceId, destination))
    }
    if (serviceIds.length > 0) lifted.push('checks_per_destination')
    if (serviceIds.length > 0 && destination.startsWith('+')) lifted.push('starts_per_prefix')
    return lifted
  }
}
