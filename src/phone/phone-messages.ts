/** @module The sentences shown to the person typing the number: what is wrong and what to do. */

import type { CountryCode } from 'libphonenumber-js/max'
import type { PhoneNumberType } from './phone-number-types.js'
import { mainCountryOf, possibleLengthsOf } from './split-calling-code.js'

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region' })

/** `'GB'` → `'United Kingdom'`; falls back to the code itself for regions ICU does not name. */
export function countryName(country: string): string {
  try {
    return REGION_NAMES.of(country) ?? country
  } catch {
    return country
  }
}

/** `['GB', 'DE', 'IN']` → `'United Kingdom, Germany or India'`; long lists are cut after four. */
export function listCountries(countries: readonly string[]): string {
  const names = countries.slice(0, 4).map(countryName)
  return countries.length > 4 ? `${names.join(', ')} and others` : joinOr(names)
}

function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/** `[7, 9, 10]` → `'7, 9 or 10'`; `[4, 5, …, 15]` → `'4 to 15'`. */
function describeLengths(lengths: readonly number[]): string {
  const first = lengths[0]!
  const last = lengths.at(-1)!
  if (lengths.length > 2 && last - first + 1 === lengths.length) return `${first} to ${last}`
  return joinOr(lengths.map(String))
}

/** `'+44 (United Kingdom)'`, or just `'+800'` for non-geographic codes. */
function callingCodeLabel(callingCode: string, country: CountryCode | undefined): string {
  const named = country ?? mainCountryOf(callingCode)
  return named ? `+${callingCode} (${countryName(named)})` : `+${callingCode}`
}

/** Message texts and builders, one per situation, so wording stays consistent across problems. */
export const MESSAGES = {
  empty: 'Enter a phone number, starting with + and the country code.',
  notANumber:
    'A phone number can only contain digits, spaces, +, -, ( and ). Remove any letters or other characters.',
  tooManyDigits: 'This is too long to be a phone number: phone numbers have at most 15 digits.',
  missingCountryCode: (couldBe: readonly string[]) =>
    couldBe.length > 1
      ? `Add the country code at the start, beginning with +. As written, it could be a number in several countries (${listCountries(couldBe)}).`
      : 'Add the country code at the start, beginning with + (for example +44 for the United Kingdom).',
  missingPlus: 'Start the number with + followed by the country code.',
  didYouMean: (formatted: string, country: string | undefined) =>
    country ? `Did you mean ${formatted} (${countryName(country)})?` : `Did you mean ${formatted}?`,
  addPlus: (formatted: string) => `Put a + in front of the country code: did you mean ${formatted}?`,
  invalidCountryCode: (digits: string) =>
    digits.startsWith('0')
      ? 'Country codes never start with 0. Check the digits right after the +.'
      : `No country uses the calling code at the start of +${digits.slice(0, 3)}. Check the digits right after the +.`,
  doubledInternationalPrefix: (prefix: string, formatted: string) =>
    `Use either + or ${prefix} before the country code, not both: did you mean ${formatted}?`,
  repeatedCallingCode: (callingCode: string, formatted: string) =>
    `The country code ${callingCode} appears twice: did you mean ${formatted}?`,
  trunkPrefix: (prefix: string, callingCode: string, formatted: string) =>
    `Remove the ${prefix} after +${callingCode}: did you mean ${formatted}?`,
  invalidNumber: (callingCode: string, country: CountryCode | undefined) =>
    `This is not a valid ${callingCodeLabel(callingCode, country)} number. Check the digits for a typo.`,
  wrongLength: (
    reason: 'too_short' | 'too_long',
    callingCode: string,
    country: CountryCode | undefined,
    actual: number,
  ) => {
    const named = country ?? mainCountryOf(callingCode)
    const lengths = named ? possibleLengthsOf(named) : []
    const expected =
      lengths.length > 0
        ? ` ${callingCodeLabel(callingCode, country)} numbers have ${describeLengths(lengths)} digits after the country code; this one has ${actual === 0 ? 'none' : actual}.`
        : ''
    const fix = reason === 'too_short' ? 'Check for a missing digit.' : 'Check for an extra digit.'
    return `This number is ${reason === 'too_short' ? 'too short' : 'too long'}.${expected} ${fix}`
  },
} as const

const NOT_SMS_CAPABLE: Readonly<Record<PhoneNumberType, string>> = {
  fixed_line: 'This looks like a landline, which cannot receive text messages.',
  toll_free: 'This looks like a toll-free number, which cannot receive text messages.',
  uan: 'This looks like a company switchboard number, which cannot receive text messages.',
  premium_rate:
    'This is a premium-rate number, which cannot receive verification codes. Use a mobile number.',
  shared_cost:
    'This is a shared-cost service number, which cannot receive verification codes. Use a mobile number.',
  voicemail:
    'This is a voicemail access number, which cannot receive verification codes. Use a mobile number.',
  pager: 'This is a pager number, which cannot receive verification codes. Use a mobile number.',
  mobile: '',
  fixed_line_or_mobile: '',
  voip: '',
  personal_number: '',
  unknown: '',
}

/** Why a valid number of this type cannot take an SMS, with the way out when voice still works. */
export function notSmsCapableMessage(type: PhoneNumberType, voice: boolean): string {
  return voice
    ? `${NOT_SMS_CAPABLE[type]} Use a mobile number, or ask for a voice call.`
    : NOT_SMS_CAPABLE[type]
}

/** The "call me instead" offer attached to numbers that take voice but not SMS. */
export function voiceInsteadMessage(type: PhoneNumberType): string {
  return `${NOT_SMS_CAPABLE[type]} Ask for a voice call instead.`
}
