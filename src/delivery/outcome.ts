/**
 * @module The one delivery taxonomy. Every provider status and error code maps onto one of these,
 * in the user's terms; the raw provider code and text always travel next to it.
 */

export const DELIVERY_OUTCOMES = [
  'delivered',
  'pending',
  'invalid_number',
  'not_mobile',
  'carrier_blocked',
  'unreachable',
  'unknown_subscriber',
  'geo_blocked',
  'opted_out',
  /** The number has no account on the app the channel delivers through (Telegram, WhatsApp). */
  'no_account',
  'provider_throttled',
  'provider_error',
  'expired',
  'unknown',
] as const
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number]

export function isDeliveryOutcome(value: string): value is DeliveryOutcome {
  return (DELIVERY_OUTCOMES as readonly string[]).includes(value)
}

/** Outcomes after which another route may still get the message through. */
export const REROUTABLE_OUTCOMES: ReadonlySet<DeliveryOutcome> = new Set([
  'carrier_blocked',
  'unreachable',
  'provider_throttled',
  'provider_error',
  'expired',
  'unknown',
])
