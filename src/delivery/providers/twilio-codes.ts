/**
 * @module Twilio's error codes and message/call statuses mapped onto the delivery taxonomy. Codes
 * come from providers.md §1.4 (Twilio's error dictionary); the few marked "dictionary" were read
 * from Twilio's error pages but are not in providers.md.
 */
import type { DeliveryOutcome } from '../outcome.js'

/** How one Twilio error code reads in our taxonomy. */
export interface TwilioCodeInfo {
  readonly outcome: DeliveryOutcome
  /** Whether sending the same request again (later, or elsewhere) can succeed. */
  readonly retryable: boolean
  readonly title: string
}

const code = (outcome: DeliveryOutcome, retryable: boolean, title: string): TwilioCodeInfo => ({
  outcome,
  retryable,
  title,
})

/**
 * Twilio error codes, synchronous (HTTP 4xx on create) and asynchronous (`ErrorCode` on a
 * `failed`/`undelivered` callback) in one table: several codes (21610, 21614...) can arrive both ways.
 */
export const TWILIO_ERROR_CODES: Readonly<Record<string, TwilioCodeInfo>> = {
  // Account and request problems: ours to fix, so retrying the same request cannot help.
  '20003': code('provider_error', false, 'Authentication failed'),
  '20404': code('provider_error', false, 'Resource not found (check the Account SID in the path)'),
  '20429': code('provider_throttled', true, 'Too many requests'),
  '20500': code('provider_error', true, 'Internal server error'),
  '20503': code('provider_error', true, 'Service unavailable'),
  '21602': code('provider_error', false, 'Message body is required'),
  '21603': code('provider_error', false, "A 'From' phone number is required"),
  '21604': code('provider_error', false, "A 'To' phone number is required"),
  '21606': code(
    'provider_error',
    false,
    "The 'From' phone number is not a valid, message-capable Twilio number",
  ),
  '21608': code(
    'provider_error',
    false,
    "The 'To' number is not verified (trial account or missing compliance profile)",
  ),
  // Destination problems.
  '21211': code('invalid_number', false, "Invalid 'To' phone number"),
  '21408': code(
    'geo_blocked',
    false,
    'Permission to send an SMS has not been enabled for the region of the To number',
  ),
  '21610': code('opted_out', false, 'Attempt to send to unsubscribed recipient (replied STOP)'),
  '21612': code(
    'carrier_blocked',
    false,
    "The 'To' phone number is not currently reachable from this 'From' number",
  ),
  '21614': code('not_mobile', false, "'To' number is not a valid mobile number"),
  // Voice counterparts of the above (dictionary).
  '21215': code('geo_blocked', false, 'Geo permission configuration is not permitting this call'),
  '21217': code('invalid_number', false, 'Phone number does not appear to be valid'),
  // Carrier outcomes, usually reported asynchronously.
  '30001': code('provider_throttled', true, 'Queue overflow'),
  '30002': code('provider_error', false, 'Account suspended'),
  '30003': code('unreachable', true, 'Unreachable destination handset'),
  '30004': code('carrier_blocked', false, 'Message blocked'),
  '30005': code('unknown_subscriber', false, 'Unknown destination handset'),
  '30006': code('not_mobile', false, 'Landline or unreachable carrier'),
  '30007': code('carrier_blocked', false, 'Message filtered (carrier violation)'),
  '30008': code('unknown', true, 'Unknown error'),
  '30032': code('carrier_blocked', false, 'Toll-free number has not been verified'),
  '30034': code('carrier_blocked', false, 'Message from an unregistered number (US A2P 10DLC)'),
  '30036': code('expired', true, 'Validity period expired'),
  // Meaning unconfirmed (providers.md §9); treated as a carrier-side block, as the reference advises.
  '30044': code('carrier_blocked', false, 'Message blocked due to carrier restrictions'),
}

/** The table entry, or, for codes Twilio adds over time, the reading providers.md advises. */
export function twilioCodeInfo(rawCode: string | undefined): TwilioCodeInfo | undefined {
  if (rawCode === undefined || rawCode === '') return undefined
  const known = TWILIO_ERROR_CODES[rawCode]
  if (known) return known
  // Twilio splits and refines 30xxx codes over time; an unknown one is still a carrier failure.
  if (/^30\d{3}$/.test(rawCode)) return code('carrier_blocked', false, 'Carrier failure')
  return undefined
}

/**
 * Message `status` → outcome for statuses that settle it without an error code. `failed` and
 * `undelivered` are decided by `ErrorCode` (see `twilioCodeInfo`), with the fallback given here.
 */
export const TWILIO_MESSAGE_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  accepted: 'pending',
  scheduled: 'pending',
  queued: 'pending',
  sending: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  read: 'delivered',
  partially_delivered: 'delivered',
  // Fallbacks when no ErrorCode came with the callback.
  undelivered: 'unknown',
  failed: 'provider_error',
  canceled: 'provider_error',
}

/**
 * Call `CallStatus` → outcome. The TwiML reads the code as soon as the call is answered, so an
 * answered (`in-progress`) or finished (`completed`) call counts as delivered.
 */
export const TWILIO_CALL_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  queued: 'pending',
  initiated: 'pending',
  ringing: 'pending',
  'in-progress': 'delivered',
  completed: 'delivered',
  busy: 'unreachable',
  'no-answer': 'unreachable',
  failed: 'unreachable',
  canceled: 'unknown',
}
