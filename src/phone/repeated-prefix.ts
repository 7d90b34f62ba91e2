/** @module "Did you mean" for prefixes typed twice: `+44 44 …`, `+44 0044 …`, `+00 44 …`, `+011 44 …`. */

import type { SplitNumber } from './split-calling-code.js'
import type { ParsedNumber } from './valid-number.js'
import { parseValidNumber } from './valid-number.js'

/** International dialling prefixes people type out of habit after already typing `+` (EU, AU, NANP). */
const INTERNATIONAL_PREFIXES = ['0011', '011', '00'] as const

/**
 * `+44 44 7700 900123` or `+44 0044 7700 900123` → the number with the repeat removed, when that is
 * valid. Returns `undefined` when nothing repeats or the shortened number is not valid either.
 */
export function findRepeatedCallingCode({ callingCode, national }: SplitNumber): ParsedNumber | undefined {
  for (const repeat of [`00${callingCode}`, callingCode]) {
    if (national.length > repeat.length && national.startsWith(repeat)) {
      const candidate = parseValidNumber(`+${callingCode}${national.slice(repeat.length)}`)
      if (candidate) return candidate
    }
  }
  return undefined
}

/**
 * `+00 44 7700 900123` (digits `0044…`) → the number without the dialling prefix, when valid.
 * @param digits everything after the `+`.
 */
export function findDoubledInternationalPrefix(
  digits: string,
): { prefix: string; number: ParsedNumber } | undefined {
  for (const prefix of INTERNATIONAL_PREFIXES) {
    if (digits.length > prefix.length && digits.startsWith(prefix)) {
      const number = parseValidNumber(`+${digits.slice(prefix.length)}`)
      if (number) return { prefix, number }
    }
  }
  return undefined
}
