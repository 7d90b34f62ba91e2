/** @module Thin, non-throwing wrappers over libphonenumber parsing that return only valid numbers. */

import type { CountryCode, PhoneNumber as ParsedNumber } from 'libphonenumber-js/max'
import parsePhoneNumber, { PhoneNumber } from 'libphonenumber-js/max'
import { isUsable } from './fictional-numbers.js'

export type { ParsedNumber }

/**
 * Parses clean digits (`+` optional) and returns the number only if the MAX metadata knows it.
 * libphonenumber may drop a trunk prefix it finds after the country code; callers that care about
 * the digits exactly as typed use {@link asTypedNumber} instead.
 */
export function parseValidNumber(text: string, defaultCountry?: CountryCode): ParsedNumber | undefined {
  const parsed = parsePhoneNumber(text, { defaultCountry, extract: false })
  if (!parsed) return undefined
  // With MAX metadata a defined type already implies validity, so the hot path runs the patterns once.
  return isUsable(parsed) ? parsed : undefined
}

/** Builds `+<digits>` literally, without libphonenumber's forgiving prefix stripping. */
export function asTypedNumber(e164: string): ParsedNumber | undefined {
  try {
    return new PhoneNumber(e164)
  } catch {
    // Only thrown for inputs without national digits, which callers treat as "not a number".
    return undefined
  }
}
