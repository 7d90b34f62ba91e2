/**
 * @module Rule: delivery. Failed submits and receipts, give-ups and channel fallbacks, each filed
 * under the cause its outcome reveals. A failure that a later hop or resend got past is history,
 * not a cause; a provider outage that failover routed around is told as such.
 */
import { type Channel, isChannel } from '../../channels/channel.js'
import type { DeliveryOutcome } from '../../delivery/outcome.js'
import type { VerificationEvent } from '../../events/verification-event.js'
import { num, str, waitSeconds } from '../describe.js'
import type { CauseId } from '../diagnosis.js'
import { type DiagnosisFacts, deliveredAfter, evidenceOf, firstSender, routeHealth } from '../facts.js'
import { channel, clock, type DiagnosisRule, duration, type Finding, finding } from '../finding.js'
import { rawDetail, where } from '../support-words/index.js'
import { countryOffByProvider, noRouteForCountry, notSmsCapableByCarrier } from './number.js'

/** Receipt outcomes and submit errors, mapped to the cause they reveal. */
const OUTCOME_CAUSE: Readonly<Partial<Record<DeliveryOutcome, CauseId>>> = {
  carrier_blocked: 'carrier_filtered',
  unreachable: 'handset_unreachable',
  unknown_subscriber: 'unknown_subscriber',
  invalid_number: 'unknown_subscriber',
  not_mobile: 'number_not_sms_capable',
  geo_blocked: 'country_not_enabled',
  opted_out: 'opted_out',
  provider_error: 'provider_outage',
  provider_throttled: 'provider_outage',
  expired: 'delivery_failed',
  unknown: 'delivery_failed',
}

export const deliveryRule: DiagnosisRule = {
  name: 'delivery',
  find(facts) {
    const { failures, rerouted } = fileFailures(facts)
    return [
      ...[...failures].map(([id, evs]) => failure(facts, id, evs)),
      ...(rerouted.length > 0 ? [reroutedAround(facts, rerouted)] : []),
      ...facts.events.filter((e) => e.type === 'channel_fallback').map((e) => channelFallback(facts, e)),
    ]
  },
}

/** Each failure event under the cause it reveals; failed submits that failover routed around apart. */
function fileFailures(facts: DiagnosisFacts): {
  failures: Map<CauseId, VerificationEvent[]>
  rerouted: VerificationEvent[]
} {
  const failures = new Map<CauseId, VerificationEvent[]>()
  const rerouted: VerificationEvent[] = []
  /** The cause of each message's latest failure, so its give-up is filed with it. */
  const lastCause = new Map<string, CauseId>()
  const note = (id: CauseId, e: VerificationEvent) => {
    failures.set(id, [...(failures.get(id) ?? []), e])
    const message = str(e.data, 'message_id')
    if (message) lastCause.set(message, id)
  }
  const sameMessage = (x: VerificationEvent, e: VerificationEvent) =>
    str(x.data, 'message_id') === str(e.data, 'message_id')

  for (const e of facts.events) {
    if (e.type === 'submit_failed' || e.type === 'delivery_failed') {
      const outcome = str(e.data, 'outcome') as DeliveryOutcome | undefined
      const id = (outcome && OUTCOME_CAUSE[outcome]) ?? 'delivery_failed'
      if (id === 'provider_outage') {
        // Routed around: a later hand-over of the same message on another route.
        const next = facts.events.find(
          (x) => x.id > e.id && x.type === 'handed_to_provider' && sameMessage(x, e),
        )
        if (next && str(next.data, 'route') !== str(e.data, 'route')) {
          rerouted.push(e, next)
          continue
        }
        if (next) continue // the same route took it on a retry
      }
      if (!deliveredAfter(facts, e)) note(id, e)
    } else if (e.type === 'gave_up' && !deliveredAfter(facts, e)) {
      const reason = str(e.data, 'reason') ?? 'unknown'
      const message = str(e.data, 'message_id')
      const tried =
        (num(e.data, 'hops') ?? 0) > 0 ||
        facts.events.some(
          (x) =>
            x.id < e.id &&
            (x.type === 'handed_to_provider' || x.type === 'submit_failed') &&
            sameMessage(x, e),
        )
      // After a failed receipt the dispatcher finds no untried route and gives up with `no_route`:
      // "no route left", not "no route configured". The failure before it is the cause.
      if (reason === 'no_route' && tried)
        note((message ? lastCause.get(message) : undefined) ?? 'delivery_failed', e)
      else if (reason === 'no_route') note('no_route', e)
      else if (reason === 'spend_cap') note('spend_cap_reached', e)
      else note(OUTCOME_CAUSE[reason as DeliveryOutcome] ?? 'delivery_failed', e)
    } else if (e.type === 'receipt_timeout' && !deliveredAfter(facts, e)) {
      // Only evidence: the message moved on, or was given up (then a gave_up follows).
      const gaveUp = facts.events.some((x) => x.id > e.id && x.type === 'gave_up' && sameMessage(x, e))
      if (gaveUp) note('delivery_failed', e)
    }
  }
  return { failures, rerouted }
}

function failure(facts: DiagnosisFacts, id: CauseId, evs: readonly VerificationEvent[]): Finding {
  const first = evs.find((e) => e.type !== 'gave_up' && e.type !== 'receipt_timeout') ?? evs[0]!
  const sender = firstSender(facts, evs)
  const evidence = evs.map(evidenceOf)
  const at = { where: where(first.data), raw: rawDetail(first.data) }
  const provider = str(first.data, 'provider')
  const senderFacts = sender ? { sender_id: sender } : {}
  switch (id) {
    case 'carrier_filtered':
      return finding({
        id,
        likelihood: 'confirmed',
        user: { values: { sender } },
        support: { values: { ...at, sender, country: facts.country, channel: channel(facts.channel) } },
        evidence,
        facts: senderFacts,
      })
    case 'handset_unreachable':
      return finding({
        id,
        likelihood: 'confirmed',
        user: {},
        support: { values: at },
        evidence,
        facts: senderFacts,
      })
    case 'unknown_subscriber':
      return finding({
        id,
        likelihood: 'confirmed',
        user: {},
        support: {
          values: { ...at, outcome: str(first.data, 'outcome') ?? str(first.data, 'reason') ?? id },
        },
        evidence,
        facts: senderFacts,
      })
    case 'number_not_sms_capable':
      return notSmsCapableByCarrier(at.where, at.raw, evidence)
    case 'country_not_enabled':
      return countryOffByProvider(facts, { ...at, provider }, evidence)
    case 'opted_out':
      return finding({
        id,
        likelihood: 'confirmed',
        user: { situation: 'stopped', values: { sender } },
        support: { values: { ...at, sender } },
        evidence,
        facts: senderFacts,
      })
    case 'provider_outage':
      return providerOutage(facts, evs, evidence)
    case 'no_route':
      return noRoute(facts, first, evidence)
    case 'spend_cap_reached': {
      const retry = num(first.data, 'retry_after_ms')
      const waitMs = retry !== undefined ? first.at + retry - facts.now : 0
      return finding({
        id,
        likelihood: 'confirmed',
        user: waitMs > 0 ? { situation: 'paused', values: { wait: duration(waitMs) } } : {},
        support: {},
        evidence,
        facts: waitMs > 0 ? { wait_seconds: waitSeconds(waitMs) } : {},
      })
    }
    default:
      return finding({
        id: 'delivery_failed',
        likelihood: 'confirmed',
        user: { situation: 'unconfirmed', values: { channel: channel(facts.channel) } },
        support: { values: { ...at, provider } },
        evidence,
        facts: senderFacts,
      })
  }
}

/** When the dispatcher tries the message again, as its latest failure or outbox row says. */
function nextAttemptAt(facts: DiagnosisFacts, evs: readonly VerificationEvent[]): number | undefined {
  for (const e of [...evs].reverse()) {
    const at = num(e.data, 'next_attempt_at')
    if (at !== undefined) return at
  }
  const last = evs.at(-1)
  const message = last && facts.messages.find((m) => m.id === str(last.data, 'message_id'))
  return message?.status === 'queued' ? message.availableAt : undefined
}

function providerOutage(
  facts: DiagnosisFacts,
  evs: readonly VerificationEvent[],
  evidence: Finding['evidence'],
): Finding {
  const last =
    [...evs].reverse().find((e) => e.type === 'submit_failed' || e.type === 'delivery_failed') ?? evs[0]!
  const nextAt = nextAttemptAt(facts, evs)
  const retrying = facts.live && nextAt !== undefined && nextAt > facts.now
  const health = routeHealth(facts, str(last.data, 'route'))
  const wait = retrying ? duration(nextAt - facts.now) : undefined
  return finding({
    id: 'provider_outage',
    likelihood: 'confirmed',
    user: retrying ? { situation: 'retrying', values: { wait } } : { situation: 'gave_up' },
    support: {
      values: {
        where: where(last.data),
        outcome: str(last.data, 'outcome') ?? 'provider_error',
        raw: rawDetail(last.data),
        retry_at: retrying ? clock(nextAt) : undefined,
        wait,
        route: health?.route,
        state: health?.state,
        failure_rate: health ? Math.round(health.failureRate * 100) : undefined,
        samples: health?.samples,
        provider: str(last.data, 'provider'),
      },
    },
    evidence,
    facts: retrying ? { wait_seconds: waitSeconds(nextAt - facts.now) } : {},
  })
}

function noRoute(facts: DiagnosisFacts, first: VerificationEvent, evidence: Finding['evidence']): Finding {
  const given = str(first.data, 'channel')
  const via: Channel = given && isChannel(given) ? given : facts.channel
  const routes = facts.input.routes
  // Routes serve the channel, only not this country: the country is the cause.
  if (facts.country && via === facts.channel && routes?.channelConfigured && routes.covering?.length === 0)
    return noRouteForCountry(via, facts.country, 'confirmed', evidence)
  return finding({
    id: 'no_route',
    likelihood: 'confirmed',
    user: { situation: 'channel', values: { channel: channel(via) } },
    support: { values: { channel: channel(via), country: facts.country } },
    evidence,
  })
}

function reroutedAround(facts: DiagnosisFacts, evs: readonly VerificationEvent[]): Finding {
  const failed = evs.filter((e) => e.type === 'submit_failed')
  const first = failed[0]!
  const to = evs.filter((e) => e.type === 'handed_to_provider').at(-1)!
  const delivered = facts.delivered.length > 0
  const latest = facts.messages.at(-1)
  const onItsWay =
    !delivered &&
    facts.live &&
    latest !== undefined &&
    latest.status !== 'failed' &&
    latest.status !== 'canceled'
  return finding({
    id: 'provider_outage_rerouted',
    likelihood: 'confirmed',
    user: { situation: delivered ? 'delivered' : onItsWay ? 'on_its_way' : 'ended' },
    support: {
      values: {
        from: where(first.data),
        outcome: str(first.data, 'outcome') ?? 'provider_error',
        raw: rawDetail(first.data),
        to: where(to.data),
        ago: duration(facts.now - to.at),
        route: str(first.data, 'route'),
        provider: str(first.data, 'provider'),
      },
    },
    evidence: evs.map(evidenceOf),
  })
}

function channelFallback(facts: DiagnosisFacts, e: VerificationEvent): Finding {
  const toName = str(e.data, 'to_channel')
  const to: Channel = toName && isChannel(toName) ? toName : 'call'
  const fromName = str(e.data, 'from_channel')
  return finding({
    id: 'sent_by_other_channel',
    likelihood: 'confirmed',
    user: { situation: to === 'call' ? 'call' : 'message', values: { channel: channel(to) } },
    support: {
      values: {
        from: channel(fromName && isChannel(fromName) ? fromName : 'sms'),
        reason: str(e.data, 'reason') ?? 'unknown',
        to: channel(to),
        ago: duration(facts.now - e.at),
      },
    },
    evidence: [evidenceOf(e)],
    facts: { suggested_channel: to },
  })
}
