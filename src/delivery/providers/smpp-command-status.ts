/**
 * @module SMPP 3.4 `command_status` codes (the answer to submit_sm or bind) read as verigate
 * outcomes: which are worth retrying and what each says about the destination. Shared by the SMPP
 * adapter and the Kannel adapter, whose rejection receipts carry the same codes
 * (`NACK/0x0000000b/Invalid Destination Address`).
 */
import type { DeliveryOutcome } from '../outcome.js'
import { ProviderError } from './provider.js'

interface StatusInfo {
  readonly name: string
  readonly outcome: DeliveryOutcome
  readonly retryable: boolean
}

/**
 * Codes with a known reading. Retryable: the SMSC is busy or broken right now (throttling, queue
 * full, system error), so the same submit can succeed later. Not retryable: our PDU or our account
 * is wrong (every retry fails the same way) or the destination itself is.
 */
const STATUSES: ReadonlyMap<number, StatusInfo> = new Map<number, StatusInfo>([
  [0x01, { name: 'ESME_RINVMSGLEN', outcome: 'provider_error', retryable: false }],
  [0x03, { name: 'ESME_RINVCMDID', outcome: 'provider_error', retryable: false }],
  // Wrong bind state: the session is confused; a fresh bind fixes it.
  [0x04, { name: 'ESME_RINVBNDSTS', outcome: 'provider_error', retryable: true }],
  [0x05, { name: 'ESME_RALYBND', outcome: 'provider_error', retryable: true }],
  [0x08, { name: 'ESME_RSYSERR', outcome: 'provider_error', retryable: true }],
  [0x0a, { name: 'ESME_RINVSRCADR', outcome: 'provider_error', retryable: false }],
  [0x0b, { name: 'ESME_RINVDSTADR', outcome: 'invalid_number', retryable: false }],
  [0x0d, { name: 'ESME_RBINDFAIL', outcome: 'provider_error', retryable: false }],
  [0x0e, { name: 'ESME_RINVPASWD', outcome: 'provider_error', retryable: false }],
  [0x0f, { name: 'ESME_RINVSYSID', outcome: 'provider_error', retryable: false }],
  [0x14, { name: 'ESME_RMSGQFUL', outcome: 'provider_throttled', retryable: true }],
  [0x43, { name: 'ESME_RINVESMCLASS', outcome: 'provider_error', retryable: false }],
  [0x45, { name: 'ESME_RSUBMITFAIL', outcome: 'provider_error', retryable: true }],
  [0x48, { name: 'ESME_RINVSRCTON', outcome: 'provider_error', retryable: false }],
  [0x49, { name: 'ESME_RINVSRCNPI', outcome: 'provider_error', retryable: false }],
  [0x50, { name: 'ESME_RINVDSTTON', outcome: 'provider_error', retryable: false }],
  [0x51, { name: 'ESME_RINVDSTNPI', outcome: 'provider_error', retryable: false }],
  [0x53, { name: 'ESME_RINVSYSTYP', outcome: 'provider_error', retryable: false }],
  [0x58, { name: 'ESME_RTHROTTLED', outcome: 'provider_throttled', retryable: true }],
  [0x62, { name: 'ESME_RINVEXPIRY', outcome: 'provider_error', retryable: false }],
  [0xc0, { name: 'ESME_RINVTLVSTREAM', outcome: 'provider_error', retryable: false }],
  [0xc1, { name: 'ESME_RTLVNOTALLWD', outcome: 'provider_error', retryable: false }],
  [0xc2, { name: 'ESME_RINVTLVLEN', outcome: 'provider_error', retryable: false }],
  [0xc3, { name: 'ESME_RMISSINGTLV', outcome: 'provider_error', retryable: false }],
  [0xc4, { name: 'ESME_RINVTLVVAL', outcome: 'provider_error', retryable: false }],
  [0xfe, { name: 'ESME_RDELIVERYFAILURE', outcome: 'unreachable', retryable: false }],
  [0xff, { name: 'ESME_RUNKNOWNERR', outcome: 'provider_error', retryable: true }],
  [0x101, { name: 'ESME_RPROHIBITED', outcome: 'provider_error', retryable: false }],
  [0x104, { name: 'ESME_RINVDCS', outcome: 'provider_error', retryable: false }],
])

/** `0x0000000b`: the form Kannel writes and verigate stores as the raw code. */
export function smppStatusHex(status: number): string {
  return `0x${status.toString(16).padStart(8, '0')}`
}

/** The spec name (`ESME_RTHROTTLED`), or `vendor-specific 0x00000401` for codes outside the table. */
export function smppStatusName(status: number): string {
  return (
    STATUSES.get(status)?.name ??
    `${status >= 0x400 && status <= 0x4ff ? 'vendor-specific' : 'unknown'} ${smppStatusHex(status)}`
  )
}

/**
 * How verigate reads a non-zero `command_status`. Codes outside the table (including the
 * 0x400-0x4FF vendor range) are treated as a provider error worth retrying: the attempt budget
 * bounds the cost, and giving up on a code we cannot read could drop a deliverable code.
 */
export function smppStatusOutcome(status: number): { outcome: DeliveryOutcome; retryable: boolean } {
  const known = STATUSES.get(status)
  return known
    ? { outcome: known.outcome, retryable: known.retryable }
    : { outcome: 'provider_error', retryable: true }
}

/** The ProviderError for a refused submit_sm (or bind); `what` says which PDU was refused. */
export function smppStatusError(status: number, what = 'submit_sm', detail?: string): ProviderError {
  const { outcome, retryable } = smppStatusOutcome(status)
  const name = smppStatusName(status)
  const text = detail ? `${name}: ${detail}` : name
  return new ProviderError({
    message: `SMSC refused ${what}: ${text} (${smppStatusHex(status)})`,
    retryable,
    outcome,
    rawCode: smppStatusHex(status),
    rawText: text,
  })
}
