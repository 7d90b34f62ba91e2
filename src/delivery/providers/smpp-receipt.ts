/**
 * @module SMPP delivery receipts read as verigate outcomes: the de-facto receipt text
 * (`id:... sub:001 dlvrd:001 submit date:... done date:... stat:DELIVRD err:000 text:...`,
 * SMPP 3.4 Appendix B) and the `message_state` TLV. Shared by the SMPP adapter (deliver_sm) and the
 * Kannel adapter (Kannel's `%A` carries the same text).
 */
import type { DeliveryOutcome } from '../outcome.js'

/** The receipt text's fields (all optional: the format is SMSC-specific and parsed tolerantly). */
export interface SmppReceiptText {
  readonly id?: string | undefined
  /** Upper-cased `stat` word: DELIVRD, UNDELIV, REJECTD, EXPIRED, ENROUTE, ACCEPTD... */
  readonly stat?: string | undefined
  readonly err?: string | undefined
  readonly submitDate?: string | undefined
  readonly doneDate?: string | undefined
  readonly text?: string | undefined
}

// Keys are matched case-insensitively; `text:` runs to the end because it may contain anything.
const FIELD = /(?:^|\s)(id|sub|dlvrd|submit date|done date|stat|err):(\S*)/gi
const TEXT = /(?:^|\s)text:([\s\S]*)$/i

/** Parses the receipt text; fields that are missing come back undefined. */
export function parseSmppReceiptText(raw: string): SmppReceiptText {
  const textMatch = TEXT.exec(raw)
  const head = textMatch ? raw.slice(0, textMatch.index) : raw
  const fields = new Map<string, string>()
  for (const m of head.matchAll(FIELD)) {
    const key = m[1]?.toLowerCase()
    if (key && !fields.has(key)) fields.set(key, m[2] ?? '')
  }
  return {
    id: fields.get('id') || undefined,
    stat: fields.get('stat')?.toUpperCase() || undefined,
    err: fields.get('err') || undefined,
    submitDate: fields.get('submit date') || undefined,
    doneDate: fields.get('done date') || undefined,
    text: textMatch?.[1],
  }
}

/** SMPP 3.4 `message_state` TLV values and the `stat` word each corresponds to. */
export const MESSAGE_STATE_STAT: Readonly<Record<number, string>> = {
  0: 'SCHEDULED',
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
  9: 'SKIPPED',
}

/**
 * The `err` field, read as a GSM MAP error (the numbering most SMSCs pass through, and the one the
 * carrier simulator uses), plus the simulator's 045 spam-filter code. Vendors publish their own
 * tables; anything not here leaves the outcome to the `stat` word.
 */
export const SMPP_ERR_OUTCOMES: Readonly<Record<number, DeliveryOutcome>> = {
  1: 'unknown_subscriber', // unknownSubscriber: number not in service
  5: 'unknown_subscriber', // unidentifiedSubscriber
  9: 'carrier_blocked', // illegalSubscriber / barred
  11: 'not_mobile', // teleserviceNotProvisioned: the line has no SMS
  13: 'carrier_blocked', // callBarred
  27: 'unreachable', // absentSubscriber: handset off or out of coverage
  31: 'unreachable', // subscriberBusyForMT-SMS
  32: 'unreachable', // smDeliveryFailure (memory full, equipment)
  33: 'unreachable', // messageWaitingListFull
  45: 'carrier_blocked', // filtered as spam / sender not allowed (carrier simulator)
}

function errOutcome(err: string | undefined): DeliveryOutcome | undefined {
  if (err === undefined || !/^\d+$/.test(err)) return undefined
  return SMPP_ERR_OUTCOMES[Number.parseInt(err, 10)]
}

/**
 * The outcome a receipt's `stat` (and `err`) stands for. DELIVRD is delivered; ENROUTE, ACCEPTD and
 * SCHEDULED are still on the way; UNDELIV and REJECTD take the reason from `err` (REJECTD without a
 * readable reason means the network refused it, so carrier_blocked); EXPIRED is unreachable when
 * `err` says the handset was absent, else expired.
 */
export function smppReceiptOutcome(stat: string | undefined, err: string | undefined): DeliveryOutcome {
  const reason = errOutcome(err)
  switch (stat?.toUpperCase()) {
    case 'DELIVRD':
      return 'delivered'
    case 'ENROUTE':
    case 'ACCEPTD':
    case 'SCHEDULED':
      return 'pending'
    case 'UNDELIV':
      return reason ?? 'unknown'
    case 'REJECTD':
      return reason ?? 'carrier_blocked'
    case 'EXPIRED':
      return reason === 'unreachable' ? 'unreachable' : 'expired'
    case 'DELETED':
    case 'SKIPPED':
      return reason ?? 'unknown'
    default:
      return 'unknown'
  }
}
