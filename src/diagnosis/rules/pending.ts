/**
 * @module Rule: where the latest message is now, when no failure explains it. Delivered and not
 * entered yet, handed over and on its way (with the route's usual delivery time), still queued,
 * or never confirmed before the verification ended.
 */
import type { Channel } from '../../channels/channel.js'
import type { OutboxMessage } from '../../delivery/outbox.js'
import { str, waitSeconds } from '../describe.js'
import type { CauseId } from '../diagnosis.js'
import {
  type DiagnosisFacts,
  eventsOfMessage,
  evidenceOf,
  firstSender,
  nextResendAt,
  routeHealth,
  senderOf,
} from '../facts.js'
import { channel, type DiagnosisRule, duration, type Finding, finding, yesNo } from '../finding.js'
import { rawDetail, where } from '../support-words/index.js'

/** Hand-over-to-receipt time assumed for a route that has no measured latency yet. */
export const DEFAULT_DELIVERY_MS = 10_000

export const pendingRule: DiagnosisRule = {
  name: 'pending',
  find(facts, found) {
    return [...deliveredNotEntered(facts), ...latestMessage(facts, found)]
  },
}

function deliveredNotEntered(facts: DiagnosisFacts): Finding[] {
  const last = facts.delivered.at(-1)
  const firstDelivered = facts.delivered[0]
  if (!last || !firstDelivered) return []
  // Something was entered after the code arrived: the wrong-code cause explains it.
  if (facts.events.some((e) => e.type === 'check_failed' && e.id > firstDelivered.id)) return []
  if (facts.status === 'canceled') return []
  const hop = facts.hops.get(str(last.data, 'provider_message_id') ?? '')
  const via = (hop && (str(hop.data, 'channel') as Channel | undefined)) ?? facts.channel
  const sender = senderOf(facts, last)
  const ago = duration(facts.now - last.at)
  return [
    finding({
      id: 'delivered_not_entered',
      likelihood: 'confirmed',
      user: {
        situation: via === 'call' ? 'call' : 'message',
        values: { ago, sender, channel: channel(via) },
      },
      support: { values: { ago, where: where(last.data), sender, raw: rawDetail(last.data) } },
      evidence: facts.delivered.map(evidenceOf),
      facts: sender ? { sender_id: sender } : {},
    }),
  ]
}

function latestMessage(facts: DiagnosisFacts, found: ReadonlySet<CauseId>): Finding[] {
  const latest = facts.messages.at(-1)
  if (!latest || facts.delivered.length > 0) return []
  if (!facts.live) {
    // The verification ended with its message still unconfirmed.
    return latest.status === 'sent' && !found.has('delivery_failed') ? [neverConfirmed(facts, latest)] : []
  }
  if (latest.status === 'sent' && latest.sentAt !== null) return [onItsWay(facts, latest, latest.sentAt)]
  if ((latest.status === 'queued' || latest.status === 'sending') && !found.has('provider_outage'))
    return [notSentYet(facts, latest)]
  return []
}

/** `route ... (provider ...)` for an outbox message. */
function whereMessage(m: OutboxMessage): string {
  return where({ route: m.routeId ?? undefined, provider: m.providerId ?? undefined })
}

function neverConfirmed(facts: DiagnosisFacts, latest: OutboxMessage): Finding {
  const handed = [...facts.hops.values()].filter((e) => str(e.data, 'message_id') === latest.id)
  return finding({
    id: 'delivery_failed',
    likelihood: 'likely',
    user: { situation: 'never_confirmed', values: { channel: channel(latest.channel) } },
    support: {
      situation: 'never_confirmed',
      values: {
        where: whereMessage(latest),
        ago: latest.sentAt !== null ? duration(facts.now - latest.sentAt) : undefined,
        provider: latest.providerId ?? undefined,
      },
    },
    evidence: handed.map(evidenceOf),
  })
}

function onItsWay(facts: DiagnosisFacts, latest: OutboxMessage, sentAt: number): Finding {
  const routes = facts.input.routes
  const health = routeHealth(facts, latest.routeId ?? undefined)
  const typical = health?.receiptLatencyP50Ms ?? routes?.defaultDeliveryMs ?? DEFAULT_DELIVERY_MS
  const waited = facts.now - sentAt
  // Within the usual time, wait for it; past it, wait for the receipt timeout to move it on.
  const deadline = latest.availableAt
  const waitMs = waited < typical ? typical - waited : Math.max(0, deadline - facts.now)
  const handed = [...facts.hops.values()].filter((e) => str(e.data, 'message_id') === latest.id)
  const pendingReceipts = eventsOfMessage(facts, 'delivery_pending', latest.id)
  const sender = latest.sender ?? firstSender(facts, handed)
  const resendAt = nextResendAt(facts)
  const wait = waitMs > 0 ? duration(waitMs) : undefined
  return finding({
    id: 'delivery_delayed',
    likelihood: 'likely',
    user: {
      situation: 'handed_over',
      values: {
        ago: duration(waited),
        typical: duration(typical),
        wait,
        sender,
        resend: resendAt === null ? 'none' : resendAt !== undefined && resendAt > facts.now ? 'later' : 'now',
        resend_in: resendAt != null && resendAt > facts.now ? duration(resendAt - facts.now) : undefined,
      },
    },
    support: {
      values: {
        where: whereMessage(latest),
        ago: duration(waited),
        pending: pendingReceipts.length,
        measured: yesNo(health?.receiptLatencyP50Ms != null),
        // Exact milliseconds: staff compare them with the provider's own latency figures.
        p50: String(typical),
        state: health?.state,
        timeout: routes ? duration(routes.receiptTimeoutMs) : undefined,
        deadline: duration(deadline - facts.now),
        provider: latest.providerId ?? undefined,
      },
    },
    evidence: [...handed, ...pendingReceipts].map(evidenceOf),
    facts: { wait_seconds: waitSeconds(waitMs), ...(sender ? { sender_id: sender } : {}) },
  })
}

function notSentYet(facts: DiagnosisFacts, latest: OutboxMessage): Finding {
  const due = latest.availableAt > facts.now ? latest.availableAt - facts.now : undefined
  return finding({
    id: 'not_sent_yet',
    likelihood: 'likely',
    user: {},
    support: {
      values: {
        status: latest.status,
        ago: duration(facts.now - latest.createdAt),
        claims: latest.attempts,
        due: due !== undefined ? duration(due) : undefined,
      },
    },
    evidence: eventsOfMessage(facts, 'send_requested', latest.id).map(evidenceOf),
    facts: due !== undefined ? { wait_seconds: waitSeconds(due) } : {},
  })
}
