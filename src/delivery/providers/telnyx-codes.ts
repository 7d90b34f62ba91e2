/**
 * @module Telnyx Messaging v2 error codes and delivery statuses mapped onto the delivery taxonomy
 * (providers.md §3.1 general API codes, §3.2 delivery codes and `to[].status`).
 */
import type { DeliveryOutcome } from '../outcome.js'

/** How one Telnyx error code reads in our taxonomy. */
export interface TelnyxCodeInfo {
  readonly outcome: DeliveryOutcome
  /** Whether sending the same request again (later, or elsewhere) can succeed. */
  readonly retryable: boolean
  readonly title: string
}

const code = (outcome: DeliveryOutcome, retryable: boolean, title: string): TelnyxCodeInfo => ({
  outcome,
  retryable,
  title,
})

/** `errors[].code` (a string) of a refused request, and of `errors[]` in delivery webhooks. */
export const TELNYX_ERROR_CODES: Readonly<Record<string, TelnyxCodeInfo>> = {
  // General API codes (§3.1).
  '10001': code('provider_error', false, 'Inactive phone number'),
  '10002': code('invalid_number', false, 'Invalid phone number'),
  '10003': code('provider_error', false, 'Invalid URL'),
  '10004': code('provider_error', false, 'Missing required parameter'),
  '10005': code('provider_error', false, 'Resource not found'),
  '10006': code('provider_error', false, 'Invalid ID'),
  '10007': code('provider_error', true, 'Unexpected error'),
  '10008': code('provider_error', true, 'Timeout'),
  '10009': code('provider_error', false, 'Authentication failed'),
  '10010': code('provider_error', false, 'Authorization failed'),
  '10011': code('provider_throttled', true, 'Too many requests'),
  '10015': code('provider_error', false, 'Bad request'),
  '10016': code('invalid_number', false, 'Phone number must be in +E.164 format'),
  // Delivery codes (§3.2); they also appear on refused sends.
  '40001': code('not_mobile', false, 'Not routable (landline or non-routable number)'),
  '40002': code('carrier_blocked', true, 'Blocked as spam (temporary)'),
  '40003': code('carrier_blocked', false, 'Blocked as spam (permanent)'),
  '40004': code('carrier_blocked', false, 'Rejected by destination'),
  '40005': code('expired', true, 'Message expired'),
  '40006': code('unreachable', true, 'Recipient unavailable (carrier down)'),
  '40008': code('unreachable', true, 'Undeliverable'),
  '40009': code('provider_error', false, 'Invalid message body'),
  '40011': code('provider_throttled', true, 'Rate limit exceeded'),
  // Not in providers.md (its opt-out numbers are UNCONFIRMED): Telnyx's "blocked due to STOP message".
  '40300': code('opted_out', false, 'Blocked due to STOP message'),
}

/**
 * `payload.to[].status` → outcome. `sending_failed` and `delivery_failed` are decided by
 * `errors[].code` when there is one; the values here are the fallbacks.
 */
export const TELNYX_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  queued: 'pending',
  sending: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  sending_failed: 'provider_error',
  delivery_failed: 'unknown',
  delivery_unconfirmed: 'unknown',
  expired: 'expired',
}
