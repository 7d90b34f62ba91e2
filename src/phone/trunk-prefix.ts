/** @module Detects a national trunk prefix typed after the country code (`+44 07…`, `+49 0151…`). */

import { isUsable } from './fictional-numbers.js'
import type { SplitNumber } from './split-calling-code.js'
import type { ParsedNumber } from './valid-number.js'
import { asTypedNumber } from './valid-number.js'

/** Outcome of comparing the digits as typed with what libphonenumber kept after the country code. */
export type TrunkPrefixCheck =
  /** Nothing was dropped, or neither reading is a valid number: carry on with `number`. */
  | { kind: 'unchanged'; number: ParsedNumber }
  /** The digits were valid exactly as typed (Italy keeps its 0), so libphonenumber's stripping is undone. */
  | { kind: 'as_typed'; number: ParsedNumber }
  /** Invalid with the prefix, valid without it: ask the person instead of silently rewriting. */
  | { kind: 'mistake'; prefix: string; corrected: ParsedNumber }

/**
 * libphonenumber forgives `+44 07700 900123` by dropping the 0, which is right most of the time but
 * means a code is sent to digits the person never confirmed. Works for any country whose metadata
 * has a national prefix (GB, DE, FR `0`; RU `8`; US `1`) because it relies on what libphonenumber
 * stripped rather than on a list of countries.
 *
 * @param parsed libphonenumber's reading of `+` + `split.callingCode` + `split.national`.
 */
export function checkTrunkPrefix(split: SplitNumber, parsed: ParsedNumber): TrunkPrefixCheck {
  const typed = split.national
  const kept = parsed.nationalNumber
  if (typed === kept || !typed.endsWith(kept)) return { kind: 'unchanged', number: parsed }

  const asTyped = asTypedNumber(`+${split.callingCode}${typed}`)
  if (asTyped && isUsable(asTyped)) return { kind: 'as_typed', number: asTyped }
  if (!isUsable(parsed)) return { kind: 'unchanged', number: parsed }
  return { kind: 'mistake', prefix: typed.slice(0, typed.length - kept.length), corrected: parsed }
}
