/**
 * @module The carrier lookup before a first send: asks the configured provider about a number,
 * caches the answer per number for `cacheTtlSeconds`, and never holds a send up for long: a lookup
 * that fails or takes longer than `timeoutMs` is logged (number masked), counted, and the send goes
 * ahead without it.
 */

import type { Logger } from 'pino'
import type { Clock } from '../shared/clock.js'
import { ExpiringMap } from '../shared/expiring-map.js'
import { maskPhone } from '../shared/mask.js'
import { withTimeoutSignal } from '../shared/timeout-signal.js'
import type { LineFacts, LineLookupProvider } from './line-facts.js'

/** At most this many numbers are cached per process. */
const CACHE_SIZE = 100_000

export interface LookupCounters {
  /** Answers from the provider. */
  answered: number
  /** Answers reused from the cache. */
  cached: number
  /** Lookups that failed or ran out of time (the send went ahead without them). */
  failed: number
}

export class CarrierLookup {
  private readonly cache = new ExpiringMap<LineFacts>(CACHE_SIZE)
  readonly counters: LookupCounters = { answered: 0, cached: 0, failed: 0 }

  constructor(
    private readonly deps: {
      readonly provider: LineLookupProvider
      readonly clock: Clock
      readonly logger: Logger
      readonly cacheTtlSeconds: number
      readonly timeoutMs: number
    },
  ) {}

  /** The facts about `e164`, or undefined when the lookup failed or timed out (never throws). */
  async facts(e164: string): Promise<LineFacts | undefined> {
    const { provider, clock, logger, cacheTtlSeconds, timeoutMs } = this.deps
    const now = clock.now()
    const hit = this.cache.get(e164, now)
    if (hit) {
      this.counters.cached += 1
      return hit.value
    }
    try {
      const facts = await withTimeoutSignal(timeoutMs, ({ signal }) => provider.lookup(e164, { signal, now }))
      this.counters.answered += 1
      if (cacheTtlSeconds > 0) this.cache.set(e164, facts, now + cacheTtlSeconds * 1000, clock.now())
      return facts
    } catch (err) {
      this.counters.failed += 1
      const timedOut = (err as Error)?.name === 'TimeoutError'
      logger.warn(
        { err: timedOut ? undefined : err, to: maskPhone(e164), provider: provider.id, timedOut },
        'carrier lookup failed; sending without it',
      )
      return undefined
    }
  }
}
