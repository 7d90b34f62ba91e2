/** @module Guesses which countries a number typed without a country code could belong to. */

import type { CountryCode } from 'libphonenumber-js/max'
import type { ParsedNumber } from './valid-number.js'
import { parseValidNumber } from './valid-number.js'

/**
 * Where verification traffic mostly comes from. Trying every one of the ~245 regions would make
 * almost any digit string ambiguous (and cost milliseconds), so the guess stays among these.
 */
const LIKELY_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'IN',
  'DE',
  'FR',
  'ES',
  'IT',
  'BR',
  'MX',
  'NL',
  'AU',
  'NG',
  'ZA',
  'PH',
  'ID',
]

/** Distinct valid numbers the digits could mean, keyed by E.164, in the order found. */
export type CountryCandidates = ReadonlyMap<string, ParsedNumber>

/**
 * Reads `digits` (no `+`) two ways: as an international number whose `+` was left out
 * (`1 415 555 2671`), and as a national number of each likely country. A national reading only counts
 * when the digits are exactly how that country writes the number (`07700 900123` in GB, but not
 * `447700900123` in DE), so a forgotten `+` is not drowned out by far-fetched local readings.
 */
export function findCountryCandidates(digits: string): CountryCandidates {
  const found = new Map<string, ParsedNumber>()
  if (!digits.startsWith('0')) {
    const international = parseValidNumber(`+${digits}`)
    if (international) found.set(international.number, international)
  }
  for (const country of LIKELY_COUNTRIES) {
    const national = parseValidNumber(digits, country)
    if (national && !found.has(national.number) && nationalDigits(national) === digits) {
      found.set(national.number, national)
    }
  }
  return found
}

function nationalDigits(number: ParsedNumber): string {
  return number.formatNational().replace(/\D/g, '')
}
