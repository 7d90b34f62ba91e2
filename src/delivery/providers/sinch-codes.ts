/**
 * @module Sinch SMS REST API ("XMS") codes mapped onto the delivery taxonomy: the delivery report
 * statuses and detailed status codes (0 and 400-418), and the REST error codes of a refused submit.
 */
import type { DeliveryOutcome } from '../outcome.js'

/** Delivery report statuses; `Queued` and `Dispatched` are intermediate, the rest final. */
export const SINCH_STATUSES: Readonly<Record<string, DeliveryOutcome>> = {
  Queued: 'pending',
  Dispatched: 'pending',
  Delivered: 'delivered',
  Expired: 'expired',
  Aborted: 'provider_error', // aborted before reaching the SMSC
  Cancelled: 'provider_error', // cancelled by us before reaching the SMSC
  Rejected: 'carrier_blocked', // rejected by the SMSC
  // "Deleted by a remote SMSC. This may happen if the destination is an invalid MSISDN or opted out subscriber."
  Deleted: 'carrier_blocked',
  Failed: 'unreachable',
  Unknown: 'unknown', // reached the SMSC, no usable receipt
}

/** Detailed delivery report codes (Sinch SDK `DeliveryReportErrorCode`). `0` is delivered. */
export const SINCH_REPORT_CODES: Readonly<
  Record<number, { readonly name: string; readonly outcome: DeliveryOutcome }>
> = {
  400: { name: 'QUEUED', outcome: 'pending' },
  401: { name: 'DISPATCHED', outcome: 'pending' },
  // "SMSC rejected message. Retrying is likely to cause the same error": refused on this route, another may work.
  402: { name: 'MESSAGE_UNROUTABLE', outcome: 'carrier_blocked' },
  403: { name: 'INTERNAL_ERROR', outcome: 'provider_error' },
  404: { name: 'TEMPORARY_DELIVERY_FAILURE', outcome: 'unreachable' },
  405: { name: 'UNMATCHED_PARAMETER', outcome: 'provider_error' },
  406: { name: 'INTERNAL_EXPIRY', outcome: 'expired' },
  407: { name: 'CANCELLED', outcome: 'provider_error' },
  408: { name: 'INTERNAL_REJECT', outcome: 'carrier_blocked' },
  410: { name: 'UNMATCHED_DEFAULT_ORIGINATOR', outcome: 'provider_error' },
  411: { name: 'EXCEEDED_PARTS_LIMIT', outcome: 'provider_error' },
  412: { name: 'UNPROVISIONED_REGION', outcome: 'geo_blocked' },
  413: { name: 'BLOCKED', outcome: 'provider_error' }, // the account is blocked (often out of credit)
  414: { name: 'BAD_MEDIA', outcome: 'provider_error' },
  415: { name: 'DELIVERY_REPORT_REJECTED', outcome: 'carrier_blocked' },
  416: { name: 'DELIVERY_REPORT_NOT_SUPPORTED', outcome: 'not_mobile' },
  417: { name: 'DELIVERY_REPORT_UNREACHABLE', outcome: 'unreachable' },
  418: { name: 'DELIVERY_REPORT_UNRECOGNIZED', outcome: 'not_mobile' },
}

/**
 * The outcome of one delivery report. Intermediate statuses stay `pending` whatever the code (Sinch sends
 * 401 with `Dispatched`); a known detailed code beats the coarse final status.
 */
export function sinchReportOutcome(status: string | undefined, code: number | undefined): DeliveryOutcome {
  const byStatus = status !== undefined ? SINCH_STATUSES[status] : undefined
  if (byStatus === 'pending' || byStatus === 'delivered') return byStatus
  if (code === 0 && byStatus === undefined) return 'delivered'
  const byCode = code !== undefined ? SINCH_REPORT_CODES[code]?.outcome : undefined
  return byCode ?? byStatus ?? 'unknown'
}

/** REST error codes (`{ code, text }` bodies) a batch submit can answer with. */
export const SINCH_SUBMIT_ERRORS: Readonly<
  Record<string, { readonly outcome: DeliveryOutcome; readonly retryable: boolean }>
> = {
  syntax_invalid_json: { outcome: 'provider_error', retryable: false },
  // "The format of a field value is invalid. For example if a MSISDN is not correctly formatted."
  syntax_invalid_parameter_format: { outcome: 'provider_error', retryable: false },
  syntax_constraint_violation: { outcome: 'provider_error', retryable: false },
  unknown_group: { outcome: 'provider_error', retryable: false },
  unknown_campaign: { outcome: 'provider_error', retryable: false },
  missing_callback_url: { outcome: 'provider_error', retryable: false },
  unauthorized: { outcome: 'provider_error', retryable: false },
  forbidden: { outcome: 'provider_error', retryable: false },
  too_many_requests: { outcome: 'provider_throttled', retryable: true },
}
