/**
 * @module Infobip's status and error code tables, mapped onto the delivery taxonomy. Infobip sends a
 * `status` object (group + id) and, for failures, an `error` object (group + id + `permanent`) in
 * submit responses and delivery reports alike; this module reads both.
 */
import type { DeliveryOutcome } from '../outcome.js'

/** Infobip's status object: `{ groupId, groupName, id, name, description }`. */
export interface InfobipStatus {
  readonly groupId?: number | undefined
  readonly groupName?: string | undefined
  readonly id?: number | undefined
  readonly name?: string | undefined
  readonly description?: string | undefined
}

/** Infobip's error object: the status fields plus `permanent` (re-sending unchanged fails the same way). */
export interface InfobipError extends InfobipStatus {
  readonly permanent?: boolean | undefined
}

/** Status groups, as documented ("Response status and error codes"). */
export const INFOBIP_STATUS_GROUPS = {
  PENDING: 1,
  UNDELIVERABLE: 2,
  DELIVERED: 3,
  EXPIRED: 4,
  REJECTED: 5,
} as const

/** `DELIVERED_TO_OPERATOR` sits in the DELIVERED group but is intermediate: the handset report may still fail. */
export const INFOBIP_DELIVERED_TO_OPERATOR = 2
/** The final delivered status. */
export const INFOBIP_DELIVERED_TO_HANDSET = 5

interface CodeMapping {
  readonly outcome: DeliveryOutcome
  /** Worth submitting again (same or another route) after a pause. */
  readonly retryable: boolean
}

/**
 * REJECTED-group status ids. These come back synchronously (HTTP 200 with a REJECTED status) as well as in
 * reports, so they drive the submit error too.
 */
export const INFOBIP_REJECTED_STATUSES: Readonly<Record<number, CodeMapping>> = {
  6: { outcome: 'geo_blocked', retryable: false }, // REJECTED_NETWORK: network not covered / not set up on the account
  8: { outcome: 'invalid_number', retryable: false }, // REJECTED_PREFIX_MISSING: prefix or length not recognised
  10: { outcome: 'opted_out', retryable: false }, // REJECTED_DND: subscriber on a do-not-disturb list
  11: { outcome: 'provider_error', retryable: false }, // REJECTED_SOURCE: sender ID not registered
  12: { outcome: 'provider_error', retryable: false }, // REJECTED_NOT_ENOUGH_CREDITS
  13: { outcome: 'provider_error', retryable: false }, // REJECTED_SENDER: sender blocklisted on the account
  14: { outcome: 'carrier_blocked', retryable: false }, // REJECTED_DESTINATION_BLOCKLISTED (operator or account)
  17: { outcome: 'provider_error', retryable: false }, // REJECTED_PREPAID_PACKAGE_EXPIRED
  18: { outcome: 'provider_error', retryable: false }, // REJECTED_DESTINATION_NOT_REGISTERED: test account limit
  19: { outcome: 'geo_blocked', retryable: false }, // REJECTED_ROUTE_NOT_AVAILABLE: no route on the account
  20: { outcome: 'provider_throttled', retryable: false }, // REJECTED_FLOODING_FILTER: per-number hourly cap
  21: { outcome: 'provider_error', retryable: true }, // REJECTED_SYSTEM_ERROR: "retry the submission"
  23: { outcome: 'provider_error', retryable: false }, // REJECTED_DUPLICATE_MESSAGE_ID
  24: { outcome: 'provider_error', retryable: false }, // REJECTED_INVALID_UDH
  25: { outcome: 'provider_error', retryable: false }, // REJECTED_MESSAGE_TOO_LONG
  51: { outcome: 'invalid_number', retryable: false }, // MISSING_TO
  52: { outcome: 'invalid_number', retryable: false }, // REJECTED_DESTINATION: no operator has this prefix
  87: { outcome: 'carrier_blocked', retryable: false }, // SIGNALS_BLOCKED: anti-fraud
  100: { outcome: 'provider_error', retryable: true }, // UNDELIVERABLE_REJECTED_PLATFORM: invalid or temporarily unavailable
}

/**
 * Error ids (general error codes). Handset errors (group 1) are mostly GSM MAP errors; user errors
 * (group 2) are account and content problems; operator errors (group 3) are the network's.
 */
export const INFOBIP_ERRORS: Readonly<Record<number, DeliveryOutcome>> = {
  1: 'unknown_subscriber', // EC_UNKNOWN_SUBSCRIBER
  5: 'unknown_subscriber', // EC_UNIDENTIFIED_SUBSCRIBER
  6: 'unreachable', // EC_ABSENT_SUBSCRIBER_SM: off or out of coverage
  7: 'unreachable', // EC_UNKNOWN_EQUIPMENT
  8: 'unreachable', // EC_ROAMING_NOT_ALLOWED
  9: 'carrier_blocked', // EC_ILLEGAL_SUBSCRIBER: failed authentication, often blocklisted
  10: 'not_mobile', // EC_BEARER_SERVICE_NOT_PROVISIONED
  11: 'not_mobile', // EC_TELESERVICE_NOT_PROVISIONED: subscription has no SMS
  12: 'carrier_blocked', // EC_ILLEGAL_EQUIPMENT: IMEI blocklisted
  13: 'carrier_blocked', // EC_CALL_BARRED: operator suspended the subscriber
  15: 'carrier_blocked', // EC_CUG_REJECT
  21: 'not_mobile', // EC_FACILITY_NOT_SUPPORTED
  24: 'unreachable', // EC_NO_RADIO_RESOURCE_AVAILABLE
  27: 'unreachable', // EC_ABSENT_SUBSCRIBER
  31: 'unreachable', // EC_SUBSCRIBER_BUSY_FOR_MT_SMS
  32: 'unreachable', // EC_SM_DELIVERY_FAILURE
  33: 'unreachable', // EC_MESSAGE_WAITING_LIST_FULL
  34: 'unreachable', // EC_SYSTEM_FAILURE (operator side)
  51: 'unreachable', // EC_RESOURCE_LIMITATION: SS7 congestion
  256: 'unreachable', // EC_SM_DF_MEMORYCAPACITYEXCEEDED: inbox full
  258: 'not_mobile', // EC_SM_DF_EQUIPMENTNOTSM_EQUIPPED
  345: 'invalid_number', // EC_OPERATOR_NOT_FOUND
  351: 'invalid_number', // EC_INVALID_DESTINATION_ADDRESS
  352: 'invalid_number', // EC_INVALID_REQUEST_DESTINATION: country code not recognised
  368: 'provider_error', // EC_INVALID_SOURCE_ADDRESS
  541: 'provider_throttled', // EC_LIMIT_REACHED: carrier TPS limit
  542: 'provider_throttled', // EC_QUOTA_REACHED: carrier daily quota
  560: 'carrier_blocked', // EC_SC_BLOCKED_FOR_END_USER
  561: 'carrier_blocked', // EC_CONTENT_BLOCKED_BY_OPERATOR
  565: 'carrier_blocked', // EC_CANNOT_RECEIVE_SC
  566: 'carrier_blocked', // EC_DESTINATION_BLOCKED_BY_OPERATOR
  568: 'not_mobile', // EC_DESTINATION_NOT_SMS_PROVISIONED
  569: 'carrier_blocked', // EC_DEST_ADDRESS_SUSPENDED
  573: 'opted_out', // EC_SC_BLOCKED_BY_END_USER
  581: 'unreachable', // EC_USER_OUT_OF_CREDIT
  603: 'opted_out', // EC_CONTENT_BLOCKED: user sent STOP
  604: 'opted_out', // EC_BLOCKED_BY_CAMPAIGN_BLACKLIST
  607: 'carrier_blocked', // EC_REJECTED_SPAM_BY_OPERATOR
  608: 'carrier_blocked', // EC_SIGNALS_BLOCKED: anti-fraud
  628: 'unreachable', // EC_TEMPORARY_HANDSET_FAILURE
  629: 'not_mobile', // EC_DEST_ADDRESS_UNABLE_TO_RECEIVE_SMS
  2049: 'carrier_blocked', // EC_IMSI_BLACKLISTED
  2052: 'carrier_blocked', // EC_BLACKLISTED_DESTINATIONADDRESS
  2053: 'provider_error', // EC_BLACKLISTED_SENDERADDRESS
  3041: 'unknown_subscriber', // EC_DEACTIVATED_LIST: number permanently deactivated
  4100: 'expired', // EC_MESSAGE_CANCELED: not sent within validity
  4101: 'expired', // EC_VALIDITY_EXPIRED
  4103: 'provider_throttled', // EC_DESTINATION_FLOODING
  4104: 'provider_throttled', // EC_DESTINATION_TXT_FLOODING
  4202: 'provider_throttled', // EC_10DLC_LIMIT_REACHED
}

/** Maps a REJECTED status on submit; unknown ids fall back to a final provider error. */
export function infobipRejection(status: InfobipStatus): CodeMapping {
  return (
    (status.id !== undefined ? INFOBIP_REJECTED_STATUSES[status.id] : undefined) ?? {
      outcome: 'provider_error',
      retryable: false,
    }
  )
}

/**
 * The outcome a delivery report carries. A specific error id wins over the group, because
 * UNDELIVERABLE and EXPIRED both say little about *why* on their own.
 */
export function infobipReportOutcome(
  status: InfobipStatus | undefined,
  error: InfobipError | undefined,
): DeliveryOutcome {
  const group = status?.groupId
  if (group === INFOBIP_STATUS_GROUPS.PENDING) return 'pending'
  if (group === INFOBIP_STATUS_GROUPS.DELIVERED) {
    return status?.id === INFOBIP_DELIVERED_TO_OPERATOR ? 'pending' : 'delivered'
  }
  if (
    group === INFOBIP_STATUS_GROUPS.REJECTED &&
    status?.id !== undefined &&
    INFOBIP_REJECTED_STATUSES[status.id]
  ) {
    return infobipRejection(status).outcome
  }
  const fromError = error?.id !== undefined && error.id !== 0 ? INFOBIP_ERRORS[error.id] : undefined
  if (fromError) return fromError
  switch (group) {
    case INFOBIP_STATUS_GROUPS.EXPIRED:
      return 'expired'
    case INFOBIP_STATUS_GROUPS.UNDELIVERABLE:
      // The network refused it without an error we recognise; the raw error travels with the report.
      return 'unreachable'
    case INFOBIP_STATUS_GROUPS.REJECTED:
      return 'provider_error'
    default:
      return 'unknown'
  }
}
