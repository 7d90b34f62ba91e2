/**
 * @module Vonage SMS API submit statuses, DLR statuses and DLR `err-code`s, and Voice API call
 * statuses, mapped onto the delivery taxonomy (providers.md §2.2, §2.3; call statuses from the
 * Voice API webhook reference).
 */
import type { DeliveryOutcome } from '../outcome.js'

/** How one Vonage status or error code reads in our taxonomy. */
export interface VonageCodeInfo {
  readonly outcome: DeliveryOutcome
  /** Whether submitting the same message again (later, or elsewhere) can succeed. */
  readonly retryable: boolean
  readonly title: string
}

const code = (outcome: DeliveryOutcome, retryable: boolean, title: string): VonageCodeInfo => ({
  outcome,
  retryable,
  title,
})

/**
 * `messages[].status` of the SMS API submit response (HTTP 200 even on failure). providers.md's
 * failover rule: 1, 5, 10 retry; 4, 8, 9, 11 make this provider unusable; 3, 6, 7, 33 are number
 * or content problems that no retry fixes.
 */
export const VONAGE_SUBMIT_STATUS: Readonly<Record<string, VonageCodeInfo>> = {
  '1': code('provider_throttled', true, 'Throttled'),
  '2': code('provider_error', false, 'Missing parameters'),
  // Refined by `vonageSubmitInfo` when the text blames the sender rather than the number.
  '3': code('invalid_number', false, 'Invalid parameters'),
  '4': code('provider_error', false, 'Invalid credentials'),
  '5': code('provider_error', true, 'Internal error'),
  '6': code('invalid_number', false, 'Invalid message (unrecognised number prefix)'),
  // Vonage bars numbers on its own blacklist, which is where STOP replies land.
  '7': code('opted_out', false, 'Number barred'),
  '8': code('provider_error', false, 'Partner account barred'),
  '9': code('provider_error', false, 'Partner quota violation (no credit)'),
  '10': code('provider_throttled', true, 'Too many existing binds'),
  '11': code('provider_error', false, 'Account not enabled for HTTP'),
  '12': code('provider_error', false, 'Message too long'),
  '14': code('provider_error', false, 'Invalid signature'),
  '15': code('provider_error', false, 'Invalid sender address'),
  '22': code('provider_error', false, 'Invalid network code'),
  '23': code('provider_error', false, 'Invalid callback URL'),
  '29': code('provider_error', false, 'Non-whitelisted destination (demo account)'),
  '32': code('provider_error', false, 'Signature and API secret disallowed'),
  '33': code('unknown_subscriber', false, 'Number de-activated'),
}

/** The submit status entry, with status 3 read from its text: an invalid `from` is our configuration. */
export function vonageSubmitInfo(status: string, errorText: string | undefined): VonageCodeInfo {
  const known = VONAGE_SUBMIT_STATUS[status]
  if (status === '3' && errorText && /\bfrom\b|sender/i.test(errorText))
    return code('provider_error', false, 'Invalid sender')
  return known ?? code('provider_error', false, 'Unknown status')
}

/** DLR `err-code` → outcome, for `failed` / `rejected` receipts (providers.md §2.3). */
export const VONAGE_DLR_ERROR: Readonly<Record<string, VonageCodeInfo>> = {
  '1': code('unknown', true, 'Unknown'),
  '2': code('unreachable', true, 'Absent subscriber (temporary)'),
  '3': code('unknown_subscriber', false, 'Absent subscriber (permanent)'),
  '4': code('carrier_blocked', false, 'Call barred by user'),
  '5': code('unreachable', true, 'Portability error'),
  '6': code('carrier_blocked', false, 'Anti-spam rejection'),
  '7': code('unreachable', true, 'Handset busy'),
  '8': code('unreachable', true, 'Network error'),
  '9': code('opted_out', false, 'Illegal number (recipient opted out of this sender)'),
  '10': code('carrier_blocked', false, 'Illegal message'),
  '11': code('unreachable', true, 'Unroutable'),
  '12': code('unreachable', true, 'Destination unreachable'),
  '13': code('carrier_blocked', false, 'Subscriber age restriction'),
  '14': code('carrier_blocked', false, 'Number blocked by carrier'),
  '15': code('unreachable', true, 'Prepaid insufficient funds'),
  '99': code('unknown', true, 'General error'),
}

/** DLR `status` → outcome when the status alone settles it; `failed`/`rejected` go through `err-code`. */
export const VONAGE_DLR_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  accepted: 'pending',
  buffered: 'pending',
  delivered: 'delivered',
  expired: 'expired',
  unknown: 'unknown',
  // Fallbacks when err-code says nothing more.
  failed: 'unknown',
  rejected: 'carrier_blocked',
}

/**
 * Voice API event `status` → outcome. The NCCO speaks as soon as the call is answered, so
 * `answered` and `completed` count as delivered. Events without a call status (`record`, `input`,
 * `transfer`...) are not receipts.
 */
export const VONAGE_CALL_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  started: 'pending',
  ringing: 'pending',
  // Answering-machine detection fires before the final state; the code may reach voicemail.
  machine: 'pending',
  human: 'pending',
  answered: 'delivered',
  completed: 'delivered',
  busy: 'unreachable',
  timeout: 'unreachable',
  unanswered: 'unreachable',
  rejected: 'unreachable',
  failed: 'unreachable',
  cancelled: 'unknown',
}
