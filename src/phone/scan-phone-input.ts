/** @module Strict first pass over raw phone input: separators out, digits kept, junk detected. */

import { parseDigits } from 'libphonenumber-js/max'

/** What the raw text turned out to be, before any numbering-plan knowledge is applied. */
export type ScannedPhoneInput =
  | { kind: 'empty' }
  /** Emoji, punctuation we do not accept, more than {@link MAX_LETTERS} letters, or no digits at all. */
  | { kind: 'junk' }
  /** A few letters (an `x12` extension, a vanity letter): left for libphonenumber to interpret. */
  | { kind: 'letters'; text: string }
  /** `digits` holds ASCII digits only; `plus` is true when the input started with `+`. */
  | { kind: 'digits'; plus: boolean; digits: string }

/**
 * libphonenumber happily turns letters into keypad digits, which would silently send a code to a
 * different number when someone types the letter O for a zero. Up to this many letters are still
 * handed to it (extension markers such as `x12`), more are rejected outright.
 */
export const MAX_LETTERS = 2

/** Plain `+447700900123`: the shape most API callers send, so it skips the character loop. */
const E164_SHAPE = /^\+[1-9]\d{1,14}$/
const SEPARATOR = /[\s\-\u2010-\u2015\u2212.()/]/u
const LETTER = /\p{L}/u
const UNICODE_DIGIT = /\p{Nd}/u
/** `+44 (0) 20 …` is the printed convention for "drop this 0 when calling from abroad". */
const TRUNK_ZERO_IN_PARENS = /^\(\s*0\s*\)/

/**
 * Splits `input` into digits and an optional leading `+`.
 * Accepts spaces, dashes, dots, slashes and parentheses as separators, full-width and other
 * Unicode digits, and a `(0)` after an international prefix. Never throws.
 */
export function scanPhoneInput(input: string): ScannedPhoneInput {
  if (E164_SHAPE.test(input)) return { kind: 'digits', plus: true, digits: input.slice(1) }
  const text = input.trim()
  if (text === '') return { kind: 'empty' }

  let plus = false
  let digits = ''
  let letters = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch >= '0' && ch <= '9') {
      digits += ch
    } else if (ch === '+' || ch === '\uFF0B') {
      // A plus only means something in front of the digits; `++44` is a harmless double tap.
      if (digits !== '') return { kind: 'junk' }
      plus = true
    } else if (ch === '(' && (plus || digits.startsWith('00')) && TRUNK_ZERO_IN_PARENS.test(text.slice(i))) {
      i = text.indexOf(')', i)
    } else if (SEPARATOR.test(ch)) {
      // separators carry no meaning
    } else if (LETTER.test(ch)) {
      letters++
    } else if (UNICODE_DIGIT.test(ch)) {
      const ascii = parseDigits(ch)
      if (ascii === '') return { kind: 'junk' }
      digits += ascii
    } else {
      return { kind: 'junk' }
    }
  }
  if (letters > MAX_LETTERS || digits === '') return { kind: 'junk' }
  if (letters > 0) return { kind: 'letters', text }
  return { kind: 'digits', plus, digits }
}
