/**
 * @module A service's line checks: what a carrier lookup's answer does to a verification before its
 * first send. A landline (or, when chosen, a non-fixed VoIP number) asked for SMS or WhatsApp is
 * re-routed to a call or refused with the reason; a SIM swapped within `simSwapDays` raises a risk
 * flag, and under the strict policy refuses to send a code at all (another factor is required).
 */
import type { Channel } from '../channels/channel.js'
import { type LineFacts, type LineType, swappedWithin } from './line-facts.js'

export type LineTypeAction = 'allow' | 'reroute' | 'refuse'

export interface LineChecks {
  /** A landline asked for SMS or WhatsApp. @default 'reroute' (to a call, when the service allows calls) */
  readonly landline: LineTypeAction
  /** A non-fixed VoIP number (often disposable) asked for SMS or WhatsApp. @default 'allow' */
  readonly nonFixedVoip: LineTypeAction
  /** A SIM swapped within this many days raises the risk flag; 0 turns the check off. @default 7 */
  readonly simSwapDays: number
  /** `flag`: the code is sent, the verification carries the risk. `require_factor`: no code is sent; the app must use another factor (TOTP, passkey). @default 'flag' */
  readonly simSwapPolicy: 'flag' | 'require_factor'
}

export const LINE_CHECK_DEFAULTS: LineChecks = {
  landline: 'reroute',
  nonFixedVoip: 'allow',
  simSwapDays: 7,
  simSwapPolicy: 'flag',
}

/** The risk a verification carries, from the lookup. */
export interface VerificationRisk {
  readonly simSwap: {
    /** When the SIM was last swapped, when the carrier gave a date. */
    readonly lastSwapAt: number | null
    /** The window it fell in. */
    readonly withinDays: number
  }
  readonly carrier: string | null
  readonly source: string
}

export type LineVerdict =
  | {
      readonly kind: 'send'
      readonly channel: Channel
      readonly risk: VerificationRisk | null
      readonly rerouted?: {
        readonly from: Channel
        readonly lineType: LineType
        readonly carrier: string | null
      }
    }
  | {
      readonly kind: 'refuse_line'
      readonly lineType: LineType
      readonly carrier: string | null
      readonly callAllowed: boolean
    }
  | { readonly kind: 'require_factor'; readonly risk: VerificationRisk }

const TEXT: ReadonlySet<Channel> = new Set(['sms', 'whatsapp'])

/** Applies a service's line checks to a lookup's answer (none: nothing to act on). */
export function applyLineChecks(
  checks: LineChecks,
  facts: LineFacts | undefined,
  channel: Channel,
  allowed: readonly Channel[],
  now: number,
): LineVerdict {
  if (!facts) return { kind: 'send', channel, risk: null }
  const risk: VerificationRisk | null = swappedWithin(facts.simSwap, checks.simSwapDays, now)
    ? {
        simSwap: { lastSwapAt: facts.simSwap?.lastSwapAt ?? null, withinDays: checks.simSwapDays },
        carrier: facts.carrier,
        source: facts.source,
      }
    : null
  if (risk && checks.simSwapPolicy === 'require_factor') return { kind: 'require_factor', risk }
  const action =
    facts.lineType === 'landline'
      ? checks.landline
      : facts.lineType === 'non_fixed_voip'
        ? checks.nonFixedVoip
        : 'allow'
  if (action === 'allow' || !TEXT.has(channel)) return { kind: 'send', channel, risk }
  const callAllowed = allowed.includes('call')
  if (action === 'reroute' && callAllowed)
    return {
      kind: 'send',
      channel: 'call',
      risk,
      rerouted: { from: channel, lineType: facts.lineType, carrier: facts.carrier },
    }
  return { kind: 'refuse_line', lineType: facts.lineType, carrier: facts.carrier, callAllowed }
}
