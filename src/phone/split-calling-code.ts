/** @module Country calling code lookup over libphonenumber's MAX metadata. */

import type { CountryCode } from 'libphonenumber-js/max'
import { Metadata } from 'libphonenumber-js/max'
import metadata from 'libphonenumber-js/max/metadata'

const CALLING_CODES: ReadonlySet<string> = new Set([
  ...Object.keys(metadata.country_calling_codes),
  ...Object.keys(metadata.nonGeographic),
])

/** A calling code and the national (significant) digits that follow it, as typed. */
export interface SplitNumber {
  /** `'44'`, without the `+`. */
  callingCode: string
  /** Everything after the calling code, including a trunk prefix if the user typed one. */
  national: string
}

/**
 * Splits international digits (no `+`) into calling code and the rest.
 * Returns `undefined` when no calling code matches the start. Calling codes are prefix-free
 * (ITU-T E.164), so the first match by length is the only one.
 */
export function splitCallingCode(digits: string): SplitNumber | undefined {
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    const callingCode = digits.slice(0, length)
    if (CALLING_CODES.has(callingCode)) return { callingCode, national: digits.slice(length) }
  }
  return undefined
}

/**
 * The country libphonenumber lists first for a calling code (`'1'` → `'US'`, `'44'` → `'GB'`).
 * `undefined` for non-geographic codes such as `800`.
 */
export function mainCountryOf(callingCode: string): CountryCode | undefined {
  return metadata.country_calling_codes[callingCode]?.[0]
}

const mainPlanDecides = new Map<string, boolean>()

/**
 * True when libphonenumber gives every number that is valid in the calling code's main plan to the
 * main country: single-country codes, non-geographic codes, and shared codes whose main country has
 * no leading-digits rule (+1 → US, +44 → GB). Lets a valid number skip libphonenumber's country
 * search, which re-runs the type patterns of each sharing country.
 */
export function mainPlanDecidesCountry(callingCode: string): boolean {
  let decides = mainPlanDecides.get(callingCode)
  if (decides === undefined) {
    const countries = metadata.country_calling_codes[callingCode] ?? []
    const plan = new Metadata()
    if (countries[0]) plan.selectNumberingPlan(countries[0])
    decides = countries.length <= 1 || !plan.numberingPlan?.leadingDigits()
    mainPlanDecides.set(callingCode, decides)
  }
  return decides
}

const possibleLengthsByCountry = new Map<CountryCode, readonly number[]>()

/** National number lengths the country allows across all number types, e.g. GB → `[7, 9, 10]`. */
export function possibleLengthsOf(country: CountryCode): readonly number[] {
  let lengths = possibleLengthsByCountry.get(country)
  if (!lengths) {
    const plan = new Metadata()
    plan.selectNumberingPlan(country)
    lengths = Object.freeze([...(plan.numberingPlan?.possibleLengths() ?? [])])
    possibleLengthsByCountry.set(country, lengths)
  }
  return lengths
}
