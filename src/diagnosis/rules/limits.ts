/**
 * @module Rule: the limits. Recorded `limit_hit` events still in force and exhausted counters read
 * with `peek` become `rate_limited` (the longest wait decides), `max_sends_reached` or
 * `max_attempts_reached`. What is left to send comes from the input's limits (see facts.ts).
 */
import { SAFE_LIST_EXEMPT } from '../../limits/verification-limits.js'
import { iso, num, str, waitSeconds } from '../describe.js'
import type { CounterFacts, Evidence } from '../diagnosis.js'
import { attemptsLeft, type DiagnosisFacts, evidenceOf, sendsLeft } from '../facts.js'
import { type DiagnosisRule, duration, type Finding, finding, type UserSituation, yesNo } from '../finding.js'
import { COOLDOWN_WEIGHT } from '../ranking.js'
import { counterList, supportFact } from '../support-words/index.js'

interface ActiveLimit {
  readonly limit: string
  readonly retryAt: number
  readonly evidence: Evidence
}

export const limitsRule: DiagnosisRule = {
  name: 'limits',
  find(facts) {
    const active = activeLimits(facts)
    return [...maxSends(facts, active), ...maxAttemptsByLimit(facts, active), ...rateLimited(facts, active)]
  },
}

/** Limits that still refuse now: recorded hits not yet over, and counters read with `peek`. */
function activeLimits(facts: DiagnosisFacts): ActiveLimit[] {
  const active: ActiveLimit[] = []
  const safeListed = facts.input.limits?.safeListed === true
  const counters = facts.input.limits
  // A counter read now outranks a recorded hit of the same limit: support may have lifted it since.
  const readNow = new Set([
    ...(counters?.sendsPerDestination ? ['sends_per_destination'] : []),
    ...(counters?.checksPerDestination ? ['checks_per_destination'] : []),
  ])
  for (const e of facts.events) {
    if (e.type !== 'limit_hit') continue
    // A safe-listed number is past the limits the safe list lifts: their hits are history.
    if (safeListed && (SAFE_LIST_EXEMPT as ReadonlySet<string>).has(str(e.data, 'limit') ?? '')) continue
    if (readNow.has(str(e.data, 'limit') ?? '')) continue
    const retryAt = num(e.data, 'retry_at') ?? e.at + (num(e.data, 'retry_after_ms') ?? 0)
    if (retryAt > facts.now)
      active.push({ limit: str(e.data, 'limit') ?? 'unknown', retryAt, evidence: evidenceOf(e) })
  }
  const peeked = (name: string, c: CounterFacts | undefined) => {
    if (!c || c.retryAfterMs <= 0) return
    active.push({
      limit: name,
      retryAt: facts.now + c.retryAfterMs,
      evidence: {
        at: iso(facts.now),
        fact: supportFact('counter', {
          name,
          remaining: String(c.remaining),
          points: String(c.points),
          window: duration(c.windowSeconds * 1000),
          reset: duration(c.retryAfterMs),
        }),
        raw: { ...c },
      },
    })
  }
  const fraud = counters?.fraudBlock
  // The safe list lets a number through a fraud-guard block too.
  if (fraud && !safeListed && fraud.retryAfterMs > 0)
    active.push({
      limit: 'fraud_guard',
      retryAt: facts.now + fraud.retryAfterMs,
      evidence: { at: iso(facts.now), fact: fraud.fact, raw: fraud.raw },
    })
  if (!safeListed) peeked('sends_per_destination', counters?.sendsPerDestination)
  peeked('checks_per_destination', counters?.checksPerDestination)
  return active
}

function maxSends(facts: DiagnosisFacts, active: readonly ActiveLimit[]): Finding[] {
  const hits = active.filter((a) => a.limit === 'max_sends')
  const v = facts.verification
  if (hits.length === 0 || !v || !facts.live) return []
  const untilExpiry = v.expiresAt - facts.now
  return [
    finding({
      id: 'max_sends_reached',
      likelihood: 'confirmed',
      user: { situation: 'until_expiry', values: { wait: duration(untilExpiry) } },
      support: {
        values: { sends: v.sendCount, max_sends: v.maxSends, wait: duration(untilExpiry) },
      },
      evidence: hits.map((a) => a.evidence),
      facts: {
        wait_seconds: waitSeconds(untilExpiry),
        sends_left: 0,
        attempts_left: attemptsLeft(facts) ?? 0,
      },
    }),
  ]
}

function maxAttemptsByLimit(facts: DiagnosisFacts, active: readonly ActiveLimit[]): Finding[] {
  const hits = active.filter((a) => a.limit === 'max_check_attempts')
  // A failed verification is told by the check rule, with its failed checks as evidence.
  if (hits.length === 0 || facts.status === 'failed') return []
  return [
    maxAttemptsReached(
      facts,
      hits.map((a) => a.evidence),
    ),
  ]
}

/** Every try was used: the code stopped working. */
export function maxAttemptsReached(facts: DiagnosisFacts, evidence: readonly Evidence[]): Finding {
  const v = facts.verification
  const finished = facts.status === 'failed' ? v?.finishedAt : undefined
  return finding({
    id: 'max_attempts_reached',
    likelihood: 'confirmed',
    user: {},
    support: {
      values: {
        checks: v?.checkAttempts,
        max_checks: v?.maxCheckAttempts,
        failed: yesNo(facts.status === 'failed'),
        ago: finished != null ? duration(facts.now - finished) : undefined,
      },
    },
    evidence,
    facts: { attempts_left: 0 },
  })
}

/** Which words tell a limit to the person. */
function rateSituation(limit: string): UserSituation<'rate_limited'> {
  switch (limit) {
    case 'resend_cooldown':
    case 'checks_per_destination':
    case 'starts_per_ip':
    case 'starts_per_prefix':
      return limit
    // The fraud guard refuses a range, a country or a network: told as the range limit is.
    case 'fraud_guard':
      return 'starts_per_prefix'
    case 'starts_per_service':
    case 'global_sends':
      return 'busy'
    default:
      return 'sends_per_destination'
  }
}

/** While the limit lasts, the code already sent still works (said where it can help). */
const MEANWHILE: ReadonlySet<UserSituation<'rate_limited'>> = new Set([
  'starts_per_ip',
  'busy',
  'sends_per_destination',
])

function rateLimited(facts: DiagnosisFacts, active: readonly ActiveLimit[]): Finding[] {
  const rate = active.filter((a) => a.limit !== 'max_sends' && a.limit !== 'max_check_attempts')
  if (rate.length === 0) return []
  // The longest wait is the one that decides when the person can go on.
  const decisive = rate.reduce((a, b) => (b.retryAt > a.retryAt ? b : a))
  const waitMs = decisive.retryAt - facts.now
  const situation = rateSituation(decisive.limit)
  const sends = sendsLeft(facts)
  const attempts = attemptsLeft(facts)
  const counters = facts.input.limits
  const counted = [
    counters?.sendsPerDestination && { name: 'sends_per_destination', ...counters.sendsPerDestination },
    counters?.checksPerDestination && { name: 'checks_per_destination', ...counters.checksPerDestination },
  ].filter((c) => !!c)
  return [
    finding({
      id: 'rate_limited',
      likelihood: 'confirmed',
      weight: decisive.limit === 'resend_cooldown' ? COOLDOWN_WEIGHT : undefined,
      user: {
        situation,
        values: {
          wait: duration(waitMs),
          sends,
          attempts: situation === 'checks_per_destination' ? attempts : undefined,
          meanwhile: yesNo(facts.live && MEANWHILE.has(situation)),
        },
      },
      support: {
        values: {
          limit: decisive.limit,
          wait: duration(waitMs),
          counters: counted.length > 0 ? counterList(counted) : undefined,
        },
      },
      evidence: rate.map((a) => a.evidence),
      facts: {
        wait_seconds: waitSeconds(waitMs),
        limit: decisive.limit,
        ...(sends !== undefined ? { sends_left: sends } : {}),
        ...(attempts !== undefined ? { attempts_left: attempts } : {}),
      },
    }),
  ]
}
