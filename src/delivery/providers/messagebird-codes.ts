/**
 * @module MessageBird (legacy REST API) codes mapped onto the delivery taxonomy: message statuses, the
 * `statusReason` words and the GSM MAP `statusErrorCode` numbers of status reports, and the REST API's
 * `errors[].code` values.
 */
import type { DeliveryOutcome } from '../outcome.js'

/** Message statuses of a status report. `delivery_failed` is refined by the reason and error code. */
export const MESSAGEBIRD_STATUSES: Readonly<Record<string, DeliveryOutcome>> = {
  scheduled: 'pending',
  sent: 'pending',
  buffered: 'pending', // held by the operator, typically while the handset is unreachable
  delivered: 'delivered',
  expired: 'expired',
  delivery_failed: 'unknown',
}

/** GSM MAP error numbers carried in `statusErrorCode` (the same numbering operators return in DLRs). */
export const MESSAGEBIRD_ERROR_CODES: Readonly<Record<number, DeliveryOutcome>> = {
  1: 'unknown_subscriber', // unknown subscriber
  2: 'unknown_subscriber', // unknown base station
  3: 'unknown_subscriber', // unknown MSC
  5: 'unknown_subscriber', // unidentified subscriber
  6: 'unreachable', // absent subscriber (SM)
  7: 'unreachable', // unknown equipment
  8: 'unreachable', // roaming not allowed
  9: 'carrier_blocked', // illegal subscriber
  10: 'not_mobile', // bearer service not provisioned
  11: 'not_mobile', // teleservice not provisioned: no SMS on the subscription
  12: 'carrier_blocked', // illegal equipment
  13: 'carrier_blocked', // call barred
  21: 'not_mobile', // facility not supported
  27: 'unreachable', // absent subscriber
  31: 'unreachable', // subscriber busy for MT SMS
  32: 'unreachable', // SM delivery failure
  33: 'unreachable', // message waiting list full
  34: 'unreachable', // system failure in the destination network
  35: 'unreachable', // data missing
  36: 'unreachable', // unexpected data value
}

/** The human `statusReason` words of failed reports, used when no error code is given. */
export const MESSAGEBIRD_REASONS: Readonly<Record<string, DeliveryOutcome>> = {
  'unknown subscriber': 'unknown_subscriber',
  'unavailable subscriber': 'unreachable',
  'absent subscriber': 'unreachable',
  'incorrect number': 'invalid_number',
  'invalid destination': 'invalid_number',
  'carrier rejected': 'carrier_blocked',
  'rejected by carrier': 'carrier_blocked',
  blocked: 'carrier_blocked',
  'spam detected': 'carrier_blocked',
  'opted out': 'opted_out',
  expired: 'expired',
  'dlr not received': 'unknown',
}

/** The outcome of a status report. */
export function messagebirdReportOutcome(
  status: string | undefined,
  reason: string | undefined,
  errorCode: number | undefined,
): DeliveryOutcome {
  const byStatus = status !== undefined ? MESSAGEBIRD_STATUSES[status] : undefined
  if (byStatus !== undefined && status !== 'delivery_failed') return byStatus
  const byCode = errorCode !== undefined ? MESSAGEBIRD_ERROR_CODES[errorCode] : undefined
  if (byCode) return byCode
  const byReason = reason !== undefined ? MESSAGEBIRD_REASONS[reason.trim().toLowerCase()] : undefined
  return byReason ?? byStatus ?? 'unknown'
}

/** REST API error codes (`{"errors":[{"code","description","parameter"}]}`). */
export const MESSAGEBIRD_API_ERRORS: Readonly<
  Record<number, { readonly name: string; readonly retryable: boolean }>
> = {
  2: { name: 'REQUEST_NOT_ALLOWED', retryable: false }, // incorrect access_key
  9: { name: 'MISSING_PARAMS', retryable: false },
  10: { name: 'INVALID_PARAMS', retryable: false },
  20: { name: 'NOT_FOUND', retryable: false },
  21: { name: 'BAD_REQUEST', retryable: false },
  25: { name: 'NOT_ENOUGH_BALANCE', retryable: false },
  98: { name: 'API_NOT_FOUND', retryable: false },
  99: { name: 'INTERNAL_ERROR', retryable: true },
}
