/** @module Which channels each kind of number can take, and the libphonenumber → verigate type mapping. */

import type { PhoneNumberType as LibraryNumberType } from 'libphonenumber-js/max'
import type { PhoneNumberType } from './phone-number-types.js'

/** Whether a code can be delivered to a number of this type by text and by voice call. */
export interface ChannelCapabilities {
  /** Text messages reach the subscriber. */
  readonly sms: boolean
  /** A voice call reaches the subscriber, and placing it does not cost us a premium tariff. */
  readonly voice: boolean
}

/**
 * Per-type delivery capabilities.
 * - `voip` can receive SMS; it is reported as its own type so callers with a fraud policy can refuse it.
 * - `premium_rate` and `shared_cost` are refused for voice because calling them is how toll fraud
 *   (IRSF) makes money from verification services.
 * - `fixed_line_or_mobile` (the whole of +1) and `unknown` are given the benefit of the doubt: the
 *   provider reports undeliverable texts, and refusing them would lock out most of North America.
 */
export const NUMBER_TYPE_CAPABILITIES: Readonly<Record<PhoneNumberType, ChannelCapabilities>> = Object.freeze(
  {
    mobile: { sms: true, voice: true },
    fixed_line_or_mobile: { sms: true, voice: true },
    voip: { sms: true, voice: true },
    personal_number: { sms: true, voice: true },
    unknown: { sms: true, voice: true },
    fixed_line: { sms: false, voice: true },
    toll_free: { sms: false, voice: true },
    uan: { sms: false, voice: true },
    premium_rate: { sms: false, voice: false },
    shared_cost: { sms: false, voice: false },
    voicemail: { sms: false, voice: false },
    pager: { sms: false, voice: false },
  },
)

const FROM_LIBRARY: Readonly<Record<LibraryNumberType, PhoneNumberType>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  VOIP: 'voip',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium_rate',
  SHARED_COST: 'shared_cost',
  PERSONAL_NUMBER: 'personal_number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
}

/** Maps libphonenumber's `getType()` result; `undefined` (valid but unclassified) becomes `'unknown'`. */
export function toPhoneNumberType(type: LibraryNumberType | undefined): PhoneNumberType {
  return type === undefined ? 'unknown' : FROM_LIBRARY[type]
}
