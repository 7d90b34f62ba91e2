/**
 * @module The browser's view of a verification (`ClientVerification` in docs/client-api.md): its
 * state, counters and a delivery timeline in the user's terms, projected from the recorded events
 * and outbox messages. No provider names, route ids or raw codes survive the projection: those are
 * for support (`/v1/verifications/{id}/events`).
 */

import type { Channel } from '../channels/channel.js'
import { isChannel } from '../channels/channel.js'
import type { OutboxMessage } from '../delivery/outbox.js'
import { resolveLocale } from '../delivery/templates/locales.js'
import { messageNoun } from '../diagnosis/describe.js'
import type { CauseId } from '../diagnosis/diagnosis.js'
import { sentence, USER_WORDS } from '../diagnosis/user-words/index.js'
import type { VerificationEvent } from '../events/verification-event.js'
import type { NextSend } from '../limits/verification-limits.js'
import { analyzePhoneNumber } from '../phone/index.js'
import type { Verification, VerificationStatus } from '../verification/verification.js'

export const CLIENT_DELIVERY_STEPS = [
  'queued',
  'handed_to_carrier',
  'delivered',
  'failed',
  'rerouted',
  'channel_switched',
  /** No delivery receipt in time: not failed, the message may still arrive. */
  'unconfirmed',
  /** The provider is not answering (down or busy): verigate keeps trying, next at `retry_at`. */
  'retrying',
] as const
export type ClientDeliveryStep = (typeof CLIENT_DELIVERY_STEPS)[number]

export interface ClientTimelineStep {
  readonly step: ClientDeliveryStep
  readonly at: string
  readonly channel: Channel
  /** The sender name or number the message comes from (handed_to_carrier only). */
  readonly sender?: string | null
  /** Why it failed, in the user's words (failed, and the channel a switch left). */
  readonly reason?: string
  /** When verigate tries again (retrying only). */
  readonly retry_at?: string
  /** Delivered after its receipt was overdue and the code had moved on (delivered only). */
  readonly late?: boolean
  /** For a late delivery: seconds from the hand-over to the delivery. */
  readonly after_s?: number
}

export interface ClientDelivery {
  readonly state: ClientDeliveryStep
  readonly at: string
  /** The channel of this state: for `delivered`, the channel that delivered. */
  readonly channel: Channel
  readonly sender: string | null
  readonly reason: string | null
  /** When verigate tries again (`retrying` only). */
  readonly retry_at: string | null
}

export interface ClientVerification {
  readonly id: string
  readonly status: VerificationStatus
  readonly channel: Channel
  readonly to: string
  /** The number as people write it internationally (`+44 7700 900123`), or the email address. */
  readonly to_display: string
  readonly code_length: number
  readonly attempts_left: number
  readonly sends_left: number
  /** When a resend is allowed; null when none is (not pending, or no sends left). */
  readonly next_resend_at: string | null
  readonly expires_at: string
  readonly created_at: string
  /** The latest step of the latest message; null before any. */
  readonly delivery: ClientDelivery | null
  readonly timeline: readonly ClientTimelineStep[]
}

const iso = (ms: number) => new Date(ms).toISOString()

/** The events by which a message moves on from a hand-over without a receipt. */
const MOVES_ON: ReadonlySet<string> = new Set([
  'handed_to_provider',
  'submit_failed',
  'channel_fallback',
  'gave_up',
])

/** The diagnosis cause whose title says a delivery failure in the user's words (other languages). */
const FAILURE_CAUSE: Readonly<Record<string, CauseId>> = {
  carrier_blocked: 'carrier_filtered',
  unreachable: 'handset_unreachable',
  unknown_subscriber: 'unknown_subscriber',
  invalid_number: 'unknown_subscriber',
  not_mobile: 'number_not_sms_capable',
  opted_out: 'opted_out',
  geo_blocked: 'country_not_enabled',
  provider_error: 'provider_outage',
  provider_throttled: 'provider_outage',
  no_route: 'no_route',
  spend_cap: 'spend_cap_reached',
}

/**
 * A delivery failure (`outcome` or give-up `reason`) in the words of the person waiting for the
 * code, in the verification's language (English words are the most specific; the other 12
 * languages use the matching diagnosis title).
 */
export function failureReason(reason: string | undefined, channel: Channel, locale?: string): string {
  const lang = resolveLocale(locale)
  if (lang !== 'en') {
    return sentence(
      USER_WORDS[lang].causes[(reason && FAILURE_CAUSE[reason]) || 'delivery_failed'].title,
      lang,
    )
  }
  const noun = messageNoun(channel)
  switch (reason) {
    case 'carrier_blocked':
      return `Your mobile network blocked our ${noun}.`
    case 'unreachable':
      return "Your phone couldn't be reached. Check that it is on and has signal."
    case 'unknown_subscriber':
    case 'invalid_number':
      return "The network says this number isn't in use. Check the number."
    case 'not_mobile':
      return channel === 'call'
        ? "This number can't take our call."
        : `This number can't receive a ${noun}; try a phone call.`
    case 'opted_out':
      return 'This number has opted out of our messages.'
    case 'geo_blocked':
      return "Codes can't be sent to this country."
    case 'provider_error':
    case 'provider_throttled':
      return 'Our messaging service is having trouble right now.'
    case 'expired':
      return `Our ${noun} couldn't be delivered in time.`
    case 'no_route':
      return `Codes can't be sent by ${noun} right now.`
    case 'spend_cap':
      return 'Sending codes is paused for now.'
    default:
      return `Our ${noun} couldn't be delivered.`
  }
}

function text(data: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = data[key]
  return typeof v === 'string' && v !== '' ? v : undefined
}

function channelOf(data: Readonly<Record<string, unknown>>, key: string, fallback: Channel): Channel {
  const c = text(data, key)
  return c && isChannel(c) ? c : fallback
}

/**
 * The delivery timeline: one list, oldest first, of every message's steps, saying only what
 * happened (docs/delivery.md). A switch to another channel is told when the message is handed over
 * on it, never when it is only planned. A failed submit or receipt is `rerouted` when the message
 * is tried again on another route, `retrying` while the provider is down, and left out when the
 * message is then given up (the `failed` step says why). A message delivered twice (a late SMS and
 * the call placed meanwhile) is told once, by the channel that delivered first.
 */
export function clientTimeline(
  v: Pick<Verification, 'channel'> & { readonly locale?: string },
  events: readonly VerificationEvent[],
  messages: readonly OutboxMessage[] = [],
): ClientTimelineStep[] {
  const steps: ClientTimelineStep[] = []
  const senders = new Map(messages.map((m) => [m.id, m.sender]))
  const channels = new Map<string, Channel>()
  /** Per message: the channel of its last hand-over, and a planned switch not yet told. */
  const handedOn = new Map<string, Channel>()
  const planned = new Map<string, { from: Channel; reason: string | undefined }>()
  const delivered = new Set<string>()
  let lastSendChannel: Channel | undefined
  const ordered = [...events].sort((a, b) => a.at - b.at || a.id - b.id)
  ordered.forEach((e, i) => {
    const d = e.data
    const messageId = text(d, 'message_id')
    const key = messageId ?? ''
    const msgChannel = (messageId ? channels.get(messageId) : undefined) ?? v.channel
    const at = iso(e.at)
    // What happens next to the same message decides how a failure reads.
    const next = messageId
      ? ordered
          .slice(i + 1)
          .find((n) => text(n.data, 'message_id') === messageId && n.type !== 'delivery_pending')
      : undefined
    switch (e.type) {
      case 'send_requested': {
        const channel = channelOf(d, 'channel', v.channel)
        if (messageId) channels.set(messageId, channel)
        const switched = lastSendChannel !== undefined && channel !== lastSendChannel
        steps.push({ step: switched ? 'channel_switched' : 'queued', at, channel })
        lastSendChannel = channel
        return
      }
      case 'handed_to_provider': {
        const channel = channelOf(d, 'channel', msgChannel)
        if (messageId) channels.set(messageId, channel)
        const before = handedOn.get(key)
        const plan = planned.get(key)
        if (plan && channel !== plan.from) {
          // The switch happened: now it is told, with why the first channel did not do.
          steps.push({
            step: 'channel_switched',
            at,
            channel,
            reason: failureReason(plan.reason, plan.from, v.locale),
          })
        } else if (before !== undefined && before !== channel) {
          steps.push({ step: 'channel_switched', at, channel })
        }
        planned.delete(key)
        handedOn.set(key, channel)
        const sender = text(d, 'from') ?? (messageId ? senders.get(messageId) : undefined) ?? null
        steps.push({ step: 'handed_to_carrier', at, channel, sender })
        return
      }
      case 'delivered': {
        if (delivered.has(key)) return
        delivered.add(key)
        const channel = channelOf(d, 'channel', msgChannel)
        // Late: delivered after its receipt was overdue; how long after the hand-over, in whole seconds.
        const late =
          d.late === true
            ? {
                late: true,
                ...(typeof d.since_sent_ms === 'number'
                  ? { after_s: Math.round(d.since_sent_ms / 1000) }
                  : {}),
              }
            : {}
        steps.push({ step: 'delivered', at, channel, ...late })
        return
      }
      case 'receipt_timeout': {
        if (delivered.has(key)) return
        const later = ordered.slice(i + 1).filter((n) => text(n.data, 'message_id') === messageId)
        const moved = later.find((n) => MOVES_ON.has(n.type))
        if (!moved) {
          // Nothing else tried: not confirmed, which is not failed (and told only until it is delivered).
          if (!later.some((n) => n.type === 'delivered'))
            steps.push({ step: 'unconfirmed', at, channel: msgChannel })
          return
        }
        // The code moved on to another route or channel: told as below.
        if (moved.type === 'gave_up' || moved.type === 'channel_fallback') return
        if (steps.at(-1)?.step !== 'rerouted') steps.push({ step: 'rerouted', at, channel: msgChannel })
        return
      }
      case 'submit_failed':
      case 'delivery_failed': {
        if (delivered.has(key)) return
        // A late verdict on an earlier hop changes nothing for the user: the message moved on.
        if (e.type === 'delivery_failed' && d.current_hop === false) return
        if (e.type === 'submit_failed' && d.final === true) return
        const retryAt = typeof d.next_attempt_at === 'number' ? iso(d.next_attempt_at) : undefined
        if (e.type === 'submit_failed' && retryAt && next?.type !== 'handed_to_provider') {
          // The provider is down or busy and a retry is scheduled: one line, kept to the latest time.
          const last = steps.at(-1)
          const step: ClientTimelineStep = { step: 'retrying', at, channel: msgChannel, retry_at: retryAt }
          if (last?.step === 'retrying') steps[steps.length - 1] = { ...step, at: last.at }
          else steps.push(step)
          return
        }
        // Given up, or moving to another channel: the step that follows says it better.
        if (next?.type === 'gave_up' || next?.type === 'channel_fallback') return
        const last = steps.at(-1)
        if ((last?.step === 'rerouted' || last?.step === 'retrying') && last.channel === msgChannel) return
        steps.push({ step: 'rerouted', at, channel: msgChannel })
        return
      }
      case 'channel_fallback': {
        const from = channelOf(d, 'from_channel', msgChannel)
        // Planned, not told: the switch is told when the message is handed over on the new channel.
        if (!planned.has(key)) planned.set(key, { from, reason: text(d, 'reason') })
        return
      }
      case 'gave_up': {
        if (delivered.has(key)) return
        const channel = channelOf(d, 'channel', msgChannel)
        steps.push({
          step: 'failed',
          at,
          channel,
          reason: failureReason(text(d, 'reason'), channel, v.locale),
        })
        return
      }
      default:
        return
    }
  })
  return steps
}

/** `ClientVerification` of docs/client-api.md. */
export function clientVerification(
  v: Verification,
  events: readonly VerificationEvent[],
  messages: readonly OutboxMessage[],
  opts: { readonly now: number; readonly next: NextSend },
): ClientVerification {
  const timeline = clientTimeline(v, events, messages)
  // Once delivered, that is the state (a call placed meanwhile does not change it).
  const latest =
    timeline.find((st) => st.step === 'delivered' && st.at >= (lastQueued(timeline)?.at ?? '')) ??
    timeline.at(-1)
  let sender: string | null = null
  for (const s of timeline) if (s.step === 'handed_to_carrier') sender = s.sender ?? null
  const live = v.status === 'pending' && opts.now < v.expiresAt
  return {
    id: v.id,
    status: v.status === 'pending' && !live ? 'expired' : v.status,
    channel: v.channel,
    to: v.destination,
    to_display: displayDestination(v),
    code_length: v.codeLength,
    attempts_left: Math.max(0, v.maxCheckAttempts - v.checkAttempts),
    sends_left: live ? opts.next.sendsLeft : 0,
    next_resend_at: live && opts.next.at !== null ? iso(opts.next.at) : null,
    expires_at: iso(v.expiresAt),
    created_at: iso(v.createdAt),
    delivery: latest
      ? {
          state: latest.step,
          at: latest.at,
          channel: latest.channel,
          sender,
          reason: latest.reason ?? null,
          retry_at: latest.retry_at ?? null,
        }
      : null,
    timeline,
  }
}

/** The latest send's first step (a resend starts a new story). */
function lastQueued(timeline: readonly ClientTimelineStep[]): ClientTimelineStep | undefined {
  return timeline.findLast((st) => st.step === 'queued' || (st.step === 'channel_switched' && !st.reason))
}

function displayDestination(v: Verification): string {
  if (v.channel === 'email' || v.destination.includes('@')) return v.destination
  return analyzePhoneNumber(v.destination).internationalFormat ?? v.destination
}
