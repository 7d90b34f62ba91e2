/**
 * @module Plivo message statuses and delivery `ErrorCode`s mapped onto the delivery taxonomy.
 * Statuses are from providers.md §4.1; the error codes from Plivo's "SMS error codes" page (10-40
 * and 450 were re-read for this file; the rest follow the same page as published, not re-checked).
 */
import type { DeliveryOutcome } from '../outcome.js'

/** How one Plivo delivery error code reads in our taxonomy. */
export interface PlivoCodeInfo {
  readonly outcome: DeliveryOutcome
  readonly title: string
}

const code = (outcome: DeliveryOutcome, title: string): PlivoCodeInfo => ({ outcome, title })

/** `ErrorCode` on `failed` / `undelivered` callbacks. */
export const PLIVO_ERROR_CODES: Readonly<Record<string, PlivoCodeInfo>> = {
  '10': code('carrier_blocked', 'Invalid message (rejected by a downstream carrier)'),
  '20': code('unreachable', 'Network error (temporary)'),
  '30': code('carrier_blocked', 'Spam detected'),
  '40': code('provider_error', 'Invalid source number'),
  '50': code('invalid_number', 'Invalid destination number'),
  '60': code('provider_error', 'Loop detected'),
  '70': code('unknown_subscriber', 'Destination permanently unavailable'),
  '80': code('unreachable', 'Destination temporarily unavailable'),
  '90': code('unreachable', 'No route available'),
  '100': code('carrier_blocked', 'Prohibited by carrier'),
  '110': code('provider_error', 'Message too long'),
  '200': code('opted_out', 'Source number blocked by STOP from destination number'),
  '300': code('provider_error', 'Failed to dispatch message'),
  '420': code('expired', 'Message expired'),
  '450': code('geo_blocked', 'Destination country barred (Geo Permissions)'),
  '900': code('provider_error', 'Insufficient credit'),
  '910': code('provider_error', 'Account disabled'),
  '1000': code('unknown', 'Unknown error'),
}

/** Callback `Status` → outcome; `failed`, `undelivered` and `rejected` defer to `ErrorCode` when present. */
export const PLIVO_STATUS: Readonly<Record<string, DeliveryOutcome>> = {
  queued: 'pending',
  sent: 'pending',
  delivered: 'delivered',
  failed: 'provider_error',
  undelivered: 'unknown',
  rejected: 'carrier_blocked',
}
