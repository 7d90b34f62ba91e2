/**
 * @module The recorded facts as every rule reads them: the input, sorted, with the verification's
 * status as of now and the lookups several rules share (the hand-over of a provider message, the
 * sender ID of a message, what is left to send and to try).
 */
import type { Channel } from '../channels/channel.js'
import type { OutboxMessage } from '../delivery/outbox.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { Verification } from '../verification/verification.js'
import { iso, str } from './describe.js'
import type { DiagnosisInput, DiagnosisStatus, Evidence } from './diagnosis.js'
import { describeEvent } from './support-words/index.js'

export interface DiagnosisFacts {
  readonly input: DiagnosisInput
  readonly now: number
  readonly verification: Verification | undefined
  /** Oldest first. */
  readonly events: readonly VerificationEvent[]
  /** By send number. */
  readonly messages: readonly OutboxMessage[]
  readonly channel: Channel
  readonly status: DiagnosisStatus
  /** Pending and not past its lifetime. */
  readonly live: boolean
  readonly country: string | undefined
  /** `handed_to_provider` events by provider message id. */
  readonly hops: ReadonlyMap<string, VerificationEvent>
  readonly delivered: readonly VerificationEvent[]
}

export function readFacts(input: DiagnosisInput): DiagnosisFacts {
  const v = input.verification
  const now = input.now
  const events = [...(input.events ?? [])].sort((a, b) => a.id - b.id)
  const status: DiagnosisStatus = !v
    ? 'no_verification'
    : v.status === 'pending' && now >= v.expiresAt
      ? 'expired'
      : v.status
  const hops = new Map<string, VerificationEvent>()
  for (const e of events) {
    const id = e.type === 'handed_to_provider' ? str(e.data, 'provider_message_id') : undefined
    if (id) hops.set(id, e)
  }
  return {
    input,
    now,
    verification: v,
    events,
    messages: [...(input.messages ?? [])].sort(
      (a, b) => a.sendNumber - b.sendNumber || a.createdAt - b.createdAt,
    ),
    channel: input.channel ?? v?.channel ?? 'sms',
    status,
    live: status === 'pending',
    country: input.phone?.country ?? v?.country ?? undefined,
    hops,
    delivered: events.filter((e) => e.type === 'delivered'),
  }
}

export function evidenceOf(e: VerificationEvent): Evidence {
  return { event_id: e.id, at: iso(e.at), fact: describeEvent(e), raw: e.data }
}

/** The sender ID the person sees for the message an event is about. */
export function senderOf(facts: DiagnosisFacts, e: VerificationEvent | undefined): string | undefined {
  if (!e) return undefined
  const d = e.data
  const hop = facts.hops.get(str(d, 'provider_message_id') ?? '')
  const route = str(d, 'route')
  const message = facts.messages.find((m) => m.id === str(d, 'message_id'))
  return (
    str(d, 'from') ??
    (hop && str(hop.data, 'from')) ??
    (route ? (facts.input.routes?.senders?.[route] ?? undefined) : undefined) ??
    message?.sender ??
    undefined
  )
}

export function firstSender(facts: DiagnosisFacts, events: readonly VerificationEvent[]): string | undefined {
  for (const e of events) {
    const s = senderOf(facts, e)
    if (s) return s
  }
  return undefined
}

/** The phone got a message after this event (a later hop, or a resend), so it is history now. */
export function deliveredAfter(facts: DiagnosisFacts, e: VerificationEvent): boolean {
  return facts.delivered.some((d) => d.id > e.id)
}

export function routeHealth(facts: DiagnosisFacts, route: string | undefined) {
  return route ? facts.input.routes?.health?.find((h) => h.route === route) : undefined
}

/** The events of one outbox message. */
export function eventsOfMessage(
  facts: DiagnosisFacts,
  type: VerificationEvent['type'],
  messageId: string,
): VerificationEvent[] {
  return facts.events.filter((e) => e.type === type && str(e.data, 'message_id') === messageId)
}

/**
 * New codes this verification may still send, while it is live. Read from the limits in the input
 * when they say (the one answer to "when may this person get another code"), else off the
 * verification's own counters; never recomputed from the cooldown rules here.
 */
export function sendsLeft(facts: DiagnosisFacts): number | undefined {
  const v = facts.verification
  if (!v || !facts.live) return undefined
  return Math.max(0, facts.input.limits?.sendsLeft ?? v.maxSends - v.sendCount)
}

export function attemptsLeft(facts: DiagnosisFacts): number | undefined {
  const v = facts.verification
  return v && facts.live ? Math.max(0, v.maxCheckAttempts - v.checkAttempts) : undefined
}

/**
 * When the next resend is allowed, as the input says: null when no send is left, undefined when
 * not known. The diagnosis never works this out from the cooldown itself.
 */
export function nextResendAt(facts: DiagnosisFacts): number | null | undefined {
  return facts.input.limits?.nextResendAt
}
