/**
 * @module Ofcom's ranges reserved for drama (fiction and testing): they are never assigned to a
 * subscriber, so they are the safe numbers for examples, tests and the carrier simulator.
 * libphonenumber's metadata marks them invalid; verigate reads them as the type they imitate, so
 * `+44 07700 900123` still gets "did you mean +44 7700 900123?" and test numbers work end to end.
 */
import type { NumberType as LibraryNumberType, PhoneNumber as ParsedNumber } from 'libphonenumber-js/max'

/** E.164 prefixes (all numbers sharing them are reserved) and the type each imitates. */
const RANGES: ReadonlyArray<
  readonly [prefix: string, length: number, type: Exclude<LibraryNumberType, undefined>]
> = [
  ['+447700900', 13, 'MOBILE'], // 07700 900000-900999
  ['+4420794600', 13, 'FIXED_LINE'], // 020 7946 0000-0999
  ['+441632960', 13, 'FIXED_LINE'], // 01632 960000-960999
]

/** The type a reserved drama number imitates, or undefined when `e164` is not in a reserved range. */
export function fictionalType(e164: string): LibraryNumberType | undefined {
  for (const [prefix, length, type] of RANGES)
    if (e164.length === length && e164.startsWith(prefix)) return type
  return undefined
}

/** libphonenumber's type, or the imitated type of a reserved drama number. */
export function typeOf(number: ParsedNumber): LibraryNumberType | undefined {
  return number.getType() ?? fictionalType(number.number)
}

/** Valid per the metadata, or a reserved drama number. */
export function isUsable(number: ParsedNumber): boolean {
  return number.getType() !== undefined || number.isValid() || fictionalType(number.number) !== undefined
}
