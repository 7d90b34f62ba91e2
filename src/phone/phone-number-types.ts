/** @module The number types verigate speaks of: the numbering plan's, in libphonenumber's terms. */

/** Number types from the numbering plan, in libphonenumber's terms, plus `unknown`. */
export const PHONE_NUMBER_TYPES = [
  'mobile',
  'fixed_line',
  'fixed_line_or_mobile',
  'voip',
  'toll_free',
  'premium_rate',
  'shared_cost',
  'personal_number',
  'pager',
  'uan',
  'voicemail',
  'unknown',
] as const

/** One of {@link PHONE_NUMBER_TYPES}. `fixed_line_or_mobile` is what the whole +1 plan reports. */
export type PhoneNumberType = (typeof PHONE_NUMBER_TYPES)[number]
